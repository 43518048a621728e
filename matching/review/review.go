package review

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/workflow"
)

// Config configures a Service.
type Config struct {
	// Schemas filters the values a reviewer sees by their role's form
	// access (the records' schemas).
	Schemas records.Schemas
	// OnConfirmed, when set, is called in the transaction of a confirmation
	// (alerts and emails to the case owner and the tracing request owner
	// hook in here).
	OnConfirmed func(ctx context.Context, c *tenancy.Conn, m PotentialMatch) error
}

// Service lists and reviews stored potential matches. Every method checks
// its permission and runs in a tenant transaction.
type Service struct {
	p   *tenancy.Platform
	cfg Config
}

// New returns a Service on platform p.
func New(p *tenancy.Platform, cfg Config) *Service {
	return &Service{p: p, cfg: cfg}
}

// Potential match statuses.
const (
	StatusPending   = "pending"
	StatusConfirmed = "confirmed"
	StatusRejected  = "rejected"
	// StatusClosed: another case was confirmed as the trace's child.
	StatusClosed = "closed"
)

// PotentialMatch is a stored potential match as a reviewer sees it.
type PotentialMatch struct {
	ID                string                      `json:"id" format:"uuid"`
	TraceID           string                      `json:"trace_id" format:"uuid"`
	TracingRequestID  string                      `json:"tracing_request_id" format:"uuid"`
	CaseID            string                      `json:"case_id" format:"uuid"`
	CaseShortID       string                      `json:"case_short_id"`
	Probability       float64                     `json:"probability" doc:"Probability that the case is the child the trace seeks (calibrated; docs/matching.md)."`
	Label             string                      `json:"label" enum:"likely,possible,unlikely"`
	Weight            float64                     `json:"weight" doc:"Match weight in bits (log2 likelihood ratio)."`
	FamilyAdjustment  float64                     `json:"family_adjustment" doc:"Part of the weight a brother or sister would explain as well."`
	ParametersVersion int                         `json:"parameters_version"`
	Comparisons       []matching.StoredComparison `json:"comparisons"`
	Status            string                      `json:"status" enum:"pending,confirmed,rejected,closed"`
	Note              string                      `json:"note"`
	ReviewedBy        string                      `json:"reviewed_by,omitempty"`
	ReviewedAt        *time.Time                  `json:"reviewed_at,omitempty"`
	MatchedAt         time.Time                   `json:"matched_at"`
}

// ListParams filter and page the review queue.
type ListParams struct {
	Label, Status string
	// Location is a location code: cases whose current location lies under it.
	Location string
	// Agency is an agency's unique_id: cases owned by its staff.
	Agency    string
	Page, Per int
}

// auditType names potential matches on audit rows.
const auditType = "potential_match"

const matchColumns = `pm.id::text, pm.trace_id::text, pm.tracing_request_id::text, pm.case_id::text, c.short_id, pm.probability,
	pm.label, pm.weight, pm.family_adjustment, pm.parameters_version, pm.comparisons, pm.status, pm.note,
	coalesce(pm.reviewed_by, ''), pm.reviewed_at, pm.matched_at, c.module_id, c.hidden_name, t.module_id`

const matchFrom = ` from potential_matches pm join records c on c.id = pm.case_id join records t on t.id = pm.tracing_request_id `

type scanned struct {
	PotentialMatch
	caseModule, requestModule string
	hidden                    bool
}

func scanMatch(r pgx.Row) (scanned, error) {
	var m scanned
	err := r.Scan(&m.ID, &m.TraceID, &m.TracingRequestID, &m.CaseID, &m.CaseShortID, &m.Probability, &m.Label, &m.Weight,
		&m.FamilyAdjustment, &m.ParametersVersion, &m.Comparisons, &m.Status, &m.Note, &m.ReviewedBy, &m.ReviewedAt,
		&m.MatchedAt, &m.caseModule, &m.hidden, &m.requestModule)
	return m, err
}

