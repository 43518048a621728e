package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/people"
)

// validInput is a valid call of one operation: path parameters and body,
// which the input test then spoils one value at a time.
type validInput struct {
	path map[string]string
	body map[string]any
}

// fingerprint hashes the rows an API call could change (tenant ke's people
// and configuration, and the platform's tenants), not the audit log, which
// records refused calls too.
func fingerprint(t *testing.T, mb *membersBundle) string {
	t.Helper()
	conn := mb.db.Superuser(t)
	var out []string
	for _, table := range []string{"tenant_ke.users", "tenant_ke.roles", "tenant_ke.agencies", "tenant_ke.user_groups",
		"tenant_ke.user_groups_users", "tenant_ke.service_accounts", "tenant_ke.api_keys", "tenant_ke.system_settings",
		"tenant_ke.records", "tenant_ke.record_access", "tenant_ke.record_history", "tenant_ke.traces",
		"tenant_ke.attachments",
		"tenant_ke.transitions", "tenant_ke.sharing_protocol", "tenant_ke.notifications",
		"tenant_ke.approvals", "tenant_ke.flags",
		"tenant_ke.alert_reads", "tenant_ke.notification_opt_outs",
		"tenant_ke.forms", "tenant_ke.lookups", "tenant_ke.modules", "tenant_ke.configuration", "platform.tenants"} {
		var h string
		require.NoError(t, conn.QueryRow(context.Background(),
			"select coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from "+table+" t").Scan(&h))
		out = append(out, table+"="+h)
	}
	return strings.Join(out, " ")
}

// stringLeaves lists where a JSON body of schema s holds strings, as paths
// of keys ("[]" for an array element, "*" for a map value).
func stringLeaves(oapi *huma.OpenAPI, s *huma.Schema, prefix []string) [][]string {
	if s == nil {
		return nil
	}
	if s.Ref != "" {
		s = oapi.Components.Schemas.SchemaFromRef(s.Ref)
	}
	switch s.Type {
	case huma.TypeString:
		return [][]string{prefix}
	case huma.TypeArray:
		return stringLeaves(oapi, s.Items, append(slices.Clone(prefix), "[]"))
	case huma.TypeObject:
		var out [][]string
		names := make([]string, 0, len(s.Properties))
		for name := range s.Properties {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			out = append(out, stringLeaves(oapi, s.Properties[name], append(slices.Clone(prefix), name))...)
		}
		if ap, ok := s.AdditionalProperties.(*huma.Schema); ok {
			out = append(out, stringLeaves(oapi, ap, append(slices.Clone(prefix), "*"))...)
		}
		return out
	}
	return nil
}

// withValue returns a copy of body with value at leaf (creating what is missing)
// and the location a problem names for it.
func withValue(body map[string]any, leaf []string, value any) (map[string]any, string) {
	var clone map[string]any
	b, _ := json.Marshal(body)
	_ = json.Unmarshal(b, &clone)
	if clone == nil {
		clone = map[string]any{}
	}
	loc := "body"
	var cur any = clone
	for i, key := range leaf {
		last := i == len(leaf)-1
		switch key {
		case "[]":
			loc += "[0]"
		case "*":
			key = "en"
			fallthrough
		default:
			loc += "." + key
		}
		var next any = value
		if !last {
			next = map[string]any{}
			if leaf[i+1] == "[]" {
				next = []any{nil}
			}
		}
		switch c := cur.(type) {
		case map[string]any:
			if existing, ok := c[key]; ok && !last {
				if arr, isArr := existing.([]any); isArr && len(arr) > 0 {
					next = arr
				} else if m, isMap := existing.(map[string]any); isMap {
					next = m
				}
			}
			c[key] = next
		case []any:
			c[0] = next
		}
		cur = next
	}
	return clone, loc
}

