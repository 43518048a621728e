package quality

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

type traceRef struct {
	s   *matching.Subject
	t   synthetic.Trace
	req *synthetic.Request
}

func (r traceRef) truthOf() truth { return truth{caseID: r.t.CaseID, family: familyOf(r.t.ChildID)} }

// Options of one evaluation run.
type Options struct {
	Profile synthetic.Profile
	// Cases registered children; Traces held-out traces evaluated (as many
	// again are generated for estimation).
	Cases, Traces int
	Seed          uint64
	// ConfirmedShare is the share of estimation traces whose match a
	// reviewer has confirmed (m is then also counted on them).
	ConfirmedShare float64
	// NoFamilyClass estimates the two-class model (for comparison).
	NoFamilyClass bool
	// Baseline also runs the Primero-style baseline.
	Baseline bool
	// Oracle replaces the estimated m, f, prior and siblings by those
	// counted on the truth of the estimation traces (a diagnosis: what
	// estimation loses against knowing the answers).
	Oracle bool
	// Parameters, when set, are used instead of estimating (e.g. the
	// parameters of another profile).
	Parameters *matching.Parameters
	// Logf, when set, receives progress.
	Logf func(format string, args ...any)
	// Inspect, when set, receives each held-out trace with its ranking
	// (diagnosis).
	Inspect func(Inspection)
	// InspectEstimation, when set, receives each estimation trace with its
	// ranking by the estimated parameters, as Inspect the held-out ones (a
	// diagnosis fitting on them; only when the run estimates).
	InspectEstimation func(Inspection)
	// EstimateOnly stops after estimating (memory measurements).
	EstimateOnly bool
	// Calibration, when set, replaces the parameters' calibration.
	Calibration *matching.Calibration
	// ApplyFitted scores the held-out traces with the calibration fitted
	// on this run's estimation traces (when it estimates).
	ApplyFitted bool
	// Uncalibrated also evaluates the held-out traces without calibration
	// (matching.NoCalibration): the figures before it.
	Uncalibrated bool
	// Prior, when above 0, is the configuration's stated prior (the share
	// of traces whose child is registered) instead of the one estimated.
	Prior float64
	// NoFit skips fitting a calibration on the estimation traces (a
	// diagnosis that costs a ranking of them) unless ApplyFitted needs it.
	NoFit bool
	// FitGroups also fits the calibration through the group posterior
	// (FitCalibrationGroups: each tracing request's traces ranked
	// together, as the product ranks them); ApplyFitted then applies that
	// fit.
	FitGroups bool
	// FitTogether also fits Calibration.Together through the group
	// posterior (FitCalibrationTogether) from the parameters' calibration:
	// "all" with the other four, "scale" the scale alone.
	FitTogether string
	// FitBySize also fits, through the group posterior, a calibration
	// whose adjustment and offset depend on the request's size
	// (FitCalibrationBySize, from the group fit: FitGroups is implied),
	// and evaluates the held-out traces under the group fit and it
	// (Rescore). A diagnosis: the product's calibration is one for all.
	FitBySize bool
	// OffsetBySize, with FitBySize, fits only the offset by size (the
	// adjustment one for all).
	OffsetBySize bool
	// Rescore, when set, also evaluates the held-out traces under these
	// calibrations (Result.Rescored): each request ranked as the product
	// ranks it, its posterior computed again from the ranked candidates'
	// parts (matching.RequestEvidence) under the calibration of its size.
	Rescore []Rescoring
	// PreScore ranks in full only this many candidates per held-out trace,
	// those with the best first-pass score (matching.WithPreScore; 0:
	// every candidate). The service's is matching.PreScoreKeep.
	PreScore int
	// PreScorePass are the pre-score's comparisons (nil:
	// matching.PreScoreComparisons).
	PreScorePass []string
	// FullToo, with PreScore, also evaluates the held-out traces with every
	// candidate ranked in full (Result.Full): what the pre-score costs.
	FullToo bool
	// Withhold, when set, names the fields of its request that a held-out
	// trace is read without (a diagnosis: the request's separation left
	// out for the traces of requests of several traces). The estimation
	// traces keep them.
	Withhold func(r *synthetic.Request, t synthetic.Trace) []string
}

// Inspection is one held-out trace as ranked, with the generated truth.
type Inspection struct {
	Request synthetic.Request
	Trace   synthetic.Trace
	Ranked  []matching.Candidate
	// Candidates are the trace's blocked candidates (before the pre-score
	// keeps the best of them for Ranked).
	Candidates []*matching.Subject
	// Case returns a case's generated record.
	Case func(id string) synthetic.Case
}

