package quality

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

// distortionsOf names, per comparison, the prefixes of the generator's
// distortion notes (synthetic.Case.Distortions and the trace's and
// request's) that can lower that comparison's level for the true pair.
var distortionsOf = map[string][]string{
	"given_name":          {"given:", "swap"},
	"family_names":        {"middle:", "last:", "family_names:", "swap"},
	"other_names":         {"given:nickname_only"},
	"sex":                 {"sex:"},
	"age":                 {"age:", "dob:"},
	"origin":              {"nationality:", "language:", "religion:", "ethnicity:"},
	"location":            {"location_last:", "location_separation:"},
	"separation_location": {"location_last:", "location_separation:"},
	"separation_date":     {"separation_date:"},
	"separation_cause":    {"separation_cause:"},
	"inquirer_name":       {"inquirer:", "mother:", "father:", "other_relative:"},
	"inquirer_location":   {"inquirer_location:", "inquirer:moved"},
}

// missTally counts, for one class of misses, the comparisons on which the
// child weighs less than the case above it, the bits it loses there and
// the distortions the generator applied to those comparisons.
type missTally struct {
	n            int
	lost         map[string]int     // comparison -> misses where the child weighs less
	bits         map[string]float64 // comparison -> bits lost (top - child, where positive)
	undistorted  map[string]int     // comparison -> lost without any distortion of it (the look-alike agrees better)
	distortionOf map[string]map[string]int
	levels       map[string]map[string]int // comparison -> "child level | top level" where the child weighs less
	adjustment   float64                   // bits lost through the family adjustment
}

func newMissTally() *missTally {
	return &missTally{lost: map[string]int{}, bits: map[string]float64{}, undistorted: map[string]int{},
		distortionOf: map[string]map[string]int{}, levels: map[string]map[string]int{}}
}

