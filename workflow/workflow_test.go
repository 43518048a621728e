package workflow_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/casework"
	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/workflow"
)

// Package-level tests of the workflow rules (docs/workflows.md) on a real
// PostgreSQL (a fresh database per test): the state machine, the sharing
// protocol, consent and the one-pending rules. The API tests
// (api/transitions_test.go) cover the same through HTTP.

func TestMain(m *testing.M) { testdb.Main(m) }

// env is one tenant "ke" with agencies agency-a and agency-b.
type env struct {
	su *pgx.Conn // superuser (benchmarks: vacuum analyze)
	p  *tenancy.Platform
	en *policy.Enforcer
	rs *records.Service
	wf *workflow.Service
}

// actor is a user of the tenant and the context that acts as them.
type actor struct {
	ctx   context.Context
	id    string
	email string
}

func sys() context.Context {
	return policy.WithSubject(context.Background(), policy.System(policy.ActorSeeder))
}

func operator() context.Context {
	return policy.WithSubject(context.Background(), policy.System("test"))
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db := testdb.New(t)
	en, err := policy.NewEnforcer()
	require.NoError(t, err)
	p := db.Platform(t, tenancy.Config{Authorizer: en})
	_, err = p.Create(operator(), tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en"}})
	require.NoError(t, err)
	require.NoError(t, p.Provision(operator(), "ke"))
	for _, a := range []string{"agency-a", "agency-b"} {
		require.NoError(t, people.New(p).AddAgency(sys(), "ke", a, a, map[string]string{"en": a}))
	}
	require.NoError(t, people.New(p).AddUserGroup(sys(), "ke", "usergroup-a", "A team"))
	version, roles, err := p.TenantPolicy(sys(), "ke")
	require.NoError(t, err)
	require.NoError(t, en.SetTenantPolicy("ke", version, roles))
	rs := records.New(p, records.Config{Schemas: records.FormsSchemas(forms.New(p, forms.Config{Locations: locations.New(p)}))})
	return &env{su: db.Superuser(t), p: p, en: en, rs: rs, wf: workflow.New(p, workflow.Config{})}
}

// user adds a user of role in agency (and groups) and returns it.
func (e *env) user(t testing.TB, role, agency string, groups ...string) actor {
	t.Helper()
	identity := rand.Text()
	email := fmt.Sprintf("%s-%s@example.org", role, identity[:8])
	u, err := people.New(e.p).AddUser(sys(), "ke", people.NewUser{Email: email, FullName: email, Locale: "en", Role: role, Agency: agency,
		UserGroups: groups}, func(context.Context) (string, error) { return newUUID(), nil }, nil)
	require.NoError(t, err)
	pr, err := e.p.PrincipalByIdentity(sys(), "ke", identityOf(t, e, u.ID))
	require.NoError(t, err)
	return actor{ctx: policy.WithSubject(context.Background(), pr.Subject()), id: u.ID, email: email}
}

func identityOf(t testing.TB, e *env, userID string) string {
	t.Helper()
	var id string
	require.NoError(t, e.p.Tx(sys(), "ke", func(ctx context.Context, c *tenancy.Conn) error {
		return c.QueryRow(ctx, "select identity_id::text from users where id = $1", userID).Scan(&id)
	}))
	return id
}

func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// newCase creates a case owned by a with extra data.
func (e *env) newCase(t testing.TB, a actor, extra records.Data) string {
	t.Helper()
	body := records.Data{"registration_date": "2026-01-10", "sex": "female", "name_first": "Amina", "name_last": "Yusuf"}
	for k, v := range extra {
		body[k] = v
	}
	r, _, err := e.rs.Create(a.ctx, "ke", records.TypeCase, records.CreateInput{Body: body})
	require.NoError(t, err)
	return r.ID
}

// version reads a case's version as the superuser would (system actor).
func (e *env) version(t testing.TB, id string) int64 {
	t.Helper()
	var v int64
	require.NoError(t, e.p.Tx(sys(), "ke", func(ctx context.Context, c *tenancy.Conn) error {
		return c.QueryRow(ctx, "select version from records where id = $1", id).Scan(&v)
	}))
	return v
}

// sees reports whether a reads case id.
func (e *env) sees(t testing.TB, a actor, id string) bool {
	t.Helper()
	_, err := e.rs.Get(a.ctx, "ke", records.TypeCase, id)
	if errors.Is(err, tenancy.ErrNotFound) {
		return false
	}
	require.NoError(t, err)
	return true
}

func requireDenied(t *testing.T, err error, want string) {
	t.Helper()
	var d *tenancy.DeniedError
	require.ErrorAs(t, err, &d)
	require.Contains(t, d.Reason, want)
}

func requireInvalid(t *testing.T, err error, field string) {
	t.Helper()
	var ie *tenancy.InvalidError
	require.ErrorAs(t, err, &ie)
	require.Equal(t, field, ie.Field)
}

// TestStateMachine walks every answer from every state of a referral and a
// transfer: allowed moves change the status and the receiver's access,
// others are refused with the right error and change nothing.
func TestStateMachine(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sender := e.user(t, "role-caseworker", "agency-a", "usergroup-a")
	receiver := e.user(t, "role-caseworker", "agency-a")

	type step struct{ status, by string } // by: sender or receiver
	for _, tc := range []struct {
		name   string
		kind   string
		before []step // moves that reach the starting state
		answer step
		err    func(*testing.T, error) // nil: allowed
		status string                  // the status after (allowed) or kept (refused)
		access bool                    // the receiver reads the case after
	}{
		{"ReferralAccepted", workflow.TypeReferral, nil, step{workflow.StatusAccepted, "receiver"}, nil, "accepted", true},
		{"ReferralRejected", workflow.TypeReferral, nil, step{workflow.StatusRejected, "receiver"}, nil, "rejected", false},
		{"ReferralDone", workflow.TypeReferral, nil, step{workflow.StatusDone, "receiver"}, nil, "done", false},
		{"ReferralRevoked", workflow.TypeReferral, nil, step{workflow.StatusRevoked, "sender"}, nil, "revoked", false},
		{"AcceptedThenDone", workflow.TypeReferral, []step{{"accepted", "receiver"}}, step{"done", "receiver"}, nil, "done", false},
		{"AcceptedThenRevoked", workflow.TypeReferral, []step{{"accepted", "receiver"}}, step{"revoked", "sender"}, nil, "revoked", false},
		{"AcceptedThenRejected", workflow.TypeReferral, []step{{"accepted", "receiver"}}, step{"rejected", "receiver"}, conflict("is accepted: it cannot be rejected"), "accepted", true},
		{"AcceptedTwice", workflow.TypeReferral, []step{{"accepted", "receiver"}}, step{"accepted", "receiver"}, conflict("cannot be accepted"), "accepted", true},
		{"RejectedThenAccepted", workflow.TypeReferral, []step{{"rejected", "receiver"}}, step{"accepted", "receiver"}, conflict("is rejected: it cannot be accepted"), "rejected", false},
		{"DoneThenRevoked", workflow.TypeReferral, []step{{"done", "receiver"}}, step{"revoked", "sender"}, conflict("is done: it cannot be revoked"), "done", false},
		{"RevokedThenAccepted", workflow.TypeReferral, []step{{"revoked", "sender"}}, step{"accepted", "receiver"}, conflict("is revoked"), "revoked", false},
		{"SenderCannotAccept", workflow.TypeReferral, nil, step{"accepted", "sender"}, denied("only the receiver"), "in_progress", true},
		{"ReceiverCannotRevoke", workflow.TypeReferral, nil, step{"revoked", "receiver"}, denied("only the sender"), "in_progress", true},
		{"UnknownStatus", workflow.TypeReferral, nil, step{"closed", "receiver"}, invalid("data.status"), "in_progress", true},
		{"TransferAccepted", workflow.TypeTransfer, nil, step{"accepted", "receiver"}, nil, "accepted", true},
		{"TransferRejected", workflow.TypeTransfer, nil, step{"rejected", "receiver"}, nil, "rejected", false},
		{"TransferRevoked", workflow.TypeTransfer, nil, step{"revoked", "sender"}, nil, "revoked", false},
		{"TransferNotDone", workflow.TypeTransfer, nil, step{"done", "receiver"}, invalid("data.status"), "in_progress", true},
		{"TransferAcceptedTwice", workflow.TypeTransfer, []step{{"accepted", "receiver"}}, step{"accepted", "receiver"}, conflict("cannot be accepted"), "accepted", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := e.newCase(t, sender, nil)
			who := map[string]actor{"sender": sender, "receiver": receiver}
			var tr workflow.Transition
			var err error
			if tc.kind == workflow.TypeReferral {
				tr, err = e.wf.Refer(sender.ctx, "ke", id, workflow.Input{TransitionedTo: receiver.email, Service: "health"})
			} else {
				tr, err = e.wf.Transfer(sender.ctx, "ke", id, workflow.Input{TransitionedTo: receiver.email})
			}
			require.NoError(t, err)
			require.Equal(t, workflow.StatusInProgress, tr.Status)
			require.True(t, e.sees(t, receiver, id), "the receiver reads the case while it is pending")
			for _, s := range tc.before {
				_, err := e.wf.Respond(who[s.by].ctx, "ke", tc.kind, id, tr.ID, s.status, "")
				require.NoError(t, err)
			}
			v := e.version(t, id)
			got, err := e.wf.Respond(who[tc.answer.by].ctx, "ke", tc.kind, id, tr.ID, tc.answer.status, "")
			if tc.err != nil {
				tc.err(t, err)
				require.Equal(t, v, e.version(t, id), "a refusal changes nothing")
			} else {
				require.NoError(t, err)
				require.Equal(t, tc.status, got.Status)
				require.Equal(t, v+1, e.version(t, id), "an answer bumps the version")
			}
			list, err := e.wf.List(sender.ctx, "ke", id)
			if errors.Is(err, tenancy.ErrNotFound) { // an accepted transfer: the sender (own scope) lost the case
				list, err = e.wf.List(receiver.ctx, "ke", id)
			}
			require.NoError(t, err)
			require.Equal(t, tc.status, list[0].Status)
			require.Equal(t, tc.access, e.sees(t, receiver, id))
		})
	}
}

