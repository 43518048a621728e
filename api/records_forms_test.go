package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Records through the default configuration (package forms): validation as
// the caller's role writes, and reads filtered by its form access.

// problemPaths lists the locations of a problem's details.
func problemPaths(t testing.TB, res response) []string {
	t.Helper()
	var out []string
	for _, e := range res.body["errors"].([]any) {
		out = append(out, e.(map[string]any)["location"].(string))
	}
	return out
}

func TestRecordValidation(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	count := func() int {
		var n int
		require.NoError(t, mb.db.Superuser(t).QueryRow(context.Background(), "select count(*) from tenant_ke.records").Scan(&n))
		return n
	}

	res := mb.call(t, "POST", "/api/v2/cases", cw.token, nil, envelope(map[string]any{
		"name_first": 7, "date_of_birth": "31/05/2016", "sex": "unknown_option", "favourite_colour": "blue", "age": 9,
		"family_details_section": []any{map[string]any{"relation_name": "Halima"}, map[string]any{"relation": "mother", "relation_age": "thirty"}},
	}))
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Equal(t, "The case is not valid.", res.body["detail"])
	require.ElementsMatch(t, []string{
		"body.data.date_of_birth", "body.data.family_details_section[0].relation", "body.data.family_details_section[1].relation_age",
		"body.data.favourite_colour", "body.data.name_first", "body.data.registration_date", "body.data.sex",
	}, problemPaths(t, res), "every bad value at once; the calculated age is ignored, not refused")
	require.Zero(t, count(), "nothing written")

	c := mb.createCase(t, cw.token, map[string]any{"date_of_birth": "2016-05-31", "household_adults": 2, "household_children": 3,
		"age": 99, "family_size": 99, "family_details_section": []any{
			map[string]any{"unique_id": rowMother, "relation": "mother"}, map[string]any{"unique_id": rowFather, "relation": "father"}}})
	path := "/api/v2/cases/" + c["id"].(string)
	now := time.Now().UTC()
	age := now.Year() - 2016
	if now.Month() < time.May || now.Month() == time.May && now.Day() < 31 {
		age--
	}
	for _, seen := range []map[string]any{c, data(mb.call(t, "GET", path, cw.token, nil, nil))} {
		require.EqualValues(t, age, seen["age"], "calculated on read from the date of birth; the value sent is ignored")
		require.EqualValues(t, 5, seen["family_size"], "the sum of the household fields")
	}
	var stored int
	require.NoError(t, mb.db.Superuser(t).QueryRow(context.Background(),
		"select count(*) from tenant_ke.records where data ? 'age' or data ? 'family_size'").Scan(&stored))
	require.Zero(t, stored, "calculated values are never stored")

	// A PATCH sending some rows: problems point at the rows' places in the body, not in the stored list.
	res = mb.call(t, "PATCH", path, cw.token, ifMatch(1), envelope(map[string]any{"family_details_section": []any{
		map[string]any{"relation": "not_a_relation"}, map[string]any{"unique_id": rowFather, "relation_age": -3}}}))
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.ElementsMatch(t, []string{"body.data.family_details_section[0].relation", "body.data.family_details_section[1].relation_age"},
		problemPaths(t, res))
	res = mb.call(t, "GET", path, cw.token, nil, nil)
	require.EqualValues(t, 1, data(res)["version"], "nothing written")
	require.Len(t, data(res)["family_details_section"], 2)

	res = mb.call(t, "PATCH", path, cw.token, ifMatch(1), envelope(map[string]any{"sex": nil}))
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Equal(t, []string{"body.data.sex"}, problemPaths(t, res), "a required field cannot be removed")

	res = mb.call(t, "POST", "/api/v2/tracing_requests", cw.token, nil, envelope(map[string]any{"inquiry_date": "2026-01-10",
		"relation_name": "Halima", "tracing_request_subform_section": []any{map[string]any{"sex": "female", "age": 300}}}))
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Equal(t, []string{"body.data.tracing_request_subform_section[0].age"}, problemPaths(t, res))
}

