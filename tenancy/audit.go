package tenancy

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"math"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/cpims-hosted/cpims/policy"
)

// The audit log of a tenant is the table audit_logs in its schema: append-only
// for the tenant role, and hash-chained by the trigger of migration
// 003_audit_chain.sql, which assigns each row its id (its position in the
// chain), occurred_at, actor, prev_hash and hash under a per-tenant advisory
// lock held until commit. See docs/audit.md.

// Outcome is what became of an audited action.
type Outcome string

// Audit outcomes.
const (
	OutcomeAllowed Outcome = "allowed" // permitted and done
	OutcomeDenied  Outcome = "denied"  // refused by policy (record it in a transaction of its own)
	OutcomeFailed  Outcome = "failed"  // permitted, but it failed
)

func (o Outcome) valid() bool {
	return o == OutcomeAllowed || o == OutcomeDenied || o == OutcomeFailed
}

// Limits on audit entries.
const (
	// AuditNameMax bounds Action, Operation, RecordType and RequestID (bytes).
	AuditNameMax = 200
	// AuditUserAgentMax is the length (bytes) beyond which a user agent is truncated.
	AuditUserAgentMax = 512
	// AuditMetadataMax bounds the JSON encoding of Metadata (bytes): room
	// for the ids of a full page of records (1,000 UUIDs, about 39 KB).
	AuditMetadataMax = 64 << 10
)

// AuditEntry is one audited action, written by Conn.Audit. The actor is not
// part of it: it is always the transaction's subject.
type AuditEntry struct {
	// Action is what was done, as a policy permission, e.g. "cases:read". Required.
	Action string
	// Operation is the API operation id, e.g. "getCase"; empty outside the API.
	Operation string
	// RecordType is the kind of record acted on, e.g. "case"; empty when none.
	RecordType string
	// RecordID is the record's UUID; requires RecordType.
	RecordID string
	// Outcome is required.
	Outcome Outcome
	// RemoteIP is the client's address: an IP, or IP:port as in
	// http.Request.RemoteAddr (the port is dropped).
	RemoteIP string
	// UserAgent is the client's User-Agent; truncated to AuditUserAgentMax
	// bytes, invalid UTF-8 and NUL bytes replaced: it never fails the action.
	UserAgent string
	// RequestID ties the row to the request's log lines. Cleaned like UserAgent.
	RequestID string
	// Metadata is small context (e.g. the fields changed, never their values):
	// no child's personal data, which the audit log must not duplicate.
	Metadata map[string]any
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// auditRow is an entry checked and ready to insert; nil means NULL.
type auditRow struct {
	action, outcome                                             string
	operation, recordType, recordID, remoteIP, userAgent, reqID *string
	metadata                                                    []byte
}

func (e AuditEntry) check() (auditRow, error) {
	r := auditRow{action: e.Action, outcome: string(e.Outcome)}
	for _, f := range []struct {
		name, value string
		required    bool
		dst         **string
	}{
		{"action", e.Action, true, nil},
		{"operation", e.Operation, false, &r.operation},
		{"record_type", e.RecordType, false, &r.recordType},
	} {
		switch {
		case f.value == "" && f.required:
			return r, &InvalidError{Field: f.name, Reason: "is required"}
		case len(f.value) > AuditNameMax:
			return r, &InvalidError{Field: f.name, Value: f.value, Reason: fmt.Sprintf("must be at most %d bytes", AuditNameMax)}
		case !utf8.ValidString(f.value) || strings.ContainsRune(f.value, 0):
			return r, &InvalidError{Field: f.name, Value: f.value, Reason: "must be valid UTF-8 without NUL"}
		}
		if f.dst != nil {
			*f.dst = nullable(f.value)
		}
	}
	if !e.Outcome.valid() {
		return r, &InvalidError{Field: "outcome", Value: e.Outcome, Reason: "must be allowed, denied or failed"}
	}
	if e.RecordID != "" {
		if !uuidRE.MatchString(e.RecordID) {
			return r, &InvalidError{Field: "record_id", Value: e.RecordID, Reason: "must be a UUID"}
		}
		if e.RecordType == "" {
			return r, &InvalidError{Field: "record_type", Reason: "is required with record_id"}
		}
		r.recordID = nullable(strings.ToLower(e.RecordID))
	}
	if e.RemoteIP != "" {
		ip, err := parseRemoteIP(e.RemoteIP)
		if err != nil {
			return r, &InvalidError{Field: "remote_ip", Value: e.RemoteIP, Reason: "must be an IP address, optionally with a port"}
		}
		r.remoteIP = nullable(ip.String())
	}
	r.userAgent = nullable(cleanText(e.UserAgent, AuditUserAgentMax))
	r.reqID = nullable(cleanText(e.RequestID, AuditNameMax))
	r.metadata = []byte("{}")
	if len(e.Metadata) > 0 {
		b, err := json.Marshal(e.Metadata)
		if err != nil {
			return r, &InvalidError{Field: "metadata", Reason: "must be encodable as JSON: " + err.Error()}
		}
		if len(b) > AuditMetadataMax {
			return r, &InvalidError{Field: "metadata", Reason: fmt.Sprintf("must be at most %d bytes as JSON", AuditMetadataMax)}
		}
		r.metadata = b
	}
	return r, nil
}

func parseRemoteIP(s string) (netip.Addr, error) {
	ip, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return ip, err
		}
		ip = ap.Addr()
	}
	return ip.WithZone("").Unmap(), nil
}

