package matching_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/tenancy"
)

// places is a small location hierarchy: country xx, regions r1 r2,
// districts r1d1 r1d2 r2d1, camps under them.
type places map[string][]matching.Place

func newPlaces() places {
	p := places{}
	add := func(code string, parent string, level int) {
		path := append([]matching.Place(nil), p[parent]...)
		p[code] = append(path, matching.Place{Code: code, AdminLevel: level})
	}
	add("xx", "", 0)
	for _, r := range []string{"r1", "r2"} {
		add(r, "xx", 1)
	}
	for _, d := range []string{"r1d1", "r1d2", "r2d1"} {
		add(d, d[:2], 2)
		for _, c := range []string{"c1", "c2"} {
			add(d+c, d, 3)
		}
	}
	return p
}

func (p places) Path(code string) []matching.Place { return p[code] }

var today = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)

func newMatcher(t *testing.T) *matching.Matcher {
	t.Helper()
	m, err := matching.NewMatcher(matching.DefaultConfiguration(), newPlaces(), today)
	require.NoError(t, err)
	return m
}

// level returns the named comparison's level for a trace (request data and
// row) and a case.
func level(t *testing.T, m *matching.Matcher, name string, request, row, cas map[string]any) string {
	t.Helper()
	cfg := m.Configuration()
	v := m.Vector(m.NewTrace("t", request, row), m.NewCase("c", cas))
	for i, c := range cfg.Comparisons {
		if c.Name == name {
			return c.Levels()[v[i]]
		}
	}
	t.Fatalf("no comparison %q", name)
	return ""
}

func TestDefaultConfigurationIsValid(t *testing.T) {
	t.Parallel()
	cfg := matching.DefaultConfiguration()
	require.NoError(t, cfg.Validate())
	caseFields, traceFields := cfg.FieldsUsed()
	for _, f := range []string{"name_first", "name_nickname", "date_of_birth", "estimated", "nationality",
		"location_current", "location_separation", "date_of_separation", "separation_cause",
		"family_details_section.relation_name", "family_details_section.relation"} {
		require.Contains(t, caseFields, f)
	}
	for _, f := range []string{"name_first", "age", "inquiry_date", "location_last", "relation_name", "relation"} {
		require.Contains(t, traceFields, f)
	}
	b, err := json.Marshal(cfg)
	require.NoError(t, err)
	var back matching.Configuration
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, cfg, back)
}

func TestValidateListsEveryProblem(t *testing.T) {
	t.Parallel()
	cfg := matching.DefaultConfiguration()
	cfg.Comparisons[0].Name = "Bad Name"
	cfg.Comparisons[1].Name = cfg.Comparisons[2].Name
	cfg.Comparisons[3].Kind = "fuzzy"
	cfg.Comparisons[4].Case.Fields = []string{"date_of_birth"}
	cfg.Comparisons[5].TermFrequency = true            // origin: categories, no term frequencies
	cfg.Comparisons[6].Case.RelationField = "relation" // location: a case's own place has no relation
	cfg.Comparisons[7].Trace.RelationField = "bad field"
	cfg.Blocking.Sex = "given_name"
	cfg.Thresholds = matching.Thresholds{Likely: 0.2, Possible: 0.5}
	cfg.Prior = 1
	err := cfg.Validate()
	var ve *tenancy.ValidationError
	require.True(t, errors.As(err, &ve), err)
	var paths []string
	for _, e := range ve.Errors {
		paths = append(paths, e.Path)
	}
	for _, p := range []string{"comparisons[0].name", "comparisons[2].name", "comparisons[3].kind",
		"comparisons[4].case.fields", "comparisons[5].term_frequency", "comparisons[6].case.relation_field",
		"comparisons[7].trace.relation_field", "blocking.sex", "blocking.names[0]", "blocking.given[0]", "thresholds", "prior"} {
		require.Contains(t, paths, p)
	}
	for _, p := range paths {
		require.NotContains(t, p, "comparisons[11]", "the inquirer's place by relation is valid")
	}
}

