package api_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/locations"
)

// Tests of list filters and searches (docs/records.md, Search) through the
// real server and PostgreSQL.

// searchNames lists the names (name_first name_last) of a list's records, in order.
func searchNames(t testing.TB, res response) []string {
	t.Helper()
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	var out []string
	for _, x := range res.body["data"].([]any) {
		r := x.(map[string]any)
		out = append(out, strings.TrimSpace(str(r["name_first"])+" "+str(r["name_last"])))
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func TestRecordSearch(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	_, err := locations.New(mb.p).Upsert(sys(), "ke", []locations.Spec{
		{Code: "KE", AdminLevel: 0, Type: "country", Name: map[string]string{"en": "Kenya"}},
		{Code: "KE01", ParentCode: "KE", AdminLevel: 1, Type: "county", Name: map[string]string{"en": "Mombasa"}},
		{Code: "KE0101", ParentCode: "KE01", AdminLevel: 2, Type: "district", Name: map[string]string{"en": "Mvita"}},
		{Code: "KE0102", ParentCode: "KE01", AdminLevel: 2, Type: "district", Name: map[string]string{"en": "Likoni"}},
		{Code: "KE02", ParentCode: "KE", AdminLevel: 1, Type: "county", Name: map[string]string{"en": "Garissa"}}})
	require.NoError(t, err)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	other := mb.member(t, "ke", "role-caseworker", "agency-save")
	now := time.Now()
	dob := func(years int) string { return now.AddDate(-years, -1, 0).Format(time.DateOnly) } // aged years today
	made := map[string]map[string]any{}
	add := func(token, first, last string, extra map[string]any) {
		d := map[string]any{"name_first": first, "name_last": last}
		for k, v := range extra {
			d[k] = v
		}
		made[strings.TrimSpace(first+" "+last)] = mb.createCase(t, token, d)
	}
	add(cw.token, "Mohamed", "Hassan", map[string]any{"sex": "male", "date_of_birth": dob(10), "location_current": "KE0101",
		"risk_level": "high", "registration_date": "2026-01-05"})
	add(cw.token, "Muhammad", "Ali", map[string]any{"sex": "male", "date_of_birth": dob(7), "location_current": "KE0102",
		"risk_level": "low", "registration_date": "2026-01-10"})
	add(cw.token, "محمد", "حسن", map[string]any{"sex": "male", "date_of_birth": dob(14), "location_current": "KE02",
		"risk_level": "high", "registration_date": "2026-02-01"})
	add(cw.token, "Mohammed", "Yusuf", map[string]any{"sex": "male", "date_of_birth": dob(3), "registration_date": "2026-02-10"})
	add(cw.token, "Abdirahman", "Omar", nil)
	add(cw.token, "Abdurahman", "Warsame", nil)
	add(cw.token, "عبد الرحمن", "", nil)
	add(cw.token, "Yusuf", "Abdi", nil)
	add(cw.token, "Youssouf", "Diallo", nil)
	add(cw.token, "Yousef", "Haddad", nil)
	add(cw.token, "Mahmoud", "Ali", nil)
	add(cw.token, "Hamid", "Ahmed", nil)
	add(cw.token, "Amina", "Hamdi", nil)
	add(other.token, "Mohamed", "Warsame", map[string]any{"location_current": "KE0101"}) // outside cw's scope
	list := func(query string) response {
		if !strings.Contains(query, "per=") {
			query += "&per=100"
		}
		return mb.call(t, "GET", "/api/v2/cases?"+query, cw.token, nil, nil)
	}
	sorted := func(s []string) []string { slices.Sort(s); return s }

	t.Run("Filters", func(t *testing.T) {
		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"status=open", sorted(keysOf(made, "Mohamed Warsame"))},
			{"status=closed", nil},
			{"sex=male", sorted([]string{"Mohamed Hassan", "Muhammad Ali", "محمد حسن", "Mohammed Yusuf"})},
			{"age=5..10", sorted([]string{"Mohamed Hassan", "Muhammad Ali"})},
			{"age=..5&sex=male", []string{"Mohammed Yusuf"}},
			{"age=14", []string{"محمد حسن"}},
			{"location_current=KE01", sorted([]string{"Mohamed Hassan", "Muhammad Ali"})},
			{"location_current=KE0101", []string{"Mohamed Hassan"}},
			{"location_current=KE0102,KE02", sorted([]string{"Muhammad Ali", "محمد حسن"})},
			{"location_current=KE&status=open&age=5..14", sorted([]string{"Mohamed Hassan", "Muhammad Ali", "محمد حسن"})},
			{"location_current=XX99", nil},
			{"registration_date=2026-01-01..2026-01-09", []string{"Mohamed Hassan"}},
			{"registration_date=2026-01-10&sex=male", []string{"Muhammad Ali"}},
			{"registration_date=2026-02-01..", sorted([]string{"محمد حسن", "Mohammed Yusuf"})},
			{"risk_level=high&risk_level=low", sorted([]string{"Mohamed Hassan", "Muhammad Ali", "محمد حسن"})},
			{"owned_by=" + url.QueryEscape(strings.ToUpper(cw.email)), sorted(keysOf(made, "Mohamed Warsame"))},
			{"owned_by=" + url.QueryEscape(other.email), nil},
			{"owned_by_agency_id=agency-unicef&sex=male&age=7", []string{"Muhammad Ali"}},
			{"owned_by_agency_id=agency-save", nil},
			{"flagged=false&workflow=new&risk_level=low", []string{"Muhammad Ali"}},
			{"sex=" + url.QueryEscape("male' or 1=1 --"), nil},
		} {
			got := searchNames(t, list(tc.query))
			slices.Sort(got)
			require.Equal(t, tc.want, got, tc.query)
			require.Equal(t, len(tc.want), total(list(tc.query)), tc.query)
		}
		require.Equal(t, []string{"محمد حسن", "Mohamed Hassan", "Muhammad Ali", "Mohammed Yusuf"},
			searchNames(t, list("sex=male&order_by=date_of_birth&order=asc")), "sorted on a filter column")

		res := list("fields=name_first,sex&sex=male&per=1")
		rec := res.body["data"].([]any)[0].(map[string]any)
		require.Contains(t, rec, "name_first")
		require.Contains(t, rec, "sex")
		require.NotContains(t, rec, "name_last", "only the fields asked for")
		require.Contains(t, rec, "short_id", "core attributes always")
		require.Equal(t, 4, total(res))

		for _, q := range []string{"colour=blue", "status=pending", "age=ten", "age=10..5", "age=-1", "registration_date=2026-13-01",
			"registration_date=..", "flagged=yes", "location_current=KE-01", "workflow=New!", "order_by=colour", "order_by=data",
			"query=x&id_search=true&phonetic=true", "phonetic=true", "phonetic=true&query=123", "phone_number=true&query=12",
			"fields=Bad-Name", "Sex=male", "sex[0]=male", "sex=" + strings.Repeat("x", 201), "sex="} {
			res := list(q)
			requireProblem(t, res, http.StatusUnprocessableEntity)
		}
		errs := list("colour=blue").body["errors"].([]any)
		require.Equal(t, "query.colour", errs[0].(map[string]any)["location"], "the problem names the filter")
	})

	t.Run("Phonetic", func(t *testing.T) {
		search := func(q string) []string { return searchNames(t, list("phonetic=true&query="+url.QueryEscape(q))) }
		mohamed := []string{"Mohamed Hassan", "Mohammed Yusuf", "Muhammad Ali", "محمد حسن"}
		for _, q := range []string{"Mohamed", "Muhammad", "Mohammed", "محمد"} {
			got := search(q)
			require.ElementsMatch(t, mohamed, got, q)
			require.NotContains(t, got, "Mohamed Warsame", "outside the caller's scope")
		}
		require.Equal(t, "Mohamed Hassan", search("Mohamed")[0], "the query's own spelling first")
		require.Equal(t, "محمد حسن", search("محمد")[0], "the query's own spelling first")
		require.Equal(t, "Muhammad Ali", search("Muhammad")[0])
		abdirahman := []string{"Abdirahman Omar", "Abdurahman Warsame", "عبد الرحمن"}
		for _, q := range []string{"Abdirahman", "Abdurahman", "عبد الرحمن", "Abdul Rahman"} {
			require.ElementsMatch(t, abdirahman, search(q), q)
		}
		yusuf := []string{"Yusuf Abdi", "Youssouf Diallo", "Yousef Haddad", "Mohammed Yusuf"}
		for _, q := range []string{"Yusuf", "Youssouf", "Yousef", "يوسف"} {
			got := search(q)
			require.ElementsMatch(t, yusuf, got, q)
			require.NotEqual(t, "Mohammed Yusuf", got[0], "a one-part name matching one part of two ranks below a full match")
		}
		require.ElementsMatch(t, []string{"Mohamed Hassan", "محمد حسن"}, search("Mohamed Hassan"), "every word must meet a name")
		require.ElementsMatch(t, []string{"Mahmoud Ali"}, search("Mahmoud"), "Mahmoud is not Mohamed")
		res := list("phonetic=true&query=Mohamed&per=2")
		require.Equal(t, 4, total(res))
		require.Len(t, res.body["data"], 2)
		require.Equal(t, []string{"Mohammed Yusuf"}, searchNames(t, list("phonetic=true&query=Mohamed&order_by=date_of_birth&order=desc&per=1")),
			"order_by orders a phonetic search")
	})

	t.Run("ConfiguredFields", func(t *testing.T) {
		a := mb.createCase(t, cw.token, map[string]any{"name_first": "Idil", "nationality": []any{"som", "ken"}, "protection_concerns": []any{"separated"},
			"urgent_protection_concern": true, "unhcr_id_no": "ke-123 456", "telephone_current": "+254 712-345 678"})
		b := mb.createCase(t, cw.token, map[string]any{"name_first": "Ifrah", "nationality": []any{"eth"}, "urgent_protection_concern": false})
		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"nationality=ken", []string{"Idil Yusuf"}},
			{"nationality=eth,som", []string{"Idil Yusuf", "Ifrah Yusuf"}},
			{"urgent_protection_concern=true", []string{"Idil Yusuf"}},
			{"urgent_protection_concern=false&protection_concerns=separated", nil},
			{"id_search=true&query=" + url.QueryEscape("KE123456"), []string{"Idil Yusuf"}},
			{"id_search=true&query=" + url.QueryEscape("Ke-123-456"), []string{"Idil Yusuf"}},
			{"query=ke123456", []string{"Idil Yusuf"}},
			{"phone_number=true&query=" + url.QueryEscape("254712345678"), []string{"Idil Yusuf"}},
			{"phone_number=true&query=" + url.QueryEscape("(254) 712 345 678"), []string{"Idil Yusuf"}},
			{"phone_number=true&query=712345679", nil},
		} {
			got := searchNames(t, list(tc.query))
			slices.Sort(got)
			require.Equal(t, tc.want, got, tc.query)
		}
		require.Equal(t, []string{a["id"].(string)}, ids(t, list("nationality=som&sex=female&fields=name_first")))
		require.NotContains(t, searchNames(t, list("nationality=som")), "Ifrah Yusuf")
		require.Len(t, ids(t, list("urgent_protection_concern=false")), 1)
		require.Equal(t, b["id"], ids(t, list("urgent_protection_concern=false"))[0])
		requireProblem(t, list("fields=colour"), http.StatusUnprocessableEntity)
		requireProblem(t, list("consent_for_services=true"), http.StatusUnprocessableEntity) // a field, not filterable
	})

	t.Run("SyncUnderWrites", func(t *testing.T) {
		// A sync in pages of 3 while records change: nothing is skipped, a
		// record changed after it was synced comes again at the end.
		seen := map[string]int{}
		var order []string
		res := list("per=3&order_by=updated_at&order=asc")
		changed := false
		for {
			for _, id := range ids(t, res) {
				seen[id]++
				order = append(order, id)
			}
			cursor, _ := res.body["metadata"].(map[string]any)["cursor"].(string)
			if cursor == "" {
				break
			}
			if !changed { // change one record already synced and one not yet
				changed = true
				for _, id := range []string{order[0], made["Hamid Ahmed"]["id"].(string)} {
					cur := mb.call(t, "GET", "/api/v2/cases/"+id, cw.token, nil, nil)
					upd := mb.call(t, "PATCH", "/api/v2/cases/"+id, cw.token, map[string]string{"If-Match": cur.Header().Get("ETag")},
						envelope(map[string]any{"name_nickname": "synced"}))
					require.Equal(t, http.StatusOK, upd.Code, upd.Body.String())
				}
				// A sync page ends before the oldest open transaction's
				// start (records.List): a background job (a case's
				// matching) that began before the changes holds them back
				// until it commits, as a sync client would see them in its
				// next pass. The test pages on once they have settled.
				for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
					if len(ids(t, list("per=1000&order_by=updated_at&order=asc"))) == len(ids(t, list("per=1000"))) {
						break
					}
					require.True(t, time.Now().Before(deadline), "the changes settle within a minute")
				}
			}
			res = list("per=3&cursor=" + cursor)
		}
		all := ids(t, list("per=1000"))
		for _, id := range all {
			require.GreaterOrEqual(t, seen[id], 1, "every record synced")
		}
		require.Equal(t, 2, seen[order[0]], "a record changed after it was synced comes again")
		require.Equal(t, order[0], order[len(order)-2], "changed records come last, in the order they changed")
		require.Equal(t, made["Hamid Ahmed"]["id"], order[len(order)-1])
	})

	t.Run("TextAndID", func(t *testing.T) {
		require.ElementsMatch(t, []string{"Mohamed Hassan"}, searchNames(t, list("query=hass")), "free text: part of a name")
		require.ElementsMatch(t, []string{"Mohamed Hassan"}, searchNames(t, list("query="+url.QueryEscape("HASSAN moh"))))
		require.Empty(t, searchNames(t, list("query="+url.QueryEscape("%"))), "LIKE wildcards are text")
		short := made["Yusuf Abdi"]["short_id"].(string)
		spoken := strings.ToUpper(short[:3]) + "-" + short[3:]
		require.Equal(t, []string{"Yusuf Abdi"}, searchNames(t, list("id_search=true&query="+url.QueryEscape(spoken))), "short id, any case and separators")
		require.Equal(t, []string{"Yusuf Abdi"}, searchNames(t, list("query="+short)), "free text finds a short id")
		require.Empty(t, searchNames(t, list("id_search=true&query=Yusuf")))
	})
}