// cleanText makes client-supplied text storable: valid UTF-8, no NUL, at most limit bytes.
func cleanText(s string, limit int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	if len(s) <= limit {
		return s
	}
	s = s[:limit]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Audit writes one row to the tenant's audit log in this transaction, so it
// is committed or rolled back with the action it records. The actor is the
// transaction's subject. An action that is refused must still be recorded:
// write the denial in a transaction of its own, since the refused one rolls back.
//
// The row takes a per-tenant lock that is held until the transaction ends:
// audit writes of a tenant are serialised. Call Audit as the last statement
// before commit, not first, so other transactions wait as little as possible.
func (c *Conn) Audit(ctx context.Context, e AuditEntry) error {
	r, err := e.check()
	if err != nil {
		return err
	}
	_, err = c.Exec(ctx, auditInsertSQL(1), r.args(c.subject)...)
	if err != nil {
		return fmt.Errorf("writing audit log: %w", err)
	}
	return nil
}

// auditInsertSQL is the insert of one audit row, its parameters numbered
// from first (auditRow.args gives them). id, occurred_at, prev_hash and hash
// come from the trigger audit_logs_chain, which also sets actor from
// cpims.actor (the same subject).
func auditInsertSQL(first int) string {
	p := func(i int) string { return "$" + strconv.Itoa(first+i) }
	return `insert into audit_logs (actor, action, operation, record_type, record_id, outcome,
		remote_ip, user_agent, request_id, metadata) values (` + p(0) + `, ` + p(1) + `, ` + p(2) + `, ` + p(3) + `, ` +
		p(4) + `::uuid, ` + p(5) + `, ` + p(6) + `::inet, ` + p(7) + `, ` + p(8) + `, ` + p(9) + `::jsonb)`
}

// args are the parameters of auditInsertSQL for a row written by subject s.
func (r auditRow) args(s policy.Subject) []any {
	return []any{s.String(), r.action, r.operation, r.recordType, r.recordID, r.outcome,
		r.remoteIP, r.userAgent, r.reqID, string(r.metadata)}
}

// auditChainVersion tags the canonical encoding hashed into the chain.
const auditChainVersion = "cpims.audit_logs.v1"

// auditTimeLayout is occurred_at's canonical text: UTC, microseconds (the
// precision of timestamptz), as to_char(..., 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"').
const auditTimeLayout = "2006-01-02T15:04:05.000000Z"

// chainRow is an audit row as verification reads it. Every field but id may
// be NULL after tampering; inet, uuid and jsonb come as PostgreSQL's text.
type chainRow struct {
	id                                                int64
	occurredAt                                        pgtype.Timestamptz
	actor, action, operation, recordType, recordID    *string
	outcome, remoteIP, userAgent, requestID, metadata *string
	prevHash, hash                                    []byte
}

// chainColumns are read by verification; inet, uuid and jsonb are hashed in
// their PostgreSQL text form, the same casts as in audit_logs_hash.
const chainColumns = `id, occurred_at, actor, action, operation, record_type, record_id::text, outcome,
	remote_ip::text, user_agent, request_id, metadata::text, prev_hash, hash`

func (r *chainRow) scan(row pgx.Row) error {
	return row.Scan(&r.id, &r.occurredAt, &r.actor, &r.action, &r.operation, &r.recordType, &r.recordID, &r.outcome,
		&r.remoteIP, &r.userAgent, &r.requestID, &r.metadata, &r.prevHash, &r.hash)
}

// chainHash is the hash of r with predecessor hash prev (nil for row 1): the
// same value as the SQL function audit_logs_hash. Each field is a 4-byte
// big-endian signed length (-1 for NULL) followed by its bytes.
func chainHash(r *chainRow, prev []byte) []byte {
	h := sha256.New()
	bytesField(h, []byte(auditChainVersion), true)
	bytesField(h, prev, prev != nil)
	bytesField(h, strconv.AppendInt(nil, r.id, 10), true)
	switch {
	case !r.occurredAt.Valid:
		bytesField(h, nil, false)
	case r.occurredAt.InfinityModifier == pgtype.Infinity:
		bytesField(h, []byte("infinity"), true)
	case r.occurredAt.InfinityModifier == pgtype.NegativeInfinity:
		bytesField(h, []byte("-infinity"), true)
	default:
		bytesField(h, []byte(r.occurredAt.Time.UTC().Format(auditTimeLayout)), true)
	}
	for _, s := range []*string{r.actor, r.action, r.operation, r.recordType, r.recordID, r.outcome,
		r.remoteIP, r.userAgent, r.requestID, r.metadata} {
		if s == nil {
			bytesField(h, nil, false)
		} else {
			bytesField(h, []byte(*s), true)
		}
	}
	return h.Sum(nil)
}

func bytesField(h hash.Hash, b []byte, ok bool) {
	n := int32(-1)
	if ok {
		n = int32(len(b))
	}
	h.Write(binary.BigEndian.AppendUint32(nil, uint32(n)))
	h.Write(b)
}

// AuditReport is the outcome of verifying a tenant's audit chain.
type AuditReport struct {
	Tenant string `json:"tenant"`
	// Intact is true when every row's position, link and hash match.
	Intact bool `json:"intact"`
	// Rows is the number of rows verified intact: rows 1 to Rows.
	Rows int64 `json:"rows"`
	// LastHash is the hex hash of row Rows (empty if none). Kept outside the
	// database, with Rows, it is an anchor for VerifyAuditAnchor.
	LastHash string `json:"last_hash,omitempty"`
	// BrokenAt is the first row that does not verify (Rows+1), when not Intact.
	BrokenAt int64 `json:"broken_at,omitempty"`
	// Problem says what is wrong at BrokenAt.
	Problem string `json:"problem,omitempty"`
}

// AuditAnchor is a row id and its hex hash recorded outside the database
// (from an earlier AuditReport's Rows and LastHash).
type AuditAnchor struct {
	ID   int64
	Hash string
}

// ParseAuditAnchor parses "ID:HASH", e.g. "1234:9f86d0...".
func ParseAuditAnchor(s string) (AuditAnchor, error) {
	ids, h, ok := strings.Cut(s, ":")
	id, err := strconv.ParseInt(ids, 10, 64)
	b, herr := hex.DecodeString(h)
	if !ok || err != nil || id < 1 || herr != nil || len(b) != sha256.Size {
		return AuditAnchor{}, &InvalidError{Field: "anchor", Value: s, Reason: "must be ROW:HASH, a row id and its 64-digit hex hash"}
	}
	return AuditAnchor{ID: id, Hash: strings.ToLower(h)}, nil
}

// VerifyAudit walks tenant code's audit chain from row 1 and reports the
// first row whose position, link (prev_hash) or hash does not match: an
// edited, deleted, inserted or reordered row. Rows removed from the end, or a
// chain rewritten consistently, leave no trace inside the database: compare
// with an anchor kept outside it (VerifyAuditAnchor).
//
// It reads in a tenant transaction as the system actor "auditor" and writes nothing.
func (p *Platform) VerifyAudit(ctx context.Context, code string) (AuditReport, error) {
	return p.VerifyAuditAnchor(ctx, code, AuditAnchor{})
}

// VerifyAuditAnchor is VerifyAudit that also requires row a.ID to exist with
// hash a.Hash (a zero anchor checks nothing more). As the chain up to it is
// intact, this proves rows 1 to a.ID are those seen when the anchor was taken.
func (p *Platform) VerifyAuditAnchor(ctx context.Context, code string, a AuditAnchor) (AuditReport, error) {
	rep := AuditReport{Tenant: code}
	var last []byte
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorAuditor))
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		rows, err := c.Query(ctx, "select "+chainColumns+" from audit_logs order by id")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r chainRow
			if err := r.scan(rows); err != nil {
				return err
			}
			if problem := checkLink(&r, rep.Rows+1, last, a); problem != "" {
				rep.BrokenAt, rep.Problem = rep.Rows+1, problem
				return nil
			}
			last = r.hash
			rep.Rows++
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if a.ID > rep.Rows {
			rep.BrokenAt = rep.Rows + 1
			rep.Problem = fmt.Sprintf("the log ends at row %d but the anchor records row %d: rows were removed from the end", rep.Rows, a.ID)
		}
		return nil
	})
	if err != nil {
		return AuditReport{}, fmt.Errorf("verifying the audit log of tenant %s: %w", code, err)
	}
	rep.Intact = rep.BrokenAt == 0
	if rep.Rows > 0 {
		rep.LastHash = hex.EncodeToString(last)
	}
	return rep, nil
}