// TestValidateSwaps: swaps belong to a name compared whole with
// alternates on both sides; swaps_with to a name compared by position, and
// it must name such a name comparison with swaps.
func TestValidateSwaps(t *testing.T) {
	t.Parallel()
	idx := func(cfg matching.Configuration, name string) int {
		return slices.IndexFunc(cfg.Comparisons, func(c matching.Comparison) bool { return c.Name == name })
	}
	problems := func(cfg matching.Configuration) []string {
		var ve *tenancy.ValidationError
		err := cfg.Validate()
		if err == nil {
			return nil
		}
		require.True(t, errors.As(err, &ve), err)
		var paths []string
		for _, e := range ve.Errors {
			paths = append(paths, fmt.Sprintf("%s: %s", e.Path, e.Reason))
		}
		return paths
	}
	cfg := matching.DefaultConfiguration()
	given, family, other, sex := idx(cfg, "given_name"), idx(cfg, "family_names"), idx(cfg, "other_names"), idx(cfg, "sex")
	require.True(t, cfg.Comparisons[given].Swaps)
	require.Equal(t, "given_name", cfg.Comparisons[family].SwapsWith)
	cfg.Comparisons[other].Swaps = true // a name with alternates on both sides
	require.Empty(t, problems(cfg))

	cfg = matching.DefaultConfiguration()
	cfg.Comparisons[given].Case.Alternates = nil
	require.Equal(t, []string{
		fmt.Sprintf("comparisons[%d].swaps: swaps apply to a name compared whole, with alternates on both sides", given),
	}, problems(cfg))

	cfg = matching.DefaultConfiguration()
	cfg.Comparisons[sex].SwapsWith = "given_name"
	cfg.Comparisons[sex].Swaps = true
	require.Equal(t, []string{
		fmt.Sprintf("comparisons[%d].swaps: swaps apply to a name compared whole, with alternates on both sides", sex),
		fmt.Sprintf("comparisons[%d].swaps_with: only a name compared by position leaves out exchanged positions", sex),
	}, problems(cfg))

	for _, partner := range []string{"other_names", "sex", "family_names", "nobody"} {
		cfg = matching.DefaultConfiguration()
		cfg.Comparisons[family].SwapsWith = partner
		require.Equal(t, []string{fmt.Sprintf("comparisons[%d].swaps_with: must name a name comparison with swaps", family)},
			problems(cfg), partner)
	}
}

func TestNameLevels(t *testing.T) {
	t.Parallel()
	m := newMatcher(t)
	cases := []struct {
		name       string
		trace, cas map[string]any
		want       string
	}{
		{"same spelling", map[string]any{"name_first": "Mohamed"}, map[string]any{"name_first": "MOHAMED"}, "exact"},
		{"other script", map[string]any{"name_first": "Mohamed"}, map[string]any{"name_first": "محمد"}, "phonetic"},
		{"other spelling", map[string]any{"name_first": "Youssouf"}, map[string]any{"name_first": "Yusuf"}, "phonetic"},
		{"typo", map[string]any{"name_first": "Abdirahman"}, map[string]any{"name_first": "Abdirahmna"}, "close"},
		{"swapped with the last name", map[string]any{"name_first": "Hassan", "name_last": "Amina"},
			map[string]any{"name_first": "Amina", "name_last": "Hassan"}, "swapped"},
		{"swapped with the father's name, in another script", map[string]any{"name_first": "Hassan", "name_middle": "Amina"},
			map[string]any{"name_first": "أمينة", "name_middle": "حسن"}, "swapped"},
		{"the case's given name the trace's last name, the trace's given name not the case's", map[string]any{"name_first": "Hassan", "name_last": "Amina"},
			map[string]any{"name_first": "Amina", "name_last": "Ali"}, "alternate"},
		{"the trace's given name the case's last name, the case's given name not the trace's", map[string]any{"name_first": "Hassan", "name_last": "Ali"},
			map[string]any{"name_first": "Amina", "name_last": "Hassan"}, "alternate"},
		{"nickname given for the name", map[string]any{"name_first": "Dija"},
			map[string]any{"name_first": "Khadija", "name_nickname": "Dija"}, "alternate"},
		{"another script, close", map[string]any{"name_first": "Mohamed"}, map[string]any{"name_first": "محمود"}, "close"},
		{"another name", map[string]any{"name_first": "Mohamed"}, map[string]any{"name_first": "Mahmoud"}, "different"},
		{"different", map[string]any{"name_first": "Fatima"}, map[string]any{"name_first": "Halima"}, "different"},
		{"no name on one side", map[string]any{"name_last": "Ali"}, map[string]any{"name_first": "Fatima"}, "missing"},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, level(t, m, "given_name", nil, tc.trace, tc.cas), tc.name)
	}
	require.Equal(t, "phonetic", level(t, m, "family_names", nil,
		map[string]any{"name_middle": "Maxamed", "name_last": "Xasan"},
		map[string]any{"name_middle": "Mohamed", "name_last": "Hassan"}))
}

