package api_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// errorLocations lists the locations of a problem's errors.
func errorLocations(t testing.TB, res response) []string {
	t.Helper()
	var out []string
	errs, _ := res.body["errors"].([]any)
	for _, e := range errs {
		out = append(out, e.(map[string]any)["location"].(string))
	}
	return out
}

func configurationETag(t testing.TB, b *testBundle, token string) string {
	t.Helper()
	res := b.do(t, "GET", "ke.localhost", "/api/v2/configuration", token, nil)
	require.Equal(t, 200, res.Code, res.Body.String())
	return res.Header().Get("ETag")
}

func TestFormsAPIRefusesBadConfigurationByPath(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef").token
	etag := configurationETag(t, mb.testBundle, admin)

	form := matrixForm("family_extra")
	form["fields"] = []any{
		map[string]any{"name": "fx_relation", "type": "select_box", "display_name": map[string]string{"en": "Relation"},
			"option_strings_text": []any{map[string]any{"id": "mother", "display_text": map[string]string{"en": "Mother"}}}},
		map[string]any{"name": "fx_relation_other", "type": "text_field", "display_name": map[string]string{"en": "Other"},
			"display_conditions": map[string]any{"eq": map[string]any{"fx_relation": "aunt"}}},
		map[string]any{"name": "fx_age", "type": "numeric_field", "display_name": map[string]string{"en": "Age"}, "min_value": 10, "max_value": 1},
		map[string]any{"name": "fx_notes", "type": "text_field", "display_name": map[string]string{"en": "Notes"},
			"display_conditions": map[string]any{"gt": map[string]any{"missing_field": 3}}},
	}
	res := mb.do(t, "POST", "ke.localhost", "/api/v2/forms", admin, form)
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Equal(t, "The form is not valid.", res.body["detail"])
	require.Equal(t, []string{"body.fields[1].display_conditions.eq.fx_relation", "body.fields[2].min_value",
		"body.fields[3].display_conditions.gt.missing_field"}, errorLocations(t, res))

	res = mb.do(t, "POST", "ke.localhost", "/api/v2/forms", admin, map[string]any{"unique_id": "x", "fields": []any{
		map[string]any{"name": "a", "type": "wheel"}}})
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Contains(t, errorLocations(t, res), "body.fields[0].type", "the schema is checked too")

	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/forms/basic_identity", admin, map[string]any{
		"fields": []any{map[string]any{"name": "name_first", "type": "text_field", "display_name": map[string]string{"en": "First name"},
			"display_conditions": map[string]any{"exists": "nickname"}}}})
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Equal(t, []string{"body.fields[0].display_conditions.exists"}, errorLocations(t, res))
	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/forms/basic_identity", admin, map[string]any{"parent_form": "incident"})
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Equal(t, []string{"body.parent_form"}, errorLocations(t, res))

	res = mb.do(t, "DELETE", "ke.localhost", "/api/v2/forms/basic_identity", admin, nil)
	requireProblem(t, res, http.StatusConflict)
	require.Contains(t, res.body["detail"], "core form")
	res = mb.do(t, "DELETE", "ke.localhost", "/api/v2/lookups/lookup-sex", admin, nil)
	requireProblem(t, res, http.StatusConflict)
	require.Contains(t, res.body["detail"], "names lookup lookup-sex")
	require.Equal(t, "in_use", res.body["code"])
	uses := res.body["errors"].([]any)
	require.NotEmpty(t, uses, "each use is an entry of errors[] with its own code")
	// In Arabic the whole refusal is Arabic: the sentence and each use's
	// reason (ids and paths aside), joined by the Arabic semicolon.
	adminAr := mb.memberIn(t, "ar", "ke", "role-system-administrator", "agency-unicef").token
	res = mb.do(t, "DELETE", "ke.localhost", "/api/v2/lookups/lookup-sex", adminAr, nil)
	requireProblem(t, res, http.StatusConflict)
	detail := res.body["detail"].(string)
	require.True(t, strings.HasPrefix(detail, "لا يمكن حذف قائمة القيم lookup-sex: "), detail)
	arUses := res.body["errors"].([]any)
	require.Len(t, arUses, len(uses))
	for i, u := range arUses {
		en, ar := uses[i].(map[string]any), u.(map[string]any)
		require.Equal(t, en["code"], ar["code"])
		require.NotEqual(t, "invalid", ar["code"], "a use's reason has its catalogue code: %v", ar)
		require.NotEqual(t, en["message"], ar["message"], "use %d worded in Arabic", i)
		require.Contains(t, detail, ar["message"].(string))
		for _, w := range strings.Fields(ar["message"].(string)) {
			w = strings.Trim(w, ":,.()\"")
			if strings.ContainsAny(w, "abcdefghijklmnopqrstuvwxyz") {
				require.Contains(t, en["message"], w, "%q of %q is an id or path of the English reason", w, ar["message"])
				require.NotContains(t, []string{"names", "lookup", "field", "form", "records", "use", "of"}, w, "English word %q in %q", w, ar["message"])
			}
		}
	}
	if len(arUses) > 1 {
		require.Contains(t, detail, "؛ ")
	}
	res = mb.do(t, "DELETE", "ke.localhost", "/api/v2/forms/basic_identity", adminAr, nil)
	requireProblem(t, res, http.StatusConflict)
	require.NotContains(t, res.body["detail"], "core form", "the core form's refusal is Arabic too: %v", res.body["detail"])

	// A bundle with a problem in a form and in a role: every path under body.data, nothing applied.
	res = mb.do(t, "GET", "ke.localhost", "/api/v2/configuration", admin, nil)
	require.Equal(t, 200, res.Code)
	bundle := res.body["data"].(map[string]any)
	formsList := bundle["forms"].([]any)
	formsList[0].(map[string]any)["module_ids"] = []any{"primeromodule-nope"}
	bundle["roles"].(map[string]any)["role-caseworker"] = map[string]any{"basic_identity": "write"}
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/configuration", admin, map[string]any{"data": bundle})
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Equal(t, []string{"body.data.forms[0].module_ids[0]", "body.data.roles.role-caseworker.basic_identity"}, errorLocations(t, res))

	require.Equal(t, etag, configurationETag(t, mb.testBundle, admin), "refused changes change nothing")
}