// checkLink says what is wrong with r at chain position want, after a row
// whose hash is prev; "" if nothing.
func checkLink(r *chainRow, want int64, prev []byte, a AuditAnchor) string {
	switch {
	case r.id > want && r.id == want+1:
		return fmt.Sprintf("row %d is missing (the next row is %d): it was deleted", want, r.id)
	case r.id > want:
		return fmt.Sprintf("rows %d to %d are missing (the next row is %d): they were deleted", want, r.id-1, r.id)
	case r.id < want:
		return fmt.Sprintf("row id %d appears twice or out of order", r.id)
	case (r.prevHash == nil) != (prev == nil) || !bytes.Equal(r.prevHash, prev):
		if prev == nil {
			return "prev_hash is set on the first row: rows before it were removed"
		}
		return fmt.Sprintf("prev_hash does not match the hash of row %d: rows were deleted, inserted, reordered, or row %d was rewritten with a new hash", want-1, want-1)
	case !bytes.Equal(r.hash, chainHash(r, prev)):
		return "hash does not match the row's content: the row was altered"
	case r.id == a.ID && hex.EncodeToString(r.hash) != a.Hash:
		return fmt.Sprintf("hash differs from the anchor recorded for row %d: the chain was rewritten up to here", a.ID)
	}
	return ""
}

