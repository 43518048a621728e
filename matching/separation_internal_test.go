package matching

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// bruteForceSeparation enumerates whose separation a request gives (trace
// t owns it with prior owns[t], at least one does) and each trace's child
// (none or one candidate; the traces share no case): a trace that does not
// own it scores its candidates without their separation part.
func bruteForceSeparation(pr priors, lrs, seps [][]float64, owns []float64) [][]float64 {
	out := make([][]float64, len(lrs))
	for t := range lrs {
		out[t] = make([]float64, len(lrs[t]))
	}
	total := 0.0
	for o := 1; o < 1<<len(lrs); o++ { // o's bit t: trace t owns it
		weight := 1.0
		for t := range lrs {
			if o&(1<<t) != 0 {
				weight *= owns[t]
			} else {
				weight *= 1 - owns[t]
			}
		}
		// the traces are independent given o: a product of sums
		z := make([]float64, len(lrs))
		for t, ls := range lrs {
			z[t] = math.Exp(pr.logNone)
			for i, lr := range ls {
				z[t] += math.Exp(pr.logPM + lr - sepOf(o, t, seps[t][i]))
			}
			weight *= z[t]
		}
		total += weight
		for t, ls := range lrs {
			for i, lr := range ls {
				out[t][i] += weight * math.Exp(pr.logPM+lr-sepOf(o, t, seps[t][i])) / z[t]
			}
		}
	}
	for t := range out {
		for i := range out[t] {
			out[t][i] /= total
		}
	}
	return out
}

// sepOf is what a candidate's log likelihood ratio loses when trace t
// does not own the separation under o.
func sepOf(o, t int, sep float64) float64 {
	if o&(1<<t) != 0 {
		return 0
	}
	return sep
}

func TestSeparationLatentAgreesWithEnumeration(t *testing.T) {
	t.Parallel()
	pr := newPriors(0.6, 0.5, 1000)
	for _, tc := range []struct {
		name      string
		lrs, seps [][]float64
		owns      []float64
	}{
		{
			// the first trace's best agrees on the separation, the second's
			// child disagrees: the second probably does not own it
			name: "two traces",
			lrs:  [][]float64{{9, 4}, {6, 7.5}},
			seps: [][]float64{{3.5, -1}, {-3, 2}},
			owns: []float64{0.7, 0.7},
		},
		{
			// the same, the second trace's own place the request's
			// place of separation: a high prior of its own
			name: "two traces, the second likely the owner",
			lrs:  [][]float64{{9, 4}, {6, 7.5}},
			seps: [][]float64{{3.5, -1}, {-3, 2}},
			owns: []float64{0.35, 0.95},
		},
		{
			name: "three traces, one without the separation",
			lrs:  [][]float64{{8, 7, 2}, {5, 6.5}, {7}},
			seps: [][]float64{{-2.5, 1.5, 0}, {2, -4}, {0}},
			owns: []float64{0.4, 0.6, 0.2},
		},
		{
			name: "every trace disagrees: one owns it all the same",
			lrs:  [][]float64{{4, 3}, {5}, {2, 6}},
			seps: [][]float64{{-3, -2}, {-4}, {-1, -5}},
			owns: []float64{0.8, 0.3, 0.55},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := bruteForceSeparation(pr, tc.lrs, tc.seps, tc.owns)
			got := groupPosteriorLinked(pr, separationLatent(pr, tc.lrs, tc.seps, tc.owns), nil, nil, togetherWeights{}, nil)
			for tr := range want {
				require.InDeltaSlice(t, want[tr], got[tr], 1e-12, "trace %d", tr)
			}
			// and the latent changes something: without it the posterior is another
			plain := groupPosteriorLinked(pr, tc.lrs, nil, nil, togetherWeights{}, nil)
			moved := 0.0
			for tr := range plain {
				for i := range plain[tr] {
					moved = max(moved, math.Abs(plain[tr][i]-got[tr][i]))
				}
			}
			require.Greater(t, moved, 0.01)
		})
	}
	// a trace alone owns its separation
	one := [][]float64{{3, -2, 5}}
	require.Equal(t, one, separationLatent(pr, one, [][]float64{{2, -4, 1}}, []float64{0.3}))
}

// separationMatcher is togetherMatcher's (every pair alike but for the
// comparisons set per test) with Separation sep.
func separationMatcher(t *testing.T, sep *Separation) *Matcher {
	t.Helper()
	m := togetherMatcherCalibrated(t, Together{}, DefaultCalibration)
	p := *m.p
	p.Comparisons = append([]ComparisonParameters(nil), p.Comparisons...)
	// the separation's date tells the child from others
	i := comparisonIndex(t, m, "separation_date")
	cp := &p.Comparisons[i]
	cp.M = []float64{0, 0.1, 0.1, 0.2, 0.6} // missing, different, within a year, a month, a week
	cp.U = []float64{0, 0.73, 0.2, 0.05, 0.02}
	cp.F = cp.U
	p.Separation = sep
	m, err := m.WithParameters(&p)
	require.NoError(t, err)
	return m
}

