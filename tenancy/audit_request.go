package tenancy

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
)

// AuditRequest describes the API call on whose behalf tenant transactions run.
// The API attaches it to the context after authorising the call; Platform.Tx
// then writes the call's audit row, in the same transaction as its work, once
// per call. Calls that fail or are refused are recorded by the API with
// AuditOutcome.
type AuditRequest struct {
	Operation string // API operation id
	Action    string // the operation's permission, e.g. "users:read"
	RemoteIP  string
	UserAgent string
	RequestID string
}

type auditState struct {
	req        AuditRequest
	mu         sync.Mutex
	written    bool
	changes    int // AuditRecord and AuditChange calls so far
	recordType string
	recordID   string
	metadata   map[string]any
}

type auditKey struct{}

// WithAuditRequest returns a context whose tenant transactions are audited as r.
func WithAuditRequest(ctx context.Context, r AuditRequest) context.Context {
	return context.WithValue(ctx, auditKey{}, &auditState{req: r})
}

func auditStateFrom(ctx context.Context) *auditState {
	s, _ := ctx.Value(auditKey{}).(*auditState)
	return s
}

// AuditWritten reports whether the call's audit row was committed.
func AuditWritten(ctx context.Context) bool {
	s := auditStateFrom(ctx)
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.written
}

// AuditRecord names the record the current call acts on, for its audit row.
func (c *Conn) AuditRecord(ctx context.Context, recordType, id string) {
	if s := auditStateFrom(ctx); s != nil {
		s.mu.Lock()
		s.recordType, s.recordID = recordType, id
		s.changes++
		s.mu.Unlock()
	}
}

// AuditChange records what a change did (ids, never values) in the audit
// log. In a transaction run for an audited API call (WithAuditRequest) the
// entries are added to the metadata of the call's own row, written when the
// transaction commits; otherwise (jobs, commands, tests) a row of its own is
// written now, with action (a permission such as "forms:write").
func (c *Conn) AuditChange(ctx context.Context, action string, metadata map[string]any) error {
	if s := auditStateFrom(ctx); s != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.metadata == nil {
			s.metadata = map[string]any{}
		}
		maps.Copy(s.metadata, metadata)
		s.changes++
		return nil
	}
	return c.Audit(ctx, AuditEntry{Action: action, Outcome: OutcomeAllowed, Metadata: metadata})
}

// auditCall writes the call's "allowed" row in c, unless already written
// (by an earlier transaction of the call, or by a statement of this one:
// WithCallAudit). It returns a function to call once the transaction has
// committed.
func (c *Conn) auditCall(ctx context.Context) (func(), error) {
	s := auditStateFrom(ctx)
	if s == nil {
		return func() {}, nil
	}
	s.mu.Lock()
	if s.written {
		s.mu.Unlock()
		return func() {}, nil
	}
	done := func() { s.mu.Lock(); s.written = true; s.mu.Unlock() }
	if c.callAudited >= 0 {
		changed := s.changes != c.callAudited
		s.mu.Unlock()
		if changed {
			return nil, errors.New("tenancy: the call's audit row was written by a statement, then its record or metadata changed")
		}
		return done, nil
	}
	e := s.entry()
	s.mu.Unlock()
	if err := c.Audit(ctx, e); err != nil {
		return nil, err
	}
	return done, nil
}

// entry is the call's "allowed" row. s.mu must be held.
func (s *auditState) entry() AuditEntry {
	return AuditEntry{Action: s.req.Action, Operation: s.req.Operation, RecordType: s.recordType, RecordID: s.recordID,
		Outcome: OutcomeAllowed, RemoteIP: s.req.RemoteIP, UserAgent: s.req.UserAgent, RequestID: s.req.RequestID,
		Metadata: s.metadata}
}

// WithCallAudit returns query (a select, or a with query ending in one)
// with the call's audit row written by the same statement: a
// data-modifying CTE in front of it, whose parameters follow args. So a
// call's last read of tenant data also writes its audit row, and Tx does
// not spend a round trip on it before committing. Call it when the call's
// record (AuditRecord) and metadata (AuditChange) are final: a change of
// either afterwards fails the transaction. Outside an audited API call, or
// once the row is written, query and args are returned unchanged.
//
// The row takes the tenant's audit lock (see Audit): use it in one of the
// last statements of the transaction, not earlier.
func (c *Conn) WithCallAudit(ctx context.Context, query string, args []any) (string, []any, error) {
	s := auditStateFrom(ctx)
	if s == nil || c.callAudited >= 0 {
		return query, args, nil
	}
	s.mu.Lock()
	if s.written {
		s.mu.Unlock()
		return query, args, nil
	}
	e, changes := s.entry(), s.changes
	s.mu.Unlock()
	r, err := e.check()
	if err != nil {
		return "", nil, err
	}
	cte := "with audit_call as (" + auditInsertSQL(len(args)+1) + ")"
	q := strings.TrimLeft(query, " \t\n")
	switch {
	case len(q) >= 5 && strings.EqualFold(q[:5], "with "):
		q = cte + ", " + q[5:]
	case len(q) >= 7 && strings.EqualFold(q[:7], "select "):
		q = cte + " " + q
	default:
		return "", nil, errors.New("tenancy: WithCallAudit takes a select or a with query")
	}
	c.callAudited = changes
	return q, append(slices.Clip(args), r.args(c.subject)...), nil
}

// AuditOutcome records a call that was refused or failed (or that wrote no
// tenant data), in a transaction of its own, as the subject in ctx. Does
// nothing if the call's row was already written.
func (p *Platform) AuditOutcome(ctx context.Context, code string, outcome Outcome, metadata map[string]any) error {
	s := auditStateFrom(ctx)
	if s == nil || AuditWritten(ctx) {
		return nil
	}
	s.mu.Lock()
	e := AuditEntry{Action: s.req.Action, Operation: s.req.Operation, RecordType: s.recordType, RecordID: s.recordID,
		Outcome: outcome, RemoteIP: s.req.RemoteIP, UserAgent: s.req.UserAgent, RequestID: s.req.RequestID, Metadata: metadata}
	s.mu.Unlock()
	// A fresh state, so that this transaction does not audit itself again.
	tctx := context.WithValue(ctx, auditKey{}, (*auditState)(nil))
	err := p.Tx(tctx, code, func(ctx context.Context, c *Conn) error { return c.Audit(ctx, e) })
	if err == nil {
		s.mu.Lock()
		s.written = true
		s.mu.Unlock()
	}
	return err
}
