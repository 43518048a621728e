package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/names"
	"github.com/cpims-hosted/cpims/people"
)

// Tests of the records API (cases, tracing requests, incidents) through the
// real server, PostgreSQL and Kratos: docs/records.md is the contract.

const (
	rowMother = "0b9f4c8e-9d1a-4c39-8f57-1a2b3c4d5e01"
	rowFather = "0b9f4c8e-9d1a-4c39-8f57-1a2b3c4d5e02"
	rowAunt   = "0b9f4c8e-9d1a-4c39-8f57-1a2b3c4d5e03"
	traceOne  = "7c1d2e3f-4a5b-4c6d-8e7f-901234567801"
	traceTwo  = "7c1d2e3f-4a5b-4c6d-8e7f-901234567802"
)

// caseData is a valid case of the default configuration.
func caseData(extra map[string]any) map[string]any {
	d := map[string]any{"registration_date": "2026-01-10", "sex": "female", "name_first": "Amina", "name_last": "Yusuf"}
	for k, v := range extra {
		d[k] = v
	}
	return d
}

func envelope(d map[string]any) map[string]any { return map[string]any{"data": d} }

// call sends a request with headers to tenant ke as the holder of token;
// body is sent as JSON, as it is if a string (JSON) or a rawBody.
func (mb *membersBundle) call(t testing.TB, method, path, token string, headers map[string]string, body any) response {
	t.Helper()
	var r io.Reader
	contentType := "application/json"
	switch v := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(v)
	case rawBody:
		r, contentType = bytes.NewReader(v.data), v.contentType
	default:
		j, err := json.Marshal(body)
		require.NoError(t, err)
		r = strings.NewReader(string(j))
	}
	req := httptest.NewRequest(method, path, r)
	req.Host = "ke.localhost"
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	mb.srv.ServeHTTP(rec, req)
	out := response{ResponseRecorder: rec}
	if strings.Contains(rec.Header().Get("Content-Type"), "json") {
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out.body), rec.Body.String())
	}
	return out
}

func data(res response) map[string]any { return res.body["data"].(map[string]any) }

func ifMatch(version any) map[string]string {
	return map[string]string{"If-Match": fmt.Sprintf(`"%v"`, version)}
}

// createCase creates a case as token's holder and returns it.
func (mb *membersBundle) createCase(t testing.TB, token string, d map[string]any) map[string]any {
	t.Helper()
	res := mb.call(t, "POST", "/api/v2/cases", token, nil, envelope(caseData(d)))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	return data(res)
}

// customRole creates a role through the API as a system administrator.
func (mb *membersBundle) customRole(t testing.TB, admin, uniqueID, scope string, perms []string, formAccess map[string]string) {
	t.Helper()
	body := map[string]any{"unique_id": uniqueID, "name": map[string]string{"en": uniqueID}, "permissions": perms, "record_scope": scope}
	if formAccess != nil {
		body["form_access"] = formAccess
	}
	res := mb.call(t, "POST", "/api/v2/roles", admin, nil, body)
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
}

func ids(t testing.TB, res response) []string {
	t.Helper()
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	var out []string
	for _, x := range res.body["data"].([]any) {
		out = append(out, x.(map[string]any)["id"].(string))
	}
	return out
}

func total(res response) int { return int(res.body["metadata"].(map[string]any)["total"].(float64)) }

