package records

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Config configures a Service.
type Config struct {
	// Schemas validates written data and filters read data by the caller's
	// form access (package forms). Defaults to accepting any field (no
	// configuration), which only tests of the merge code should rely on.
	Schemas Schemas
	// OnWrite, when set, is called in the transaction of every write of a
	// record (create, update, disable, enable), after the write: other
	// domains queue their work there (FTR matching), all or nothing with the
	// write. An error rolls the write back.
	OnWrite func(ctx context.Context, c *tenancy.Conn, w Written) error
	// OnWriteRead, when set, is a value the OnWrite hook reads in the
	// transaction of an update, disable or enable: the statement that locks
	// the record selects it too, instead of the hook spending a round trip
	// on it (docs/records.md, Session 24).
	OnWriteRead *NotedRead
	// OnErased, when set, is called after the commit of a record's erasure
	// (Erase), with a context that is not cancelled: other domains remove
	// what lives outside the database (the record's files).
	OnErased func(ctx context.Context, code, recordType, id string)
}

// NotedRead is a value another domain reads in a record write's
// transaction (Config.OnWriteRead), selected beside the record's lock and
// kept on the transaction (tenancy.Conn.Note) under Key: a value of an
// unexported type of that domain's package. The note's value is a *string:
// nil when SQL gave NULL.
type NotedRead struct {
	Key any
	// SQL is a scalar expression on the tenant's tables whose value is text
	// or NULL, e.g. "(select x::text from t)".
	SQL string
}

// Written is one write of a record, as Config.OnWrite sees it.
type Written struct {
	RecordType, ID string
	// Action is create, update, disable or enable.
	Action  string
	Changes []FieldChange
}

// Service reads and writes the records of every tenant. Every method checks
// its permission (fail closed), runs one tenant transaction and names the
// record on the call's audit row. Safe for concurrent use.
type Service struct {
	p           *tenancy.Platform
	schemas     Schemas
	onWrite     func(ctx context.Context, c *tenancy.Conn, w Written) error
	onWriteRead *NotedRead
	onErased    func(ctx context.Context, code, recordType, id string)
}

// New returns a Service on platform p.
func New(p *tenancy.Platform, cfg Config) *Service {
	if cfg.Schemas == nil {
		cfg.Schemas = openSchemas{}
	}
	return &Service{p: p, schemas: cfg.Schemas, onWrite: cfg.OnWrite, onWriteRead: cfg.OnWriteRead, onErased: cfg.OnErased}
}

// written calls the OnWrite hook.
func (s *Service) written(ctx context.Context, c *tenancy.Conn, recordType, id, action string, changes []FieldChange) error {
	if s.onWrite == nil {
		return nil
	}
	return s.onWrite(ctx, c, Written{RecordType: recordType, ID: id, Action: action, Changes: changes})
}

// ErrPreconditionRequired: an update named neither the version it changes
// (If-Match) nor the version it was edited from (X-Base-Version).
var ErrPreconditionRequired = errors.New("an update needs If-Match (the version it changes) or X-Base-Version (the version it was edited from)")

// StaleError: If-Match named a version that is not the record's current one.
type StaleError struct {
	Current int64
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("the record changed: it is at version %d; read it again, or send X-Base-Version to merge", e.Current)
}

// ConflictError: a merge found fields changed both since the base version
// and by the client, to different values. Nothing was applied.
type ConflictError struct {
	Current   int64
	Conflicts []Conflict
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%d fields were changed both by others since your base version and by you; nothing was applied", len(e.Conflicts))
}

func checkType(recordType string) error {
	if !slices.Contains(Types, recordType) {
		return &tenancy.InvalidError{Field: "record_type", Value: recordType, Reason: "must be case, tracing_request or incident"}
	}
	return nil
}

// caller is what a call knows of its subject for presenting records.
type caller struct {
	s          *Service
	c          *tenancy.Conn
	recordType string
	viewHidden bool
	schemas    map[string]Schema
	// roles are the referral roles of records the caller reaches only
	// through a referral (resolveRoles); asRole caches their schemas by
	// module and role.
	roles  map[string]string
	asRole map[[2]string]Schema
}

func (s *Service) caller(ctx context.Context, code, recordType string) *caller {
	return &caller{s: s, recordType: recordType, viewHidden: s.p.Authorize(ctx, code, permsOf(recordType).viewHidden) == nil,
		schemas: map[string]Schema{}}
}

func (cl *caller) schema(ctx context.Context, module string) (Schema, error) {
	if sch := cl.schemas[module]; sch != nil {
		return sch, nil
	}
	sch, err := cl.s.schemas.Schema(ctx, cl.c, cl.recordType, module)
	if err != nil {
		return nil, err
	}
	cl.schemas[module] = sch
	return sch, nil
}

// masked reports whether the caller sees a record's name fields masked.
func (cl *caller) masked(hidden bool, ownerID string) bool {
	return hidden && !cl.viewHidden && (ownerID == "" || ownerID != cl.c.Subject().ID)
}

