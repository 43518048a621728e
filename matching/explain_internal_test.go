package matching

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestMissingComparisonShowsItsOwnFields: the review shows, for a
// comparison neither side could make (no nickname or other name on the
// trace), the fields it compares and not its alternates' values (the first
// names), which would read as values compared beside "one side has no
// value"; a comparison made shows its alternates, where an agreement may
// have come from.
func TestMissingComparisonShowsItsOwnFields(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfiguration()
	cas := &Subject{ID: "c", Fields: map[string]any{"name_first": "Amina", "name_nickname": "Mina"}}
	trace := &Subject{ID: "t", Fields: map[string]any{"name_first": "Amina"}}
	shown := func(level string) StoredComparison {
		out := new(explainer).explain(cfg, trace, &Candidate{Case: cas, Fields: []FieldComparison{{Comparison: "other_names", Level: level}}})
		require.Len(t, out, 1)
		return out[0]
	}
	missing := shown("missing")
	require.Equal(t, map[string]any{"name_nickname": "Mina"}, missing.Case)
	require.Empty(t, missing.Trace)
	made := shown("alternate")
	require.Equal(t, map[string]any{"name_first": "Amina", "name_nickname": "Mina"}, made.Case)
	require.Equal(t, map[string]any{"name_first": "Amina"}, made.Trace)
}

// TestCrossedPositionIsNotShown: names exchanged between the fields on one
// side; the family names, compared without the crossed position, show the
// father's names they compared and not the grandfather's position they
// left out, and the given name's comparison shows every name field.
func TestCrossedPositionIsNotShown(t *testing.T) {
	t.Parallel()
	m, err := NewMatcher(DefaultConfiguration(), nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	cas := m.NewCase("c", map[string]any{"name_first": "Amina", "name_middle": "Ali", "name_last": "Hassan"})
	trace := m.NewTrace("t", nil, map[string]any{"name_first": "Hassan", "name_middle": "Ali", "name_last": "Amina"})
	out := new(explainer).explain(m.cfg, trace, &Candidate{Case: cas, Fields: []FieldComparison{
		{Comparison: "family_names", Level: "exact"}, {Comparison: "given_name", Level: "swapped"}}})
	require.Equal(t, map[string]any{"name_middle": "Ali"}, out[0].Case)
	require.Equal(t, map[string]any{"name_middle": "Ali"}, out[0].Trace)
	require.Equal(t, map[string]any{"name_first": "Amina", "name_middle": "Ali", "name_last": "Hassan"}, out[1].Case)
	require.Equal(t, map[string]any{"name_first": "Hassan", "name_middle": "Ali", "name_last": "Amina"}, out[1].Trace)
	// not crossed: the grandfathers differ, and both are shown
	other := m.NewCase("o", map[string]any{"name_first": "Amina", "name_middle": "Ali", "name_last": "Omar"})
	out = new(explainer).explain(m.cfg, trace, &Candidate{Case: other, Fields: []FieldComparison{{Comparison: "family_names", Level: "different"}}})
	require.Equal(t, map[string]any{"name_middle": "Ali", "name_last": "Omar"}, out[0].Case)
}

// TestAppendComparisonsIsMarshal: the stored comparisons written by hand
// are json.Marshal's bytes, for values of every kind a record's JSON
// decodes to and strings that need escapes (HTML's characters, control
// characters, invalid UTF-8, U+2028), Arabic script and floats of every
// magnitude.
func TestAppendComparisonsIsMarshal(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(59, 1))
	pieces := []string{"Amina", "أمينة", "حسن", "a<b", "x>y", "&", `"q"`, `back\slash`, "tab\there", "\n", "\x01",
		"\xff", "\u2028", "\u2029", "é", "ß", "🙂", "", " ", "name_first", "family_details_section.relation_name"}
	str := func() string {
		var sb strings.Builder
		for range r.IntN(4) {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		return sb.String()
	}
	floats := []float64{0, math.Copysign(0, -1), 1, -1, 2.5, 1e-6, 9.99e-7, 1e-7, 1.5e-300, 1e20, 1e21, -3.2e22,
		123456789.125, math.MaxFloat64, math.SmallestNonzeroFloat64}
	num := func() float64 {
		if r.IntN(2) == 0 {
			return floats[r.IntN(len(floats))]
		}
		return (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(50)-25))
	}
	var value func(depth int) any
	value = func(depth int) any {
		switch r.IntN(8) {
		case 0:
			return num()
		case 1:
			return r.IntN(2) == 0
		case 2:
			return nil
		case 3:
			if depth < 2 {
				l := make([]any, r.IntN(4))
				for i := range l {
					l[i] = value(depth + 1)
				}
				return l
			}
		case 4:
			if depth < 2 {
				m := map[string]any{}
				for range r.IntN(4) {
					m[str()] = value(depth + 1)
				}
				return m
			}
		case 5:
			return json.Number("12")
		}
		return str()
	}
	side := func() map[string]any {
		if r.IntN(10) == 0 {
			return nil
		}
		m := map[string]any{}
		for range r.IntN(6) {
			m[str()] = value(0)
		}
		return m
	}
	e := new(explainer)
	for range 3000 {
		scs := make([]StoredComparison, r.IntN(4))
		for i := range scs {
			scs[i] = StoredComparison{Comparison: str(), Level: str(), Weight: num(), Case: side(), Trace: side()}
		}
		want, err := json.Marshal(scs)
		require.NoError(t, err)
		got, err := e.appendComparisons([]byte("prefix"), scs)
		require.NoError(t, err)
		require.Equal(t, "prefix"+string(want), string(got))
	}
	_, err := e.appendComparisons(nil, []StoredComparison{{Weight: math.Inf(-1)}})
	require.Error(t, err, "json.Marshal fails on an infinite weight, and so must the stored comparisons")
}

