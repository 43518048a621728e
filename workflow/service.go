package workflow

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Transition types.
const (
	TypeAssign          = "assign"
	TypeReferral        = "referral"
	TypeTransfer        = "transfer"
	TypeTransferRequest = "transfer_request"
)

// Transition statuses.
const (
	StatusInProgress = "in_progress"
	StatusAccepted   = "accepted"
	StatusRejected   = "rejected"
	StatusDone       = "done"
	StatusRevoked    = "revoked"
)

// MaxBulk is the most cases one bulk assignment may name.
const MaxBulk = 100

// Permissions of the workflows (policy/catalog.go).
var (
	PermRead            = policy.Permission{Resource: "cases", Action: "read"}
	PermAssign          = policy.Permission{Resource: "cases", Action: "assign"}
	PermRefer           = policy.Permission{Resource: "cases", Action: "refer"}
	PermTransfer        = policy.Permission{Resource: "cases", Action: "transfer"}
	PermRequestTransfer = policy.Permission{Resource: "cases", Action: "request_transfer"}
	PermConsentOverride = policy.Permission{Resource: "cases", Action: "consent_override"}
	PermProtocolRead    = policy.Permission{Resource: "sharing_protocol", Action: "read"}
	PermProtocolWrite   = policy.Permission{Resource: "sharing_protocol", Action: "write"}
)

// ConsentField is the case field that records the child's consent to share
// their case with other organisations (a tick box of the consent form).
const ConsentField = "disclosure_other_orgs"

// Config configures a Service.
type Config struct {
	// Notifier is told about each event that concerns a person, inside the
	// event's transaction (to enqueue its email). Defaults to none.
	Notifier Notifier
	// Names gives the names of cases in the queues as the caller may see
	// them (records.Service). Defaults to none: queue items carry no name.
	Names CaseNames
}

// Notifier enqueues the notifications of an event in the event's
// transaction (package notify implements it).
type Notifier interface {
	Notify(ctx context.Context, c *tenancy.Conn, e Event) error
}

// Event is something that happened to a case that concerns a person.
type Event struct {
	// Kind: assign, referral, transfer, transfer_request (sent to the
	// receiver) or <type>_<status> (an answer, sent to the sender).
	Kind string
	// ID identifies the event uniquely (the transition id and its status):
	// the same event never notifies twice.
	ID           string
	RecipientID  string
	RecordType   string
	RecordID     string
	ShortID      string
	TransitionID string
	ActorName    string
}

// Service runs the workflows of every tenant. Safe for concurrent use.
type Service struct {
	p        *tenancy.Platform
	notifier Notifier
	names    CaseNames
}

// New returns a Service on platform p.
func New(p *tenancy.Platform, cfg Config) *Service {
	return &Service{p: p, notifier: cfg.Notifier, names: cfg.Names}
}

// Transition is one assignment, referral, transfer or transfer request of a
// record, in Primero v2's shape (user names are email addresses, agencies
// their unique_id).
type Transition struct {
	ID                     string            `json:"id" format:"uuid"`
	RecordID               string            `json:"record_id" format:"uuid"`
	RecordType             string            `json:"record_type" enum:"case"`
	Type                   string            `json:"type" enum:"assign,referral,transfer,transfer_request,close,reopen"`
	Status                 string            `json:"status" enum:"in_progress,accepted,rejected,done,revoked"`
	TransitionedBy         string            `json:"transitioned_by" doc:"The sender's email (or service account name)."`
	TransitionedTo         string            `json:"transitioned_to" doc:"The receiver's email."`
	TransitionedToAgency   string            `json:"transitioned_to_agency" doc:"The receiving agency's unique_id."`
	TransitionedFromAgency string            `json:"transitioned_from_agency" doc:"The sending agency's unique_id."`
	Service                string            `json:"service,omitempty"`
	AuthorizedRole         string            `json:"authorized_role_unique_id,omitempty" doc:"A referral: the role whose forms the receiver reads."`
	AuthorizedRoleName     map[string]string `json:"authorized_role_name,omitempty" doc:"A referral: that role's name by locale (readable without roles:read)."`
	Notes                  string            `json:"notes"`
	ConsentOverridden      bool              `json:"consent_overridden"`
	ConsentOverrideReason  string            `json:"consent_override_reason,omitempty"`
	RespondedBy            string            `json:"responded_by,omitempty"`
	RespondedAt            *time.Time        `json:"responded_at,omitempty"`
	ResponseNotes          string            `json:"rejected_reason,omitempty" doc:"The notes of the answer (a rejection's reason)."`
	CreatedAt              time.Time         `json:"created_at"`
	UpdatedAt              time.Time         `json:"updated_at"`
}