// present turns a stored record into what the caller may see: calculated
// values computed, only readable fields, names masked where hidden.
func (cl *caller) present(ctx context.Context, r *Record) error {
	sch, err := cl.recordSchema(ctx, r.ID, r.ModuleID)
	if err != nil {
		return err
	}
	r.Data = sch.Readable(sch.Calculate(r.Data))
	if cl.masked(r.HiddenName, r.OwnerID) {
		maskNames(r.Data)
	}
	return nil
}

// maskNames masks the name fields of d and of its subform rows, in place.
func maskNames(d map[string]any) {
	for k, v := range d {
		switch {
		case slices.Contains(NameFields, k):
			if v != nil && v != "" {
				d[k] = HiddenNameMask
			}
		default:
			if list, ok := v.([]any); ok {
				masked := make([]any, len(list))
				for i, x := range list {
					if row, ok := x.(map[string]any); ok {
						row = maps.Clone(row)
						maskNames(row)
						masked[i] = row
					} else {
						masked[i] = x
					}
				}
				d[k] = masked
			}
		}
	}
}

// unmask replaces, in a body written by a caller who sees masked names,
// the masked values (sent back as read) with the stored ones, so that
// sending back a record never overwrites a hidden name with the mask.
func unmask(body, stored Data) {
	restore := func(dst, src map[string]any) {
		for _, f := range NameFields {
			if dst[f] == HiddenNameMask {
				if v, ok := src[f]; ok {
					dst[f] = v
				} else {
					delete(dst, f)
				}
			}
		}
	}
	restore(body, stored)
	for k, v := range body {
		list, ok := v.([]any)
		if !ok {
			continue
		}
		old, _ := stored[k].([]any)
		for _, x := range list {
			if row, ok := x.(map[string]any); ok {
				src := map[string]any{}
				if id, ok := row["unique_id"].(string); ok {
					if at := rowIndex(old, id); at >= 0 {
						src = old[at].(map[string]any)
					}
				}
				restore(row, src)
			}
		}
	}
}

// readable reports whether the caller may read field (its form).
func readable(sch Schema, field string) bool {
	_, ok := sch.Readable(Data{field: true})[field]
	return ok
}

// subforms returns which fields hold rows: the schema's, or for the open
// schema the shape of the values.
func subforms(sch Schema, datas ...Data) func(string) bool {
	if _, open := sch.(openSchema); open {
		return shapeSubforms(datas...)
	}
	return sch.Subform
}

// createCore is what a create body sets besides fields.
type createCore struct {
	id, module string
	hidden     bool
	// chosen: the client chose the id (a replay may find it written).
	chosen bool
}

// splitCreate separates the core attributes a create may set from the fields.
func splitCreate(body Data) (createCore, Data, []tenancy.FieldError) {
	var core createCore
	var errs []tenancy.FieldError
	data := Data{}
	for k, v := range body {
		switch {
		case k == "id":
			s, _ := v.(string)
			if s = strings.ToLower(s); !isUUID(s) {
				errs = append(errs, tenancy.FieldError{Path: "data.id", Reason: "must be a UUID (or left out: the server then chooses one)", Value: v})
			}
			core.id, core.chosen = s, true
		case k == "module_id":
			if s, ok := v.(string); ok && s != "" {
				core.module = s
			} else {
				errs = append(errs, tenancy.FieldError{Path: "data.module_id", Reason: "must be a module's unique_id", Value: v})
			}
		case k == "hidden_name":
			b, ok := v.(bool)
			if !ok {
				errs = append(errs, tenancy.FieldError{Path: "data.hidden_name", Reason: "must be true or false", Value: v})
			}
			core.hidden = b
		case isCoreAttribute(k):
			errs = append(errs, tenancy.FieldError{Path: "data." + k, Reason: "is set by the server: leave it out"})
		default:
			data[k] = v
		}
	}
	if core.id == "" && len(errs) == 0 {
		core.id = newUUID()
	}
	return core, data, errs
}

// splitUpdate separates hidden_name from the fields of an update body;
// other core attributes are ignored (a client may send back what it read).
func splitUpdate(body Data) (*bool, Data, []tenancy.FieldError) {
	var hidden *bool
	var errs []tenancy.FieldError
	data := Data{}
	for k, v := range body {
		switch {
		case k == "hidden_name":
			if b, ok := v.(bool); ok {
				hidden = &b
			} else {
				errs = append(errs, tenancy.FieldError{Path: "data.hidden_name", Reason: "must be true or false", Value: v})
			}
		case isCoreAttribute(k):
		default:
			data[k] = v
		}
	}
	return hidden, data, errs
}

