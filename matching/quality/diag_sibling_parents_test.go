package quality

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/names"
)

// siblingParentsTop is how many of each trace's best candidates the
// diagnosis re-ranks and pairs with the other traces' candidates.
const siblingParentsTop = 60

// parentLevels are the levels of a pair of cases' parents: how many of
// the father and the mother both cases name with a given name of one
// phonetic key (0, 1 or 2).
const parentLevels = 3

// rankedTrace is a trace's best candidates as ranked, for a diagnosis of
// its request's traces together.
type rankedTrace struct {
	req, caseID string
	ids         []string
	prob        []float64
	// parents are each candidate's father's and mother's given names'
	// phonetic keys (nil: none written)
	parents [][2][]string
}

// BenchmarkDiagnoseSiblingParents is a diagnosis, not a figure of the
// report: the headroom of weighing a request's traces by their candidates'
// own registrations of the parents. Brothers and sisters registered apart
// name one father and one mother, written by different people; two
// look-alikes of two traces seldom do. The factor between two traces'
// candidates weighs A_l/C_l, l how many of the two parents both cases name
// alike (parentLevel), A the share among the pairs of each trace's best
// (weighed by their posteriors) and C among the best with the other
// trace's others, both counted on the estimation traces without their
// truth, as Together's are (Estimate). The held-out traces' best
// siblingParentsTop are then re-ranked by one round of the factor's
// messages, at two scales, and recall@1 and @10 compared with the ranking
// as main's. Run with -quality.profile, -quality.cases, -quality.traces,
// -quality.prescore.
func BenchmarkDiagnoseSiblingParents(b *testing.B) {
	p := diagnosisProfile()
	for range b.N {
		var estimation, heldOut []rankedTrace
		collect := func(into *[]rankedTrace) func(Inspection) {
			return func(in Inspection) {
				rt := rankedTrace{req: in.Request.ID, caseID: in.Trace.CaseID}
				for _, c := range in.Ranked[:min(len(in.Ranked), siblingParentsTop)] {
					rt.ids = append(rt.ids, c.Case.ID)
					rt.prob = append(rt.prob, c.Probability)
					rt.parents = append(rt.parents, parentKeys(in.Case(c.Case.ID).Data))
				}
				*into = append(*into, rt)
			}
		}
		o := Options{Profile: p, Cases: *qualityCases, Traces: *qualityTraces, Seed: *qualitySeed, Logf: b.Logf,
			Prior: *qualityPrior, PreScore: *qualityPreScore, NoFit: true,
			Inspect: collect(&heldOut), InspectEstimation: collect(&estimation)}
		res, err := Run(o)
		if err != nil {
			b.Fatal(err)
		}
		agree, chance := parentShares(byRequest(estimation))
		var out strings.Builder
		fmt.Fprintf(&out, "%s\nprofile %s, %d cases: %s\n", res.Dataset, p.Name, *qualityCases, metricsLine(res.Model))
		fmt.Fprintf(&out, "parents named alike (0, 1, 2): agree %.4f %.4f %.4f, chance %.4f %.4f %.4f\n",
			agree[0], agree[1], agree[2], chance[0], chance[1], chance[2])
		groups := byRequest(heldOut)
		base := recallOf(groups, nil)
		fmt.Fprintf(&out, "as main: %s\n", base)
		for _, scale := range []float64{0.25, 0.5, 1} {
			var w [parentLevels]float64
			for l := range w {
				w[l] = scale * math.Log(agree[l]/chance[l])
			}
			fmt.Fprintf(&out, "scale %.2f (weights %.2f %.2f %.2f): %s\n", scale, w[0], w[1], w[2], recallOf(groups, &w))
		}
		fmt.Fprintln(os.Stdout, out.String())
	}
}

// parentKeys returns the phonetic keys of the given names of a case's
// father and mother (family_details_section).
func parentKeys(data map[string]any) (out [2][]string) {
	for _, row := range rowsOf(data["family_details_section"]) {
		k := -1
		switch row["relation"] {
		case "father":
			k = 0
		case "mother":
			k = 1
		}
		name, _ := row["relation_name"].(string)
		if k < 0 || out[k] != nil || name == "" {
			continue
		}
		if tk := names.TokenKeys(name); len(tk) > 0 && len(tk[0]) > 0 {
			out[k] = tk[0]
		}
	}
	return out
}

// parentLevel is how many of the two parents both name alike.
func parentLevel(a, b [2][]string) int {
	l := 0
	for k := range a {
		if slices.ContainsFunc(a[k], func(x string) bool { return slices.Contains(b[k], x) }) {
			l++
		}
	}
	return l
}

// byRequest groups traces (in their request's order) by request.
func byRequest(ts []rankedTrace) [][]rankedTrace {
	var out [][]rankedTrace
	for i, t := range ts {
		if i > 0 && ts[i-1].req == t.req {
			out[len(out)-1] = append(out[len(out)-1], t)
		} else {
			out = append(out, []rankedTrace{t})
		}
	}
	return out
}

