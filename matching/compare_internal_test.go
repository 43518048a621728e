package matching

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/names"
)

// levelOf skips names.Compare's phonetic step for names without a shared
// key; it must give the same level, and so must a trace's memo of its
// comparisons (one per trace name, as RankGroup keeps it) for every name:
// among them names equal after Fold but written apart in Arabic script,
// which are Exact to each other (so must share a key) and yet may
// transliterate apart (عبدى abda, عبدي abdi: so the memo tells them apart).
func TestLevelOfIsNamesCompare(t *testing.T) {
	t.Parallel()
	all := []string{"Mohamed", "Mouhamed", "محمد", "Mahmoud", "محمود", "Abdirahman", "Abdirahmna", "Fatima",
		"Faadumo", "Halima", "Hassan Ali", "Ali Hassan", "Xasan", "Nyandeng Deng", "Deng", "", "123", "Jean-Pierre",
		"Abd al-Rahman", "عبد الرحمن", "Yusuf", "Youssouf", "Aïcha", "Caasha",
		"زهرة", "زةرة", "زهره", "عبدي", "عبدى", "Abdelfattah", "مصطفى", "مصطفي", "إبراهيم", "ابراهيم", "فاطمة حسن", "فاطمه حسن"}
	for _, a := range all {
		pa := parseName(a)
		if pa.empty() {
			continue
		}
		memo := comparisonCache{}
		for _, b := range all {
			pb := parseName(b)
			if pb.empty() {
				continue
			}
			require.Equal(t, names.Compare(a, b), levelOf(&pa, &pb), "%q / %q", a, b)
			require.Equal(t, names.Compare(a, b), compareName(&pa, &pb, memo), "%q / %q through the trace's memo", a, b)
			require.Equal(t, names.Compare(a, b), compareName(&pa, &pb, memo), "%q / %q from the memo", a, b)
		}
	}
}

// bruteForce enumerates every assignment of cases to traces (each trace one
// candidate or none, no case twice) and returns the exact marginals.
func bruteForce(pr priors, lrs [][]float64, cases [][]*Subject) [][]float64 {
	out := make([][]float64, len(lrs))
	for t := range lrs {
		out[t] = make([]float64, len(lrs[t]))
	}
	total := 0.0
	choice := make([]int, len(lrs))
	var walk func(t int, used map[*Subject]bool, weight float64)
	walk = func(t int, used map[*Subject]bool, weight float64) {
		if t == len(lrs) {
			total += weight
			for u, i := range choice {
				if i >= 0 {
					out[u][i] += weight
				}
			}
			return
		}
		choice[t] = -1
		walk(t+1, used, weight*math.Exp(pr.logNone))
		for i, lr := range lrs[t] {
			c := cases[t][i]
			if used[c] {
				continue
			}
			used[c] = true
			choice[t] = i
			walk(t+1, used, weight*math.Exp(pr.logPM+lr))
			delete(used, c)
		}
		choice[t] = -1
	}
	walk(0, map[*Subject]bool{}, 1)
	for t := range out {
		for i := range out[t] {
			out[t][i] /= total
		}
	}
	return out
}

func TestGroupPosteriorAgreesWithEnumeration(t *testing.T) {
	t.Parallel()
	pr := newPriors(0.7, 1, 1000)
	a, b, c, d := &Subject{ID: "a"}, &Subject{ID: "b"}, &Subject{ID: "c"}, &Subject{ID: "d"}
	for _, tc := range []struct {
		name  string
		lrs   [][]float64
		cases [][]*Subject
		tree  bool
	}{
		{"one trace", [][]float64{{9, 3, 1}}, [][]*Subject{{a, b, c}}, true},
		{"two traces, one strong case in common", [][]float64{{10, 2}, {10, 4}}, [][]*Subject{{a, b}, {a, c}}, true},
		{"identical traces", [][]float64{{10, 2}, {10, 2}}, [][]*Subject{{a, b}, {a, b}}, false},
		{"three traces, a chain", [][]float64{{8, 7}, {8, 6}, {5, 9}}, [][]*Subject{{a, b}, {b, c}, {c, d}}, true},
		{"three traces, a loop", [][]float64{{8, 7}, {8, 6}, {5, 9}}, [][]*Subject{{a, b}, {b, c}, {c, a}}, false},
	} {
		got := groupPosterior(pr, tc.lrs, tc.cases)
		want := bruteForce(pr, tc.lrs, tc.cases)
		tol := 1e-6
		if !tc.tree {
			tol = 0.12 // loopy belief propagation approximates
		}
		for u := range want {
			for i := range want[u] {
				require.InDelta(t, want[u][i], got[u][i], tol, "%s: trace %d candidate %d", tc.name, u, i)
			}
		}
	}
}

