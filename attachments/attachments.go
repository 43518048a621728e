package attachments

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/storage"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Service keeps the files (photos, audio, documents) on records' upload
// fields (docs/records.md, "Attachments"): each file is an object in S3
// under attachments/<record id>/<attachment id> of the tenant's prefix, a
// row of the attachments table, and an id in the list the record's field
// holds. They are part of the record: reading them needs <type>:read and
// read access to the field's form, adding and removing them <type>:write
// and write access to it; the record must be within the caller's scope
// (else ErrNotFound) and, to change, enabled.
type Service struct {
	p     *tenancy.Platform
	store *storage.Store
	forms *forms.Service
	log   *slog.Logger
}

// Config configures Service.
type Config struct {
	// Store keeps the files. Nil: every method answers ErrNoStorage.
	Store *storage.Store
	// Forms says which fields are upload fields and who may read and write
	// them (the caller's role's form access). Required by every method but
	// CleanOrphans.
	Forms *forms.Service
	// Logger reports files left behind when removing them failed. Defaults
	// to slog.Default().
	Logger *slog.Logger
}

// New returns the attachments of the tenants' records of platform.
func New(platform *tenancy.Platform, cfg Config) *Service {
	return &Service{p: platform, store: cfg.Store, forms: cfg.Forms, log: cmp.Or(cfg.Logger, slog.Default())}
}

// authorize checks the caller's permission to read or write records of
// recordType (fail closed).
func (a *Service) authorize(ctx context.Context, code, recordType string, write bool) error {
	read, w, err := records.Permissions(recordType)
	if err != nil {
		return err
	}
	if write {
		return a.p.Authorize(ctx, code, w)
	}
	return a.p.Authorize(ctx, code, read)
}

var idRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// isID reports whether s is a UUID in canonical (lower-case) form, as
// records' and attachments' ids are (anything else names nothing: 404).
func isID(s string) bool { return idRE.MatchString(s) }

// ErrNoStorage: the server has no file storage configured.
var ErrNoStorage = errors.New("file storage is not configured on this server")

// TooLargeError: the file is larger than the tenant's limit for its field's
// kind (checked before anything is stored).
type TooLargeError struct {
	Size, Limit int64
	Kind        string
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the file has %d bytes; %s files may have at most %d (%s)", e.Size, e.Kind, e.Limit, humanBytes(e.Limit))
}