func conflict(want string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		require.ErrorIs(t, err, tenancy.ErrConflict)
		require.Contains(t, err.Error(), want)
	}
}

func denied(want string) func(*testing.T, error) {
	return func(t *testing.T, err error) { t.Helper(); requireDenied(t, err, want) }
}

func invalid(field string) func(*testing.T, error) {
	return func(t *testing.T, err error) { t.Helper(); requireInvalid(t, err, field) }
}

// TestProtocolAndConsent: across agencies a referral needs a protocol row
// and the child's consent, or a consent override (permission and reason,
// recorded); every refusal changes nothing.
// requireCode requires err to carry a machine code for the API's problem (docs/errors.md).
func requireCode(t *testing.T, err error, code string, params map[string]string) {
	t.Helper()
	var coded tenancy.Coder
	require.ErrorAs(t, err, &coded)
	gotCode, gotParams := coded.ErrorCode()
	require.Equal(t, code, gotCode)
	require.Equal(t, params, gotParams)
}

func TestProtocolAndConsent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cw := e.user(t, "role-caseworker", "agency-a", "usergroup-a")
	mgr := e.user(t, "role-case-manager", "agency-a", "usergroup-a")
	other := e.user(t, "role-caseworker", "agency-b")
	colleague := e.user(t, "role-caseworker", "agency-a")
	id := e.newCase(t, cw, nil)
	v := e.version(t, id)

	_, err := e.wf.Refer(cw.ctx, "ke", id, workflow.Input{TransitionedTo: other.email})
	requireDenied(t, err, "does not allow agency-a to refer cases to agency-b")
	requireCode(t, err, "sharing_protocol", map[string]string{"from": "agency-a", "to": "agency-b"})
	admin := e.user(t, "role-system-administrator", "agency-a")
	_, err = e.wf.SetProtocol(admin.ctx, "ke", []workflow.ProtocolRule{{FromAgency: "agency-a", ToAgency: "agency-b", Referral: true}})
	require.NoError(t, err)
	_, err = e.wf.Transfer(cw.ctx, "ke", id, workflow.Input{TransitionedTo: other.email})
	requireDenied(t, err, "transfer")
	_, err = e.wf.Refer(cw.ctx, "ke", id, workflow.Input{TransitionedTo: other.email})
	require.ErrorIs(t, err, tenancy.ErrConflict)
	require.Contains(t, err.Error(), "disclosure_other_orgs")
	requireCode(t, err, "consent_required", map[string]string{"field": "disclosure_other_orgs"})
	_, err = e.wf.Refer(cw.ctx, "ke", id, workflow.Input{TransitionedTo: other.email, ConsentOverride: true, ConsentOverrideReason: "urgent"})
	requireDenied(t, err, "may not override")
	requireCode(t, err, "consent_override_forbidden", nil)
	_, err = e.wf.Refer(mgr.ctx, "ke", id, workflow.Input{TransitionedTo: other.email, ConsentOverride: true})
	requireInvalid(t, err, "data.consent_override_reason")
	require.Equal(t, v, e.version(t, id), "refusals change nothing")
	require.False(t, e.sees(t, other, id))

	// Within one agency neither protocol nor consent applies.
	tr, err := e.wf.Refer(cw.ctx, "ke", id, workflow.Input{TransitionedTo: colleague.email})
	require.NoError(t, err)
	require.False(t, tr.ConsentOverridden)

	// The override, with a reason, is recorded on the transition.
	tr, err = e.wf.Refer(mgr.ctx, "ke", id, workflow.Input{TransitionedTo: other.email, ConsentOverride: true, ConsentOverrideReason: "urgent medical care"})
	require.NoError(t, err)
	require.True(t, tr.ConsentOverridden)
	require.Equal(t, "urgent medical care", tr.ConsentOverrideReason)
	require.Equal(t, "agency-b", tr.TransitionedToAgency)
	require.Equal(t, "agency-a", tr.TransitionedFromAgency)
	require.True(t, e.sees(t, other, id))

	// With consent recorded, a caseworker refers across without override.
	id2 := e.newCase(t, cw, records.Data{"disclosure_other_orgs": true})
	tr, err = e.wf.Refer(cw.ctx, "ke", id2, workflow.Input{TransitionedTo: other.email})
	require.NoError(t, err)
	require.False(t, tr.ConsentOverridden)
}