func comparisonIndex(t *testing.T, m *Matcher, name string) int {
	t.Helper()
	for i, c := range m.cfg.Comparisons {
		if c.Name == name {
			return i
		}
	}
	t.Fatalf("no comparison %q", name)
	return -1
}

func TestSeparationLatentInRankGroup(t *testing.T) {
	t.Parallel()
	sep := &Separation{Comparisons: []string{"separation_date", "separation_cause"}, Place: "location",
		Own: OwnByPlace{Same: 0.9, Different: 0.3, Missing: 0.6}}
	on, off := separationMatcher(t, sep), separationMatcher(t, nil)
	require.Equal(t, []string{"separation_date", "separation_cause"}, separationComparisons(&on.cfg))

	// the request's separation: 2020-03-01 at r1d1; trace a's candidate
	// agrees, b's two candidates: b1 disagrees, b2 agrees within a week;
	// a's child was last seen at the place of separation, b's place is not
	// known
	subject := func(id, date string) *Subject {
		return on.NewCase(id, map[string]any{"date_of_separation": date})
	}
	request := map[string]any{"date_of_separation": "2020-03-01", "location_separation": "r1d1"}
	ta, tb := on.NewTrace("a", request, map[string]any{"location_last": "r1d1"}), on.NewTrace("b", request, map[string]any{})
	require.Equal(t, placeSame, ta.place)
	require.Equal(t, placeMissing, tb.place)
	a1, b1, b2 := subject("a1", "2020-03-02"), subject("b1", "2017-08-15"), subject("b2", "2020-03-05")

	// a trace alone scores as without the latent
	alone, err := on.Rank(tb, []*Subject{b1, b2})
	require.NoError(t, err)
	before, err := off.Rank(tb, []*Subject{b1, b2})
	require.NoError(t, err)
	require.Equal(t, before, alone)

	// with a brother's trace that owns the separation, b1's disagreement
	// weighs less: b1's probability rises, b2's falls
	group := func(m *Matcher) map[string]float64 {
		out, err := m.RankGroup([]*Subject{ta, tb}, [][]*Subject{{a1}, {b1, b2}})
		require.NoError(t, err)
		p := map[string]float64{}
		for _, cs := range out {
			for _, c := range cs {
				p[c.Case.ID] = c.Probability
			}
		}
		return p
	}
	pOn, pOff := group(on), group(off)
	require.Greater(t, pOn["b1"], 1.5*pOff["b1"], "another child's separation says less against b1")
	require.Less(t, pOn["b2"], pOff["b2"])

	// the group's posterior is the enumeration's, calibrated as RankGroup
	// calibrates the separation's weights (the family's scale)
	pr := newPriors(on.p.Prior, on.p.Siblings, on.p.Cases)
	lrs, parts, seps := make([][]float64, 2), make([][][2]float64, 2), make([][]float64, 2)
	for ti, pair := range [][2]any{{ta, []*Subject{a1}}, {tb, []*Subject{b1, b2}}} {
		for _, c := range pair[1].([]*Subject) {
			var shared [][]string
			ps := on.score(pair[0].(*Subject), c, nil, nil, &shared, nil)
			require.NotZero(t, ps.sumWSep)
			lrs[ti] = append(lrs[ti], ps.logLR(pr))
			parts[ti] = append(parts[ti], [2]float64{(ps.sumW - ps.sumWFamily) * math.Ln2, ps.sumWFamily * math.Ln2})
			seps[ti] = append(seps[ti], ps.sumWSep*math.Ln2*DefaultCalibration.Family)
		}
	}
	cpr, clrs := DefaultCalibration.apply(pr, lrs, parts)
	want := bruteForceSeparation(cpr, clrs, seps, []float64{sep.Own.Same, sep.Own.Missing})
	require.InDelta(t, want[0][0], pOn["a1"], 1e-12)
	require.InDelta(t, want[1][0], pOn["b1"], 1e-12)
	require.InDelta(t, want[1][1], pOn["b2"], 1e-12)
}