func TestValidateRecordDataAPI(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef").token
	validate := func(body map[string]any) response {
		return mb.do(t, "POST", "ke.localhost", "/api/v2/forms/validate", cw, body)
	}
	res := validate(map[string]any{"record_type": "case", "module_id": "primeromodule-cp",
		"data": map[string]any{"name_first": "Amina", "sex": "female", "registration_date": "2026-01-05"}})
	require.Equal(t, 200, res.Code, res.Body.String())
	data := res.body["data"].(map[string]any)
	require.Equal(t, true, data["valid"])
	require.Empty(t, data["errors"])

	res = validate(map[string]any{"record_type": "case", "module_id": "primeromodule-cp",
		"data": map[string]any{"name_first": 7, "sex": "no_such_option", "favourite_colour": "red"}})
	require.Equal(t, 200, res.Code, res.Body.String())
	data = res.body["data"].(map[string]any)
	require.Equal(t, false, data["valid"])
	var got []string
	for _, e := range data["errors"].([]any) {
		got = append(got, e.(map[string]any)["location"].(string))
	}
	require.Equal(t, []string{"body.data.favourite_colour", "body.data.name_first", "body.data.registration_date", "body.data.sex"}, got)

	// Location fields are checked against the tenant's locations (package locations).
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef").token
	located := map[string]any{"record_type": "case", "module_id": "primeromodule-cp",
		"data": map[string]any{"sex": "female", "registration_date": "2026-01-05", "location_current": "KE01"}}
	res = validate(located)
	require.Equal(t, 200, res.Code, res.Body.String())
	errs := res.body["data"].(map[string]any)["errors"].([]any)
	require.Len(t, errs, 1, res.Body.String())
	require.Equal(t, "body.data.location_current", errs[0].(map[string]any)["location"])
	require.Equal(t, "no such location", errs[0].(map[string]any)["message"])
	for _, l := range []map[string]any{{"code": "KE", "admin_level": 0, "name": map[string]string{"en": "Kenya"}},
		{"code": "KE01", "parent_code": "KE", "admin_level": 1, "name": map[string]string{"en": "Mombasa"}}} {
		res = mb.do(t, "POST", "ke.localhost", "/api/v2/locations", admin, l)
		require.Equal(t, 201, res.Code, res.Body.String())
	}
	res = validate(located)
	require.Equal(t, true, res.body["data"].(map[string]any)["valid"], res.Body.String())

	res = validate(map[string]any{"record_type": "case", "module_id": "primeromodule-nope", "data": map[string]any{}})
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Equal(t, []string{"body.module_id"}, errorLocations(t, res))
}