// BenchmarkDiagnoseMisses is a diagnosis, not a figure of the report: it
// classifies every held-out trace whose child is registered but not ranked
// first (outside the candidates, cut by the pre-score, outranked by a
// brother or sister, by a child of another family of the same community,
// by an unrelated child), and for the outranked, on which comparisons the
// child weighs less than the case above it and which distortion of the
// generator made it so. Then the labels: true matches without `likely`
// (why), unregistered children's traces with one (by whom). Run with
// -quality.profile=A|B, -quality.cases, -quality.traces, -quality.prescore.
func BenchmarkDiagnoseMisses(b *testing.B) {
	p := synthetic.ProfileA()
	if *qualityProfile == "B" {
		p = synthetic.ProfileB()
	}
	var mu sync.Mutex
	classes := map[string]int{}
	tallies := map[string]*missTally{}
	ranks := map[string]int{}
	labels := map[string]int{}
	siblingCamp := map[string]int{}
	falseLikely := map[string]int{}
	falseWeights := map[string]float64{}
	registered, unregistered := 0, 0
	o := Options{Profile: p, Cases: *qualityCases, Traces: *qualityTraces, Seed: *qualitySeed, Logf: b.Logf,
		Prior: *qualityPrior, PreScore: *qualityPreScore,
		Inspect: func(in Inspection) {
			mu.Lock()
			defer mu.Unlock()
			var top *synthetic.Case
			if len(in.Ranked) > 0 {
				c := in.Case(in.Ranked[0].Case.ID)
				top = &c
			}
			relation := func(c *synthetic.Case) string {
				switch {
				case familyOf(c.ChildID) == familyOf(in.Trace.ChildID):
					return "a brother or sister"
				case c.Community == in.Trace.Community:
					return "another family of the community"
				default:
					return "an unrelated child"
				}
			}
			if in.Trace.CaseID == "" {
				unregistered++
				if top != nil && in.Ranked[0].Label == "likely" {
					falseLikely[relation(top)]++
					falseLikely["all"]++
					for _, f := range in.Ranked[0].Fields {
						falseWeights[f.Comparison] += f.Weight
					}
					falseWeights["family adjustment"] += in.Ranked[0].FamilyAdjustment
				}
				return
			}
			registered++
			rank := -1
			for i, c := range in.Ranked {
				if c.Case.ID == in.Trace.CaseID {
					rank = i
					break
				}
			}
			// Labels of the true match.
			switch {
			case rank == 0 && in.Ranked[0].Label == "likely":
				labels["likely, first"]++
			case rank == 0:
				none := 1.0
				second := 0.0
				for i, c := range in.Ranked {
					none -= c.Probability
					if i == 1 {
						second = c.Probability
					}
				}
				if none >= second {
					labels["first, not likely: the mass goes to none of the candidates"]++
				} else {
					labels["first, not likely: the mass goes to another candidate"]++
				}
			case rank > 0 && in.Ranked[rank].Label == "likely":
				labels["likely, not first"]++
			case rank > 0:
				labels["outranked"]++
			default:
				labels["not ranked"]++
			}
			if rank == 0 {
				return
			}
			if rank < 0 {
				class := "child outside the candidates"
				for _, c := range in.Candidates {
					if c.ID == in.Trace.CaseID {
						class = "child cut by the pre-score"
					}
				}
				classes[class]++
				return
			}
			class := "outranked by " + relation(top)
			classes[class]++
			switch {
			case rank == 1:
				ranks["2"]++
			case rank < 5:
				ranks["3-5"]++
			case rank < 10:
				ranks["6-10"]++
			default:
				ranks["over 10"]++
			}
			child := in.Ranked[rank]
			// The request's other children sought whose registration
			// is matchable: does the child live in a sibling's camp (the
			// case's current location), does the case ranked above it?
			camp := func(id string) any { return in.Case(id).Data["location_current"] }
			for _, o := range in.Request.Traces {
				if o.ID == in.Trace.ID || o.CaseID == "" {
					continue
				}
				sib := camp(o.CaseID)
				siblingCamp["outranked with a sibling's case"]++
				if camp(child.Case.ID) == sib {
					siblingCamp["  the child in the sibling's camp"]++
				}
				if camp(in.Ranked[0].Case.ID) == sib {
					siblingCamp["  the case above it in the sibling's camp"]++
				}
				break
			}
			notes := map[string]bool{}
			for side, ns := range map[string][]string{"trace": in.Trace.Distortions, "request": in.Request.Distortions,
				"case": in.Case(child.Case.ID).Distortions} {
				for _, n := range ns {
					notes[side+" "+n] = true
				}
			}
			for _, key := range []string{class, "all outranked"} {
				t := tallies[key]
				if t == nil {
					t = newMissTally()
					tallies[key] = t
				}
				t.n++
				t.adjustment += in.Ranked[0].FamilyAdjustment - child.FamilyAdjustment
				for i, f := range child.Fields {
					d := in.Ranked[0].Fields[i].Weight - f.Weight
					if d <= 0.01 {
						continue
					}
					t.lost[f.Comparison]++
					if t.levels[f.Comparison] == nil {
						t.levels[f.Comparison] = map[string]int{}
					}
					pair := f.Level + " | " + in.Ranked[0].Fields[i].Level
					if f.Comparison == "given_name" && scriptOf(in.Trace.Row["name_first"]) != scriptOf(in.Case(child.Case.ID).Data["name_first"]) {
						pair += " (scripts differ)"
					}
					t.levels[f.Comparison][pair]++
					t.bits[f.Comparison] += d
					distorted := false
					for n := range notes {
						_, note, _ := strings.Cut(n, " ")
						for _, prefix := range distortionsOf[f.Comparison] {
							if strings.HasPrefix(note, prefix) {
								distorted = true
								if t.distortionOf[f.Comparison] == nil {
									t.distortionOf[f.Comparison] = map[string]int{}
								}
								t.distortionOf[f.Comparison][n]++
							}
						}
					}
					if !distorted {
						t.undistorted[f.Comparison]++
					}
				}
			}
		}}
	res := runB(b, o)
	var out strings.Builder
	out.WriteString(res.Report())
	missed := 0
	for _, v := range classes {
		missed += v
	}
	fmt.Fprintf(&out, "profile %s, %d cases: %d held-out traces whose child is registered, %d not ranked first (%.3f)\n",
		p.Name, *qualityCases, registered, missed, float64(missed)/float64(max(registered, 1)))
	printCounts(&out, "miss classes", classes, registered)
	printCounts(&out, "rank of the outranked child", ranks, registered)
	printCounts(&out, "outranked children sought with a brother or sister whose case is matchable", siblingCamp, registered)
	for _, key := range sortedKeys(tallies) {
		t := tallies[key]
		fmt.Fprintf(&out, "\n%s (%d): bits lost through the family adjustment %.1f per miss\n", key, t.n, t.adjustment/float64(t.n))
		comps := sortedKeys(t.lost)
		sort.SliceStable(comps, func(i, j int) bool { return t.bits[comps[i]] > t.bits[comps[j]] })
		for _, c := range comps {
			fmt.Fprintf(&out, "  %-18s child weighs less in %5d (%.2f), %.2f bits per miss; without a distortion of it %d;",
				c, t.lost[c], float64(t.lost[c])/float64(t.n), t.bits[c]/float64(t.n), t.undistorted[c])
			printMost(&out, t.distortionOf[c], 6)
			out.WriteString("\n    levels (child | top):")
			printMost(&out, t.levels[c], 6)
			out.WriteString("\n")
		}
	}
	fmt.Fprintf(&out, "\nlabels of the true match (%d):\n", registered)
	printCounts(&out, "", labels, registered)
	nFalse := falseLikely["all"]
	fmt.Fprintf(&out, "\nunregistered children's traces %d, with a `likely` %d (%.3f), the likely case is:\n",
		unregistered, nFalse, float64(nFalse)/float64(max(unregistered, 1)))
	delete(falseLikely, "all")
	printCounts(&out, "", falseLikely, unregistered)
	out.WriteString("  mean weight of the false `likely` per comparison (bits):")
	for _, c := range sortedKeys(falseWeights) {
		fmt.Fprintf(&out, " %s %.1f;", c, falseWeights[c]/float64(max(1, nFalse)))
	}
	out.WriteString("\n")
	fmt.Fprintln(os.Stdout, out.String())
}