func humanBytes(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// Kinds of upload fields.
const (
	KindPhoto    = "photo"
	KindAudio    = "audio"
	KindDocument = "document"
)

var (
	photoTypes = []string{storage.TypeJPEG, storage.TypePNG, storage.TypeHEIC, storage.TypeHEIF, storage.TypeWebP}
	audioTypes = []string{storage.TypeMP3, storage.TypeM4A, storage.TypeAAC, storage.TypeOgg, storage.TypeWAV, storage.TypeWebM,
		storage.TypeAMR, storage.TypeAMRW, storage.Type3GP}
	// KindTypes are the media types each kind of upload field accepts,
	// checked against the content: photos are images, audio recordings are
	// audio, documents are PDF, DOCX, XLSX or images (scans, photos of papers).
	KindTypes = map[string][]string{
		KindPhoto:    photoTypes,
		KindAudio:    audioTypes,
		KindDocument: slices.Concat([]string{storage.TypePDF, storage.TypeDOCX, storage.TypeXLSX}, photoTypes),
	}
	fieldKinds = map[string]string{forms.TypePhoto: KindPhoto, forms.TypeAudio: KindAudio, forms.TypeDocument: KindDocument}
)

// Attachment is a file on a record's upload field, as the API shows it.
type Attachment struct {
	ID          string    `json:"id" format:"uuid"`
	RecordID    string    `json:"record_id" format:"uuid"`
	RecordType  string    `json:"record_type" enum:"case,tracing_request,incident"`
	FieldName   string    `json:"field_name" doc:"The upload field whose value lists this attachment's id."`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type" doc:"The media type detected from the content (and checked against the declared one)."`
	Size        int64     `json:"size" doc:"Bytes."`
	SHA256      string    `json:"sha256" doc:"SHA-256 of the content, hex."`
	Description string    `json:"description,omitempty"`
	Date        string    `json:"date,omitempty" format:"date" doc:"When the photo was taken or the document issued, as the uploader said."`
	CreatedBy   string    `json:"created_by" doc:"Who uploaded it (email, or a service account's name)."`
	CreatedAt   time.Time `json:"created_at"`
}

// Download is an attachment with a link that downloads it.
type Download struct {
	Attachment
	// URL downloads the file until ExpiresAt (a presigned S3 link; the file
	// is saved under its name rather than shown).
	URL       string    `json:"download_url" format:"uri"`
	ExpiresAt time.Time `json:"download_expires_at"`
}

// Upload is a file to attach to a record's upload field.
type Upload struct {
	RecordID string
	// Field is the upload field (photo_upload_box, audio_upload_box,
	// document_upload_box) of the record's forms.
	Field string
	// FileName is the name the file is downloaded under (no path).
	FileName string
	// ContentType is the declared media type; empty or
	// application/octet-stream: taken from the content.
	ContentType string
	// Size is the exact length of Body, known before it is read (Content-Length).
	Size int64
	Body io.Reader
	// Description and Date (YYYY-MM-DD) are optional.
	Description string
	Date        string
}

// attachment limits in system_settings.
type attachmentLimits struct {
	maxBytes  map[string]int64
	perRecord int
}

func readLimits(ctx context.Context, c *tenancy.Conn) (attachmentLimits, error) {
	var photo, audio, document int64
	var l attachmentLimits
	err := c.QueryRow(ctx, `select attachment_max_photo_bytes, attachment_max_audio_bytes, attachment_max_document_bytes,
		attachments_per_record from system_settings`).Scan(&photo, &audio, &document, &l.perRecord)
	l.maxBytes = map[string]int64{KindPhoto: photo, KindAudio: audio, KindDocument: document}
	return l, err
}

// uploadField is what a call needs of an upload field.
type uploadField struct {
	kind     string
	max      int // attachments the field may list
	readable bool
	writable bool
}

// fieldOf reads field of the record type and module's configuration as the
// subject of c may use it on record recordID (through a referral's access
// role when that is its only way to the case); a field that is not an
// upload field is a 422 on the query parameter field_name.
func (a *Service) fieldOf(ctx context.Context, c *tenancy.Conn, recordType, module, recordID, field string) (uploadField, error) {
	role := ""
	if recordType == records.TypeCase {
		var err error
		if role, err = records.ReferralRole(ctx, c, recordID); err != nil {
			return uploadField{}, err
		}
	}
	var v *forms.Validator
	var err error
	if role != "" {
		v, err = a.forms.ValidatorForRole(ctx, c, recordType, module, role)
	} else {
		v, err = a.forms.Validator(ctx, c, recordType, module)
	}
	if err != nil {
		return uploadField{}, err
	}
	f := v.Field(field)
	kind := ""
	if f != nil {
		kind = fieldKinds[f.Type]
	}
	if kind == "" {
		return uploadField{}, &tenancy.InvalidError{In: "query", Field: "field_name", Value: field,
			Reason: "is not an upload field (photo, audio or document) of this record's forms"}
	}
	uf := uploadField{kind: kind, max: forms.MaxAttachmentsDefault}
	if f.MaxAttachments != nil {
		uf.max = *f.MaxAttachments
	}
	_, uf.readable = v.Readable(map[string]any{field: true})[field]
	uf.writable = slices.Contains(v.WritableFields(), field)
	return uf, nil
}

// notWritable is the refusal of a change to a field the role may not write.
func notWritable(field string) error {
	return &tenancy.InvalidError{In: "query", Field: "field_name", Value: field,
		Reason: "your role may not change this field (its form is read-only for you, or not yours)"}
}

// errChecked ends the check transaction of an upload: it is rolled back on
// purpose, so that the call's audit row is written once, by the
// transaction that records the attachment.
var errChecked = errors.New("checked")

// uploadTo checks, in c, that rec (record recordID, read or locked by the caller) is
// enabled and field one of its upload fields that the caller writes, and
// reads the tenant's limits.
func (a *Service) uploadTo(ctx context.Context, c *tenancy.Conn, recordType, recordID string, rec records.Target, field string) (uploadField, attachmentLimits, error) {
	if !rec.Enabled {
		return uploadField{}, attachmentLimits{}, fmt.Errorf("%w: the record is disabled: enable it before changing it", tenancy.ErrConflict)
	}
	f, err := a.fieldOf(ctx, c, recordType, rec.ModuleID, recordID, field)
	if err != nil {
		return uploadField{}, attachmentLimits{}, err
	}
	if !f.writable {
		return uploadField{}, attachmentLimits{}, notWritable(field)
	}
	limits, err := readLimits(ctx, c)
	return f, limits, err
}

// checkUpload validates an upload before its file is read: the record is
// visible and enabled, the field an upload field the caller writes, the
// size within the tenant's limit for its kind, the declared type one the
// kind accepts, and the counts below the field's and the tenant's limits.
// It returns the media types the file may have.
func (a *Service) checkUpload(ctx context.Context, code, recordType string, in Upload) ([]string, error) {
	var allowed []string
	err := a.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, recordType, in.RecordID)
		rec, err := records.Visible(ctx, c, recordType, in.RecordID)
		if err != nil {
			return err
		}
		f, limits, err := a.uploadTo(ctx, c, recordType, in.RecordID, rec, in.Field)
		if err != nil {
			return err
		}
		if in.Size > limits.maxBytes[f.kind] {
			return &TooLargeError{Size: in.Size, Limit: limits.maxBytes[f.kind], Kind: f.kind}
		}
		allowed = KindTypes[f.kind]
		if d := storage.Canonical(in.ContentType); !slices.Contains([]string{"", "application/octet-stream", "binary/octet-stream"}, d) &&
			!slices.Contains(allowed, d) {
			return &tenancy.InvalidError{In: "header", Field: "Content-Type", Value: in.ContentType,
				Reason: fmt.Sprintf("a %s field takes %s", f.kind, strings.Join(allowed, ", "))}
		}
		return checkCounts(ctx, c, in.RecordID, in.Field, f, limits)
	})
	if err != nil && !errors.Is(err, errChecked) {
		return nil, err
	}
	return allowed, nil
}