// visibility adds the conditions that both the case and the tracing request
// of a potential match (aliases c and t) are within the subject's scope.
func visibility(s policy.Subject, args []any) (string, []any) {
	pc, args := records.VisibleSQL(s, args)
	pt, args := records.VisibleSQL(s, args)
	return "exists (select 1 from records r where r.id = c.id and " + pc + ") and exists (select 1 from records r where r.id = t.id and " +
		pt + ")", args
}

// ForTrace lists a trace's potential matches, best first: the tracing
// request and the trace must be within the caller's scope (404 otherwise),
// and so must each case listed.
func (s *Service) ForTrace(ctx context.Context, code, trID, traceID string) ([]PotentialMatch, error) {
	if !matching.IsUUID(trID) || !matching.IsUUID(traceID) {
		return nil, tenancy.ErrNotFound
	}
	return s.list(ctx, code, func(ctx context.Context, c *tenancy.Conn, args []any) (string, []any, error) {
		c.AuditRecord(ctx, records.TypeTracingRequest, trID) // before the check: a 404 leaves a failed row naming it
		vis, args := records.VisibleSQL(c.Subject(), append(args, trID, traceID))
		var ok bool
		err := c.QueryRow(ctx, `select exists (select 1 from traces x join records r on r.id = x.tracing_request_id
			where x.id = $2 and r.id = $1 and r.record_type = 'tracing_request' and `+vis+`)`, args...).Scan(&ok)
		if err != nil {
			return "", nil, err
		}
		if !ok {
			return "", nil, tenancy.ErrNotFound
		}
		return "pm.trace_id = $1", []any{traceID}, nil
	}, 0, 0)
}

// ForCase lists a case's potential matches, best first (the case within the
// caller's scope, 404 otherwise; matches of tracing requests outside it are
// left out).
func (s *Service) ForCase(ctx context.Context, code, caseID string) ([]PotentialMatch, error) {
	if !matching.IsUUID(caseID) {
		return nil, tenancy.ErrNotFound
	}
	return s.list(ctx, code, func(ctx context.Context, c *tenancy.Conn, args []any) (string, []any, error) {
		c.AuditRecord(ctx, records.TypeCase, caseID) // before the check: a 404 leaves a failed row naming it
		vis, args := records.VisibleSQL(c.Subject(), append(args, caseID))
		var ok bool
		if err := c.QueryRow(ctx, `select exists (select 1 from records r where r.id = $1 and r.record_type = 'case' and `+vis+`)`,
			args...).Scan(&ok); err != nil {
			return "", nil, err
		}
		if !ok {
			return "", nil, tenancy.ErrNotFound
		}
		return "pm.case_id = $1", []any{caseID}, nil
	}, 0, 0)
}