func TestRecordFormAccess(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	// Reviewers read the identity form, write protection concerns, and have no access to the family form.
	mb.customRole(t, admin.token, "role-reviewer", "group", []string{"cases:read", "cases:write", "cases:history"},
		map[string]string{"basic_identity": "r", "protection_concerns": "rw"})
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	reviewer := mb.member(t, "ke", "role-reviewer", "agency-unicef", "usergroup-nairobi")
	c := mb.createCase(t, cw.token, map[string]any{"risk_level": "low", "family_details_section": []any{
		map[string]any{"unique_id": rowMother, "relation": "mother", "relation_name": "Halima"}}})
	path := "/api/v2/cases/" + c["id"].(string)

	seen := data(mb.call(t, "GET", path, reviewer.token, nil, nil))
	require.Equal(t, "Amina", seen["name_first"], "a read-only form is seen")
	require.Equal(t, "female", seen["sex"])
	require.Equal(t, "low", seen["risk_level"])
	require.NotContains(t, seen, "family_details_section", "a form without access is not")
	require.Equal(t, c["short_id"], seen["short_id"], "core attributes always")
	list := mb.call(t, "GET", "/api/v2/cases", reviewer.token, nil, nil)
	require.NotContains(t, list.body["data"].([]any)[0], "family_details_section")

	res := mb.call(t, "PATCH", path, reviewer.token, ifMatch(1), envelope(map[string]any{"sex": "male", "risk_level": "high",
		"favourite_colour": "blue", "family_details_section": []any{map[string]any{"unique_id": rowMother, "relation_name": "Hawa"}}}))
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.ElementsMatch(t, []string{"body.data.family_details_section", "body.data.favourite_colour", "body.data.sex"}, problemPaths(t, res),
		"a read-only form, a form without access and an unknown field: each refused, the writable risk level with them")
	require.EqualValues(t, 1, data(mb.call(t, "GET", path, cw.token, nil, nil))["version"], "nothing written")

	res = mb.call(t, "PATCH", path, reviewer.token, ifMatch(1), envelope(map[string]any{"risk_level": "high"}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())

	// A PUT of what the reviewer sees keeps what it cannot see.
	seen = data(res)
	seen["risk_level"] = "medium"
	res = mb.call(t, "PUT", path, reviewer.token, ifMatch(2), envelope(seen))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	full := data(mb.call(t, "GET", path, cw.token, nil, nil))
	require.Equal(t, "medium", full["risk_level"])
	require.Len(t, full["family_details_section"], 1, "the family form the reviewer cannot read is kept")

	// An offline edit of a form the reviewer cannot read, which others changed since its base:
	// refused like any write of it, never a conflict showing their values.
	res = mb.call(t, "PATCH", path, cw.token, ifMatch(3), envelope(map[string]any{"family_details_section": []any{
		map[string]any{"unique_id": rowMother, "relation_name": "Hawa"}}}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	res = mb.call(t, "PATCH", path, reviewer.token, map[string]string{"X-Base-Version": "3"}, envelope(map[string]any{
		"family_details_section": []any{map[string]any{"unique_id": rowMother, "relation_name": "Zainab"}}}))
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Equal(t, []string{"body.data.family_details_section"}, problemPaths(t, res))
	require.NotContains(t, res.Body.String(), "Hawa")
	require.NotContains(t, res.Body.String(), "Halima")

	// The change log leaves out what the reviewer cannot read.
	hist := mb.call(t, "GET", path+"/record_history", reviewer.token, nil, nil)
	entries := hist.body["data"].([]any)
	require.Len(t, entries, 4)
	require.Empty(t, entries[0].(map[string]any)["record_changes"], "the family change is not shown")
	create := entries[3].(map[string]any)["record_changes"].([]any)
	for _, ch := range create {
		require.NotContains(t, ch.(map[string]any)["path"], "family_details_section")
	}
	require.Contains(t, create, map[string]any{"path": "sex", "to": "female"})
}