// The family names are compared position by position (the father's name
// with the father's, the grandfather's with the grandfather's): a position
// one side does not give says nothing, and the level is the weakest of the
// positions both give.
func TestFamilyNamesByPosition(t *testing.T) {
	t.Parallel()
	m := newMatcher(t)
	cases := []struct {
		name       string
		trace, cas map[string]any
		want       string
	}{
		{"both positions alike", map[string]any{"name_middle": "Ali", "name_last": "Hassan"},
			map[string]any{"name_middle": "ALI", "name_last": "Hassan"}, "exact"},
		{"the grandfather's name on one side only", map[string]any{"name_middle": "Ali", "name_last": "Hassan"},
			map[string]any{"name_middle": "Ali"}, "exact"},
		{"spelt otherwise in one position", map[string]any{"name_middle": "Maxamed", "name_last": "Hassan"},
			map[string]any{"name_middle": "Mohamed", "name_last": "Hassan"}, "phonetic"},
		{"a typo in one position", map[string]any{"name_middle": "Ibrahima", "name_last": "Hassan"},
			map[string]any{"name_middle": "Ibrahim", "name_last": "Hassan"}, "close"},
		{"alike enough in one position", map[string]any{"name_middle": "Mabior", "name_last": "Deng"},
			map[string]any{"name_middle": "Mabil", "name_last": "Deng"}, "similar"},
		{"the grandfathers differ", map[string]any{"name_middle": "Ali", "name_last": "Hassan"},
			map[string]any{"name_middle": "Ali", "name_last": "Omar"}, "different"},
		{"the father's name against the grandfather's", map[string]any{"name_middle": "Ali"},
			map[string]any{"name_last": "Hassan"}, "missing"},
		{"one name in two positions", map[string]any{"name_last": "Hassan"},
			map[string]any{"name_middle": "Hassan"}, "missing"},
		{"no family name on one side", map[string]any{"name_first": "Amina"},
			map[string]any{"name_middle": "Ali", "name_last": "Hassan"}, "missing"},
	}
	for _, tc := range cases {
		tc.trace["name_first"], tc.cas["name_first"] = "Amina", "Amina"
		require.Equal(t, tc.want, level(t, m, "family_names", nil, tc.trace, tc.cas), tc.name)
	}
}