// rowsForWrite checks the rows of a whole-data body (create, PUT): each an
// object, "_destroy" refused (send the rows to keep), rows without a
// unique_id given one. Indexes are the body's.
func rowsForWrite(data Data, subform func(string) bool) []tenancy.FieldError {
	var errs []tenancy.FieldError
	for _, k := range slices.Sorted(maps.Keys(data)) {
		list, ok := data[k].([]any)
		if !ok || !subform(k) {
			continue
		}
		for i, x := range list {
			if row, ok := x.(map[string]any); ok {
				if _, marked := row[rowMark]; marked {
					errs = append(errs, tenancy.FieldError{Path: fmt.Sprintf("data.%s[%d].%s", k, i, rowMark),
						Reason: "is for PATCH: here send the rows to keep"})
				}
			}
		}
	}
	return errs
}

// replaceData returns base with the fields the caller may read replaced by
// body (PUT): readable fields left out are removed, the others kept (and
// masked names kept unless a new value is sent).
func replaceData(base, body Data, sch Schema, subform func(string) bool, masked bool) (Data, []tenancy.FieldError) {
	errs := rowsForWrite(body, subform)
	next := Data{}
	for k, v := range base {
		if !readable(sch, k) || (masked && slices.Contains(NameFields, k)) {
			next[k] = v
		}
	}
	patched, bad := applyPatch(next, body, subform)
	return patched, append(errs, bad...)
}

// remapRowPaths rewrites the paths of problems found in written's subform
// rows (data.<subform>[<index in written>]...) to the index of the row in
// the body sent (sent), so that every problem points into the request.
func remapRowPaths(errs []tenancy.FieldError, written, sent Data) {
	re := regexp.MustCompile(`^data\.([a-z][a-z0-9_]*)\[(\d+)\]`)
	for i, e := range errs {
		m := re.FindStringSubmatch(e.Path)
		if m == nil {
			continue
		}
		rows, _ := written[m[1]].([]any)
		n, _ := strconv.Atoi(m[2])
		if n >= len(rows) {
			continue
		}
		row, _ := rows[n].(map[string]any)
		body, _ := sent[m[1]].([]any)
		if at := rowIndex(body, rowID(row)); at >= 0 {
			errs[i].Path = fmt.Sprintf("data.%s[%d]", m[1], at) + e.Path[len(m[0]):]
		}
	}
}

// dropCalculated removes the calculated fields a client sent back: the
// server computes them.
func dropCalculated(sch Schema, data Data) {
	if cs, ok := sch.(interface{ Calculated(string) bool }); ok {
		for k := range data {
			if cs.Calculated(k) {
				delete(data, k)
			}
		}
	}
}

// invalid wraps field errors as the record type's validation error.
func invalid(recordType string, errs []tenancy.FieldError) error {
	title := map[string]string{TypeCase: "The case is not valid.", TypeTracingRequest: "The tracing request is not valid.",
		TypeIncident: "The incident is not valid."}[recordType]
	slices.SortStableFunc(errs, func(a, b tenancy.FieldError) int { return strings.Compare(a.Path, b.Path) })
	return &tenancy.ValidationError{Title: title, Errors: errs}
}

// digestOf identifies a create request: who, what type, from which case,
// which body (canonical JSON: keys sorted).
func digestOf(s policy.Subject, recordType, caseID string, body Data) []byte {
	j, _ := json.Marshal(body)
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n", s, recordType, caseID)
	h.Write(j)
	return h.Sum(nil)
}

// CreateInput is a record to create.
type CreateInput struct {
	// Body is the request's flat object: the fields, and optionally id
	// (chosen by offline clients), module_id and hidden_name.
	Body Data
	// Owner is, for named system actors (imports, seeds), the id of the
	// user who owns the record. Users and service accounts own what they
	// create.
	Owner string
}

// Create creates a record of recordType as the acting subject, who owns
// it. A client-supplied id makes it idempotent: the same request again
// (same subject, same body) returns the record (replayed true) instead of a
// second one; another request with that id is ErrConflict.
func (s *Service) Create(ctx context.Context, code, recordType string, in CreateInput) (Record, bool, error) {
	return s.create(ctx, code, recordType, "", in)
}

// CreateIncidentFromCase creates an incident linked to case caseID (its
// case_id; the case lists it in incident_ids). The caller must see the
// case (cases:read, within scope) and write incidents.
func (s *Service) CreateIncidentFromCase(ctx context.Context, code, caseID string, in CreateInput) (Record, bool, error) {
	if err := s.p.Authorize(ctx, code, permsOf(TypeCase).read); err != nil {
		return Record{}, false, err
	}
	if !isUUID(caseID) {
		return Record{}, false, tenancy.ErrNotFound
	}
	return s.create(ctx, code, TypeIncident, caseID, in)
}