// Result of a run.
type Result struct {
	Options    Options
	Dataset    string
	Parameters *matching.Parameters
	Model      Metrics
	Baseline   Metrics
	// Uncalibrated: the model without calibration (Options.Uncalibrated).
	Uncalibrated Metrics
	// Full: the model with every candidate ranked in full (Options.FullToo).
	Full Metrics
	// Fitted is the calibration fitted on this run's estimation traces
	// with their truth (FitCalibration; only when estimating), and the
	// mean log likelihood of their truth under it and uncalibrated.
	Fitted                   matching.Calibration
	FittedLL, UncalibratedLL float64
	FittedTraces             int
	// GroupFit is the calibration fitted through the group posterior
	// (Options.FitGroups).
	GroupFit GroupFit
	// TogetherFit is Calibration.Together fitted through the group
	// posterior (Options.FitTogether).
	TogetherFit GroupFit
	// SizeFit is the calibration by request size (Options.FitBySize).
	SizeFit SizeFit
	// Rescorings are the calibrations the held-out traces were re-scored
	// under (Options.Rescore, the fits of FitBySize), and Rescored their
	// figures, after those of the parameters' calibration re-scored (which
	// must be Model's).
	Rescorings []Rescoring
	Rescored   []Metrics
	// RescoredBySize are Rescored's figures over the traces of requests
	// of one trace ([0]) and of several ([1]).
	RescoredBySize [2][]Metrics
	Timings        []Timing
	// Estimation memory: the live heap before estimating (the cases, their
	// index, the traces' candidates) and its peak while estimating (sampled
	// every 10 ms), in bytes.
	HeapBeforeEstimate, HeapPeakEstimate uint64
}

// Rescoring is a calibration by request size the held-out traces are
// re-scored under (Options.Rescore).
type Rescoring struct {
	Name        string
	Calibration SizeCalibration
}

// Timing is how long one step took.
type Timing struct {
	Step string
	Took time.Duration
}