// TestSwappedNamesAreOneAgreement: a given name and a family name
// exchanged between the fields on one side are one piece of evidence: the
// given name's comparison is swapped, and the family names leave the
// crossed position out (the others compared as usual), rather than an
// alternate plus a disagreement of the family names. A name found in
// another field one way only stays an alternate, and the family names'
// disagreement stays.
func TestSwappedNamesAreOneAgreement(t *testing.T) {
	t.Parallel()
	m := newMatcher(t)
	child := map[string]any{"name_first": "Amina", "name_middle": "Ali", "name_last": "Hassan"}
	cases := []struct {
		name          string
		trace, cas    map[string]any
		given, family string
	}{
		{"the given name and the grandfather's exchanged", map[string]any{"name_first": "Hassan", "name_middle": "Ali", "name_last": "Amina"},
			child, "swapped", "exact"},
		{"exchanged on the case's side", child,
			map[string]any{"name_first": "Hassan", "name_middle": "Ali", "name_last": "Amina"}, "swapped", "exact"},
		{"the given name and the father's exchanged", map[string]any{"name_first": "Ali", "name_middle": "Amina", "name_last": "Hassan"},
			child, "swapped", "exact"},
		{"exchanged, in Arabic script", map[string]any{"name_first": "حسن", "name_middle": "علي", "name_last": "أمينة"},
			child, "swapped", "phonetic"},
		{"exchanged, the only position both give", map[string]any{"name_first": "Hassan", "name_last": "Amina"},
			child, "swapped", "missing"},
		{"exchanged, the father's names differ", map[string]any{"name_first": "Hassan", "name_middle": "Omar", "name_last": "Amina"},
			child, "swapped", "different"},
		{"the trace's given name is the case's grandfather's only", map[string]any{"name_first": "Hassan", "name_middle": "Ali", "name_last": "Fatima"},
			child, "alternate", "different"},
		{"the case's given name is the trace's grandfather's only", map[string]any{"name_first": "Fatima", "name_middle": "Ali", "name_last": "Amina"},
			child, "alternate", "different"},
	}
	for _, tc := range cases {
		require.Equal(t, tc.given, level(t, m, "given_name", nil, tc.trace, tc.cas), tc.name)
		require.Equal(t, tc.family, level(t, m, "family_names", nil, tc.trace, tc.cas), tc.name)
	}
}

func TestAgeLevels(t *testing.T) {
	t.Parallel()
	m := newMatcher(t)
	req := map[string]any{"inquiry_date": "2024-06-01"}
	cases := []struct {
		name       string
		trace, cas map[string]any
		want       string
	}{
		{"age on the inquiry date", map[string]any{"age": 7.0}, map[string]any{"date_of_birth": "2017-03-01"}, "same_age"},
		{"a year off", map[string]any{"age": 8.0}, map[string]any{"date_of_birth": "2017-03-01"}, "within_1"},
		{"three years off", map[string]any{"age": 10.0}, map[string]any{"date_of_birth": "2017-03-01"}, "within_3"},
		{"far off", map[string]any{"age": 14.0}, map[string]any{"date_of_birth": "2017-03-01"}, "different"},
		{"estimated date of birth", map[string]any{"age": 7.0},
			map[string]any{"date_of_birth": "2017-01-01", "estimated": true}, "estimated_within_1"},
		{"estimated and off", map[string]any{"age": 9.0},
			map[string]any{"date_of_birth": "2017-01-01", "estimated": true}, "estimated_within_3"},
		{"same date of birth", map[string]any{"date_of_birth": "2017-03-01"},
			map[string]any{"date_of_birth": "2017-03-01"}, "same_date_of_birth"},
		{"case age only (today)", map[string]any{"age": 7.0}, map[string]any{"age": 8.0}, "same_age"},
		{"nothing on one side", map[string]any{"sex": "male"}, map[string]any{"date_of_birth": "2017-03-01"}, "missing"},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, level(t, m, "age", req, tc.trace, tc.cas), tc.name)
	}
}

