package api_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/devices"
	"github.com/cpims-hosted/cpims/email"
	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/internal/smtptest"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/notify"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

const testPassword = "a long test password 4 cpims"

// membersBundle is a server with sign-in (real Kratos), a tenant "ke" with two
// agencies and a group, workers delivering email to a real SMTP server, and a
// settable clock.
type membersBundle struct {
	*testBundle
	smtp *smtptest.Server
	now  time.Time
	keys *devices.Keyring // device key secret (deviceKeys)
}

func setupMembers(t testing.TB) *membersBundle {
	t.Helper()
	capture, err := smtptest.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { capture.Close() })
	b := setupWithEmail(t, &email.SMTP{Addr: capture.Addr, From: "no-reply@ke.example.org", TLS: email.TLSNone})
	k, err := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
	require.NoError(t, err)
	mb := &membersBundle{testBundle: b, now: time.Now(), smtp: capture}
	logw := io.Discard
	if os.Getenv("CPIMS_TEST_LOG") != "" {
		logw = os.Stderr
	}
	srv, err := api.New(b.p, b.enf, api.Config{OperatorAPIKey: operatorKey, Sessions: identity.NewCachedSessions(k, 0),
		Logger: slog.New(slog.NewTextHandler(logw, nil)), Registry: prometheus.NewRegistry(), AuthFailuresPerMinute: 10_000,
		Storage: testStorage(t, nil), Notifier: notify.Notifier{}, DeviceKeys: mb.deviceKeys(t)})
	require.NoError(t, err)
	srv.SetClock(func() time.Time { return mb.now })
	b.srv = srv

	b.createTenant(t, "ke", "Kenya")
	ctx := sys()
	require.NoError(t, people.New(b.p).AddAgency(ctx, "ke", "agency-unicef", "UNICEF", map[string]string{"en": "UNICEF"}))
	require.NoError(t, people.New(b.p).AddAgency(ctx, "ke", "agency-save", "SAVE", map[string]string{"en": "Save the Children"}))
	require.NoError(t, people.New(b.p).AddUserGroup(ctx, "ke", "usergroup-nairobi", "Nairobi team"))
	return mb
}

// sys acts as the seeder, the named system actor that sets up people and agencies.
func sys() context.Context {
	return policy.WithSubject(context.Background(), policy.System(policy.ActorSeeder))
}

func randomEmail(prefix string) string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b) + "@example.org"
}

type member struct {
	token      string
	userID     string
	email      string
	identityID string
}

// member creates a Kratos identity, makes it a user of tenant code with role
// and agency, and signs it in (with TOTP when the role requires it).
func (mb *membersBundle) member(t testing.TB, code, role, agency string, groups ...string) member {
	t.Helper()
	return mb.memberIn(t, "en", code, role, agency, groups...)
}

// memberIn is member with the user's language.
func (mb *membersBundle) memberIn(t testing.TB, locale, code, role, agency string, groups ...string) member {
	t.Helper()
	ctx := context.Background()
	addr := randomEmail(strings.TrimPrefix(role, "role-"))
	id, err := kratosServer.CreateIdentity(ctx, addr, testPassword, locale)
	require.NoError(t, err)
	u, err := people.New(mb.p).AddUser(sys(), code, people.NewUser{Email: addr, FullName: "Test " + role, Locale: locale, Role: role,
		Agency: agency, UserGroups: groups}, func(context.Context) (string, error) { return id, nil }, nil)
	require.NoError(t, err)
	token, err := kratosServer.Login(ctx, addr, testPassword)
	require.NoError(t, err)
	if role == "role-agency-admin" || role == "role-system-administrator" {
		secret, err := kratosServer.EnrolTOTP(ctx, token)
		require.NoError(t, err)
		require.NoError(t, kratosServer.LoginSecondFactor(ctx, token, secret))
	}
	return member{token: token, userID: u.ID, email: addr, identityID: id}
}

// outsider is a signed-in identity that is a member of no tenant.
func outsider(t testing.TB) string {
	t.Helper()
	addr := randomEmail("outsider")
	_, err := kratosServer.CreateIdentity(context.Background(), addr, testPassword, "en")
	require.NoError(t, err)
	token, err := kratosServer.Login(context.Background(), addr, testPassword)
	require.NoError(t, err)
	return token
}