func TestRecordScope(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	require.NoError(t, people.New(mb.p).AddUserGroup(sys(), "ke", "usergroup-mombasa", "Mombasa team"))
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	mb.customRole(t, admin.token, "role-agency-supervisor", "agency", []string{"cases:read"}, nil)
	mb.customRole(t, admin.token, "role-national-supervisor", "all", []string{"cases:read"}, nil)

	cwA := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	cwB := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	cwC := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-mombasa")
	cwSave := mb.member(t, "ke", "role-caseworker", "agency-save", "usergroup-mombasa")
	manager := mb.member(t, "ke", "role-case-manager", "agency-save", "usergroup-nairobi")
	supervisor := mb.member(t, "ke", "role-agency-supervisor", "agency-unicef")
	national := mb.member(t, "ke", "role-national-supervisor", "agency-save")
	agencyAdmin := mb.member(t, "ke", "role-agency-admin", "agency-unicef", "usergroup-nairobi")
	analyst := mb.member(t, "ke", "role-data-analyst", "agency-unicef", "usergroup-nairobi")

	owned := map[string][]string{}
	for _, c := range []struct {
		m member
		n int
	}{{cwA, 3}, {cwB, 2}, {cwC, 2}, {cwSave, 2}, {manager, 1}} {
		for range c.n {
			owned[c.m.userID] = append(owned[c.m.userID], mb.createCase(t, c.m.token, nil)["id"].(string))
		}
	}
	all := slices.Concat(owned[cwA.userID], owned[cwB.userID], owned[cwC.userID], owned[cwSave.userID], owned[manager.userID])
	for _, tc := range []struct {
		name    string
		m       member
		visible []string
	}{
		{"CaseworkerSeesOwn", cwA, owned[cwA.userID]},
		{"OtherCaseworkerSeesOwn", cwSave, owned[cwSave.userID]},
		// Group scope: the manager's groups (nairobi): cwA and cwB's cases and their own; not cwC (mombasa, same agency).
		{"ManagerSeesGroup", manager, slices.Concat(owned[cwA.userID], owned[cwB.userID], owned[manager.userID])},
		// Agency scope: owners now in agency-unicef.
		{"AgencySupervisorSeesAgency", supervisor, slices.Concat(owned[cwA.userID], owned[cwB.userID], owned[cwC.userID])},
		{"NationalSeesAll", national, all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := mb.call(t, "GET", "/api/v2/cases?per=1000", tc.m.token, nil, nil)
			require.ElementsMatch(t, tc.visible, ids(t, res))
			require.Equal(t, len(tc.visible), total(res))
			// Exact paging: pages of 2 cover exactly the visible records.
			var paged []string
			for page := 1; page <= (len(tc.visible)+1)/2+1; page++ {
				res := mb.call(t, "GET", fmt.Sprintf("/api/v2/cases?per=2&page=%d&order_by=created_at&order=asc", page), tc.m.token, nil, nil)
				require.Equal(t, len(tc.visible), total(res))
				paged = append(paged, ids(t, res)...)
			}
			require.Equal(t, len(tc.visible), len(paged), "no record twice, none missing")
			require.ElementsMatch(t, tc.visible, paged)
			for _, id := range all {
				res := mb.call(t, "GET", "/api/v2/cases/"+id, tc.m.token, nil, nil)
				if slices.Contains(tc.visible, id) {
					require.Equal(t, http.StatusOK, res.Code, res.Body.String())
					require.Equal(t, id, data(res)["id"])
				} else {
					requireProblem(t, res, http.StatusNotFound)
					require.Equal(t, "Resource not found or you do not have access to it.", res.body["detail"])
				}
			}
		})
	}
	t.Run("RolesWithoutRecordPermissions", func(t *testing.T) {
		for _, m := range []member{admin, agencyAdmin, analyst} {
			requireProblem(t, mb.call(t, "GET", "/api/v2/cases", m.token, nil, nil), http.StatusForbidden)
			requireProblem(t, mb.call(t, "GET", "/api/v2/cases/"+all[0], m.token, nil, nil), http.StatusForbidden)
		}
	})
	t.Run("ScopeFollowsMembershipNow", func(t *testing.T) {
		// cwC moves to the nairobi group: the manager sees cwC's cases at once (nothing is copied on records).
		_, err := people.New(mb.p).UpdateUser(sys(), "ke", cwC.userID, tenancyUserGroups("usergroup-nairobi"))
		require.NoError(t, err)
		res := mb.call(t, "GET", "/api/v2/cases?per=1000", manager.token, nil, nil)
		require.ElementsMatch(t, slices.Concat(owned[cwA.userID], owned[cwB.userID], owned[cwC.userID], owned[manager.userID]), ids(t, res))
		// cwA moves to agency-save: the agency supervisor of unicef no longer sees cwA's cases.
		_, err = people.New(mb.p).UpdateUser(sys(), "ke", cwA.userID, tenancyAgency("agency-save"))
		require.NoError(t, err)
		res = mb.call(t, "GET", "/api/v2/cases?per=1000", supervisor.token, nil, nil)
		require.ElementsMatch(t, slices.Concat(owned[cwB.userID], owned[cwC.userID]), ids(t, res))
		require.Equal(t, 4, total(res))
	})
	t.Run("RandomAndForeignIDs", func(t *testing.T) {
		mb.createTenant(t, "so", "Somalia")
		requireProblem(t, mb.call(t, "GET", "/api/v2/cases/6f1c1f5e-3f6b-4b0e-9a55-000000000000", national.token, nil, nil), http.StatusNotFound)
		requireProblem(t, mb.call(t, "GET", "/api/v2/incidents/"+owned[manager.userID][0], manager.token, nil, nil), http.StatusNotFound)
		res := mb.call(t, "GET", "/api/v2/cases/not-a-uuid", national.token, nil, nil)
		require.Contains(t, []int{http.StatusNotFound, http.StatusUnprocessableEntity}, res.Code, res.Body.String())
	})
}