// TestStoredRowsKeepEachRowsComparisons: rows appended one after another,
// each explained in the memory of the one before, keep their own
// comparisons: each row's JSON is its candidate's alone.
func TestStoredRowsKeepEachRowsComparisons(t *testing.T) {
	t.Parallel()
	m, err := NewMatcher(DefaultConfiguration(), nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	trace := m.NewTrace("t", map[string]any{"relation_name": "Hassan Ali"},
		map[string]any{"name_first": "Amina", "name_last": "Hassan", "sex": "female", "age": 7.0})
	var cands []Candidate
	for i, data := range []map[string]any{
		{"name_first": "Amina", "name_nickname": "Mina", "name_last": "Hassan", "sex": "female", "age": 7.0,
			"family_details_section": []any{map[string]any{"relation": "father", "relation_name": "Hassan Ali"}}},
		{"name_first": "Halima"},
		{"name_first": "أمينة", "sex": "female", "location_current": "KE001"},
	} {
		c := m.NewCase(strconv.Itoa(i), data)
		var fields []FieldComparison
		for j, cmp := range m.cfg.Comparisons {
			fields = append(fields, FieldComparison{Comparison: cmp.Name, Level: []string{"exact", "missing", "different"}[(i+j)%3],
				Weight: float64(j) - 2.5})
		}
		cands = append(cands, Candidate{Case: c, Probability: 0.5, Label: LabelPossible, Fields: fields})
	}
	var rows storedRows
	for i := range cands {
		require.NoError(t, rows.appendRow(m.cfg, trace, &cands[i]))
	}
	require.Equal(t, []string{"0", "1", "2"}, rows.caseID)
	for i := range cands {
		want, err := json.Marshal(new(explainer).explain(m.cfg, trace, &cands[i]))
		require.NoError(t, err)
		require.JSONEq(t, string(want), string(rows.comparisons[i]), "row %d", i)
		require.Equal(t, string(want), string(rows.comparisons[i]), "row %d", i)
	}
	require.Contains(t, string(rows.comparisons[0]), `"name_nickname":"Mina"`)
	require.NotContains(t, string(rows.comparisons[1]), "Mina")
	require.Contains(t, string(rows.comparisons[0]), `"family_details_section`)
	require.NotContains(t, string(rows.comparisons[1]), `"family_details_section`, "the second case has no family rows")

	// The statement's one parameter: the rows' comparisons as one array, in
	// their order, each element its row's bytes; reading it changes nothing.
	for range 2 {
		var elems []json.RawMessage
		require.NoError(t, json.Unmarshal(rows.array(), &elems))
		require.Len(t, elems, len(cands))
		for i := range cands {
			require.Equal(t, string(rows.comparisons[i]), string(elems[i]), "element %d", i)
		}
	}
	rows.reset()
	require.Equal(t, "[]", string(rows.array()))
	require.NoError(t, rows.appendRow(m.cfg, trace, &cands[1]))
	var elems []json.RawMessage
	require.NoError(t, json.Unmarshal(rows.array(), &elems))
	require.Len(t, elems, 1, "a pooled request's array holds its own rows only")
	require.Equal(t, string(rows.comparisons[0]), string(elems[0]))
}
