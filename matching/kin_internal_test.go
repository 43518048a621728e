package matching

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// kinCase is a case living in camp with its family's rows (relation,
// name, by pairs).
func kinCase(m *Matcher, id, camp string, family ...string) *Subject {
	var rows []any
	for i := 0; i+1 < len(family); i += 2 {
		rows = append(rows, map[string]any{"relation": family[i], "relation_name": family[i+1]})
	}
	return m.NewCase(id, map[string]any{"location_current": camp, "family_details_section": rows})
}

// kinKeysFor returns c's relatives as m's kin factor compares them.
func kinKeysFor(m *Matcher, c *Subject) []kinKey {
	_, keys := appendKinKeys(nil, c.vals[m.kin])
	return keys
}

// TestKinLevelCountsRelationsNamedAlike: two registrations are at the
// level of how many relations both name with one first name, read by its
// phonetic keys in either script (Omar, Oumar, عمر); one name under two
// relations (a father Omar, an uncle Omar) is not kin, nor a family
// unwritten; kinPairs lists the pairs above level 0, never one case twice.
func TestKinLevelCountsRelationsNamedAlike(t *testing.T) {
	t.Parallel()
	m := togetherMatcher(t, Together{})
	keys := func(c *Subject) []kinKey { return kinKeysFor(m, c) }
	yasin := keys(kinCase(m, "yasin", "c1", "father", "Omar Mohamad Omar", "mother", "Yasmin Omar"))
	amina := keys(kinCase(m, "amina", "c2", "mother", "Yasmine Oumar", "father", "عمر محمد", "aunt", "Nasra"))
	mother := keys(kinCase(m, "other", "c1", "father", "Hassan Ali", "mother", "Yasmin Ali"))
	uncle := keys(kinCase(m, "uncle", "c1", "uncle", "Omar Ali"))
	nobody := keys(kinCase(m, "nobody", "c1"))

	require.Equal(t, uint8(2), kinLevel(yasin, amina), "both parents")
	require.Equal(t, uint8(1), kinLevel(yasin, mother), "the mother only")
	require.Equal(t, uint8(0), kinLevel(yasin, uncle), "a father Omar is not an uncle Omar")
	require.Equal(t, uint8(0), kinLevel(yasin, nobody))
	require.Equal(t, kinLevel(amina, yasin), kinLevel(yasin, amina))

	pairs, _ := kinPairs(newKinIndex([][]kinKey{yasin, uncle, mother}, nil), newKinIndex([][]kinKey{nobody, amina, yasin}, nil),
		[][2]int32{{0, 2}}, nil, nil) // yasin is a candidate of both traces
	require.Equal(t, []kinPair{{ij: [2]int32{0, 1}, level: 2}, {ij: [2]int32{2, 1}, level: 1},
		{ij: [2]int32{2, 2}, level: 1}}, pairs)
}

// randomKins returns n candidates' relatives, as appendKinKeys gives them:
// a father, a mother and another relative, each often, of names
// drawn with a skew (a few common names, many rare ones), each read by one
// or two keys.
func randomKins(r *rand.Rand, n, names int) [][]kinKey {
	z := rand.NewZipf(r, 1.1, 2, uint64(names-1))
	out := make([][]kinKey, n)
	for i := range out {
		var ks []kinKey
		for _, rel := range []string{"father", "mother", "uncle"} {
			if r.Float64() < 0.6 {
				name := fmt.Sprint("N", z.Uint64())
				ks = append(ks, kinKey{rel: rel, key: name})
				if r.Float64() < 0.4 {
					ks = append(ks, kinKey{rel: rel, key: name + "b"})
				}
			}
		}
		slices.SortFunc(ks, compareKin)
		out[i] = slices.CompactFunc(ks, func(a, b kinKey) bool { return a == b })
	}
	return out
}