// TestCalibrationTempersTheEvidence: calibrated, a candidate's probability
// is (ρ/N)·LR' against (1 − ρ)·e^Offset for "none", LR' recombining the
// child's and the family's weights and the family adjustment with their
// scales; shrinking them lowers a strong candidate's probability; the zero
// calibration of parameters stored before it changes nothing.
func TestCalibrationTempersTheEvidence(t *testing.T) {
	t.Parallel()
	pr := newPriors(0.7, 1, 1000)
	lrs := [][]float64{{9, 3, 1}}
	parts := [][][2]float64{{{6, 4}, {1, 1}, {2, -3}}} // child, family; the adjustments are -1, 1, 2
	cases := [][]*Subject{{{ID: "a"}, {ID: "b"}, {ID: "c"}}}
	raw := groupPosterior(pr, lrs, cases)
	zpr, zlrs := Calibration{}.apply(pr, lrs, parts)
	require.Equal(t, raw, groupPosterior(zpr, zlrs, cases), "no calibration")
	zpr, zlrs = NoCalibration.apply(pr, lrs, parts)
	require.Equal(t, raw, groupPosterior(zpr, zlrs, cases), "no calibration")

	c := Calibration{Child: 0.8, Family: 0.5, Adjustment: 0.3, Offset: 0.5}
	cpr, clrs := c.apply(pr, lrs, parts)
	got := groupPosterior(cpr, clrs, cases)
	want := []float64{0.8*6 + 0.5*4 + 0.3*-1, 0.8*1 + 0.5*1 + 0.3*1, 0.8*2 + 0.5*-3 + 0.3*2}
	z := 0.3 * math.Exp(0.5)
	for _, lr := range want {
		z += 0.7 / 1000 * math.Exp(lr)
	}
	for i, lr := range want {
		require.InDelta(t, 0.7/1000*math.Exp(lr)/z, got[0][i], 1e-12)
	}
	require.Less(t, got[0][0], raw[0][0]-0.1, "the strong candidate is less certain")
	require.Equal(t, []float64{9, 3, 1}, lrs[0], "the weights are not changed in place")
}

