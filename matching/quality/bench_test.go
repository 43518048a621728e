package quality

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

var (
	qualityCases  = flag.Int("quality.cases", 100_000, "registered children in the quality benchmark")
	qualityTraces = flag.Int("quality.traces", 5_000, "held-out traces evaluated (as many again estimate the parameters)")
	qualitySeed   = flag.Uint64("quality.seed", 1, "seed of the generated data")
	qualityReport = flag.String("quality.report", "", "also write the report (Markdown) to this file")
	// A quicker look while working on the model (the full run is the default).
	qualityMoved    = flag.Float64("quality.moved", 0, "the share of parents asking from another place than their row in the child's case gives (synthetic.Profile.Moved; a diagnosis)")
	qualityProfile  = flag.String("quality.profile", "", "only this profile (A or B), without the cross-profile run")
	qualityBaseline = flag.Bool("quality.baseline", true, "also evaluate the Primero-style baseline")
	// Calibration: the figures without it beside those with it, and a
	// calibration to try instead of matching.DefaultCalibration.
	qualityUncalibrated = flag.Bool("quality.uncalibrated", true, "also evaluate the model without calibration")
	qualityCalibration  = flag.String("quality.calibration", "", "child,family,adjustment,offset[,together] to use instead of matching.DefaultCalibration")
	qualityCross        = flag.Bool("quality.cross", true, "also score profile B with profile A's parameters")
	qualityFit          = flag.Bool("quality.fit", false, "score profile A with the calibration fitted on its estimation traces, "+
		"and profile B with that calibration too (fitting matching.DefaultCalibration)")
	qualityNoFit    = flag.Bool("quality.nofit", false, "skip the calibration fitted on the estimation traces (a diagnosis) unless -quality.fit")
	qualityGroupFit = flag.Bool("quality.groupfit", false, "also fit the calibration through the group posterior (each request's traces "+
		"ranked together); with -quality.fit, apply that fit")
	qualitySizeFit = flag.Bool("quality.sizefit", false, "also fit, on profile A's estimation traces, a calibration whose adjustment and "+
		"offset depend on the request's size (one trace, several), and evaluate both profiles' held-out traces under it and under the "+
		"group fit, re-scored (a diagnosis; implies -quality.groupfit)")
	qualitySizeOffset  = flag.Bool("quality.sizeoffset", false, "with -quality.sizefit, only the offset by the request's size (the adjustment one for all)")
	qualityTogetherFit = flag.String("quality.togetherfit", "", "also fit Calibration.Together (the factor between a request's traces) "+
		"through the group posterior on the estimation traces: all (with the other four) or scale (alone); with -quality.fit, apply it")
	qualityPrior = flag.Float64("quality.prior", 0, "a stated prior (the configuration's) instead of the estimated one")
	// The ceiling of the model on the data: m, f, the prior and siblings
	// counted on the estimation traces' truth instead of estimated.
	qualityPreScore = flag.Int("quality.prescore", matching.PreScoreKeep, "candidates per held-out trace ranked in full after the pre-score (matching.WithPreScore; 0: all)")
	qualityPrePass  = flag.String("quality.prepass", "", "the pre-score's comparisons, comma-separated (empty: matching.PreScoreComparisons)")
	qualityFullToo  = flag.Bool("quality.fulltoo", true, "with a pre-score, also evaluate every candidate ranked in full (what the pre-score costs)")
	qualityOracle   = flag.Bool("quality.oracle", false, "count m, f, the prior and siblings on the estimation traces' truth (a diagnosis: the model's ceiling)")
	// A tenant whose reviewers confirmed some matches.
	qualityConfirmed = flag.Float64("quality.confirmed", 0, "share of estimation traces whose true match is confirmed (m also counted on them)")
)