// AuditLog is one audit row as administrators list it.
type AuditLog struct {
	ID         int64          `json:"id" doc:"Position in the tenant's audit hash chain: 1, 2, 3, ..."`
	OccurredAt time.Time      `json:"occurred_at"`
	Actor      string         `json:"actor" doc:"Who acted, e.g. user:<id> or system:<name>"`
	Action     string         `json:"action" doc:"What was done, e.g. cases:read"`
	Operation  string         `json:"operation,omitempty" doc:"API operation id"`
	RecordType string         `json:"record_type,omitempty"`
	RecordID   string         `json:"record_id,omitempty"`
	Outcome    Outcome        `json:"outcome" enum:"allowed,denied,failed"`
	RemoteIP   string         `json:"remote_ip,omitempty"`
	UserAgent  string         `json:"user_agent,omitempty"`
	RequestID  string         `json:"request_id,omitempty"`
	Metadata   map[string]any `json:"metadata"`
	PrevHash   string         `json:"prev_hash,omitempty" doc:"Hex SHA-256 of the previous row; empty for row 1"`
	Hash       string         `json:"hash" doc:"Hex SHA-256 over prev_hash and this row's fields"`
}

// Paging of ListAuditLogs.
const (
	AuditPerDefault = 50
	AuditPerMax     = 500
)

// AuditFilter selects audit rows. Zero fields do not filter.
type AuditFilter struct {
	Actor      string    // exact, e.g. "user:8c7e..."
	Action     string    // exact, e.g. "cases:read"
	RecordType string    // exact, e.g. "case"
	RecordID   string    // a UUID
	Outcome    Outcome   // allowed, denied or failed
	From       time.Time // occurred at or after
	To         time.Time // occurred before
	// Page is the page number from 1. Defaults to 1.
	Page int
	// Per is the page size. Defaults to AuditPerDefault; at most AuditPerMax.
	Per int
}

// WithDefaults returns a copy of f with Page and Per defaulted.
func (f AuditFilter) WithDefaults() AuditFilter {
	f.Page = cmp.Or(f.Page, 1)
	f.Per = cmp.Or(f.Per, AuditPerDefault)
	return f
}