// checkCounts refuses an attachment beyond the field's max_attachments or
// the tenant's attachments per record (422).
func checkCounts(ctx context.Context, c *tenancy.Conn, recordID, field string, f uploadField, l attachmentLimits) error {
	var onRecord, onField int
	if err := c.QueryRow(ctx, "select count(*), count(*) filter (where field = $2) from attachments where record_id = $1",
		recordID, field).Scan(&onRecord, &onField); err != nil {
		return err
	}
	switch {
	case onField >= f.max:
		return &tenancy.InvalidError{In: "query", Field: "field_name", Value: field,
			Reason: fmt.Sprintf("this field holds at most %d attachments: remove one first", f.max)}
	case onRecord >= l.perRecord:
		return &tenancy.InvalidError{In: "query", Field: "field_name", Value: field,
			Reason: fmt.Sprintf("a record holds at most %d attachments: remove one first", l.perRecord)}
	}
	return errChecked
}

// checkUploadInput checks what an upload says of itself.
func checkUploadInput(in *Upload) error {
	var errs []tenancy.FieldError
	in.FileName = strings.TrimSpace(in.FileName)
	switch name := in.FileName; {
	case name == "" || utf8.RuneCountInString(name) > 255 || !utf8.ValidString(name):
		errs = append(errs, tenancy.FieldError{Path: "file_name", Reason: "give the file's name, at most 255 characters", Value: name})
	case strings.ContainsAny(name, "/\\") || strings.IndexFunc(name, unicode.IsControl) >= 0 || strings.Trim(name, ".") == "":
		errs = append(errs, tenancy.FieldError{Path: "file_name", Reason: "must be a file name: no path, no control characters", Value: name})
	}
	if utf8.RuneCountInString(in.Description) > 1000 {
		errs = append(errs, tenancy.FieldError{Path: "description", Reason: "at most 1000 characters"})
	}
	if in.Date != "" {
		if _, err := time.Parse(time.DateOnly, in.Date); err != nil {
			errs = append(errs, tenancy.FieldError{Path: "date", Reason: "must be a date (YYYY-MM-DD)", Value: in.Date})
		}
	}
	if len(errs) > 0 {
		fe := errs[0]
		return &tenancy.InvalidError{In: "query", Field: fe.Path, Reason: fe.Reason, Value: fe.Value}
	}
	return nil
}