// Run generates a data set, estimates the parameters on the estimation
// traces, and evaluates the model (and the baseline) on the held-out
// traces.
func Run(o Options) (*Result, error) {
	logf := o.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	res := &Result{Options: o}
	step := time.Now()
	timed := func(name string) {
		res.Timings = append(res.Timings, Timing{name, time.Since(step)})
		logf("%s: %s", name, time.Since(step).Round(time.Millisecond))
		step = time.Now()
	}

	ds := synthetic.Generate(synthetic.Options{Profile: o.Profile, Cases: o.Cases, Traces: o.Traces*2 + o.Traces/5,
		Seed: o.Seed, EvaluationShare: 0.5})
	timed("generate")

	cfg := matching.DefaultConfiguration()
	cfg.Prior = o.Prior
	m, err := matching.NewMatcher(cfg, ds.Locations, ds.Today)
	if err != nil {
		return nil, err
	}
	pool := make([]*matching.Subject, 0, len(ds.Cases))
	childOf := map[*matching.Subject]string{}
	var poolData []synthetic.Case
	for _, c := range ds.Cases {
		if c.Consent {
			s := m.NewCase(c.ID, c.Data)
			s.Fields = nil // as the service's estimation keeps them
			childOf[s] = c.ChildID
			pool = append(pool, s)
			poolData = append(poolData, c)
		}
	}
	est := m.NewEstimator()
	for _, c := range pool {
		est.AddCase(c)
	}
	idx := m.NewIndex(pool, est.Stop())
	timed("parse, count and index cases")

	var estimation, evaluation []traceRef
	for i := range ds.Requests {
		r := &ds.Requests[i]
		for k, t := range r.Traces {
			ref := traceRef{m.NewTrace(t.ID, r.Data, t.Row), t, r}
			if o.Withhold != nil && r.Evaluation {
				if fs := o.Withhold(r, t); len(fs) > 0 {
					data := maps.Clone(r.Data)
					for _, f := range fs {
						delete(data, f)
					}
					ref.s = m.NewTrace(t.ID, data, t.Row)
				}
			}
			ref.s.SetOrder(k)
			switch {
			case r.Evaluation && len(evaluation) < o.Traces:
				evaluation = append(evaluation, ref)
			case !r.Evaluation && len(estimation) < o.Traces:
				estimation = append(estimation, ref)
			}
		}
	}
	registered := 0
	for _, t := range evaluation {
		if t.t.CaseID != "" {
			registered++
		}
	}
	res.Dataset = fmt.Sprintf("profile %s: %d families, %d children, %d cases (%d with consent for tracing), "+
		"%d estimation traces, %d held-out traces (%d with their child among the cases)",
		ds.Profile, ds.Families, ds.Children, len(ds.Cases), len(pool), len(estimation), len(evaluation), registered)
	logf("%s", res.Dataset)

	byID := make(map[string]*matching.Subject, len(pool))
	for _, c := range pool {
		byID[c.ID] = c
	}
	p := o.Parameters
	if p == nil {
		blocked := make([]matching.Blocked, len(estimation))
		parallel(len(estimation), func(i int) {
			blocked[i] = matching.Blocked{Trace: estimation[i].s, Cases: idx.Candidates(estimation[i].s),
				Group: estimation[i].req.ID}
		})
		in := matching.EstimateInput{Blocked: blocked, RandomCases: pool, Seed: o.Seed,
			NoFamilyClass: o.NoFamilyClass, Version: 1, Now: ds.Today}
		for _, t := range estimation {
			in.RandomTraces = append(in.RandomTraces, t.s)
		}
		rng := rand.New(rand.NewPCG(o.Seed, 7))
		for _, t := range estimation {
			if c := byID[t.t.CaseID]; c != nil && rng.Float64() < o.ConfirmedShare {
				in.Confirmed = append(in.Confirmed, matching.Pair{Trace: t.s, Case: c})
			}
		}
		runtime.GC()
		res.HeapBeforeEstimate = heapLive()
		stopSampling := samplePeak(&res.HeapPeakEstimate)
		p, err = est.Estimate(in)
		stopSampling()
		if err != nil {
			return nil, err
		}
		if o.Oracle {
			p = oracle(m, p, blocked, estimation2truth(estimation), childOf)
		}
		timed("estimate parameters")
		if !o.EstimateOnly && (!o.NoFit || o.ApplyFitted || o.FitBySize || o.FitTogether != "") {
			if err := fitCalibration(res, m, p, blocked, estimation, o.FitGroups || o.FitBySize, o.FitBySize, o.OffsetBySize,
				o.FitTogether); err != nil {
				return nil, err
			}
			timed("fit calibration on the estimation traces")
		}
	}
	switch {
	case o.ApplyFitted && res.FittedTraces > 0:
		q := *p
		q.Calibration = res.Fitted
		if o.FitGroups {
			q.Calibration = res.GroupFit.Calibration
		}
		if o.FitTogether != "" {
			q.Calibration = res.TogetherFit.Calibration
		}
		p = &q
	case o.Calibration != nil:
		q := *p
		q.Calibration = *o.Calibration
		p = &q
	}
	res.Parameters = p
	if o.EstimateOnly {
		return res, nil
	}
	scorer, err := m.WithParameters(p)
	if err != nil {
		return nil, err
	}
	idx = scorer.NewIndex(pool, p.Stop)
	if o.PreScore > 0 && o.FullToo {
		results, err := rankHeldOut(scorer, idx, evaluation)
		if err != nil {
			return nil, err
		}
		res.Full = Evaluate("model, every candidate ranked", results, matching.LabelLikely, matching.LabelPossible)
		timed("rank held-out traces, every candidate")
	}
	if o.PreScorePass != nil {
		scorer = scorer.WithPreScoreOn(o.PreScore, o.PreScorePass)
	} else {
		scorer = scorer.WithPreScore(o.PreScore)
	}
	if o.InspectEstimation != nil && o.Parameters == nil {
		if _, err := inspect(scorer, idx, ds, estimation, o.InspectEstimation); err != nil {
			return nil, err
		}
		timed("rank estimation traces (inspected)")
	}
	if o.Uncalibrated {
		q := *p
		q.Calibration = matching.NoCalibration
		raw, err := m.WithParameters(&q)
		if err != nil {
			return nil, err
		}
		results, err := rankHeldOut(raw, idx, evaluation)
		if err != nil {
			return nil, err
		}
		res.Uncalibrated = Evaluate("model, uncalibrated", results, matching.LabelLikely, matching.LabelPossible)
		timed("rank held-out traces, uncalibrated")
	}

	var results []TraceResult
	if o.Inspect != nil {
		results, err = inspect(scorer, idx, ds, evaluation, o.Inspect)
	} else {
		results, err = rankHeldOut(scorer, idx, evaluation)
	}
	if err != nil {
		return nil, err
	}
	res.Model = Evaluate("model", results, matching.LabelLikely, matching.LabelPossible)
	timed("rank held-out traces")

	res.Rescorings = slices.Clone(o.Rescore)
	if o.FitBySize {
		res.Rescorings = append(res.Rescorings, Rescoring{"group fit", Same(res.GroupFit.Calibration)},
			Rescoring{"by size", res.SizeFit.Calibration})
	}
	if len(res.Rescorings) > 0 {
		rs := append([]Rescoring{{"model, re-scored", Same(p.Calibration)}}, res.Rescorings...)
		rescored, err := rescoreHeldOut(scorer, idx, evaluation, p, rs)
		if err != nil {
			return nil, err
		}
		several := make([]bool, len(evaluation))
		for _, g := range requestGroups(evaluation) {
			for _, i := range g {
				several[i] = len(g) > 1
			}
		}
		for i, r := range rs {
			res.Rescored = append(res.Rescored, Evaluate(r.Name, rescored[i], matching.LabelLikely, matching.LabelPossible))
			var bySize [2][]TraceResult
			for t, tr := range rescored[i] {
				k := 0
				if several[t] {
					k = 1
				}
				bySize[k] = append(bySize[k], tr)
			}
			for k, name := range []string{", one trace", ", several"} {
				res.RescoredBySize[k] = append(res.RescoredBySize[k],
					Evaluate(r.Name+name, bySize[k], matching.LabelLikely, matching.LabelPossible))
			}
		}
		// Re-scored under the parameters' own calibration, the figures
		// must be the product's, or the others are not what it would give.
		if a, b := res.Rescored[0], res.Model; a.RecallAt[1] != b.RecallAt[1] || a.RecallAt[10] != b.RecallAt[10] ||
			a.TrueLikely != b.TrueLikely || a.UnregisteredLikely != b.UnregisteredLikely || math.Abs(a.ECETop1-b.ECETop1) > 1e-9 {
			return nil, fmt.Errorf("re-scored under the parameters' calibration: recall@1 %g, true likely %g, "+
				"unregistered likely %g, ECE of the best %g; ranked: %g, %g, %g, %g", a.RecallAt[1], a.TrueLikely,
				a.UnregisteredLikely, a.ECETop1, b.RecallAt[1], b.TrueLikely, b.UnregisteredLikely, b.ECETop1)
		}
		timed("rank held-out traces, re-scored")
	}

	if o.Baseline {
		b := newBaseline()
		b.cases = make([]baselineRecord, len(poolData))
		for i, c := range poolData {
			rows := rowsOf(c.Data["family_details_section"])
			b.cases[i] = b.record(c.ID, c.Data, nil, rows, false)
		}
		bres := make([]TraceResult, len(evaluation))
		parallel(len(evaluation), func(i int) {
			t := evaluation[i]
			inq := []map[string]any{t.req.Data}
			tr := b.record(t.t.ID, t.t.Row, t.req.Data, inq, true)
			hits, norm, labels := b.rank(&tr)
			r := TraceResult{Registered: t.t.CaseID != "", Sibling: t.t.Sibling, Candidates: len(hits)}
			for k, h := range hits {
				isTrue := b.cases[h].id == t.t.CaseID
				if isTrue {
					r.Rank = k + 1
				}
				if k < StoredPerTrace {
					r.Top = append(r.Top, Prediction{Probability: norm[k], Label: labels[k], True: isTrue})
				}
			}
			bres[i] = r
		})
		res.Baseline = Evaluate("Primero-style baseline", bres, "likely", "possible")
		timed("baseline")
	}
	return res, nil
}

