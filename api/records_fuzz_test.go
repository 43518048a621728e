package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/cpims-hosted/cpims/people"
)

// FuzzCreateCase sends arbitrary bodies to create-case (as a service
// account, through the whole server and a real PostgreSQL): every answer is
// a 201 that wrote exactly one record, or a 4xx problem that wrote nothing;
// never a 5xx.
func FuzzCreateCase(f *testing.F) {
	mb := setupMembers(f)
	sa, err := people.New(mb.p).CreateServiceAccount(sys(), "ke", "Fuzzer", "role-caseworker", "agency-unicef")
	if err != nil {
		f.Fatal(err)
	}
	_, key, err := people.New(mb.p).IssueAPIKey(sys(), "ke", sa.ID, "fuzz", nil)
	if err != nil {
		f.Fatal(err)
	}
	su := mb.db.Superuser(f)
	count := func(t *testing.T) int {
		var n int
		if err := su.QueryRow(context.Background(), "select count(*) from tenant_ke.records").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, seed := range []string{
		`{"data": {"registration_date": "2026-01-10", "sex": "female", "name_first": "Amina"}}`,
		`{"data": {"id": "3d0c6a52-8a7e-4d2f-9b1c-5e6f7a8b9c0d", "sex": "male", "registration_date": "2026-01-10"}}`,
		`{"data": {"family_details_section": [{"relation": "mother"}, {"unique_id": "x"}, 3, {"_destroy": true}]}}`,
		`{"data": {"age": 1e400, "date_of_birth": "2016-02-30", "sex": ["female"]}}`,
		`{"data": {"name_first": "\u0000", "hidden_name": "yes", "module_id": 7}}`,
		`{"data": {"a": {"b": {"c": {"d": {"e": {"f": [[[[[1]]]]]}}}}}}}`,
		`{"data": {"status": "closed", "version": 9, "id": "not-a-uuid"}}`,
		`{"data": {"tracing_request_subform_section": [{"unique_id": "7c1d2e3f-4a5b-4c6d-8e7f-901234567801"}]}}`,
		`{"data": {}`, `[]`, `{"data": null}`, `{"data": "x"}`, ``,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		before := count(t)
		res := mb.call(t, "POST", "/api/v2/cases", key, nil, body)
		after := count(t)
		switch {
		case res.Code == http.StatusCreated:
			id, _ := data(res)["id"].(string)
			if get := mb.call(t, "GET", "/api/v2/cases/"+id, key, nil, nil); get.Code != http.StatusOK {
				t.Fatalf("created %s but GET answers %d", id, get.Code)
			}
			if d := after - before; d != 1 && d != 0 { // 0: a replay of an earlier create with this id
				t.Fatalf("201 but %d records became %d", before, after)
			}
		case res.Code >= 400 && res.Code < 500:
			if after != before {
				t.Fatalf("%d but %d records became %d: %s", res.Code, before, after, res.Body.String())
			}
			if res.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d without a problem: %s", res.Code, res.Body.String())
			}
		default:
			t.Fatalf("%d for %q: %s", res.Code, body, res.Body.String())
		}
	})
}
