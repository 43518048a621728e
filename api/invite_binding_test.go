package api_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/kratostest"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/tenancy"
)

// inviteBody is an invitation of addr as a case manager of agency-unicef.
func inviteBody(addr string) map[string]any {
	return map[string]any{"email": addr, "full_name": "New Hire", "locale": "en",
		"role_unique_id": "role-case-manager", "agency_unique_id": "agency-unicef"}
}

// withSomalia adds tenant "so" (agency-unicef) and its system administrator.
func withSomalia(t *testing.T, mb *membersBundle) member {
	t.Helper()
	mb.createTenant(t, "so", "Somalia")
	require.NoError(t, people.New(mb.p).AddAgency(sys(), "so", "agency-unicef", "UNICEF", map[string]string{"en": "UNICEF"}))
	return mb.member(t, "so", "role-system-administrator", "agency-unicef")
}

func mailsTo(mb *membersBundle, addr string) int {
	n := 0
	for _, m := range mb.smtp.Messages() {
		for _, to := range m.To {
			if strings.EqualFold(to, addr) {
				n++
			}
		}
	}
	return n
}

func TestSelfChangedEmailCannotCaptureAnInvitation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	mb := setupMembers(t)
	soAdmin := withSomalia(t, mb)
	attacker := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	native := newBrowser(t, mb.srv).withoutCookies()
	ke := "ke.localhost"

	// The attack: a settings flow through /.ory/ changing one's own email to
	// an address that is about to be invited. It is refused.
	newhire := randomEmail("newhire")
	var flow kratostest.Flow
	sess := map[string]string{"X-Session-Token": attacker.token}
	res := native.do(t, "GET", native.url(ke, "/.ory/self-service/settings/api"), nil, sess, &flow)
	require.Equal(t, http.StatusOK, res.StatusCode)
	for _, n := range flow.UI.Nodes {
		require.NotEqual(t, "traits.email", n.Attributes.Name, "the settings form offers no email field")
	}
	res = native.do(t, "POST", flow.UI.Action, map[string]any{"method": "profile", "traits": map[string]any{"email": newhire}}, sess, nil)
	require.GreaterOrEqual(t, res.StatusCode, 400, "the profile method is off")
	who, err := kratosServer.WhoAmI(ctx, attacker.token)
	require.NoError(t, err)
	require.Equal(t, attacker.email, who["identity"].(map[string]any)["traits"].(map[string]any)["email"])

	// So the invitation makes a new identity for the new hire, not the attacker's.
	res2 := mb.do(t, "POST", "so.localhost", "/api/v2/users", soAdmin.token, inviteBody(newhire))
	require.Equal(t, http.StatusCreated, res2.Code, res2.Body.String())
	require.NotEqual(t, attacker.identityID, res2.body["data"].(map[string]any)["identity_id"])

	// An address set before the method was turned off (here through the admin
	// API, as the profile method did: unverified, on an identity with a
	// password) does not capture an invitation either: it is refused.
	captured := randomEmail("captured")
	require.NoError(t, kratosServer.SetEmail(ctx, attacker.identityID, captured))
	res2 = mb.do(t, "POST", "so.localhost", "/api/v2/users", soAdmin.token, inviteBody(captured))
	requireProblem(t, res2, http.StatusConflict)
	require.Contains(t, res2.body["detail"], "Forgot password")
	users, _, err := people.New(mb.p).ListUsers(sys(), "so", tenancy.Page{Page: 1, Per: 100})
	require.NoError(t, err)
	for _, u := range users {
		require.NotEqual(t, captured, u.Email, "no membership was created")
	}
	_, err = mb.smtp.Wait(1, 30*time.Second) // the new hire's invitation
	require.NoError(t, err)
	require.Zero(t, mailsTo(mb, captured), "no invitation was sent")

	// The mailbox's owner proves the address (a self-service recovery code
	// mailed to it, through /.ory/): then the address is theirs, and binds.
	var rflow kratostest.Flow
	require.Equal(t, http.StatusOK, native.do(t, "GET", native.url(ke, "/.ory/self-service/recovery/api"), nil, nil, &rflow).StatusCode)
	res = native.do(t, "POST", rflow.UI.Action, map[string]string{"method": "code", "email": captured}, nil, &rflow)
	require.Equal(t, http.StatusOK, res.StatusCode)
	code, err := kratosServer.LastCode(ctx, captured)
	require.NoError(t, err)
	res = native.do(t, "POST", rflow.UI.Action, map[string]string{"method": "code", "code": code}, nil, nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, "the right recovery code: on to the settings flow")
	verified, err := kratosServer.EmailVerified(ctx, attacker.identityID)
	require.NoError(t, err)
	require.True(t, verified)
	res2 = mb.do(t, "POST", "so.localhost", "/api/v2/users", soAdmin.token, inviteBody(captured))
	require.Equal(t, http.StatusCreated, res2.Code, res2.Body.String())
	require.Equal(t, attacker.identityID, res2.body["data"].(map[string]any)["identity_id"])
}