// requestGroups groups traces (indexes) by tracing request: the matching
// job ranks a request's traces together.
func requestGroups(ts []traceRef) [][]int {
	var groups [][]int
	for i, t := range ts {
		if i > 0 && ts[i-1].req == t.req {
			groups[len(groups)-1] = append(groups[len(groups)-1], i)
		} else {
			groups = append(groups, []int{i})
		}
	}
	return groups
}

// inspect ranks the traces per tracing request, as rankHeldOut does, gives
// each to f in order with its ranking and the generated truth, and returns
// what each got. Requests are ranked in parallel a chunk at a time, so that
// f is called in the traces' order without every ranking held at once.
func inspect(scorer *matching.Matcher, idx *matching.Index, ds *synthetic.Dataset, ts []traceRef,
	f func(Inspection)) ([]TraceResult, error) {
	byCase := map[string]synthetic.Case{}
	for _, c := range ds.Cases {
		byCase[c.ID] = c
	}
	caseOf := func(id string) synthetic.Case { return byCase[id] }
	groups := requestGroups(ts)
	results := make([]TraceResult, len(ts))
	const chunk = 64
	for from := 0; from < len(groups); from += chunk {
		gs := groups[from:min(from+chunk, len(groups))]
		ranked := make([][][]matching.Candidate, len(gs))
		cands := make([][][]*matching.Subject, len(gs))
		errs := make([]error, len(gs))
		parallel(len(gs), func(gi int) {
			ranked[gi], cands[gi], errs[gi] = rankRequest(scorer, idx, ts, gs[gi])
		})
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		for gi, g := range gs {
			for k, i := range g {
				results[i] = traceResult(ts[i], len(cands[gi][k]), ranked[gi][k])
				f(Inspection{Request: *ts[i].req, Trace: ts[i].t, Ranked: ranked[gi][k], Candidates: cands[gi][k], Case: caseOf})
			}
		}
	}
	return results, nil
}