// TestConfigurationChangeSeenByAnotherServer runs two servers, each with
// its own platform, enforcer and forms cache, on one database.
func TestConfigurationChangeSeenByAnotherServer(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef").token
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef").token

	enf2, err := policy.NewEnforcer()
	require.NoError(t, err)
	k, err := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
	require.NoError(t, err)
	srv2, err := api.New(mb.db.Platform(t, tenancy.Config{Authorizer: enf2}), enf2, api.Config{Sessions: identity.NewCachedSessions(k, 0),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Registry: prometheus.NewRegistry(), AuthFailuresPerMinute: 10_000})
	require.NoError(t, err)
	second := func(method, path, token string, body any) response {
		var r io.Reader
		if body != nil {
			j, err := json.Marshal(body)
			require.NoError(t, err)
			r = strings.NewReader(string(j))
		}
		req := httptest.NewRequest(method, path, r)
		req.Host = "ke.localhost"
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		srv2.ServeHTTP(rec, req)
		out := response{ResponseRecorder: rec}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out.body), rec.Body.String())
		return out
	}
	valid := func(res response) bool {
		require.Equal(t, 200, res.Code, res.Body.String())
		return res.body["data"].(map[string]any)["valid"].(bool)
	}
	check := map[string]any{"record_type": "case", "module_id": "primeromodule-cp",
		"data": map[string]any{"nickname": "Ami", "registration_date": "2026-01-05", "sex": "female"}}

	// The second server compiles and caches the caseworker's validator: nickname is unknown.
	require.False(t, valid(second("POST", "/api/v2/forms/validate", cw, check)))
	etag := second("GET", "/api/v2/configuration", admin, nil).Header().Get("ETag")

	// The first server adds the field to basic_identity ...
	res := mb.do(t, "GET", "ke.localhost", "/api/v2/forms/basic_identity", admin, nil)
	require.Equal(t, 200, res.Code)
	fields := res.body["data"].(map[string]any)["fields"].([]any)
	fields = append(fields, map[string]any{"name": "nickname", "type": "text_field", "display_name": map[string]string{"en": "Nickname"}})
	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/forms/basic_identity", admin, map[string]any{"fields": fields})
	require.Equal(t, 200, res.Code, res.Body.String())

	// ... and the second server applies it at its next request.
	require.True(t, valid(second("POST", "/api/v2/forms/validate", cw, check)))
	require.NotEqual(t, etag, second("GET", "/api/v2/configuration", admin, nil).Header().Get("ETag"))
	res = second("GET", "/api/v2/forms/basic_identity", cw, nil)
	require.Contains(t, res.Body.String(), `"nickname"`)

	// A role's form access is configuration too: made read-only on the first server, refused on the second.
	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/roles/"+roleID(t, mb, "role-caseworker"), admin,
		map[string]any{"form_access": map[string]string{"basic_identity": "r"}})
	require.Equal(t, 200, res.Code, res.Body.String())
	res = second("POST", "/api/v2/forms/validate", cw, check)
	require.False(t, valid(res))
	require.Contains(t, res.Body.String(), "read-only for your role")

	// Form access must name existing forms.
	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/roles/"+roleID(t, mb, "role-caseworker"), admin,
		map[string]any{"form_access": map[string]string{"no_such_form": "r"}})
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Equal(t, []string{"body.form_access.no_such_form"}, errorLocations(t, res))
}