// TestRequestEvidenceIsRankGroupsPosterior: the evidence of a request's
// candidates (their parts and case ids) gives, under any calibration, the
// probabilities RankGroup's posterior gives (the calibration applied, a
// case the child of at most one trace) and each trace's probability of
// none exactly, however small.
func TestRequestEvidenceIsRankGroupsPosterior(t *testing.T) {
	t.Parallel()
	p := &Parameters{NameKeys: names.KeysVersion, Prior: 0.7, Siblings: 1, Cases: 1000}
	pr := newPriors(p.Prior, p.Siblings, p.Cases)
	a, b, c, d := &Subject{ID: "a"}, &Subject{ID: "b"}, &Subject{ID: "c"}, &Subject{ID: "d"}
	cases := [][]*Subject{{a, b, c}, {a, d}}
	parts := [][][3]float64{{{12, 9, -1}, {1, 2, 0.5}, {-3, 2, 0}}, {{30, 15, -1}, {1, 1, 0}}}
	ids := [][]string{{"a", "b", "c"}, {"a", "d"}}
	lrs, wcf := make([][]float64, len(parts)), make([][][2]float64, len(parts))
	for u, ps := range parts {
		for _, x := range ps {
			lrs[u] = append(lrs[u], x[0]+x[1]+x[2])
			wcf[u] = append(wcf[u], [2]float64{x[0], x[1]})
		}
	}
	ev := NewRequestEvidence(p, ids, parts)
	for _, c := range []Calibration{{}, DefaultCalibration, {Child: 0.5, Family: 1.2, Adjustment: 0.3, Offset: 1}} {
		cpr, clrs := c.apply(pr, lrs, wcf)
		want := groupPosterior(cpr, clrs, cases)
		got, none := ev.Posterior(c)
		for u := range want {
			sum := 0.0
			for i := range want[u] {
				require.InDelta(t, want[u][i], got[u][i], 1e-12, "%v: trace %d candidate %d", c, u, i)
				sum += got[u][i]
			}
			require.InDelta(t, 1-sum, none[u], 1e-12, "%v: trace %d", c, u)
			require.Greater(t, none[u], 0.0, "%v: trace %d, none is small, not nothing", c, u)
		}
	}
	// The shared case counts: trace 0's a is far more likely trace 1's
	// child, so less likely trace 0's than trace 0 alone says.
	alone := NewRequestEvidence(p, ids[:1], parts[:1])
	together, _ := ev.Posterior(DefaultCalibration)
	single, _ := alone.Posterior(DefaultCalibration)
	require.Less(t, together[0][0], single[0][0]-0.3)
	// None's probability is exact where 1 minus the candidates' is not.
	cpr, clrs := DefaultCalibration.apply(pr, lrs[1:], wcf[1:])
	_, logNone := posterior(cpr, clrs[0])
	_, none := NewRequestEvidence(p, ids[1:], parts[1:]).Posterior(DefaultCalibration)
	require.Less(t, logNone, -30.0) // 1 minus the candidates' is off by 1e-16
	require.InEpsilon(t, math.Exp(logNone), none[0], 1e-9)
}

// TestSortCandidatesIsTheStableSort: sorting candidates by index gives the
// order sort.SliceStable gave (probability, weight, case id, then their
// order), ties on every key included.
func TestSortCandidatesIsTheStableSort(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		n := rng.IntN(60)
		cs := make([]Candidate, n)
		for i := range cs {
			cs[i] = Candidate{Case: &Subject{ID: string(rune('a' + rng.IntN(4)))},
				Probability: float64(rng.IntN(3)) / 4, Weight: float64(rng.IntN(3)), Label: strconv.Itoa(i)}
		}
		want := slices.Clone(cs)
		sort.SliceStable(want, func(i, j int) bool {
			a, b := &want[i], &want[j]
			if a.Probability != b.Probability {
				return a.Probability > b.Probability
			}
			if a.Weight != b.Weight {
				return a.Weight > b.Weight
			}
			return a.Case.ID < b.Case.ID
		})
		got := sortCandidates(cs)
		require.Len(t, got, n)
		for i := range want {
			require.Same(t, want[i].Case, got[i].Case)
			require.Equal(t, want[i].Label, got[i].Label, "position %d", i)
		}
	}
}

