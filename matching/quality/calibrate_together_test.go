package quality

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/names"
)

// camps resolves a region r's camps c0 to c3.
type camps map[string][]matching.Place

func (c camps) Path(code string) []matching.Place { return c[code] }

// TestFitCalibrationTogetherRecoversTheScale: requests of two traces whose
// candidates live in one of four camps, the truth drawn from the group
// posterior of a known calibration whose Together scale is 0.5 (the
// factor between the two traces' choices enumerated: Agree/Chance when the
// two share a camp, (1 − Agree)/(1 − Chance) when not). Fitted after the
// other four (held at the truth's), the scale comes back; fitted with
// them, the five do; and the factor explains the truth better than none.
func TestFitCalibrationTogetherRecoversTheScale(t *testing.T) {
	t.Parallel()
	cs := camps{"r": {{Code: "r", AdminLevel: 1}}}
	for k := range 4 {
		code := fmt.Sprintf("c%d", k)
		cs[code] = []matching.Place{{Code: "r", AdminLevel: 1}, {Code: code, AdminLevel: 3}}
	}
	m, err := matching.NewMatcher(matching.DefaultConfiguration(), cs, time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	// the kin factor at weight 0 (equal shares): the place's alone is fitted
	tg := matching.Together{Comparison: "location", Agree: [3]float64{0.8, 0.8, 0.8}, Chance: [3]float64{0.1, 0.1, 0.1},
		Kin: "inquirer_name", KinAgree: [3]float64{0.5, 0.3, 0.2}, KinChance: [3]float64{0.5, 0.3, 0.2}}
	p := &matching.Parameters{NameKeys: names.KeysVersion, Prior: 0.6, Siblings: 1, Cases: 10_000, Together: tg, Calibration: matching.NoCalibration}
	for _, c := range m.Configuration().Comparisons {
		n := len(c.Levels())
		even := make([]float64, n)
		for l := range even {
			even[l] = 1 / float64(n)
		}
		cp := matching.ComparisonParameters{Name: c.Name, Levels: c.Levels(),
			ByPosition: c.ByPosition, TermFrequency: c.TermFrequency, ByRelation: c.ByRelation(), M: even, F: even, U: even}
		if c.ByTraceOrder {
			cp.MLater, cp.FLater = even, even
		}
		p.Comparisons = append(p.Comparisons, cp)
	}
	m, err = m.WithParameters(p)
	require.NoError(t, err)
	want := matching.Calibration{Child: 0.8, Family: 0.6, Adjustment: 0.7, Offset: -1, Together: 0.5}
	logPM, logNone := math.Log(p.Prior/float64(p.Cases)), math.Log(1-p.Prior)+want.Offset
	share, differ := want.Together*math.Log(tg.Agree[0]/tg.Chance[0]), want.Together*math.Log((1-tg.Agree[0])/(1-tg.Chance[0]))
	rng := rand.New(rand.NewPCG(9, 10))
	requests := make([]CalibrationRequest, 3_000)
	for r := range requests {
		// each trace's candidates (2 to 6), their parts and camps; the
		// traces give no place (every candidate in cell 0)
		traces := make([]*matching.Subject, 2)
		cases := make([][]*matching.Subject, 2)
		parts := map[string][3]float64{}
		camp := map[string]int{}
		logW := make([][]float64, 2) // per candidate, then none last
		for k := range traces {
			traces[k] = m.NewTrace(fmt.Sprintf("%d-%d", r, k), map[string]any{}, map[string]any{})
			for j := range 2 + rng.IntN(5) {
				id := fmt.Sprintf("%d-%d-%d", r, k, j)
				x := [3]float64{rng.NormFloat64()*3 + 3, rng.NormFloat64()*3 + 3, rng.NormFloat64()}
				parts[id], camp[id] = x, rng.IntN(4)
				cases[k] = append(cases[k], m.NewCase(id, map[string]any{"location_current": fmt.Sprintf("c%d", camp[id])}))
				logW[k] = append(logW[k], logPM+want.Child*x[0]+want.Family*x[1]+want.Adjustment*x[2])
			}
			logW[k] = append(logW[k], logNone)
		}
		// the truth: the pair of choices drawn from the joint posterior
		var terms []float64
		var picks [][2]int
		for i := range logW[0] {
			for j := range logW[1] {
				x := logW[0][i] + logW[1][j]
				if i < len(cases[0]) && j < len(cases[1]) {
					if camp[cases[0][i].ID] == camp[cases[1][j].ID] {
						x += share
					} else {
						x += differ
					}
				}
				terms, picks = append(terms, x), append(picks, [2]int{i, j})
			}
		}
		z := logSumExp(terms)
		u, acc, pick := rng.Float64(), 0.0, picks[len(picks)-1]
		for i, x := range terms {
			acc += math.Exp(x - z)
			if u < acc {
				pick = picks[i]
				break
			}
		}
		// the candidates as RankGroup ranks them (their order, levels)
		ranked, err := m.RankGroup(traces, cases)
		require.NoError(t, err)
		ids, ps, truth := make([][]string, 2), make([][][3]float64, 2), []int{-1, -1}
		for k, rk := range ranked {
			for j, c := range rk {
				ids[k], ps[k] = append(ids[k], c.Case.ID), append(ps[k], parts[c.Case.ID])
				if pick[k] < len(cases[k]) && c.Case.ID == cases[k][pick[k]].ID {
					truth[k] = j
				}
			}
		}
		ev, err := matching.NewRequestEvidence(p, ids, ps).WithTogether(m, ranked)
		require.NoError(t, err)
		requests[r] = CalibrationRequest{Evidence: ev, True: truth}
	}
	start := want
	start.Together = 0
	scale := FitCalibrationTogether(start, true, requests)
	t.Logf("the scale alone: %+v (%d evaluations)", scale.Calibration, scale.Evaluations)
	require.InDelta(t, want.Together, scale.Calibration.Together, 0.15)
	require.Greater(t, scale.LL, scale.StartLL+0.005, "the factor explains the truth")

	all := FitCalibrationTogether(matching.DefaultCalibration, false, requests)
	t.Logf("the five: %+v (%d evaluations)", all.Calibration, all.Evaluations)
	require.Less(t, all.Evaluations, groupFitEvaluations, "converged")
	require.InDelta(t, want.Child, all.Calibration.Child, 0.05)
	require.InDelta(t, want.Family, all.Calibration.Family, 0.05)
	require.InDelta(t, want.Offset, all.Calibration.Offset, 0.4)
	require.InDelta(t, want.Together, all.Calibration.Together, 0.15)
}