// TestOnePending: one referral per receiver in progress or accepted, one
// transfer in progress per case, one transfer request per requester.
func TestOnePending(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	owner := e.user(t, "role-caseworker", "agency-a", "usergroup-a")
	r1 := e.user(t, "role-caseworker", "agency-a")
	r2 := e.user(t, "role-caseworker", "agency-a")
	mgr := e.user(t, "role-case-manager", "agency-a", "usergroup-a")
	id := e.newCase(t, owner, nil)

	ref, err := e.wf.Refer(owner.ctx, "ke", id, workflow.Input{TransitionedTo: r1.email})
	require.NoError(t, err)
	_, err = e.wf.Refer(owner.ctx, "ke", id, workflow.Input{TransitionedTo: r1.email})
	require.ErrorIs(t, err, tenancy.ErrConflict)
	require.Contains(t, err.Error(), "already referred")
	_, err = e.wf.Respond(r1.ctx, "ke", workflow.TypeReferral, id, ref.ID, workflow.StatusAccepted, "")
	require.NoError(t, err)
	_, err = e.wf.Refer(owner.ctx, "ke", id, workflow.Input{TransitionedTo: r1.email})
	require.ErrorIs(t, err, tenancy.ErrConflict, "accepted counts as pending")
	_, err = e.wf.Refer(owner.ctx, "ke", id, workflow.Input{TransitionedTo: r2.email})
	require.NoError(t, err, "another receiver may be referred at the same time")
	_, err = e.wf.Respond(r1.ctx, "ke", workflow.TypeReferral, id, ref.ID, workflow.StatusDone, "")
	require.NoError(t, err)
	_, err = e.wf.Refer(owner.ctx, "ke", id, workflow.Input{TransitionedTo: r1.email})
	require.NoError(t, err, "once done, the same receiver may be referred again")

	_, err = e.wf.Transfer(owner.ctx, "ke", id, workflow.Input{TransitionedTo: r1.email})
	require.NoError(t, err)
	_, err = e.wf.Transfer(owner.ctx, "ke", id, workflow.Input{TransitionedTo: r2.email})
	require.ErrorIs(t, err, tenancy.ErrConflict)
	require.Contains(t, err.Error(), "transfer in progress")

	_, err = e.wf.RequestTransfer(mgr.ctx, "ke", id, workflow.Input{})
	require.NoError(t, err)
	_, err = e.wf.RequestTransfer(mgr.ctx, "ke", id, workflow.Input{})
	require.ErrorIs(t, err, tenancy.ErrConflict)
	require.Contains(t, err.Error(), "already asked")
	_, err = e.wf.RequestTransfer(owner.ctx, "ke", id, workflow.Input{})
	require.ErrorIs(t, err, tenancy.ErrConflict, "the owner cannot ask for its own case")
}

