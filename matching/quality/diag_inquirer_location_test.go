package quality

import (
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
)

// BenchmarkDiagnoseInquirerLocation is a diagnosis, not a figure of the
// report: the headroom of comparing the inquirer's location with the case's
// row of the inquirer's relation only (a mother's camp with the mother's
// row; no such row with a camp: missing) instead of with every family row.
// For every held-out trace whose child is ranked, each ranked candidate's
// inquirer_location level is recomputed that way and its weight replaced,
// with the model's weights per level and with weights counted on the truth
// (m on the true pairs, u on the other blocked candidates: what estimation
// would come near); the trace is then ranked by weight. It reports how many
// children would move to first and how many would lose first place. Run
// with -quality.profile, -quality.cases, -quality.traces, -quality.prescore.
func BenchmarkDiagnoseInquirerLocation(b *testing.B) {
	p, _, m := diagnosisData(b)
	idx := -1
	for i, c := range m.Configuration().Comparisons {
		if c.Name == "inquirer_location" {
			idx = i
		}
	}
	levels := m.Configuration().Comparisons[idx].Levels()
	// rowsOf is the case data the comparison reads (its family rows: the
	// rest is left out, so that a case is read quickly), with only the rows
	// of the trace's relation when relation is not "".
	rowsOf := func(data map[string]any, relation string) map[string]any {
		rows, _ := data["family_details_section"].([]any)
		var keep []any
		for _, r := range rows {
			if row, ok := r.(map[string]any); ok && (relation == "" || row["relation"] == relation) {
				keep = append(keep, r)
			}
		}
		return map[string]any{"family_details_section": keep}
	}
	type ranked struct {
		weight        float64 // without inquirer_location
		old, new      uint8
		child, family bool
	}
	type trace struct{ cands []ranked }
	var (
		mu        sync.Mutex
		traces    []trace
		modelW    = map[string]float64{}
		mOld      = make([]float64, len(levels))
		mNew      = make([]float64, len(levels))
		uOld      = make([]float64, len(levels))
		uNew      = make([]float64, len(levels))
		registrd  int
		relations = map[string]int{}
	)
	o := Options{Profile: p, Cases: *qualityCases, Traces: *qualityTraces, Seed: *qualitySeed, Logf: b.Logf,
		Prior: *qualityPrior, PreScore: *qualityPreScore, NoFit: true,
		Inspect: func(in Inspection) {
			if in.Trace.CaseID == "" {
				return
			}
			relation, _ := in.Trace.Row["relation"].(string)
			t := m.NewTrace(in.Trace.ID, in.Request.Data, in.Trace.Row)
			levelsOf := func(id string) (uint8, uint8) {
				data := in.Case(id).Data
				return m.Vector(t, m.NewCase(id, rowsOf(data, "")))[idx], m.Vector(t, m.NewCase(id, rowsOf(data, relation)))[idx]
			}
			var tr trace
			for _, c := range in.Ranked {
				r := ranked{weight: c.Weight, child: c.Case.ID == in.Trace.CaseID,
					family: familyOf(in.Case(c.Case.ID).ChildID) == familyOf(in.Trace.ChildID)}
				for _, f := range c.Fields {
					if f.Comparison == "inquirer_location" {
						r.weight -= f.Weight
						mu.Lock()
						modelW[f.Level] = f.Weight
						mu.Unlock()
					}
				}
				r.old, r.new = levelsOf(c.Case.ID)
				tr.cands = append(tr.cands, r)
			}
			mu.Lock()
			defer mu.Unlock()
			registrd++
			relations[relation]++
			co, cn := levelsOf(in.Trace.CaseID)
			mOld[co]++
			mNew[cn]++
			for _, c := range in.Candidates {
				if familyOf(in.Case(c.ID).ChildID) == familyOf(in.Trace.ChildID) {
					continue
				}
				lo, ln := levelsOf(c.ID)
				uOld[lo]++
				uNew[ln]++
			}
			traces = append(traces, tr)
		}}
	for range b.N {
		if _, err := Run(o); err != nil {
			b.Fatal(err)
		}
	}
	share := func(c []float64) []float64 {
		s := 0.0
		for _, x := range c {
			s += x
		}
		out := make([]float64, len(c))
		for i, x := range c {
			out[i] = x / s
		}
		return out
	}
	counted := func(mc, uc []float64) []float64 {
		ms, us := share(mc), share(uc)
		w := make([]float64, len(mc))
		for l := 1; l < len(w); l++ {
			w[l] = math.Log2(max(ms[l], 1e-6) / max(us[l], 1e-6))
		}
		return w
	}
	var out strings.Builder
	fmt.Fprintf(&out, "profile %s, %d cases: %d held-out traces whose child is registered; inquirers %v\n",
		p.Name, *qualityCases, registrd, relations)
	for _, x := range []struct {
		name string
		c    []float64
	}{{"true pairs, every row", mOld}, {"true pairs, the relation's row", mNew},
		{"other blocked candidates, every row", uOld}, {"other blocked candidates, the relation's row", uNew}} {
		fmt.Fprintf(&out, "  %-46s", x.name)
		for l, s := range share(x.c) {
			fmt.Fprintf(&out, " %s %.3f;", levels[l], s)
		}
		out.WriteString("\n")
	}
	wModel := make([]float64, len(levels))
	for l, name := range levels {
		wModel[l] = modelW[name]
	}
	wOld, wNew := counted(mOld, uOld), counted(mNew, uNew)
	fmt.Fprintf(&out, "  weights: model %.2f; counted, every row %.2f; counted, the relation's row %.2f\n", wModel, wOld, wNew)
	first := func(tr trace, w []float64, useNew bool) (child, family bool) {
		best, bi := math.Inf(-1), -1
		for i, c := range tr.cands {
			l := c.old
			if useNew {
				l = c.new
			}
			if s := c.weight + w[l]; s > best {
				best, bi = s, i
			}
		}
		return bi >= 0 && tr.cands[bi].child, bi >= 0 && tr.cands[bi].family
	}
	for _, v := range []struct {
		name      string
		base, alt []float64
	}{{"model's weights, new levels", wModel, wModel}, {"counted weights", wOld, wNew}} {
		gain, loss, base := 0, 0, 0
		for _, tr := range traces {
			was, _ := first(tr, v.base, false)
			is, _ := first(tr, v.alt, true)
			if was {
				base++
			}
			switch {
			case is && !was:
				gain++
			case was && !is:
				loss++
			}
		}
		fmt.Fprintf(&out, "  %-28s first by weight %d (%.3f); gain %d, lose %d: recall@1 %+.4f\n", v.name, base,
			float64(base)/float64(registrd), gain, loss, float64(gain-loss)/float64(registrd))
	}
	fmt.Fprintln(os.Stdout, out.String())
}