// rankHeldOut ranks the held-out traces per tracing request, as the
// matching job does, and returns what each got.
func rankHeldOut(scorer *matching.Matcher, idx *matching.Index, evaluation []traceRef) ([]TraceResult, error) {
	groups := requestGroups(evaluation)
	results := make([]TraceResult, len(evaluation))
	var failed error
	var mu sync.Mutex
	parallel(len(groups), func(gi int) {
		g := groups[gi]
		ranked, cands, err := rankRequest(scorer, idx, evaluation, g)
		if err != nil {
			mu.Lock()
			failed = err
			mu.Unlock()
			return
		}
		for k, i := range g {
			results[i] = traceResult(evaluation[i], len(cands[k]), ranked[k])
		}
	})
	return results, failed
}

// rankRequest ranks the traces g of ts (one tracing request's) together,
// each among its blocked candidates, which it returns beside the ranking.
func rankRequest(scorer *matching.Matcher, idx *matching.Index, ts []traceRef, g []int) (
	[][]matching.Candidate, [][]*matching.Subject, error) {
	traces := make([]*matching.Subject, len(g))
	cands := make([][]*matching.Subject, len(g))
	for k, i := range g {
		traces[k] = ts[i].s
		cands[k] = idx.Candidates(ts[i].s)
	}
	ranked, err := scorer.RankGroup(traces, cands)
	return ranked, cands, err
}

// traceResult is what a trace with that many candidates got from its
// ranking.
func traceResult(t traceRef, candidates int, ranked []matching.Candidate) TraceResult {
	r := TraceResult{Registered: t.t.CaseID != "", Sibling: t.t.Sibling, Candidates: candidates}
	for j, c := range ranked {
		r.Mass += c.Probability
		isTrue := c.Case.ID == t.t.CaseID
		if isTrue {
			r.Rank = j + 1
		}
		if j < StoredPerTrace {
			r.Top = append(r.Top, Prediction{Probability: c.Probability, Label: c.Label, True: isTrue})
		}
	}
	return r
}

// fitCalibration fits a calibration on the estimation traces, whose truth
// the generator knows (a tenant does not): each tracing request's traces
// are ranked together among all their blocked candidates with the
// estimated parameters, as the product ranks them; the calibration is
// fitted one trace at a time (FitCalibration) and, with FitGroups, through
// the group posterior (FitCalibrationGroups) from p's calibration.
func fitCalibration(res *Result, m *matching.Matcher, p *matching.Parameters, blocked []matching.Blocked,
	estimation []traceRef, fitGroups, fitBySize, offsetOnly bool, fitTogether string) error {
	scorer, err := m.WithParameters(p)
	if err != nil {
		return err
	}
	groups := requestGroups(estimation)
	traces := make([]CalibrationTrace, len(blocked))
	requests := make([]CalibrationRequest, len(groups))
	errs := make([]error, len(groups))
	parallel(len(groups), func(gi int) {
		g := groups[gi]
		ts := make([]*matching.Subject, len(g))
		cands := make([][]*matching.Subject, len(g))
		for k, i := range g {
			ts[k], cands[k] = blocked[i].Trace, blocked[i].Cases
		}
		ranked, err := scorer.RankGroup(ts, cands)
		if err != nil {
			errs[gi] = err
			return
		}
		ev, parts, err := requestEvidence(scorer, p, ts, ranked)
		if err != nil {
			errs[gi] = err
			return
		}
		req := CalibrationRequest{Evidence: ev, True: make([]int, len(g))}
		for k, i := range g {
			ct := CalibrationTrace{Parts: parts[k], True: -1}
			for j, c := range ranked[k] {
				if c.Case.ID == estimation[i].t.CaseID {
					ct.True = j
				}
			}
			traces[i] = ct
			req.True[k] = ct.True
		}
		requests[gi] = req
	})
	if err := errors.Join(errs...); err != nil {
		return err
	}
	res.Fitted, res.FittedLL = FitCalibration(p, traces)
	res.UncalibratedLL = CalibrationLogLikelihood(p, matching.NoCalibration, traces)
	res.FittedTraces = len(traces)
	if fitGroups {
		start := time.Now()
		res.GroupFit = FitCalibrationGroups(p.Calibration, requests)
		res.GroupFit.Took = time.Since(start)
		res.GroupFit.OneAtATimeLL = GroupLogLikelihood(res.Fitted, requests)
	}
	if fitTogether != "" {
		start := time.Now()
		res.TogetherFit = FitCalibrationTogether(p.Calibration, fitTogether == "scale", requests)
		res.TogetherFit.Took = time.Since(start)
	}
	if fitBySize {
		start := time.Now()
		res.SizeFit = FitCalibrationBySize(Same(res.GroupFit.Calibration), !offsetOnly, requests)
		res.SizeFit.Took = time.Since(start)
	}
	return nil
}