// Input is a transition's request body (Primero v2's `data`).
type Input struct {
	// TransitionedTo is the receiver's email (for a transfer request: ignored,
	// the receiver is the owner).
	TransitionedTo string
	// TransitionedToAgency is the receiving agency's unique_id: optional
	// (must be the receiver's agency when given).
	TransitionedToAgency string
	Notes                string
	Service              string
	// AuthorizedRole (a referral) is the unique_id of the role whose forms
	// the receiver reads; defaults to the receiver's own role.
	AuthorizedRole string
	// ConsentOverride sends without the child's recorded consent: needs
	// cases:consent_override and ConsentOverrideReason.
	ConsentOverride       bool
	ConsentOverrideReason string
}

// transitionColumns and transitionFrom read a Transition (scanTransition).
const transitionColumns = `t.id::text, t.record_id::text, r.record_type, t.type, t.status,
	coalesce(pb.name, t.transitioned_by::text), coalesce(pt.name, ''), coalesce(ta.unique_id, ''), coalesce(fa.unique_id, ''),
	coalesce(t.service, ''), coalesce(t.authorized_role, ''), t.notes, t.consent_overridden, coalesce(t.consent_override_reason, ''),
	coalesce(pr.name, ''), t.responded_at, coalesce(t.response_notes, ''), t.created_at, t.updated_at,
	coalesce(ar.name, '{}'::jsonb)`

const transitionFrom = ` from transitions t join records r on r.id = t.record_id
	left join principals pb on pb.id = t.transitioned_by
	left join principals pt on pt.id = t.transitioned_to
	left join principals pr on pr.id = t.responded_by
	left join agencies ta on ta.id = t.transitioned_to_agency_id
	left join agencies fa on fa.id = t.transitioned_from_agency_id
	left join roles ar on ar.unique_id = t.authorized_role `

// dest is where transitionColumns are scanned, in their order (then a
// caller's own columns: extra).
func (t *Transition) dest(extra ...any) []any {
	return append([]any{&t.ID, &t.RecordID, &t.RecordType, &t.Type, &t.Status, &t.TransitionedBy, &t.TransitionedTo,
		&t.TransitionedToAgency, &t.TransitionedFromAgency, &t.Service, &t.AuthorizedRole, &t.Notes, &t.ConsentOverridden,
		&t.ConsentOverrideReason, &t.RespondedBy, &t.RespondedAt, &t.ResponseNotes, &t.CreatedAt, &t.UpdatedAt,
		&t.AuthorizedRoleName}, extra...)
}

func scanTransition(row pgx.Row) (Transition, error) {
	var t Transition
	err := row.Scan(t.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, tenancy.ErrNotFound
	}
	return t, err
}

func getTransition(ctx context.Context, c *tenancy.Conn, id string) (Transition, error) {
	return scanTransition(c.QueryRow(ctx, "select "+transitionColumns+transitionFrom+"where t.id = $1", id))
}

// user is a possible receiver.
type user struct {
	ID       string
	Email    string
	AgencyID string
	Agency   string
	Role     string
	Disabled bool
}

// userByEmail finds an active user of the tenant (field names the input
// field, for the error).
func userByEmail(ctx context.Context, c *tenancy.Conn, field, email string) (user, error) {
	var u user
	if strings.TrimSpace(email) == "" {
		return u, &tenancy.InvalidError{Field: field, Reason: "is required: the receiver's email"}
	}
	err := c.QueryRow(ctx, `select u.id::text, u.email, u.agency_id::text, a.unique_id, r.unique_id, u.disabled
		from users u join agencies a on a.id = u.agency_id join roles r on r.id = u.role_id where lower(u.email) = lower($1)`,
		strings.TrimSpace(email)).Scan(&u.ID, &u.Email, &u.AgencyID, &u.Agency, &u.Role, &u.Disabled)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && u.Disabled) {
		return u, &tenancy.InvalidError{Field: field, Value: email, Reason: "is not an active user of this country instance"}
	}
	return u, err
}

func userByID(ctx context.Context, c *tenancy.Conn, id string) (user, error) {
	var u user
	err := c.QueryRow(ctx, `select u.id::text, u.email, u.agency_id::text, a.unique_id, r.unique_id, u.disabled
		from users u join agencies a on a.id = u.agency_id join roles r on r.id = u.role_id where u.id = $1`, id).
		Scan(&u.ID, &u.Email, &u.AgencyID, &u.Agency, &u.Role, &u.Disabled)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, tenancy.ErrNotFound
	}
	return u, err
}

// subjectID is the subject's id as a principal (users and service accounts).
func subjectID(s policy.Subject) string {
	if s.Kind == policy.KindUser || s.Kind == policy.KindService {
		return s.ID
	}
	return ""
}

