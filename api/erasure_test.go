package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/notify"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
)

// Tests of erasing one record (docs/records.md, "Session 22: erasure")
// through the real server, PostgreSQL, Kratos, River and versitygw.

// tablesNaming counts, in every table of the tenant's schema but the audit
// log, the rows whose text (every column, jsonb included) contains s.
func tablesNaming(t *testing.T, mb *membersBundle, s string) map[string]int {
	t.Helper()
	ctx := context.Background()
	db := mb.db.Superuser(t)
	rows, err := db.Query(ctx, `select table_name::text from information_schema.tables
		where table_schema = 'tenant_ke' and table_type = 'BASE TABLE' and table_name <> 'audit_logs' order by 1`)
	require.NoError(t, err)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Greater(t, len(tables), 30, "the tenant's tables")
	out := map[string]int{}
	for _, table := range tables {
		var n int
		require.NoError(t, db.QueryRow(ctx, "select count(*) from tenant_ke."+pgx.Identifier{table}.Sanitize()+" x where strpos(x::text, $1) > 0", s).Scan(&n))
		if n > 0 {
			out[table] = n
		}
	}
	return out
}

func TestEraseRecord(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	st := testStorage(t, nil)
	k, err := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
	require.NoError(t, err)
	srv, err := api.New(mb.p, mb.enf, api.Config{OperatorAPIKey: operatorKey, Sessions: identity.NewCachedSessions(k, 0),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Registry: prometheus.NewRegistry(), AuthFailuresPerMinute: 10_000,
		Storage: st, Notifier: notify.Notifier{}, DeviceKeys: mb.deviceKeys(t)})
	require.NoError(t, err)
	mb.srv = srv
	ctx := context.Background()

	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	receiver := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")

	// A case with everything that names it: history, a photo, a referral
	// (transition, access row, notification), a potential match, a flag,
	// an incident created from it.
	kase := mb.createCase(t, cw.token, map[string]any{"name_first": "Amina", "name_middle": "Yusuf", "name_last": "Hassan",
		"sex": "female", "date_of_birth": "2017-03-02", "consent_for_tracing": true})
	id := kase["id"].(string)
	mb.waitJobs(t, "match_record", id)
	res := mb.call(t, "PATCH", "/api/v2/cases/"+id, cw.token, ifMatch(1), envelope(map[string]any{"risk_level": "high"}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	res = mb.upload(t, srv, "cases", id, cw.token, upload{field: "photos", name: "amina.png", contentType: "image/png",
		data: pngBytes(t, 16, 16), query: url.Values{"description": {"At registration"}}})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	photo := data(res)["id"].(string)
	require.Equal(t, []string{"tenants/ke/attachments/" + id + "/" + photo}, objects(t, st))
	res = mb.call(t, "POST", "/api/v2/cases/"+id+"/referrals", cw.token, nil, transition(receiver.email, map[string]any{"service": "health"}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	res = mb.call(t, "POST", "/api/v2/cases/"+id+"/flags", cw.token, nil, map[string]any{"data": map[string]any{"message": "check school"}})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	res = mb.call(t, "POST", "/api/v2/cases/"+id+"/incidents", cw.token, nil, envelope(map[string]any{"cp_incident_date": "2026-01-09"}))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	incident := data(res)["id"].(string)
	traceID := uuid.NewString()
	res = mb.call(t, "POST", "/api/v2/tracing_requests", cw.token, nil, envelope(map[string]any{"inquiry_date": "2026-01-10",
		"relation_name": "Halima Abdi", "tracing_request_subform_section": []any{map[string]any{"unique_id": traceID,
			"relation": "mother", "name_first": "Amina", "name_middle": "Yusuf", "name_last": "Hassan", "sex": "female", "age": 8}}}))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	trID := data(res)["id"].(string)
	mb.waitJobs(t, "match_record", trID)
	_, byCase := matchesOf(t, mb.call(t, "GET", "/api/v2/tracing_requests/"+trID+"/traces/"+traceID+"/potential_matches", cw.token, nil, nil))
	require.Contains(t, byCase, id, "a potential match names the case")

	before := tablesNaming(t, mb, id)
	for _, table := range []string{"records", "record_history", "record_access", "record_scope", "record_name_keys", "attachments",
		"transitions", "notifications", "potential_matches", "match_subjects", "flags"} {
		require.Contains(t, before, table, "the case is named in %s before its erasure", table)
	}

	erase := func(token, recordID string, body any) response {
		return mb.call(t, "DELETE", "/api/v2/cases/"+recordID, token, nil, body)
	}
	reason := map[string]any{"data": map[string]any{"reason": "erasure_request", "reference": "DPO-2026/041"}}

	t.Run("EnabledRecordIs409", func(t *testing.T) {
		res := erase(admin.token, id, reason)
		requireProblem(t, res, http.StatusConflict)
		require.Equal(t, "record_enabled", res.body["code"])
	})
	res = mb.call(t, "POST", "/api/v2/cases/"+id+"/disable", manager.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	mb.waitJobs(t, "match_record", id) // a disabled case leaves matching
	disabled := tablesNaming(t, mb, id)

	t.Run("WithoutThePermissionIs403", func(t *testing.T) {
		for _, token := range []string{cw.token, manager.token} {
			requireProblem(t, erase(token, id, reason), http.StatusForbidden)
		}
	})
	t.Run("BadBodyIs422", func(t *testing.T) {
		for name, body := range map[string]any{
			"NoBody":           nil,
			"NoReason":         map[string]any{"data": map[string]any{}},
			"UnknownReason":    map[string]any{"data": map[string]any{"reason": "because"}},
			"NameInReference":  map[string]any{"data": map[string]any{"reason": "other", "reference": "Amina Yusuf Hassan"}},
			"LongReference":    map[string]any{"data": map[string]any{"reason": "other", "reference": strings.Repeat("x", 65)}},
			"UnknownProperty":  map[string]any{"data": map[string]any{"reason": "other", "note": "the child's name"}},
			"ReasonNotAString": map[string]any{"data": map[string]any{"reason": 3}},
		} {
			res := erase(admin.token, id, body)
			require.True(t, res.Code == http.StatusUnprocessableEntity || res.Code == http.StatusBadRequest, "%s: %d %s", name, res.Code, res.Body.String())
			require.Less(t, res.Code, 500, name)
		}
		require.Equal(t, disabled, tablesNaming(t, mb, id), "nothing changed")
	})
	t.Run("UnknownIDIs404", func(t *testing.T) {
		requireProblem(t, erase(admin.token, uuid.NewString(), reason), http.StatusNotFound)
		requireProblem(t, erase(admin.token, "not-an-id", reason), http.StatusUnprocessableEntity)
	})
	t.Run("AnotherTenantsIDIs404", func(t *testing.T) {
		mb.createTenant(t, "so", "Somalia")
		require.NoError(t, people.New(mb.p).AddAgency(sys(), "so", "agency-unicef", "UNICEF", map[string]string{"en": "UNICEF"}))
		so := mb.member(t, "so", "role-caseworker", "agency-unicef")
		res := mb.do(t, "POST", "so.localhost", "/api/v2/cases", so.token, envelope(caseData(nil)))
		require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
		requireProblem(t, erase(admin.token, data(res)["id"].(string), reason), http.StatusNotFound)
	})

	res = erase(admin.token, id, reason)
	require.Equal(t, http.StatusNoContent, res.Code, res.Body.String())

	t.Run("TheIDIs404Everywhere", func(t *testing.T) {
		for _, token := range []string{cw.token, manager.token, receiver.token} {
			for _, path := range []string{"", "/record_history", "/attachments", "/attachments/" + photo, "/flags", "/potential_matches"} {
				requireProblem(t, mb.call(t, "GET", "/api/v2/cases/"+id+path, token, nil, nil), http.StatusNotFound)
			}
		}
		requireProblem(t, erase(admin.token, id, reason), http.StatusNotFound)
		list := mb.call(t, "GET", "/api/v2/cases?record_state=false", manager.token, nil, nil)
		require.Equal(t, http.StatusOK, list.Code, list.Body.String())
		require.NotContains(t, list.Body.String(), id)
	})
	t.Run("NoTenantTableNamesIt", func(t *testing.T) {
		require.Empty(t, tablesNaming(t, mb, id), "rows naming the erased case")
		require.Empty(t, tablesNaming(t, mb, photo), "rows naming its photo")
		require.Empty(t, objects(t, st), "its files")
	})
	t.Run("TheIncidentLosesItsLinkInANewVersion", func(t *testing.T) {
		res := mb.call(t, "GET", "/api/v2/incidents/"+incident, cw.token, nil, nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		require.Nil(t, data(res)["case_id"])
		require.EqualValues(t, 2, data(res)["version"])
		hist := mb.call(t, "GET", "/api/v2/incidents/"+incident+"/record_history", cw.token, nil, nil)
		require.Equal(t, http.StatusOK, hist.Code, hist.Body.String())
		entry := hist.body["data"].([]any)[0].(map[string]any)
		require.Equal(t, []any{map[string]any{"path": "case_id"}}, entry["record_changes"])
	})
	t.Run("TheTracingRequestStays", func(t *testing.T) {
		_, byCase := matchesOf(t, mb.call(t, "GET", "/api/v2/tracing_requests/"+trID+"/traces/"+traceID+"/potential_matches", cw.token, nil, nil))
		require.NotContains(t, byCase, id)
	})
	t.Run("APendingMatchingJobDoesNotResurrectIt", func(t *testing.T) {
		m := matching.NewService(mb.p, matching.ServiceConfig{})
		wctx := policy.WithSubject(ctx, policy.System(policy.ActorMatcher))
		require.NoError(t, m.MatchRecord(wctx, "ke", "case", id))
		require.NoError(t, m.MatchRecord(wctx, "ke", "tracing_request", trID))
		require.Empty(t, tablesNaming(t, mb, id))
	})
	t.Run("TheAuditChainHoldsTheErasure", func(t *testing.T) {
		rep, err := mb.p.VerifyAudit(ctx, "ke")
		require.NoError(t, err)
		require.True(t, rep.Intact, "%+v", rep)
		require.Positive(t, rep.Rows)
		var actor, action, outcome, metadata string
		require.NoError(t, mb.db.Superuser(t).QueryRow(ctx, `select actor, action, outcome, metadata::text from tenant_ke.audit_logs
			where operation = 'erase-case' and record_type = 'case' and record_id = $1 and outcome = 'allowed'`, id).
			Scan(&actor, &action, &outcome, &metadata))
		require.Equal(t, "user:"+admin.userID, actor)
		require.Equal(t, "cases:erase", action)
		require.JSONEq(t, `{"reason": "erasure_request", "reference": "DPO-2026/041"}`, metadata)
		require.NotContains(t, metadata, "Amina")
	})
}

// TestEraseTracingRequestAndIncident: the other two types, with the same
// two steps; a tracing request takes its traces with it.
func TestEraseTracingRequestAndIncident(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	traceID := uuid.NewString()
	for resource, body := range map[string]map[string]any{
		"tracing_requests": {"inquiry_date": "2026-01-10", "relation_name": "Halima Abdi",
			"tracing_request_subform_section": []any{map[string]any{"unique_id": traceID, "name_first": "Amina", "sex": "female"}}},
		"incidents": {"cp_incident_date": "2026-01-09"},
	} {
		res := mb.call(t, "POST", "/api/v2/"+resource, cw.token, nil, envelope(body))
		require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
		id := data(res)["id"].(string)
		reason := map[string]any{"data": map[string]any{"reason": "registered_by_mistake"}}
		requireProblem(t, mb.call(t, "DELETE", "/api/v2/"+resource+"/"+id, admin.token, nil, reason), http.StatusConflict)
		require.Equal(t, http.StatusOK, mb.call(t, "POST", "/api/v2/"+resource+"/"+id+"/disable", manager.token, nil, nil).Code)
		res = mb.call(t, "DELETE", "/api/v2/"+resource+"/"+id, admin.token, nil, reason)
		require.Equal(t, http.StatusNoContent, res.Code, res.Body.String())
		requireProblem(t, mb.call(t, "GET", "/api/v2/"+resource+"/"+id, manager.token, nil, nil), http.StatusNotFound)
		require.Empty(t, tablesNaming(t, mb, id), resource)
	}
	require.Empty(t, tablesNaming(t, mb, traceID), "the trace")
}

// TestFindErasableRecord: the system administrator, who reads no records,
// finds the disabled record to erase by the short id a caseworker reads out
// (get-case-erasure), sees which record and who disabled it when, none of
// its data, and erases it by the id it was given.
func TestFindErasableRecord(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	ctx := context.Background()

	kase := mb.createCase(t, cw.token, map[string]any{"name_first": "Amina", "name_last": "Hassan", "sex": "female"})
	id, short := kase["id"].(string), kase["short_id"].(string)
	require.Regexp(t, `^[0-9a-z]{7}$`, short)
	find := func(token, resource, ref string) response {
		return mb.call(t, "GET", "/api/v2/"+resource+"/"+ref+"/erasure", token, nil, nil)
	}
	version := func() any {
		res := mb.call(t, "GET", "/api/v2/cases/"+id, manager.token, nil, nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		return data(res)["version"]
	}

	t.Run("EnabledRecordIs409AndTellsNothing", func(t *testing.T) {
		before := tablesNaming(t, mb, id)
		for _, ref := range []string{short, id} {
			res := find(admin.token, "cases", ref)
			requireProblem(t, res, http.StatusConflict)
			require.Equal(t, "record_enabled", res.body["code"])
			require.NotContains(t, res.Body.String(), "Amina")
			require.NotContains(t, res.Body.String(), id, "not even the id of a record the caller may not erase yet")
		}
		require.Equal(t, before, tablesNaming(t, mb, id), "nothing changed")
		require.EqualValues(t, 1, version())
	})

	res := mb.call(t, "POST", "/api/v2/cases/"+id+"/disable", manager.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	disabledAt := time.Now()
	disabled := tablesNaming(t, mb, id)

	t.Run("ByShortIDAsReadOut", func(t *testing.T) {
		// Upper case, and the look-alikes people type for 1 and 0.
		typed := strings.ToUpper(strings.NewReplacer("1", "l", "0", "o").Replace(short))
		for _, ref := range []string{short, typed, id} {
			res := find(admin.token, "cases", ref)
			require.Equal(t, http.StatusOK, res.Code, "%s: %s", ref, res.Body.String())
			got := data(res)
			at, err := time.Parse(time.RFC3339Nano, got["disabled_at"].(string))
			require.NoError(t, err)
			require.WithinDuration(t, disabledAt, at, time.Minute)
			delete(got, "disabled_at")
			require.Equal(t, map[string]any{"id": id, "record_type": "case", "short_id": short, "disabled_by": manager.email}, got,
				"which record and who disabled it: none of its data")
		}
		require.Equal(t, disabled, tablesNaming(t, mb, id), "a lookup changes nothing")
	})
	t.Run("WithoutThePermissionIs403", func(t *testing.T) {
		for _, token := range []string{cw.token, manager.token} {
			requireProblem(t, find(token, "cases", short), http.StatusForbidden)
		}
	})
	t.Run("UnknownOrMalformedIsRefused", func(t *testing.T) {
		requireProblem(t, find(admin.token, "cases", uuid.NewString()), http.StatusNotFound)
		unknown := "zzzzzzz"
		if short == unknown {
			unknown = "yyyyyyy"
		}
		requireProblem(t, find(admin.token, "cases", unknown), http.StatusNotFound)
		requireProblem(t, find(admin.token, "cases", "uuuuuuu"), http.StatusNotFound) // not of the alphabet
		for _, bad := range []string{"abc", "abcdefgh", "ab_defg", "'or'1'"} {
			requireProblem(t, find(admin.token, "cases", url.PathEscape(bad)), http.StatusUnprocessableEntity)
		}
	})
	t.Run("OutOfScopeIs404", func(t *testing.T) {
		// A data protection role that erases cases of its groups only: the case of a Nairobi
		// caseworker is found from Nairobi, unknown from Mombasa.
		res := mb.call(t, "POST", "/api/v2/roles", admin.token, nil, map[string]any{"unique_id": "role-dpo-group",
			"name": map[string]string{"en": "Group DPO"}, "permissions": []string{"cases:erase"}, "record_scope": "group"})
		require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
		require.NoError(t, people.New(mb.p).AddUserGroup(sys(), "ke", "usergroup-mombasa", "Mombasa team"))
		mombasa := mb.member(t, "ke", "role-dpo-group", "agency-unicef", "usergroup-mombasa")
		requireProblem(t, find(mombasa.token, "cases", short), http.StatusNotFound)
		requireProblem(t, find(mombasa.token, "cases", id), http.StatusNotFound)
		nairobi := mb.member(t, "ke", "role-dpo-group", "agency-unicef", "usergroup-nairobi")
		res = find(nairobi.token, "cases", short)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		require.Equal(t, id, data(res)["id"])
	})
	t.Run("AnotherTypesShortIDIs404", func(t *testing.T) {
		requireProblem(t, find(admin.token, "incidents", short), http.StatusNotFound)
		requireProblem(t, find(admin.token, "tracing_requests", id), http.StatusNotFound)
	})
	t.Run("AnotherTenantsRecordIs404", func(t *testing.T) {
		mb.createTenant(t, "so", "Somalia")
		require.NoError(t, people.New(mb.p).AddAgency(sys(), "so", "agency-unicef", "UNICEF", map[string]string{"en": "UNICEF"}))
		so := mb.member(t, "so", "role-caseworker", "agency-unicef")
		var refs []string
		for range 2 { // each tenant numbers its short ids from 1: the second differs from this test's one case
			res := mb.do(t, "POST", "so.localhost", "/api/v2/cases", so.token, envelope(caseData(nil)))
			require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
			refs = append(refs, data(res)["id"].(string), data(res)["short_id"].(string))
		}
		for _, ref := range refs {
			if ref == short {
				continue // the same short id in two tenants: here it is this tenant's own record
			}
			requireProblem(t, find(admin.token, "cases", ref), http.StatusNotFound)
		}
	})
	require.Equal(t, disabled, tablesNaming(t, mb, id), "no refusal changed anything")

	t.Run("TheLookupIsAudited", func(t *testing.T) {
		var action, outcome string
		require.NoError(t, mb.db.Superuser(t).QueryRow(ctx, `select action, outcome from tenant_ke.audit_logs
			where operation = 'get-case-erasure' and record_type = 'case' and record_id = $1 and actor = $2
			order by id desc limit 1`, id, "user:"+admin.userID).Scan(&action, &outcome))
		require.Equal(t, "cases:erase", action)
		require.Equal(t, "allowed", outcome)
	})

	res = find(admin.token, "cases", short)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	res = mb.call(t, "DELETE", "/api/v2/cases/"+data(res)["id"].(string), admin.token, nil,
		map[string]any{"data": map[string]any{"reason": "erasure_request", "reference": "DPO-2026-7"}})
	require.Equal(t, http.StatusNoContent, res.Code, res.Body.String())
	requireProblem(t, find(admin.token, "cases", short), http.StatusNotFound)
	requireProblem(t, mb.call(t, "GET", "/api/v2/cases/"+id, manager.token, nil, nil), http.StatusNotFound)
}