// Add stores an uploaded file and attaches it to the record's upload
// field: the checks of checkUpload first (nothing read yet), then the file
// streamed to storage (its type checked by content: *storage.TypeError), then
// one transaction that records it, appends its id to the field's value,
// bumps the record's version and writes the change log (attachment_added)
// and the audit row (with the attachment id). If that transaction fails the
// file is deleted again.
func (a *Service) Add(ctx context.Context, code, recordType string, in Upload) (Attachment, error) {
	if err := a.authorize(ctx, code, recordType, true); err != nil {
		return Attachment{}, err
	}
	if a.store == nil {
		return Attachment{}, ErrNoStorage
	}
	if !isID(in.RecordID) {
		return Attachment{}, tenancy.ErrNotFound
	}
	if err := checkUploadInput(&in); err != nil {
		return Attachment{}, err
	}
	allowed, err := a.checkUpload(ctx, code, recordType, in)
	if err != nil {
		return Attachment{}, err
	}
	id := uuid.NewString()
	key := attachmentKey(in.RecordID, id)
	h := sha256.New()
	obj, err := a.store.PutTyped(ctx, code, key, io.TeeReader(in.Body, h), in.Size, in.ContentType, allowed)
	if err != nil {
		return Attachment{}, err
	}
	sum := h.Sum(nil)
	var out Attachment
	err = a.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, recordType, in.RecordID)
		if err := c.AuditChange(ctx, "", map[string]any{"attachment_id": id, "field_name": in.Field}); err != nil {
			return err
		}
		cur, err := records.Lock(ctx, c, recordType, in.RecordID)
		if err != nil {
			return err
		}
		f, limits, err := a.uploadTo(ctx, c, recordType, in.RecordID, cur, in.Field)
		if err != nil {
			return err
		}
		// Again, under the record's lock: concurrent uploads are counted.
		if err := checkCounts(ctx, c, in.RecordID, in.Field, f, limits); !errors.Is(err, errChecked) {
			return err
		}
		var date any
		if in.Date != "" {
			date = in.Date
		}
		writer, err := records.WriterName(ctx, c)
		if err != nil {
			return err
		}
		err = c.QueryRow(ctx, `insert into attachments (id, record_id, field, file_name, content_type, size, sha256, description, date, created_by)
			values ($1, $2, $3, $4, $5, $6, $7, nullif($8, ''), $9, $10)
			returning id::text, record_id::text, field, file_name, content_type, size, sha256, coalesce(description, ''),
				coalesce(date::text, ''), created_by, created_at`,
			id, in.RecordID, in.Field, in.FileName, obj.ContentType, obj.Size, sum, in.Description, date, writer).
			Scan(attachmentDest(&out)...)
		if err != nil {
			return err
		}
		out.RecordType = recordType
		old, _ := cur.Data[in.Field].([]any)
		next := append(slices.Clone(old), id)
		return records.SetFieldList(ctx, c, in.RecordID, in.Field, old, next, "attachment_added")
	})
	if err != nil {
		if derr := a.store.Delete(context.WithoutCancel(ctx), code, key); derr != nil {
			a.log.ErrorContext(ctx, "attachment file left behind after a failed upload", "tenant", code, "key", key, "error", derr)
		}
		return Attachment{}, err
	}
	return out, nil
}

