package matching_test

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
)

// TestRankStoredRanksAsRankGroup: a run's store of every case ranks each
// trace's candidates, alone and with the other traces of its tracing
// request, exactly as RankGroup ranks them decoded (the same cases, order,
// levels, weights, probabilities and labels), the pre-score keeping the
// same ones while it reads the given names of fewer candidates (their
// bound), also when some candidates are given read otherwise (changed since
// the store was built), and when each call decodes its kept cases into the
// memory of the call before it (RankStoredIn); the store shares values (far
// fewer distinct values than cases); and it refuses what it cannot serve: a matcher without a
// pre-score, a matcher of another day, a stale or corrupt form, a case it
// holds (nothing added).
func TestRankStoredRanksAsRankGroup(t *testing.T) {
	t.Parallel()
	f := estimated(t, 17)
	// with the factor between a request's traces at its estimated weight
	// (Together), whatever DefaultCalibration's scale
	p := *f.p
	p.Calibration.Together = 1
	require.NotEqual(t, p.Together.Agree, p.Together.Chance, "a request's traces weigh each other's candidates")
	require.NotEqual(t, p.Together.KinAgree, p.Together.KinChance, "by their places and by the relatives they name")
	full, err := f.m.WithParameters(&p)
	require.NoError(t, err)
	const keep = 20
	pre := full.WithPreScore(keep)
	_, err = full.NewRunStore("")
	require.ErrorIs(t, err, matching.ErrNoPreScore)

	store, err := pre.NewRunStore("")
	require.NoError(t, err)
	at := map[string]int32{}
	for _, c := range f.pool {
		i, err := store.Add(c.ID, 1, full.EncodeCase(c))
		require.NoError(t, err)
		at[c.ID] = i
	}
	n := store.Len()
	form := full.EncodeCase(f.pool[0])
	stale := append([]byte{form[0] + 1}, form[1:]...)
	_, err = store.Add("stale", 1, stale)
	require.ErrorIs(t, err, matching.ErrStaleSubject)
	_, err = store.Add("cut", 1, form[:len(form)/2])
	require.Error(t, err)
	_, err = store.Add(f.pool[0].ID, 2, form)
	require.ErrorContains(t, err, "in the run store already")
	_, _, ok := store.Lookup("cut")
	require.False(t, ok)
	require.Equal(t, n, store.Len(), "nothing added")
	store.Done() // the ranking below reads nothing Done drops
	_, err = store.Add("another", 1, full.EncodeCase(f.pool[0]))
	require.ErrorIs(t, err, matching.ErrStoreDone)
	require.Equal(t, len(f.pool), store.Len())
	require.True(t, store.Serves(pre, ""))
	require.True(t, store.Serves(full.WithPreScore(keep+5), ""), "another keep reads the same values")
	require.False(t, store.Serves(pre, "another hierarchy"))
	require.False(t, store.Serves(full, ""), "no pre-score")
	values, _ := store.Values()
	require.Less(t, values, len(f.pool)*len(matching.PreScoreComparisons)/2, "values shared among cases")

	// each case from the store, but every seventh read otherwise (as a
	// case changed since the store was built: decoded in two steps)
	indexes := func(cs []*matching.Subject) []matching.StoredCandidate {
		out := make([]matching.StoredCandidate, len(cs))
		for i, c := range cs {
			at, version, ok := store.Lookup(c.ID)
			require.True(t, ok)
			require.Equal(t, int64(1), version)
			require.Equal(t, c.ID, store.ID(at))
			out[i].At = at
			if i%7 == 3 {
				out[i].Case, err = pre.DecodeCandidate(c.ID, full.EncodeCase(c))
				require.NoError(t, err)
			}
		}
		return out
	}
	withFields, without := 0, 0
	cfg := full.Configuration()
	given := slices.IndexFunc(cfg.Comparisons, func(c matching.Comparison) bool { return c.Name == "given_name" })
	fam := slices.IndexFunc(cfg.Comparisons, func(c matching.Comparison) bool { return c.Name == "family_names" })
	swapped := slices.Index(cfg.Comparisons[given].Levels(), "swapped")
	famDifferent := slices.Index(cfg.Comparisons[fam].Levels(), "different")
	uncrossed := 0 // swapped given names whose family names' crossed position was left out
	same := func(want, got [][]matching.Candidate) {
		require.Len(t, got, len(want))
		for t2 := range want {
			require.Len(t, got[t2], len(want[t2]))
			for i := range want[t2] {
				w, g := want[t2][i], got[t2][i]
				require.Equal(t, w.Case.ID, g.Case.ID)
				require.Equal(t, w.Levels(), g.Levels())
				if l := w.Levels(); int(l[given]) == swapped && int(l[fam]) != famDifferent {
					uncrossed++
				}
				if storedFields(t, i, w, g) {
					withFields++
				} else {
					without++
				}
				require.Equal(t, w.Weight, g.Weight)
				require.Equal(t, w.Probability, g.Probability)
				require.Equal(t, w.Label, g.Label)
			}
		}
	}
	byRequest := map[string][]*matching.Subject{}
	pruned := 0
	// one KeptCases for every call after it: each call's kept cases
	// decoded into the memory of the last one's, and ranked alike
	kc := &matching.KeptCases{}
	for _, tr := range f.heldOut {
		cands := f.ix.Candidates(tr)
		if len(cands) > keep {
			pruned++
		}
		want, err := pre.RankGroup([]*matching.Subject{tr}, [][]*matching.Subject{cands})
		require.NoError(t, err)
		got, err := pre.RankStored(store, []*matching.Subject{tr}, [][]matching.StoredCandidate{indexes(cands)})
		require.NoError(t, err)
		same(want, got)
		got, err = pre.RankStoredIn(store, kc, []*matching.Subject{tr}, [][]matching.StoredCandidate{indexes(cands)})
		require.NoError(t, err)
		same(want, got)
		byRequest[f.requestsOf[tr]] = append(byRequest[f.requestsOf[tr]], tr)
	}
	require.Greater(t, pruned, 50, "traces whose candidates the pre-score cut")
	// a pre-score keeping a few: the threshold nearer the best, so that
	// more candidates are ruled out by their bounds (the deferred given
	// name's bound, and its tighter one when no name of the pair shares a
	// key) rather than scored
	few := full.WithPreScore(3)
	require.True(t, store.Serves(few, ""))
	for _, tr := range f.heldOut {
		cands := f.ix.Candidates(tr)
		want, err := few.RankGroup([]*matching.Subject{tr}, [][]*matching.Subject{cands})
		require.NoError(t, err)
		got, err := few.RankStored(store, []*matching.Subject{tr}, [][]matching.StoredCandidate{indexes(cands)})
		require.NoError(t, err)
		same(want, got)
	}
	pairs, givenRead := store.Stats()
	t.Logf("%d traces pre-scored: given names read for %d of %d candidates", pruned, givenRead, pairs)
	require.Less(t, givenRead, pairs*9/10, "the bound spares given names")
	groups := 0
	for _, trs := range byRequest {
		if len(trs) < 2 {
			continue
		}
		groups++
		cands := make([][]*matching.Subject, len(trs))
		idx := make([][]matching.StoredCandidate, len(trs))
		for i, tr := range trs {
			cands[i] = f.ix.Candidates(tr)
			idx[i] = indexes(cands[i])
		}
		want, err := pre.RankGroup(trs, cands)
		require.NoError(t, err)
		got, err := pre.RankStored(store, trs, idx)
		require.NoError(t, err)
		same(want, got)
		got, err = pre.RankStoredIn(store, kc, trs, idx)
		require.NoError(t, err)
		same(want, got)
	}
	require.Positive(t, groups, "tracing requests seeking several children")
	t.Logf("candidates with their fields: %d, without: %d", withFields, without)
	require.Positive(t, without, "candidates a run does not store")
	t.Logf("candidates with swapped names, the crossed family name left out: %d", uncrossed)
	require.Positive(t, uncrossed, "names exchanged between fields, compared through the store as in RankGroup")

	// a matcher of another day (ages are read on it), a stale form, a
	// corrupt one
	other, err := matching.NewMatcher(matching.DefaultConfiguration(), nil, time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	other, err = other.WithParameters(f.p)
	require.NoError(t, err)
	_, err = other.WithPreScore(keep).RankStored(store, f.heldOut[:1], [][]matching.StoredCandidate{{{At: 0}}})
	require.ErrorIs(t, err, matching.ErrOtherStore)
	_, err = full.RankStored(store, f.heldOut[:1], [][]matching.StoredCandidate{{{At: 0}}})
	require.ErrorIs(t, err, matching.ErrOtherStore, "a matcher without the pre-score")
}

// storedFields requires that got, the i-th best candidate of RankStored,
// has the Fields of want (RankGroup's, the full computation: what a run
// stores as its comparisons) to the last bit when a run stores it (the
// StoredPerTrace best and every likely or possible), and none otherwise;
// it reports whether got has them.
func storedFields(t *testing.T, i int, want, got matching.Candidate) bool {
	t.Helper()
	if i < matching.StoredPerTrace || want.Label != matching.LabelUnlikely {
		require.Len(t, got.Fields, len(want.Fields))
		for k := range want.Fields {
			require.Equal(t, want.Fields[k].Comparison, got.Fields[k].Comparison)
			require.Equal(t, want.Fields[k].Level, got.Fields[k].Level)
			require.Equal(t, math.Float64bits(want.Fields[k].Weight), math.Float64bits(got.Fields[k].Weight))
		}
		return true
	}
	require.Nil(t, got.Fields)
	return false
}

// rankStoredAsRankGroup stores f's cases for the matcher pre (WithPreScore
// of full) and fails unless RankStored ranks each held-out trace's
// candidates as pre.RankGroup does: the same cases in the same order, the
// same levels, stored fields and probabilities. visit (when not nil) sees
// each pair ranked.
func rankStoredAsRankGroup(t *testing.T, f fixture, full, pre *matching.Matcher, visit func(matching.Candidate)) {
	t.Helper()
	store, err := pre.NewRunStore("")
	require.NoError(t, err)
	for _, c := range f.pool {
		_, err := store.Add(c.ID, 1, full.EncodeCase(c))
		require.NoError(t, err)
	}
	store.Done()
	for _, tr := range f.heldOut {
		cands := f.ix.Candidates(tr)
		want, err := pre.RankGroup([]*matching.Subject{tr}, [][]*matching.Subject{cands})
		require.NoError(t, err)
		idx := make([]matching.StoredCandidate, len(cands))
		for i, c := range cands {
			idx[i].At, _, _ = store.Lookup(c.ID)
		}
		got, err := pre.RankStored(store, []*matching.Subject{tr}, [][]matching.StoredCandidate{idx})
		require.NoError(t, err)
		require.Len(t, got[0], len(want[0]))
		for i := range want[0] {
			w, g := want[0][i], got[0][i]
			require.Equal(t, w.Case.ID, g.Case.ID, "trace %s, rank %d", tr.ID, i)
			require.Equal(t, w.Levels(), g.Levels())
			storedFields(t, i, w, g)
			require.Equal(t, w.Probability, g.Probability)
			if visit != nil {
				visit(w)
			}
		}
	}
}

// TestRankStoredRanksLearnedVariantsAsRankGroup: with learned variants of
// the given name and of the family names (by position), the run store
// reaches the variant level through its names' indexes as RankGroup does
// through the decoded cases (the same cases, levels, weights,
// probabilities), for traces whose candidates hold some of the pairs; the
// variants weigh by the term frequency of the case's spelling (a common
// one less than a rare one).
func TestRankStoredRanksLearnedVariantsAsRankGroup(t *testing.T) {
	t.Parallel()
	// seed 21: since the keys read a final -o and -e as -a (session 51),
	// the spellings they do not join are rarer still (seed 7's traces
	// ranked one spelling only); this tenant's held-out traces still rank
	// some among their three best, on both comparisons
	f := estimated(t, 21)
	// spellings of the generated data that the keys do not join, worth
	// more than close: the deferred name's bound must allow them
	pairs := [][2]string{{"aadan", "adam"}, {"aadan", "ادم"}, {"adam", "aden"}, {"cabdicasiis", "عبد العزيز"}, {"dahir", "tahir"},
		{"dahir", "ظاهر"}, {"dayib", "tayeb"}, {"faadumo", "fatime"}, {"fadumo", "fatima"}, {"halime", "xaliimo"}, {"hawa", "xaawo"},
		{"joseph", "yusuf"}, {"mariam", "maryan"}, {"moustapha", "mustafe"}, {"sakariye", "zakaria"}, {"zainab", "zeinabou"}}
	q, given, _ := withVariants(t, f.p, pairs)
	fam := slices.IndexFunc(q.Comparisons, func(c matching.ComparisonParameters) bool { return c.Name == "family_names" })
	c := q.Comparisons[fam]
	variant := slices.Index(c.Levels, "variant")
	c.M, c.U = slices.Clone(c.M), slices.Clone(c.U)
	c.M[variant], c.U[variant] = 0.04, 0.0005
	c.Variants = pairs
	q.Comparisons[fam] = c
	full, err := f.m.WithParameters(&q)
	require.NoError(t, err)
	for _, keep := range []int{20, 3} {
		variants, famVariants := 0, 0
		weights := map[string]float64{} // the least variant weight by the case's given name
		rankStoredAsRankGroup(t, f, full, full.WithPreScore(keep), func(w matching.Candidate) {
			if w.Fields[given].Level == "variant" {
				variants++
				name := fmt.Sprint(w.Case.Fields["name_first"])
				if wt, ok := weights[name]; !ok || w.Fields[given].Weight < wt {
					weights[name] = w.Fields[given].Weight
				}
			}
			if w.Fields[fam].Level == "variant" {
				famVariants++
			}
		})
		t.Logf("keep %d: %d ranked candidates at variant, %d on the family names; least weight by the case's spelling: %v",
			keep, variants, famVariants, weights)
		require.Positive(t, variants, "candidates at the variant level (keep %d)", keep)
		require.Positive(t, famVariants, "candidates at the family names' variant level (keep %d)", keep)
		if keep < 20 {
			// which few spellings reach the three best depends on every
			// other comparison's weights (session 46's places moved a
			// community's Faadumo in, its tenant-wide one out): the
			// spellings' weights are held where twenty are ranked
			continue
		}
		// a common spelling weighs less than a rare one
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, w := range weights {
			lo, hi = min(lo, w), max(hi, w)
		}
		require.Greater(t, hi-lo, 1.0, "variants weighed by their spelling's term frequency")
	}
}

// TestRankStoredRanksArabicSpellingsAsRankGroup: names equal after Fold
// but written apart in Arabic script (ى for ي, ة for ه) rank through the run
// store as through RankGroup. Before session 51 RankGroup's memo of a
// trace's comparisons was keyed by the folded name, so such a name got the
// level of the one met before it; each of these generated tenants had a
// trace ranked apart by it: on seed 10 a typed زةرة was exact after a زهرة
// (and close through the store), on seed 29 عبدى was different from
// Abdelfattah after an عبدي (similar through the store: transliterated abda,
// not abdi), which kept another case among the twenty best.
func TestRankStoredRanksArabicSpellingsAsRankGroup(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{10, 29} {
		f := estimated(t, seed)
		full, err := f.m.WithParameters(f.p)
		require.NoError(t, err)
		rankStoredAsRankGroup(t, f, full, full.WithPreScore(20), nil)
	}
}