// Queue is the review queue: potential matches within the caller's scope,
// filtered, by probability (highest first), with the exact total.
func (s *Service) Queue(ctx context.Context, code string, p ListParams) ([]PotentialMatch, int, error) {
	var bad []tenancy.FieldError
	if p.Label != "" && p.Label != matching.LabelLikely && p.Label != matching.LabelPossible && p.Label != matching.LabelUnlikely {
		bad = append(bad, tenancy.FieldError{Path: "query.label", Reason: "is not likely, possible or unlikely", Value: p.Label})
	}
	switch p.Status {
	case "", StatusPending, StatusConfirmed, StatusRejected, StatusClosed:
	default:
		bad = append(bad, tenancy.FieldError{Path: "query.status", Reason: "is not pending, confirmed, rejected or closed", Value: p.Status})
	}
	if len(bad) > 0 {
		return nil, 0, &tenancy.ValidationError{Title: "The filters are not valid.", Errors: bad}
	}
	if p.Per <= 0 {
		p.Per = 20
	}
	p.Page = max(p.Page, 1)
	total := 0
	out, err := s.list(ctx, code, func(ctx context.Context, c *tenancy.Conn, args []any) (string, []any, error) {
		var conds []string
		arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
		if p.Label != "" {
			conds = append(conds, "pm.label = "+arg(p.Label))
		}
		if p.Status != "" {
			conds = append(conds, "pm.status = "+arg(p.Status))
		}
		if p.Location != "" {
			// An unknown code would select nothing: refused, like a record list's (a misspelt filter is never an empty queue).
			var known bool
			if err := c.QueryRow(ctx, "select exists (select 1 from locations where code = $1)", p.Location).Scan(&known); err != nil {
				return "", nil, err
			}
			if !known {
				return "", nil, &tenancy.InvalidError{In: "query", Field: "location", Reason: "is not a location code of the tenant",
					Value: p.Location}
			}
			conds = append(conds, "c.location_current <@ (select l.path from locations l where l.code = "+arg(p.Location)+")")
		}
		if p.Agency != "" {
			conds = append(conds, `exists (select 1 from record_access a join principals pr on pr.id = a.user_id
				join agencies g on g.id = pr.agency_id where a.record_id = c.id and a.kind = 'owner' and g.unique_id = `+arg(p.Agency)+")")
		}
		if len(conds) == 0 {
			conds = append(conds, "true")
		}
		where := strings.Join(conds, " and ")
		vis, vargs := visibility(c.Subject(), args)
		if err := c.QueryRow(ctx, "select count(*)"+matchFrom+"where "+where+" and "+vis, vargs...).Scan(&total); err != nil {
			return "", nil, err
		}
		return where, args, nil
	}, p.Per, (p.Page-1)*p.Per)
	return out, total, err
}

// list runs a potential match list: scope decides the base condition (and
// may refuse with 404); visibility of both records, best first, values
// filtered by the caller's form access.
func (s *Service) list(ctx context.Context, code string,
	scope func(ctx context.Context, c *tenancy.Conn, args []any) (string, []any, error), limit, offset int) ([]PotentialMatch, error) {
	if err := s.p.Authorize(ctx, code, matching.PermRead); err != nil {
		return nil, err
	}
	var out []PotentialMatch
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		where, args, err := scope(ctx, c, nil)
		if err != nil {
			return err
		}
		vis, args := visibility(c.Subject(), args)
		q := "select " + matchColumns + matchFrom + "where " + where + " and " + vis + " order by pm.probability desc, pm.id"
		if limit > 0 {
			q += fmt.Sprintf(" limit %d offset %d", limit, offset)
		}
		rows, err := c.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		ms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (scanned, error) { return scanMatch(r) })
		if err != nil {
			return err
		}
		f := s.newFilter(c)
		ids := make([]string, 0, len(ms))
		for _, m := range ms {
			if err := f.apply(ctx, &m); err != nil {
				return err
			}
			out = append(out, m.PotentialMatch)
			ids = append(ids, m.ID)
		}
		return c.AuditChange(ctx, "list", map[string]any{"type": auditType, "ids": ids})
	})
	if out == nil {
		out = []PotentialMatch{}
	}
	return out, err
}

// nameFields are masked for cases with a hidden name (docs/records.md).
var nameFields = map[string]bool{"name_first": true, "name_middle": true, "name_last": true, "name_nickname": true, "name_other": true}

// filter removes the values a reader's role may not read and masks hidden
// names (a reader without cases:view_hidden_name sees "*****").
type filter struct {
	s        *Service
	c        *tenancy.Conn
	schemas  map[string]records.Schema
	seeNames bool
}

func (s *Service) newFilter(c *tenancy.Conn) *filter {
	return &filter{s: s, c: c, schemas: map[string]records.Schema{},
		seeNames: c.Authorize(policy.Permission{Resource: "cases", Action: "view_hidden_name"}) == nil}
}

func (f *filter) schema(ctx context.Context, recordType, module string) (records.Schema, error) {
	k := recordType + "/" + module
	if sch, ok := f.schemas[k]; ok {
		return sch, nil
	}
	if f.s.cfg.Schemas == nil {
		return nil, nil
	}
	sch, err := f.s.cfg.Schemas.Schema(ctx, f.c, recordType, module)
	if err != nil {
		return nil, err
	}
	f.schemas[k] = sch
	return sch, nil
}

