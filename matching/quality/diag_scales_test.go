package quality

import (
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

var (
	diagScalesFits = flag.String("diag.fits", "", "BenchmarkDiagnoseScales: profile A writes its fits to this file, "+
		"profile B run alone reads them from it (waiting until it is written)")
	diagScalesRead = flag.Bool("diag.readfits", false, "BenchmarkDiagnoseScales: every profile reads the fits from -diag.fits "+
		"(e.g. fitted on fewer cases, as matching.DefaultCalibration is) instead of profile A fitting them")
)

// scalesTrace is one trace's ranked candidates (those the pre-score kept,
// best first as ranked) as the scales' diagnosis reads them: per candidate
// the field weight of each comparison and the family adjustment, in nats
// (features: comparisons + 1 per candidate).
type scalesTrace struct {
	x                   []float64
	child               int // the child's candidate, -1: not among them
	registered, sibling bool
	candidates          int
}

// scalesGrouping sums comparisons' field weights into groups, each with
// its own scale; the family adjustment is always a group of its own, last.
type scalesGrouping struct {
	name   string
	groups []string
	of     []int // comparison -> group
}

// scalesFit is a grouping's scales and offset fitted on profile A's
// estimation traces.
type scalesFit struct {
	Name   string    `json:"name"`
	Groups []string  `json:"groups"`
	Of     []int     `json:"of"`
	Theta  []float64 `json:"theta"` // the groups' scales, the adjustment's, the offset
	LL     float64   `json:"ll"`    // mean log likelihood of the estimation traces' truth
}

// scalesGroupings are the recombinations compared: the calibration's
// (the child's own comparisons, the family's), small groups, and one scale
// per comparison.
func scalesGroupings(cfg matching.Configuration) []scalesGrouping {
	calib := scalesGrouping{name: "calibration: child, family", groups: []string{"child", "family"}}
	small := scalesGrouping{name: "7 groups", groups: []string{"names", "relatives", "places", "dates", "categories", "age", "sex"}}
	each := scalesGrouping{name: "each comparison"}
	for i, c := range cfg.Comparisons {
		calib.of = append(calib.of, map[bool]int{false: 0, true: 1}[c.SharedBySiblings])
		var g string
		switch c.Kind {
		case matching.KindName:
			g = "names"
		case matching.KindRelativeName:
			g = "relatives"
		case matching.KindLocation:
			g = "places"
		case matching.KindDate:
			g = "dates"
		case matching.KindCategories:
			g = "categories"
		case matching.KindAge:
			g = "age"
		case matching.KindCategory:
			g = map[bool]string{false: "sex", true: "categories"}[c.Name == "separation_cause"]
		}
		small.of = append(small.of, slices.Index(small.groups, g))
		each.groups = append(each.groups, c.Name)
		each.of = append(each.of, i)
	}
	return []scalesGrouping{calib, small, each}
}

// features returns the traces' candidates with the grouping's features.
func (g scalesGrouping) features(ts []scalesTrace, comparisons int) []logitTrace {
	d := len(g.groups) + 1
	out := make([]logitTrace, len(ts))
	for i, t := range ts {
		rows := len(t.x) / (comparisons + 1)
		x := make([]float64, rows*d)
		for r := range rows {
			src := t.x[r*(comparisons+1) : (r+1)*(comparisons+1)]
			for k, w := range src[:comparisons] {
				x[r*d+g.of[k]] += w
			}
			x[r*d+d-1] = src[comparisons]
		}
		out[i] = logitTrace{X: x, True: t.child}
	}
	return out
}

// BenchmarkDiagnoseScales is a diagnosis, not a figure of the report: would
// a scale per comparison (or per small group of comparisons), fitted by
// maximum likelihood as the calibration's three scales are, rank and label
// better? Profile A's estimation traces are ranked by the estimated
// parameters (the pre-score keeps -quality.prescore candidates; a
// candidate it drops is not re-ranked, a child it drops counts as none of
// them), each grouping's scales and offset are fitted on them, and the
// held-out traces are ranked again by each fit from their ranked
// candidates' field weights (one trace at a time: the single-trace
// posterior the fit assumes, not the tracing request's). Profile B's
// held-out traces are ranked by A's fits, never fitted on. The product's
// own figures (its calibration, the request's traces together) and its
// calibration on the same candidates one trace at a time are beside them.
// Run with -quality.profile=A, then B with -diag.fits (both at once), or
// both profiles in one run (no -quality.profile), and -quality.cases,
// -quality.traces, -quality.prescore (-quality.calibration as
// BenchmarkQuality); -diag.readfits ranks with fits made by an earlier run
// (of fewer cases).
func BenchmarkDiagnoseScales(b *testing.B) {
	profiles := []synthetic.Profile{synthetic.ProfileA(), synthetic.ProfileB()}
	if *qualityProfile != "" {
		profiles = []synthetic.Profile{diagnosisProfile()}
	}
	cfg := matching.DefaultConfiguration()
	comparisons := len(cfg.Comparisons)
	groupings := scalesGroupings(cfg)
	collect := func(into *[]scalesTrace) func(Inspection) {
		return func(in Inspection) {
			t := scalesTrace{x: make([]float64, 0, len(in.Ranked)*(comparisons+1)), child: -1,
				registered: in.Trace.CaseID != "", sibling: in.Trace.Sibling, candidates: len(in.Candidates)}
			for j, c := range in.Ranked {
				for _, f := range c.Fields {
					t.x = append(t.x, f.Weight*math.Ln2)
				}
				t.x = append(t.x, c.FamilyAdjustment*math.Ln2)
				if c.Case.ID == in.Trace.CaseID {
					t.child = j
				}
			}
			*into = append(*into, t)
		}
	}
	var fits []scalesFit
	for range b.N {
		for _, p := range profiles {
			var estimation, heldOut []scalesTrace
			o := Options{Profile: p, Cases: *qualityCases, Traces: *qualityTraces, Seed: *qualitySeed, Logf: b.Logf,
				Prior: *qualityPrior, PreScore: *qualityPreScore, NoFit: true, Inspect: collect(&heldOut)}
			fit := p.Name == "A" && !*diagScalesRead
			if fit {
				o.InspectEstimation = collect(&estimation)
			}
			o.Calibration = flagCalibration(b)
			res, err := Run(o)
			if err != nil {
				b.Fatal(err)
			}
			params := res.Parameters
			logPM, logNone := math.Log(params.Prior/float64(params.Cases)), math.Log(1-params.Prior)
			var out strings.Builder
			fmt.Fprintf(&out, "## Profile %s: scales per group of comparisons\n\n%s\n\n", p.Name, res.Dataset)
			if fit {
				fits = nil
				kept := 0
				for _, t := range estimation {
					kept = max(kept, len(t.x)/(comparisons+1))
				}
				fmt.Fprintf(&out, "fitted on profile A's %d estimation traces, at most %d ranked candidates each\n\n", len(estimation), kept)
				for _, g := range groupings {
					start := make([]float64, len(g.groups)+2)
					for i := range len(g.groups) + 1 {
						start[i] = 1
					}
					theta, ll := fitLogit(logPM, logNone, start, g.features(estimation, comparisons))
					fits = append(fits, scalesFit{Name: g.name, Groups: g.groups, Of: g.of, Theta: theta, LL: ll})
				}
				if *diagScalesFits != "" {
					data, err := json.Marshal(fits)
					if err != nil {
						b.Fatal(err)
					}
					if err := os.WriteFile(*diagScalesFits, data, 0o644); err != nil {
						b.Fatal(err)
					}
				}
			} else if fits == nil {
				fits = readScalesFits(b)
				fmt.Fprintf(&out, "fits read from %s\n\n", *diagScalesFits)
			}
			for _, f := range fits {
				fmt.Fprintf(&out, "- %s (estimation mean log likelihood %.4f):", f.Name, f.LL)
				for i, g := range f.Groups {
					fmt.Fprintf(&out, " %s %.3f,", g, f.Theta[i])
				}
				fmt.Fprintf(&out, " adjustment %.3f, offset %.3f\n", f.Theta[len(f.Groups)], f.Theta[len(f.Groups)+1])
			}
			c := params.Calibration
			cols := []Metrics{res.Model, evaluateScales("its calibration, one trace at a time", heldOut, groupings[0],
				[]float64{c.Child, c.Family, c.Adjustment, c.Offset}, comparisons, logPM, logNone, cfg.Thresholds)}
			for _, f := range fits {
				g := scalesGrouping{name: f.Name, groups: f.Groups, of: f.Of}
				cols = append(cols, evaluateScales(f.Name+" (A's fit)", heldOut, g, f.Theta, comparisons, logPM, logNone, cfg.Thresholds))
			}
			fmt.Fprintf(&out, "\nheld-out traces:\n\n%s", Table(cols...))
			out.WriteString("| ECE of the best, 4 digits |")
			for _, m := range cols {
				fmt.Fprintf(&out, " %.4f |", m.ECETop1)
			}
			out.WriteString("\n\n")
			for _, m := range cols[1:] {
				out.WriteString(TradeoffTable(m) + "\n")
			}
			fmt.Println(out.String())
		}
	}
}

// readScalesFits reads profile A's fits from -diag.fits, waiting for the
// run of profile A that writes them.
func readScalesFits(b *testing.B) []scalesFit {
	b.Helper()
	if *diagScalesFits == "" {
		b.Fatal("profile B alone needs profile A's fits: -diag.fits")
	}
	for {
		data, err := os.ReadFile(*diagScalesFits)
		if errors.Is(err, fs.ErrNotExist) {
			time.Sleep(10 * time.Second)
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		var fits []scalesFit
		if err := json.Unmarshal(data, &fits); err != nil {
			b.Fatal(err)
		}
		return fits
	}
}

// evaluateScales ranks each trace's candidates by the posterior of the
// grouping's scales theta (one trace at a time) and measures the result.
func evaluateScales(method string, ts []scalesTrace, g scalesGrouping, theta []float64, comparisons int,
	logPM, logNone float64, th matching.Thresholds) Metrics {
	d := len(g.groups) + 1
	results := make([]TraceResult, len(ts))
	for i, lt := range g.features(ts, comparisons) {
		t := ts[i]
		rows := len(lt.X) / d
		u := make([]float64, rows+1)
		u[rows] = logNone + theta[d]
		for r := range rows {
			u[r] = logPM
			for a, v := range lt.X[r*d : (r+1)*d] {
				u[r] += theta[a] * v
			}
		}
		z := logSumExp(u)
		order := make([]int, rows)
		for r := range order {
			order[r] = r
		}
		// Best first; ties keep the product's order.
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(u[b], u[a]) })
		r := TraceResult{Registered: t.registered, Sibling: t.sibling, Candidates: t.candidates}
		for k, j := range order {
			p := math.Exp(u[j] - z)
			r.Mass += p
			if j == t.child {
				r.Rank = k + 1
			}
			if k < StoredPerTrace {
				r.Top = append(r.Top, Prediction{Probability: p, Label: th.Label(p), True: j == t.child})
			}
		}
		results[i] = r
	}
	return Evaluate(method, results, matching.LabelLikely, matching.LabelPossible)
}