func TestRecordLostUpdates(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")

	t.Run("ConcurrentPatchesOnOneVersion", func(t *testing.T) {
		c := mb.createCase(t, cw.token, nil)
		id := c["id"].(string)
		const writers = 8
		start := make(chan struct{})
		codes := make(chan int, writers)
		var wg sync.WaitGroup
		for i := range writers {
			token := []string{cw.token, manager.token}[i%2]
			wg.Go(func() {
				<-start
				res := mb.call(t, "PATCH", "/api/v2/cases/"+id, token, ifMatch(1), envelope(map[string]any{"name_middle": fmt.Sprintf("writer %d", i)}))
				codes <- res.Code
			})
		}
		close(start)
		wg.Wait()
		close(codes)
		var got []int
		for c := range codes {
			got = append(got, c)
		}
		slices.Sort(got)
		require.Equal(t, append([]int{http.StatusOK}, slices.Repeat([]int{http.StatusPreconditionFailed}, writers-1)...), got)
		res := mb.call(t, "GET", "/api/v2/cases/"+id, cw.token, nil, nil)
		require.EqualValues(t, 2, data(res)["version"])
		require.Equal(t, `"2"`, res.Header().Get("ETag"))
		hist := mb.call(t, "GET", "/api/v2/cases/"+id+"/record_history", cw.token, nil, nil)
		require.Equal(t, 2, total(hist), "one create, one update")
	})

	t.Run("PreconditionsRequired", func(t *testing.T) {
		c := mb.createCase(t, cw.token, nil)
		path := "/api/v2/cases/" + c["id"].(string)
		change := envelope(map[string]any{"sex": "male"})
		for _, method := range []string{"PATCH", "PUT"} {
			res := mb.call(t, method, path, cw.token, nil, change)
			requireProblem(t, res, http.StatusPreconditionRequired)
			res = mb.call(t, method, path, cw.token, ifMatch(7), change)
			requireProblem(t, res, http.StatusPreconditionFailed)
			require.Equal(t, `"1"`, res.Header().Get("ETag"), "412 tells the current version")
			requireProblem(t, mb.call(t, method, path, cw.token, map[string]string{"If-Match": `W/"1"`}, change), http.StatusPreconditionFailed)
			requireProblem(t, mb.call(t, method, path, cw.token, map[string]string{"If-Match": "*"}, change), http.StatusUnprocessableEntity)
			requireProblem(t, mb.call(t, method, path, cw.token, map[string]string{"If-Match": "1"}, change), http.StatusUnprocessableEntity)
			requireProblem(t, mb.call(t, method, path, cw.token, map[string]string{"If-Match": `"1"`, "X-Base-Version": "1"}, change),
				http.StatusUnprocessableEntity)
			requireProblem(t, mb.call(t, method, path, cw.token, map[string]string{"X-Base-Version": "2"}, change), http.StatusUnprocessableEntity)
		}
		res := mb.call(t, "GET", path, cw.token, nil, nil)
		require.EqualValues(t, 1, data(res)["version"], "nothing was written")
		require.Equal(t, "female", data(res)["sex"])
		res = mb.call(t, "PATCH", path, cw.token, map[string]string{"If-Match": `"5", "1"`}, change)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		require.Equal(t, "male", data(res)["sex"])
		require.Equal(t, `"2"`, res.Header().Get("ETag"))
	})

	t.Run("MergeFromAnOldBase", func(t *testing.T) {
		c := mb.createCase(t, cw.token, map[string]any{"risk_level": "low", "family_details_section": []any{
			map[string]any{"unique_id": rowMother, "relation": "mother", "relation_name": "Halima", "relation_age": 30},
			map[string]any{"unique_id": rowFather, "relation": "father", "relation_name": "Omar", "relation_age": 40},
		}})
		path := "/api/v2/cases/" + c["id"].(string)
		// Meanwhile (versions 2, 3) the manager changes sex and the mother's age.
		res := mb.call(t, "PATCH", path, manager.token, ifMatch(1), envelope(map[string]any{"sex": "male"}))
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		res = mb.call(t, "PATCH", path, manager.token, ifMatch(2), envelope(map[string]any{"family_details_section": []any{
			map[string]any{"unique_id": rowMother, "relation_age": 31}}}))
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())

		// The caseworker edited offline from version 1: other fields, another row's field, a new row, a removed field.
		offline := envelope(map[string]any{"risk_level": "high", "name_first": "Amina", "family_details_section": []any{
			map[string]any{"unique_id": rowFather, "relation_name": "Omar Ali"},
			map[string]any{"unique_id": rowAunt, "relation": "aunt", "relation_name": "Sahra"},
		}})
		res = mb.call(t, "PATCH", path, cw.token, map[string]string{"X-Base-Version": "1"}, offline)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		d := data(res)
		require.EqualValues(t, 4, d["version"])
		require.Equal(t, "male", d["sex"], "their change kept")
		require.Equal(t, "high", d["risk_level"], "your change applied")
		rows := map[string]map[string]any{}
		for _, x := range d["family_details_section"].([]any) {
			rows[x.(map[string]any)["unique_id"].(string)] = x.(map[string]any)
		}
		require.Len(t, rows, 3)
		require.EqualValues(t, 31, rows[rowMother]["relation_age"], "their row change kept")
		require.Equal(t, "Omar Ali", rows[rowFather]["relation_name"], "your row change applied")
		require.EqualValues(t, 40, rows[rowFather]["relation_age"])
		require.Equal(t, "Sahra", rows[rowAunt]["relation_name"], "your new row added")

		// A colliding edit from version 1: 409 listing each conflict, nothing applied.
		colliding := envelope(map[string]any{"sex": "female", "risk_level": "medium", "family_details_section": []any{
			map[string]any{"unique_id": rowMother, "relation_age": 29},
			map[string]any{"unique_id": rowFather, "_destroy": true},
		}})
		res = mb.call(t, "PATCH", path, cw.token, map[string]string{"X-Base-Version": "1"}, colliding)
		requireProblem(t, res, http.StatusConflict)
		require.Equal(t, `"4"`, res.Header().Get("ETag"))
		require.ElementsMatch(t, []any{
			map[string]any{"path": "family_details_section[" + rowFather + "].relation_name", "base": "Omar", "theirs": "Omar Ali", "yours": nil,
				"reason": "you removed the row, whose relation_name was changed since your base version"},
			map[string]any{"path": "family_details_section[" + rowMother + "].relation_age", "base": 30.0, "theirs": 31.0, "yours": 29.0},
			map[string]any{"path": "risk_level", "base": "low", "theirs": "high", "yours": "medium"},
		}, res.body["conflicts"], "sex sent as it was at base is no change of yours")
		after := data(mb.call(t, "GET", path, cw.token, nil, nil))
		require.Equal(t, d, after, "nothing applied")

		// Removing a row the base version did not have changes nothing (the aunt was added at version 4).
		res = mb.call(t, "PATCH", path, cw.token, map[string]string{"X-Base-Version": "3"}, envelope(map[string]any{
			"family_details_section": []any{map[string]any{"unique_id": rowAunt, "_destroy": true}}}))
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		require.Equal(t, d, data(res))
		res = mb.call(t, "PATCH", path, cw.token, map[string]string{"X-Base-Version": "4"}, envelope(map[string]any{
			"family_details_section": []any{map[string]any{"unique_id": rowAunt, "_destroy": true}}}))
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		require.Len(t, data(res)["family_details_section"], 2)
	})

	t.Run("PutReplacesTheWholeData", func(t *testing.T) {
		c := mb.createCase(t, cw.token, map[string]any{"risk_level": "low", "name_nickname": "Mina"})
		path := "/api/v2/cases/" + c["id"].(string)
		sent := caseData(nil)
		for k, v := range c { // a client sends back what it read, core attributes included
			if _, ok := sent[k]; !ok && k != "risk_level" && k != "name_nickname" {
				sent[k] = v
			}
		}
		sent["sex"] = "male"
		res := mb.call(t, "PUT", path, cw.token, ifMatch(1), envelope(sent))
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		d := data(res)
		require.Equal(t, "male", d["sex"])
		require.NotContains(t, d, "risk_level", "left out: removed")
		require.NotContains(t, d, "name_nickname")
		require.Equal(t, c["short_id"], d["short_id"], "core attributes sent back are ignored")
	})

	t.Run("NoChangeWritesNothing", func(t *testing.T) {
		c := mb.createCase(t, cw.token, nil)
		path := "/api/v2/cases/" + c["id"].(string)
		res := mb.call(t, "PATCH", path, cw.token, ifMatch(1), envelope(map[string]any{"sex": "female"}))
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		require.EqualValues(t, 1, data(res)["version"])
	})
}

