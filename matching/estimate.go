package matching

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cpims-hosted/cpims/names"
)

// Estimation constants (docs/matching.md, Estimation).
const (
	// RandomPairsDefault is how many random (trace, case) pairs estimate u.
	RandomPairsDefault = 200_000
	// PriorWeight is the weight, in pairs, of the built-in starting values
	// of m and f: with few traces the estimate stays near them, with
	// thousands the tenant's data decides.
	PriorWeight = 20.0
	// NamePriorShare: the starting m of the name comparisons weighs at
	// least this share of the unconfirmed traces (pairs), so that more
	// cases, and with them more look-alikes, do not carry m of the name
	// levels away from the design values; confirmed matches still move it
	// (docs/matching.md, Quality, Session 21).
	NamePriorShare = 0.25
	// MaxIterations and Tolerance (the largest change of a probability)
	// stop expectation-maximisation.
	MaxIterations = 200
	Tolerance     = 1e-4
	// MaxSiblings bounds the estimated siblings of a child among the cases.
	MaxSiblings = 10.0
	// StopCases: a blocking key shared by more cases than this selects no
	// candidates (other keys of the trace still do).
	StopCases = 2000
	// MinCommunityCases: a community with fewer cases has no term
	// frequencies of its own (its names use the tenant's).
	MinCommunityCases = 100
	// DesignCases is the weight, in cases, of the design values of u and
	// of the term frequencies (designU, designShare): a tenant's own
	// figures weigh as many cases as it has, so that a tenant of three
	// cases reads names and ages mostly by the design values and one of
	// 100,000 by its own (docs/matching.md, Quality, Session 22).
	DesignCases = 100.0
)

// Estimator estimates a tenant's parameters: term frequencies and stop keys
// from every case of the pool (AddCase, streamed), u from random pairs, m
// and f by expectation-maximisation on the blocked pairs of the traces,
// and m from confirmed matches.
type Estimator struct {
	m       *Matcher
	cases   int
	tf      []map[string]int
	tfTotal []int
	// per comparison, community and key: cases; per community: cases
	tfComm    []map[string]map[string]int
	commTotal []map[string]int
	keys      map[string]int32
	// per comparison that learns variants (learnsVariants): cases whose
	// name has each part, and cases with a name (nil elsewhere)
	parts     []map[string]int
	partCases []int
}

// NewEstimator returns an estimator for the matcher's configuration.
func (m *Matcher) NewEstimator() *Estimator {
	k := len(m.cfg.Comparisons)
	e := &Estimator{m: m, tf: make([]map[string]int, k), tfTotal: make([]int, k),
		tfComm: make([]map[string]map[string]int, k), commTotal: make([]map[string]int, k), keys: map[string]int32{}}
	for i, c := range m.cfg.Comparisons {
		if c.TermFrequency {
			e.tf[i] = map[string]int{}
			e.tfComm[i], e.commTotal[i] = map[string]map[string]int{}, map[string]int{}
		}
		if learnsVariants(c) {
			if e.parts == nil {
				e.parts, e.partCases = make([]map[string]int, k), make([]int, k)
			}
			e.parts[i] = map[string]int{}
		}
	}
	return e
}

// AddCase counts one case of the pool (a case with consent for tracing).
func (e *Estimator) AddCase(s *Subject) { e.addCase(s, e.m.CaseKeys(s)) }

// addCase is AddCase with the case's blocking keys (CaseKeys) already made.
func (e *Estimator) addCase(s *Subject, keys []string) {
	e.cases++
	seen := map[string]bool{}
	for i, counts := range e.tf {
		if counts == nil || !s.vals[i].present {
			continue
		}
		e.tfTotal[i]++
		clear(seen)
		v := s.vals[i]
		add := func(p pname) {
			for _, ks := range p.keys {
				for _, k := range ks {
					seen[k] = true
				}
			}
		}
		add(v.name)
		for _, r := range v.rels {
			add(r.name)
		}
		for _, x := range v.set {
			seen[x] = true
		}
		for k := range seen {
			counts[k]++
		}
		if comm := s.community; comm != "" {
			e.commTotal[i][comm]++
			within := e.tfComm[i][comm]
			if within == nil {
				within = map[string]int{}
				e.tfComm[i][comm] = within
			}
			for k := range seen {
				within[k]++
			}
		}
	}
	for i, counts := range e.parts {
		if counts == nil || !s.vals[i].present || s.vals[i].name.empty() {
			continue
		}
		e.partCases[i]++
		n := &s.vals[i].name.n
		for x := range n.CompareTokens() {
			if !earlierToken(n, x) { // a case counts once per part
				counts[n.Token(x)]++
			}
		}
	}
	for _, k := range keys {
		e.keys[k]++
	}
}