// TestAgencyReferral: a referral to an agency without a user reaches the
// agency's managers (users whose role may assign cases), each reading the
// case through the access role while it is pending; one accepts it (it
// becomes theirs, the others lose access) or rejects it (all lose access).
func TestAgencyReferral(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user(t, "role-system-administrator", "agency-a")
	_, err := e.wf.SetProtocol(admin.ctx, "ke", []workflow.ProtocolRule{{FromAgency: "agency-a", ToAgency: "agency-b", Referral: true}})
	require.NoError(t, err)
	cw := e.user(t, "role-caseworker", "agency-a", "usergroup-a")
	id := e.newCase(t, cw, records.Data{"disclosure_other_orgs": true, "risk_level": "high"})
	toB := workflow.Input{TransitionedToAgency: "agency-b", Service: "health", AuthorizedRole: "role-caseworker"}

	_, err = e.wf.Refer(cw.ctx, "ke", id, toB)
	require.ErrorIs(t, err, tenancy.ErrConflict, "agency-b has no manager yet")
	require.Contains(t, err.Error(), "no active manager")
	_, err = e.wf.Refer(cw.ctx, "ke", id, workflow.Input{TransitionedToAgency: "agency-b"})
	requireInvalid(t, err, "data.authorized_role_unique_id")
	_, err = e.wf.Refer(cw.ctx, "ke", id, workflow.Input{TransitionedToAgency: "agency-nowhere", AuthorizedRole: "role-caseworker"})
	requireInvalid(t, err, "data.transitioned_to_agency")

	m1 := e.user(t, "role-case-manager", "agency-b")
	m2 := e.user(t, "role-case-manager", "agency-b")
	cwB := e.user(t, "role-caseworker", "agency-b")
	tr, err := e.wf.Refer(cw.ctx, "ke", id, toB)
	require.NoError(t, err)
	require.Empty(t, tr.TransitionedTo)
	require.Equal(t, "agency-b", tr.TransitionedToAgency)
	_, err = e.wf.Refer(cw.ctx, "ke", id, toB)
	require.ErrorIs(t, err, tenancy.ErrConflict, "one pending referral per agency")
	require.True(t, e.sees(t, m1, id))
	require.True(t, e.sees(t, m2, id))
	require.False(t, e.sees(t, cwB, id), "a user of the agency who is not a manager")

	_, err = e.wf.Respond(cwB.ctx, "ke", workflow.TypeReferral, id, tr.ID, workflow.StatusAccepted, "")
	require.ErrorIs(t, err, tenancy.ErrNotFound, "someone who cannot see the case")
	_, err = e.wf.Respond(m1.ctx, "ke", workflow.TypeReferral, id, tr.ID, workflow.StatusDone, "")
	requireInvalid(t, err, "data.status")
	got, err := e.wf.Respond(m2.ctx, "ke", workflow.TypeReferral, id, tr.ID, workflow.StatusAccepted, "")
	require.NoError(t, err)
	require.Equal(t, m2.email, got.TransitionedTo, "it became the accepting manager's")
	require.True(t, e.sees(t, m2, id))
	require.False(t, e.sees(t, m1, id), "the other managers' access ended")
	_, err = e.wf.Respond(m1.ctx, "ke", workflow.TypeReferral, id, tr.ID, workflow.StatusRejected, "")
	require.ErrorIs(t, err, tenancy.ErrNotFound)
	got, err = e.wf.Respond(m2.ctx, "ke", workflow.TypeReferral, id, tr.ID, workflow.StatusDone, "")
	require.NoError(t, err)
	require.Equal(t, workflow.StatusDone, got.Status)
	require.False(t, e.sees(t, m2, id))

	// A rejection ends every manager's access; a revocation too.
	tr, err = e.wf.Refer(cw.ctx, "ke", id, toB)
	require.NoError(t, err)
	_, err = e.wf.Respond(m1.ctx, "ke", workflow.TypeReferral, id, tr.ID, workflow.StatusRejected, "")
	require.NoError(t, err)
	require.False(t, e.sees(t, m1, id))
	require.False(t, e.sees(t, m2, id))
	tr, err = e.wf.Refer(cw.ctx, "ke", id, toB)
	require.NoError(t, err)
	_, err = e.wf.Respond(cw.ctx, "ke", workflow.TypeReferral, id, tr.ID, workflow.StatusRevoked, "")
	require.NoError(t, err)
	require.False(t, e.sees(t, m1, id))
	require.False(t, e.sees(t, m2, id))
}