func (s *Service) create(ctx context.Context, code, recordType, caseID string, in CreateInput) (Record, bool, error) {
	if err := checkType(recordType); err != nil {
		return Record{}, false, err
	}
	if err := s.p.Authorize(ctx, code, permsOf(recordType).write); err != nil {
		return Record{}, false, err
	}
	sub, _ := policy.SubjectFrom(ctx)
	digest := digestOf(sub, recordType, caseID, in.Body)
	core, data, errs := splitCreate(in.Body)
	if len(errs) > 0 {
		return Record{}, false, invalid(recordType, errs)
	}
	cl := s.caller(ctx, code, recordType)
	var out Record
	var replayed bool
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		cl.c = c
		c.AuditRecord(ctx, recordType, core.id)
		var err error
		// An id the server chose is new: no replay to look for.
		if core.chosen {
			if replayed, err = replay(ctx, c, recordType, core.id, digest); replayed || err != nil {
				if err == nil {
					out, err = getRecord(ctx, c, recordType, core.id)
					if errors.Is(err, tenancy.ErrNotFound) { // e.g. transferred since
						err = fmt.Errorf("%w: a record with this id exists", tenancy.ErrConflict)
					}
				}
				if err != nil {
					return err
				}
				return cl.present(ctx, &out)
			}
		}
		if caseID != "" {
			if _, err := getRecord(ctx, c, TypeCase, caseID); err != nil {
				return err
			}
		}
		owner, err := ownerOf(ctx, c, in.Owner)
		if err != nil {
			return err
		}
		module, err := moduleOf(ctx, c, recordType, core.module)
		if err != nil {
			return err
		}
		sch, err := cl.schema(ctx, module)
		if err != nil {
			return err
		}
		dropCalculated(sch, data)
		subform := subforms(sch, data)
		errs := rowsForWrite(data, subform)
		next, bad := applyPatch(nil, data, subform)
		errs = append(errs, bad...)
		if notesWritten(recordType, diff(nil, next, subform)) {
			errs = append(errs, errNotesByAPI)
		}
		checked, err := sch.Check(ctx, c, nil, next)
		if err != nil {
			return err
		}
		remapRowPaths(checked, next, data)
		if errs = append(errs, checked...); len(errs) > 0 {
			return invalid(recordType, errs)
		}
		phones := phoneRuleOf(ctx, c)
		x := extract(recordType, sch.Calculate(next), sch, phones)
		if err := phones.Err(); err != nil {
			return err
		}
		var caseRef any
		if caseID != "" {
			caseRef = caseID
		}
		changes := diff(nil, next, subform)
		if core.hidden {
			changes = append([]FieldChange{{Path: "hidden_name", From: false, To: true}}, changes...)
		}
		history, err := historyJSON(changes)
		if err != nil {
			return err
		}
		// The record, its owner row, its history entry, the record as
		// created and the call's audit row in one statement (one round
		// trip). The creator owns it: no referral role.
		cl.knowRole(core.id, nil)
		out, err = readCreated(ctx, c, `with written as (insert into records (id, short_id, record_type, module_id, hidden_name, case_id, data, created_by,
				updated_by, create_digest, name_keys, name_keys_version, name_folded, id_values, sex, age, date_of_birth,
				registration_date, risk_level, location_current, filters)
			values ($3, records_short_id(), $4, $5, $6, $7, $8, `+actorName+`, `+actorName+`, $9, $10, `+keysVersion+`, $11, $12, $13,
				$14, $15, $16, $17, `+locationPath("$18")+`, $19)
			on conflict (id) do nothing returning *),
			owner as (insert into record_access (record_id, user_id, kind) select id, $20::uuid, 'owner' from written),
			`+historyCTE("written", "'create'", "$21"), "$20",
			[]any{subjectID(sub), sub.String(), core.id, recordType, module, core.hidden, caseRef, next, digest,
				x.NameKeys, x.NameFolded, x.IDValues, x.Sex, x.Age, x.DateOfBirth, x.Registration, x.RiskLevel, x.Location, x.Filters,
				owner, history})
		if errors.Is(err, tenancy.ErrNotFound) { // created meanwhile by a concurrent request
			ok, err := replay(ctx, c, recordType, core.id, digest)
			if err == nil && ok {
				replayed = true
				out, err = getRecord(ctx, c, recordType, core.id)
			}
			if err != nil {
				return err
			}
			return cl.present(ctx, &out)
		}
		if err != nil {
			return err
		}
		if recordType == TypeTracingRequest {
			if err := syncTraceRows(ctx, c, core.id, next, data); err != nil {
				return err
			}
		}
		if err := s.written(ctx, c, recordType, core.id, "create", changes); err != nil {
			return err
		}
		return cl.present(ctx, &out)
	})
	if err != nil {
		return Record{}, false, err
	}
	return out, replayed, nil
}

// replay looks for a record with id: none, false; one made by the same
// request (digest), true; anything else, ErrConflict.
func replay(ctx context.Context, c *tenancy.Conn, recordType, id string, digest []byte) (bool, error) {
	var rt string
	var d []byte
	err := c.QueryRow(ctx, "select record_type, create_digest from records where id = $1", id).Scan(&rt, &d)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return false, nil
	case err != nil:
		return false, err
	case rt != recordType || !bytes.Equal(d, digest):
		return false, fmt.Errorf("%w: a record with this id exists, created by another request", tenancy.ErrConflict)
	}
	return true, nil
}