// requestEvidence is a ranked request's evidence for the group posterior
// (its candidates' parts, per trace, in the ranking's order), checked: it
// must give back the ranking's probabilities under p's calibration, or
// what it computes under another would not be what RankGroup computes.
func requestEvidence(scorer *matching.Matcher, p *matching.Parameters, ts []*matching.Subject,
	ranked [][]matching.Candidate) (*matching.RequestEvidence, [][][3]float64, error) {
	cfg := scorer.Configuration()
	ids := make([][]string, len(ranked))
	parts := make([][][3]float64, len(ranked))
	for k, cs := range ranked {
		ids[k] = make([]string, len(cs))
		parts[k] = make([][3]float64, len(cs))
		for j, c := range cs {
			ids[k][j], parts[k][j] = c.Case.ID, calibrationParts(cfg, c)
		}
	}
	ev, err := matching.NewRequestEvidence(p, ids, parts).WithTogether(scorer, ranked)
	if err != nil {
		return nil, nil, err
	}
	probs, _ := ev.Posterior(p.Calibration)
	for k := range ranked {
		for j, c := range ranked[k] {
			if math.Abs(probs[k][j]-c.Probability) > 1e-6 {
				return nil, nil, fmt.Errorf("trace %s, candidate %s: the evidence gives %g, RankGroup %g",
					ts[k].ID, c.Case.ID, probs[k][j], c.Probability)
			}
		}
	}
	return ev, parts, nil
}

// rescoreHeldOut ranks the held-out traces per tracing request as
// rankHeldOut does (the pre-score's candidates kept as the product keeps
// them) and returns, per rescoring, what each trace would get were its
// request's posterior computed under that rescoring's calibration for the
// request's size: the same candidates, their probabilities and labels
// computed again from their parts, sorted again (probability, weight,
// case id, as matching sorts them).
func rescoreHeldOut(scorer *matching.Matcher, idx *matching.Index, evaluation []traceRef, p *matching.Parameters,
	rs []Rescoring) ([][]TraceResult, error) {
	cfg := scorer.Configuration()
	groups := requestGroups(evaluation)
	out := make([][]TraceResult, len(rs))
	for i := range out {
		out[i] = make([]TraceResult, len(evaluation))
	}
	errs := make([]error, len(groups))
	parallel(len(groups), func(gi int) {
		g := groups[gi]
		ranked, cands, err := rankRequest(scorer, idx, evaluation, g)
		if err != nil {
			errs[gi] = err
			return
		}
		ts := make([]*matching.Subject, len(g))
		for k, i := range g {
			ts[k] = evaluation[i].s
		}
		ev, _, err := requestEvidence(scorer, p, ts, ranked)
		if err != nil {
			errs[gi] = err
			return
		}
		for ri, r := range rs {
			probs, _ := ev.Posterior(r.Calibration.For(len(g)))
			for k, i := range g {
				cs := slices.Clone(ranked[k])
				for j := range cs {
					cs[j].Probability, cs[j].Label = probs[k][j], cfg.Thresholds.Label(probs[k][j])
				}
				slices.SortStableFunc(cs, func(a, b matching.Candidate) int {
					return cmp.Or(cmp.Compare(b.Probability, a.Probability), cmp.Compare(b.Weight, a.Weight),
						cmp.Compare(a.Case.ID, b.Case.ID))
				})
				out[ri][i] = traceResult(evaluation[i], len(cands[k]), cs)
			}
		}
	})
	return out, errors.Join(errs...)
}

// calibrationParts are a ranked candidate's parts of its log likelihood
// ratio, as the calibration recombines them (CalibrationTrace.Parts).
func calibrationParts(cfg matching.Configuration, c matching.Candidate) [3]float64 {
	var wc, wf float64
	for k, f := range c.Fields {
		if cfg.Comparisons[k].SharedBySiblings {
			wf += f.Weight
		} else {
			wc += f.Weight
		}
	}
	return [3]float64{wc * math.Ln2, wf * math.Ln2, c.FamilyAdjustment * math.Ln2}
}

type truth struct {
	caseID string
	family string
}

func estimation2truth[T interface{ truthOf() truth }](ts []T) []truth {
	out := make([]truth, len(ts))
	for i, t := range ts {
		out[i] = t.truthOf()
	}
	return out
}

func familyOf(childID string) string {
	f, _, _ := strings.Cut(childID, ".")
	return f
}