// keysOf lists m's keys but those left out, sorted.
func keysOf(m map[string]map[string]any, except ...string) []string {
	var out []string
	for k := range m {
		if !slices.Contains(except, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func TestCaseDuplicates(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	other := mb.member(t, "ke", "role-caseworker", "agency-save")
	same := mb.createCase(t, cw.token, map[string]any{"name_first": "Mohamed", "name_last": "Hassan", "sex": "male", "date_of_birth": "2016-05-31"})
	spelled := mb.createCase(t, cw.token, map[string]any{"name_first": "محمد", "name_last": "حسن", "sex": "male", "date_of_birth": "2016-02-01"})
	mb.createCase(t, cw.token, map[string]any{"name_first": "Mohamed", "name_last": "Hassan", "sex": "female", "date_of_birth": "2016-05-31"})
	mb.createCase(t, cw.token, map[string]any{"name_first": "Mohamed", "name_last": "Hassan", "sex": "male", "date_of_birth": "2001-01-01"})
	mb.createCase(t, cw.token, map[string]any{"name_first": "Mahmoud", "name_last": "Hassan", "sex": "male", "date_of_birth": "2016-05-31"})
	mb.createCase(t, other.token, map[string]any{"name_first": "Mohamed", "name_last": "Hassan", "sex": "male", "date_of_birth": "2016-05-31"})

	find := func(token string, d map[string]any) response {
		return mb.call(t, "POST", "/api/v2/cases/duplicates", token, nil, envelope(d))
	}
	res := find(cw.token, map[string]any{"name_first": "Muhammad", "name_last": "Hasan", "sex": "male", "date_of_birth": "2016-05-31"})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	got := res.body["data"].([]any)
	require.Len(t, got, 2, "the same child in two spellings; not another sex, another age, Mahmoud, or a case outside scope: %s", res.Body.String())
	first, second := got[0].(map[string]any), got[1].(map[string]any)
	require.Equal(t, same["id"], first["record"].(map[string]any)["id"])
	require.Equal(t, spelled["id"], second["record"].(map[string]any)["id"])
	require.Equal(t, []any{map[string]any{"field": "name", "match": "phonetic"}, map[string]any{"field": "date_of_birth", "match": "exact"},
		map[string]any{"field": "sex", "match": "exact"}}, first["reasons"])
	require.Contains(t, second["reasons"], map[string]any{"field": "date_of_birth", "match": "close"})
	require.Greater(t, first["score"].(float64), second["score"].(float64))

	require.Empty(t, find(other.token, map[string]any{"name_first": "Amina", "name_last": "Yusuf"}).body["data"], "no duplicates")
	requireProblem(t, find(cw.token, map[string]any{"sex": "male"}), http.StatusUnprocessableEntity)
	requireProblem(t, mb.call(t, "POST", "/api/v2/cases/duplicates", cw.token, nil, `{"data": [1]}`), http.StatusUnprocessableEntity)
	var n int
	require.NoError(t, mb.db.Superuser(t).QueryRow(context.Background(), "select count(*) from tenant_ke.records").Scan(&n))
	require.Equal(t, 6, n, "nothing written")
}

// firstNames lists the first names of a list's records, in order.
func firstNames(t testing.TB, res response) []string {
	t.Helper()
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	out := []string{}
	for _, x := range res.body["data"].([]any) {
		out = append(out, str(x.(map[string]any)["name_first"]))
	}
	return out
}

// TestRecordSearchConfiguredRanges: ranges and sorts on configured
// filterable number and date fields (record_field_values, docs/records.md
// Session 22) through the real server. The fields are made filterable after
// cases hold them (their values enter the records' filters in the
// configuration change's transaction), ranged, sorted (cases without a
// value last), followed through a write, refused when a range is bad, and
// refused again, as a filter and as an order, once no longer filterable.
func TestRecordSearchConfiguredRanges(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef").token
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	made := map[string]map[string]any{}
	for _, c := range []struct {
		name     string
		children any
		consent  any
	}{{"Asha", 2, "2025-01-10"}, {"Bashir", 5, "2025-03-01"}, {"Cabdi", 8, nil}, {"Deka", nil, "2024-12-31"}} {
		d := map[string]any{"name_first": c.name} // name_last Yusuf (caseData)
		if c.children != nil {
			d["household_children"] = c.children
		}
		if c.consent != nil {
			d["consent_date"] = c.consent
		}
		made[c.name] = mb.createCase(t, cw.token, d)
	}
	list := func(query string) response {
		if !strings.Contains(query, "per=") {
			query += "&per=100"
		}
		return mb.call(t, "GET", "/api/v2/cases?"+query, cw.token, nil, nil)
	}
	setFilterable := func(on bool) {
		t.Helper()
		for form, field := range map[string]string{"family_details": "household_children", "consent": "consent_date"} {
			f := dataOf(t, mb.call(t, "GET", "/api/v2/forms/"+form, admin, nil, nil))
			fields := f["fields"].([]any)
			found := false
			for _, x := range fields {
				if fd := x.(map[string]any); fd["name"] == field {
					fd["filterable"], found = on, true
				}
			}
			require.True(t, found, field)
			res := mb.call(t, "PATCH", "/api/v2/forms/"+form, admin, nil, map[string]any{"fields": fields})
			require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		}
	}

	requireProblem(t, list("household_children=1..5"), http.StatusUnprocessableEntity) // not filterable yet
	setFilterable(true)
	check := func(query string, want ...string) {
		t.Helper()
		if want == nil {
			want = []string{}
		}
		got := firstNames(t, list(query))
		if !strings.Contains(query, "order_by") {
			slices.Sort(got)
		}
		require.Equal(t, want, got, query)
		require.Equal(t, len(want), total(list(query)), query)
	}
	check("household_children=2..5", "Asha", "Bashir")
	check("household_children=6..", "Cabdi")
	check("household_children=..2,8", "Asha", "Cabdi") // a range or a value
	check("household_children=5", "Bashir")
	check("consent_date=2025-01-01..2025-03-01", "Asha", "Bashir")
	check("consent_date=..2024-12-31", "Deka")
	check("household_children=2..5&consent_date=2025-02-01..", "Bashir")
	check("household_children=0..1")
	check("order_by=household_children&order=desc", "Cabdi", "Bashir", "Asha", "Deka")
	check("order_by=household_children&order=asc", "Asha", "Bashir", "Cabdi", "Deka")
	check("order_by=consent_date&order=asc", "Deka", "Asha", "Bashir", "Cabdi")
	check("order_by=consent_date&order=desc&household_children=..6", "Bashir", "Asha")
	res := list("order_by=consent_date&order=asc&per=1&page=4")
	require.Equal(t, []string{"Cabdi"}, firstNames(t, res), "the case without a value, last")
	require.Equal(t, 4, total(res))

	// A write moves Asha out of one range and into another.
	asha := made["Asha"]
	res = mb.call(t, "PATCH", "/api/v2/cases/"+asha["id"].(string), cw.token, ifMatch(asha["version"]),
		envelope(map[string]any{"household_children": 9}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	check("household_children=6..", "Asha", "Cabdi")
	check("household_children=2..5", "Bashir")
	require.Equal(t, []string{"Asha"}, firstNames(t, list("order_by=household_children&order=desc&per=1")), "the largest value first")

	for _, q := range []string{"household_children=5..2", "consent_date=2025-03-01..2025-01-01", "household_children=1..x",
		"household_children=..", "consent_date=2025-02-30..", "household_children=1..2025-01-01", "household_children=1e3.."} {
		res := list(q)
		requireProblem(t, res, http.StatusUnprocessableEntity)
		require.Equal(t, "query."+strings.SplitN(q, "=", 2)[0], res.body["errors"].([]any)[0].(map[string]any)["location"], q)
	}

	// No longer filterable: refused as a filter and as an order.
	setFilterable(false)
	for _, q := range []string{"household_children=1..5", "consent_date=2025-01-01..", "order_by=household_children", "order_by=consent_date"} {
		requireProblem(t, list(q), http.StatusUnprocessableEntity)
	}
	// Filterable again: the values are back (from data), the ranges exact.
	setFilterable(true)
	check("household_children=6..", "Asha", "Cabdi")
	check("order_by=consent_date&order=desc", "Bashir", "Asha", "Deka", "Cabdi")
}