func TestRecordIdempotentCreate(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	other := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	const id = "3d0c6a52-8a7e-4d2f-9b1c-5e6f7a8b9c0d"
	body := envelope(caseData(map[string]any{"id": id, "family_details_section": []any{map[string]any{"relation": "mother"}}}))

	first := mb.call(t, "POST", "/api/v2/cases", cw.token, nil, body)
	require.Equal(t, http.StatusCreated, first.Code, first.Body.String())
	require.Equal(t, id, data(first)["id"])
	require.Equal(t, "/api/v2/cases/"+id, first.Header().Get("Location"))

	var wg sync.WaitGroup
	replays := make(chan response, 6)
	for range 6 {
		wg.Go(func() { replays <- mb.call(t, "POST", "/api/v2/cases", cw.token, nil, body) })
	}
	wg.Wait()
	close(replays)
	for res := range replays {
		require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
		require.Equal(t, data(first), data(res), "a replay answers as the first")
	}

	changed := envelope(caseData(map[string]any{"id": id, "sex": "male"}))
	requireProblem(t, mb.call(t, "POST", "/api/v2/cases", cw.token, nil, changed), http.StatusConflict)
	requireProblem(t, mb.call(t, "POST", "/api/v2/cases", other.token, nil, body), http.StatusConflict)
	requireProblem(t, mb.call(t, "POST", "/api/v2/incidents", cw.token, nil, envelope(map[string]any{"id": id, "cp_incident_date": "2026-01-01"})),
		http.StatusConflict)

	var n int
	require.NoError(t, mb.db.Superuser(t).QueryRow(context.Background(), "select count(*) from tenant_ke.records").Scan(&n))
	require.Equal(t, 1, n)

	t.Run("ConcurrentFirstCreates", func(t *testing.T) {
		const id = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
		body := envelope(caseData(map[string]any{"id": id}))
		codes := make(chan int, 6)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() { <-start; codes <- mb.call(t, "POST", "/api/v2/cases", cw.token, nil, body).Code })
		}
		close(start)
		wg.Wait()
		close(codes)
		for c := range codes {
			require.Equal(t, http.StatusCreated, c)
		}
		var n int
		require.NoError(t, mb.db.Superuser(t).QueryRow(context.Background(), "select count(*) from tenant_ke.records where id = $1", id).Scan(&n))
		require.Equal(t, 1, n)
	})
}

