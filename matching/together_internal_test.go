package matching

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/names"
)

// campPlaces: a region r with camps c1, c2, c3.
type campPlaces map[string][]Place

func (p campPlaces) Path(code string) []Place { return p[code] }

func newCampPlaces() campPlaces {
	r := Place{Code: "r", AdminLevel: 1}
	p := campPlaces{"r": {r}}
	for _, c := range []string{"c1", "c2", "c3"} {
		p[c] = []Place{r, {Code: c, AdminLevel: 3}}
	}
	return p
}

// togetherMatcher scores every pair alike (m = f = u on every comparison),
// uncalibrated (Together's factor at its estimated weight), so that only
// the group's constraints and Together tell candidates apart.
func togetherMatcher(t *testing.T, tg Together) *Matcher {
	t.Helper()
	return togetherMatcherCalibrated(t, tg, NoCalibration)
}

// togetherMatcherCalibrated is togetherMatcher with calibration c.
func togetherMatcherCalibrated(t *testing.T, tg Together, c Calibration) *Matcher {
	t.Helper()
	m, err := NewMatcher(DefaultConfiguration(), newCampPlaces(), time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	if tg != (Together{}) && tg.Kin == "" {
		// the kin factor at weight 0 (kin_internal_test.go weighs it)
		tg.Kin, tg.KinAgree, tg.KinChance = "inquirer_name", [kinLevels]float64{0.5, 0.3, 0.2}, [kinLevels]float64{0.5, 0.3, 0.2}
	}
	p := &Parameters{NameKeys: names.KeysVersion, Prior: 0.6, Siblings: 0.5, Cases: 1000, Calibration: c, Together: tg}
	for _, c := range m.cfg.Comparisons {
		n := len(c.Levels())
		even := make([]float64, n)
		for l := range even {
			even[l] = 1 / float64(n)
		}
		cp := ComparisonParameters{Name: c.Name, Levels: c.Levels(), ByPosition: c.ByPosition, TermFrequency: c.TermFrequency, ByRelation: c.ByRelation(),
			M: even, F: even, U: even}
		if c.ByTraceOrder {
			cp.MLater, cp.FLater = even, even
		}
		p.Comparisons = append(p.Comparisons, cp)
	}
	m, err = m.WithParameters(p)
	require.NoError(t, err)
	return m
}

// bruteForceTogether is bruteForce with a factor psi(t, i, u, j) between
// every two traces' chosen candidates (1 when either chose none).
func bruteForceTogether(pr priors, lrs [][]float64, cases [][]*Subject, psi func(t, i, u, j int) float64) [][]float64 {
	out := make([][]float64, len(lrs))
	for t := range lrs {
		out[t] = make([]float64, len(lrs[t]))
	}
	total := 0.0
	choice := make([]int, len(lrs))
	var walk func(t int, weight float64)
	walk = func(t int, weight float64) {
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
		walk(t+1, weight*math.Exp(pr.logNone))
	next:
		for i, lr := range lrs[t] {
			f := math.Exp(pr.logPM + lr)
			for u := range t {
				if j := choice[u]; j >= 0 {
					if cases[u][j].ID == cases[t][i].ID {
						continue next
					}
					f *= psi(u, j, t, i)
				}
			}
			choice[t] = i
			walk(t+1, weight*f)
		}
		choice[t] = -1
	}
	walk(0, 1)
	for t := range out {
		for i := range out[t] {
			out[t][i] /= total
		}
	}
	return out
}

// TestTogetherAgreesWithEnumeration: the sibling factors' messages give the
// exact marginals of two traces (each candidate weighed against every
// candidate of the other by its cell's Agree/Chance or (1 − Agree)/(1 −
// Chance)), and close ones for three, where the factors form a loop.
func TestTogetherAgreesWithEnumeration(t *testing.T) {
	t.Parallel()
	m := togetherMatcher(t, Together{Comparison: "location", Agree: [3]float64{0.3, 0.4, 0.6}, Chance: [3]float64{0.03, 0.1, 0.5}})
	pr := newPriors(0.6, 0.5, 1000)
	at := func(id, camp string) *Subject { return m.NewCase(id, map[string]any{"location_current": camp}) }
	a1, a2, a3, b1, b2, c1 := at("a1", "c1"), at("a2", "c2"), at("a3", "c3"), at("b1", "c1"), at("b2", "c2"), at("c1", "c2")
	// two places: where each lives and where each was separated, shared
	// both (counted once) or one
	both := func(id, camp, separation string) *Subject {
		return m.NewCase(id, map[string]any{"location_current": camp, "location_separation": separation})
	}
	a4, b3, b4 := both("a4", "c1", "c2"), both("b3", "c2", "c1"), both("b4", "c3", "c3")
	shares := func(a, b *Subject) bool {
		for _, p := range a.vals[m.together].paths {
			for _, q := range b.vals[m.together].paths {
				if p[len(p)-1].Code == q[len(q)-1].Code {
					return true
				}
			}
		}
		return false
	}
	for _, tc := range []struct {
		name  string
		lrs   [][]float64
		cases [][]*Subject
		top   [][]uint8
		tol   float64
	}{
		{"two traces", [][]float64{{8, 8, 7}, {9, 6}}, [][]*Subject{{a1, a2, a3}, {b1, b2}}, [][]uint8{{0, 1, 0}, {1, 0}}, 1e-9},
		{"two traces, a case in common", [][]float64{{8, 8}, {9, 6}}, [][]*Subject{{a1, b2}, {b1, b2}}, [][]uint8{{0, 0}, {0, 1}}, 0.02},
		{"three traces", [][]float64{{8, 8}, {9, 6}, {7}}, [][]*Subject{{a1, a2}, {b1, b2}, {c1}}, [][]uint8{{0, 1}, {0, 0}, {1}}, 0.02},
		{"two traces, two places each", [][]float64{{8, 8, 7, 6}, {9, 6, 7}}, [][]*Subject{{a1, a4, a2, a3}, {b3, b2, b4}},
			[][]uint8{{0, 1, 0, 1}, {1, 0, 0}}, 1e-9},
	} {
		sibs := m.siblings(tc.cases, tc.top, false, groupLinks(tc.cases), nil)
		none := make([]float64, len(tc.lrs))
		got := groupPosteriorLinked(pr, tc.lrs, groupLinks(tc.cases), sibs, m.togetherW, none)
		want := bruteForceTogether(pr, tc.lrs, tc.cases, func(t, i, u, j int) float64 {
			c := tc.top[t][i] + tc.top[u][j]
			if shares(tc.cases[t][i], tc.cases[u][j]) {
				return math.Exp(m.togetherW.agree[c])
			}
			return math.Exp(m.togetherW.differ[c])
		})
		requireMarginals(t, tc.name, want, got, none, tc.tol)
	}
}

// requireMarginals fails unless the group posterior's marginals (got, and
// none: each trace's probability of none of its candidates) are
// enumeration's (want) within tol, none exactly what the candidates leave.
func requireMarginals(t *testing.T, name string, want, got [][]float64, none []float64, tol float64) {
	t.Helper()
	for u := range want {
		sum := 0.0
		for i := range want[u] {
			require.InDelta(t, want[u][i], got[u][i], tol, "%s: trace %d candidate %d", name, u, i)
			sum += got[u][i]
		}
		require.InDelta(t, 1-sum, none[u], 1e-12, "%s: trace %d, none", name, u)
	}
}

// TestSiblingsSoughtTogetherShareTheirPlace: two candidates that weigh the
// same for a trace are told apart by the request's other trace, whose one
// candidate lives in the first one's camp: ranked together, that candidate
// is the likelier by Agree/Chance against (1 − Agree)/(1 − Chance), as
// enumeration says. Ranked alone (the other trace in another request), or
// with parameters without Together (stored before it), they stay equal.
func TestSiblingsSoughtTogetherShareTheirPlace(t *testing.T) {
	t.Parallel()
	tg := Together{Comparison: "location", Agree: [3]float64{0.4, 0.4, 0.4}, Chance: [3]float64{0.05, 0.05, 0.05}}
	m := togetherMatcher(t, tg)
	request := map[string]any{"inquiry_date": "2025-06-01"}
	sister := m.NewTrace("t-sister", request, map[string]any{"name_first": "Amina", "sex": "female"})
	brother := m.NewTrace("t-brother", request, map[string]any{"name_first": "Ali", "sex": "male"})
	child := func(id, name, sex, camp string) *Subject {
		return m.NewCase(id, map[string]any{"name_first": name, "sex": sex, "location_current": camp})
	}
	inCamp, elsewhere := child("c-amina-b", "Amina", "female", "c1"), child("c-amina-a", "Amina", "female", "c2")
	ali := child("c-ali", "Ali", "male", "c1")

	group, err := m.RankGroup([]*Subject{sister, brother}, [][]*Subject{{elsewhere, inCamp}, {ali}})
	require.NoError(t, err)
	require.Equal(t, "c-amina-b", group[0][0].Case.ID, "the sister in her brother's camp first")
	p := func(cs []Candidate, id string) float64 { return probabilityOf(t, cs, id) }
	pr := newPriors(0.6, 0.5, 1000)
	ratio := (tg.Agree[0] / tg.Chance[0]) / ((1 - tg.Agree[0]) / (1 - tg.Chance[0]))
	require.Greater(t, ratio, 5.0)
	// all the pairs' log likelihood ratios are 0: m = f = u
	lrs := [][]float64{{0, 0}, {0}}
	want := bruteForceTogether(pr, lrs, [][]*Subject{{elsewhere, inCamp}, {ali}}, func(_, i, _, _ int) float64 {
		if i == 1 {
			return tg.Agree[0] / tg.Chance[0]
		}
		return (1 - tg.Agree[0]) / (1 - tg.Chance[0])
	})
	require.InDelta(t, want[0][1], p(group[0], "c-amina-b"), 1e-9)
	require.InDelta(t, want[0][0], p(group[0], "c-amina-a"), 1e-9)
	require.InDelta(t, want[1][0], p(group[1], "c-ali"), 1e-9)

	alone, err := m.Rank(sister, []*Subject{elsewhere, inCamp})
	require.NoError(t, err)
	require.Equal(t, p(alone, "c-amina-b"), p(alone, "c-amina-a"), "another request's trace says nothing")

	before, err := togetherMatcher(t, Together{}).RankGroup([]*Subject{sister, brother}, [][]*Subject{{elsewhere, inCamp}, {ali}})
	require.NoError(t, err)
	require.Equal(t, p(before[0], "c-amina-b"), p(before[0], "c-amina-a"), "parameters without Together")
}

// TestTogetherIsScaledByTheCalibration: Calibration.Together multiplies the
// factor's log weights: at scale 0.5 two traces' posterior is enumeration's
// with each factor's square root (RankGroup, and RequestEvidence under the
// same calibration alike), at scale 0 the factor is gone; parameters with
// a Together of another comparison do not load (ErrParameters), and a
// calibration stored before Together (its scale 0) leaves it out.
func TestTogetherIsScaledByTheCalibration(t *testing.T) {
	t.Parallel()
	tg := Together{Comparison: "location", Agree: [3]float64{0.4, 0.4, 0.4}, Chance: [3]float64{0.05, 0.05, 0.05}}
	request := map[string]any{"inquiry_date": "2025-06-01"}
	half := Calibration{Child: 1, Family: 1, Adjustment: 1, Together: 0.5}
	m := togetherMatcherCalibrated(t, tg, half)
	// three cases: each candidate a likely child (prior 0.2 each), so that
	// the brother's choice weighs on the sister's
	few := *m.p
	few.Cases = 3
	m, err := m.WithParameters(&few)
	require.NoError(t, err)
	sister := m.NewTrace("t-sister", request, map[string]any{"name_first": "Amina", "sex": "female"})
	brother := m.NewTrace("t-brother", request, map[string]any{"name_first": "Ali", "sex": "male"})
	child := func(id, name, sex, camp string) *Subject {
		return m.NewCase(id, map[string]any{"name_first": name, "sex": sex, "location_current": camp})
	}
	elsewhere, inCamp := child("c-amina-a", "Amina", "female", "c2"), child("c-amina-b", "Amina", "female", "c1")
	ali := child("c-ali", "Ali", "male", "c1")
	cases := [][]*Subject{{elsewhere, inCamp}, {ali}}
	prob := func(cs []Candidate, id string) float64 { return probabilityOf(t, cs, id) }
	pr := newPriors(0.6, 0.5, 3)
	want := bruteForceTogether(pr, [][]float64{{0, 0}, {0}}, cases, func(_, i, _, _ int) float64 {
		if i == 1 {
			return math.Sqrt(tg.Agree[0] / tg.Chance[0])
		}
		return math.Sqrt((1 - tg.Agree[0]) / (1 - tg.Chance[0]))
	})
	group, err := m.RankGroup([]*Subject{sister, brother}, cases)
	require.NoError(t, err)
	require.InDelta(t, want[0][1], prob(group[0], "c-amina-b"), 1e-9)
	require.InDelta(t, want[0][0], prob(group[0], "c-amina-a"), 1e-9)
	require.Greater(t, prob(group[0], "c-amina-b"), prob(group[0], "c-amina-a")+0.1)

	// RequestEvidence of the ranked candidates gives the same under half,
	// the factor's full weight under NoCalibration, none at scale 0.
	ids, parts := make([][]string, len(group)), make([][][3]float64, len(group))
	for u, cs := range group {
		for _, c := range cs {
			ids[u] = append(ids[u], c.Case.ID)
			parts[u] = append(parts[u], [3]float64{})
		}
	}
	ev, err := NewRequestEvidence(m.p, ids, parts).WithTogether(m, group)
	require.NoError(t, err)
	got, _ := ev.Posterior(half)
	for u := range group {
		for i, c := range group[u] {
			require.InDelta(t, c.Probability, got[u][i], 1e-12)
		}
	}
	full, _ := ev.Posterior(NoCalibration)
	at := slices.IndexFunc(group[0], func(c Candidate) bool { return c.Case.ID == "c-amina-b" })
	require.Greater(t, full[0][at]-full[0][1-at], got[0][at]-got[0][1-at]+0.1, "the factor at its estimated weight says more")
	off, _ := ev.Posterior(Calibration{Child: 1, Family: 1, Adjustment: 1})
	require.InDelta(t, off[0][0], off[0][1], 1e-12, "scale 0: no factor")

	old := few
	old.Calibration = DefaultCalibration
	old.Calibration.Together = 0 // as stored before session 35
	before, err := m.WithParameters(&old)
	require.NoError(t, err)
	stored, err := before.RankGroup([]*Subject{sister, brother}, cases)
	require.NoError(t, err)
	require.Equal(t, prob(stored[0], "c-amina-b"), prob(stored[0], "c-amina-a"), "a calibration without Together")

	other := tg
	other.Comparison = "inquirer_location"
	_, err = m.WithParameters(&Parameters{NameKeys: names.KeysVersion, Prior: 0.6, Siblings: 0.5, Cases: 1000, Comparisons: m.p.Comparisons, Together: other})
	require.ErrorIs(t, err, ErrParameters)
}

// probabilityOf returns the probability of case id among cs.
func probabilityOf(t *testing.T, cs []Candidate, id string) float64 {
	t.Helper()
	for _, c := range cs {
		if c.Case.ID == id {
			return c.Probability
		}
	}
	t.Fatalf("no candidate %s", id)
	return 0
}

// TestLinksByEveryCaseOfTwoTraces: linksBy links every two candidates of
// two traces that are one case (also a case twice among one trace's
// candidates), both ways, in (t, i, u, j) order, and nothing else.
func TestLinksByEveryCaseOfTwoTraces(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(2, 3))
	for range 200 {
		ids := make([][]string, 1+r.IntN(4))
		for tr := range ids {
			for range r.IntN(12) {
				ids[tr] = append(ids[tr], fmt.Sprint("case-", r.IntN(15)))
			}
		}
		var want []link
		for tr := range ids {
			for i := range ids[tr] {
				for u := range ids {
					for j := range ids[u] {
						if u != tr && ids[tr][i] == ids[u][j] {
							want = append(want, link{int32(tr), int32(i), int32(u), int32(j)})
						}
					}
				}
			}
		}
		got := linksBy(len(ids), func(tr int) int { return len(ids[tr]) }, func(tr, i int) string { return ids[tr][i] })
		if len(ids) < 2 {
			require.Nil(t, got)
			continue
		}
		require.Equal(t, want, got)
	}
}