func TestSeparationLatentOffForOldParameters(t *testing.T) {
	t.Parallel()
	half := OwnByPlace{Same: 0.5, Different: 0.5, Missing: 0.5}
	on := separationMatcher(t, &Separation{Comparisons: []string{"separation_date"}, Place: "location", Own: half})
	// parameters stored before the latent have no "separation"
	stored, err := json.Marshal(on.p)
	require.NoError(t, err)
	var old map[string]any
	require.NoError(t, json.Unmarshal(stored, &old))
	require.Contains(t, old, "separation")
	delete(old, "separation")
	stored, err = json.Marshal(old)
	require.NoError(t, err)
	var p Parameters
	require.NoError(t, json.Unmarshal(stored, &p))
	require.Nil(t, p.Separation)
	m, err := on.WithParameters(&p)
	require.NoError(t, err)
	require.Nil(t, m.sepComp)

	trace := m.NewTrace("t", map[string]any{"date_of_separation": "2020-03-01"}, map[string]any{})
	trace2 := m.NewTrace("u", map[string]any{"date_of_separation": "2020-03-01"}, map[string]any{})
	c1 := m.NewCase("c1", map[string]any{"date_of_separation": "2014-01-01"})
	c2 := m.NewCase("c2", map[string]any{"date_of_separation": "2020-03-01"})
	// old parameters: the group posterior of the calibrated ratios, as before
	out, err := m.RankGroup([]*Subject{trace, trace2}, [][]*Subject{{c1}, {c2}})
	require.NoError(t, err)
	pr := newPriors(p.Prior, p.Siblings, p.Cases)
	lrs, parts := make([][]float64, 2), make([][][2]float64, 2)
	for ti, pair := range [][2]*Subject{{trace, c1}, {trace2, c2}} {
		var shared [][]string
		ps := m.score(pair[0], pair[1], nil, nil, &shared, nil)
		lrs[ti] = []float64{ps.logLR(pr)}
		parts[ti] = [][2]float64{{(ps.sumW - ps.sumWFamily) * math.Ln2, ps.sumWFamily * math.Ln2}}
	}
	cpr, clrs := p.Calibration.apply(pr, lrs, parts)
	want := groupPosteriorLinked(cpr, clrs, nil, nil, togetherWeights{}, nil)
	require.Equal(t, want[0][0], out[0][0].Probability)
	require.Equal(t, want[1][0], out[1][0].Probability)
	withLatent, err := on.RankGroup([]*Subject{trace, trace2}, [][]*Subject{{c1}, {c2}})
	require.NoError(t, err)
	require.Greater(t, withLatent[0][0].Probability, out[0][0].Probability, "the latent is on in the parameters that have it")

	// parameters whose latent does not fit the configuration
	for _, bad := range []*Separation{
		{Comparisons: []string{"separation_date"}, Place: "location", Own: OwnByPlace{Same: 1, Different: 0.5, Missing: 0.5}},
		{Comparisons: []string{"separation_date"}, Place: "location", Own: OwnByPlace{Same: 0.5, Different: 0.5}},
		{Comparisons: []string{"separation_date"}, Place: "location"},
		{Comparisons: []string{"separation_date"}, Own: half},                             // no place
		{Comparisons: []string{"separation_date"}, Place: "inquirer_location", Own: half}, // not the trace's own place
		{Comparisons: []string{"no_such"}, Place: "location", Own: half},
		{Comparisons: []string{"sex"}, Place: "location", Own: half}, // not shared by siblings
		{Place: "location", Own: half},
	} {
		q := p
		q.Separation = bad
		_, err := on.WithParameters(&q)
		require.ErrorIs(t, err, ErrParameters, "%+v", bad)
	}
}

// TestOwnPlaceOfTrace: a trace's prior of owning its request's separation
// is chosen by its own place last seen (its row's) against the request's
// place of separation, read as the trace is parsed (NewTrace, also for a
// run store's traces); a case has none, and a configuration whose
// location does not read both on the trace's side gives every trace
// "missing".
func TestOwnPlaceOfTrace(t *testing.T) {
	t.Parallel()
	m, err := NewMatcher(DefaultConfiguration(), nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Equal(t, comparisonIndex(t, m, "location"), m.ownPlace)
	req := map[string]any{"location_separation": "r1d1c1"}
	for _, tc := range []struct {
		name         string
		request, row map[string]any
		want         ownPlace
	}{
		{"the same code", req, map[string]any{"location_last": "r1d1c1"}, placeSame},
		{"another code", req, map[string]any{"location_last": "r1d2c1"}, placeDifferent},
		{"a code of the place's district is another code", req, map[string]any{"location_last": "r1d1"}, placeDifferent},
		{"no own place", req, map[string]any{"location_last": " "}, placeMissing},
		{"no place of separation", map[string]any{}, map[string]any{"location_last": "r1d1c1"}, placeMissing},
		{"the row's place of separation before the request's", req,
			map[string]any{"location_last": "r2d1", "location_separation": "r2d1"}, placeSame},
	} {
		require.Equal(t, tc.want, m.NewTrace("t", tc.request, tc.row).place, tc.name)
	}
	require.Equal(t, placeMissing, m.NewCase("c", map[string]any{"location_current": "r1d1c1", "location_separation": "r1d1c1"}).place)

	cfg := DefaultConfiguration()
	i := comparisonIndex(t, m, "location")
	cfg.Comparisons[i].Trace.Fields = []string{"location_last"}
	one, err := NewMatcher(cfg, nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Equal(t, -1, one.ownPlace)
	require.Equal(t, placeMissing, one.NewTrace("t", req, map[string]any{"location_last": "r1d1c1"}).place)
}