func TestLocationDateAndOptionLevels(t *testing.T) {
	t.Parallel()
	m := newMatcher(t)
	loc := func(trace, cas string) string {
		return level(t, m, "location", nil, map[string]any{"location_last": trace}, map[string]any{"location_current": cas})
	}
	require.Equal(t, "same", loc("r1d1c1", "r1d1c1"))
	require.Equal(t, "same_district", loc("r1d1c1", "r1d1c2"))
	require.Equal(t, "same_district", loc("r1d1", "r1d1c2"), "a coarser place")
	require.Equal(t, "same_region", loc("r1d1c1", "r1d2c1"))
	require.Equal(t, "different", loc("r1d1c1", "r2d1c1"))
	require.Equal(t, "missing", loc("nowhere", "r2d1c1"), "an unknown code")
	require.Equal(t, "same", level(t, m, "location", map[string]any{"location_separation": "r2d1c2"},
		map[string]any{"location_last": "r1d1c1"}, map[string]any{"location_current": "r2d1c2"}),
		"the best pair of places: the request's place of separation")
	// The case's place of separation is evidence of its own, not a second
	// chance for its current location (docs/matching-log.md, Quality →
	// Session 45): each has its own levels' m and u.
	req, trace := map[string]any{"location_separation": "r2d1c2"}, map[string]any{"location_last": "r1d1c1"}
	both := map[string]any{"location_current": "r1d2c1", "location_separation": "r2d1c2"}
	require.Equal(t, "same_region", level(t, m, "location", req, trace, both), "the current location against the trace's places")
	require.Equal(t, "same", level(t, m, "separation_location", req, trace, both), "the place of separation against the trace's places")
	require.Equal(t, "missing", level(t, m, "separation_location", req, trace, map[string]any{"location_current": "r2d1c2"}),
		"a case without a place of separation")

	date := func(trace, cas string) string {
		return level(t, m, "separation_date", map[string]any{"date_of_separation": trace}, nil,
			map[string]any{"date_of_separation": cas})
	}
	require.Equal(t, "within_1_week", date("2023-05-01", "2023-05-06"))
	require.Equal(t, "within_1_month", date("2023-05-01", "2023-05-25"))
	require.Equal(t, "within_1_year", date("2023-05-01", "2023-12-25"))
	require.Equal(t, "different", date("2023-05-01", "2021-05-01"))
	require.Equal(t, "missing", date("", "2021-05-01"))

	origin := func(trace, cas map[string]any) string { return level(t, m, "origin", nil, trace, cas) }
	require.Equal(t, "all_equal", origin(map[string]any{"nationality": []any{"som"}, "language": []any{"som", "ara"}},
		map[string]any{"nationality": []any{"som"}, "language": []any{"ara"}}))
	require.Equal(t, "one_equal", origin(map[string]any{"nationality": []any{"som"}},
		map[string]any{"nationality": []any{"som"}, "language": []any{"ara"}}))
	require.Equal(t, "mixed", origin(map[string]any{"nationality": []any{"som"}, "religion": []any{"islam"}},
		map[string]any{"nationality": []any{"eth"}, "religion": []any{"islam"}}))
	require.Equal(t, "different", origin(map[string]any{"ethnicity": "ethnic_group_1"},
		map[string]any{"ethnicity": "ethnic_group_2"}))
	require.Equal(t, "missing", origin(map[string]any{"ethnicity": "ethnic_group_1"},
		map[string]any{"nationality": []any{"som"}}))
	require.Equal(t, "equal", level(t, m, "sex", nil, map[string]any{"sex": "female"}, map[string]any{"sex": "female"}))
	require.Equal(t, "different", level(t, m, "sex", nil, map[string]any{"sex": "female"}, map[string]any{"sex": "male"}))
}

// family is a case whose family subform has these rows.
func family(rows ...map[string]any) map[string]any {
	var out []any
	for _, r := range rows {
		out = append(out, r)
	}
	return map[string]any{"family_details_section": out}
}

func TestRelativeLevels(t *testing.T) {
	t.Parallel()
	m := newMatcher(t)
	mother := map[string]any{"relation": "mother", "relation_name": "Fadumo Ali"}
	father := map[string]any{"relation": "father", "relation_name": "Hassan Omar"}
	req := func(name string) map[string]any { return map[string]any{"relation_name": name} }
	row := map[string]any{"relation": "mother"}
	require.Equal(t, "exact", level(t, m, "inquirer_name", req("Fadumo Ali"), row, family(mother, father)))
	require.Equal(t, "phonetic", level(t, m, "inquirer_name", req("فادومو علي"), row, family(mother, father)))
	require.Equal(t, "different", level(t, m, "inquirer_name", req("Amina Yusuf"), row, family(mother, father)))
	require.Equal(t, "missing", level(t, m, "inquirer_name", req("Amina Yusuf"), row, family(father)),
		"no mother recorded: nothing to compare")
	require.Equal(t, "other_relative", level(t, m, "inquirer_name", req("Hassan Omar"), row, family(father)),
		"the inquirer's name is another member's")
	require.Equal(t, "missing", level(t, m, "inquirer_name", req(""), row, family(mother)))
}