// TestOwnerOverridesConsentOnTransferRequest: the owner accepting a
// transfer request to another agency without the child's consent may
// override it when their role may (cases:consent_override), with a reason
// recorded on the transition and in the history; otherwise nothing changes.
func TestOwnerOverridesConsentOnTransferRequest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user(t, "role-system-administrator", "agency-a")
	_, err := e.wf.SetProtocol(admin.ctx, "ke", []workflow.ProtocolRule{{FromAgency: "agency-a", ToAgency: "agency-b", Transfer: true}})
	require.NoError(t, err)
	mgr := e.user(t, "role-case-manager", "agency-a", "usergroup-a")
	cw := e.user(t, "role-caseworker", "agency-a", "usergroup-a")
	requester := e.user(t, "role-case-manager", "agency-b", "usergroup-a") // reaches the group's cases
	answer := func(owner actor, id, tid string, a workflow.Answer) (workflow.Transition, error) {
		return e.wf.Answer(owner.ctx, "ke", workflow.TypeTransferRequest, id, tid, a)
	}

	// A caseworker owner may not override.
	id := e.newCase(t, cw, nil)
	req, err := e.wf.RequestTransfer(requester.ctx, "ke", id, workflow.Input{Notes: "we run the camp now"})
	require.NoError(t, err)
	v := e.version(t, id)
	_, err = answer(cw, id, req.ID, workflow.Answer{Status: workflow.StatusAccepted})
	require.ErrorIs(t, err, tenancy.ErrConflict)
	require.Contains(t, err.Error(), "disclosure_other_orgs")
	_, err = answer(cw, id, req.ID, workflow.Answer{Status: workflow.StatusAccepted, ConsentOverride: true, ConsentOverrideReason: "r"})
	requireDenied(t, err, "may not override")
	require.Equal(t, v, e.version(t, id), "refusals change nothing")

	// A manager owner may, with a reason; only when accepting.
	id = e.newCase(t, mgr, nil)
	req, err = e.wf.RequestTransfer(requester.ctx, "ke", id, workflow.Input{})
	require.NoError(t, err)
	_, err = answer(mgr, id, req.ID, workflow.Answer{Status: workflow.StatusAccepted, ConsentOverride: true})
	requireInvalid(t, err, "data.consent_override_reason")
	_, err = answer(mgr, id, req.ID, workflow.Answer{Status: workflow.StatusRejected, ConsentOverride: true, ConsentOverrideReason: "r"})
	requireInvalid(t, err, "data.consent_individual_transfer")
	_, err = e.wf.Answer(requester.ctx, "ke", workflow.TypeTransferRequest, id, req.ID,
		workflow.Answer{Status: workflow.StatusRevoked, ConsentOverride: true, ConsentOverrideReason: "r"})
	requireInvalid(t, err, "data.consent_individual_transfer")
	tr, err := answer(mgr, id, req.ID, workflow.Answer{Status: workflow.StatusAccepted, ConsentOverride: true,
		ConsentOverrideReason: "the child moved to the camp agency-b runs"})
	require.NoError(t, err)
	require.Equal(t, workflow.StatusAccepted, tr.Status)
	require.True(t, tr.ConsentOverridden)
	require.Equal(t, "the child moved to the camp agency-b runs", tr.ConsentOverrideReason)
	var owner string
	var consentInHistory bool
	require.NoError(t, e.p.Tx(sys(), "ke", func(ctx context.Context, c *tenancy.Conn) error {
		if err := c.QueryRow(ctx, "select user_id::text from record_access where record_id = $1 and kind = 'owner'", id).Scan(&owner); err != nil {
			return err
		}
		return c.QueryRow(ctx, `select changes @> '[{"path": "transition", "to": {"consent_overridden": true}}]' from record_history
			where record_id = $1 order by version desc limit 1`, id).Scan(&consentInHistory)
	}))
	require.Equal(t, requester.id, owner, "ownership moved to the requester")
	require.True(t, consentInHistory)
}