// ownerOf returns who owns a record created by the transaction's subject:
// the subject itself, or for a system actor the given owner (who must exist).
func ownerOf(ctx context.Context, c *tenancy.Conn, owner string) (string, error) {
	if id := subjectID(c.Subject()); id != nil {
		return id.(string), nil
	}
	var exists bool
	if isUUID(owner) {
		if err := c.QueryRow(ctx, "select exists (select from principals where id = $1)", owner).Scan(&exists); err != nil {
			return "", err
		}
	}
	if !exists {
		return "", &tenancy.InvalidError{Field: "owner", Value: owner, Reason: "a record created by the system needs an owner: a user of the tenant"}
	}
	return owner, nil
}

// moduleOf checks the module a record is created in, or picks the only
// enabled module of the record type when none is given.
func moduleOf(ctx context.Context, c *tenancy.Conn, recordType, module string) (string, error) {
	// The configuration version too, for the validator (forms.NoteVersion).
	rows, err := c.Query(ctx, "select unique_id, "+forms.VersionSQL+" from modules where enabled and $1 = any(associated_record_types) order by position, unique_id", recordType)
	if err != nil {
		return "", err
	}
	var modules []string
	var m string
	var version int64
	if _, err := pgx.ForEachRow(rows, []any{&m, &version}, func() error { modules = append(modules, m); return nil }); err != nil {
		return "", err
	}
	if len(modules) > 0 {
		forms.NoteVersion(c, version)
	}
	switch {
	case module == "" && len(modules) == 1:
		return modules[0], nil
	case module == "":
		return "", &tenancy.InvalidError{Field: "data.module_id", Reason: "choose the module: one of " + strings.Join(modules, ", ")}
	case !slices.Contains(modules, module):
		return "", &tenancy.InvalidError{Field: "data.module_id", Value: module, Reason: "is not an enabled module of this record type"}
	}
	return module, nil
}

// syncTraceRows mirrors next's trace rows; problems point into sent.
func syncTraceRows(ctx context.Context, c *tenancy.Conn, trID string, next, sent Data) error {
	rows, ok := rowsOf(next[TraceSubform])
	if !ok {
		return nil
	}
	return syncTraces(ctx, c, trID, rows, func(id string) string {
		list, _ := sent[TraceSubform].([]any)
		return fmt.Sprintf("data.%s[%d]", TraceSubform, rowIndex(list, id))
	})
}

// Get returns a record visible to the caller (else ErrNotFound).
func (s *Service) Get(ctx context.Context, code, recordType, id string) (Record, error) {
	if err := checkType(recordType); err != nil {
		return Record{}, err
	}
	if err := s.p.Authorize(ctx, code, permsOf(recordType).read); err != nil {
		return Record{}, err
	}
	if !isUUID(id) {
		return Record{}, tenancy.ErrNotFound
	}
	cl := s.caller(ctx, code, recordType)
	var out Record
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		cl.c = c
		c.AuditRecord(ctx, recordType, id)
		var err error
		if out, err = readRecord(ctx, cl, id); err != nil {
			return err
		}
		// A receiver who reaches the case only through a referral reads it
		// through the referral's access role (docs/workflows.md).
		if err := cl.resolveRoles(ctx, id); err != nil {
			return err
		}
		return cl.present(ctx, &out)
	})
	return out, err
}

// UpdateInput is a change of a record's data.
type UpdateInput struct {
	ID string
	// Body is the request's flat object (fields, hidden_name; other core
	// attributes are ignored).
	Body Data
	// Replace: the body is the record's whole data (PUT): readable fields
	// left out are removed. Otherwise only the fields sent change (PATCH).
	Replace bool
	// IfMatch lists the versions the change applies to (If-Match); nil if
	// not sent.
	IfMatch []int64
	// BaseVersion is the version the client edited from (X-Base-Version),
	// to merge with what changed since; 0 if not sent.
	BaseVersion int64
}