// Term frequencies of a name compared by position weigh the parts of the
// positions both sides give, each once: the grandfather's name that only
// the trace gives is not agreement, nor is a name that the two sides give
// in different positions.
func TestPositionsAgreeOnTheirOwnParts(t *testing.T) {
	t.Parallel()
	m, err := NewMatcher(DefaultConfiguration(), nil, time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	fam := slices.IndexFunc(m.cfg.Comparisons, func(c Comparison) bool { return c.Name == "family_names" })
	require.True(t, m.cfg.Comparisons[fam].ByPosition)
	agree := func(trace, cas map[string]any) (uint8, [][]string) {
		tr, c := m.NewTrace("t", nil, trace), m.NewCase("c", cas)
		var shared [][]string
		l := compare(&m.cfg.Comparisons[fam], tr.vals[fam], c.vals[fam], &shared, comparisonCache{})
		return l, shared
	}
	keys := func(s string) [][]string { p := parseName(s); return p.keys }

	l, shared := agree(map[string]any{"name_middle": "Gatkuoth", "name_last": "Nyuon"},
		map[string]any{"name_middle": "Gatkuoth"})
	require.Equal(t, uint8(lvExact), l)
	require.Equal(t, keys("Gatkuoth"), shared, "only the father's name agreed")

	l, shared = agree(map[string]any{"name_middle": "Maxamed", "name_last": "Nyuon"},
		map[string]any{"name_middle": "Mohamed", "name_last": "Nyuon"})
	require.Equal(t, uint8(lvPhonetic), l)
	require.Len(t, shared, 2, "a part per position")
	require.Equal(t, keys("Nyuon")[0], shared[1])

	l, shared = agree(map[string]any{"name_middle": "Gatkuoth", "name_last": "Nyuon"},
		map[string]any{"name_middle": "Nyuon", "name_last": "Gatkuoth"})
	require.Equal(t, uint8(lvDifferent), l, "the father's name is not the grandfather's")
	require.Empty(t, shared)
}

// TestMayAgreeIsASharedKey: mayAgree, which first reads the names' sigs,
// says two names may agree exactly when they share a key (Latin, Somali,
// Arabic and compound names), and the sigs alone tell most of the pairs
// that share none.
func TestMayAgreeIsASharedKey(t *testing.T) {
	t.Parallel()
	ns := []string{"Mohamed", "Mouhamed", "Maxamed", "Mahamat", "محمد", "Fatima", "Faadumo", "فاطمة", "Hassan",
		"Xasan", "حسن", "Deng", "Deng Garang", "Garang", "Nyakuoth", "Gatkuoth Nyuon", "Abdullahi", "Abdoulaye",
		"عبد الله", "Jean", "John", "Amina Ali", "Ali", "Achol", "Kiir", "Mary", "Marie", "Nyandeng", ""}
	sharesKey := func(a, b *pname) bool {
		for _, k := range a.all {
			if slices.Contains(b.all, k) {
				return true
			}
		}
		return false
	}
	none, told := 0, 0
	for _, x := range ns {
		for _, y := range ns {
			a, b := parseName(x), parseName(y)
			want := sharesKey(&a, &b)
			require.Equal(t, want, a.mayAgree(&b), "%q and %q", x, y)
			if !want {
				none++
				if a.sig&b.sig == 0 {
					told++
				}
			}
		}
	}
	require.Positive(t, none)
	require.Greater(t, told, none/2, "the sigs tell most pairs without a shared key")
}

// TestPreScoreReadsThePartner: a name by position read by the pre-score
// brings its partner (swaps_with) into it, whatever the partner's name, so
// that the run store holds the given names its crossed positions are
// looked for against.
func TestPreScoreReadsThePartner(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfiguration()
	given := slices.IndexFunc(cfg.Comparisons, func(c Comparison) bool { return c.Name == "given_name" })
	family := slices.IndexFunc(cfg.Comparisons, func(c Comparison) bool { return c.Name == "family_names" })
	cfg.Comparisons[given].Name = "first_name"
	cfg.Comparisons[family].SwapsWith = "first_name"
	for _, b := range []*[]string{&cfg.Blocking.Names, &cfg.Blocking.Given} {
		for k, n := range *b {
			if n == "given_name" {
				(*b)[k] = "first_name"
			}
		}
	}
	m, err := NewMatcher(cfg, nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	pre := m.WithPreScore(5)
	require.True(t, pre.preRead[family])
	require.True(t, pre.preRead[given], "the partner read by the pre-score")
	require.True(t, pre.preFirst[given], "in its first pass: it is not one the pre-score defers by name")
	cfg.Comparisons[family].SwapsWith = ""
	m, err = NewMatcher(cfg, nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.False(t, m.WithPreScore(5).preRead[given], "not a pre-score comparison by itself")
}