// TestKinPairsAsEveryPair: kinPairs lists exactly the pairs that
// kinLevel, candidate by candidate, finds above level 0, in (i, j) order,
// but the pairs that are one case, also where keys' hashes collide; its
// scratch carries over from call to call without changing a result.
func TestKinPairsAsEveryPair(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 9))
	var cells []int32
	var got []kinPair // reused: the pairs are appended to it
	for range 300 {
		a, b := randomKins(r, r.IntN(30), 12), randomKins(r, r.IntN(30), 12)
		var same [][2]int32
		isSame := map[[2]int32]bool{}
		for range r.IntN(4) {
			if len(a) > 0 && len(b) > 0 {
				p := [2]int32{int32(r.IntN(len(a))), int32(r.IntN(len(b)))}
				same, isSame[p] = append(same, p), true
			}
		}
		var want []kinPair
		for i := range a {
			for j := range b {
				if l := kinLevel(a[i], b[j]); l > 0 && !isSame[[2]int32{int32(i), int32(j)}] {
					want = append(want, kinPair{ij: [2]int32{int32(i), int32(j)}, level: l})
				}
			}
		}
		fresh := func(keys [][]kinKey) kinIndex { return newKinIndex(keys, nil) }
		for _, index := range []func([][]kinKey) kinIndex{fresh, collidingKinIndex} {
			got, cells = kinPairs(index(a), index(b), same, cells, got[:0])
			if len(want) == 0 {
				require.Empty(t, got)
				continue
			}
			require.Equal(t, want, got)
		}
	}
}

// TestKinScratchIndexesAsFresh: a pooled scratch, reused group after
// group of two to four traces (each group larger or smaller than the one
// before), gives every pair of traces the kin pairs a group of its own
// memory does, none of a pair's overwritten by the next pair's.
func TestKinScratchIndexesAsFresh(t *testing.T) {
	t.Parallel()
	m := togetherMatcher(t, Together{})
	r := rand.New(rand.NewPCG(7, 11))
	firsts := []string{"Omar", "Oumar", "Hassan", "Yasmin", "Amina", "Ali", "Fatima", "Nasra", "عمر", "Deng"}
	relations := []string{"father", "mother", "aunt"}
	sc := new(kinScratch)
	for g := range 40 {
		cases := make([][]*Subject, 2+r.IntN(3))
		top := make([][]uint8, len(cases))
		for tr := range cases {
			for i := range r.IntN(25) {
				var family []string
				for _, rel := range relations {
					if r.IntN(3) > 0 {
						family = append(family, rel, firsts[r.IntN(len(firsts))]+" "+firsts[r.IntN(len(firsts))])
					}
				}
				cases[tr] = append(cases[tr], kinCase(m, fmt.Sprint(g, tr, i), "c1", family...))
			}
			top[tr] = make([]uint8, len(cases[tr]))
		}
		want := m.siblings(cases, top, true, groupLinks(cases), nil)
		got := m.siblings(cases, top, true, groupLinks(cases), sc)
		require.Len(t, got.sibs, len(want.sibs))
		for p := range want.sibs {
			if len(want.sibs[p].kin) > 0 || len(got.sibs[p].kin) > 0 { // nil and empty alike
				require.Equal(t, want.sibs[p].kin, got.sibs[p].kin, "group %d, pair %d", g, p)
			}
		}
	}
}

// collidingKinIndex is newKinIndex with hashes of one bit: most keys
// collide with others.
func collidingKinIndex(keys [][]kinKey) kinIndex {
	x := newKinIndex(keys, nil)
	for i := range x.by {
		x.by[i].h &= 1
	}
	slices.SortFunc(x.by, func(p, q kinEntry) int { return cmp.Or(cmp.Compare(p.h, q.h), cmp.Compare(p.i, q.i)) })
	return x
}

// BenchmarkKinPairs: two traces' kept candidates (PreScoreKeep each) whose
// relatives have look-alikes' names (a few common ones).
func BenchmarkKinPairs(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	x, y := randomKins(r, PreScoreKeep, 400), randomKins(r, PreScoreKeep, 400)
	var cells []int32
	pairs := 0
	for b.Loop() {
		var ps []kinPair
		ps, cells = kinPairs(newKinIndex(x, nil), newKinIndex(y, nil), nil, cells, ps[:0])
		pairs = len(ps)
	}
	b.ReportMetric(float64(pairs), "pairs")
}