// oracle returns p with m and f counted on the true matches and siblings
// among the estimation traces' candidates, and the true prior and sibling
// rate.
func oracle(m *matching.Matcher, p *matching.Parameters, blocked []matching.Blocked, ts []truth,
	childOf map[*matching.Subject]string) *matching.Parameters {
	q := *p
	q.Comparisons = nil
	mc := make([][]float64, len(p.Comparisons))
	fc := make([][]float64, len(p.Comparisons))
	for i, c := range p.Comparisons {
		mc[i], fc[i] = make([]float64, len(c.Levels)), make([]float64, len(c.Levels))
	}
	matches, siblings := 0.0, 0.0
	for t, b := range blocked {
		for _, c := range b.Cases {
			var acc [][]float64
			switch {
			case c.ID == ts[t].caseID:
				acc = mc
				matches++
			case familyOf(childOf[c]) == ts[t].family:
				acc = fc
				siblings++
			default:
				continue
			}
			for i, l := range m.Vector(b.Trace, c) {
				acc[i][l]++
			}
		}
	}
	for i, c := range p.Comparisons {
		c.M, c.F = normCounts(mc[i]), normCounts(fc[i])
		q.Comparisons = append(q.Comparisons, c)
	}
	q.Prior = matches / float64(len(blocked))
	q.Siblings = siblings / float64(len(blocked))
	return &q
}

func normCounts(counts []float64) []float64 {
	out := make([]float64, len(counts))
	s := 0.0
	for l := 1; l < len(counts); l++ {
		s += counts[l] + 0.5
	}
	for l := 1; l < len(counts); l++ {
		out[l] = (counts[l] + 0.5) / s
	}
	return out
}

