package matching

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
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
	// (docs/matching-log.md, Quality, Session 21).
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
	// 100,000 by its own (docs/matching-log.md, Quality, Session 22).
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
	// the cases whose names of the comparisons that learn variants
	// (learnsVariants) have each part, and the cases with such a name
	// (parts nil when no comparison learns them): one count for all of
	// them, as the spellings they learn are one set
	parts     map[string]int
	partCases int
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
		if learnsVariants(c) && e.parts == nil {
			e.parts = map[string]int{}
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
			add(*r.name)
		}
		for _, x := range v.set {
			seen[x] = true
		}
		for _, path := range v.paths {
			seen[placeExactKey(path[len(path)-1].Code)] = true
			for _, p := range path {
				seen[p.Code] = true
			}
		}
		for k := range seen {
			counts[k]++
		}
		if comm := s.community; comm != "" && e.m.cfg.Comparisons[i].Kind != KindLocation {
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
	if e.parts != nil {
		e.countParts(s)
	}
	for _, k := range keys {
		e.keys[k]++
	}
}

// countParts counts a case's parts of the names of the comparisons that
// learn variants, once per part whichever names hold it.
func (e *Estimator) countParts(s *Subject) {
	var seen []string
	for i, c := range e.m.cfg.Comparisons {
		if !learnsVariants(c) || !s.vals[i].present {
			continue
		}
		n := &s.vals[i].name.n
		for x := range n.CompareTokens() {
			if tok := n.Token(x); !slices.Contains(seen, tok) {
				seen = append(seen, tok)
			}
		}
	}
	if len(seen) == 0 {
		return
	}
	e.partCases++
	for _, tok := range seen {
		e.parts[tok]++
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
	// they are nearly every case; docs/matching-log.md, Estimation memory).
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
//  3. spelling variants of the given and family names (learnVariants)
//     from the pairs EM found likely whose names compare different, then
//     EM again with the names of those spellings at the variant level of
//     each (its u from the random pairs, or the term frequencies of the
//     case's spelling as scoring has them; its m by EM like the other
//     levels).
func (e *Estimator) Estimate(in EstimateInput) (*Parameters, error) {
	if e.cases == 0 || len(in.RandomTraces) == 0 || len(in.RandomCases) == 0 {
		return nil, ErrTooLittleData
	}
	nPairs := in.RandomPairs
	if nPairs <= 0 {
		nPairs = RandomPairsDefault
	}
	// own is the weight of the tenant's own u and term frequencies against
	// the design values (DesignCases): few cases say little about chance
	// agreement, and in a new tenant the traces' own children are a good
	// share of the random pairs (three Aminas among three cases).
	own := 1.0
	if !in.NoShrinkage {
		own = float64(e.cases) / (float64(e.cases) + DesignCases)
	}
	// 1. u from random pairs; term frequencies.
	rp := e.countRandomPairs(in.RandomTraces, in.RandomCases, nPairs, in.Seed, own)
	p, mPrior, fPrior := e.startParameters(rp, len(in.Blocked)-len(in.Confirmed))
	p.Version, p.EstimatedAt = in.Version, in.Now
	family := !in.NoFamilyClass
	if !family {
		p.Siblings = 0
	}

	// 2. EM over the traces' candidates. Levels and the term-frequency
	// adjusted log u of each pair do not change between iterations.
	scorer, err := e.m.WithParameters(p)
	if err != nil {
		return nil, err
	}
	r := &emRun{cfg: &e.m.cfg, cases: e.cases, family: family, workers: in.Workers, progress: in.Progress,
		mPrior: mPrior, fPrior: fPrior, prior: p.Prior, siblings: p.Siblings, together: e.m.together,
		placeIDs: map[string]int32{}, kin: e.m.kin, kinOf: map[string][]kinKey{}}
	if r.workers <= 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	if r.progress == nil {
		r.progress = func(string, int, int) error { return nil }
	}
	if r.cfg.Prior > 0 {
		r.prior = r.cfg.Prior
	}
	for i, c := range r.cfg.Comparisons {
		if e.parts != nil && learnsVariants(c) {
			r.learn = append(r.learn, i)
		}
	}
	if err := r.compare(scorer, in.Blocked, in.Confirmed); err != nil {
		return nil, err
	}
	// What follows needs the pairs only: the traces' loaders (and the
	// pool of cases they read from) and the random samples can go.
	traces := len(in.Blocked)
	in.Blocked, in.RandomCases, in.RandomTraces = nil, nil, nil
	if err := r.run(p); err != nil {
		return nil, err
	}
	// 3. Spellings the keys do not join, learned from the pairs EM found
	// likely to be the child; then EM again with them as the variant level
	// (docs/matching.md, Estimation, step 5).
	if learned, err := r.variantLevels(e, p, rp); err != nil {
		return nil, err
	} else if learned {
		if err := r.run(p); err != nil {
			return nil, err
		}
	}
	p.Prior, p.Siblings = r.prior, r.siblings
	p.PriorEstimated = r.prior
	if r.cfg.Prior > 0 {
		p.PriorEstimated = 0
	}
	// 4. Together, from one pass over the posterior of the parameters
	// estimated.
	if r.together >= 0 {
		p.Together = r.estimateTogether(e.m, p)
	}
	p.Calibration = DefaultCalibration
	p.Estimation = EstimationReport{Cases: e.cases, Traces: traces, BlockedPairs: r.blockedPairs,
		RandomPairs: nPairs, Confirmed: len(in.Confirmed), Iterations: r.iterations,
		LogLikelihood: r.ll, FamilyClass: family}
	return p, nil
}

// randomPairs are the levels of random (trace, case) pairs, per comparison,
// from which u is estimated, and per comparison that learns variants the
// values of those that compare different: the ones that turn out to be
// learned variants move from different to variant (variantLevels).
type randomPairs struct {
	levels    [][]float64
	different [][][2]*value
	// own is the weight of the pairs' shares against the design values
	own float64
}

// countRandomPairs compares n pairs drawn (by seed) from traces and cases.
func (e *Estimator) countRandomPairs(traces, cases []*Subject, n int, seed uint64, own float64) *randomPairs {
	cfg := &e.m.cfg
	k := len(cfg.Comparisons)
	rp := &randomPairs{levels: make([][]float64, k), different: make([][][2]*value, k), own: own}
	learn := make([]bool, k)
	for i, c := range cfg.Comparisons {
		rp.levels[i] = make([]float64, len(c.Levels()))
		learn[i] = e.parts != nil && learnsVariants(c)
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	for range n {
		t := traces[rng.IntN(len(traces))]
		c := cases[rng.IntN(len(cases))]
		for i := range cfg.Comparisons {
			l := compare(&cfg.Comparisons[i], t.vals[i], c.vals[i], nil, nil)
			rp.levels[i][l]++
			if l == lvDifferent && learn[i] {
				rp.different[i] = append(rp.different[i], [2]*value{t.vals[i], c.vals[i]})
			}
		}
	}
	return rp
}

// u is comparison c's u: the random pairs' shares, shrunk towards the
// design values.
func (rp *randomPairs) u(c Comparison, i int) []float64 {
	u := normalise(rp.levels[i], 0.5)
	for l, d := range designU(c) {
		u[l] = rp.own*u[l] + (1-rp.own)*d
	}
	return u
}

// startParameters returns the parameters EM starts from (u from the random
// pairs, m and f from the design values, the term frequencies counted with
// AddCase) and the pseudo-counts of m and f that each M step starts from;
// unconfirmed is how many of EM's traces are not confirmed.
func (e *Estimator) startParameters(rp *randomPairs, unconfirmed int) (p *Parameters, mPrior, fPrior [][]float64) {
	cfg := &e.m.cfg
	k := len(cfg.Comparisons)
	p = &Parameters{Cases: e.cases, Stop: e.Stop(), Prior: 0.5, Siblings: 1, NameKeys: names.KeysVersion}
	mPrior, fPrior = make([][]float64, k), make([][]float64, k)
	for i, c := range cfg.Comparisons {
		u := rp.u(c, i)
		m := startM(c)
		f := slices.Clone(u)
		if c.SharedBySiblings {
			f = slices.Clone(m)
		}
		wm := PriorWeight
		if c.Kind == KindName || c.Kind == KindRelativeName {
			wm = max(wm, NamePriorShare*float64(unconfirmed))
		}
		mPrior[i], fPrior[i] = scale(m, wm), scale(f, PriorWeight)
		cp := ComparisonParameters{Name: c.Name, Levels: c.Levels(), ByPosition: c.ByPosition, TermFrequency: c.TermFrequency, ByRelation: c.ByRelation(), M: m, F: f, U: u}
		if c.ByTraceOrder {
			cp.MLater, cp.FLater = slices.Clone(m), slices.Clone(f)
		}
		if c.TermFrequency && e.tfTotal[i] > 0 {
			e.termFrequencies(&cp, i, rp.own)
		}
		p.Comparisons = append(p.Comparisons, cp)
	}
	return p, mPrior, fPrior
}

// termFrequencies sets comparison i's term frequencies, the tenant's and
// each large enough community's.
func (e *Estimator) termFrequencies(cp *ComparisonParameters, i int, own float64) {
	c := e.m.cfg.Comparisons[i]
	total := float64(e.tfTotal[i])
	s0 := designShare(c)
	cp.TF = map[string]float64{}
	if c.Kind == KindLocation {
		// every place's own share: placeLogU shrinks the share of a level
		// (made of several places' shares) towards the level's u
		for key, n := range e.tf[i] {
			cp.TF[key] = float64(n) / total
		}
		cp.TFFloor = 1 / total
		return
	}
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

// emRun is expectation-maximisation over the estimation traces' pairs
// (Estimate, step 2): the pairs grouped by tracing request, the
// pseudo-counts each M step starts from, and what one E step leaves the
// next.
type emRun struct {
	cfg            *Configuration
	cases          int
	family         bool
	workers        int
	progress       func(stage string, done, total int) error
	mPrior, fPrior [][]float64
	// learn are the comparisons that learn variants; learnt, for each,
	// the distinct values of the candidates
	learn  []int
	learnt []variantValues
	// the traces' pairs by tracing request, in input order, and the
	// candidates each group's traces share
	groups       [][]emTrace
	links        [][]link
	blockedPairs int
	// the estimate so far
	prior, siblings float64
	iterations      int
	ll              float64
	// the last E step's counts, a chunk of emChunk groups each, and each
	// chunk's pairs whose posterior of being the child is at least
	// VariantPosterior (where variants are learned)
	parts []eCounts
	highs [][]emAt
	// together is the comparison Together compares cases on (-1: none),
	// placeIDs its places' codes numbered (emPair.places).
	together int
	placeIDs map[string]int32
	// kin is the comparison Together's kin factor reads (-1: none), kinOf
	// each candidate case's relatives as it compares them (appendKinKeys;
	// a pair's Subject is not kept).
	kin        int
	kinOf      map[string][]kinKey
	kinStrings map[string]string // kinOf's strings, each once
}

// emPair is a trace's candidate as EM sees it.
type emPair struct {
	id     string // the case's
	levels []uint8
	lu     float64
	truth  int8 // 1 confirmed match, -1 another candidate of a confirmed trace, 0 unknown
	// within: the case is of the trace's community (sharedCommunity), whose
	// term frequencies weigh a variant found later (moveToVariant)
	within bool
	// places are the case's first two places of the together comparison
	// (emRun.placeIDs; -1: none), for Together's estimate: a pair's
	// Subject is not kept.
	places [2]int32
}

// emTrace is a trace's pairs, and for each pair the case's values of the
// comparisons that learn variants (indexes into emRun.learnt's; -1: none).
type emTrace struct {
	trace *Subject
	ps    []emPair
	names []int32
}

// emAt is a pair: its group, its trace in the group, and its index there.
type emAt struct{ g, t, j int }

// compare loads each trace's candidates (decoded) and compares them on the
// workers, the traces taken in order, so that at most one trace's
// candidates per worker are held at once; then it groups the pairs by
// tracing request in input order, and adds the confirmed matches that
// blocking missed, which still count for m.
func (r *emRun) compare(scorer *Matcher, blocked []Blocked, confirmed []Pair) error {
	k := len(r.cfg.Comparisons)
	r.learnt = make([]variantValues, len(r.learn))
	for li := range r.learnt {
		r.learnt[li].own = scorer.ownValue
	}
	matchOf := map[*Subject]*Subject{}
	for _, c := range confirmed {
		matchOf[c.Trace] = c.Case
	}
	if err := r.progress(StageComparing, 0, len(blocked)); err != nil {
		return err
	}
	type compared struct {
		ps    []emPair
		names []int32
		hit   bool // a confirmed trace's match among its candidates
	}
	pairsOf := make([]compared, len(blocked))
	var mu sync.Mutex // done, the progress and learnt
	done := 0
	err := onWorkers(r.workers, len(blocked), func(bi int) error {
		b := blocked[bi]
		cases := b.Cases
		if cases == nil && b.Load != nil {
			var err error
			if cases, err = b.Load(); err != nil {
				return err
			}
		}
		x := compared{ps: make([]emPair, len(cases))}
		levels := make([]uint8, k*len(cases)) // one allocation per trace
		match, isConf := matchOf[b.Trace]
		cache := comparisonCache{}
		var shared [][]string
		for j, c := range cases {
			x.ps[j].id = c.ID
			x.ps[j].levels = levels[j*k : (j+1)*k : (j+1)*k]
			x.ps[j].lu = scorer.levelsAndLogU(b.Trace, c, x.ps[j].levels, &shared, cache)
			x.ps[j].within = sharedCommunity(b.Trace, c) != ""
			if isConf {
				x.ps[j].truth = -1
				if c.ID == match.ID {
					x.ps[j].truth = 1
					x.hit = true
				}
			}
		}
		mu.Lock()
		defer mu.Unlock()
		for j, c := range cases {
			x.ps[j].places = r.placesOf(c)
			r.addKin(c)
		}
		if len(r.learn) > 0 {
			// the values' indexes in any order: learnVariants counts
			// their names by their parts
			x.names = make([]int32, len(r.learn)*len(cases))
			for j, c := range cases {
				r.caseNames(c, x.names[j*len(r.learn):(j+1)*len(r.learn)])
			}
		}
		pairsOf[bi] = x
		done++
		return r.progress(StageComparing, done, len(blocked))
	})
	if err != nil {
		return err
	}
	hit := map[*Subject]bool{} // confirmed traces whose match blocking found
	groupOf := map[string]int{}
	for bi, b := range blocked {
		x := pairsOf[bi]
		if x.hit {
			hit[b.Trace] = true
		}
		r.blockedPairs += len(x.ps)
		g, ok := groupOf[b.Group]
		if !ok || b.Group == "" {
			g = len(r.groups)
			groupOf[b.Group] = g
			r.groups = append(r.groups, nil)
		}
		r.groups[g] = append(r.groups[g], emTrace{trace: b.Trace, ps: x.ps, names: x.names})
	}
	var shared [][]string
	for _, c := range confirmed {
		if !hit[c.Trace] {
			lv := make([]uint8, k)
			lu := scorer.levelsAndLogU(c.Trace, c.Case, lv, &shared, nil)
			ns := make([]int32, len(r.learn))
			r.caseNames(c.Case, ns)
			ps := []emPair{{id: c.Case.ID, levels: lv, lu: lu, truth: 1, within: sharedCommunity(c.Trace, c.Case) != "",
				places: r.placesOf(c.Case)}}
			r.addKin(c.Case)
			r.groups = append(r.groups, []emTrace{{trace: c.Trace, ps: ps, names: ns}})
		}
	}
	r.links = make([][]link, len(r.groups))
	for g, ts := range r.groups {
		r.links[g] = linksBy(len(ts), func(t int) int { return len(ts[t].ps) }, func(t, i int) string { return ts[t].ps[i].id })
	}
	r.parts = make([]eCounts, (len(r.groups)+emChunk-1)/emChunk)
	r.highs = make([][]emAt, len(r.parts))
	for c := range r.parts {
		r.parts[c] = newECounts(r.mPrior)
	}
	return nil
}

// addKin notes case c's relatives for the kin factor's estimate, their
// strings interned: c's own are slices of its stored form, which would
// otherwise stay in memory for every candidate (4 GiB more at a
// preparation of 1,000,000 cases: docs/matching-log.md, Estimation memory
// → Session 55).
func (r *emRun) addKin(c *Subject) {
	if r.kin < 0 || r.kinOf == nil { // an emRun made without Together (tests)
		return
	}
	if _, ok := r.kinOf[c.ID]; ok {
		return
	}
	_, keys := appendKinKeys(nil, c.vals[r.kin])
	keys = slices.Clone(keys)
	for i, k := range keys {
		keys[i] = kinKey{rel: r.internKin(k.rel), key: r.internKin(k.key)}
	}
	r.kinOf[c.ID] = keys
}

// internKin returns s as a string of kinOf's own, one per distinct s.
func (r *emRun) internKin(s string) string {
	if v, ok := r.kinStrings[s]; ok {
		return v
	}
	if r.kinStrings == nil {
		r.kinStrings = map[string]string{}
	}
	s = strings.Clone(s)
	r.kinStrings[s] = s
	return s
}

// placesOf returns c's first two places of the together comparison
// (the last codes of its paths, numbered in placeIDs; -1: none), each once.
func (r *emRun) placesOf(c *Subject) [2]int32 {
	if r.together < 0 {
		return [2]int32{-1, -1}
	}
	if r.placeIDs == nil { // an emRun made without Together (tests)
		r.placeIDs = map[string]int32{}
	}
	out, _ := firstPlaces(c, r.together, r.placeIDs)
	return out
}

// estimateTogether estimates Together from the groups of several traces,
// after EM, in one pass over the posterior of p (each group's traces
// ranked together, without Together): Agree is the posterior mass of the
// pairs of two traces' best candidates that share a place, Chance that of
// the pairs of one trace's best with the other's other candidates (the
// competitors a factor between the two would favour or not: of the
// child's community, living near it, they share its brother's place far
// more often than two candidates at large), per cell (how many of the two
// are at their trace's own place, atPlace). Chance shrinks by PriorWeight
// pairs towards the share of all pairs of two traces' candidates that
// share a place, Agree towards Chance (no evidence). Only each trace's
// best is paired with all the other's candidates: every pair of two
// traces' candidates (2,000 each at 100,000 cases) kept for EM took 6.5
// GB (docs/matching-log.md, Quality, Session 29 (engineer Q)).
func (r *emRun) estimateTogether(m *Matcher, p *Parameters) Together {
	lg := emLogsOf(p)
	pr := newPriors(r.prior, r.siblings, r.cases)
	kin := r.kin >= 0 && r.kinOf != nil
	type counts struct {
		agree, agreeOf, chance, chanceOf, share, pairs [3]float64
		kinAgree, kinChance                            [kinLevels]float64
	}
	part := make([]counts, len(r.parts))
	_ = onWorkers(r.workers, len(r.parts), func(c int) error {
		var scratch eCounts
		for g := c * emChunk; g < min((c+1)*emChunk, len(r.groups)); g++ {
			ts := r.groups[g]
			if len(ts) < 2 {
				continue
			}
			lrs, _ := r.groupScores(g, &scratch, pr, lg)
			post := groupPosteriorLinked(pr, lrs, r.links[g], nil, togetherWeights{}, nil)
			top := make([][]uint8, len(ts))
			for t := range ts {
				top[t] = make([]uint8, len(ts[t].ps))
				for j, x := range ts[t].ps {
					top[t][j] = m.atPlace(x.levels[r.together])
				}
			}
			n := &part[c]
			for t := range ts {
				for u := t + 1; u < len(ts); u++ {
					a, b := ts[t].ps, ts[u].ps
					weigh := func(i, j int, sum, of *[3]float64) {
						if a[i].id == b[j].id {
							return
						}
						cell, w := top[t][i]+top[u][j], post[t][i]*post[u][j]
						of[cell] += w
						if sharesPlace(a[i].places, b[j].places) {
							sum[cell] += w
						}
					}
					bt, bu := best(post[t]), best(post[u])
					if bt < 0 || bu < 0 {
						continue
					}
					weigh(bt, bu, &n.agree, &n.agreeOf)
					for j := range b {
						if j != bu {
							weigh(bt, j, &n.chance, &n.chanceOf)
						}
					}
					for i := range a {
						if i != bt {
							weigh(i, bu, &n.chance, &n.chanceOf)
						}
					}
					if kin {
						r.countKin(a, b, bt, bu, post[t], post[u], &n.kinAgree, &n.kinChance)
					}
					countShared(a, b, top[t], top[u], &n.share, &n.pairs)
				}
			}
		}
		return nil
	})
	var sum counts
	for _, n := range part { // in chunk order: the same sums whatever the workers
		for c := range 3 {
			sum.agree[c] += n.agree[c]
			sum.agreeOf[c] += n.agreeOf[c]
			sum.chance[c] += n.chance[c]
			sum.chanceOf[c] += n.chanceOf[c]
			sum.share[c] += n.share[c]
			sum.pairs[c] += n.pairs[c]
		}
		for l := range kinLevels {
			sum.kinAgree[l] += n.kinAgree[l]
			sum.kinChance[l] += n.kinChance[l]
		}
	}
	tg := Together{Comparison: r.cfg.Comparisons[r.together].Name}
	for c := range tg.Chance {
		chance := (sum.share[c] + 0.5) / (sum.pairs[c] + 1)
		chance = (sum.chance[c] + PriorWeight*chance) / (sum.chanceOf[c] + PriorWeight)
		tg.Chance[c] = chance
		tg.Agree[c] = (sum.agree[c] + PriorWeight*chance) / (sum.agreeOf[c] + PriorWeight)
	}
	if kin {
		tg.Kin = r.cfg.Comparisons[r.kin].Name
		tg.KinAgree, tg.KinChance = kinShares(sum.kinAgree, sum.kinChance)
	}
	return tg
}

// countKin adds to agree the posterior mass of the pair of two traces'
// best candidates (a's bt, b's bu; pa and pb their posteriors) at each kin
// level, and to chance that of each best with the other trace's others,
// as estimateTogether counts the places.
func (r *emRun) countKin(a, b []emPair, bt, bu int, pa, pb []float64, agree, chance *[kinLevels]float64) {
	ka, kb := r.kinOf[a[bt].id], r.kinOf[b[bu].id]
	if a[bt].id != b[bu].id {
		agree[kinLevel(ka, kb)] += pa[bt] * pb[bu]
	}
	for j := range b {
		if j != bu && b[j].id != a[bt].id {
			chance[kinLevel(ka, r.kinOf[b[j].id])] += pa[bt] * pb[j]
		}
	}
	for i := range a {
		if i != bt && a[i].id != b[bu].id {
			chance[kinLevel(r.kinOf[a[i].id], kb)] += pa[i] * pb[bu]
		}
	}
}

// kinShares turns kin counts into shares: chance with half a pair at each
// level, agree shrunk by PriorWeight pairs towards chance (no evidence).
func kinShares(agree, chance [kinLevels]float64) (a, c [kinLevels]float64) {
	var na, nc float64
	for l := range kinLevels {
		na += agree[l]
		nc += chance[l]
	}
	for l := range kinLevels {
		c[l] = (chance[l] + 0.5) / (nc + 0.5*kinLevels)
		a[l] = (agree[l] + PriorWeight*c[l]) / (na + PriorWeight)
	}
	return a, c
}

// sharesPlace says whether two cases' places (emPair.places) share one.
func sharesPlace(a, b [2]int32) bool {
	for _, x := range a {
		if x >= 0 && (x == b[0] || x == b[1]) {
			return true
		}
	}
	return false
}

// countShared adds, per cell, the pairs of a's and b's candidates (of
// different cases) that share a place to share, and all of them to pairs,
// counting by place rather than pair by pair: a pair shares a place when
// the two have one in common, two when they have the same two, so the
// pairs sharing any are the sum over places less the sum over pairs of
// places.
func countShared(a, b []emPair, topA, topB []uint8, share, pairs *[3]float64) {
	type key struct {
		x, y int32
		top  uint8
	}
	at := map[key][2]float64{} // by place (y -1) or two places: a's count, b's
	var nA, nB [2]float64
	tally := func(ps []emPair, top []uint8, side int, n *[2]float64) {
		for j, x := range ps {
			n[top[j]]++
			for _, pl := range x.places {
				if pl >= 0 {
					k := key{pl, -1, top[j]}
					v := at[k]
					v[side]++
					at[k] = v
				}
			}
			if x.places[1] >= 0 {
				k := key{min(x.places[0], x.places[1]), max(x.places[0], x.places[1]), top[j]}
				v := at[k]
				v[side]++
				at[k] = v
			}
		}
	}
	tally(a, topA, 0, &nA)
	tally(b, topB, 1, &nB)
	for k, v := range at {
		if v[0] == 0 {
			continue
		}
		for tb := range uint8(2) {
			o, ok := at[key{k.x, k.y, tb}]
			if !ok || o[1] == 0 {
				continue
			}
			n := v[0] * o[1]
			if k.y >= 0 {
				n = -n
			}
			share[k.top+tb] += n
		}
	}
	for x := range 2 {
		for y := range 2 {
			pairs[x+y] += nA[x] * nB[y]
		}
	}
	// a case that is a candidate of both traces is not a pair of two
	ids := make(map[string]int, len(b))
	for j, x := range b {
		ids[x.id] = j
	}
	for i, x := range a {
		if j, ok := ids[x.id]; ok {
			c := topA[i] + topB[j]
			pairs[c]--
			if x.places[0] >= 0 {
				share[c]--
			}
		}
	}
}

// caseNames sets out to the indexes of c's values of the comparisons that
// learn variants.
func (r *emRun) caseNames(c *Subject, out []int32) {
	for li, i := range r.learn {
		out[li] = r.learnt[li].add(c.vals[i])
	}
}

// ownValue returns a copy of v whose strings are its own: a value decoded
// from a stored form is slices of the whole form, which a value kept for
// the estimate's length (variantValues) would keep in memory (Estimation
// memory → Session 55).
func (m *Matcher) ownValue(v *value) value {
	d := newDecoder(m.appendValue(nil, v))
	var out value
	m.decodeValue(&d, &out)
	return out
}

// run iterates from p's m and f and r's prior and siblings until no
// probability changes by Tolerance (or MaxIterations), leaving the
// estimate in p (m, f), r.prior and r.siblings.
func (r *emRun) run(p *Parameters) error {
	for it := 1; it <= MaxIterations; it++ {
		if err := r.progress(StageEstimate, it-1, MaxIterations); err != nil {
			return err
		}
		r.iterations++
		lg := emLogsOf(p)
		pr := newPriors(r.prior, r.siblings, r.cases)
		// The E step, a chunk of groups at a time on the workers, each
		// chunk's counts its own, then added up in chunk order (mStep):
		// the same sums in the same order whatever the workers.
		_ = onWorkers(r.workers, len(r.parts), func(c int) error {
			r.eStep(c, pr, lg)
			return nil
		})
		if r.mStep(p) < Tolerance {
			break
		}
	}
	return nil
}

// emLogs are the log m and log f of an E step: of a request's first trace
// (m, f) and of its later ones (mLater, fLater; m and f where no
// comparison is ByTraceOrder).
type emLogs struct{ m, f, mLater, fLater [][]float64 }

func emLogsOf(p *Parameters) emLogs {
	k := len(p.Comparisons)
	lg := emLogs{m: make([][]float64, k), f: make([][]float64, k), mLater: make([][]float64, k), fLater: make([][]float64, k)}
	for i, cp := range p.Comparisons {
		lg.m[i], lg.f[i] = logs(cp.M), logs(cp.F)
		lg.mLater[i], lg.fLater[i] = lg.m[i], lg.f[i]
		if cp.MLater != nil {
			lg.mLater[i], lg.fLater[i] = logs(cp.MLater), logs(cp.FLater)
		}
	}
	return lg
}

// of returns the log m and log f of trace.
func (lg emLogs) of(trace *Subject) (logM, logF [][]float64) {
	if trace.later {
		return lg.mLater, lg.fLater
	}
	return lg.m, lg.f
}

// eStep counts chunk c's groups into the chunk's eCounts (and its likely
// pairs into its highs) under m, f and the priors of this iteration.
func (r *emRun) eStep(c int, pr priors, lg emLogs) {
	part := &r.parts[c]
	part.reset()
	r.highs[c] = r.highs[c][:0]
	for g := c * emChunk; g < min((c+1)*emChunk, len(r.groups)); g++ {
		lrs, lfs := r.groupScores(g, part, pr, lg)
		post := groupPosteriorLinked(pr, lrs, r.links[g], nil, togetherWeights{}, nil)
		for t := range r.groups[g] {
			r.countTrace(c, emAt{g: g, t: t}, post[t], lfs[t], pr)
		}
	}
}

// groupScores returns the log likelihood ratios of group g's pairs and
// their log f, adding the group's log likelihood to part.
func (r *emRun) groupScores(g int, part *eCounts, pr priors, lg emLogs) (lrs, lfs [][]float64) {
	ts := r.groups[g]
	lrs, lfs = make([][]float64, len(ts)), make([][]float64, len(ts))
	for t, tp := range ts {
		logM, logF := lg.of(tp.trace)
		lrs[t], lfs[t] = make([]float64, len(tp.ps)), make([]float64, len(tp.ps))
		terms := []float64{pr.logNone}
		for j := range tp.ps {
			lm, lf := 0.0, 0.0
			for i, l := range tp.ps[j].levels {
				if l != lvMissing {
					lm += logM[i][l]
					lf += logF[i][l]
				}
			}
			lfs[t][j] = lf
			lrs[t][j] = pairScore{lm: lm, lf: lf, lu: tp.ps[j].lu}.logLR(pr)
			terms = append(terms, pr.logPM+lrs[t][j])
		}
		part.ll += logSumExp(terms...)
	}
	return lrs, lfs
}

// countTrace counts a trace's pairs (at.g, at.t) into chunk c's counts by
// their posterior post of being the child (a confirmed trace's by its
// truth) and, in the family class, of being a sibling.
func (r *emRun) countTrace(c int, at emAt, post, lfs []float64, pr priors) {
	part := &r.parts[c]
	ps := r.groups[at.g][at.t].ps
	mc, fc := part.m, part.f // the ByTraceOrder comparisons' counts
	if r.groups[at.g][at.t].trace.later {
		mc, fc = part.mLater, part.fLater
	}
	// The prior counts the trace's best candidate only: the mass spread
	// over look-alikes grows with the cases and is no sign that the child
	// is registered.
	best := 0
	for j := range ps {
		if post[j] > post[best] {
			best = j
		}
	}
	for j := range ps {
		pm := post[j]
		switch ps[j].truth {
		case 1:
			pm = 1
		case -1:
			pm = 0
		}
		wf := 0.0
		if r.family {
			f := pr.logPF + lfs[j]
			wf = (1 - pm) * math.Exp(f-logSumExp(f, pr.logPU+ps[j].lu))
		}
		for i, l := range ps[j].levels {
			switch {
			case l == lvMissing:
			case r.cfg.Comparisons[i].ByTraceOrder:
				mc[i][l] += pm
				fc[i][l] += wf
			default:
				part.m[i][l] += pm
				part.f[i][l] += wf
			}
		}
		if j == best || ps[j].truth == 1 {
			part.sumP += pm
		}
		if pm >= VariantPosterior && len(r.learn) > 0 {
			r.highs[c] = append(r.highs[c], emAt{at.g, at.t, j})
		}
		part.sumF += wf
	}
	part.n++
}

// mStep adds up the chunks' counts in chunk order to p's m and f (f only
// where siblings share the comparison), r.prior and r.siblings, and
// returns the largest change.
func (r *emRun) mStep(p *Parameters) float64 {
	k := len(r.cfg.Comparisons)
	mAcc, fAcc := make([][]float64, k), make([][]float64, k)
	mAccL, fAccL := make([][]float64, k), make([][]float64, k)
	for i := range k {
		mAcc[i], fAcc[i] = slices.Clone(r.mPrior[i]), slices.Clone(r.fPrior[i])
		mAccL[i], fAccL[i] = slices.Clone(r.mPrior[i]), slices.Clone(r.fPrior[i])
	}
	sumP, sumF, n := 0.0, 0.0, 0.0
	r.ll = 0
	for c := range r.parts {
		part := &r.parts[c]
		for i := range k {
			for l := range mAcc[i] {
				mAcc[i][l] += part.m[i][l]
				fAcc[i][l] += part.f[i][l]
				mAccL[i][l] += part.mLater[i][l]
				fAccL[i][l] += part.fLater[i][l]
			}
		}
		sumP, sumF, n, r.ll = sumP+part.sumP, sumF+part.sumF, n+part.n, r.ll+part.ll
	}
	change := 0.0
	for i := range k {
		mAcc[i][lvMissing], fAcc[i][lvMissing] = 0, 0
		m, f := normalise(mAcc[i], 0), normalise(fAcc[i], 0)
		// Siblings differ from unrelated children only in what a family
		// shares: elsewhere f stays u, so that F cannot take on some other
		// cluster of similar pairs.
		updateF := r.family && r.cfg.Comparisons[i].SharedBySiblings
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
		if cp := &p.Comparisons[i]; cp.MLater != nil {
			mAccL[i][lvMissing], fAccL[i][lvMissing] = 0, 0
			ml, fl := normalise(mAccL[i], 0), normalise(fAccL[i], 0)
			for l := range ml {
				change = max(change, math.Abs(ml[l]-cp.MLater[l]))
				if updateF {
					change = max(change, math.Abs(fl[l]-cp.FLater[l]))
				}
			}
			cp.MLater = ml
			if updateF {
				cp.FLater = fl
			}
		}
	}
	np := r.prior
	if r.cfg.Prior <= 0 {
		np = clamp(sumP/max(n, 1), 0.01, 0.99)
	}
	ns := 0.0
	if r.family {
		ns = clamp(sumF/max(n, 1), 0.01, MaxSiblings)
	}
	change = max(change, math.Abs(np-r.prior), math.Abs(ns-r.siblings)/10)
	r.prior, r.siblings = np, ns
	return change
}

// variantLevels learns the spellings of the comparisons that learn them
// from the likely pairs of the last E step, counted together
// (learnVariants), stores them in p for each of those comparisons, and
// moves the pairs and the random pairs whose values are learned variants
// from different to variant, with u estimated again; it reports whether
// any pair was learned.
func (r *emRun) variantLevels(e *Estimator, p *Parameters, rp *randomPairs) (bool, error) {
	var found [][2]*pname
	for li, i := range r.learn {
		cmp := &r.cfg.Comparisons[i]
		for _, high := range r.highs {
			for _, h := range high {
				tp := &r.groups[h.g][h.t]
				if tp.ps[h.j].levels[i] != lvDifferent {
					continue
				}
				if id := tp.names[h.j*len(r.learn)+li]; id >= 0 {
					found = differentParts(found, cmp, tp.trace.vals[i], &r.learnt[li].values[id])
				}
			}
		}
	}
	pairs := learnVariants(found, e.parts, e.partCases)
	if len(pairs) == 0 {
		return false, nil
	}
	partners := partnersOf(pairs)
	oldDifferent := make([]float64, len(p.Comparisons))
	for _, i := range r.learn {
		cmp := &r.cfg.Comparisons[i]
		p.Comparisons[i].Variants = pairs
		// u: the random pairs whose values are variants
		for _, d := range rp.different[i] {
			if isVariantValue(cmp, partners, d[0], d[1]) {
				rp.levels[i][lvDifferent]--
				rp.levels[i][lvVariant]++
			}
		}
		oldDifferent[i] = logs(p.Comparisons[i].U)[lvDifferent]
		u := rp.u(*cmp, i)
		p.Comparisons[i].U = u
		if !cmp.SharedBySiblings {
			p.Comparisons[i].F = slices.Clone(u) // f = u where siblings share nothing
		}
	}
	scorer, err := e.m.WithParameters(p)
	if err != nil {
		return false, err
	}
	for li, i := range r.learn {
		r.moveToVariant(scorer, li, oldDifferent[i])
	}
	return true, nil
}

// moveToVariant sets the variant level on the pairs whose values of the
// comparison li that learns variants are learned variants (the scorer's),
// and every different or variant pair's log u from the comparison's new u
// instead of oldDifferent: a variant's from the term frequencies of the
// case's spellings (pairLogU, as scoring has it), a different one's the
// level's.
func (r *emRun) moveToVariant(scorer *Matcher, li int, oldDifferent float64) {
	i := r.learn[li]
	cmp := &r.cfg.Comparisons[i]
	partners, newDifferent := scorer.variants[i], scorer.logU[i][lvDifferent]
	var shared [][]string
	// per value, whether it is a variant of the trace's: 2·stamp+1 yes,
	// 2·stamp no (stamps per trace, so nothing is cleared between them)
	isVar := make([]uint32, len(r.learnt[li].values))
	stamp := uint32(0)
	for _, g := range r.groups {
		for _, tp := range g {
			stamp++
			tv := tp.trace.vals[i]
			for j := range tp.ps {
				pr := &tp.ps[j]
				if pr.levels[i] != lvDifferent {
					continue
				}
				if id := tp.names[j*len(r.learn)+li]; id >= 0 {
					if isVar[id]>>1 != stamp {
						isVar[id] = stamp << 1
						if isVariantValue(cmp, partners, tv, &r.learnt[li].values[id]) {
							isVar[id] |= 1
						}
					}
					if isVar[id]&1 == 1 {
						pr.levels[i] = lvVariant
						shared = shared[:0]
						variantValue(cmp, partners, scorer.variantKeys[i], tv, &r.learnt[li].values[id], &shared, nil)
						comm := ""
						if pr.within {
							comm = tp.trace.community
						}
						pr.lu += scorer.pairLogU(i, lvVariant, shared, comm, nil) - oldDifferent
						continue
					}
				}
				pr.lu += newDifferent - oldDifferent
			}
		}
	}
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
	m, f [][]float64
	// mLater, fLater count the ByTraceOrder comparisons of a request's
	// later traces (m and f its first traces')
	mLater, fLater    [][]float64
	sumP, sumF, n, ll float64
}

// newECounts returns counts shaped like levels (per comparison, per level).
func newECounts(levels [][]float64) eCounts {
	n := len(levels)
	c := eCounts{m: make([][]float64, n), f: make([][]float64, n), mLater: make([][]float64, n), fLater: make([][]float64, n)}
	for i, l := range levels {
		c.m[i], c.f[i] = make([]float64, len(l)), make([]float64, len(l))
		c.mLater[i], c.fLater[i] = make([]float64, len(l)), make([]float64, len(l))
	}
	return c
}

func (c *eCounts) reset() {
	for i := range c.m {
		clear(c.m[i])
		clear(c.f[i])
		clear(c.mLater[i])
		clear(c.fLater[i])
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
		l := m.comparePair(i, trace, c, shared, cache)
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
		w = []float64{0, 0.94, 0.02, 0.01, 0.005, 0.01, 0.015, 0.001, 0.0001}
		if !learnsVariants(c) {
			w[lvVariant] = 0 // never reached
		}
		if !c.Swaps {
			w[lvSwapped] = 0 // never reached
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
		w = []float64{0, 0.05, 0.03, 0.05, 0.07, 0.3, 0.5, 0.02, 0.02}
		if !learnsVariants(c) {
			w[lvVariant] = 0 // never reached
		}
		if !c.Swaps {
			w[lvSwapped] = 0 // never reached
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

// onWorkers calls do for each index of [0, n) on at most workers
// goroutines, each taking the next index when done with one. Once a call
// fails no index is handed out any more, and the first error is returned.
func onWorkers(workers, n int, do func(i int) error) error {
	var (
		next   atomic.Int64
		failed atomic.Bool
		first  error
		once   sync.Once
		wg     sync.WaitGroup
	)
	for range min(workers, n) {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := do(i); err != nil {
					once.Do(func() { first = err })
					failed.Store(true)
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// best is the index of the largest of ps (the first of equals; -1: none).
func best(ps []float64) int {
	b := -1
	for i, p := range ps {
		if b < 0 || p > ps[b] {
			b = i
		}
	}
	return b
}