// scriptOf says whether a name is written in Arabic script.
func scriptOf(v any) string {
	s, _ := v.(string)
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			return "arabic"
		}
	}
	return "latin"
}

func printCounts(out *strings.Builder, title string, m map[string]int, of int) {
	if title != "" {
		fmt.Fprintf(out, "%s:\n", title)
	}
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
	for _, k := range keys {
		fmt.Fprintf(out, "  %-62s %5d (%.3f)\n", k, m[k], float64(m[k])/float64(max(of, 1)))
	}
}

// printMost prints the n most frequent of counts, most first (ties by
// name), as " name count;".
func printMost(out *strings.Builder, counts map[string]int, n int) {
	ks := sortedKeys(counts)
	sort.SliceStable(ks, func(i, j int) bool { return counts[ks[i]] > counts[ks[j]] })
	for _, k := range ks[:min(n, len(ks))] {
		fmt.Fprintf(out, " %s %d;", k, counts[k])
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// BenchmarkDiagnoseTruePairs is a diagnosis, not a figure of the report:
// the levels of every trace with its own registration (no scoring, no
// estimation), per comparison, with examples of given names the true pair
// disagrees on. Run with -quality.profile and -quality.cases.
func BenchmarkDiagnoseTruePairs(b *testing.B) {
	p := synthetic.ProfileA()
	if *qualityProfile == "B" {
		p = synthetic.ProfileB()
	}
	for range b.N {
		ds := synthetic.Generate(synthetic.Options{Profile: p, Cases: *qualityCases, Traces: *qualityTraces * 2,
			Seed: *qualitySeed, EvaluationShare: 0.5})
		m, err := matching.NewMatcher(matching.DefaultConfiguration(), ds.Locations, ds.Today)
		if err != nil {
			b.Fatal(err)
		}
		byID := map[string]synthetic.Case{}
		for _, c := range ds.Cases {
			byID[c.ID] = c
		}
		cfg := m.Configuration()
		counts := make([]map[string]int, len(cfg.Comparisons))
		for i := range counts {
			counts[i] = map[string]int{}
		}
		var examples []string
		n := 0
		for _, r := range ds.Requests {
			for _, t := range r.Traces {
				if t.CaseID == "" {
					continue
				}
				n++
				c := byID[t.CaseID]
				v := m.Vector(m.NewTrace(t.ID, r.Data, t.Row), m.NewCase(c.ID, c.Data))
				for i, cmp := range cfg.Comparisons {
					counts[i][cmp.Levels()[v[i]]]++
				}
				if cfg.Comparisons[0].Levels()[v[0]] == "different" && len(examples) < 40 {
					examples = append(examples, fmt.Sprintf("%v / %v (%v | %v)", t.Row["name_first"], c.Data["name_first"],
						t.Distortions, c.Distortions))
				}
			}
		}
		var out strings.Builder
		fmt.Fprintf(&out, "profile %s: %d traces with their own registration\n", p.Name, n)
		for i, cmp := range cfg.Comparisons {
			fmt.Fprintf(&out, "  %-18s", cmp.Name)
			for _, l := range cmp.Levels() {
				fmt.Fprintf(&out, " %s %.3f;", l, float64(counts[i][l])/float64(n))
			}
			out.WriteString("\n")
		}
		out.WriteString(strings.Join(examples, "\n"))
		fmt.Println(out.String())
	}
}