func TestRecordHistory(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	c := mb.createCase(t, cw.token, map[string]any{"family_details_section": []any{
		map[string]any{"unique_id": rowMother, "relation": "mother", "relation_age": 30}}})
	path := "/api/v2/cases/" + c["id"].(string)
	res := mb.call(t, "PATCH", path, manager.token, ifMatch(1), envelope(map[string]any{"sex": "male", "name_last": nil,
		"family_details_section": []any{map[string]any{"unique_id": rowMother, "relation_age": 31},
			map[string]any{"unique_id": rowFather, "relation": "father"}}}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	res = mb.call(t, "PATCH", path, cw.token, ifMatch(2), envelope(map[string]any{"family_details_section": []any{
		map[string]any{"unique_id": rowFather, "_destroy": true}}}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())

	res = mb.call(t, "GET", path+"/record_history", cw.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, 3, total(res))
	entries := res.body["data"].([]any)
	newest, middle, oldest := entries[0].(map[string]any), entries[1].(map[string]any), entries[2].(map[string]any)
	require.EqualValues(t, 3, newest["version"])
	require.Equal(t, cw.email, newest["user_name"])
	require.Equal(t, "update", newest["action"])
	require.Equal(t, []any{map[string]any{"path": "family_details_section[" + rowFather + "]", "op": "remove",
		"from": map[string]any{"unique_id": rowFather, "relation": "father"}}}, newest["record_changes"])
	require.Equal(t, manager.email, middle["user_name"])
	require.NotEmpty(t, middle["datetime"])
	require.Equal(t, []any{
		map[string]any{"path": "family_details_section[" + rowFather + "]", "op": "add", "to": map[string]any{"unique_id": rowFather, "relation": "father"}},
		map[string]any{"path": "family_details_section[" + rowMother + "].relation_age", "from": 30.0, "to": 31.0},
		map[string]any{"path": "name_last", "from": "Yusuf"},
		map[string]any{"path": "sex", "from": "female", "to": "male"},
	}, middle["record_changes"])
	require.Equal(t, "create", oldest["action"])
	require.Contains(t, oldest["record_changes"], map[string]any{"path": "sex", "to": "female"})

	page := mb.call(t, "GET", path+"/record_history?per=1&page=3", cw.token, nil, nil)
	require.Equal(t, 3, total(page))
	require.EqualValues(t, 1, page.body["data"].([]any)[0].(map[string]any)["version"])

	t.Run("NeedsHistoryPermissionAndScope", func(t *testing.T) {
		admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
		mb.customRole(t, admin.token, "role-reader", "all", []string{"cases:read"}, nil)
		reader := mb.member(t, "ke", "role-reader", "agency-unicef")
		requireProblem(t, mb.call(t, "GET", path+"/record_history", reader.token, nil, nil), http.StatusForbidden)
		stranger := mb.member(t, "ke", "role-caseworker", "agency-save")
		requireProblem(t, mb.call(t, "GET", path+"/record_history", stranger.token, nil, nil), http.StatusNotFound)
	})
}

func TestRecordHiddenName(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	mb.customRole(t, admin.token, "role-group-reader", "group", []string{"cases:read", "cases:write", "cases:history"},
		map[string]string{"basic_identity": "rw", "protection_concerns": "rw"})
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi") // has cases:view_hidden_name
	reader := mb.member(t, "ke", "role-group-reader", "agency-unicef", "usergroup-nairobi")

	c := mb.createCase(t, cw.token, map[string]any{"hidden_name": true})
	require.Equal(t, true, c["hidden_name"])
	require.Equal(t, "Amina", c["name_first"], "the owner sees the name")
	path := "/api/v2/cases/" + c["id"].(string)
	require.Equal(t, "Yusuf", data(mb.call(t, "GET", path, manager.token, nil, nil))["name_last"])
	seen := data(mb.call(t, "GET", path, reader.token, nil, nil))
	require.Equal(t, "*****", seen["name_first"])
	require.Equal(t, "*****", seen["name_last"])
	require.Equal(t, "female", seen["sex"])
	list := mb.call(t, "GET", "/api/v2/cases", reader.token, nil, nil)
	require.Equal(t, "*****", list.body["data"].([]any)[0].(map[string]any)["name_first"])
	hist := mb.call(t, "GET", path+"/record_history", reader.token, nil, nil)
	require.Contains(t, hist.body["data"].([]any)[0].(map[string]any)["record_changes"], map[string]any{"path": "name_first", "to": "*****"})

	// Sending back what it read never writes the mask over the name.
	seen["sex"] = "male"
	res := mb.call(t, "PUT", path, reader.token, ifMatch(1), envelope(seen))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	res = mb.call(t, "PATCH", path, reader.token, ifMatch(2), envelope(map[string]any{"name_first": "*****", "risk_level": "high"}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	owner := data(mb.call(t, "GET", path, cw.token, nil, nil))
	require.Equal(t, "Amina", owner["name_first"])
	require.Equal(t, "Yusuf", owner["name_last"])
	require.Equal(t, "male", owner["sex"])

	res = mb.call(t, "PATCH", path, cw.token, ifMatch(3), envelope(map[string]any{"hidden_name": false}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "Amina", data(mb.call(t, "GET", path, reader.token, nil, nil))["name_first"])
}

func TestTracingRequestTraces(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	stranger := mb.member(t, "ke", "role-caseworker", "agency-save")
	tr := map[string]any{"inquiry_date": "2026-01-10", "relation_name": "Halima Hassan", "tracing_request_subform_section": []any{
		map[string]any{"unique_id": traceOne, "name_first": "Amina", "sex": "female", "age": 9},
		map[string]any{"unique_id": traceTwo, "name_first": "Yusuf", "sex": "male"},
	}}
	res := mb.call(t, "POST", "/api/v2/tracing_requests", cw.token, nil, envelope(tr))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	id := data(res)["id"].(string)
	base := "/api/v2/tracing_requests/" + id

	res = mb.call(t, "GET", base+"/traces", cw.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	traces := res.body["data"].([]any)
	require.Len(t, traces, 2)
	first := traces[0].(map[string]any)
	require.Equal(t, traceOne, first["id"])
	require.Equal(t, id, first["tracing_request_id"])
	require.Equal(t, "Amina", first["name_first"])
	require.EqualValues(t, 9, first["age"])

	res = mb.call(t, "GET", base+"/traces/"+traceTwo, cw.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "Yusuf", data(res)["name_first"])
	requireProblem(t, mb.call(t, "GET", base+"/traces/"+traceTwo, stranger.token, nil, nil), http.StatusNotFound)
	requireProblem(t, mb.call(t, "GET", base+"/traces/"+rowMother, cw.token, nil, nil), http.StatusNotFound)

	res = mb.call(t, "PATCH", base, cw.token, ifMatch(1), envelope(map[string]any{"tracing_request_subform_section": []any{
		map[string]any{"unique_id": traceOne, "_destroy": true},
		map[string]any{"unique_id": traceTwo, "age": 7},
	}}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	res = mb.call(t, "GET", base+"/traces", cw.token, nil, nil)
	require.Len(t, res.body["data"], 1)
	require.EqualValues(t, 7, res.body["data"].([]any)[0].(map[string]any)["age"])
	requireProblem(t, mb.call(t, "GET", base+"/traces/"+traceOne, cw.token, nil, nil), http.StatusNotFound)

	// A row id of another tracing request's trace is refused, nothing written.
	res = mb.call(t, "POST", "/api/v2/tracing_requests", cw.token, nil, envelope(map[string]any{"inquiry_date": "2026-01-10",
		"relation_name": "Omar", "tracing_request_subform_section": []any{map[string]any{"unique_id": traceTwo, "name_first": "X"}}}))
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Contains(t, res.Body.String(), "body.data.tracing_request_subform_section[0].unique_id")
	var n int
	require.NoError(t, mb.db.Superuser(t).QueryRow(context.Background(), "select count(*) from tenant_ke.records").Scan(&n))
	require.Equal(t, 1, n)
}

func TestIncidentFromCase(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	stranger := mb.member(t, "ke", "role-caseworker", "agency-save")
	c := mb.createCase(t, cw.token, nil)
	caseID := c["id"].(string)
	incident := envelope(map[string]any{"cp_incident_date": "2026-01-09", "sex": "female"})
	requireProblem(t, mb.call(t, "POST", "/api/v2/cases/"+caseID+"/incidents", stranger.token, nil, incident), http.StatusNotFound)
	res := mb.call(t, "POST", "/api/v2/cases/"+caseID+"/incidents", cw.token, nil, incident)
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	inc := data(res)
	require.Equal(t, "incident", inc["record_type"])
	require.Equal(t, caseID, inc["case_id"])
	require.Equal(t, "/api/v2/incidents/"+inc["id"].(string), res.Header().Get("Location"))
	got := data(mb.call(t, "GET", "/api/v2/cases/"+caseID, cw.token, nil, nil))
	require.Equal(t, []any{inc["id"]}, got["incident_ids"])
	require.Equal(t, caseID, data(mb.call(t, "GET", "/api/v2/incidents/"+inc["id"].(string), cw.token, nil, nil))["case_id"])
	requireProblem(t, mb.call(t, "POST", "/api/v2/cases/"+rowMother+"/incidents", cw.token, nil, incident), http.StatusNotFound)
}

func TestRecordDisableEnable(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	c := mb.createCase(t, cw.token, nil)
	path := "/api/v2/cases/" + c["id"].(string)
	requireProblem(t, mb.call(t, "POST", path+"/disable", cw.token, nil, nil), http.StatusForbidden)
	requireProblem(t, mb.call(t, "POST", path+"/disable", manager.token, ifMatch(3), nil), http.StatusPreconditionFailed)
	res := mb.call(t, "POST", path+"/disable", manager.token, ifMatch(1), nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, false, data(res)["record_state"])
	require.Equal(t, `"2"`, res.Header().Get("ETag"))
	require.Empty(t, ids(t, mb.call(t, "GET", "/api/v2/cases", cw.token, nil, nil)))
	require.Equal(t, []string{c["id"].(string)}, ids(t, mb.call(t, "GET", "/api/v2/cases?record_state=false", cw.token, nil, nil)))
	requireProblem(t, mb.call(t, "PATCH", path, cw.token, ifMatch(2), envelope(map[string]any{"sex": "male"})), http.StatusConflict)
	res = mb.call(t, "POST", path+"/enable", manager.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, true, data(res)["record_state"])
	require.EqualValues(t, 3, data(res)["version"])
	hist := mb.call(t, "GET", path+"/record_history", cw.token, nil, nil)
	require.Equal(t, "enable", hist.body["data"].([]any)[0].(map[string]any)["action"])
	require.Equal(t, []any{map[string]any{"path": "record_state", "from": false, "to": true}}, hist.body["data"].([]any)[0].(map[string]any)["record_changes"])
}

func TestRecordListOrderAndSync(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	var created []string
	for i := range 5 {
		created = append(created, mb.createCase(t, cw.token, map[string]any{"registration_date": fmt.Sprintf("2026-01-%02d", 20-i)})["id"].(string))
	}
	res := mb.call(t, "GET", "/api/v2/cases?order_by=registration_date&order=asc", cw.token, nil, nil)
	require.Equal(t, []string{created[4], created[3], created[2], created[1], created[0]}, ids(t, res))
	res = mb.call(t, "GET", "/api/v2/cases", cw.token, nil, nil)
	require.Equal(t, []string{created[4], created[3], created[2], created[1], created[0]}, ids(t, res), "newest change first by default")

	// Sync: pages of 2 in updated_at order, each continuing from the previous cursor.
	sync := func() []string {
		var synced []string
		res := mb.call(t, "GET", "/api/v2/cases?per=2&order_by=updated_at&order=asc", cw.token, nil, nil)
		for {
			synced = append(synced, ids(t, res)...)
			cursor, _ := res.body["metadata"].(map[string]any)["cursor"].(string)
			if cursor == "" {
				return synced
			}
			res = mb.call(t, "GET", "/api/v2/cases?per=2&cursor="+cursor, cw.token, nil, nil)
		}
	}
	// A sync's pages end where writes have settled: a case written while
	// another transaction was open (a job's, started by the creations) waits
	// for it to end, and a sync started then finds it.
	var synced []string
	require.Eventually(t, func() bool {
		synced = sync()
		return len(synced) == len(created)
	}, 30*time.Second, 100*time.Millisecond, "every case synced once the writes have settled")
	require.Equal(t, created, synced)

	for _, q := range []string{"order_by=name_first", "order=up", "per=1001", "page=0", "colour=blue", "cursor=abc",
		"cursor=abc&order=desc", "updated_since=yesterday", "record_state=maybe"} {
		requireProblem(t, mb.call(t, "GET", "/api/v2/cases?"+q, cw.token, nil, nil), http.StatusUnprocessableEntity)
	}
}

func TestRecordBadInput(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	c := mb.createCase(t, cw.token, nil)
	path := "/api/v2/cases/" + c["id"].(string)
	for _, tc := range []struct {
		name   string
		method string
		path   string
		body   any
		status int
	}{
		{"MalformedJSON", "POST", "/api/v2/cases", `{"data": {"sex": "female"`, http.StatusBadRequest},
		{"NotAnObject", "POST", "/api/v2/cases", `{"data": [1, 2]}`, http.StatusUnprocessableEntity},
		{"NoEnvelope", "POST", "/api/v2/cases", `{"sex": "female"}`, http.StatusUnprocessableEntity},
		{"UnknownEnvelopeKey", "POST", "/api/v2/cases", `{"data": {}, "meta": 1}`, http.StatusUnprocessableEntity},
		{"BadID", "POST", "/api/v2/cases", envelope(caseData(map[string]any{"id": "123"})), http.StatusUnprocessableEntity},
		{"ServerAttribute", "POST", "/api/v2/cases", envelope(caseData(map[string]any{"status": "closed"})), http.StatusUnprocessableEntity},
		{"UnknownModule", "POST", "/api/v2/cases", envelope(caseData(map[string]any{"module_id": "primeromodule-gbv"})), http.StatusUnprocessableEntity},
		{"HiddenNameNotBool", "POST", "/api/v2/cases", envelope(caseData(map[string]any{"hidden_name": "yes"})), http.StatusUnprocessableEntity},
		{"NulInText", "POST", "/api/v2/cases", envelope(caseData(map[string]any{"name_first": "A\x00B"})), http.StatusUnprocessableEntity},
		{"BadRow", "POST", "/api/v2/cases", envelope(caseData(map[string]any{"family_details_section": []any{map[string]any{"unique_id": "x"}}})), http.StatusUnprocessableEntity},
		{"DestroyOnCreate", "POST", "/api/v2/cases", envelope(caseData(map[string]any{"family_details_section": []any{map[string]any{"relation": "mother", "_destroy": true}}})), http.StatusUnprocessableEntity},
		{"Oversized", "POST", "/api/v2/cases", envelope(caseData(map[string]any{"name_other": strings.Repeat("x", 1<<20)})), http.StatusRequestEntityTooLarge},
		{"PatchRandomID", "PATCH", "/api/v2/cases/6f1c1f5e-3f6b-4b0e-9a55-000000000000", envelope(map[string]any{"sex": "male"}), http.StatusNotFound},
		{"PatchOtherType", "PATCH", "/api/v2/incidents/" + c["id"].(string), envelope(map[string]any{"sex": "male"}), http.StatusNotFound},
		{"PatchBadRowMark", "PATCH", path, envelope(map[string]any{"family_details_section": []any{map[string]any{"unique_id": rowMother, "_destroy": 1}}}), http.StatusUnprocessableEntity},
		// Session 21 review: wrong content types, wrong JSON types, ids that are not ids or name another kind of record.
		{"TextPlain", "POST", "/api/v2/cases", rawBody{contentType: "text/plain", data: []byte(`{"data": {"sex": "female"}}`)}, http.StatusUnsupportedMediaType},
		{"FormEncoded", "POST", "/api/v2/cases", rawBody{contentType: "application/x-www-form-urlencoded", data: []byte("sex=female")},
			http.StatusUnsupportedMediaType},
		{"PatchAsXML", "PATCH", path, rawBody{contentType: "application/xml", data: []byte("<data><sex>male</sex></data>")},
			http.StatusUnsupportedMediaType},
		{"DataIsAString", "POST", "/api/v2/cases", `{"data": "sex=female"}`, http.StatusUnprocessableEntity},
		{"DataIsNull", "POST", "/api/v2/cases", `{"data": null}`, http.StatusUnprocessableEntity},
		{"NumberForAnOption", "POST", "/api/v2/cases", envelope(caseData(map[string]any{"sex": 1})), http.StatusUnprocessableEntity},
		{"StringForANumber", "PATCH", path, envelope(map[string]any{"family_details_section": []any{map[string]any{"relation": "mother",
			"relation_age": "thirty"}}}), http.StatusUnprocessableEntity},
		{"ObjectForADate", "PATCH", path, envelope(map[string]any{"date_of_birth": map[string]any{"y": 2017}}), http.StatusUnprocessableEntity},
		{"RowsNotAList", "PATCH", path, envelope(map[string]any{"family_details_section": map[string]any{"relation": "mother"}}),
			http.StatusUnprocessableEntity},
		{"EmptyBody", "POST", "/api/v2/cases", "", http.StatusBadRequest},
		{"IDNotAUUID", "GET", "/api/v2/cases/1%20or%201=1", nil, http.StatusUnprocessableEntity},
		{"CaseIDAsTracingRequest", "GET", "/api/v2/tracing_requests/" + c["id"].(string) + "/traces", nil, http.StatusNotFound},
		{"CaseIDAsIncidentHistory", "GET", "/api/v2/incidents/" + c["id"].(string) + "/record_history", nil, http.StatusNotFound},
		{"RowIDAsCase", "GET", "/api/v2/cases/" + rowMother, nil, http.StatusNotFound},
		{"IncidentFromRandomCase", "POST", "/api/v2/cases/" + rowFather + "/incidents", envelope(map[string]any{}), http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			headers := map[string]string{}
			if tc.method == "PATCH" {
				headers = ifMatch(1)
			}
			res := mb.call(t, tc.method, tc.path, cw.token, headers, tc.body)
			requireProblem(t, res, tc.status)
		})
	}
	var n int
	require.NoError(t, mb.db.Superuser(t).QueryRow(context.Background(), "select count(*) from tenant_ke.records").Scan(&n))
	require.Equal(t, 1, n, "nothing written")
	require.EqualValues(t, 1, data(mb.call(t, "GET", path, cw.token, nil, nil))["version"])
}

func TestRecordCallsAreAudited(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	stranger := mb.member(t, "ke", "role-caseworker", "agency-save")
	c := mb.createCase(t, cw.token, nil)
	id := c["id"].(string)
	mb.call(t, "GET", "/api/v2/cases/"+id, cw.token, nil, nil)
	mb.call(t, "PATCH", "/api/v2/cases/"+id, cw.token, ifMatch(1), envelope(map[string]any{"sex": "male"}))
	mb.call(t, "GET", "/api/v2/cases/"+id, stranger.token, nil, nil)
	mb.call(t, "GET", "/api/v2/cases/"+id+"/record_history", cw.token, nil, nil)
	mb.call(t, "GET", "/api/v2/cases", cw.token, nil, nil)

	rows, err := mb.db.Superuser(t).Query(context.Background(), `select operation, outcome, coalesce(record_type, ''), coalesce(record_id::text, ''),
		actor, metadata from tenant_ke.audit_logs where operation like '%case%' order by id`)
	require.NoError(t, err)
	type row struct {
		op, outcome, rt, id, actor string
		meta                       map[string]any
	}
	var got []row
	for rows.Next() {
		var r row
		require.NoError(t, rows.Scan(&r.op, &r.outcome, &r.rt, &r.id, &r.actor, &r.meta))
		got = append(got, r)
	}
	require.NoError(t, rows.Err())
	require.Len(t, got, 6)
	for i, want := range []struct{ op, outcome, id, actor string }{
		{"create-case", "allowed", id, cw.userID}, {"get-case", "allowed", id, cw.userID}, {"update-case", "allowed", id, cw.userID},
		{"get-case", "failed", id, stranger.userID}, {"list-case-history", "allowed", id, cw.userID}, {"list-cases", "allowed", "", cw.userID},
	} {
		require.Equal(t, want.op, got[i].op)
		require.Equal(t, want.outcome, got[i].outcome, want.op)
		require.Equal(t, "case", got[i].rt, want.op)
		require.Equal(t, want.id, got[i].id, want.op)
		require.Equal(t, "user:"+want.actor, got[i].actor)
	}
	require.Equal(t, map[string]any{"total": 1.0, "ids": []any{id}}, got[5].meta)
}

func tenancyUserGroups(groups ...string) people.UserPatch {
	return people.UserPatch{UserGroups: &groups}
}
func tenancyAgency(agency string) people.UserPatch { return people.UserPatch{Agency: &agency} }

func TestServiceAccountOwnsItsRecords(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	mb.customRole(t, admin.token, "role-agency-supervisor", "agency", []string{"cases:read"}, nil)
	supervisor := mb.member(t, "ke", "role-agency-supervisor", "agency-unicef")
	other := mb.member(t, "ke", "role-agency-supervisor", "agency-save")
	sa, err := people.New(mb.p).CreateServiceAccount(sys(), "ke", "Registration app", "role-caseworker", "agency-unicef")
	require.NoError(t, err)
	_, key, err := people.New(mb.p).IssueAPIKey(sys(), "ke", sa.ID, "app", nil)
	require.NoError(t, err)

	c := mb.createCase(t, key, nil)
	require.Equal(t, "Registration app", c["owned_by"])
	require.Equal(t, "agency-unicef", c["owned_by_agency_id"])
	require.Equal(t, []any{sa.ID}, c["associated_user_ids"])
	require.Equal(t, "Registration app", c["created_by"])
	require.Equal(t, []string{c["id"].(string)}, ids(t, mb.call(t, "GET", "/api/v2/cases", key, nil, nil)))
	require.Equal(t, []string{c["id"].(string)}, ids(t, mb.call(t, "GET", "/api/v2/cases", supervisor.token, nil, nil)), "agency scope reaches service accounts of the agency")
	require.Empty(t, ids(t, mb.call(t, "GET", "/api/v2/cases", other.token, nil, nil)))
}

func TestRecordSearchColumns(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	_, err := locations.New(mb.p).Upsert(sys(), "ke", []locations.Spec{
		{Code: "KE", AdminLevel: 0, Type: "country", Name: map[string]string{"en": "Kenya"}},
		{Code: "KE01", ParentCode: "KE", AdminLevel: 1, Type: "county", Name: map[string]string{"en": "Mombasa"}}})
	require.NoError(t, err)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	c := mb.createCase(t, cw.token, map[string]any{"name_first": "Mohamed", "name_last": "Abdirahman", "location_current": "KE01",
		"date_of_birth": "2016-05-31", "risk_level": "high"})
	res := mb.call(t, "POST", "/api/v2/tracing_requests", cw.token, nil, envelope(map[string]any{"inquiry_date": "2026-01-10",
		"relation_name": "Halima", "tracing_request_subform_section": []any{
			map[string]any{"unique_id": traceOne, "name_first": "محمد", "location_last": "KE01", "sex": "male"}}}))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())

	su := mb.db.Superuser(t)
	var keys []string
	var folded, location, sex, risk string
	var dob time.Time
	require.NoError(t, su.QueryRow(context.Background(), `select name_keys, name_folded, location_current::text, sex, risk_level, date_of_birth
		from tenant_ke.records where id = $1`, c["id"]).Scan(&keys, &folded, &location, &sex, &risk, &dob))
	require.Subset(t, keys, names.Keys("محمد"), "the Arabic spelling finds the case")
	require.Equal(t, "mohamed abdirahman", folded)
	require.Equal(t, "KE.KE01", location, "the location's path, for subtree filters")
	require.Equal(t, "female", sex)
	require.Equal(t, "high", risk)
	require.Equal(t, "2016-05-31", dob.Format(time.DateOnly))

	var traceKeys []string
	var traceLocation string
	require.NoError(t, su.QueryRow(context.Background(), `select name_keys, location_last::text from tenant_ke.traces where id = $1`, traceOne).
		Scan(&traceKeys, &traceLocation))
	require.Subset(t, keys, traceKeys, "the trace and the case share their name keys (FTR blocking)")
	require.Equal(t, "KE.KE01", traceLocation)
	var n int
	require.NoError(t, su.QueryRow(context.Background(), `select count(*) from tenant_ke.records where record_type = 'case'
		and location_current operator(extensions.<@) 'KE'::extensions.ltree and name_keys && $1::text[]`, names.Keys("Muhammad")).Scan(&n))
	require.Equal(t, 1, n)
}

// TestTracePositionFollowsTheRows: each trace keeps its place among its
// tracing request's rows (0: the first, whose child the request's
// separation is about: FTR matching weighs it apart for the later ones),
// mirrored on create, after a row is removed and after one is added.
func TestTracePositionFollowsTheRows(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	res := mb.call(t, "POST", "/api/v2/tracing_requests", cw.token, nil, envelope(map[string]any{"inquiry_date": "2026-01-10",
		"relation_name": "Halima", "date_of_separation": "2025-06-01", "tracing_request_subform_section": []any{
			map[string]any{"unique_id": traceOne, "name_first": "Amina", "sex": "female"},
			map[string]any{"unique_id": traceTwo, "name_first": "Yusuf", "sex": "male"}}}))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	trID := data(res)["id"].(string)
	su := mb.db.Superuser(t)
	positions := func() []string {
		rows, err := su.Query(context.Background(), `select id::text || ' ' || position from tenant_ke.traces
			where tracing_request_id = $1 order by position`, trID)
		require.NoError(t, err)
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		return out
	}
	require.Equal(t, []string{traceOne + " 0", traceTwo + " 1"}, positions())

	res = mb.call(t, "PATCH", "/api/v2/tracing_requests/"+trID, cw.token, ifMatch(1), envelope(map[string]any{
		"tracing_request_subform_section": []any{map[string]any{"unique_id": traceOne, "_destroy": true}}}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, []string{traceTwo + " 0"}, positions(), "the first row removed, the second is first")

	res = mb.call(t, "PATCH", "/api/v2/tracing_requests/"+trID, cw.token, ifMatch(2), envelope(map[string]any{
		"tracing_request_subform_section": []any{map[string]any{"unique_id": traceOne, "name_first": "Amina"}}}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, []string{traceTwo + " 0", traceOne + " 1"}, positions(), "a row added comes after")
}