func TestInvitationBindsOnlyToProvenAddresses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	mb := setupMembers(t)
	soAdmin := withSomalia(t, mb)
	keAdmin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")

	// A verified address binds to its identity.
	addr := randomEmail("verified")
	id, err := kratosServer.CreateVerifiedIdentity(ctx, addr, testPassword, "en")
	require.NoError(t, err)
	res := mb.do(t, "POST", "ke.localhost", "/api/v2/users", keAdmin.token, inviteBody(addr))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	require.Equal(t, id, res.body["data"].(map[string]any)["identity_id"])

	// An invitation not yet accepted (an identity without credentials) binds
	// a second invitation too: only the mailbox's owner can activate it.
	pending := randomEmail("pending")
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/users", keAdmin.token, inviteBody(pending))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	pendingID := res.body["data"].(map[string]any)["identity_id"].(string)
	res = mb.do(t, "POST", "so.localhost", "/api/v2/users", soAdmin.token, inviteBody(pending))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	require.Equal(t, pendingID, res.body["data"].(map[string]any)["identity_id"])
	verified, err := kratosServer.EmailVerified(ctx, pendingID)
	require.NoError(t, err)
	require.False(t, verified, "not proven until the invitation is accepted")

	// Accepting it (the code mailed to the address) and signing in proves the address.
	msgs, err := mb.smtp.Wait(3, 30*time.Second)
	require.NoError(t, err)
	var text string
	for _, m := range msgs {
		if m.To[0] == pending {
			raw := string(m.Data)
			text = decodeQP(t, raw[strings.Index(raw, "\r\n\r\n"):])
		}
	}
	link := regexp.MustCompile(`https?://\S+/recovery\?flow=[\w-]+`).FindString(text)
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(text)
	require.NoError(t, kratosServer.AcceptInvitation(ctx, link, code, "the pending person's own password"))
	token, err := kratosServer.Login(ctx, pending, "the pending person's own password")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, mb.do(t, "GET", "so.localhost", "/api/v2/users/me", token, nil).Code)
	verified, err = kratosServer.EmailVerified(ctx, pendingID)
	require.NoError(t, err)
	require.True(t, verified, "the first sign-in after accepting marks the invited address verified")
	require.Equal(t, http.StatusOK, mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", token, nil).Code, "both memberships work")
}

func TestPeopleChangeTheirOwnNameAndLanguage(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/me", cw.token, map[string]any{"full_name": "Amina Yusuf", "locale": "ar"})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	u := res.body["data"].(map[string]any)
	require.Equal(t, "Amina Yusuf", u["full_name"])
	require.Equal(t, "ar", u["locale"])
	require.Equal(t, cw.email, u["email"])
	me := mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", cw.token, nil)
	require.Equal(t, "ar", me.body["data"].(map[string]any)["locale"])

	for name, body := range map[string]map[string]any{
		"NotAnInstanceLanguage": {"locale": "fr"},
		"BadTag":                {"locale": "Arabic"},
		"EmptyName":             {"full_name": ""},
		"Email":                 {"email": "someone-else@example.org"},
		"Role":                  {"role_unique_id": "role-system-administrator"},
		"Nothing":               {},
	} {
		res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/me", cw.token, body)
		requireProblem(t, res, http.StatusUnprocessableEntity)
		require.NotEmpty(t, name)
	}
	me = mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", cw.token, nil)
	require.Equal(t, "Amina Yusuf", me.body["data"].(map[string]any)["full_name"], "refused changes change nothing")
	require.Equal(t, "role-caseworker", me.body["data"].(map[string]any)["role_unique_id"])

	// A service account has no own account.
	sa, err := people.New(mb.p).CreateServiceAccount(sys(), "ke", "Integration", "role-caseworker", "agency-unicef")
	require.NoError(t, err)
	_, secret, err := people.New(mb.p).IssueAPIKey(sys(), "ke", sa.ID, "k", nil)
	require.NoError(t, err)
	requireProblem(t, mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/me", secret, map[string]any{"locale": "en"}), http.StatusNotFound)
}