func TestConfigurationBundleRoundTripThroughAPI(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	mb.createTenant(t, "so", "Somalia")
	adminKE := mb.member(t, "ke", "role-system-administrator", "agency-unicef").token
	require.NoError(t, people.New(mb.p).AddAgency(sys(), "so", "agency-unicef", "UNICEF", map[string]string{"en": "UNICEF"}))
	adminSO := mb.member(t, "so", "role-system-administrator", "agency-unicef").token

	// Kenya adds a lookup and a form using it, and changes module options.
	res := mb.do(t, "POST", "ke.localhost", "/api/v2/lookups", adminKE, matrixLookup("lookup-school-level"))
	require.Equal(t, 201, res.Code, res.Body.String())
	form := matrixForm("education")
	form["fields"] = []any{map[string]any{"name": "school_level", "type": "select_box", "display_name": map[string]string{"en": "Level"},
		"option_strings_source": "lookup lookup-school-level", "filterable": true}}
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/forms", adminKE, form)
	require.Equal(t, 201, res.Code, res.Body.String())
	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/roles/"+roleID(t, mb, "role-caseworker"), adminKE,
		map[string]any{"form_access": map[string]string{"basic_identity": "rw", "education": "r"}})
	require.Equal(t, 200, res.Code, res.Body.String())
	res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/modules/primeromodule-cp", adminKE,
		map[string]any{"options": map[string]any{"referral": true, "approvals": []string{"case_plan"}}})
	require.Equal(t, 200, res.Code, res.Body.String())

	for _, l := range []map[string]any{{"code": "KE", "admin_level": 0, "name": map[string]string{"en": "Kenya"}},
		{"code": "KE01", "parent_code": "KE", "admin_level": 1, "name": map[string]string{"en": "Mombasa"}}} {
		res = mb.do(t, "POST", "ke.localhost", "/api/v2/locations", adminKE, l)
		require.Equal(t, 201, res.Code, res.Body.String())
	}

	exported := mb.do(t, "GET", "ke.localhost", "/api/v2/configuration", adminKE, nil)
	require.Equal(t, 200, exported.Code)
	require.Len(t, exported.body["data"].(map[string]any)["locations"], 2)

	soETag := mb.do(t, "GET", "so.localhost", "/api/v2/configuration", adminSO, nil).Header().Get("ETag")
	res = mb.do(t, "POST", "so.localhost", "/api/v2/configuration?dry_run=true", adminSO, exported.body)
	require.Equal(t, 200, res.Code, res.Body.String())
	dry := res.body["data"].(map[string]any)
	require.Equal(t, true, dry["dry_run"])
	require.Contains(t, dry["changes"], map[string]any{"kind": "form", "id": "education", "op": "added"})
	require.Contains(t, dry["changes"], map[string]any{"kind": "lookup", "id": "lookup-school-level", "op": "added"})
	require.Contains(t, dry["changes"], map[string]any{"kind": "location", "id": "KE01", "op": "added"})
	require.Equal(t, soETag, mb.do(t, "GET", "so.localhost", "/api/v2/configuration", adminSO, nil).Header().Get("ETag"), "a dry run changes nothing")

	req := httptest.NewRequest("POST", "/api/v2/configuration", strings.NewReader(exported.Body.String()))
	req.Host = "so.localhost"
	req.Header.Set("Authorization", "Bearer "+adminSO)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("If-Match", soETag)
	rec := httptest.NewRecorder()
	mb.srv.ServeHTTP(rec, req)
	require.Equal(t, 200, rec.Code, rec.Body.String())

	again := mb.do(t, "GET", "so.localhost", "/api/v2/configuration", adminSO, nil)
	require.Equal(t, 200, again.Code)
	require.Equal(t, exported.Body.String(), again.Body.String(), "export, import, export: the same JSON")

	// A stale If-Match is refused.
	req = httptest.NewRequest("POST", "/api/v2/configuration", strings.NewReader(exported.Body.String()))
	req.Host = "so.localhost"
	req.Header.Set("Authorization", "Bearer "+adminSO)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("If-Match", soETag)
	rec = httptest.NewRecorder()
	mb.srv.ServeHTTP(rec, req)
	require.Equal(t, http.StatusPreconditionFailed, rec.Code, rec.Body.String())
}