// lockCase locks a case visible to the caller that a transition may start
// from: enabled and open.
func lockCase(ctx context.Context, c *tenancy.Conn, id, what string) (records.Locked, error) {
	l, err := records.LockForWorkflow(ctx, c, records.TypeCase, id, true)
	if err != nil {
		return l, err
	}
	switch {
	case !l.Enabled:
		return l, fmt.Errorf("%w: the case is disabled: it cannot be %s", tenancy.ErrConflict, what)
	case l.Status != "open":
		return l, fmt.Errorf("%w: the case is closed: reopen it before it can be %s", tenancy.ErrConflict, what)
	}
	return l, nil
}

// consented reports whether the case records the child's consent to share
// with other organisations.
func consented(d records.Data) bool {
	switch v := d[ConsentField].(type) {
	case bool:
		return v
	case string:
		return v == "true" || v == "yes"
	}
	return false
}

// checkSharing applies the sharing protocol and consent to a referral or
// transfer (kind) from agency from to agency to. Within one agency
// everything is allowed. It returns whether consent is overridden.
func checkSharing(ctx context.Context, c *tenancy.Conn, kind string, l records.Locked, fromID, toID string, in Input) (bool, error) {
	if fromID == toID {
		return false, nil
	}
	var allowed bool
	var fromName, toName string
	err := c.QueryRow(ctx, `select coalesce((select case when $3 = 'referral' then p.referral else p.transfer end
			from sharing_protocol p where p.from_agency_id = $1 and p.to_agency_id = $2), false),
		coalesce((select unique_id from agencies where id = $1), 'your agency'), (select unique_id from agencies where id = $2)`,
		nullUUID(fromID), toID, kind).Scan(&allowed, &fromName, &toName)
	if err != nil {
		return false, err
	}
	verb := map[string]string{TypeReferral: "refer", TypeTransfer: "transfer"}[kind]
	if !allowed {
		return false, tenancy.WithCode("sharing_protocol", map[string]string{"from": fromName, "to": toName},
			&tenancy.DeniedError{Reason: fmt.Sprintf("the information sharing protocol does not allow %s to %s cases to %s "+
				"(an administrator can allow it in the sharing protocol)", fromName, verb, toName)})
	}
	if consented(l.Data) {
		return false, nil
	}
	if !in.ConsentOverride {
		return false, tenancy.WithCode("consent_required", map[string]string{"field": ConsentField},
			fmt.Errorf("%w: the child has not consented to share the case with other organisations (%s): "+
				"record the consent first, or, if your role may override consent, send consent_individual_transfer with a consent_override_reason",
				tenancy.ErrConflict, ConsentField))
	}
	if err := c.Authorize(PermConsentOverride); err != nil {
		return false, tenancy.WithCode("consent_override_forbidden", nil,
			&tenancy.DeniedError{Reason: "your role may not override the child's consent (cases:consent_override)"})
	}
	if strings.TrimSpace(in.ConsentOverrideReason) == "" {
		return false, &tenancy.InvalidError{Field: "data.consent_override_reason", Reason: "is required when overriding consent", Code: "required"}
	}
	return true, nil
}

func nullUUID(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// insertTransition writes a transition row and returns its id.
func insertTransition(ctx context.Context, c *tenancy.Conn, recordID, typ, status, to, toAgency, fromAgency string, in Input, overridden bool) (string, error) {
	var id string
	var reason any
	if overridden {
		reason = in.ConsentOverrideReason
	}
	err := c.QueryRow(ctx, `insert into transitions (record_id, type, status, transitioned_by, transitioned_to,
			transitioned_to_agency_id, transitioned_from_agency_id, service, authorized_role, notes, consent_overridden, consent_override_reason)
		values ($1, $2, $3, $4, $5, $6, $7, nullif($8, ''), nullif($9, ''), $10, $11, $12) returning id::text`,
		recordID, typ, status, subjectID(c.Subject()), nullUUID(to), nullUUID(toAgency), nullUUID(fromAgency),
		in.Service, in.AuthorizedRole, in.Notes, overridden, reason).Scan(&id)
	return id, err
}

// notify tells the notifier about an event (if any).
func (s *Service) notify(ctx context.Context, c *tenancy.Conn, e Event) error {
	if s.notifier == nil || e.RecipientID == "" {
		return nil
	}
	e.RecordType = records.TypeCase
	return s.notifier.Notify(ctx, c, e)
}

// shortID reads a record's short id (for notifications).
func shortID(ctx context.Context, c *tenancy.Conn, id string) (string, error) {
	var s string
	err := c.QueryRow(ctx, "select short_id from records where id = $1", id).Scan(&s)
	return s, err
}

// isUUID reports whether s is a UUID in its canonical text form (ids from
// paths are checked before they reach SQL: a malformed id is not found).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
				return false
			}
		}
	}
	return true
}