func TestEveryOperationRefusesNULInvalidUTF8AndDuplicateKeys(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	sa, err := people.New(mb.p).CreateServiceAccount(sys(), "ke", "Input integration", "role-caseworker", "agency-unicef")
	require.NoError(t, err)
	key, _, err := people.New(mb.p).IssueAPIKey(sys(), "ke", sa.ID, "k", nil)
	require.NoError(t, err)
	ids := map[string]string{
		"update-agency":          agencyID(t, mb, "agency-unicef"),
		"update-user-group":      groupID(t, mb, "usergroup-nairobi"),
		"update-role":            roleID(t, mb, "role-data-analyst"),
		"get-user":               cw.userID,
		"update-user":            cw.userID,
		"list-api-keys":          sa.ID,
		"issue-api-key":          sa.ID,
		"revoke-api-key":         sa.ID,
		"get-location":           "KE01",
		"update-location":        "KE01",
		"delete-location":        "KE01",
		"get-location-import":    "6f1c2a3e-0000-4000-8000-000000000001",
		"get-form":               "basic_identity",
		"update-form":            "basic_identity",
		"delete-form":            "notes",
		"get-lookup":             "lookup-sex",
		"update-lookup":          "lookup-sex",
		"delete-lookup":          "lookup-sex",
		"get-module":             "primeromodule-cp",
		"update-module":          "primeromodule-cp",
		"export-translations":    "ar",
		"get-translation-import": "6f1c2a3e-0000-4000-8000-000000000002",
		"get-ui-translations":    "ar",
		"remove-locale":          "fr",
		"get-device-key":         "6f1c2a3e-0000-4000-8000-000000000004",
		"revoke-device":          "6f1c2a3e-0000-4000-8000-000000000004",
		"list-user-devices":      cw.userID,
	}
	valid := map[string]validInput{
		"create-agency":          {body: map[string]any{"unique_id": "agency-new", "agency_code": "NEW", "name": map[string]any{"en": "New"}}},
		"update-agency":          {body: map[string]any{"name": map[string]any{"en": "UNICEF"}}},
		"create-user-group":      {body: map[string]any{"unique_id": "usergroup-new", "name": "New"}},
		"update-user-group":      {body: map[string]any{"description": "Nairobi"}},
		"create-role":            {body: map[string]any{"unique_id": "role-new", "name": map[string]any{"en": "New"}, "permissions": []any{"cases:read"}, "record_scope": "own"}},
		"update-role":            {body: map[string]any{"description": map[string]any{"en": "Aggregates"}}},
		"create-service-account": {body: map[string]any{"name": "New", "role_unique_id": "role-caseworker", "agency_unique_id": "agency-unicef"}},
		"issue-api-key":          {body: map[string]any{"name": "k2"}},
		"revoke-api-key":         {path: map[string]string{"key_id": key.ID}},
		"invite-user":            {body: map[string]any{"email": randomEmail("new"), "full_name": "New", "locale": "en", "role_unique_id": "role-caseworker", "agency_unique_id": "agency-unicef"}},
		"update-user":            {body: map[string]any{"full_name": "Renamed"}},
		"create-location":        {body: map[string]any{"code": "KE99", "admin_level": 0, "type": "country", "name": map[string]any{"en": "Kenya"}}},
		"update-location":        {body: map[string]any{"type": "district", "name": map[string]any{"en": "Nairobi"}}},
		"update-current-user":    {body: map[string]any{"full_name": "Renamed Myself"}},
		"update-system-settings": {body: map[string]any{"cors_origins": []any{"https://registration.example.org"}}},
		"add-locale":             {body: map[string]any{"locale": "sw"}},
		"register-device":        {body: map[string]any{"label": "Work phone", "user_agent": "Mozilla/5.0"}},
		"revoke-user-device":     {path: map[string]string{"id": cw.userID, "device_id": "6f1c2a3e-0000-4000-8000-000000000004"}},
		"set-phone-calling-code": {body: map[string]any{"phone_calling_code": "254"}},
		"create-tenant":          {body: map[string]any{"code": "zz", "name": "Zed", "locales": []any{"en"}}},
		"get-tenant":             {path: map[string]string{"code": "ke"}},
		"suspend-tenant":         {path: map[string]string{"code": "ke"}},
		"resume-tenant":          {path: map[string]string{"code": "ke"}},
		"delete-tenant":          {path: map[string]string{"code": "ke"}},
		"create-form":            {body: matrixForm("input_form")},
		"update-form":            {body: map[string]any{"description": map[string]any{"en": "Who the child is."}}},
		"validate-record-data":   {body: map[string]any{"record_type": "case", "module_id": "primeromodule-cp", "data": map[string]any{}}},
		"create-lookup":          {body: matrixLookup("lookup-input")},
		"update-lookup":          {body: map[string]any{"name": map[string]any{"en": "Sex"}}},
		"update-module":          {body: map[string]any{"options": map[string]any{"referral": true}}},
		"import-configuration": {body: map[string]any{"data": map[string]any{"format": "cpims.configuration.v1",
			"modules": []any{}, "lookups": []any{}, "forms": []any{}, "roles": map[string]any{}, "locations": []any{}}}},
	}
	// Records: written by a case manager (who holds every records permission).
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	recordBodies := map[string]map[string]any{
		"case":            caseData(nil),
		"incident":        {"cp_incident_date": "2026-01-09"},
		"tracing-request": {"inquiry_date": "2026-01-10", "relation_name": "Halima", "tracing_request_subform_section": []any{map[string]any{"sex": "female"}}},
	}
	tokens := map[string]string{}
	var matched []string
	for singular, resource := range map[string]string{"case": "cases", "incident": "incidents", "tracing-request": "tracing_requests"} {
		res := mb.call(t, "POST", "/api/v2/"+resource, manager.token, nil, envelope(recordBodies[singular]))
		require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
		id := data(res)["id"].(string)
		for _, op := range []string{"get-", "update-", "replace-", "disable-", "enable-", "create-"} {
			ids[op+singular], tokens[op+singular] = id, manager.token
		}
		ids["list-"+singular+"-history"], tokens["list-"+singular+"-history"] = id, manager.token
		for _, op := range []string{"create-" + singular + "-attachment", "list-" + singular + "-attachments"} {
			ids[op], tokens[op] = id, manager.token
		}
		for _, op := range []string{"get-" + singular + "-attachment", "delete-" + singular + "-attachment"} {
			tokens[op] = manager.token
			valid[op] = validInput{path: map[string]string{"id": id, "attachment_id": "6f1c2a3e-0000-4000-8000-0000000000a1"}}
		}
		tokens["list-"+strings.ReplaceAll(resource, "_", "-")] = manager.token
		// Flags of every record type (docs/workflows.md).
		for _, op := range []string{"create-" + singular + "-flag", "list-" + singular + "-flags"} {
			ids[op], tokens[op] = id, manager.token
		}
		valid["create-"+singular+"-flag"] = validInput{body: envelope(map[string]any{"message": "m", "date": "2026-01-01"})}
		tokens["update-"+singular+"-flag"] = manager.token
		valid["update-"+singular+"-flag"] = validInput{path: map[string]string{"id": id, "flag_id": "6f1c2a3e-0000-4000-8000-0000000000b2"},
			body: envelope(map[string]any{"unflag_message": "m"})}
		for _, op := range []string{"create-", "update-", "replace-"} {
			valid[op+singular] = validInput{body: envelope(recordBodies[singular])}
		}
		// Erasure: the administrator's (the record is enabled, so even a body that passed would be a 409).
		ids["erase-"+singular] = id
		valid["erase-"+singular] = validInput{body: envelope(map[string]any{"reason": "registered_by_mistake", "reference": "DPO-1"})}
		ids["get-"+singular+"-erasure"] = id
		switch singular {
		case "tracing-request":
			traceID := data(res)["tracing_request_subform_section"].([]any)[0].(map[string]any)["unique_id"].(string)
			ids["list-traces"], tokens["list-traces"], tokens["get-trace"] = id, manager.token, manager.token
			valid["get-trace"] = validInput{path: map[string]string{"id": id, "trace_id": traceID}}
			valid["list-trace-potential-matches"] = validInput{path: map[string]string{"id": id, "trace_id": traceID}}
			tokens["list-trace-potential-matches"] = manager.token
			matched = append(matched, id)
		case "case":
			// Workflows on the case: the bodies are spoiled, so nothing is sent.
			to := map[string]any{"transitioned_to": "receiver@example.org", "transitioned_to_agency": "agency-unicef",
				"notes": "n", "service": "s", "authorized_role_unique_id": "role-caseworker", "consent_override_reason": "r"}
			for _, op := range []string{"create-case-assign", "create-case-referral", "create-case-transfer", "create-case-transfer-request", "list-case-transitions"} {
				ids[op], tokens[op] = id, manager.token
				valid[op] = validInput{body: envelope(to)}
			}
			for _, op := range []string{"update-case-referral", "update-case-transfer", "update-case-transfer-request"} {
				tokens[op] = manager.token
				valid[op] = validInput{path: map[string]string{"id": id, "transition_id": "6f1c2a3e-0000-4000-8000-0000000000b1"},
					body: envelope(map[string]any{"status": "accepted", "rejected_reason": "r"})}
			}
			// Tasks, alerts, dashboards (a case manager's); settings (anyone's own).
			for _, op := range []string{"list-tasks", "list-alerts", "mark-alerts-read", "get-dashboards", "list-transitions", "list-approvals"} {
				tokens[op] = manager.token
			}
			valid["mark-alerts-read"] = validInput{body: envelope(map[string]any{"record_id": id})}
			valid["update-notification-settings"] = validInput{body: map[string]any{"data": []any{map[string]any{"kind": "digest", "email": true}}}}
			tokens["find-case-duplicates"] = manager.token
			for _, op := range []string{"list-assign-receivers", "list-transfer-receivers", "list-referral-receivers", "list-referable-roles"} {
				tokens[op] = manager.token
			}
			valid["find-case-duplicates"] = validInput{body: envelope(caseData(nil))}
			tokens["create-cases-assigns"] = manager.token
			valid["create-cases-assigns"] = validInput{body: envelope(map[string]any{"ids": []any{id}, "transitioned_to": "receiver@example.org", "notes": "n"})}
			valid["replace-sharing-protocol"] = validInput{body: map[string]any{"data": []any{map[string]any{"from_agency": "agency-unicef", "to_agency": "agency-save", "referral": true}}}}
			ids["create-case-incident"], tokens["create-case-incident"] = id, manager.token
			valid["create-case-incident"] = validInput{body: envelope(recordBodies["incident"])}
			ids["list-case-potential-matches"], tokens["list-case-potential-matches"] = id, manager.token
			// Approvals, flags, close and reopen (docs/workflows.md).
			for _, op := range []string{"update-case-approval", "list-case-approvals", "close-case", "reopen-case", "add-case-note"} {
				ids[op], tokens[op] = id, manager.token
			}
			tokens["list-flags"] = manager.token
			valid["update-case-approval"] = validInput{path: map[string]string{"id": id, "approval_id": "case_plan"},
				body: envelope(map[string]any{"approval_status": "requested", "notes": "n"})}
			valid["add-case-note"] = validInput{body: envelope(map[string]any{"note_subject": "s", "field_notes_subform_fields": "t"})}
			valid["close-case"] = validInput{body: envelope(map[string]any{"reason": "r"})}
			valid["reopen-case"] = validInput{body: envelope(map[string]any{"reason": "r"})}
			matched = append(matched, id)
		}
	}
	// Matching: the records' match jobs finish before the fingerprint.
	mb.waitJobs(t, "match_record", matched...)
	res := mb.call(t, "GET", "/api/v2/matching/configuration", admin.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	valid["update-matching-configuration"] = validInput{body: envelope(data(res)["configuration"].(map[string]any))}
	ids["get-matching-run"] = "6f1c2a3e-0000-4000-8000-000000000002"
	ids["review-potential-match"], tokens["review-potential-match"] = "6f1c2a3e-0000-4000-8000-000000000003", manager.token
	valid["review-potential-match"] = validInput{body: envelope(map[string]any{"action": "reject", "note": "not the child"})}
	tokens["list-potential-matches"] = manager.token

	type call struct {
		name, method, host, path, token string
		body                            []byte
		location                        string
	}
	var calls []call
	for _, side := range []struct {
		api   huma.API
		host  string
		token string
	}{{mb.srv.TenantAPI(), "ke.localhost", admin.token}, {mb.srv.PlatformAPI(), "localhost", operatorKey}} {
		oapi := side.api.OpenAPI()
		for _, op := range api.Operations(side.api) {
			var spec *huma.Operation
			item := oapi.Paths[op.Path]
			for _, o := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
				if o != nil && o.OperationID == op.ID {
					spec = o
				}
			}
			in := valid[op.ID]
			params := map[string]string{}
			var query []string
			for _, p := range spec.Parameters {
				switch p.In {
				case "path":
					v := cmpOr(in.path[p.Name], ids[op.ID])
					require.NotEmpty(t, v, "%s: give a valid value of path parameter %s in this test", op.ID, p.Name)
					params[p.Name] = v
				case "query":
					query = append(query, p.Name)
				}
			}
			build := func(spoil string, spoiled string) string {
				path := op.Path
				for name, v := range params {
					if name == spoil {
						v = spoiled
					}
					path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(v))
				}
				return path
			}
			token := cmpOr(tokens[op.ID], side.token)
			for name := range params {
				calls = append(calls, call{op.ID + "/path." + name, op.Method, side.host, build(name, "ke\x00"), token, nil, "path." + name})
			}
			for _, name := range query {
				calls = append(calls, call{op.ID + "/query." + name, op.Method, side.host,
					build("", "") + "?" + name + "=1%00", token, nil, "query." + name})
			}
			if spec.RequestBody == nil || spec.RequestBody.Content["application/json"] == nil {
				continue // no JSON body (e.g. a CSV upload): its own tests check it
			}
			require.NotNil(t, in.body, "%s: give a valid body in this test", op.ID)
			leaves := stringLeaves(oapi, spec.RequestBody.Content["application/json"].Schema, nil)
			require.NotEmpty(t, leaves, op.ID)
			for _, leaf := range leaves {
				body, loc := withValue(in.body, leaf, "x\x00y")
				b, err := json.Marshal(body)
				require.NoError(t, err)
				require.Contains(t, string(b), `\u0000`)
				calls = append(calls, call{op.ID + "/nul/" + loc, op.Method, side.host, build("", ""), token, b, loc})
			}
			// Invalid UTF-8, raw and as an unpaired surrogate escape, in the first string.
			body, loc := withValue(in.body, leaves[0], "MARK")
			b, err := json.Marshal(body)
			require.NoError(t, err)
			for name, bad := range map[string]string{"raw": "x\xffy", "surrogate": `x\ud800y`} {
				calls = append(calls, call{op.ID + "/utf8-" + name + "/" + loc, op.Method, side.host, build("", ""), token,
					bytes.Replace(b, []byte("MARK"), []byte(bad), 1), loc})
			}
			// The first key twice.
			var first string
			for k := range in.body {
				if first == "" || k < first {
					first = k
				}
			}
			v, err := json.Marshal(in.body[first])
			require.NoError(t, err)
			dup := append([]byte(fmt.Sprintf(`{%q:%s,`, first, v)), b[1:]...)
			calls = append(calls, call{op.ID + "/duplicate", op.Method, side.host, build("", ""), token, dup, "body." + first})
		}
	}
	require.Greater(t, len(calls), 40)

	before := fingerprint(t, mb)
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(c.method, "/", bytes.NewReader(c.body))
			req.URL.RawPath, req.URL.Path = "", ""
			u, err := url.Parse(c.path)
			require.NoError(t, err)
			req.URL, req.RequestURI, req.Host = u, c.path, c.host
			req.Header.Set("Authorization", "Bearer "+c.token)
			if c.body != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			rec := httptest.NewRecorder()
			mb.srv.ServeHTTP(rec, req)
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
			var p huma.ErrorModel
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
			require.NotEmpty(t, p.Errors, rec.Body.String())
			require.Equal(t, c.location, p.Errors[0].Location, rec.Body.String())
		})
	}
	require.Equal(t, before, fingerprint(t, mb), "refused calls change nothing")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestProblemsCutEchoedValuesShort(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	huge := strings.Repeat("é", 450_000) // 900 KB
	for name, body := range map[string]map[string]any{
		"HumaValidation":   {"full_name": huge},
		"DomainValidation": {"user_group_unique_ids": []string{strings.Repeat("g", 5000)}},
	} {
		t.Run(name, func(t *testing.T) {
			res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/users/"+cw.userID, admin.token, body)
			requireProblem(t, res, http.StatusUnprocessableEntity)
			require.Less(t, res.Body.Len(), 2000, "the problem does not echo the value whole")
			errs := res.body["errors"].([]any)
			value, ok := errs[0].(map[string]any)["value"].(string)
			require.True(t, ok, res.Body.String())
			require.Equal(t, 101, utf8.RuneCountInString(value))
			require.True(t, strings.HasSuffix(value, "…"))
		})
	}
	u, err := people.New(mb.p).GetUser(sys(), "ke", cw.userID)
	require.NoError(t, err)
	require.Equal(t, "Test role-caseworker", u.FullName)
}