// TestInquirerPlaceIsTheSameRelatives: the inquirer's place is compared
// with where the case says that same relative lives, not with another
// family member's (a mother asking from camp r1d1c1 says nothing about a
// father the case places there); a row or a trace that does not name the
// relation still compares, and the case's stored form keeps each place's
// relation (docs/matching-log.md, Quality → Session 47).
func TestInquirerPlaceIsTheSameRelatives(t *testing.T) {
	t.Parallel()
	m := newMatcher(t)
	at := func(relation, place string) map[string]any {
		return map[string]any{"relation": relation, "relation_name": "x", "relation_location_current": place}
	}
	req := map[string]any{"relation_location_current": "r1d1c1"}
	mother := map[string]any{"relation": "mother"}
	cases := []struct {
		name string
		row  map[string]any
		cas  map[string]any
		want string
	}{
		{"the mother where she asks from", mother, family(at("mother", "r1d1c1")), "same"},
		{"the mother elsewhere, the father where she asks from", mother, family(at("father", "r1d1c1"), at("mother", "r2d1c1")), "different"},
		{"only the father's place: nothing to compare", mother, family(at("father", "r1d1c1")), "missing"},
		{"only the father's place, elsewhere", mother, family(at("father", "r2d1c2")), "missing"},
		{"a row without its relation compares", mother, family(at("", "r1d1c2")), "same_district"},
		{"a trace without the inquirer's relation compares with every row", map[string]any{}, family(at("father", "r1d1c1")), "same"},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, level(t, m, "inquirer_location", req, tc.row, tc.cas), tc.name)
		stored, err := m.DecodeCase("c", m.EncodeCase(m.NewCase("c", tc.cas)))
		require.NoError(t, err)
		v := m.Vector(m.NewTrace("t", req, tc.row), stored)
		for i, c := range m.Configuration().Comparisons {
			if c.Name == "inquirer_location" {
				require.Equal(t, tc.want, c.Levels()[v[i]], "stored: "+tc.name)
			}
		}
	}
}