// BenchmarkQuality is the full quality evaluation (go tool task
// bench:matching): for each distortion profile, data is generated, the
// parameters are estimated on the estimation traces, and the model and the
// Primero-style baseline are evaluated on the held-out traces. Profile B
// is also scored with profile A's parameters (a tenant whose data differs
// from the one the parameters came from). Figures, not assertions.
func BenchmarkQuality(b *testing.B) {
	var report strings.Builder
	fmt.Fprintf(&report, "# Matching quality: %d cases, %d held-out traces, seed %d (%s)\n\n",
		*qualityCases, *qualityTraces, *qualitySeed, time.Now().UTC().Format(time.DateOnly))
	for range b.N {
		if *qualityProfile != "" {
			p := synthetic.ProfileA()
			if *qualityProfile == "B" {
				p = synthetic.ProfileB()
			}
			runProfile(b, &report, p, nil, nil, nil)
			continue
		}
		resA := runProfile(b, &report, synthetic.ProfileA(), nil, nil, nil)
		var fitted *matching.Calibration
		if *qualityFit {
			fitted = &resA.Fitted
			if *qualityGroupFit {
				fitted = &resA.GroupFit.Calibration
			}
			if *qualityTogetherFit != "" {
				fitted = &resA.TogetherFit.Calibration
			}
		}
		runProfile(b, &report, synthetic.ProfileB(), nil, fitted, resA.Rescorings)
		if *qualityCross {
			fmt.Fprintf(&report, "## Profile B scored with profile A's parameters\n\n")
			runProfile(b, &report, synthetic.ProfileB(), resA, nil, nil)
		}
	}
	fmt.Println(report.String())
	if *qualityReport != "" {
		if err := os.WriteFile(*qualityReport, []byte(report.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// runProfile evaluates one profile: with params' parameters when given,
// else estimating its own; with the calibration calib when given, else
// (-quality.fit) the one fitted on its own estimation traces, else the
// default. rescore are profile A's calibrations by request size
// (-quality.sizefit): given, the run re-scores under them rather than
// fitting its own (never on profile B).
func runProfile(b *testing.B, report *strings.Builder, p synthetic.Profile, params *Result, calib *matching.Calibration,
	rescore []Rescoring) *Result {
	b.Helper()
	p.Moved = *qualityMoved
	bySize := *qualitySizeFit && params == nil && rescore == nil && p.Name == synthetic.ProfileA().Name
	o := Options{Profile: p, Cases: *qualityCases, Traces: *qualityTraces, Seed: *qualitySeed,
		Baseline: params == nil && *qualityBaseline, Logf: b.Logf, Uncalibrated: *qualityUncalibrated,
		Calibration: calib, ApplyFitted: calib == nil && params == nil && *qualityFit, Prior: *qualityPrior, NoFit: *qualityNoFit || rescore != nil,
		FitGroups: *qualityGroupFit && rescore == nil, FitTogether: fitTogether(params, rescore), FitBySize: bySize, OffsetBySize: *qualitySizeOffset, Rescore: rescore,
		Oracle: *qualityOracle, ConfirmedShare: *qualityConfirmed, PreScore: *qualityPreScore, FullToo: *qualityFullToo}
	if *qualityPrePass != "" {
		o.PreScorePass = strings.Split(*qualityPrePass, ",")
	}
	if c := flagCalibration(b); c != nil && calib == nil {
		o.Calibration = c
	}
	if params != nil {
		o.Parameters = params.Parameters
	}
	start, cpu := time.Now(), processCPU()
	res, err := Run(o)
	if err != nil {
		b.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if params == nil {
		fmt.Fprintf(report, "## Profile %s\n\n", p.Name)
	}
	report.WriteString(res.Report())
	if params == nil {
		fmt.Fprintf(report, "\n### Estimated parameters (profile %s)\n\n%s", p.Name, ParametersTable(res.Parameters))
	}
	fmt.Fprintf(report, "\nrun: %s wall, %s CPU, heap in use at the end %d MiB\n\n",
		time.Since(start).Round(time.Second), time.Duration(processCPU()-cpu).Round(time.Second), ms.HeapInuse>>20)
	fmt.Fprintf(os.Stderr, "profile %s done:\n%s\n", p.Name, res.Report()) // progress while the others run
	// The figures the targets judge, to four digits (the report rounds to three).
	b.ReportMetric(res.Model.RecallAt[1], "recall@1-"+p.Name)
	b.ReportMetric(res.Model.RecallAt[10], "recall@10-"+p.Name)
	b.ReportMetric(res.Model.TrueLikely, "true-likely-"+p.Name)
	b.ReportMetric(res.Model.UnregisteredLikely, "unregistered-likely-"+p.Name)
	return res
}

// flagCalibration is the calibration of -quality.calibration, nil when it
// is not set.
func flagCalibration(b *testing.B) *matching.Calibration {
	b.Helper()
	if *qualityCalibration == "" {
		return nil
	}
	var c matching.Calibration
	args := []any{&c.Child, &c.Family, &c.Adjustment, &c.Offset, &c.Together}
	n := strings.Count(*qualityCalibration, ",") + 1
	if _, err := fmt.Sscanf(*qualityCalibration, strings.Repeat(",%g", n)[1:], args[:min(n, len(args))]...); err != nil {
		b.Fatal(err)
	}
	return &c
}

// fitTogether is -quality.togetherfit for a run that estimates its own
// parameters and fits (profile A, or one profile alone).
func fitTogether(params *Result, rescore []Rescoring) string {
	if params != nil || rescore != nil {
		return ""
	}
	return *qualityTogetherFit
}

var memoryCases = flag.String("memory.cases", "25000,50000,100000", "case counts of BenchmarkEstimateMemory")

// BenchmarkEstimateMemory measures the heap of parameter estimation as the
// cases grow, with the matching job's 5,000 estimation traces (quality.traces
// sets them): the live heap before estimating (cases, index, candidates) and
// the peak while estimating. Figures, not assertions.
func BenchmarkEstimateMemory(b *testing.B) {
	for range b.N {
		for _, f := range strings.Split(*memoryCases, ",") {
			var n int
			if _, err := fmt.Sscan(f, &n); err != nil {
				b.Fatal(err)
			}
			res, err := Run(Options{Profile: synthetic.ProfileA(), Cases: n, Traces: *qualityTraces, Seed: *qualitySeed,
				EstimateOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			e := res.Parameters.Estimation
			fmt.Printf("cases %d, traces %d, blocked pairs %d: heap %d MiB live before estimating, peak %d MiB while estimating (+%d MiB)\n",
				n, e.Traces, e.BlockedPairs, res.HeapBeforeEstimate>>20, res.HeapPeakEstimate>>20,
				(res.HeapPeakEstimate-min(res.HeapPeakEstimate, res.HeapBeforeEstimate))>>20)
		}
	}
}