// Update changes a record's data. With IfMatch, the record must be at one
// of its versions (else *StaleError). With BaseVersion, the client's
// changes from that version are merged with the changes made since (from
// the record's history): applied when no field changed on both sides to
// different values, else *ConflictError and nothing applied. The result is
// validated as the caller writes it (422 listing every bad value). Every
// write bumps the version and appends the change log; a change that changes
// nothing writes nothing.
func (s *Service) Update(ctx context.Context, code, recordType string, in UpdateInput) (Record, error) {
	if err := checkType(recordType); err != nil {
		return Record{}, err
	}
	if err := s.p.Authorize(ctx, code, permsOf(recordType).write); err != nil {
		return Record{}, err
	}
	if in.IfMatch == nil && in.BaseVersion == 0 {
		return Record{}, ErrPreconditionRequired
	}
	if !isUUID(in.ID) {
		return Record{}, tenancy.ErrNotFound
	}
	hidden, data, errs := splitUpdate(in.Body)
	if len(errs) > 0 {
		return Record{}, invalid(recordType, errs)
	}
	var out Record
	err := s.lockedWrite(ctx, code, recordType, in.ID, func(ctx context.Context, c *tenancy.Conn, cl *caller, cur stored) error {
		switch {
		case !cur.Enabled:
			return fmt.Errorf("%w: the record is disabled: enable it before changing it", tenancy.ErrConflict)
		case in.BaseVersion > cur.Version:
			return &tenancy.InvalidError{In: "header", Field: "X-Base-Version", Value: in.BaseVersion,
				Reason: fmt.Sprintf("is newer than the record (version %d)", cur.Version)}
		case in.BaseVersion == 0 && !slices.Contains(in.IfMatch, cur.Version):
			return &StaleError{Current: cur.Version}
		}
		// A receiver who reaches the case only through a referral writes
		// the forms its access role writes (else 422 naming the field).
		if err := cl.resolveRoles(ctx, in.ID); err != nil {
			return err
		}
		sch, err := cl.recordSchema(ctx, in.ID, cur.ModuleID)
		if err != nil {
			return err
		}
		dropCalculated(sch, data)
		masked := cl.masked(cur.HiddenName, cur.OwnerID)
		base := cur.Data
		if in.BaseVersion > 0 && in.BaseVersion < cur.Version {
			since, err := changesSince(ctx, c, in.ID, in.BaseVersion)
			if err != nil {
				return err
			}
			base = undo(cur.Data, since)
		}
		if masked {
			unmask(data, base)
		}
		subform := subforms(sch, cur.Data, data)
		var mine Data
		var errs []tenancy.FieldError
		if in.Replace {
			mine, errs = replaceData(base, data, sch, subform, masked)
		} else {
			mine, errs = applyPatch(base, data, subform)
		}
		yours := diff(base, mine, subform)
		if len(errs) == 0 && in.BaseVersion > 0 && in.BaseVersion < cur.Version {
			if cs := conflicts(diff(base, cur.Data, subform), yours); len(cs) > 0 {
				if errs := unreadableChanges(sch, cs); len(errs) > 0 {
					// A conflict would show others' values of forms the caller
					// cannot read: refuse the change as validation would.
					return invalid(recordType, errs)
				}
				return &ConflictError{Current: cur.Version, Conflicts: cl.presentConflicts(sch, cs, masked)}
			}
		}
		next := cloneData(cur.Data)
		for _, y := range yours {
			applyChange(next, y)
		}
		changes := diff(cur.Data, next, subform)
		if notesWritten(recordType, changes) {
			return invalid(recordType, []tenancy.FieldError{errNotesByAPI})
		}
		written := Data{}
		for _, ch := range changes {
			f := parsePath(ch.Path).field
			written[f] = next[f]
		}
		checked, err := sch.Check(ctx, c, cur.Data, written)
		if err != nil {
			return err
		}
		remapRowPaths(checked, written, data)
		if errs = append(errs, checked...); len(errs) > 0 {
			return invalid(recordType, errs)
		}
		newHidden := cur.HiddenName
		if hidden != nil && *hidden != cur.HiddenName {
			newHidden = *hidden
			changes = append([]FieldChange{{Path: "hidden_name", From: cur.HiddenName, To: newHidden}}, changes...)
		}
		if len(changes) > 0 {
			phones := phoneRuleOf(ctx, c)
			x := extract(recordType, sch.Calculate(next), sch, phones)
			if err := phones.Err(); err != nil {
				return err
			}
			history, err := historyJSON(changes)
			if err != nil {
				return err
			}
			sub := c.Subject()
			// The record, its history entry, the record as written and the
			// call's audit row in one statement (one round trip; the audit
			// row's lock is then held over the statements below too, at
			// most the trace rows, the matching configuration and a job).
			out, err = readWritten(ctx, c, `with written as (update records set data = $4, hidden_name = $5, version = version + 1,
					updated_by = `+actorName+`, updated_at = now(), name_keys = $6, name_keys_version = `+keysVersion+`, name_folded = $7, id_values = $8, sex = $9,
					age = $10, date_of_birth = $11, registration_date = $12, risk_level = $13, location_current = `+locationPath("$14")+`, filters = $15
				where id = $3 returning *),
				`+historyCTE("written", "'update'", "$16"),
				[]any{subjectID(sub), sub.String(), in.ID, next, newHidden, x.NameKeys, x.NameFolded, x.IDValues, x.Sex, x.Age,
					x.DateOfBirth, x.Registration, x.RiskLevel, x.Location, x.Filters, history})
			if err != nil {
				return err
			}
			if recordType == TypeTracingRequest && slices.ContainsFunc(changes, func(ch FieldChange) bool {
				return parsePath(ch.Path).field == TraceSubform
			}) {
				if next[TraceSubform] == nil {
					next[TraceSubform] = []any{}
				}
				if err := syncTraceRows(ctx, c, in.ID, next, data); err != nil {
					return err
				}
			}
			if err := s.written(ctx, c, recordType, in.ID, "update", changes); err != nil {
				return err
			}
		} else if out, err = readRecord(ctx, cl, in.ID); err != nil {
			return err
		}
		return cl.present(ctx, &out)
	})
	return out, err
}