func TestTenantPermissionMatrix(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	callers := map[string]string{"anonymous": "", "non_member": outsider(t)}
	roles := map[string]string{"caseworker": "role-caseworker", "case_manager": "role-case-manager",
		"agency_admin": "role-agency-admin", "system_admin": "role-system-administrator", "data_analyst": "role-data-analyst"}
	sa, err := people.New(mb.p).CreateServiceAccount(sys(), "ke", "Matrix integration", "role-caseworker", "agency-unicef")
	require.NoError(t, err)
	key, _, err := people.New(mb.p).IssueAPIKey(sys(), "ke", sa.ID, "matrix", nil)
	require.NoError(t, err)
	var target, manager member
	for name, role := range roles {
		m := mb.member(t, "ke", role, "agency-unicef", "usergroup-nairobi")
		callers[name] = m.token
		switch name {
		case "caseworker":
			target = m
		case "case_manager":
			manager = m
		}
	}
	receiver := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	// Places to read, change and delete, and an import to look at.
	locs := locations.New(mb.p)
	_, err = locs.Upsert(sys(), "ke", []locations.Spec{
		{Code: "KE", AdminLevel: 0, Type: "country", Name: map[string]string{"en": "Kenya"}},
		{Code: "KE01", ParentCode: "KE", AdminLevel: 1, Type: "county", Name: map[string]string{"en": "Mombasa"}},
		{Code: "KE99", ParentCode: "KE", AdminLevel: 1, Type: "county", Name: map[string]string{"en": "To delete"}}})
	require.NoError(t, err)
	imp, err := locs.StartImport(sys(), "ke", "matrix.csv", []byte("code,parent_code,admin_level,name_en\nKE02,KE,1,Kwale\n"))
	require.NoError(t, err)
	// Records owned by the caseworker (visible to the case manager of their group).
	recordBodies := map[string]map[string]any{
		"cases":            caseData(nil),
		"incidents":        {"cp_incident_date": "2026-01-09"},
		"tracing_requests": {"inquiry_date": "2026-01-10", "relation_name": "Halima", "tracing_request_subform_section": []any{map[string]any{"sex": "female"}}},
	}
	newRecord := func(resource string) map[string]any {
		res := mb.call(t, "POST", "/api/v2/"+resource, target.token, nil, envelope(recordBodies[resource]))
		require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
		return data(res)
	}
	targets := map[string]string{}
	for resource := range recordBodies {
		targets[resource] = newRecord(resource)["id"].(string)
	}
	traced := newRecord("tracing_requests")
	traceID := traced["tracing_request_subform_section"].([]any)[0].(map[string]any)["unique_id"].(string)
	table, err := os.ReadFile(filepath.Join("testdata", "tenant_matrix.txt"))
	require.NoError(t, err)
	var header []string
	var bundle map[string]any    // an export, imported again (dry run)
	var translationImport string // an import's address
	var targetDevice string      // a device of the caseworker
	seen := map[string]bool{}
	for _, line := range strings.Split(string(table), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(line, "# A") || strings.HasPrefix(line, "# Ex") {
			continue
		}
		if fields[0] == "#" {
			header = fields[2:]
			continue
		}
		op := fields[0]
		seen[op] = true
		for i, caller := range header {
			var method, path string
			var body any
			var headers map[string]string
			switch op {
			case "get-current-user":
				method, path = "GET", "/api/v2/users/me"
			case "get-system-settings":
				method, path = "GET", "/api/v2/system_settings"
			case "get-user":
				method, path = "GET", "/api/v2/users/"+target.userID
			case "invite-user":
				method, path = "POST", "/api/v2/users"
				body = map[string]any{"email": randomEmail("invited"), "full_name": "Invited Person", "locale": "en",
					"role_unique_id": "role-caseworker", "agency_unique_id": "agency-unicef"}
			case "list-roles":
				method, path = "GET", "/api/v2/roles"
			case "list-users":
				method, path = "GET", "/api/v2/users"
			case "create-service-account":
				method, path = "POST", "/api/v2/service_accounts"
				body = map[string]any{"name": randomEmail("sa"), "role_unique_id": "role-caseworker", "agency_unique_id": "agency-unicef"}
			case "list-service-accounts":
				method, path = "GET", "/api/v2/service_accounts"
			case "list-api-keys":
				method, path = "GET", "/api/v2/service_accounts/"+sa.ID+"/api_keys"
			case "issue-api-key":
				method, path = "POST", "/api/v2/service_accounts/"+sa.ID+"/api_keys"
				body = map[string]any{"name": "k"}
			case "revoke-api-key":
				method, path = "DELETE", "/api/v2/service_accounts/"+sa.ID+"/api_keys/"+key.ID
			case "create-agency":
				method, path = "POST", "/api/v2/agencies"
				id := strings.ToLower(randomEmail("a")[:12])
				body = map[string]any{"unique_id": "agency-" + id, "agency_code": id[2:12], "name": map[string]string{"en": "New agency"}}
			case "list-agencies":
				method, path = "GET", "/api/v2/agencies"
			case "update-agency":
				method, path = "PATCH", "/api/v2/agencies/"+agencyID(t, mb, "agency-unicef")
				body = map[string]any{"name": map[string]string{"en": "UNICEF"}}
			case "create-user-group":
				method, path = "POST", "/api/v2/user_groups"
				body = map[string]any{"unique_id": "usergroup-" + strings.ToLower(randomEmail("g")[:12]), "name": "New group"}
			case "list-user-groups":
				method, path = "GET", "/api/v2/user_groups"
			case "update-user-group":
				method, path = "PATCH", "/api/v2/user_groups/"+groupID(t, mb, "usergroup-nairobi")
				body = map[string]any{"description": "Nairobi and surroundings"}
			case "create-role":
				method, path = "POST", "/api/v2/roles"
				body = map[string]any{"unique_id": "role-" + strings.ToLower(randomEmail("r")[:12]), "name": map[string]string{"en": "Field officer"},
					"permissions": []string{"cases:read"}, "record_scope": "own"}
			case "update-role":
				method, path = "PATCH", "/api/v2/roles/"+roleID(t, mb, "role-data-analyst")
				body = map[string]any{"description": map[string]string{"en": "Aggregates only."}}
			case "add-locale":
				method, path = "POST", "/api/v2/system_settings/locales"
				body = map[string]any{"locale": "ha"}
			case "remove-locale":
				locale := []string{"sw", "so", "am", "ti", "om", "rw", "ln"}[i]
				res := mb.do(t, "POST", "ke.localhost", "/api/v2/system_settings/locales", callers["system_admin"], map[string]any{"locale": locale})
				require.Equal(t, 201, res.Code, res.Body.String())
				method, path = "DELETE", "/api/v2/system_settings/locales/"+locale
			case "get-phone-calling-code":
				method, path = "GET", "/api/v2/system_settings/phone_calling_code"
			case "set-phone-calling-code":
				method, path = "PUT", "/api/v2/system_settings/phone_calling_code"
				body = map[string]any{"phone_calling_code": "254"}
			case "update-system-settings":
				method, path = "PATCH", "/api/v2/system_settings"
				body = map[string]any{"cors_origins": []string{"https://registration.example.org"}}
			case "list-audit-logs":
				method, path = "GET", "/api/v2/audit_logs?per=5"
			case "update-current-user":
				method, path = "PATCH", "/api/v2/users/me"
				body = map[string]any{"locale": "en"}
			case "update-user":
				method, path = "PATCH", "/api/v2/users/"+target.userID
				body = map[string]any{"disabled": false}
			case "list-locations":
				method, path = "GET", "/api/v2/locations?subtree=KE"
			case "get-location":
				method, path = "GET", "/api/v2/locations/KE01"
			case "create-location":
				method, path = "POST", "/api/v2/locations"
				body = map[string]any{"code": "KE" + strings.ToUpper(randomEmail("l")[2:12]), "parent_code": "KE", "admin_level": 1,
					"name": map[string]string{"en": "New county"}}
			case "update-location":
				method, path = "PATCH", "/api/v2/locations/KE01"
				body = map[string]any{"name": map[string]string{"en": "Mombasa", "sw": "Mombasa"}}
			case "delete-location":
				method, path = "DELETE", "/api/v2/locations/KE99"
			case "import-locations":
				method, path = "POST", "/api/v2/locations/import"
				body = rawBody{"text/csv", []byte("code,parent_code,admin_level,name_en\nKE03,KE,1,Kilifi\n")}
			case "get-location-import":
				method, path = "GET", "/api/v2/locations/imports/"+imp.ID
			case "list-traces":
				method, path = "GET", "/api/v2/tracing_requests/"+traced["id"].(string)+"/traces"
			case "get-trace":
				method, path = "GET", "/api/v2/tracing_requests/"+traced["id"].(string)+"/traces/"+traceID
			case "find-case-duplicates":
				method, path, body = "POST", "/api/v2/cases/duplicates", envelope(caseData(nil))
			case "create-case-incident":
				method, path = "POST", "/api/v2/cases/"+targets["cases"]+"/incidents"
				body = envelope(recordBodies["incidents"])
			case "list-forms":
				method, path = "GET", "/api/v2/forms?record_type=case"
			case "get-form":
				method, path = "GET", "/api/v2/forms/basic_identity"
			case "create-form":
				method, path = "POST", "/api/v2/forms"
				body = matrixForm(randomName("matrix_form"))
			case "update-form":
				method, path = "PATCH", "/api/v2/forms/basic_identity"
				body = map[string]any{"description": map[string]string{"en": "Who the child is."}}
			case "delete-form":
				id := randomName("matrix_delete")
				res := mb.do(t, "POST", "ke.localhost", "/api/v2/forms", callers["system_admin"], matrixForm(id))
				require.Equal(t, 201, res.Code, res.Body.String())
				method, path = "DELETE", "/api/v2/forms/"+id
			case "validate-record-data":
				method, path = "POST", "/api/v2/forms/validate"
				body = map[string]any{"record_type": "case", "module_id": "primeromodule-cp", "data": map[string]any{}}
			case "list-lookups":
				method, path = "GET", "/api/v2/lookups"
			case "get-lookup":
				method, path = "GET", "/api/v2/lookups/lookup-sex"
			case "create-lookup":
				method, path = "POST", "/api/v2/lookups"
				body = matrixLookup(strings.ReplaceAll(randomName("lookup-matrix"), "_", "-"))
			case "update-lookup":
				method, path = "PATCH", "/api/v2/lookups/lookup-sex"
				body = map[string]any{"name": map[string]string{"en": "Sex", "fr": "Sexe", "es": "Sexo", "ar": "الجنس"}}
			case "delete-lookup":
				id := strings.ReplaceAll(randomName("lookup-matrix"), "_", "-")
				res := mb.do(t, "POST", "ke.localhost", "/api/v2/lookups", callers["system_admin"], matrixLookup(id))
				require.Equal(t, 201, res.Code, res.Body.String())
				method, path = "DELETE", "/api/v2/lookups/"+id
			case "list-modules":
				method, path = "GET", "/api/v2/modules"
			case "get-module":
				method, path = "GET", "/api/v2/modules/primeromodule-cp"
			case "update-module":
				method, path = "PATCH", "/api/v2/modules/primeromodule-cp"
				body = map[string]any{"options": map[string]any{"referral": true, "transfer": true, "tracing": true,
					"approvals": []string{"assessment", "case_plan", "closure", "action_plan"}}}
			case "get-matching-configuration":
				method, path = "GET", "/api/v2/matching/configuration"
			case "update-matching-configuration":
				res := mb.do(t, "GET", "ke.localhost", "/api/v2/matching/configuration", callers["system_admin"], nil)
				require.Equal(t, 200, res.Code, res.Body.String())
				method, path = "PUT", "/api/v2/matching/configuration"
				body = map[string]any{"data": res.body["data"].(map[string]any)["configuration"]}
			case "create-matching-run":
				method, path = "POST", "/api/v2/matching/runs"
			case "list-matching-parameters":
				method, path = "GET", "/api/v2/matching/parameters?per=1"
			case "list-matching-runs":
				method, path = "GET", "/api/v2/matching/runs?status=queued"
			case "get-matching-run":
				res := mb.do(t, "POST", "ke.localhost", "/api/v2/matching/runs", callers["system_admin"], nil)
				require.Equal(t, 202, res.Code, res.Body.String())
				method, path = "GET", "/api/v2/matching/runs/"+res.body["data"].(map[string]any)["id"].(string)
			case "list-trace-potential-matches":
				method, path = "GET", "/api/v2/tracing_requests/"+traced["id"].(string)+"/traces/"+traceID+"/potential_matches"
			case "list-case-potential-matches":
				method, path = "GET", "/api/v2/cases/"+targets["cases"]+"/potential_matches"
			case "list-potential-matches":
				method, path = "GET", "/api/v2/potential_matches"
			case "review-potential-match":
				// No such potential match: a caller allowed to review gets 404.
				method, path = "PATCH", "/api/v2/potential_matches/6f1c1f5e-3f6b-4b0e-9a55-000000000000"
				body = envelope(map[string]any{"action": "reject"})
			case "export-configuration":
				method, path = "GET", "/api/v2/configuration"
			case "import-configuration":
				if bundle == nil {
					res := mb.do(t, "GET", "ke.localhost", "/api/v2/configuration", callers["system_admin"], nil)
					require.Equal(t, 200, res.Code, res.Body.String())
					bundle = res.body
				}
				method, path, body = "POST", "/api/v2/configuration?dry_run=true", bundle
			case "export-translations":
				method, path = "GET", "/api/v2/translations/ar.po?missing=true"
			case "import-translations":
				method, path = "POST", "/api/v2/translations/imports?locale=ar"
				body = rawBody{"text/x-gettext-translation", []byte(matrixPO)}
			case "get-translation-import":
				if translationImport == "" {
					res := mb.do(t, "POST", "ke.localhost", "/api/v2/translations/imports", callers["system_admin"],
						rawBody{"text/x-gettext-translation", []byte(matrixPO)})
					require.Equal(t, 202, res.Code, res.Body.String())
					translationImport = res.Header().Get("Location")
				}
				method, path = "GET", translationImport
			case "get-ui-translations":
				method, path = "GET", "/api/v2/translations/ui/ar"
			case "create-case-assign", "create-case-referral", "create-case-transfer", "create-case-transfer-request":
				to := map[string]string{"create-case-assign": manager.email}[op]
				if to == "" {
					to = receiver.email
				}
				kind := strings.TrimPrefix(op, "create-case-")
				method, path = "POST", "/api/v2/cases/"+newRecord("cases")["id"].(string)+"/"+strings.ReplaceAll(kind, "-", "_")+"s"
				body = map[string]any{"data": map[string]any{"transitioned_to": to}}
			case "create-cases-assigns":
				method, path = "POST", "/api/v2/cases/assigns"
				body = map[string]any{"data": map[string]any{"ids": []string{newRecord("cases")["id"].(string)}, "transitioned_to": manager.email}}
			case "update-case-referral", "update-case-transfer", "update-case-transfer-request":
				kind := strings.ReplaceAll(strings.TrimPrefix(op, "update-case-"), "-", "_") + "s"
				id := newRecord("cases")["id"].(string)
				sender := target.token
				if kind == "transfer_requests" {
					sender = manager.token
				}
				res := mb.call(t, "POST", "/api/v2/cases/"+id+"/"+kind, sender, nil, map[string]any{"data": map[string]any{"transitioned_to": manager.email}})
				require.Equal(t, 200, res.Code, res.Body.String())
				method, path = "PATCH", "/api/v2/cases/"+id+"/"+kind+"/"+data(res)["id"].(string)
				body = map[string]any{"data": map[string]any{"status": "accepted"}}
			case "list-case-transitions":
				method, path = "GET", "/api/v2/cases/"+targets["cases"]+"/transitions"
			case "update-case-approval":
				id := newRecord("cases")["id"].(string)
				res := mb.call(t, "PATCH", "/api/v2/cases/"+id+"/approvals/case_plan", target.token, nil,
					map[string]any{"data": map[string]any{"approval_status": "requested"}})
				require.Equal(t, 200, res.Code, res.Body.String())
				method, path = "PATCH", "/api/v2/cases/"+id+"/approvals/case_plan"
				body = map[string]any{"data": map[string]any{"approval_status": "approved"}}
			case "list-case-approvals":
				method, path = "GET", "/api/v2/cases/"+targets["cases"]+"/approvals"
			case "create-case-flag", "create-tracing-request-flag", "create-incident-flag":
				resource := flagResource(op)
				method, path = "POST", "/api/v2/"+resource+"/"+newRecord(resource)["id"].(string)+"/flags"
				body = map[string]any{"data": map[string]any{"message": "Check the school", "date": "2026-03-01"}}
			case "update-case-flag", "update-tracing-request-flag", "update-incident-flag":
				resource := flagResource(op)
				id := newRecord(resource)["id"].(string)
				res := mb.call(t, "POST", "/api/v2/"+resource+"/"+id+"/flags", target.token, nil, map[string]any{"data": map[string]any{"message": "m"}})
				require.Equal(t, 201, res.Code, res.Body.String())
				method, path = "PATCH", "/api/v2/"+resource+"/"+id+"/flags/"+data(res)["id"].(string)
				body = map[string]any{"data": map[string]any{"unflag_message": "done"}}
			case "list-flags":
				method, path = "GET", "/api/v2/flags?active=true"
			case "list-case-flags", "list-tracing-request-flags", "list-incident-flags":
				resource := flagResource(op)
				method, path = "GET", "/api/v2/"+resource+"/"+targets[resource]+"/flags"
			case "add-case-note":
				method, path = "POST", "/api/v2/cases/"+newRecord("cases")["id"].(string)+"/notes"
				body = map[string]any{"data": map[string]any{"note_subject": "Visit", "field_notes_subform_fields": "The child is at school."}}
			case "close-case", "reopen-case":
				// A case whose closure the manager approved (the default module requires it).
				id := newRecord("cases")["id"].(string)
				for _, step := range []struct{ token, status string }{{target.token, "requested"}, {manager.token, "approved"}} {
					res := mb.call(t, "PATCH", "/api/v2/cases/"+id+"/approvals/closure", step.token, nil,
						map[string]any{"data": map[string]any{"approval_status": step.status}})
					require.Equal(t, 200, res.Code, res.Body.String())
				}
				if op == "reopen-case" {
					res := mb.call(t, "POST", "/api/v2/cases/"+id+"/close", target.token, nil, map[string]any{"data": map[string]any{"reason": "Reunified"}})
					require.Equal(t, 200, res.Code, res.Body.String())
				}
				method, path = "POST", "/api/v2/cases/"+id+"/"+strings.TrimSuffix(op, "-case")
				body = map[string]any{"data": map[string]any{"reason": "Matrix"}}
			case "list-notifications":
				method, path = "GET", "/api/v2/notifications"
			case "list-tasks":
				method, path = "GET", "/api/v2/tasks"
			case "list-transitions":
				method, path = "GET", "/api/v2/transitions?direction=out"
			case "list-approvals":
				method, path = "GET", "/api/v2/approvals?to_answer=true"
			case "list-alerts":
				method, path = "GET", "/api/v2/alerts"
			case "mark-alerts-read":
				method, path = "POST", "/api/v2/alerts/read"
				body = map[string]any{"data": map[string]any{}}
			case "get-dashboards":
				method, path = "GET", "/api/v2/dashboards"
			case "get-notification-settings":
				method, path = "GET", "/api/v2/users/me/notification_settings"
			case "update-notification-settings":
				method, path = "PUT", "/api/v2/users/me/notification_settings"
				body = map[string]any{"data": []any{map[string]any{"kind": "digest", "email": false}}}
			case "register-device":
				method, path = "POST", "/api/v2/devices"
				body = map[string]any{"label": "Matrix phone", "user_agent": "Matrix"}
			case "list-devices":
				method, path = "GET", "/api/v2/devices"
			case "get-device-key", "revoke-device":
				// The caseworker's own device; a token never gets a key (browser only).
				if targetDevice == "" {
					res := mb.call(t, "POST", "/api/v2/devices", target.token, nil, map[string]any{"label": "Matrix phone"})
					require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
					targetDevice = data(res)["id"].(string)
				}
				method, path = map[string]string{"get-device-key": "GET", "revoke-device": "DELETE"}[op], "/api/v2/devices/"+targetDevice
				if op == "get-device-key" {
					path += "/key"
				}
			case "list-user-devices":
				method, path = "GET", "/api/v2/users/"+target.userID+"/devices"
			case "revoke-user-device":
				res := mb.call(t, "POST", "/api/v2/devices", target.token, nil, map[string]any{"label": "Lost phone"})
				require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
				method, path = "DELETE", "/api/v2/users/"+target.userID+"/devices/"+data(res)["id"].(string)
			case "get-sharing-protocol":
				method, path = "GET", "/api/v2/sharing_protocol"
			case "list-assign-receivers", "list-transfer-receivers", "list-referral-receivers":
				method, path = "GET", "/api/v2/users/"+map[string]string{"list-assign-receivers": "assign-to",
					"list-transfer-receivers": "transfer-to", "list-referral-receivers": "refer-to"}[op]
			case "list-referable-roles":
				method, path = "GET", "/api/v2/roles/referable"
			case "replace-sharing-protocol":
				method, path = "PUT", "/api/v2/sharing_protocol"
				body = map[string]any{"data": []any{map[string]any{"from_agency": "agency-unicef", "to_agency": "agency-save", "referral": true}}}
			default:
				if m, p, b, ok := mb.attachmentCall(t, op, target.token, targets, newRecord); ok {
					method, path, body = m, p, b
					break
				}
				resource, action, ok := recordOperation(op)
				if !ok {
					t.Fatalf("testdata/tenant_matrix.txt names %s: add how to call it here", op)
				}
				switch action {
				case "create":
					method, path, body = "POST", "/api/v2/"+resource, envelope(recordBodies[resource])
				case "list":
					method, path = "GET", "/api/v2/"+resource
				case "get":
					method, path = "GET", "/api/v2/"+resource+"/"+targets[resource]
				case "history":
					method, path = "GET", "/api/v2/"+resource+"/"+targets[resource]+"/record_history"
				case "update", "replace":
					method = map[string]string{"update": "PATCH", "replace": "PUT"}[action]
					path, body = "/api/v2/"+resource+"/"+newRecord(resource)["id"].(string), envelope(recordBodies[resource])
					headers = ifMatch(1)
				case "disable", "enable":
					method, path = "POST", "/api/v2/"+resource+"/"+newRecord(resource)["id"].(string)+"/"+action
				case "erase": // a disabled record (the case manager disables it), erased with a reason
					id := newRecord(resource)["id"].(string)
					res := mb.call(t, "POST", "/api/v2/"+resource+"/"+id+"/disable", manager.token, nil, nil)
					require.Equal(t, http.StatusOK, res.Code, res.Body.String())
					method, path = "DELETE", "/api/v2/"+resource+"/"+id
					body = map[string]any{"data": map[string]any{"reason": "registered_by_mistake"}}
				case "erasure": // a disabled record found by its short id
					rec := newRecord(resource)
					res := mb.call(t, "POST", "/api/v2/"+resource+"/"+rec["id"].(string)+"/disable", manager.token, nil, nil)
					require.Equal(t, http.StatusOK, res.Code, res.Body.String())
					method, path = "GET", "/api/v2/"+resource+"/"+rec["short_id"].(string)+"/erasure"
				}
			}
			t.Run(op+"/"+caller, func(t *testing.T) {
				res := mb.call(t, method, path, callers[caller], headers, body)
				require.Equal(t, fields[i+1], fmt.Sprint(res.Code), res.Body.String())
			})
		}
	}
	for _, op := range api.Operations(mb.srv.TenantAPI()) {
		require.True(t, seen[op.ID], "operation %s is missing from testdata/tenant_matrix.txt", op.ID)
	}
}