// TestKinAgreesWithEnumeration: with the kin factor, the messages between
// two traces still give the exact marginals (each pair of candidates
// weighed by its place's factor times its kin level's KinAgree/KinChance),
// and close ones for three traces, whose factors form a loop.
func TestKinAgreesWithEnumeration(t *testing.T) {
	t.Parallel()
	tg := Together{Comparison: "location", Agree: [3]float64{0.3, 0.4, 0.6}, Chance: [3]float64{0.03, 0.1, 0.5},
		Kin: "inquirer_name", KinAgree: [kinLevels]float64{0.3, 0.3, 0.4}, KinChance: [kinLevels]float64{0.85, 0.14, 0.01}}
	m := togetherMatcher(t, tg)
	pr := newPriors(0.6, 0.5, 1000)
	a1 := kinCase(m, "a1", "c1", "father", "Omar", "mother", "Yasmin")
	a2 := kinCase(m, "a2", "c2", "father", "Hassan", "mother", "Yasmin")
	a3 := kinCase(m, "a3", "c3")
	b1 := kinCase(m, "b1", "c2", "father", "Oumar", "mother", "Yasmine")
	b2 := kinCase(m, "b2", "c1", "father", "Hassan", "mother", "Amina")
	c1 := kinCase(m, "c1", "c2", "father", "عمر", "mother", "Amina")
	for _, tc := range []struct {
		name  string
		lrs   [][]float64
		cases [][]*Subject
		top   [][]uint8
		tol   float64
	}{
		{"two traces", [][]float64{{8, 8, 7}, {9, 6}}, [][]*Subject{{a1, a2, a3}, {b1, b2}}, [][]uint8{{0, 1, 0}, {1, 0}}, 1e-9},
		{"three traces", [][]float64{{8, 8}, {7, 7}, {6, 7}}, [][]*Subject{{a1, a2}, {b1, b2}, {c1, a3}}, [][]uint8{{0, 1}, {0, 0}, {1, 0}}, 0.02},
	} {
		sibs := m.siblings(tc.cases, tc.top, true, groupLinks(tc.cases), nil)
		none := make([]float64, len(tc.lrs))
		got := groupPosteriorLinked(pr, tc.lrs, groupLinks(tc.cases), sibs, m.togetherW, none)
		want := bruteForceTogether(pr, tc.lrs, tc.cases, func(t, i, u, j int) float64 {
			a, b := tc.cases[t][i], tc.cases[u][j]
			c := tc.top[t][i] + tc.top[u][j]
			place := m.togetherW.differ[c]
			if a.vals[m.together].paths[0][1].Code == b.vals[m.together].paths[0][1].Code {
				place = m.togetherW.agree[c]
			}
			return math.Exp(place + m.togetherW.kin[kinLevel(kinKeysFor(m, a), kinKeysFor(m, b))])
		})
		requireMarginals(t, tc.name, want, got, none, tc.tol)
	}
}