// readable reports whether a value keyed k (field or subform.field) is
// readable under sch; subform, when set, is where a plain field may also
// live (a trace's row).
func readable(sch records.Schema, k string, v any, subform string) bool {
	if sch == nil {
		return true
	}
	top, field, sub := strings.Cut(k, ".")
	if sub {
		r := sch.Readable(records.Data{top: []any{map[string]any{field: v, "unique_id": "x"}}})
		rows, _ := r[top].([]any)
		if len(rows) == 0 {
			return false
		}
		row, _ := rows[0].(map[string]any)
		_, ok := row[field]
		return ok
	}
	if _, ok := sch.Readable(records.Data{k: v})[k]; ok {
		return true
	}
	return subform != "" && readable(sch, subform+"."+k, v, "")
}

func (f *filter) apply(ctx context.Context, m *scanned) error {
	cs, err := f.schema(ctx, records.TypeCase, m.caseModule)
	if err != nil {
		return err
	}
	ts, err := f.schema(ctx, records.TypeTracingRequest, m.requestModule)
	if err != nil {
		return err
	}
	for i := range m.Comparisons {
		sc := &m.Comparisons[i]
		for k, v := range sc.Case {
			switch {
			case !readable(cs, k, v, ""):
				delete(sc.Case, k)
			case m.hidden && !f.seeNames && nameFields[k]:
				sc.Case[k] = "*****"
			}
		}
		for k, v := range sc.Trace {
			if !readable(ts, k, v, records.TraceSubform) {
				delete(sc.Trace, k)
			}
		}
	}
	return nil
}

// Review actions.
const (
	ActionConfirm = "confirm"
	ActionReject  = "reject"
)

// ReviewInput is a reviewer's decision on a pending potential match.
type ReviewInput struct {
	ID     string
	Action string
	Note   string
}

// ErrReviewed: the potential match is not pending (already confirmed,
// rejected or closed); nothing changed.
var ErrReviewed = fmt.Errorf("%w: the potential match was already reviewed", tenancy.ErrConflict)

// Review confirms or rejects a pending potential match (both records within
// the caller's scope, 404 otherwise). A confirmation links the trace to the
// case, closes the trace's other pending matches and calls
// Config.OnConfirmed (alerts); a rejection keeps the pair out of
// every later match of the trace. Audited.
func (s *Service) Review(ctx context.Context, code string, in ReviewInput) (PotentialMatch, error) {
	if err := s.p.Authorize(ctx, code, matching.PermReview); err != nil {
		return PotentialMatch{}, err
	}
	if in.Action != ActionConfirm && in.Action != ActionReject {
		return PotentialMatch{}, &tenancy.InvalidError{Field: "action", Reason: "is not confirm or reject", Value: in.Action}
	}
	if len([]rune(in.Note)) > 2000 {
		return PotentialMatch{}, &tenancy.InvalidError{Field: "note", Reason: "is longer than 2000 characters"}
	}
	if !matching.IsUUID(in.ID) {
		return PotentialMatch{}, tenancy.ErrNotFound
	}
	var out PotentialMatch
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, auditType, in.ID)
		vis, args := visibility(c.Subject(), []any{in.ID})
		m, err := scanMatch(c.QueryRow(ctx, "select "+matchColumns+matchFrom+"where pm.id = $1 and "+vis+" for update of pm", args...))
		if errors.Is(err, pgx.ErrNoRows) {
			return tenancy.ErrNotFound
		}
		if err != nil {
			return err
		}
		if m.Status != StatusPending {
			return ErrReviewed
		}
		status := StatusRejected
		if in.Action == ActionConfirm {
			status = StatusConfirmed
			var linked bool
			if err := c.QueryRow(ctx, "select matched_case_id is not null from traces where id = $1 for update", m.TraceID).Scan(&linked); err != nil {
				return err
			}
			if linked {
				return ErrReviewed
			}
			if _, err := c.Exec(ctx, "update traces set matched_case_id = $2 where id = $1", m.TraceID, m.CaseID); err != nil {
				return err
			}
			if _, err := c.Exec(ctx, `update potential_matches set status = 'closed' where trace_id = $1 and id <> $2 and status = 'pending'`,
				m.TraceID, m.ID); err != nil {
				return err
			}
		}
		name, err := reviewerName(ctx, c)
		if err != nil {
			return err
		}
		if err := c.QueryRow(ctx, `update potential_matches set status = $2, note = $3, reviewed_by = $4, reviewed_at = now(),
			reviewer_name = $5 where id = $1 returning status, note, reviewed_by, reviewed_at`, m.ID, status, in.Note,
			c.Subject().String(), name).Scan(&m.Status, &m.Note, &m.ReviewedBy, &m.ReviewedAt); err != nil {
			return err
		}
		if err := c.AuditChange(ctx, in.Action, map[string]any{"trace_id": m.TraceID, "case_id": m.CaseID}); err != nil {
			return err
		}
		if status == StatusConfirmed && s.cfg.OnConfirmed != nil {
			if err := s.cfg.OnConfirmed(ctx, c, m.PotentialMatch); err != nil {
				return err
			}
		}
		if err := s.newFilter(c).apply(ctx, &m); err != nil {
			return err
		}
		out = m.PotentialMatch
		return nil
	})
	return out, err
}

