package matching_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
)

// TestCachedCasesRankAsDecoded: the held-out traces of a generated tenant,
// ranked together per tracing request (RankGroup) as a run does, give the
// same candidates, order, levels, weights, labels and probabilities when
// their candidates come through a small SubjectCache (shared between
// traces, evicted, decoded again, their values shared with other cases)
// as when each trace decodes its own; the cache serves most reads, and the
// cases it decodes share a third of their values and most of their names. A case whose stored form changed, or another
// decoding context, is decoded again, never served stale.
func TestCachedCasesRankAsDecoded(t *testing.T) {
	t.Parallel()
	f := estimated(t, 13)
	scorer, err := f.m.WithParameters(f.p)
	require.NoError(t, err)
	stored := map[string][]byte{}
	for _, c := range f.pool {
		stored[c.ID] = scorer.EncodeCase(c)
	}
	var order []string
	groups := map[string][]*matching.Subject{}
	for _, tr := range f.heldOut {
		r := f.requestsOf[tr]
		if groups[r] == nil {
			order = append(order, r)
		}
		groups[r] = append(groups[r], tr)
	}
	cache := matching.NewSubjectCache(1500)
	ctx := scorer.DecodeContext("places")
	compared, shared := 0, 0
	for _, r := range order {
		traces := groups[r]
		fresh := make([][]*matching.Subject, len(traces))
		cached := make([][]*matching.Subject, len(traces))
		for i, tr := range traces {
			for _, c := range f.ix.Candidates(tr) {
				a, err := scorer.DecodeCase(c.ID, stored[c.ID])
				require.NoError(t, err)
				b, err := scorer.DecodeCaseCached(cache, ctx, c.ID, stored[c.ID])
				require.NoError(t, err)
				require.Equal(t, stored[c.ID], scorer.EncodeCase(b), "a case decoded through shared values holds its own")
				fresh[i], cached[i] = append(fresh[i], a), append(cached[i], b)
			}
		}
		want, err := scorer.RankGroup(traces, fresh)
		require.NoError(t, err)
		got, err := scorer.RankGroup(traces, cached)
		require.NoError(t, err)
		for i := range want {
			require.Len(t, got[i], len(want[i]))
			for j := range want[i] {
				w, g := want[i][j], got[i][j]
				require.Equal(t, w.Case.ID, g.Case.ID)
				require.Equal(t, w.Levels(), g.Levels())
				require.Equal(t, w.Probability, g.Probability)
				require.Equal(t, w.Weight, g.Weight)
				require.Equal(t, w.Label, g.Label)
				compared++
			}
		}
		if len(traces) > 1 {
			seen := map[string]int{}
			for _, cs := range fresh {
				for _, c := range cs {
					seen[c.ID]++
				}
			}
			for _, n := range seen {
				if n > 1 {
					shared++
				}
			}
		}
	}
	require.Greater(t, compared, 5_000, "the held-out traces compared many pairs")
	require.Positive(t, shared, "some cases are candidates of two traces of one request (linked by id, not by pointer)")
	hits, misses := cache.Stats()
	require.Greater(t, hits, misses, "the cache served most reads")
	require.Equal(t, 1500, cache.Len(), "bounded: evicted beyond its size")
	sharedValues, decodedValues, sharedNames, decodedNames := cache.ValueStats()
	t.Logf("values shared %d, decoded %d; names shared %d, decoded %d", sharedValues, decodedValues, sharedNames, decodedNames)
	require.Greater(t, 2*sharedValues, decodedValues, "a third of the values of the cases decoded repeat an earlier case's")
	require.Greater(t, sharedNames, 2*decodedNames, "and most names inside the others")

	// A re-stored case (another form under its id) is decoded again; so is
	// every case in another decoding context (another day).
	a, b := f.pool[0], f.pool[1]
	first, err := scorer.DecodeCaseCached(cache, ctx, a.ID, stored[a.ID])
	require.NoError(t, err)
	again, err := scorer.DecodeCaseCached(cache, ctx, a.ID, stored[a.ID])
	require.NoError(t, err)
	require.Same(t, first, again, "the same form is served from the cache")
	changed, err := scorer.DecodeCaseCached(cache, ctx, a.ID, stored[b.ID])
	require.NoError(t, err)
	require.NotSame(t, first, changed)
	require.Equal(t, scorer.CaseKeys(b), scorer.CaseKeys(changed), "decoded from the new form")
	later, err := matching.NewMatcher(matching.DefaultConfiguration(), newPlaces(), today.Add(24*time.Hour))
	require.NoError(t, err)
	require.NotEqual(t, ctx, later.DecodeContext("places"))
	require.NotEqual(t, ctx, scorer.DecodeContext("moved places"))
	n := cache.Len()
	_, err = scorer.DecodeCaseCached(cache, scorer.DecodeContext("moved places"), b.ID, stored[b.ID])
	require.NoError(t, err)
	require.Equal(t, 1, cache.Len(), "another context clears the cache (it held %d)", n)
}

// TestLocalityKey: traces seeking a child of the same given name, sex and
// birth band share their locality key whatever else they hold (so a run
// matches them together); a trace without a given-name key sorts after
// every trace with one.
func TestLocalityKey(t *testing.T) {
	t.Parallel()
	m, err := matching.NewMatcher(matching.DefaultConfiguration(), newPlaces(), today)
	require.NoError(t, err)
	trace := func(row map[string]any) []string {
		return m.TraceKeys(m.NewTrace("t", map[string]any{"relation_name": "Halima Abdi"}, row))
	}
	a := matching.LocalityKey(trace(map[string]any{"name_first": "Amina", "name_last": "Hassan", "sex": "female", "age": 9}))
	b := matching.LocalityKey(trace(map[string]any{"name_first": "Amina", "name_last": "Okello", "sex": "female", "age": 9}))
	c := matching.LocalityKey(trace(map[string]any{"name_first": "Zainab", "name_last": "Hassan", "sex": "female", "age": 9}))
	none := matching.LocalityKey(trace(map[string]any{"name_last": "Hassan", "name_middle": "Okello"}))
	require.True(t, strings.HasPrefix(a, "ns:"), a)
	require.Equal(t, a, b, "same given name, sex and age: together")
	require.NotEqual(t, a, c)
	require.Greater(t, none, c, "without a given-name key: after")
	require.Empty(t, matching.LocalityKey(nil))
}