// unreadableChanges refuses the changes of fields the caller cannot read
// (one problem per field), which a conflict would otherwise reveal.
func unreadableChanges(sch Schema, cs []Conflict) []tenancy.FieldError {
	var errs []tenancy.FieldError
	seen := map[string]bool{}
	for _, c := range cs {
		f := parsePath(c.Path).field
		if !seen[f] && !isCoreAttribute(f) && !readable(sch, f) {
			seen[f] = true
			errs = append(errs, tenancy.FieldError{Path: "data." + f, Reason: "your role may not write this field"})
		}
	}
	return errs
}

// presentConflicts shows conflicts as the caller may see them: names masked.
func (cl *caller) presentConflicts(sch Schema, cs []Conflict, masked bool) []Conflict {
	if !masked {
		return cs
	}
	for i := range cs {
		for _, v := range []*any{&cs[i].Base, &cs[i].Theirs, &cs[i].Yours} {
			p := parsePath(cs[i].Path)
			wrapped := map[string]any{}
			key := p.field
			if p.sub != "" {
				key = p.sub
			}
			if p.row != "" && p.sub == "" {
				if row, ok := (*v).(map[string]any); ok {
					row = maps.Clone(row)
					maskNames(row)
					*v = row
				}
				continue
			}
			wrapped[key] = *v
			maskNames(wrapped)
			*v = wrapped[key]
		}
	}
	return cs
}

// lockedWrite runs fn, a write of record id of recordType, in a tenant
// transaction: the caller bound to it, the call's audit row naming the
// record, and the record locked (lockRecord: ErrNotFound when the caller
// may not see it).
func (s *Service) lockedWrite(ctx context.Context, code, recordType, id string,
	fn func(ctx context.Context, c *tenancy.Conn, cl *caller, cur stored) error) error {
	cl := s.caller(ctx, code, recordType)
	return s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		cl.c = c
		c.AuditRecord(ctx, recordType, id)
		cur, err := lockRecord(ctx, c, cl, recordType, id)
		if err != nil {
			return err
		}
		return fn(ctx, c, cl, cur)
	})
}

// SetEnabled disables or enables a record (record_state). If ifMatch is
// not nil the record must be at one of its versions. Like every write it
// bumps the version and appends the change log; setting the current state
// writes nothing.
func (s *Service) SetEnabled(ctx context.Context, code, recordType, id string, enabled bool, ifMatch []int64) (Record, error) {
	if err := checkType(recordType); err != nil {
		return Record{}, err
	}
	if err := s.p.Authorize(ctx, code, permsOf(recordType).disable); err != nil {
		return Record{}, err
	}
	if !isUUID(id) {
		return Record{}, tenancy.ErrNotFound
	}
	var out Record
	err := s.lockedWrite(ctx, code, recordType, id, func(ctx context.Context, c *tenancy.Conn, cl *caller, cur stored) error {
		if ifMatch != nil && !slices.Contains(ifMatch, cur.Version) {
			return &StaleError{Current: cur.Version}
		}
		if err := cl.resolveRoles(ctx, id); err != nil {
			return err
		}
		if cur.Enabled != enabled {
			sub := c.Subject()
			var version int64
			if err := c.QueryRow(ctx, `update records set enabled = $4, version = version + 1, updated_by = `+actorName+`,
				updated_at = now() where id = $3 returning version`, subjectID(sub), sub.String(), id, enabled).Scan(&version); err != nil {
				return err
			}
			action := map[bool]string{true: "enable", false: "disable"}[enabled]
			changes := []FieldChange{{Path: "record_state", From: cur.Enabled, To: enabled}}
			if err := writeHistory(ctx, c, id, version, action, changes); err != nil {
				return err
			}
			if err := s.written(ctx, c, recordType, id, action, changes); err != nil {
				return err
			}
		}
		var err error
		if out, err = readRecord(ctx, cl, id); err != nil {
			return err
		}
		return cl.present(ctx, &out)
	})
	return out, err
}