// NotifyKindConfirmed is the notification kind of a confirmed match
// (package notify renders it).
const NotifyKindConfirmed = "match_confirmed"

// NotifyConfirmed returns a Config.OnConfirmed hook that notifies,
// in the confirmation's transaction, the owner of the case and the owner of
// the tracing request that a reviewer confirmed the match, each with a link
// to their own record (the case's owner to the case, the tracing request's
// owner to the tracing request). The reviewer is not notified of their own
// confirmation; an owner of both records gets one notification, about the
// case. The notification carries no data about the child (notify renders
// the record's short id and a link).
func NotifyConfirmed(n workflow.Notifier) func(ctx context.Context, c *tenancy.Conn, m PotentialMatch) error {
	return func(ctx context.Context, c *tenancy.Conn, m PotentialMatch) error {
		if n == nil {
			return nil
		}
		reviewer := reviewerID(c)
		actor, err := reviewerName(ctx, c)
		if err != nil {
			return err
		}
		notified := map[string]bool{reviewer: true}
		for _, r := range []struct{ typ, id string }{{records.TypeCase, m.CaseID}, {records.TypeTracingRequest, m.TracingRequestID}} {
			var owner, short string
			err := c.QueryRow(ctx, `select coalesce((select a.user_id::text from record_access a where a.record_id = r.id and a.kind = 'owner'), ''),
				r.short_id from records r where r.id = $1`, r.id).Scan(&owner, &short)
			if err != nil {
				return err
			}
			if owner == "" || notified[owner] {
				continue
			}
			notified[owner] = true
			if err := n.Notify(ctx, c, workflow.Event{Kind: NotifyKindConfirmed, ID: m.ID + ":" + NotifyKindConfirmed + ":" + owner,
				RecipientID: owner, RecordType: r.typ, RecordID: r.id, ShortID: short, ActorName: actor}); err != nil {
				return err
			}
		}
		return nil
	}
}

// reviewerID is the reviewer's principal id ("" for another kind of
// subject).
func reviewerID(c *tenancy.Conn) string {
	if s := c.Subject(); s.Kind == policy.KindUser || s.Kind == policy.KindService {
		return s.ID
	}
	return ""
}

// reviewerName is the reviewer's name now (their subject string when they
// have none): what their alerts and emails call them.
func reviewerName(ctx context.Context, c *tenancy.Conn) (string, error) {
	var name string
	err := c.QueryRow(ctx, "select coalesce((select name from principals where id = $1::uuid), $2)",
		orNull(reviewerID(c)), c.Subject().String()).Scan(&name)
	return name, err
}

func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}