// matrixPO is a small PO file in Arabic (the test tenant's other language).
const matrixPO = "msgid \"\"\nmsgstr \"Language: ar\\n\"\n\nmsgctxt \"lookup:lookup-sex:name\"\nmsgid \"Sex\"\nmsgstr \"الجنس\"\n"

// randomName is a unique lower-case name with prefix, e.g. for form unique_ids.
func randomName(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return prefix + "_" + hex.EncodeToString(b)
}

// matrixForm is a small valid case form.
func matrixForm(id string) map[string]any {
	return map[string]any{"unique_id": id, "parent_form": "case", "module_ids": []string{"primeromodule-cp"},
		"name": map[string]string{"en": "Matrix"}, "order": 0, "order_form_group": 0, "is_nested": false, "core_form": false,
		"fields": []any{map[string]any{"name": id + "_note", "type": "text_field", "display_name": map[string]string{"en": "Note"}}}}
}

// matrixLookup is a small valid lookup.
func matrixLookup(id string) map[string]any {
	return map[string]any{"unique_id": id, "name": map[string]string{"en": "Matrix"},
		"values": []any{map[string]any{"id": "one", "display_text": map[string]string{"en": "One"}}}}
}

func TestDefaultRolesUseOnlyCatalogPermissions(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	roles, err := mb.p.ListRoles(sys(), "ke")
	require.NoError(t, err)
	require.Len(t, roles, 5)
	for _, r := range roles {
		for _, p := range r.Permissions {
			_, err := policy.ParsePermission(p)
			require.NoError(t, err, r.UniqueID)
		}
	}
}