// Stop returns the blocking keys shared by more than StopCases of the cases
// counted so far (sorted).
func (e *Estimator) Stop() []string {
	var out []string
	for k, n := range e.keys {
		if n > StopCases {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// Blocked is a trace with its candidate cases (from blocking), and the
// tracing request it belongs to (traces of one request seek different
// children).
type Blocked struct {
	Trace *Subject
	Cases []*Subject
	// Load, when Cases is nil, reads the candidates: Estimate loads one
	// trace's at a time on each of its workers (Load is called from
	// several goroutines at once) and keeps only the pairs' levels, so that the
	// traces' candidates need not all be held at once (at 1,000,000 cases
	// they are nearly every case; docs/matching.md, Estimation memory).
	Load  func() ([]*Subject, error)
	Group string
}

// Pair is a trace and a case.
type Pair struct {
	Trace, Case *Subject
}

// EstimateInput is what an estimate is made from, besides the cases
// counted with AddCase.
type EstimateInput struct {
	// Blocked are traces with their candidates: EM estimates m and f there.
	Blocked []Blocked
	// RandomTraces and RandomCases are samples (all, or a uniform sample)
	// from which RandomPairs random pairs estimate u.
	RandomTraces, RandomCases []*Subject
	// RandomPairs defaults to RandomPairsDefault.
	RandomPairs int
	// Confirmed are confirmed matches: m is also counted on them.
	Confirmed []Pair
	// NoShrinkage keeps u and the term frequencies as counted on the
	// tenant's cases, without the design values' pseudo-count
	// (DesignCases): for comparison only.
	NoShrinkage bool
	// NoFamilyClass estimates a two-class model (match, non-match) instead
	// of three (match, same family, unrelated): for comparison only.
	NoFamilyClass bool
	// Workers is how many goroutines load and compare the traces'
	// candidates and compute EM's E step (0: GOMAXPROCS); each Load is
	// called from one of them. The parameters do not depend on it.
	Workers int
	// Progress, when set, is told how far the estimate is: the traces
	// compared with their candidates (StageComparing), then EM's
	// iterations (StageEstimate, of MaxIterations at most; it usually
	// converges in far fewer). An error from it ends the estimate.
	Progress func(stage string, done, total int) error
	// Seed makes the random pairs reproducible.
	Seed    uint64
	Version int
	Now     time.Time
}

// ErrTooLittleData: no traces or no cases to estimate from.
var ErrTooLittleData = errors.New("matching: too little data to estimate parameters")

// Estimate estimates the parameters (docs/matching.md, Estimation):
//
//  1. u from random (trace, case) pairs, and term frequencies from the
//     cases counted with AddCase;
//  2. m, f, the prior (share of traces whose child is a case) and the
//     expected siblings per trace by expectation-maximisation over the
//     traces and their candidates, under the model Rank scores with: each
//     trace seeks one child, who is one of its candidates or none of them;
//     every other candidate is a sibling (f) or unrelated (u). A confirmed
//     match fixes its trace's answer. u stays as estimated from random
//     pairs: only M and F are fitted, and M can take at most one pair per
//     trace, which keeps it from settling on some other cluster of similar
//     pairs (a region, a naming tradition). The prior counts each trace's
//     best candidate only, and m of the name comparisons keeps its design
//     values worth NamePriorShare of the unconfirmed traces: look-alikes,
//     which multiply with the cases, then carry neither away;
//  3. spelling variants of the given name (learnVariants) from the pairs
//     EM found likely whose names compare different, then EM again with
//     the names of those spellings at the variant level (its u from the
//     random pairs, its m by EM like the other levels).
func (e *Estimator) Estimate(in EstimateInput) (*Parameters, error) {
	if e.cases == 0 || len(in.RandomTraces) == 0 || len(in.RandomCases) == 0 {
		return nil, ErrTooLittleData
	}
	cfg := e.m.cfg
	k := len(cfg.Comparisons)
	nPairs := in.RandomPairs
	if nPairs <= 0 {
		nPairs = RandomPairsDefault
	}
	family := !in.NoFamilyClass
	// own is the weight of the tenant's own u and term frequencies against
	// the design values (DesignCases): few cases say little about chance
	// agreement, and in a new tenant the traces' own children are a good
	// share of the random pairs (three Aminas among three cases).
	own := 1.0
	if !in.NoShrinkage {
		own = float64(e.cases) / (float64(e.cases) + DesignCases)
	}
	// 1. u from random pairs; term frequencies.
	rng := rand.New(rand.NewPCG(in.Seed, 0x9e3779b97f4a7c15))
	uCount := make([][]float64, k)
	for i, c := range cfg.Comparisons {
		uCount[i] = make([]float64, len(c.Levels()))
	}
	// the random pairs' names that compare different, per comparison that
	// learns variants: those that turn out to be learned variants move
	// from different to variant
	uDifferent := make([]map[[2]string]*namePair, k)
	for i := range e.parts {
		if e.parts[i] != nil {
			uDifferent[i] = map[[2]string]*namePair{}
		}
	}
	for range nPairs {
		t := in.RandomTraces[rng.IntN(len(in.RandomTraces))]
		c := in.RandomCases[rng.IntN(len(in.RandomCases))]
		for i := range cfg.Comparisons {
			l := compare(&cfg.Comparisons[i], t.vals[i], c.vals[i], nil, nil)
			uCount[i][l]++
			if l == lvDifferent && uDifferent[i] != nil {
				a, b := &t.vals[i].name, &c.vals[i].name
				np := uDifferent[i][[2]string{a.tok, b.tok}]
				if np == nil {
					np = &namePair{a: a, b: b}
					uDifferent[i][[2]string{a.tok, b.tok}] = np
				}
				np.n++
			}
		}
	}
	p := &Parameters{Version: in.Version, EstimatedAt: in.Now, Cases: e.cases, Stop: e.Stop(),
		Prior: 0.5, Siblings: 1}
	mPrior, fPrior := make([][]float64, k), make([][]float64, k)
	uOf := func(i int) []float64 {
		u := normalise(uCount[i], 0.5)
		for l, d := range designU(cfg.Comparisons[i]) {
			u[l] = own*u[l] + (1-own)*d
		}
		return u
	}
	for i, c := range cfg.Comparisons {
		u := uOf(i)
		m := startM(c)
		f := slices.Clone(u)
		if c.SharedBySiblings {
			f = slices.Clone(m)
		}
		wm := PriorWeight
		if c.Kind == KindName || c.Kind == KindRelativeName {
			wm = max(wm, NamePriorShare*float64(len(in.Blocked)-len(in.Confirmed)))
		}
		mPrior[i], fPrior[i] = scale(m, wm), scale(f, PriorWeight)
		cp := ComparisonParameters{Name: c.Name, Levels: c.Levels(), ByPosition: c.ByPosition, M: m, F: f, U: u}
		if c.TermFrequency && e.tfTotal[i] > 0 {
			total := float64(e.tfTotal[i])
			s0 := designShare(c)
			cp.TF = map[string]float64{}
			for key, n := range e.tf[i] {
				if n >= 2 {
					cp.TF[key] = shrinkShare(float64(n)/total, s0, own)
				}
			}
			cp.TFFloor = shrinkShare(1/total, s0, own)
			for comm, n := range e.commTotal[i] {
				if n < MinCommunityCases {
					continue
				}
				if cp.TFWithin == nil {
					cp.TFWithin, cp.CommunityCases = map[string]map[string]float64{}, map[string]int{}
				}
				within := map[string]float64{}
				for key, c := range e.tfComm[i][comm] {
					if c >= 2 {
						within[key] = float64(c) / float64(n)
					}
				}
				cp.TFWithin[comm], cp.CommunityCases[comm] = within, n
			}
		}
		p.Comparisons = append(p.Comparisons, cp)
	}
	if !family {
		p.Siblings = 0
	}

	// 2. EM over the traces' candidates. Levels and the term-frequency
	// adjusted log u of each pair do not change between iterations.
	scorer, err := e.m.WithParameters(p)
	if err != nil {
		return nil, err
	}
	confirmed := map[*Subject]*Subject{}
	for _, c := range in.Confirmed {
		confirmed[c.Trace] = c.Case
	}
	type pair struct {
		id     string // the case's
		levels []uint8
		lu     float64
		truth  int8 // 1 confirmed match, -1 another candidate of a confirmed trace, 0 unknown
	}
	// a trace's pairs, and for each pair the case's names of the
	// comparisons that learn variants (indexes into learnt's names; -1: none)
	type tracePairs struct {
		trace *Subject
		ps    []pair
		names []int32
	}
	var learn []int // the comparisons that learn variants
	for i := range e.parts {
		if e.parts[i] != nil {
			learn = append(learn, i)
		}
	}
	learnt := make([]variantNames, len(learn))
	caseNames := func(c *Subject, out []int32) {
		for li, i := range learn {
			out[li] = learnt[li].add(c.vals[i])
		}
	}
	// Traces grouped by tracing request, in input order.
	var groups [][]tracePairs
	groupOf := map[string]int{}
	nBlocked := 0
	var shared [][]string
	blocked := map[*Subject]bool{} // confirmed traces whose match blocking found
	progress := in.Progress
	if progress == nil {
		progress = func(string, int, int) error { return nil }
	}
	if err := progress(StageComparing, 0, len(in.Blocked)); err != nil {
		return nil, err
	}
	workers := in.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// Each trace's candidates loaded (decoded) and compared on the
	// workers, the traces taken in order, so that at most one trace's
	// candidates per worker are held at once; the pairs are grouped in
	// input order below.
	type compared struct {
		ps    []pair
		names []int32
		hit   bool // a confirmed trace's match among its candidates
	}
	pairsOf := make([]compared, len(in.Blocked))
	var (
		next    atomic.Int64
		mu      sync.Mutex // done, loadErr, progress and learnt
		done    int
		loadErr error
		wg      sync.WaitGroup
	)
	for range min(workers, len(in.Blocked)) {
		wg.Go(func() {
			var shared [][]string
			for {
				bi := int(next.Add(1) - 1)
				mu.Lock()
				failed := loadErr != nil
				mu.Unlock()
				if bi >= len(in.Blocked) || failed {
					return
				}
				b := in.Blocked[bi]
				cases := b.Cases
				var err error
				if cases == nil && b.Load != nil {
					cases, err = b.Load()
				}
				var x compared
				if err == nil {
					x.ps = make([]pair, len(cases))
					levels := make([]uint8, k*len(cases)) // one allocation per trace
					conf, isConf := confirmed[b.Trace]
					cache := comparisonCache{}
					for j, c := range cases {
						x.ps[j].id = c.ID
						x.ps[j].levels = levels[j*k : (j+1)*k : (j+1)*k]
						x.ps[j].lu = scorer.levelsAndLogU(b.Trace, c, x.ps[j].levels, &shared, cache)
						if isConf {
							x.ps[j].truth = -1
							if c.ID == conf.ID {
								x.ps[j].truth = 1
								x.hit = true
							}
						}
					}
				}
				mu.Lock()
				if err == nil && len(learn) > 0 {
					// the names' indexes in any order: learnVariants
					// counts them by their parts
					x.names = make([]int32, len(learn)*len(cases))
					for j, c := range cases {
						caseNames(c, x.names[j*len(learn):(j+1)*len(learn)])
					}
				}
				pairsOf[bi] = x
				done++
				if err == nil && loadErr == nil {
					err = progress(StageComparing, done, len(in.Blocked))
				}
				if loadErr == nil {
					loadErr = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if loadErr != nil {
		return nil, loadErr
	}
	for bi, b := range in.Blocked {
		x := pairsOf[bi]
		if x.hit {
			blocked[b.Trace] = true
		}
		nBlocked += len(x.ps)
		g, ok := groupOf[b.Group]
		if !ok || b.Group == "" {
			g = len(groups)
			groupOf[b.Group] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], tracePairs{trace: b.Trace, ps: x.ps, names: x.names})
	}
	// What follows needs the pairs only: the traces' loaders (and the
	// pool of cases they read from) and the random samples can go.
	traces := len(in.Blocked)
	in.Blocked, in.RandomCases, in.RandomTraces = nil, nil, nil
	// Confirmed matches that blocking missed still count for m.
	for _, c := range in.Confirmed {
		if !blocked[c.Trace] {
			lv := make([]uint8, k)
			lu := scorer.levelsAndLogU(c.Trace, c.Case, lv, &shared, nil)
			ns := make([]int32, len(learn))
			caseNames(c.Case, ns)
			groups = append(groups, []tracePairs{{trace: c.Trace, ps: []pair{{id: c.Case.ID, levels: lv, lu: lu, truth: 1}}, names: ns}})
		}
	}

	links := make([][]link, len(groups))
	for g, ts := range groups {
		links[g] = linksBy(len(ts), func(t int) int { return len(ts[t].ps) }, func(t, i int) string { return ts[t].ps[i].id })
	}

	prior, siblings := p.Prior, p.Siblings
	if cfg.Prior > 0 {
		prior = cfg.Prior
	}
	logM, logF := make([][]float64, k), make([][]float64, k)
	mAcc, fAcc := make([][]float64, k), make([][]float64, k)
	iterations, ll := 0, 0.0
	// high are the pairs of the last E step whose posterior of being the
	// child is at least VariantPosterior: where variants are learned
	type at struct{ g, t, j int }
	var high []at
	parts := make([]eCounts, (len(groups)+emChunk-1)/emChunk)
	highs := make([][]at, len(parts)) // each chunk's, in its order
	for c := range parts {
		parts[c] = newECounts(mPrior)
	}
	em := func() error {
		for it := 1; it <= MaxIterations; it++ {
			if err := progress(StageEstimate, it-1, MaxIterations); err != nil {
				return err
			}
			iterations++
			for i := range k {
				logM[i], logF[i] = logs(p.Comparisons[i].M), logs(p.Comparisons[i].F)
				mAcc[i], fAcc[i] = slices.Clone(mPrior[i]), slices.Clone(fPrior[i])
			}
			pr := newPriors(prior, siblings, e.cases)
			// The E step, a chunk of groups at a time on the workers, each
			// chunk's counts its own, then added up in chunk order: the
			// same sums in the same order whatever the workers.
			var next atomic.Int64
			var wg sync.WaitGroup
			for range min(workers, len(parts)) {
				wg.Go(func() {
					for {
						c := int(next.Add(1) - 1)
						if c >= len(parts) {
							return
						}
						part := &parts[c]
						part.reset()
						highs[c] = highs[c][:0]
						for gi := c * emChunk; gi < min((c+1)*emChunk, len(groups)); gi++ {
							g := groups[gi]
							lrs := make([][]float64, len(g))
							lfs := make([][]float64, len(g))
							for t, tp := range g {
								ps := tp.ps
								lrs[t], lfs[t] = make([]float64, len(ps)), make([]float64, len(ps))
								for j := range ps {
									lm, lf := 0.0, 0.0
									for i, l := range ps[j].levels {
										if l != lvMissing {
											lm += logM[i][l]
											lf += logF[i][l]
										}
									}
									lfs[t][j] = lf
									lrs[t][j] = pairScore{lm: lm, lf: lf, lu: ps[j].lu}.logLR(pr)
								}
								terms := []float64{pr.logNone}
								for _, lr := range lrs[t] {
									terms = append(terms, pr.logPM+lr)
								}
								part.ll += logSumExp(terms...)
							}
							post := groupPosteriorLinked(pr, lrs, links[gi])
							for t, tp := range g {
								ps := tp.ps
								// The prior counts the trace's best candidate
								// only: the mass spread over look-alikes grows
								// with the cases and is no sign that the child
								// is registered.
								best := 0
								for j := range ps {
									if post[t][j] > post[t][best] {
										best = j
									}
								}
								for j := range ps {
									pm := post[t][j]
									switch ps[j].truth {
									case 1:
										pm = 1
									case -1:
										pm = 0
									}
									wf := 0.0
									if family {
										f := pr.logPF + lfs[t][j]
										wf = (1 - pm) * math.Exp(f-logSumExp(f, pr.logPU+ps[j].lu))
									}
									for i, l := range ps[j].levels {
										if l != lvMissing {
											part.m[i][l] += pm
											part.f[i][l] += wf
										}
									}
									if j == best || ps[j].truth == 1 {
										part.sumP += pm
									}
									if pm >= VariantPosterior && len(learn) > 0 {
										highs[c] = append(highs[c], at{gi, t, j})
									}
									part.sumF += wf
								}
								part.n++
							}
						}
					}
				})
			}
			wg.Wait()
			sumP, sumF, n := 0.0, 0.0, 0.0
			ll = 0
			high = high[:0]
			for c := range parts {
				part := &parts[c]
				for i := range k {
					for l := range mAcc[i] {
						mAcc[i][l] += part.m[i][l]
						fAcc[i][l] += part.f[i][l]
					}
				}
				sumP, sumF, n, ll = sumP+part.sumP, sumF+part.sumF, n+part.n, ll+part.ll
				high = append(high, highs[c]...)
			}
			change := 0.0
			for i := range k {
				mAcc[i][lvMissing], fAcc[i][lvMissing] = 0, 0
				m, f := normalise(mAcc[i], 0), normalise(fAcc[i], 0)
				// Siblings differ from unrelated children only in what a family
				// shares: elsewhere f stays u, so that F cannot take on some other
				// cluster of similar pairs.
				updateF := family && cfg.Comparisons[i].SharedBySiblings
				for l := range m {
					change = max(change, math.Abs(m[l]-p.Comparisons[i].M[l]))
					if updateF {
						change = max(change, math.Abs(f[l]-p.Comparisons[i].F[l]))
					}
				}
				p.Comparisons[i].M = m
				if updateF {
					p.Comparisons[i].F = f
				}
			}
			np := prior
			if cfg.Prior <= 0 {
				np = clamp(sumP/max(n, 1), 0.01, 0.99)
			}
			ns := 0.0
			if family {
				ns = clamp(sumF/max(n, 1), 0.01, MaxSiblings)
			}
			change = max(change, math.Abs(np-prior), math.Abs(ns-siblings)/10)
			prior, siblings = np, ns
			if change < Tolerance {
				break
			}
		}
		return nil
	}
	if err := em(); err != nil {
		return nil, err
	}
	// 3. Spellings the keys do not join, learned from the pairs EM found
	// likely to be the child; then EM again with them as the variant level
	// (docs/matching.md, Estimation, step 5).
	learned := false
	for li, i := range learn {
		var found [][2]*pname
		for _, h := range high {
			tp := &groups[h.g][h.t]
			if tp.ps[h.j].levels[i] != lvDifferent {
				continue
			}
			if id := tp.names[h.j*len(learn)+li]; id >= 0 {
				found = append(found, [2]*pname{&tp.trace.vals[i].name, &learnt[li].names[id]})
			}
		}
		pairs := learnVariants(found, e.parts[i], e.partCases[i])
		if len(pairs) == 0 {
			continue
		}
		learned = true
		p.Comparisons[i].Variants = pairs
		partners := partnersOf(pairs)
		// u: the random pairs whose names are variants
		for _, np := range uDifferent[i] {
			if isVariant(partners, np.a, np.b) {
				uCount[i][lvDifferent] -= float64(np.n)
				uCount[i][lvVariant] += float64(np.n)
			}
		}
		oldU := logs(p.Comparisons[i].U)
		u := uOf(i)
		p.Comparisons[i].U, p.Comparisons[i].F = u, slices.Clone(u)
		newU := logs(u)
		// the pairs' levels and log u (the level's u: no term frequencies
		// at different or variant)
		// per name, whether it is a variant of the trace's: 2·stamp+1 yes,
		// 2·stamp no (stamps per trace, so nothing is cleared between them)
		isVar := make([]uint32, len(learnt[li].names))
		stamp := uint32(0)
		for _, g := range groups {
			for _, tp := range g {
				stamp++
				tn := &tp.trace.vals[i].name
				for j := range tp.ps {
					pr := &tp.ps[j]
					l := pr.levels[i]
					if l != lvDifferent {
						continue
					}
					if id := tp.names[j*len(learn)+li]; id >= 0 {
						if isVar[id]>>1 != stamp {
							isVar[id] = stamp << 1
							if isVariant(partners, tn, &learnt[li].names[id]) {
								isVar[id] |= 1
							}
						}
						if isVar[id]&1 == 1 {
							l = lvVariant
						}
					}
					pr.levels[i] = l
					pr.lu += newU[l] - oldU[lvDifferent]
				}
			}
		}
	}
	if learned {
		if err := em(); err != nil {
			return nil, err
		}
	}
	p.Prior, p.Siblings = prior, siblings
	p.PriorEstimated = prior
	if cfg.Prior > 0 {
		p.PriorEstimated = 0
	}
	p.Calibration = DefaultCalibration
	p.Estimation = EstimationReport{Cases: e.cases, Traces: traces, BlockedPairs: nBlocked,
		RandomPairs: nPairs, Confirmed: len(in.Confirmed), Iterations: iterations,
		LogLikelihood: ll, FamilyClass: family}
	return p, nil
}

// emChunk is how many groups (tracing requests) of the E step one worker
// takes at a time, with counts of their own (eCounts). Fixed, not by the
// workers: the counts are added up chunk by chunk, so the chunks, not the
// workers, set the order of the floating-point sums, and the parameters
// are the same bit for bit on one core or many.
const emChunk = 16

// eCounts is one chunk's share of an E step: the levels' weights as
// matches (m) and as siblings (f) by comparison, the best candidates'
// posterior (sumP), the siblings' (sumF), the traces (n) and the log
// likelihood (ll).
type eCounts struct {
	m, f              [][]float64
	sumP, sumF, n, ll float64
}

// newECounts returns counts shaped like levels (per comparison, per level).
func newECounts(levels [][]float64) eCounts {
	c := eCounts{m: make([][]float64, len(levels)), f: make([][]float64, len(levels))}
	for i, l := range levels {
		c.m[i], c.f[i] = make([]float64, len(l)), make([]float64, len(l))
	}
	return c
}

func (c *eCounts) reset() {
	for i := range c.m {
		clear(c.m[i])
		clear(c.f[i])
	}
	c.sumP, c.sumF, c.n, c.ll = 0, 0, 0, 0
}

// levelsAndLogU fills a pair's comparison levels and returns its log u
// (term frequencies applied), as score computes them.
func (m *Matcher) levelsAndLogU(trace, c *Subject, levels []uint8, shared *[][]string, cache comparisonCache) float64 {
	lu := 0.0
	var famBuf [8]string
	fam := famBuf[:0]
	for _, i := range m.order {
		cmp := &m.cfg.Comparisons[i]
		*shared = (*shared)[:0]
		l := m.compare(i, trace.vals[i], c.vals[i], shared, cache)
		levels[i] = l
		if l == lvMissing {
			continue
		}
		lu += m.pairLogU(i, l, *shared, sharedCommunity(trace, c), fam)
		fam = appendFamilyKeys(fam, cmp, l, *shared)
	}
	return lu
}

// normalise turns counts into probabilities over the non-missing levels
// (level 0 gets 0), adding a pseudo-count to each.
func normalise(counts []float64, pseudo float64) []float64 {
	out := make([]float64, len(counts))
	total := 0.0
	for l := 1; l < len(counts); l++ {
		total += counts[l] + pseudo
	}
	if total == 0 {
		return out
	}
	for l := 1; l < len(counts); l++ {
		out[l] = (counts[l] + pseudo) / total
	}
	return out
}

func clamp(x, lo, hi float64) float64 { return min(max(x, lo), hi) }

func scale(p []float64, w float64) []float64 {
	out := make([]float64, len(p))
	for i, x := range p {
		out[i] = x * w
	}
	return out
}

// shrinkShare is a term frequency counted on the tenant's cases (share)
// moved towards the design share s0: their mean weighted by own and 1-own
// in log space (a weight of evidence). Averaged as shares, the design
// values' pseudo-cases would outweigh a rare name's own count at any size
// (two cases in 100,000 are a share of 2e-5; DesignCases cases at 0.01
// add a whole case); in log space the design's weight vanishes as the
// cases grow.
func shrinkShare(share, s0, own float64) float64 {
	if own >= 1 {
		return share
	}
	return math.Exp(own*math.Log(share) + (1-own)*math.Log(s0))
}

// designU is the design u of a comparison: how often two unrelated
// children of one tenant fall into each level. Like startM these are
// design values, not fitted to any data set; they weigh DesignCases cases
// against the tenant's own random pairs, so that they decide in a tenant
// of a few cases and vanish in a large one.
func designU(c Comparison) []float64 {
	var w []float64
	switch c.Kind {
	case KindName:
		w = []float64{0, 0.94, 0.02, 0.01, 0.005, 0.01, 0.015, 0.001}
		if !learnsVariants(c) {
			w[lvVariant] = 0 // never reached
		}
	case KindRelativeName:
		w = []float64{0, 0.94, 0.02, 0.01, 0.01, 0.01, 0.01}
	case KindCategory:
		w = []float64{0, 0.5, 0.5}
	case KindCategories:
		w = []float64{0, 0.2, 0.2, 0.2, 0.4}
	case KindAge:
		w = []float64{0, 0.6, 0.1, 0.12, 0.04, 0.06, 0.02, 0.059, 0.001}
	case KindDate:
		w = []float64{0, 0.6, 0.3, 0.07, 0.03}
	case KindLocation:
		// different, the configured levels from the coarsest, same: each
		// finer level a third as likely by chance as the one before.
		n := len(c.LocationLevels) + 3
		w = make([]float64, n)
		w[1] = 0.5
		for l, x := 2, 0.3; l < n; l, x = l+1, x/3 {
			w[l] = x
		}
	}
	return normalise(w, 0)
}

// designShare is the design term frequency of a comparison: the share of
// a tenant's children with a given name part (or, for options, a given
// value), as the level of agreement's design u.
func designShare(c Comparison) float64 {
	if c.Kind == KindCategory {
		return 0.5
	}
	return 0.02
}

// startM is the starting m of a comparison (and its Dirichlet prior):
// a match mostly agrees, the strongest levels most. These are design
// values, not fitted to any data set; data moves them.
func startM(c Comparison) []float64 {
	var w []float64
	switch c.Kind {
	case KindName:
		w = []float64{0, 0.05, 0.03, 0.05, 0.07, 0.3, 0.5, 0.02}
		if !learnsVariants(c) {
			w[lvVariant] = 0 // never reached
		}
	case KindRelativeName:
		w = []float64{0, 0.1, 0.03, 0.05, 0.07, 0.3, 0.45}
	case KindCategory:
		w = []float64{0, 0.1, 0.9}
	case KindCategories:
		w = []float64{0, 0.05, 0.15, 0.3, 0.5}
	case KindAge:
		w = []float64{0, 0.03, 0.03, 0.07, 0.1, 0.2, 0.2, 0.27, 0.1}
	case KindDate:
		w = []float64{0, 0.1, 0.2, 0.3, 0.4}
	case KindLocation:
		n := len(c.LocationLevels) + 3
		w = make([]float64, n)
		w[1] = 0.2
		for l := 2; l < n; l++ {
			w[l] = 0.8 * float64(l-1) / float64((n-2)*(n-1)/2)
		}
	}
	return normalise(w, 0)
}

// earlierToken says whether n's token x is also one of its tokens before x.
func earlierToken(n *names.Name, x int) bool {
	for y := range x {
		if n.Token(y) == n.Token(x) {
			return true
		}
	}
	return false
}