// History lists a record's change log, newest first, as the caller may see
// it: changes of fields it cannot read left out, hidden names masked. It
// needs <type>:history and the record within the caller's scope.
func (s *Service) History(ctx context.Context, code, recordType, id string, page tenancy.Page) ([]HistoryEntry, int, error) {
	if err := checkType(recordType); err != nil {
		return nil, 0, err
	}
	for _, perm := range []policy.Permission{permsOf(recordType).history, permsOf(recordType).read} {
		if err := s.p.Authorize(ctx, code, perm); err != nil {
			return nil, 0, err
		}
	}
	if !isUUID(id) {
		return nil, 0, tenancy.ErrNotFound
	}
	cl := s.caller(ctx, code, recordType)
	var out []HistoryEntry
	var total int
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		cl.c = c
		c.AuditRecord(ctx, recordType, id)
		r, err := getRecord(ctx, c, recordType, id)
		if err != nil {
			return err
		}
		// A referral's receiver sees the changes of the fields its access
		// role reads.
		if err := cl.resolveRoles(ctx, id); err != nil {
			return err
		}
		sch, err := cl.recordSchema(ctx, id, r.ModuleID)
		if err != nil {
			return err
		}
		masked := cl.masked(r.HiddenName, r.OwnerID)
		rows, err := c.Query(ctx, `select count(*) over (), version, changed_at, actor_name, action, changes from record_history
			where record_id = $1 order by version desc limit $2 offset $3`, id, page.Per, (page.Page-1)*page.Per)
		if err != nil {
			return err
		}
		can := map[string]bool{}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (HistoryEntry, error) {
			var e HistoryEntry
			var changes []FieldChange
			if err := row.Scan(&total, &e.Version, &e.ChangedAt, &e.UserName, &e.Action, &changes); err != nil {
				return e, err
			}
			e.Changes = []FieldChange{}
			for _, ch := range changes {
				f := parsePath(ch.Path).field
				ok, known := can[f]
				if !known {
					ok = isCoreAttribute(f) || readable(sch, f)
					can[f] = ok
				}
				if !ok {
					continue
				}
				if masked {
					ch = maskChange(ch)
				}
				e.Changes = append(e.Changes, ch)
			}
			return e, nil
		})
		if err != nil {
			return err
		}
		if len(out) == 0 && page.Page > 1 {
			return c.QueryRow(ctx, "select count(*) from record_history where record_id = $1", id).Scan(&total)
		}
		return nil
	})
	return out, total, err
}

// maskChange masks the name values of a change.
func maskChange(ch FieldChange) FieldChange {
	p := parsePath(ch.Path)
	for _, v := range []*any{&ch.From, &ch.To} {
		switch {
		case *v == nil:
		case p.row != "" && p.sub == "":
			if row, ok := (*v).(map[string]any); ok {
				row = maps.Clone(row)
				maskNames(row)
				*v = row
			}
		case slices.Contains(NameFields, p.field) && p.row == "", slices.Contains(NameFields, p.sub):
			*v = HiddenNameMask
		}
	}
	return ch
}

// Traces lists the traces of tracing request trID (visible to the caller),
// in the order they were added. A caller who may not read the trace
// subform's form gets none.
func (s *Service) Traces(ctx context.Context, code, trID string) ([]Trace, error) {
	return s.traces(ctx, code, trID, "")
}

// Trace returns one trace of tracing request trID (else ErrNotFound).
func (s *Service) Trace(ctx context.Context, code, trID, traceID string) (Trace, error) {
	if !isUUID(traceID) {
		return Trace{}, tenancy.ErrNotFound
	}
	out, err := s.traces(ctx, code, trID, traceID)
	if err == nil && len(out) == 0 {
		err = tenancy.ErrNotFound
	}
	if err != nil {
		return Trace{}, err
	}
	return out[0], nil
}

func (s *Service) traces(ctx context.Context, code, trID, traceID string) ([]Trace, error) {
	if err := s.p.Authorize(ctx, code, permsOf(TypeTracingRequest).read); err != nil {
		return nil, err
	}
	if !isUUID(trID) {
		return nil, tenancy.ErrNotFound
	}
	cl := s.caller(ctx, code, TypeTracingRequest)
	out := []Trace{}
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		cl.c = c
		c.AuditRecord(ctx, TypeTracingRequest, trID)
		r, err := getRecord(ctx, c, TypeTracingRequest, trID)
		if err != nil {
			return err
		}
		sch, err := cl.schema(ctx, r.ModuleID)
		if err != nil {
			return err
		}
		if !readable(sch, TraceSubform) {
			if traceID != "" {
				return tenancy.ErrNotFound
			}
			return nil
		}
		q := "select id::text, created_at, updated_at, data, coalesce(matched_case_id::text, '') from traces where tracing_request_id = $1"
		args := []any{trID}
		if traceID != "" {
			q += " and id = $2"
			args = append(args, traceID)
		}
		rows, err := c.Query(ctx, q+" order by created_at, id", args...)
		if err != nil {
			return err
		}
		masked := cl.masked(r.HiddenName, r.OwnerID)
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Trace, error) {
			t := Trace{TracingRequestID: trID}
			err := row.Scan(&t.ID, &t.CreatedAt, &t.UpdatedAt, &t.Data, &t.MatchedCaseID)
			if masked {
				maskNames(t.Data)
			}
			return t, err
		})
		if err == nil && traceID != "" && len(out) == 0 {
			return tenancy.ErrNotFound // in the transaction: the audit row says failed, as for a missing record
		}
		return err
	})
	return out, err
}