// TestAgencyReferralFollowsTheAgencysManagers: while a referral to an
// agency is unanswered, the agency's managers are computed from current
// membership: a manager who joins the agency after the referral (added,
// moved in, re-enabled, given a managing role) reaches the case in get,
// lists and the dashboard's count of referrals in; one who leaves (moved
// out, disabled, role changed, the role losing cases:assign) no longer
// does. Once a manager accepted it, it is theirs alone and newcomers get
// nothing.
func TestAgencyReferralFollowsTheAgencysManagers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	require.NoError(t, people.New(e.p).AddAgency(sys(), "ke", "agency-c", "agency-c", map[string]string{"en": "agency-c"}))
	admin := e.user(t, "role-system-administrator", "agency-a")
	_, err := e.wf.SetProtocol(admin.ctx, "ke", []workflow.ProtocolRule{{FromAgency: "agency-a", ToAgency: "agency-b", Referral: true}})
	require.NoError(t, err)
	cw := e.user(t, "role-caseworker", "agency-a", "usergroup-a")
	id := e.newCase(t, cw, records.Data{"disclosure_other_orgs": true})
	m1 := e.user(t, "role-case-manager", "agency-b")
	tr, err := e.wf.Refer(cw.ctx, "ke", id, workflow.Input{TransitionedToAgency: "agency-b", AuthorizedRole: "role-caseworker"})
	require.NoError(t, err)

	dash := casework.New(e.p)
	pending := true
	// reaches: get, list total and the dashboard's pending referrals in,
	// with the user's current principal (agency, groups).
	reaches := func(a actor) bool {
		t.Helper()
		pr, err := e.p.PrincipalByIdentity(sys(), "ke", identityOf(t, e, a.id))
		require.NoError(t, err)
		ctx := policy.WithSubject(context.Background(), pr.Subject())
		_, err = e.rs.Get(ctx, "ke", records.TypeCase, id)
		got := err == nil
		if !got {
			require.ErrorIs(t, err, tenancy.ErrNotFound)
		}
		l, err := e.rs.List(ctx, "ke", records.TypeCase, records.ListParams{Page: 1, Per: 20})
		require.NoError(t, err)
		require.Equal(t, got, l.Total == 1, "list total agrees with get")
		d, err := dash.Dashboards(ctx, "ke")
		if err == nil {
			if pending {
				require.Equal(t, got, d.ReferralsIn == 1, "dashboard count agrees with get")
			}
			require.Equal(t, got, d.OpenCases == 1, "dashboard open cases agree with get")
		}
		return got
	}
	patch := func(a actor, p people.UserPatch) {
		t.Helper()
		_, err := people.New(e.p).UpdateUser(admin.ctx, "ke", a.id, p)
		require.NoError(t, err)
	}
	str := func(s string) *string { return &s }
	yes, no := true, false

	require.True(t, reaches(m1))
	d, err := dash.Dashboards(cw.ctx, "ke")
	require.NoError(t, err)
	require.Equal(t, [2]int{0, 1}, [2]int{d.ReferralsIn, d.ReferralsOut}, "the sender's referral is out, not in")
	m2 := e.user(t, "role-case-manager", "agency-b") // joins after the referral
	require.True(t, reaches(m2), "a manager added after the referral")
	cwB := e.user(t, "role-caseworker", "agency-b")
	require.False(t, reaches(cwB), "not a manager")
	patch(cwB, people.UserPatch{Role: str("role-case-manager")})
	require.True(t, reaches(cwB), "given a managing role")
	patch(cwB, people.UserPatch{Role: str("role-caseworker")})
	require.False(t, reaches(cwB), "managing role taken away")
	mC := e.user(t, "role-case-manager", "agency-c")
	require.False(t, reaches(mC))
	patch(mC, people.UserPatch{Agency: str("agency-b")})
	require.True(t, reaches(mC), "moved into the agency")
	patch(m1, people.UserPatch{Agency: str("agency-c")})
	require.False(t, reaches(m1), "moved out of the agency")
	patch(m2, people.UserPatch{Disabled: &yes})
	patch(m2, people.UserPatch{Disabled: &no})
	require.True(t, reaches(m2), "re-enabled")
	patch(m2, people.UserPatch{Disabled: &yes})
	var rows int
	require.NoError(t, e.su.QueryRow(context.Background(), `select count(*) from tenant_ke.record_access where referral_id = $1`, tr.ID).Scan(&rows))
	require.Equal(t, 1, rows, "mC only: m2 is disabled, m1 moved out")

	// The managing role loses cases:assign: every manager loses the referral; regaining it brings it back.
	setAssign := func(grant bool) {
		require.NoError(t, e.p.Tx(sys(), "ke", func(ctx context.Context, c *tenancy.Conn) error {
			q := `update roles set permissions = array_remove(permissions, 'cases:assign') where unique_id = 'role-case-manager'`
			if grant {
				q = `update roles set permissions = permissions || '{cases:assign}' where unique_id = 'role-case-manager'`
			}
			_, err := c.Exec(ctx, q)
			return err
		}))
	}
	setAssign(false)
	require.NoError(t, e.su.QueryRow(context.Background(), `select count(*) from tenant_ke.record_access where referral_id = $1`, tr.ID).Scan(&rows))
	require.Zero(t, rows)
	setAssign(true)
	require.True(t, reaches(mC))

	// Accepted: it is mC's alone; a manager joining now gets nothing.
	pr, err := e.p.PrincipalByIdentity(sys(), "ke", identityOf(t, e, mC.id))
	require.NoError(t, err)
	_, err = e.wf.Respond(policy.WithSubject(context.Background(), pr.Subject()), "ke", workflow.TypeReferral, id, tr.ID, workflow.StatusAccepted, "")
	require.NoError(t, err)
	pending = false
	patch(m1, people.UserPatch{Agency: str("agency-b")})
	require.False(t, reaches(m1), "the referral was accepted: no longer the agency's")
	require.True(t, reaches(mC))
}