// attachmentKey is the storage key of an attachment's file.
func attachmentKey(recordID, id string) string { return keyRoot + "/" + recordID + "/" + id }

// RecordFilesKey is the storage key prefix of every file of a record
// (storage.Store.DeleteUnder), for the erasure of a record's data.
func RecordFilesKey(recordID string) string { return keyRoot + "/" + recordID }

const attachmentColumns = `a.id::text, a.record_id::text, a.field, a.file_name, a.content_type, a.size, a.sha256,
	coalesce(a.description, ''), coalesce(a.date::text, ''), a.created_by, a.created_at`

func attachmentDest(a *Attachment) []any {
	return []any{&a.ID, &a.RecordID, &a.FieldName, &a.FileName, &a.ContentType, &a.Size, (*hexBytes)(&a.SHA256),
		&a.Description, &a.Date, &a.CreatedBy, &a.CreatedAt}
}

// hexBytes scans bytea as hex text.
type hexBytes string

// Scan implements sql.Scanner (pgx scans bytea into it).
func (h *hexBytes) Scan(src any) error {
	b, ok := src.([]byte)
	if !ok {
		return fmt.Errorf("sha256: expected bytes, got %T", src)
	}
	*h = hexBytes(hex.EncodeToString(b))
	return nil
}

// List returns the attachments of a record on the fields the caller may
// read, oldest first.
func (a *Service) List(ctx context.Context, code, recordType, recordID string) ([]Attachment, error) {
	if err := a.authorize(ctx, code, recordType, false); err != nil {
		return nil, err
	}
	if !isID(recordID) {
		return nil, tenancy.ErrNotFound
	}
	out := []Attachment{}
	err := a.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, recordType, recordID)
		rec, err := records.Visible(ctx, c, recordType, recordID)
		if err != nil {
			return err
		}
		rows, err := c.Query(ctx, "select "+attachmentColumns+" from attachments a where a.record_id = $1 order by a.created_at, a.id", recordID)
		if err != nil {
			return err
		}
		all, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Attachment, error) {
			var x Attachment
			x.RecordType = recordType
			return x, row.Scan(attachmentDest(&x)...)
		})
		if err != nil {
			return err
		}
		fields := map[string]bool{}
		for _, x := range all {
			ok, known := fields[x.FieldName]
			if !known {
				f, err := a.fieldOf(ctx, c, recordType, rec.ModuleID, recordID, x.FieldName)
				ok = err == nil && f.readable
				fields[x.FieldName] = ok
			}
			if ok {
				out = append(out, x)
			}
		}
		ids := make([]string, len(out))
		for i, x := range out {
			ids[i] = x.ID
		}
		return c.AuditChange(ctx, "", map[string]any{"attachment_ids": ids})
	})
	return out, err
}

// lookup reads an attachment of a record visible to the subject of c, on a
// field it may read (else ErrNotFound), and the record's field.
func (a *Service) lookup(ctx context.Context, c *tenancy.Conn, recordType, module, recordID, id string) (Attachment, uploadField, error) {
	x := Attachment{RecordType: recordType}
	err := c.QueryRow(ctx, "select "+attachmentColumns+" from attachments a where a.record_id = $1 and a.id = $2", recordID, id).
		Scan(attachmentDest(&x)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return x, uploadField{}, tenancy.ErrNotFound
	}
	if err != nil {
		return x, uploadField{}, err
	}
	f, err := a.fieldOf(ctx, c, recordType, module, recordID, x.FieldName)
	var ie *tenancy.InvalidError
	if errors.As(err, &ie) || (err == nil && !f.readable) {
		return x, f, tenancy.ErrNotFound // no longer an upload field, or a form the caller cannot read
	}
	return x, f, err
}