func TestBlockingKeysMeetAcrossSpellings(t *testing.T) {
	t.Parallel()
	m := newMatcher(t)
	cas := m.NewCase("c", map[string]any{"name_first": "Maxamed", "name_middle": "Cali", "name_last": "Xasan",
		"sex": "male", "date_of_birth": "2015-04-01", "location_current": "r1d1c1",
		"family_details_section": []any{map[string]any{"relation": "mother", "relation_name": "Faadumo Cumar"}}})
	caseKeys := m.CaseKeys(cas)
	require.True(t, slices.IsSorted(caseKeys))
	shared := func(keys []string) []string {
		var out []string
		for _, k := range keys {
			if _, ok := slices.BinarySearch(caseKeys, k); ok {
				out = append(out, k)
			}
		}
		return out
	}
	rules := func(keys []string) map[string]bool {
		out := map[string]bool{}
		for _, k := range keys {
			r, _, _ := strings.Cut(k, ":")
			out[r] = true
		}
		return out
	}
	// Arabic script, the middle name missing, the age given instead.
	tr := m.NewTrace("t", map[string]any{"inquiry_date": "2024-06-01", "relation_name": "فاطمة عمر"},
		map[string]any{"name_first": "محمد", "name_last": "حسن", "sex": "male", "age": 9.0, "relation": "mother"})
	got := rules(shared(m.TraceKeys(tr)))
	require.True(t, got["nn"], "two name parts in another script")
	require.True(t, got["ns"], "given name, sex and birth band")

	// Only a nickname-free given name, no age, no sex: still found.
	bare := m.NewTrace("t", map[string]any{"inquiry_date": "2024-06-01"}, map[string]any{"name_first": "Mohamed"})
	require.True(t, rules(shared(m.TraceKeys(bare)))["ns"])

	// A name that has nothing in common and another place: nothing.
	other := m.NewTrace("t", nil, map[string]any{"name_first": "Nyandeng", "name_last": "Deng", "sex": "female",
		"age": 9.0, "location_last": "r2d1c1"})
	require.Empty(t, shared(m.TraceKeys(other)))

	// The location rule alone: same district, sex and birth year.
	place := m.NewTrace("t", map[string]any{"inquiry_date": "2024-06-01"},
		map[string]any{"name_first": "Zzz", "sex": "male", "age": 9.0, "location_last": "r1d1"})
	require.Equal(t, map[string]bool{"ls": true}, rules(shared(m.TraceKeys(place))))

	require.Equal(t, []string{}, m.CaseKeys(m.NewCase("empty", map[string]any{})))

	// The narrow keys (session 22): a name pair within the birth years a
	// trace looks in (nb), the district with the given name's prefix, sex
	// and birth band (lg). Born 2015: a trace of age 9 in 2024 meets both;
	// one of age 1 (born 2022 or 2023) keeps the pair (nn) but not nb, and a
	// trace in the district whose name differs has ls but not lg.
	near := m.NewTrace("t", map[string]any{"inquiry_date": "2024-06-01"},
		map[string]any{"name_first": "Mohamed", "name_last": "Hassan", "sex": "male", "age": 9.0, "location_last": "r1d1"})
	require.Equal(t, map[string]bool{"nn": true, "nb": true, "ns": true, "ls": true, "lg": true, "fi": true},
		rules(shared(m.TraceKeys(near))))
	far := m.NewTrace("t", map[string]any{"inquiry_date": "2024-06-01"},
		map[string]any{"name_first": "Mohamed", "name_last": "Hassan", "sex": "male", "age": 1.0})
	require.Equal(t, map[string]bool{"nn": true}, rules(shared(m.TraceKeys(far))))
	for _, k := range m.CaseKeys(cas) {
		if strings.HasPrefix(k, "nb:") || strings.HasPrefix(k, "lg:") {
			require.True(t, strings.HasSuffix(k, "|1007"), "the case's own band (2015/2): %s", k)
		}
	}
}

// TestBlockingFamilyPartWithInitial: rule fi (session 36) joins a child
// whose given name the trace gives as a nickname (Pato for Patrick: ns
// prefixes PTU and PTR; until session 49 Pierre for Peter, which the keys
// now join) and who shares one family name (nn needs
// two): the family name's part, the given name's first letter, the sex and
// the birth band. No other rule joins the pair; another initial, another sex
// or a birth far apart joins nothing.
func TestBlockingFamilyPartWithInitial(t *testing.T) {
	t.Parallel()
	m := newMatcher(t)
	cas := m.NewCase("c", map[string]any{"name_first": "Patrick", "name_middle": "Ilunga", "sex": "male",
		"date_of_birth": "2015-04-01"})
	ix := m.NewIndex([]*matching.Subject{cas}, nil)
	trace := func(given, sex string, age float64) *matching.Subject {
		return m.NewTrace("t", map[string]any{"inquiry_date": "2024-06-01"},
			map[string]any{"name_first": given, "name_middle": "Ilounga", "name_last": "Amani", "sex": sex, "age": age})
	}
	var rules []string
	for _, k := range m.TraceKeys(trace("Pato", "male", 9)) {
		if _, ok := slices.BinarySearch(m.CaseKeys(cas), k); ok {
			r, _, _ := strings.Cut(k, ":")
			rules = append(rules, r)
		}
	}
	require.Equal(t, []string{"fi"}, slices.Compact(rules), "only fi joins Pato Ilounga and Patrick Ilunga")
	require.Equal(t, []*matching.Subject{cas}, ix.Candidates(trace("Pato", "male", 9)))
	require.Empty(t, ix.Candidates(trace("Jean", "male", 9)), "another given name's initial")
	require.Empty(t, ix.Candidates(trace("Pato", "female", 9)), "another sex")
	require.Empty(t, ix.Candidates(trace("Pato", "male", 2)), "born too far apart")
}