func TestAuthenticationFailures(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	mb.createTenant(t, "so", "Somalia")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")

	for name, tc := range map[string]struct {
		host, token string
		headers     map[string]string
		status      int
		detail      string
	}{
		"NoCredential":          {"ke.localhost", "", nil, 401, "Authentication required"},
		"ForgedToken":           {"ke.localhost", "ory_st_forged", nil, 401, "not valid"},
		"OtherTenantsMember":    {"so.localhost", cw.token, nil, 403, "not a member"},
		"CookieChangeNoOrigin":  {"ke.localhost", "", map[string]string{"Cookie": "cpims_session=abc"}, 403, "Cross-site"},
		"CookieChangeBadOrigin": {"ke.localhost", "", map[string]string{"Cookie": "cpims_session=abc", "Origin": "https://so.localhost"}, 403, "Cross-site"},
		"CookieSameOrigin":      {"ke.localhost", "", map[string]string{"Cookie": "cpims_session=abc", "Origin": "http://ke.localhost"}, 401, "not valid"},
	} {
		t.Run(name, func(t *testing.T) {
			method := "GET"
			if name[:6] == "Cookie" {
				method = "PATCH"
			}
			req := httptest.NewRequest(method, "/api/v2/users/"+cw.userID, strings.NewReader(`{"disabled":false}`))
			req.Host = tc.host
			req.Header.Set("Content-Type", "application/json")
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			mb.srv.ServeHTTP(rec, req)
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			require.Contains(t, rec.Body.String(), tc.detail)
		})
	}
}

