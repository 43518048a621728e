package matching_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

// TestValueTableSharesBoundedValues: cases decoded through a value table
// equal DecodeCase's (their stored form written again is the one read,
// same keys and community), share the values they have in common (one
// value in one place for every case of one sex), keep the table within
// its bound (a full table starts again, and what it handed out stays
// right), and a value is never served in another decoding context
// (another day: an age given on the reader's day moves with it).
func TestValueTableSharesBoundedValues(t *testing.T) {
	t.Parallel()
	ds := synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: 400, Traces: 1, Seed: 3})
	m, err := matching.NewMatcher(matching.DefaultConfiguration(), ds.Locations, ds.Today)
	require.NoError(t, err)
	comparisons := m.Configuration().Comparisons
	sex := slices.IndexFunc(comparisons, func(c matching.Comparison) bool { return c.Name == "sex" })
	age := slices.IndexFunc(comparisons, func(c matching.Comparison) bool { return c.Kind == matching.KindAge })
	require.GreaterOrEqual(t, sex, 0)
	require.GreaterOrEqual(t, age, 0)
	var ids []string
	var forms [][]byte
	var sexes []string
	for _, c := range ds.Cases {
		ids = append(ids, c.ID)
		forms = append(forms, m.EncodeCase(m.NewCase(c.ID, c.Data)))
		s, _ := c.Data["sex"].(string)
		sexes = append(sexes, s)
	}

	for _, bound := range []int{1 << 20, 50} {
		tab := matching.NewValueTable(bound)
		ctx := m.DecodeContext("places")
		bySex := map[string]*matching.Subject{}
		for i, form := range forms {
			s, err := m.DecodeShared(tab, ctx, ids[i], form)
			require.NoError(t, err)
			want, err := m.DecodeCase(ids[i], form)
			require.NoError(t, err)
			require.Equal(t, form, m.EncodeCase(s), "case %d", i)
			require.Equal(t, want.Community(), s.Community())
			require.Equal(t, m.CaseKeys(want), m.CaseKeys(s))
			require.LessOrEqual(t, tab.Len(), 2*bound, "at most bound values and bound names")
			if first := bySex[sexes[i]]; first != nil && bound > len(forms) {
				require.True(t, matching.SameValue(first, s, sex), "one %q value for every case", sexes[i])
			} else if first == nil {
				bySex[sexes[i]] = s
			}
		}
		shared, decoded, sharedNames, decodedNames := tab.Stats()
		require.Equal(t, int64(len(forms)*len(comparisons)), shared+decoded)
		t.Logf("bound %d: values shared %d, decoded %d; names shared %d, decoded %d", bound, shared, decoded, sharedNames, decodedNames)
		if bound > len(forms) {
			require.Greater(t, 2*shared, decoded, "a third of the values repeat an earlier case's")
			require.Greater(t, sharedNames, decodedNames, "most names inside the values decoded repeat")
		}
	}

	// Tomorrow's reader shares nothing decoded today: an age given on the
	// reader's day is tomorrow's.
	tab := matching.NewValueTable(1 << 20)
	tomorrow, err := matching.NewMatcher(matching.DefaultConfiguration(), ds.Locations, ds.Today.Add(24*time.Hour))
	require.NoError(t, err)
	movedAges := 0
	for i, form := range forms {
		a, err := m.DecodeShared(tab, m.DecodeContext("places"), ids[i], form)
		require.NoError(t, err)
		b, err := tomorrow.DecodeShared(tab, tomorrow.DecodeContext("places"), ids[i], form)
		require.NoError(t, err)
		want, err := tomorrow.DecodeCase(ids[i], form)
		require.NoError(t, err)
		require.Equal(t, want.AgeGivenOn(age), b.AgeGivenOn(age))
		if a.AgeGivenOn(age).Equal(ds.Today) {
			movedAges++
			require.Equal(t, ds.Today.Add(24*time.Hour), b.AgeGivenOn(age))
		}
	}
	require.Positive(t, movedAges)
}