// Get returns an attachment with a short-lived download link (audited with
// the attachment's id: the link gives the file to whoever holds it).
func (a *Service) Get(ctx context.Context, code, recordType, recordID, id string) (Download, error) {
	if err := a.authorize(ctx, code, recordType, false); err != nil {
		return Download{}, err
	}
	if a.store == nil {
		return Download{}, ErrNoStorage
	}
	if !isID(recordID) || !isID(id) {
		return Download{}, tenancy.ErrNotFound
	}
	var out Download
	err := a.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, recordType, recordID)
		if err := c.AuditChange(ctx, "", map[string]any{"attachment_id": id}); err != nil {
			return err
		}
		rec, err := records.Visible(ctx, c, recordType, recordID)
		if err != nil {
			return err
		}
		if out.Attachment, _, err = a.lookup(ctx, c, recordType, rec.ModuleID, recordID, id); err != nil {
			return err
		}
		out.ExpiresAt = time.Now().Add(a.store.Config().PresignTTL).UTC().Truncate(time.Second)
		out.URL, err = a.store.PresignGet(ctx, code, attachmentKey(recordID, id), out.FileName)
		return err
	})
	return out, err
}

// Delete removes an attachment: its row and its id from the field's value
// (a new version, change log attachment_removed, audit row with its id) in
// one transaction, then its file. A file whose deletion fails after the
// commit is unreachable (no row names it) and logged.
func (a *Service) Delete(ctx context.Context, code, recordType, recordID, id string) error {
	if err := a.authorize(ctx, code, recordType, true); err != nil {
		return err
	}
	if a.store == nil {
		return ErrNoStorage
	}
	if !isID(recordID) || !isID(id) {
		return tenancy.ErrNotFound
	}
	err := a.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, recordType, recordID)
		if err := c.AuditChange(ctx, "", map[string]any{"attachment_id": id}); err != nil {
			return err
		}
		cur, err := records.Lock(ctx, c, recordType, recordID)
		if err != nil {
			return err
		}
		x, f, err := a.lookup(ctx, c, recordType, cur.ModuleID, recordID, id)
		if err != nil {
			return err
		}
		if !cur.Enabled {
			return fmt.Errorf("%w: the record is disabled: enable it before changing it", tenancy.ErrConflict)
		}
		if !f.writable {
			return notWritable(x.FieldName)
		}
		if _, err := c.Exec(ctx, "delete from attachments where id = $1", id); err != nil {
			return err
		}
		old, _ := cur.Data[x.FieldName].([]any)
		next := slices.DeleteFunc(slices.Clone(old), func(v any) bool { return v == id })
		return records.SetFieldList(ctx, c, recordID, x.FieldName, old, next, "attachment_removed")
	})
	if err != nil {
		return err
	}
	if err := a.store.Delete(context.WithoutCancel(ctx), code, attachmentKey(recordID, id)); err != nil {
		a.log.ErrorContext(ctx, "attachment file left behind after its deletion", "tenant", code, "record_id", recordID,
			"attachment_id", id, "error", err)
	}
	return nil
}

// eraseAttempts is how many times DeleteRecordFiles runs DeleteUnder before
// it leaves the rest to the orphan cleanup.
const eraseAttempts = 3

// DeleteRecordFiles removes every file (every version) of an erased record
// (records.Config.OnErased), after the erasure's commit: no row names them
// any more. DeleteUnder resumes where it stopped, so a failure is retried
// at once a few times; files still left are logged and removed by
// CleanOrphans once past its grace period.
func (a *Service) DeleteRecordFiles(ctx context.Context, code, recordType, recordID string) {
	if a.store == nil {
		return // no storage: the record can have had no files
	}
	var err error
	for range eraseAttempts {
		if _, err = a.store.DeleteUnder(ctx, code, RecordFilesKey(recordID)); err == nil {
			return
		}
	}
	a.log.ErrorContext(ctx, "files of an erased record left behind (the orphan cleanup removes them)", "tenant", code,
		"record_type", recordType, "record_id", recordID, "error", err)
}