func rowsOf(v any) []map[string]any {
	rows, _ := v.([]any)
	var out []map[string]any
	for _, r := range rows {
		if m, ok := r.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// parallel runs f(0..n-1) on GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// Report formats a result (Markdown).
func (r *Result) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", r.Dataset)
	cols := []Metrics{r.Model}
	if r.Options.PreScore > 0 && r.Options.FullToo {
		cols = append(cols, r.Full)
	}
	if r.Options.Uncalibrated {
		cols = append(cols, r.Uncalibrated)
	}
	if r.Options.Baseline {
		cols = append(cols, r.Baseline)
	}
	b.WriteString(Table(cols...))
	c := r.Parameters.Calibration
	fmt.Fprintf(&b, "\ncalibration used: %s", calibrationString(c))
	if r.FittedTraces > 0 {
		fmt.Fprintf(&b, "; fitted on this run's %d estimation traces: %s "+
			"(mean log likelihood of their truth %.4f fitted, %.4f uncalibrated)", r.FittedTraces,
			calibrationString(r.Fitted), r.FittedLL, r.UncalibratedLL)
	}
	if g := r.GroupFit; g.Evaluations > 0 {
		fmt.Fprintf(&b, "; fitted through the group posterior: %s (mean log likelihood of the truth, group posterior: "+
			"%.4f fitted, %.4f from %s, %.4f fitted one trace at a time; %d evaluations, %s)",
			calibrationString(g.Calibration), g.LL, g.StartLL, calibrationString(g.Start), g.OneAtATimeLL,
			g.Evaluations, g.Took.Round(time.Millisecond))
	}
	if g := r.TogetherFit; g.Evaluations > 0 {
		fmt.Fprintf(&b, "; together's scale fitted through the group posterior: %s (mean log likelihood of the truth, group posterior: "+
			"%.4f fitted, %.4f from %s; %d evaluations, %s)",
			calibrationString(g.Calibration), g.LL, g.StartLL, calibrationString(g.Start), g.Evaluations, g.Took.Round(time.Millisecond))
	}
	if g := r.SizeFit; g.Evaluations > 0 {
		fmt.Fprintf(&b, "; by request size through the group posterior: %s (mean log likelihood %.4f fitted, %.4f from the group fit; "+
			"%d evaluations, %s; %d requests, %d of several traces)", g.Calibration, g.LL, g.StartLL, g.Evaluations,
			g.Took.Round(time.Millisecond), g.Requests, g.Several)
	}
	b.WriteString("\n\n")
	if len(r.Rescored) > 0 {
		b.WriteString("re-scored by request size:")
		for _, rs := range r.Rescorings {
			fmt.Fprintf(&b, " %s: %s;", rs.Name, rs.Calibration)
		}
		b.WriteString("\n\n")
		b.WriteString(Table(r.Rescored...))
		b.WriteString("\nthe traces of requests of one trace, then of several:\n\n")
		b.WriteString(Table(r.RescoredBySize[0]...))
		b.WriteString("\n")
		b.WriteString(Table(r.RescoredBySize[1]...))
		for _, m := range r.Rescored {
			b.WriteString("\n")
			b.WriteString(TradeoffTable(m))
		}
		b.WriteString("\n")
	}
	b.WriteString(ReliabilityTable(r.Model))
	b.WriteString("\n")
	b.WriteString(TradeoffTable(r.Model))
	if r.Options.PreScore > 0 && r.Options.FullToo {
		b.WriteString("\n")
		b.WriteString(ReliabilityTable(r.Full))
	}
	if r.Options.Uncalibrated {
		b.WriteString("\n")
		b.WriteString(TradeoffTable(r.Uncalibrated))
	}
	if r.Options.Baseline {
		b.WriteString("\n")
		b.WriteString(ReliabilityTable(r.Baseline))
	}
	p := r.Parameters
	if r.HeapPeakEstimate > 0 {
		fmt.Fprintf(&b, "\nestimation heap: %d MiB live before, peak %d MiB while estimating\n",
			r.HeapBeforeEstimate>>20, r.HeapPeakEstimate>>20)
	}
	fmt.Fprintf(&b, "\nparameters: prior %.3f (estimated %.3f), siblings per trace %.3f, cases %d, stop keys %d, "+
		"EM %d iterations over %d blocked pairs of %d traces, %d random pairs, %d confirmed\n",
		p.Prior, p.PriorEstimated, p.Siblings, p.Cases, len(p.Stop), p.Estimation.Iterations,
		p.Estimation.BlockedPairs, p.Estimation.Traces, p.Estimation.RandomPairs, p.Estimation.Confirmed)
	if tg := p.Together; tg.Comparison != "" {
		fmt.Fprintf(&b, "together (%s), by candidates at their trace's place 0/1/2: siblings' registrations share a place %.4f/%.4f/%.4f, "+
			"two candidates %.4f/%.4f/%.4f\n", tg.Comparison, tg.Agree[0], tg.Agree[1], tg.Agree[2], tg.Chance[0], tg.Chance[1], tg.Chance[2])
	}
	if tg := p.Together; tg.Kin != "" {
		fmt.Fprintf(&b, "together's kin (%s), relations named alike 0/1/2+: siblings' registrations %.4f/%.4f/%.4f, "+
			"two candidates %.4f/%.4f/%.4f\n", tg.Kin, tg.KinAgree[0], tg.KinAgree[1], tg.KinAgree[2], tg.KinChance[0], tg.KinChance[1], tg.KinChance[2])
	}
	for _, c := range p.Comparisons {
		if len(c.Variants) > 0 {
			l := slices.Index(c.Levels, "variant")
			fmt.Fprintf(&b, "variants learned, %s: %d (m %.4f, u %.5f): %v\n", c.Name, len(c.Variants), c.M[l], c.U[l], c.Variants)
		}
	}
	b.WriteString("\ntimings:")
	for _, t := range r.Timings {
		fmt.Fprintf(&b, " %s %s;", t.Step, t.Took.Round(time.Millisecond))
	}
	b.WriteString("\n")
	return b.String()
}

func calibrationString(c matching.Calibration) string {
	return fmt.Sprintf("child %.3f, family %.3f, adjustment %.3f, offset %.3f, together %.3f", c.Child, c.Family, c.Adjustment,
		c.Offset, c.Together)
}

// ParametersTable formats the estimated m, f, u per level with the level
// weights log2(m/u) (Markdown); a comparison by the trace's order also with
// its later traces' m and f.
func ParametersTable(p *matching.Parameters) string {
	var b strings.Builder
	b.WriteString("| comparison | level | m | f | u | weight (bits) |\n|---|---|---|---|---|---|\n")
	row := func(name, level string, m, f, u float64) {
		w := 0.0
		if m > 0 && u > 0 {
			w = log2(max(m, 1e-4) / max(u, 1e-4))
		}
		fmt.Fprintf(&b, "| %s | %s | %.4f | %.4f | %.5f | %+.2f |\n", name, level, m, f, u, w)
	}
	for _, c := range p.Comparisons {
		for l, name := range c.Levels {
			if l > 0 {
				row(c.Name, name, c.M[l], c.F[l], c.U[l])
			}
		}
		for l, name := range c.Levels {
			if l > 0 && c.MLater != nil {
				row(c.Name+" (later traces)", name, c.MLater[l], c.FLater[l], c.U[l])
			}
		}
	}
	return b.String()
}

// heapLive returns the bytes of live and not yet collected heap objects.
func heapLive() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// samplePeak records the largest heapLive into *peak every 10 ms until the
// returned function is called.
func samplePeak(peak *uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			*peak = max(*peak, heapLive())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		*peak = max(*peak, heapLive())
	}
}