func (f AuditFilter) validate() error {
	bad := func(field string, v any, reason string) error {
		return &InvalidError{In: "query", Field: field, Value: v, Reason: reason}
	}
	switch {
	case f.Page < 1 || f.Page > math.MaxInt32:
		return bad("page", f.Page, "must be at least 1")
	case f.Per < 1 || f.Per > AuditPerMax:
		return bad("per", f.Per, fmt.Sprintf("must be between 1 and %d", AuditPerMax))
	case f.Outcome != "" && !f.Outcome.valid():
		return bad("outcome", f.Outcome, "must be allowed, denied or failed")
	case f.RecordID != "" && !uuidRE.MatchString(f.RecordID):
		return bad("record_id", f.RecordID, "must be a UUID")
	case !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To):
		return bad("to", f.To, "must be after from")
	}
	for _, v := range []struct{ field, value string }{{"actor", f.Actor}, {"action", f.Action}, {"record_type", f.RecordType}} {
		if len(v.value) > AuditNameMax || !utf8.ValidString(v.value) || strings.ContainsRune(v.value, 0) {
			return bad(v.field, v.value, fmt.Sprintf("must be valid UTF-8 of at most %d bytes", AuditNameMax))
		}
	}
	return nil
}

// where renders the filter as a WHERE clause with its arguments: only the
// conditions given, so each shape gets its own plan and index.
func (f AuditFilter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if f.Actor != "" {
		add("actor = $%d", f.Actor)
	}
	if f.Action != "" {
		add("action = $%d", f.Action)
	}
	if f.RecordType != "" {
		add("record_type = $%d", f.RecordType)
	}
	if f.RecordID != "" {
		add("record_id = $%d::uuid", strings.ToLower(f.RecordID))
	}
	if f.Outcome != "" {
		add("outcome = $%d", string(f.Outcome))
	}
	if !f.From.IsZero() {
		add("occurred_at >= $%d", f.From)
	}
	if !f.To.IsZero() {
		add("occurred_at < $%d", f.To)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " where " + strings.Join(conds, " and "), args
}

// ListAuditLogs returns one page of tenant code's audit rows matching f,
// newest first, and the exact number of matching rows. It reads as the
// context's subject; checking that it may (audit_logs:read) is the caller's job.
// A bad filter gives an *InvalidError naming the query parameter.
func (p *Platform) ListAuditLogs(ctx context.Context, code string, f AuditFilter) ([]AuditLog, int, error) {
	if err := p.authorize(ctx, code, permAuditLogsRead); err != nil {
		return nil, 0, err
	}
	f = f.WithDefaults()
	if err := f.validate(); err != nil {
		return nil, 0, err
	}
	where, args := f.where()
	n := len(args)
	args = append(args, f.Per, (int64(f.Page)-1)*int64(f.Per))
	// One statement, one snapshot: the total and the page agree.
	q := fmt.Sprintf(`select (select count(*) from audit_logs%[1]s), p.* from (
		select id, occurred_at, actor, action, operation, record_type, record_id::text, outcome, host(remote_ip),
			user_agent, request_id, metadata, prev_hash, hash
		from audit_logs%[1]s order by id desc limit $%[2]d offset $%[3]d) p
		order by p.id desc`, where, n+1, n+2)
	var out []AuditLog
	total := 0
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		rows, err := c.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (AuditLog, error) {
			var l AuditLog
			var op, rt, rid, ip, ua, reqID *string
			var prev, h []byte
			err := row.Scan(&total, &l.ID, &l.OccurredAt, &l.Actor, &l.Action, &op, &rt, &rid, &l.Outcome, &ip,
				&ua, &reqID, &l.Metadata, &prev, &h)
			l.Operation, l.RecordType, l.RecordID = deref(op), deref(rt), deref(rid)
			l.RemoteIP, l.UserAgent, l.RequestID = deref(ip), deref(ua), deref(reqID)
			l.PrevHash, l.Hash = hex.EncodeToString(prev), hex.EncodeToString(h)
			return l, err
		})
		if err != nil || len(out) > 0 {
			return err
		}
		// An empty page (past the end, or nothing matches) carries no total.
		return c.QueryRow(ctx, "select count(*) from audit_logs"+where, args[:n]...).Scan(&total)
	})
	if err != nil {
		return nil, 0, err
	}
	if out == nil {
		out = []AuditLog{}
	}
	return out, total, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