// requireScopeRow requires the scope side table's row of record id
// (record_scope, migration record_scope) to be the record's columns and
// its owner row's user now, owner.
func (e *env) requireScopeRow(t *testing.T, id, owner string) {
	t.Helper()
	var differ int
	var got string
	require.NoError(t, e.su.QueryRow(context.Background(), `select
			(select count(*) from (select r.id, r.record_type, r.module_id, a.user_id, r.enabled, r.status, r.workflow, r.location_current::text,
				r.date_of_birth, r.age, r.sex, r.risk_level, r.flagged, r.created_at, r.updated_at
			from tenant_ke.records r left join tenant_ke.record_access a on a.record_id = r.id and a.kind = 'owner' where r.id = $1
			except all select id, record_type, module_id, owner_id, enabled, status, workflow, location_current::text, date_of_birth, age, sex,
				risk_level, flagged, created_at, updated_at from tenant_ke.record_scope) x),
			coalesce((select owner_id::text from tenant_ke.record_scope where id = $1), '')`, id).Scan(&differ, &got))
	require.Zero(t, differ, "record_scope's row is the record's")
	require.Equal(t, owner, got)
}

// TestScopeRowFollowsTheOwner: a case created, assigned by a manager,
// transferred and the transfer accepted: after each the
// scope side table's row is the record's, with its owner now.
func TestScopeRowFollowsTheOwner(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cw := e.user(t, "role-caseworker", "agency-a", "usergroup-a")
	cw2 := e.user(t, "role-caseworker", "agency-a", "usergroup-a")
	mgr := e.user(t, "role-case-manager", "agency-a", "usergroup-a")
	far := e.user(t, "role-caseworker", "agency-a")
	id := e.newCase(t, cw, nil)
	e.requireScopeRow(t, id, cw.id)
	_, err := e.wf.Assign(mgr.ctx, "ke", id, workflow.Input{TransitionedTo: cw2.email})
	require.NoError(t, err)
	e.requireScopeRow(t, id, cw2.id)
	tr, err := e.wf.Transfer(cw2.ctx, "ke", id, workflow.Input{TransitionedTo: far.email})
	require.NoError(t, err)
	e.requireScopeRow(t, id, cw2.id) // pending: a transfer row, the owner unchanged
	_, err = e.wf.Respond(far.ctx, "ke", workflow.TypeTransfer, id, tr.ID, workflow.StatusAccepted, "")
	require.NoError(t, err)
	e.requireScopeRow(t, id, far.id)
}