func TestSecondFactorRequiredForAdminRoles(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	addr := randomEmail("admin")
	ctx := context.Background()
	id, err := kratosServer.CreateIdentity(ctx, addr, testPassword, "en")
	require.NoError(t, err)
	_, err = people.New(mb.p).AddUser(sys(), "ke", people.NewUser{Email: addr, FullName: "Admin No MFA", Locale: "en",
		Role: "role-system-administrator", Agency: "agency-unicef"}, func(context.Context) (string, error) { return id, nil }, nil)
	require.NoError(t, err)
	token, err := kratosServer.Login(ctx, addr, testPassword)
	require.NoError(t, err)
	res := mb.do(t, "GET", "ke.localhost", "/api/v2/users", token, nil)
	requireProblem(t, res, http.StatusForbidden)
	require.Contains(t, res.body["detail"], "second factor")

	secret, err := kratosServer.EnrolTOTP(ctx, token)
	require.NoError(t, err)
	require.NoError(t, kratosServer.LoginSecondFactor(ctx, token, secret))
	require.Equal(t, 200, mb.do(t, "GET", "ke.localhost", "/api/v2/users", token, nil).Code)
}

func TestIdleSessionEnds(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	require.Equal(t, 200, mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", cw.token, nil).Code)
	mb.now = mb.now.Add(29 * time.Minute)
	require.Equal(t, 200, mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", cw.token, nil).Code, "activity within 30 min keeps it alive")
	mb.now = mb.now.Add(31 * time.Minute)
	res := mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", cw.token, nil)
	requireProblem(t, res, http.StatusUnauthorized)
	require.Equal(t, "Your session ended after 30 min without activity: sign in again.", res.body["detail"])
	_, err := kratosServer.WhoAmI(context.Background(), cw.token)
	require.Error(t, err, "the idle session is revoked in Kratos too")
}

func TestSessionActivityIsRecordedAtMostOncePerMinute(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	me := func() int { return mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", cw.token, nil).Code }
	t0 := mb.now
	require.Equal(t, 200, me())
	mb.now = t0.Add(61 * time.Second)
	require.Equal(t, 200, me(), "recorded: over a minute since the last record")
	mb.now = t0.Add(61*time.Second + 29*time.Minute)
	require.Equal(t, 200, me(), "alive: 29 min after the activity recorded at +61 s (recorded again)")
	recorded := mb.now
	mb.now = recorded.Add(50 * time.Second)
	require.Equal(t, 200, me(), "not recorded: within a minute of the last record")
	mb.now = recorded.Add(30*time.Minute + 10*time.Second)
	require.Equal(t, http.StatusUnauthorized, me(),
		"idle is measured from the last record: the session ends up to a minute early, never late")
}

func TestDisablingAMemberLocksThemOutOfThatTenantOnly(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	mb.createTenant(t, "so", "Somalia")
	require.NoError(t, people.New(mb.p).AddAgency(sys(), "so", "agency-unicef", "UNICEF", map[string]string{"en": "UNICEF"}))
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	// The same person is a member of Somalia too, with the same session.
	ids, err := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
	require.NoError(t, err)
	identityID, err := ids.IdentityByEmail(context.Background(), cw.email)
	require.NoError(t, err)
	_, err = people.New(mb.p).AddUser(sys(), "so", people.NewUser{Email: cw.email, FullName: "Same Person", Locale: "en",
		Role: "role-caseworker", Agency: "agency-unicef"}, func(context.Context) (string, error) { return identityID, nil }, nil)
	require.NoError(t, err)
	require.Equal(t, 200, mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", cw.token, nil).Code)
	require.Equal(t, 200, mb.do(t, "GET", "so.localhost", "/api/v2/users/me", cw.token, nil).Code)

	res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/"+cw.userID, admin.token, map[string]any{"disabled": true})
	require.Equal(t, 200, res.Code, res.Body.String())
	require.Equal(t, true, res.body["data"].(map[string]any)["disabled"])
	res = mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", cw.token, nil)
	requireProblem(t, res, http.StatusUnauthorized)
	require.Contains(t, res.body["detail"], "disabled")
	require.Equal(t, 200, mb.do(t, "GET", "so.localhost", "/api/v2/users/me", cw.token, nil).Code,
		"the other country instance is not affected")
	_, err = kratosServer.WhoAmI(context.Background(), cw.token)
	require.NoError(t, err, "the session itself lives on: ending it everywhere is the hosting team's call")

	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/"+cw.userID, admin.token, map[string]any{"disabled": false})
	require.Equal(t, 200, res.Code, res.Body.String())
	require.Equal(t, 200, mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", cw.token, nil).Code, "re-enabled at once")

	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/"+admin.userID, admin.token, map[string]any{"disabled": true})
	requireProblem(t, res, http.StatusUnprocessableEntity)
}

func TestInviteUser(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	agencyAdmin := mb.member(t, "ke", "role-agency-admin", "agency-unicef")
	addr := randomEmail("amina")
	body := map[string]any{"email": addr, "full_name": "Amina Yusuf", "locale": "fr", "time_zone": "Africa/Nairobi",
		"role_unique_id": "role-caseworker", "agency_unique_id": "agency-save", "user_group_unique_ids": []string{"usergroup-nairobi"}}
	res := mb.do(t, "POST", "ke.localhost", "/api/v2/users", admin.token, body)
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	u := res.body["data"].(map[string]any)
	require.Equal(t, addr, u["email"])
	require.Equal(t, "Africa/Nairobi", u["time_zone"])
	require.Equal(t, "agency-save", u["agency_unique_id"])
	require.Equal(t, []any{"usergroup-nairobi"}, u["user_group_unique_ids"])

	msgs, err := mb.smtp.Wait(1, 30*time.Second)
	require.NoError(t, err)
	require.Equal(t, []string{addr}, msgs[0].To)
	raw := string(msgs[0].Data)
	require.Contains(t, raw, "Content-Language: fr")
	require.Regexp(t, `(?s)saisissez ce code.*\d{6}`, decodeQP(t, raw))

	// The invited person follows the email: code, new password, sign-in, and they are in.
	text := decodeQP(t, raw[strings.Index(raw, "\r\n\r\n"):])
	link := regexp.MustCompile(`https?://\S+/recovery\?flow=[\w-]+`).FindString(text)
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(text)
	require.NotEmpty(t, link, text)
	require.True(t, strings.HasPrefix(link, "http://ke.localhost:8080/auth/recovery?flow="),
		"the link leads to the tenant's own host (api.AppURLDefault with ke.): %s", link)
	require.NoError(t, kratosServer.AcceptInvitation(context.Background(), link, code, "amina's own long password"))
	token, err := kratosServer.Login(context.Background(), addr, "amina's own long password")
	require.NoError(t, err)
	me := mb.do(t, "GET", "ke.localhost", "/api/v2/users/me", token, nil)
	require.Equal(t, 200, me.Code, me.Body.String())
	require.Equal(t, addr, me.body["data"].(map[string]any)["email"])
	require.Equal(t, "Africa/Nairobi", me.body["data"].(map[string]any)["time_zone"], "their account shows the invitation's time zone")

	res = mb.do(t, "POST", "ke.localhost", "/api/v2/users", admin.token, body)
	requireProblem(t, res, http.StatusConflict)

	// Without a time zone: the instance's default (empty on the user).
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/users", admin.token, map[string]any{"email": randomEmail("nozone"),
		"full_name": "No Zone", "locale": "en", "role_unique_id": "role-caseworker", "agency_unique_id": "agency-unicef"})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	require.Empty(t, res.body["data"].(map[string]any)["time_zone"])
	_, err = mb.smtp.Wait(2, 30*time.Second)
	require.NoError(t, err)

	for name, tc := range map[string]struct {
		token string
		patch map[string]any
		field string
	}{
		"UnknownRole":   {admin.token, map[string]any{"role_unique_id": "role-nope"}, "role_unique_id"},
		"UnknownAgency": {admin.token, map[string]any{"agency_unique_id": "agency-nope"}, "agency_unique_id"},
		"UnknownGroup":  {admin.token, map[string]any{"user_group_unique_ids": []string{"usergroup-nope"}}, "user_group_unique_ids"},
		"OtherAgency":   {agencyAdmin.token, map[string]any{"agency_unique_id": "agency-save"}, "agency_unique_id"},
		"GrantAllScope": {agencyAdmin.token, map[string]any{"role_unique_id": "role-system-administrator", "agency_unique_id": "agency-unicef"}, "role_unique_id"},
		"BadEmail":      {admin.token, map[string]any{"email": "not-an-email"}, "email"},
		"UnknownZone":   {admin.token, map[string]any{"time_zone": "Mars/Olympus_Mons"}, "body.time_zone"},
	} {
		t.Run(name, func(t *testing.T) {
			b := map[string]any{"email": randomEmail("bad"), "full_name": "Bad Invite", "locale": "en",
				"role_unique_id": "role-caseworker", "agency_unique_id": "agency-unicef"}
			for k, v := range tc.patch {
				b[k] = v
			}
			res := mb.do(t, "POST", "ke.localhost", "/api/v2/users", tc.token, b)
			requireProblem(t, res, http.StatusUnprocessableEntity)
			require.Contains(t, res.Body.String(), tc.field)
			if e, ok := b["email"].(string); ok && strings.Contains(e, "@") {
				k, _ := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
				id, err := k.IdentityByEmail(context.Background(), e)
				require.NoError(t, err)
				require.Empty(t, id, "a refused invitation creates no identity")
			}
		})
	}
	require.Len(t, mb.smtp.Messages(), 2, "refused invitations send no email")
}

func TestListUsersIsScoped(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	agencyAdmin := mb.member(t, "ke", "role-agency-admin", "agency-save")
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	inGroup := mb.member(t, "ke", "role-caseworker", "agency-save", "usergroup-nairobi")
	mb.member(t, "ke", "role-caseworker", "agency-unicef") // outside the group
	mb.member(t, "ke", "role-caseworker", "agency-save")   // outside the group
	ids := func(token string, query string) (int, []string) {
		res := mb.do(t, "GET", "ke.localhost", "/api/v2/users"+query, token, nil)
		require.Equal(t, 200, res.Code, res.Body.String())
		var out []string
		for _, u := range res.body["data"].([]any) {
			out = append(out, u.(map[string]any)["id"].(string))
		}
		return int(res.body["metadata"].(map[string]any)["total"].(float64)), out
	}
	total, _ := ids(admin.token, "")
	require.Equal(t, 6, total)
	total, got := ids(agencyAdmin.token, "")
	require.Equal(t, 3, total, "agency scope: the 3 users of agency-save")
	require.Contains(t, got, inGroup.userID)
	total, got = ids(manager.token, "")
	require.Equal(t, 2, total, "group scope: the manager and the other member of their group")
	require.ElementsMatch(t, []string{manager.userID, inGroup.userID}, got)
	total, got = ids(admin.token, "?per=4&page=2")
	require.Equal(t, 6, total)
	require.Len(t, got, 2)

	res := mb.do(t, "GET", "ke.localhost", "/api/v2/users/"+admin.userID, manager.token, nil)
	requireProblem(t, res, http.StatusNotFound) // outside the scope answers like a missing user
}

// idOf finds the id of the item with uniqueID in a tenant list.
func idOf[T any](t testing.TB, list func(context.Context, string) ([]T, error), uniqueID string, key func(T) (string, string)) string {
	t.Helper()
	items, err := list(sys(), "ke")
	require.NoError(t, err)
	for _, it := range items {
		if u, id := key(it); u == uniqueID {
			return id
		}
	}
	t.Fatalf("no %s in the tenant", uniqueID)
	return ""
}

func agencyID(t testing.TB, mb *membersBundle, uniqueID string) string {
	return idOf(t, people.New(mb.p).ListAgencies, uniqueID, func(a people.Agency) (string, string) { return a.UniqueID, a.ID })
}

func groupID(t testing.TB, mb *membersBundle, uniqueID string) string {
	return idOf(t, people.New(mb.p).ListUserGroups, uniqueID, func(g people.UserGroup) (string, string) { return g.UniqueID, g.ID })
}

func roleID(t testing.TB, mb *membersBundle, uniqueID string) string {
	return idOf(t, mb.p.ListRoles, uniqueID, func(r tenancy.Role) (string, string) { return r.UniqueID, r.ID })
}

// recordOperation parses the id of a records operation shared by the three
// record types (create-case, list-tracing-requests, list-incident-history):
// the resource (cases) and the action (create, list, get, update, replace,
// disable, enable, history, erase, erasure).
func recordOperation(op string) (resource, action string, ok bool) {
	for _, t := range []struct{ singular, plural, resource string }{
		{"case", "cases", "cases"}, {"incident", "incidents", "incidents"}, {"tracing-request", "tracing-requests", "tracing_requests"}} {
		switch {
		case op == "list-"+t.plural:
			return t.resource, "list", true
		case op == "list-"+t.singular+"-history":
			return t.resource, "history", true
		case op == "get-"+t.singular+"-erasure":
			return t.resource, "erasure", true
		}
		for _, a := range []string{"create", "get", "update", "replace", "disable", "enable", "erase"} {
			if op == a+"-"+t.singular {
				return t.resource, a, true
			}
		}
	}
	return "", "", false
}

// flagResource is the record resource of a flag operation of the matrix.
func flagResource(op string) string {
	switch {
	case strings.Contains(op, "tracing-request"):
		return "tracing_requests"
	case strings.Contains(op, "incident"):
		return "incidents"
	}
	return "cases"
}
