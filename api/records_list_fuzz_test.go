package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cpims-hosted/cpims/people"
)

// FuzzListCases sends arbitrary query strings to list-cases (through the
// whole server and a real PostgreSQL, as a caseworker with cases): every
// answer is a 200 page or a 4xx problem; never a 5xx, never an SQL error
// reaching the client.
func FuzzListCases(f *testing.F) {
	mb := setupMembers(f)
	sa, err := people.New(mb.p).CreateServiceAccount(sys(), "ke", "Fuzzer", "role-caseworker", "agency-unicef")
	if err != nil {
		f.Fatal(err)
	}
	_, key, err := people.New(mb.p).IssueAPIKey(sys(), "ke", sa.ID, "fuzz", nil)
	if err != nil {
		f.Fatal(err)
	}
	for _, d := range []map[string]any{{"name_first": "Mohamed", "name_last": "Hassan", "date_of_birth": "2016-05-31"},
		{"name_first": "محمد", "sex": "male"}, {"name_first": "Yusuf", "risk_level": "high"}} {
		mb.createCase(f, key, d)
	}
	for _, seed := range []string{
		"", "per=1000&page=2", "status=open,closed&sex=male&age=5..10", "location_current=KE01,KE02", "age=..5&age=10..",
		"registration_date=2024-01-01..2024-06-30&order_by=registration_date&order=asc", "query=moh&phonetic=true",
		"query=Mohamed%20Hassan&phonetic=true&order_by=age", "query=KE-01-000123&id_search=true", "query=%2B254%20712&phone_number=true",
		"query=%25_%5C&fields=name_first,sex", "flagged=true&workflow=new", "owned_by=a@b.c&owned_by_agency_id=agency-unicef",
		"sex=x'%20or%201=1--", "age=1e400", "age=5..10..15", "registration_date=2024-02-30", "order_by=filters", "cursor=eyJ1IjoxfQ",
		"nationality=som&nationality=1..2", "query=%00", "colour[0]=red", "updated_since=2024-01-01T00:00:00Z&order_by=updated_at&order=asc",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, query string) {
		if strings.ContainsAny(query, "# \r\n\t") {
			return // not a query string a client can send as it is
		}
		res := mb.call(t, "GET", "/api/v2/cases?"+query, key, nil, nil)
		switch {
		case res.Code == http.StatusOK:
		case res.Code >= 400 && res.Code < 500:
			if res.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d without a problem: %s", res.Code, res.Body.String())
			}
			if body := strings.ToLower(res.Body.String()); strings.Contains(body, "sqlstate") || strings.Contains(body, "syntax error") {
				t.Fatalf("an SQL error reached the client: %s", res.Body.String())
			}
		default:
			t.Fatalf("%d for %q: %s", res.Code, query, res.Body.String())
		}
	})
}
