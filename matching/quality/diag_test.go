package quality

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

var (
	diagExamples = flag.Int("diag.examples", 15, "examples printed by BenchmarkDiagnoseRecall")
	diagMinRank  = flag.Int("diag.minrank", 2, "BenchmarkDiagnoseRecall prints examples of children ranked at or past this rank only")
)

// BenchmarkDiagnoseRecall is a diagnosis, not a figure of the report: for
// each held-out trace whose child is among its candidates but not ranked
// first, it compares, comparison by comparison, the level of the child
// with that of the case ranked above it, and counts the pairs of levels
// (what the look-alike agrees on that the child does not). Run with
// -quality.profile=A|B and -quality.cases/-quality.traces.
func BenchmarkDiagnoseRecall(b *testing.B) {
	p := synthetic.ProfileA()
	if *qualityProfile == "B" {
		p = synthetic.ProfileB()
	}
	var mu sync.Mutex
	pairs := map[string]map[string]int{} // comparison -> "child level > top level" -> count
	var examples []string
	missed, sibling, total := 0, 0, 0
	o := Options{Profile: p, Cases: *qualityCases, Traces: *qualityTraces, Seed: *qualitySeed, Logf: b.Logf, Prior: *qualityPrior,
		Inspect: func(in Inspection) {
			if in.Trace.CaseID == "" {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			total++
			rank := -1
			for i, c := range in.Ranked {
				if c.Case.ID == in.Trace.CaseID {
					rank = i
					break
				}
			}
			if rank <= 0 {
				return
			}
			missed++
			top, child := in.Ranked[0], in.Ranked[rank]
			if familyOf(in.Case(top.Case.ID).ChildID) == familyOf(in.Trace.ChildID) {
				sibling++
			}
			var ex strings.Builder
			fmt.Fprintf(&ex, "trace %s rank %d: top p=%.3f w=%.1f, child p=%.3f w=%.1f (adj top %.1f child %.1f)\n",
				in.Trace.ID, rank+1, top.Probability, top.Weight, child.Probability, child.Weight,
				top.FamilyAdjustment, child.FamilyAdjustment)
			for i, f := range child.Fields {
				t := top.Fields[i]
				if pairs[f.Comparison] == nil {
					pairs[f.Comparison] = map[string]int{}
				}
				pairs[f.Comparison][f.Level+" | "+t.Level]++
				fmt.Fprintf(&ex, "  %-18s child %-20s %6.1f   top %-20s %6.1f\n", f.Comparison, f.Level, f.Weight, t.Level, t.Weight)
			}
			if len(examples) < *diagExamples && rank+1 >= *diagMinRank {
				fmt.Fprintf(&ex, "  trace %v\n  request %v\n  child %v\n  top %v\n", in.Trace.Row, trimmed(in.Request.Data),
					trimmed(in.Case(child.Case.ID).Data), trimmed(in.Case(top.Case.ID).Data))
				examples = append(examples, ex.String())
			}
		}}
	for range b.N {
		if _, err := Run(o); err != nil {
			b.Fatal(err)
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "registered held-out traces %d, child among candidates but not first %d (top a sibling %d)\n\n",
		total, missed, sibling)
	var comps []string
	for c := range pairs {
		comps = append(comps, c)
	}
	sort.Strings(comps)
	for _, c := range comps {
		type kv struct {
			k string
			v int
		}
		var kvs []kv
		for k, v := range pairs[c] {
			kvs = append(kvs, kv{k, v})
		}
		sort.Slice(kvs, func(i, j int) bool { return kvs[i].v > kvs[j].v })
		fmt.Fprintf(&out, "%s (child | top):", c)
		for i, x := range kvs {
			if i == 8 {
				break
			}
			fmt.Fprintf(&out, " %s: %d;", x.k, x.v)
		}
		out.WriteString("\n")
	}
	out.WriteString("\n" + strings.Join(examples, "\n"))
	fmt.Fprintln(os.Stdout, out.String())
}

func trimmed(d map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range d {
		switch k {
		case "consent_for_tracing", "registration_date", "status":
			continue
		}
		out[k] = v
	}
	return out
}

// BenchmarkDiagnoseNameCombinations is a diagnosis, not a figure of the
// report: are a given name and the family names independent by chance, as
// u's product of their term frequencies assumes? Among 1,000,000 random
// pairs of a trace whose child is not registered and a case (no true
// match; both with a given name and family names), it compares the share
// agreeing (exact or phonetic) on both with the product of the shares
// agreeing on each, over all pairs and over pairs of one community (origin
// all_equal). Run with -quality.cases (the traces: a tenth of the cases).
func BenchmarkDiagnoseNameCombinations(b *testing.B) {
	for range b.N {
		for _, p := range []synthetic.Profile{synthetic.ProfileA(), synthetic.ProfileB()} {
			ds := synthetic.Generate(synthetic.Options{Profile: p, Cases: *qualityCases, Traces: *qualityCases / 10,
				Seed: *qualitySeed, EvaluationShare: 0.5})
			m, err := matching.NewMatcher(matching.DefaultConfiguration(), ds.Locations, ds.Today)
			if err != nil {
				b.Fatal(err)
			}
			var pool, traces []*matching.Subject
			for _, c := range ds.Cases {
				if c.Consent {
					pool = append(pool, m.NewCase(c.ID, c.Data))
				}
			}
			for _, r := range ds.Requests {
				for _, t := range r.Traces {
					if t.CaseID == "" {
						traces = append(traces, m.NewTrace(t.ID, r.Data, t.Row))
					}
				}
			}
			cfg := m.Configuration()
			index := func(name string) int {
				for i, c := range cfg.Comparisons {
					if c.Name == name {
						return i
					}
				}
				b.Fatalf("no comparison %s", name)
				return -1
			}
			given, family, origin := index("given_name"), index("family_names"), index("origin")
			agrees := func(levels []string, l uint8) bool { return levels[l] == "exact" || levels[l] == "phonetic" }
			type counts struct{ n, g, f, gf float64 }
			var all, community counts
			rng := rand.New(rand.NewPCG(*qualitySeed, 2))
			for range 1_000_000 {
				v := m.Vector(traces[rng.IntN(len(traces))], pool[rng.IntN(len(pool))])
				if v[given] == 0 || v[family] == 0 {
					continue
				}
				ga := agrees(cfg.Comparisons[given].Levels(), v[given])
				fa := agrees(cfg.Comparisons[family].Levels(), v[family])
				add := func(c *counts) {
					c.n++
					if ga {
						c.g++
					}
					if fa {
						c.f++
					}
					if ga && fa {
						c.gf++
					}
				}
				add(&all)
				if cfg.Comparisons[origin].Levels()[v[origin]] == "all_equal" {
					add(&community)
				}
			}
			for _, c := range []struct {
				name string
				c    counts
			}{{"all pairs", all}, {"one community", community}} {
				g, f, gf := c.c.g/c.c.n, c.c.f/c.c.n, c.c.gf/c.c.n
				fmt.Printf("profile %s, %s (%.0f pairs): given %.5f, family %.5f, both %.6f, product %.6f, ratio %.2f\n",
					p.Name, c.name, c.c.n, g, f, gf, g*f, gf/(g*f))
			}
		}
	}
}

// diagnosisData is the data set of -quality.profile, -quality.cases and
// -quality.traces as BenchmarkQuality generates it (estimation and
// held-out traces, half of them evaluated), with a matcher of the default
// configuration for it.
func diagnosisData(b *testing.B) (synthetic.Profile, *synthetic.Dataset, *matching.Matcher) {
	p := diagnosisProfile()
	ds := synthetic.Generate(synthetic.Options{Profile: p, Cases: *qualityCases, Traces: *qualityTraces*2 + *qualityTraces/5,
		Seed: *qualitySeed, EvaluationShare: 0.5})
	m, err := matching.NewMatcher(matching.DefaultConfiguration(), ds.Locations, ds.Today)
	if err != nil {
		b.Fatal(err)
	}
	return p, ds, m
}

// diagnosisProfile is the profile of -quality.profile: B, else A.
func diagnosisProfile() synthetic.Profile {
	if *qualityProfile == "B" {
		return synthetic.ProfileB()
	}
	return synthetic.ProfileA()
}

// runAndScorer runs o b.N times (the diagnoses' timed part) and returns the
// last run's result with m scoring by its estimated parameters.
func runAndScorer(b *testing.B, m *matching.Matcher, o Options) (*Result, *matching.Matcher) {
	b.Helper()
	res := runB(b, o)
	scorer, err := m.WithParameters(res.Parameters)
	if err != nil {
		b.Fatal(err)
	}
	return res, scorer
}

// runB runs the quality harness b.N times with o (a diagnosis's
// observers see every run) and returns the last run's result.
func runB(b *testing.B, o Options) *Result {
	b.Helper()
	var res *Result
	for range b.N {
		var err error
		if res, err = Run(o); err != nil {
			b.Fatal(err)
		}
	}
	return res
}