// TestSiblingsRegisteredApartNameOneFamily: two look-alikes that weigh the
// same for a sister sought, in one camp, are told apart by her brother's
// case, registered elsewhere: the one whose registration names his father
// and mother is the likelier, by enumeration's figure. Parameters
// estimated before the kin factor do not load (ErrParameters: estimated
// again), nor a kin factor of another comparison.
func TestSiblingsRegisteredApartNameOneFamily(t *testing.T) {
	t.Parallel()
	tg := Together{Comparison: "location", Agree: [3]float64{0.4, 0.4, 0.4}, Chance: [3]float64{0.05, 0.05, 0.05},
		Kin: "inquirer_name", KinAgree: [kinLevels]float64{0.3, 0.3, 0.4}, KinChance: [kinLevels]float64{0.85, 0.14, 0.01}}
	m := togetherMatcher(t, tg)
	// three cases: each candidate a likely child, so that the brother's
	// weighs on the sister's
	few := *m.p
	few.Cases = 3
	m, err := m.WithParameters(&few)
	require.NoError(t, err)
	request := map[string]any{"inquiry_date": "2025-06-01"}
	sister := m.NewTrace("t-sister", request, map[string]any{"name_first": "Amina", "sex": "female"})
	brother := m.NewTrace("t-brother", request, map[string]any{"name_first": "Ali", "sex": "male"})
	stranger := kinCase(m, "c-amina-a", "c1", "father", "Hassan", "mother", "Fatima")
	sibling := kinCase(m, "c-amina-b", "c1", "father", "Oumar", "mother", "Yasmine")
	ali := kinCase(m, "c-ali", "c2", "father", "عمر", "mother", "Yasmin")

	group, err := m.RankGroup([]*Subject{sister, brother}, [][]*Subject{{stranger, sibling}, {ali}})
	require.NoError(t, err)
	require.Equal(t, "c-amina-b", group[0][0].Case.ID, "the sister whose registration names her brother's parents")
	pr := newPriors(0.6, 0.5, 3)
	differ := (1 - tg.Agree[0]) / (1 - tg.Chance[0]) // no case shares the brother's camp
	want := bruteForceTogether(pr, [][]float64{{0, 0}, {0}}, [][]*Subject{{stranger, sibling}, {ali}}, func(_, i, _, _ int) float64 {
		if i == 1 {
			return differ * tg.KinAgree[2] / tg.KinChance[2]
		}
		return differ * tg.KinAgree[0] / tg.KinChance[0]
	})
	require.InDelta(t, want[0][1], probabilityOf(t, group[0], "c-amina-b"), 1e-9)
	require.InDelta(t, want[0][0], probabilityOf(t, group[0], "c-amina-a"), 1e-9)
	require.Greater(t, want[0][1], 3*want[0][0])

	before := *m.p
	before.Together.Kin, before.Together.KinAgree, before.Together.KinChance = "", [kinLevels]float64{}, [kinLevels]float64{}
	_, err = m.WithParameters(&before)
	require.ErrorIs(t, err, ErrParameters, "estimated before the kin factor")

	other := *m.p
	other.Together.Kin = "other_names"
	_, err = m.WithParameters(&other)
	require.ErrorIs(t, err, ErrParameters, "a kin factor of another comparison")
}

// TestEstimateKinKeysOwnTheirStrings: the estimate's kin keys of cases
// read from their stored forms are copies, each string once, not slices
// of the forms, which they would keep in memory for every candidate.
func TestEstimateKinKeysOwnTheirStrings(t *testing.T) {
	t.Parallel()
	m := togetherMatcher(t, Together{})
	r := &emRun{kin: m.kin, kinOf: map[string][]kinKey{}}
	var own *byte // case a's own string of its father's first key
	for _, id := range []string{"a", "b"} {
		c, err := m.DecodeCase(id, m.EncodeCase(kinCase(m, id, "c1", "father", "Omar Ali", "mother", "Yasmin Omar")))
		require.NoError(t, err)
		father := c.vals[m.kin].rels[0]
		require.Equal(t, "father", father.relation)
		if id == "a" {
			own = unsafe.StringData(father.name.keys[0][0])
		}
		r.addKin(c)
	}
	require.Equal(t, r.kinOf["a"], r.kinOf["b"])
	require.NotEmpty(t, r.kinOf["a"])
	for i, k := range r.kinOf["a"] {
		b := r.kinOf["b"][i]
		require.Same(t, unsafe.StringData(k.key), unsafe.StringData(b.key), "one string for both cases' %v", k)
		require.Same(t, unsafe.StringData(k.rel), unsafe.StringData(b.rel), "one string for both cases' %v", k)
		require.NotSame(t, own, unsafe.StringData(k.key), "a slice of the stored form")
	}
}