// parentShares counts, over every two traces of a request, the level of
// their best candidates (weighed by the product of their probabilities:
// agree) and of each best with the other's others (chance), as shares,
// each shrunk by PriorWeight towards the share over every pair.
func parentShares(groups [][]rankedTrace) (agree, chance [parentLevels]float64) {
	var a, c, all [parentLevels]float64
	for _, g := range groups {
		for t := range g {
			for u := t + 1; u < len(g); u++ {
				x, y := g[t], g[u]
				if len(x.ids) == 0 || len(y.ids) == 0 {
					continue
				}
				a[parentLevel(x.parents[0], y.parents[0])] += x.prob[0] * y.prob[0]
				for j := 1; j < len(y.ids); j++ {
					if y.ids[j] != x.ids[0] {
						c[parentLevel(x.parents[0], y.parents[j])] += x.prob[0] * y.prob[j]
					}
				}
				for i := 1; i < len(x.ids); i++ {
					if x.ids[i] != y.ids[0] {
						c[parentLevel(x.parents[i], y.parents[0])] += x.prob[i] * y.prob[0]
					}
				}
				for i := range x.ids {
					for j := range y.ids {
						if x.ids[i] != y.ids[j] {
							all[parentLevel(x.parents[i], y.parents[j])]++
						}
					}
				}
			}
		}
	}
	shares := func(v [parentLevels]float64) (s [parentLevels]float64) {
		tot := v[0] + v[1] + v[2]
		for l := range v {
			s[l] = (v[l] + 0.5) / (tot + parentLevels*0.5)
		}
		return s
	}
	base := shares(all)
	cs, as := shares(c), shares(a)
	ct, at := c[0]+c[1]+c[2], a[0]+a[1]+a[2]
	for l := range chance {
		chance[l] = (cs[l]*ct + matching.PriorWeight*base[l]) / (ct + matching.PriorWeight)
		agree[l] = (as[l]*at + matching.PriorWeight*chance[l]) / (at + matching.PriorWeight)
	}
	return agree, chance
}

// recallOf re-ranks each request's traces' best candidates by one round of
// the parents' factor weighed by w (nil: as ranked) and returns recall@1
// and @10 of the traces whose child is registered.
func recallOf(groups [][]rankedTrace, w *[parentLevels]float64) string {
	var reg, at1, at10, moved int
	for _, g := range groups {
		for t, x := range g {
			if x.caseID == "" {
				continue
			}
			reg++
			score := make([]float64, len(x.ids))
			for i := range x.ids {
				score[i] = math.Log(max(x.prob[i], 1e-300))
				if w == nil {
					continue
				}
				for u, y := range g {
					if u == t {
						continue
					}
					m := 1.0 // the other trace's mass beyond its best and none weigh 1
					for j := range y.ids {
						if y.ids[j] != x.ids[i] {
							m += y.prob[j] * (math.Exp(w[parentLevel(x.parents[i], y.parents[j])]) - 1)
						}
					}
					score[i] += math.Log(max(m, 1e-300))
				}
			}
			rank := 0
			if k := slices.Index(x.ids, x.caseID); k >= 0 {
				rank = 1
				for i := range score {
					if i != k && (score[i] > score[k] || score[i] == score[k] && i < k) {
						rank++
					}
				}
				if rank != k+1 {
					moved++
				}
			}
			if rank == 1 {
				at1++
			}
			if rank >= 1 && rank <= 10 {
				at10++
			}
		}
	}
	return fmt.Sprintf("recall@1 %.4f (%d), @10 %.4f (%d) of %d registered; %d children moved",
		float64(at1)/float64(reg), at1, float64(at10)/float64(reg), at10, reg, moved)
}

// TestSiblingParentsDiagnosisTools: parents named alike by key count per
// parent, in either script; recall counts a child re-ranked above a
// look-alike by a brother's case that names its parents.
func TestSiblingParentsDiagnosisTools(t *testing.T) {
	omar := parentKeys(map[string]any{"family_details_section": []any{
		map[string]any{"relation": "father", "relation_name": "Omar Mohamad Omar"},
		map[string]any{"relation": "mother", "relation_name": "Yasmin Omar"}}})
	oumar := parentKeys(map[string]any{"family_details_section": []any{
		map[string]any{"relation": "mother", "relation_name": "Yasmine Oumar"},
		map[string]any{"relation": "father", "relation_name": "عمر محمد"}}})
	other := parentKeys(map[string]any{"family_details_section": []any{
		map[string]any{"relation": "father", "relation_name": "Hassan Ali"}}})
	require.Equal(t, 2, parentLevel(omar, oumar))
	require.Equal(t, 0, parentLevel(omar, other))
	require.Equal(t, 0, parentLevel(omar, [2][]string{}))

	g := [][]rankedTrace{{
		{req: "r", caseID: "yasin", ids: []string{"look", "yasin"}, prob: []float64{0.5, 0.4},
			parents: [][2][]string{other, omar}},
		{req: "r", caseID: "amina", ids: []string{"amina"}, prob: []float64{0.9}, parents: [][2][]string{oumar}},
	}}
	require.Contains(t, recallOf(g, nil), "recall@1 0.5000 (1)")
	w := [parentLevels]float64{-0.1, 1, 3}
	require.Contains(t, recallOf(g, &w), "recall@1 1.0000 (2)")
}