func TestIndexCandidates(t *testing.T) {
	t.Parallel()
	m := newMatcher(t)
	a := m.NewCase("a", map[string]any{"name_first": "Amina", "name_middle": "Hassan", "sex": "female", "date_of_birth": "2015-01-01"})
	b := m.NewCase("b", map[string]any{"name_first": "Nyandeng", "name_middle": "Deng", "sex": "female", "date_of_birth": "2015-01-01"})
	ix := m.NewIndex([]*matching.Subject{a, b}, nil)
	tr := m.NewTrace("t", nil, map[string]any{"name_first": "Aamina", "name_middle": "Xasan", "sex": "female"})
	require.Equal(t, []*matching.Subject{a}, ix.Candidates(tr))

	var stop []string
	for _, k := range m.TraceKeys(tr) {
		stop = append(stop, k)
	}
	require.Empty(t, m.NewIndex([]*matching.Subject{a, b}, stop).Candidates(tr), "stop keys select nothing")
}

func TestKeyWeight(t *testing.T) {
	t.Parallel()
	require.Equal(t, int64(6907), matching.KeyWeight(1000, 1), "ln(1000/1) in thousandths")
	require.Greater(t, matching.KeyWeight(1000, 10), matching.KeyWeight(1000, 100), "a rarer key weighs more")
	require.Greater(t, matching.KeyWeight(1000, 100), 2*matching.KeyWeight(1000, 400),
		"one key held by 100 cases outweighs two held by 400")
	for _, n := range []int{999, 1000, 2000, 0} {
		require.Equal(t, int64(1), matching.KeyWeight(1000, n), "a key held by (nearly) every case still counts: %d", n)
	}
}

// A subject's Fields (what a reviewer sees beside a match) are the raw
// values of the fields its comparisons read: nothing else of the record,
// a subform's fields row by row (nil where a row has none), once each also
// when two comparisons read the same one.
func TestSubjectFieldsAreTheFieldsRead(t *testing.T) {
	t.Parallel()
	cas := map[string]any{
		"name_first": "Amina", "name_last": "Hassan", "sex": "female", "age": 9.0, "estimated": true,
		"location_current": "camp1", "notes": "not matched on", "name_nickname": "",
		"family_details_section": []any{
			map[string]any{"relation": "mother", "relation_name": "Halima Ali", "relation_location_current": "camp1"},
			map[string]any{"relation": "father", "relation_name": "Hassan Omar"},
			"not a row",
		},
	}
	want := map[string]any{
		"name_first": "Amina", "name_last": "Hassan", "sex": "female", "age": 9.0, "estimated": true,
		"location_current":                                 "camp1",
		"family_details_section.relation":                  []any{"mother", "father"},
		"family_details_section.relation_name":             []any{"Halima Ali", "Hassan Omar"},
		"family_details_section.relation_nickname":         []any{nil, nil},
		"family_details_section.relation_location_current": []any{"camp1", nil},
	}
	require.Equal(t, want, newMatcher(t).NewCase("c", cas).Fields)

	cfg := matching.DefaultConfiguration()
	for _, c := range cfg.Comparisons {
		if c.Name == "inquirer_name" { // a second comparison of the relatives' rows
			c.Name = "inquirer_name_again"
			cfg.Comparisons = append(cfg.Comparisons, c)
			break
		}
	}
	m, err := matching.NewMatcher(cfg, newPlaces(), today)
	require.NoError(t, err)
	require.Equal(t, []any{"mother", "father"}, m.NewCase("c", cas).Fields["family_details_section.relation"])
}
