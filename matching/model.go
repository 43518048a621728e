package matching

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cpims-hosted/cpims/names"
)

// Parameters are the model's estimated parameters (one version): for each
// comparison and level the probability of the level for the same child (M),
// for a brother or sister of the child (F: same family, another child) and
// for an unrelated child (U), the term frequencies of name keys, and the
// priors. They are estimated from the tenant's own data (Estimator) and
// stored with a version number, which every potential match records.
type Parameters struct {
	Version     int                    `json:"version"`
	EstimatedAt time.Time              `json:"estimated_at"`
	Comparisons []ComparisonParameters `json:"comparisons"`
	// Prior is the prior used: the share of traces whose child is among the
	// cases (the configuration's stated prior, or PriorEstimated).
	Prior float64 `json:"prior"`
	// PriorEstimated is the share estimated by expectation-maximisation.
	PriorEstimated float64 `json:"prior_estimated"`
	// Siblings is the expected number of cases of the same family as a
	// trace's child (brothers and sisters registered), per trace.
	Siblings float64 `json:"siblings"`
	// Cases is the number of cases in the pool (consent for tracing) when
	// estimated: a pair's prior probability is Prior / Cases.
	Cases int `json:"cases"`
	// Stop lists blocking keys shared by too many cases to select
	// candidates (sorted).
	Stop []string `json:"stop"`
	// NameKeys is the version of the names' phonetic keys (names.KeysVersion)
	// that the term frequencies and stop keys were counted with: parameters
	// of other keys do not fit (ErrParameters) and are estimated anew.
	NameKeys int `json:"name_keys"`
	// Estimation says what the estimate was made from.
	Estimation EstimationReport `json:"estimation"`
	// Calibration turns match weights into probabilities (zero: none,
	// as parameters stored before it).
	Calibration Calibration `json:"calibration"`
	// Together weighs the traces of one request against each other by
	// their candidates' own registrations (zero: not at all, as parameters
	// stored before it).
	Together Together `json:"together"`
}

// Together is the evidence that brothers and sisters sought in one tracing
// request give each other: children registered together share a place
// (the camp they live in, where they were separated), which a trace need
// not say (it gives where the child was last seen). If trace t's child is
// case a and trace u's is case b, a and b are brothers or sisters, and
// their registrations share a place with probability Agree; two other
// candidates of the request's traces share one with probability Chance.
// Choosing a for t and b for u then weighs Agree/Chance when they share a
// place and (1 − Agree)/(1 − Chance) when not, each log weight times
// Calibration.Together (a pairwise factor of the group's joint posterior,
// groupPosteriorLinked). Both are per cell: how many of the two candidates
// are at the trace's own place already (the comparison's finest level),
// which the traces' location weights counted: a look-alike found at the
// place the request gives shares it with the request's other child far
// more often than chance. Both are estimated from the tenant's traces and
// their candidates (Estimate).
type Together struct {
	// Comparison is the location comparison whose case values are compared
	// (the first of the child's own, shared by siblings, not of a subform).
	Comparison string     `json:"comparison"`
	Agree      [3]float64 `json:"agree"`
	Chance     [3]float64 `json:"chance"`
	// Kin is the relative-name comparison whose case values (the
	// registration's relatives by relation) weigh two candidates by their
	// kin level (kin.go; "": not at all, as parameters estimated before
	// it); KinAgree and KinChance are the shares of the pairs at each
	// level, as Agree and Chance the shares sharing a place.
	Kin       string             `json:"kin,omitempty"`
	KinAgree  [kinLevels]float64 `json:"kin_agree"`
	KinChance [kinLevels]float64 `json:"kin_chance"`
}

// Calibration corrects the posterior for what the model leaves out: its
// comparisons are not independent (one family's registration agrees or
// differs on its names, places and separation together), so summed
// weights overstate the evidence, most for traces whose child is not
// registered. A candidate's log likelihood ratio is recombined from its
// parts, each with its own scale: the field weights of the comparisons
// brothers and sisters do not share (the child's own: names, sex, age),
// those of the comparisons they share (the family's), and the family
// adjustment; the log prior of "none of the candidates" is raised by
// Offset:
//
//	log LR' = Child·W_child + Family·W_family + Adjustment·A
//	P(c) ∝ (ρ/N)·LR'(c),  P(none) ∝ (1 − ρ)·e^Offset
//
// Together scales the log weights of the factor between a request's traces
// (Parameters.Together): it was estimated beside, not with, the other
// comparisons, and enters the posterior as evidence no more independent
// than theirs. The zero Calibration means none (all scales 1, Offset 0,
// the factor at its estimated weight), as for parameters stored before it;
// a calibration without Together (stored before it) leaves the factor out. The constants are fitted once on generated
// data (docs/matching.md, Calibration), not per tenant: a tenant has no
// truth to fit them on.
type Calibration struct {
	Child      float64 `json:"child"`
	Family     float64 `json:"family"`
	Adjustment float64 `json:"adjustment"`
	Offset     float64 `json:"offset"`
	Together   float64 `json:"together,omitempty"`
}

// NoCalibration leaves the model's probabilities as they are.
var NoCalibration = Calibration{Child: 1, Family: 1, Adjustment: 1, Together: 1}

// DefaultCalibration is the calibration new parameters get: fitted by
// maximum likelihood on profile A's 1,000 estimation traces (20,000 cases,
// seed 1: go test -bench BenchmarkQuality ./matching/quality/ -args
// -quality.cases=20000 -quality.traces=1000 -quality.fit), never on
// held-out traces or profile B. Refitted in session 19 when a relative's
// name stopped counting the family names' parts again (pairLogU), and in
// session 22 for session 21's estimation (the prior from each trace's best
// candidate, the name levels' prior share) and small tenants' shrinkage
// (was 0.718, 0.894, 0.936, -1.440; docs/matching-log.md, Quality, Session 22),
// and in session 29 for the family names compared position by position
// (was 0.761, 0.872, 0.932, -1.867; Quality, Session 29 (engineer P)).
// Together (session 35) was fitted alone, the four above held, through the
// group posterior RankGroup computes (quality.FitCalibrationTogether:
// -quality.cases=20000 -quality.traces=2000 -quality.fit
// -quality.togetherfit=scale on profile A's estimation traces): the factor
// at a little over half its estimated weight (docs/matching-log.md,
// Quality → Session 35 (engineer C), and the lead's 100,000-case runs).
// All five refitted so in session 45, on 2,000 estimation traces, when the
// case's place of separation became a comparison of its own (was 0.754,
// 0.869, 0.976, -2.276, 0.575; Quality → Session 45), and in session 46
// when places got term frequencies (was 0.785, 0.819, 0.832, -1.862,
// 0.453; Quality → Session 46).
var DefaultCalibration = Calibration{Child: 0.771, Family: 0.818, Adjustment: 0.814, Offset: -1.774, Together: 0.515}

func (c Calibration) none() bool { return c == Calibration{} || c == NoCalibration }

// together returns Together's log weights w scaled by c.
func (c Calibration) together(w togetherWeights) togetherWeights {
	s := c.Together
	if c.none() {
		s = 1
	}
	for k := range w.agree {
		w.agree[k] *= s
		w.differ[k] *= s
	}
	for l := range w.kin {
		w.kin[l] *= s
	}
	return w
}

// lr is one calibrated log likelihood ratio (apply's) of a pair whose log
// likelihood ratio is lr and field weights wc (the child's) and wf (the
// family's), in nats.
func (c Calibration) lr(lr, wc, wf float64) float64 {
	return c.Child*wc + c.Family*wf + c.Adjustment*(lr-wc-wf)
}

// one is the calibrated log likelihood ratio of one pair's score, as
// calibrated computes it.
func (c Calibration) one(pr priors, s pairScore) float64 {
	lr := s.logLR(pr)
	if c.none() {
		return lr
	}
	return c.lr(lr, (s.sumW-s.sumWFamily)*math.Ln2, s.sumWFamily*math.Ln2)
}

// apply returns the calibrated log likelihood ratios (parts: per trace and
// candidate, the child's and the family's field weights, in nats) and
// priors.
func (c Calibration) apply(pr priors, lrs [][]float64, parts [][][2]float64) (priors, [][]float64) {
	if c.none() {
		return pr, lrs
	}
	out := make([][]float64, len(lrs))
	for t, ls := range lrs {
		out[t] = make([]float64, len(ls))
		for i, lr := range ls {
			out[t][i] = c.lr(lr, parts[t][i][0], parts[t][i][1])
		}
	}
	pr.logNone += c.Offset
	return pr, out
}

// ComparisonParameters are one comparison's parameters, per level (in the
// order of Comparison.Levels; "missing" carries no weight).
type ComparisonParameters struct {
	Name   string   `json:"name"`
	Levels []string `json:"levels"`
	// ByPosition is the comparison's ByPosition when estimated: a name's
	// levels by position mean other things than the same levels of the
	// fields joined (a missing part is no longer a disagreement), so
	// parameters estimated the other way do not fit.
	ByPosition bool `json:"by_position,omitempty"`
	// TermFrequency is the comparison's TermFrequency when estimated: the
	// term frequencies are counted only for a comparison that has them,
	// and a configuration that turns them on needs them counted (until
	// session 46 parameters did not say: those of a comparison with term
	// frequencies are estimated anew once).
	TermFrequency bool `json:"term_frequency,omitempty"`
	// ByRelation is a location comparison's ByRelation() when estimated: a
	// relative's place compared with the same relative's only says other
	// things than compared with any family member's (until session 47 the
	// inquirer's place was compared with any row's: such parameters are
	// estimated anew once).
	ByRelation bool      `json:"by_relation,omitempty"`
	M          []float64 `json:"m"`
	F          []float64 `json:"f"`
	U          []float64 `json:"u"`
	// MLater and FLater are m and f for a request's traces after its
	// first, of a comparison ByTraceOrder (M and F are then the first
	// trace's); parameters estimated without them do not fit.
	MLater []float64 `json:"m_later,omitempty"`
	FLater []float64 `json:"f_later,omitempty"`
	// TF maps a name key to the share of cases whose names have it (an
	// option to the share with it; a place's code to the share of cases
	// within it and placeExactKey(code) to the share at it: places.go); a
	// key not listed has share TFFloor.
	TF      map[string]float64 `json:"tf,omitempty"`
	TFFloor float64            `json:"tf_floor,omitempty"`
	// TFWithin maps a community (Subject community key) to the shares of
	// its own cases with each name key, for communities of at least
	// MinCommunityCases cases; CommunityCases are their sizes (a key not
	// listed has share 1/size). A pair of one community agreeing on a name
	// gets u from its community's shares: its agreement on the community is
	// already counted by the categories comparison.
	TFWithin       map[string]map[string]float64 `json:"tf_within,omitempty"`
	CommunityCases map[string]int                `json:"community_cases,omitempty"`
	// Variants are spellings of one name that the phonetic keys do not
	// join (Faadumo and Fatima, Jean and John), learned from the
	// tenant's own traces and their likely children (learnVariants): pairs
	// of folded name parts, each pair in order and the pairs sorted. A name
	// that compares different with a name of which one part and a part of
	// its own form a pair is at level variant instead, with its own m and u.
	Variants [][2]string `json:"variants,omitempty"`
}

// EstimationReport records what an estimate was made from.
type EstimationReport struct {
	Cases         int     `json:"cases"`
	Traces        int     `json:"traces"`
	BlockedPairs  int     `json:"blocked_pairs"`
	RandomPairs   int     `json:"random_pairs"`
	Confirmed     int     `json:"confirmed"`
	Iterations    int     `json:"iterations"`
	LogLikelihood float64 `json:"log_likelihood"`
	FamilyClass   bool    `json:"family_class"`
}

// Matcher compares traces with cases under one configuration and, once
// given parameters, scores them. It is safe for concurrent use.
type Matcher struct {
	cfg   Configuration
	locs  Locations
	today time.Time
	p     *Parameters
	// per comparison and level: log m, log f, log u
	logM, logF, logU [][]float64
	// logMLater, logFLater are logM and logF for a request's later traces
	// (the ByTraceOrder comparisons' own; nil when there is none:
	// forTrace)
	logMLater, logFLater [][]float64
	stop                 map[string]bool
	// variants are, per comparison, each learned variant part's partners
	// (ComparisonParameters.Variants; nil: none learned), variantKeys each
	// part's phonetic keys (variantKeysOf).
	variants, variantKeys []map[string][]string
	// partner is, per comparison, its SwapsWith comparison's index (-1:
	// none).
	partner []int
	block   blockingPlan
	// community is the index of the comparison whose values make a
	// subject's community (the first categories comparison), or -1.
	community int
	// order is the order in which a pair's comparisons are scored: the
	// family names (name comparisons shared by siblings, with term
	// frequencies) first, so that a relative's name can leave out the
	// parts they already agreed on (logU).
	order []int
	// fingerprint of what stored subjects depend on (Fingerprint).
	fingerprint int64
	// caseKeys are the keys of a case record's data the matcher reads
	// (recordKeys).
	caseKeys []string
	// levels are each comparison's Levels (a location's are built per
	// call).
	levels [][]string
	// preKeep is how many candidates per trace RankGroup ranks in full
	// after the pre-score (WithPreScore; 0: all), preRead the comparisons
	// the pre-score reads.
	preKeep int
	preRead []bool
	preMask uint64 // preRead's first 64 comparisons as bits (Subject.pending's)
	// preDefer are the comparisons of the pre-score a RunStore scores only
	// for the candidates whose bound may reach the kept (PreScoreDeferred),
	// preFirst the others; deferMask is preDefer as bits.
	preDefer, preFirst []bool
	deferMask          uint64
	// together is the comparison Together compares cases on (-1: none);
	// togetherW its log weights once parameters have them, calibrated.
	together  int
	togetherW togetherWeights
	// kin is the relative-name comparison Together's kin factor reads
	// (-1: none).
	kin int
}

// togetherWeights are a Together's log factors per cell: a pair of
// candidates of two traces of a request sharing a place, not sharing one;
// and per kin level (all 0: no kin factor).
type togetherWeights struct {
	agree, differ [3]float64
	kin           [kinLevels]float64
}

func (w togetherWeights) kinOn() bool { return w.kin != [kinLevels]float64{} }

func (w togetherWeights) on() bool { return w != togetherWeights{} }

// NewMatcher returns a matcher for a valid configuration. Locations
// resolves location codes (nil: locations are never compared); today is the
// date ages without a reference date are given on (a case's calculated
// age).
func NewMatcher(cfg Configuration, locs Locations, today time.Time) (*Matcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Matcher{cfg: cfg, locs: locs, today: today, community: -1, together: -1, kin: -1, fingerprint: fingerprint(cfg)}
	m.caseKeys = m.recordKeys(true)
	for i := range cfg.Comparisons {
		m.partner = append(m.partner, cfg.partner(i))
	}
	for i, c := range cfg.Comparisons {
		if c.Kind == KindCategories {
			m.community = i
			break
		}
	}
	for i, c := range cfg.Comparisons {
		if c.Kind == KindLocation && c.SharedBySiblings && c.Case.Subform == "" {
			m.together = i
			break
		}
	}
	for i, c := range cfg.Comparisons {
		if c.Kind == KindRelativeName && c.Case.Subform != "" {
			m.kin = i
			break
		}
	}
	for i, c := range cfg.Comparisons {
		if familyNames(c) {
			m.order = append(m.order, i)
		}
	}
	for i, c := range cfg.Comparisons {
		if !familyNames(c) {
			m.order = append(m.order, i)
		}
	}
	m.block = newBlockingPlan(cfg)
	for _, c := range cfg.Comparisons {
		m.levels = append(m.levels, c.Levels())
	}
	return m, nil
}

// familyNames says whether a comparison holds the child's family names
// (names shared by brothers and sisters, weighed by term frequency): in
// patronymic traditions their parts are the father's and grandfather's
// names, and elsewhere the family's name.
func familyNames(c Comparison) bool {
	return c.Kind == KindName && c.SharedBySiblings && c.TermFrequency
}

// Configuration returns the matcher's configuration.
func (m *Matcher) Configuration() Configuration { return m.cfg }

// Parameters returns the matcher's parameters (nil before WithParameters).
func (m *Matcher) Parameters() *Parameters { return m.p }

// ErrParameters reports parameters that do not fit the configuration
// (estimated under another one): re-estimate them.
var ErrParameters = errors.New("parameters do not fit the configuration")

// WithParameters returns a copy of the matcher that scores with p.
func (m *Matcher) WithParameters(p *Parameters) (*Matcher, error) {
	if len(p.Comparisons) != len(m.cfg.Comparisons) || p.Cases <= 0 || p.Prior <= 0 || p.Prior >= 1 {
		return nil, ErrParameters
	}
	if p.NameKeys != names.KeysVersion {
		return nil, fmt.Errorf("%w: the names' keys are version %d, not %d", ErrParameters, p.NameKeys, names.KeysVersion)
	}
	n := *m
	n.p = p
	n.logM = make([][]float64, len(p.Comparisons))
	n.logF = make([][]float64, len(p.Comparisons))
	n.logU = make([][]float64, len(p.Comparisons))
	for i, cp := range p.Comparisons {
		c := m.cfg.Comparisons[i]
		if cp.Name != c.Name || !slices.Equal(cp.Levels, c.Levels()) || cp.ByPosition != c.ByPosition || cp.TermFrequency != c.TermFrequency || cp.ByRelation != c.ByRelation() ||
			len(cp.M) != len(cp.Levels) || len(cp.F) != len(cp.Levels) || len(cp.U) != len(cp.Levels) {
			return nil, fmt.Errorf("%w: comparison %q", ErrParameters, c.Name)
		}
		n.logM[i], n.logF[i], n.logU[i] = logs(cp.M), logs(cp.F), logs(cp.U)
		if c.ByTraceOrder != (cp.MLater != nil) || (cp.MLater != nil &&
			(len(cp.MLater) != len(cp.Levels) || len(cp.FLater) != len(cp.Levels))) {
			return nil, fmt.Errorf("%w: comparison %q by the trace's order", ErrParameters, c.Name)
		}
		if len(cp.Variants) > 0 {
			if !learnsVariants(c) {
				return nil, fmt.Errorf("%w: comparison %q has variants", ErrParameters, c.Name)
			}
			if n.variants == nil {
				n.variants = make([]map[string][]string, len(p.Comparisons))
				n.variantKeys = make([]map[string][]string, len(p.Comparisons))
			}
			n.variants[i], n.variantKeys[i] = partnersOf(cp.Variants), variantKeysOf(cp.Variants)
		}
	}
	n.logMLater, n.logFLater = nil, nil
	for i, cp := range p.Comparisons {
		if cp.MLater == nil {
			continue
		}
		if n.logMLater == nil {
			n.logMLater, n.logFLater = slices.Clone(n.logM), slices.Clone(n.logF)
		}
		n.logMLater[i], n.logFLater[i] = logs(cp.MLater), logs(cp.FLater)
	}
	n.stop = make(map[string]bool, len(p.Stop))
	for _, k := range p.Stop {
		n.stop[k] = true
	}
	w, err := m.togetherWeightsOf(p.Together)
	if err != nil {
		return nil, err
	}
	n.togetherW = p.Calibration.together(w)
	return &n, nil
}

// togetherWeightsOf returns tg's log weights, none for the zero Together
// (parameters stored before it); ErrParameters when it compares another
// comparison than this configuration's or its shares are not
// probabilities.
func (m *Matcher) togetherWeightsOf(tg Together) (togetherWeights, error) {
	var w togetherWeights
	if tg == (Together{}) {
		return w, nil
	}
	if m.together < 0 || tg.Comparison != m.cfg.Comparisons[m.together].Name {
		return w, fmt.Errorf("%w: together compares %q", ErrParameters, tg.Comparison)
	}
	for c := range tg.Agree {
		if !(tg.Agree[c] > 0 && tg.Agree[c] < 1 && tg.Chance[c] > 0 && tg.Chance[c] < 1) {
			return w, fmt.Errorf("%w: together's shares", ErrParameters)
		}
		w.agree[c] = math.Log(tg.Agree[c] / tg.Chance[c])
		w.differ[c] = math.Log((1 - tg.Agree[c]) / (1 - tg.Chance[c]))
	}
	if m.kin >= 0 && tg.Kin != m.cfg.Comparisons[m.kin].Name {
		// estimated before the kin factor, or of another comparison
		return w, fmt.Errorf("%w: together's kin compares %q", ErrParameters, tg.Kin)
	}
	if m.kin < 0 && tg.Kin != "" {
		return w, fmt.Errorf("%w: together's kin compares %q, which this configuration has not", ErrParameters, tg.Kin)
	}
	for l := range tg.KinAgree {
		if tg.Kin == "" {
			break
		}
		if !(tg.KinAgree[l] > 0 && tg.KinAgree[l] < 1 && tg.KinChance[l] > 0 && tg.KinChance[l] < 1) {
			return w, fmt.Errorf("%w: together's kin shares", ErrParameters)
		}
		w.kin[l] = math.Log(tg.KinAgree[l] / tg.KinChance[l])
	}
	return w, nil
}

func logs(p []float64) []float64 {
	out := make([]float64, len(p))
	for i, x := range p {
		out[i] = math.Log(max(x, minProbability))
	}
	return out
}

// minProbability bounds every estimated probability away from zero: no
// single comparison may rule a pair in or out on its own.
const minProbability = 1e-4

// FieldComparison explains one comparison of a scored pair.
type FieldComparison struct {
	Comparison string `json:"comparison"`
	Level      string `json:"level"`
	// Weight is the comparison's match weight in bits: log2(m/u), u
	// adjusted by term frequency; 0 when a side is missing.
	Weight float64 `json:"weight"`
}

// Candidate is a case scored against a trace.
type Candidate struct {
	Case *Subject
	// Probability that the case is the child the trace seeks, given the
	// trace's other candidates (at most one of them is).
	Probability float64
	Label       string
	// Weight is the pair's match weight in bits: the log2 likelihood ratio
	// of "same child" against "another child" (of the same family or not).
	Weight float64
	// FamilyAdjustment is the part of Weight that is not the sum of the
	// field weights: agreement that a brother or sister would share too.
	FamilyAdjustment float64
	Fields           []FieldComparison
	levels           []uint8
	// weights are the field weights while rankKept ranks without Fields
	// (a pooled buffer, nil once ranked).
	weights []float64
}

// Levels returns the comparison levels of the pair (indexes into each
// comparison's Levels).
func (c *Candidate) Levels() []uint8 { return c.levels }

// Vector returns the comparison levels of a trace and a case (indexes into
// each comparison's Levels), without scoring.
func (m *Matcher) Vector(trace, cas *Subject) []uint8 {
	out := make([]uint8, len(m.cfg.Comparisons))
	for i := range m.cfg.Comparisons {
		out[i] = m.comparePair(i, trace, cas, nil, nil)
	}
	return out
}

// ErrNoParameters: the matcher has no parameters yet.
var ErrNoParameters = errors.New("matching: no parameters")

// pairScore is a pair's log likelihood under each class (missing
// comparisons left out) and the sum of its field weights.
type pairScore struct {
	lm, lf, lu, sumW float64
	// sumWFamily is the part of sumW from comparisons shared by siblings.
	sumWFamily float64
}

// priors are the log priors of a pair: the same child, a sibling, an
// unrelated child, and of "not the same child".
type priors struct {
	logPM, logPF, logPU, logNotM, logNone float64
}

func newPriors(prior, siblings float64, cases int) priors {
	nc := float64(cases)
	pM := prior / nc
	pF := math.Min(siblings/nc, 0.5)
	pU := 1 - pF - pM
	return priors{logPM: math.Log(pM), logPF: math.Log(pF), logPU: math.Log(pU),
		logNotM: math.Log(pF + pU), logNone: math.Log(1 - prior)}
}

// logLR is the pair's log likelihood ratio: same child against another
// child (a sibling or an unrelated one, in their prior proportions).
func (ps pairScore) logLR(pr priors) float64 {
	return ps.lm - (logSumExp2(pr.logPF+ps.lf, pr.logPU+ps.lu) - pr.logNotM)
}

// score compares a trace and a case and returns the pair's score; when
// cand is not nil, it also fills the candidate's levels and field weights.
// Only the comparisons of only count (all when only is nil).
func (m *Matcher) score(trace, c *Subject, cand *Candidate, only []bool, shared *[][]string, cache comparisonCache) pairScore {
	return m.scoreKnown(trace, c, cand, only, nil, shared, cache)
}

// scoreKnown is score with the contributions of some comparisons known
// (known[i], where its level is not lvUnscored; known nil: none): those
// the pre-score of a RunStore read for the pair (storedContributions), not
// compared again.
func (m *Matcher) scoreKnown(trace, c *Subject, cand *Candidate, only []bool, known []preContribution, shared *[][]string, cache comparisonCache) pairScore {
	var ps pairScore
	var famBuf [8]string
	fam := famBuf[:0]
	for _, i := range m.order {
		if only != nil && !only[i] {
			continue
		}
		cmp := &m.cfg.Comparisons[i]
		var l uint8
		var logU float64
		if known != nil && known[i].l != lvUnscored {
			l, logU = known[i].l, known[i].luOut
			if l != lvMissing && sharedCommunity(trace, c) != "" {
				logU = known[i].luWithin
			}
			if familyNames(*cmp) && tfLevel(cmp.Kind, l) {
				// a relative's name scored after needs the parts they
				// agreed on (only the name itself agrees at these levels)
				*shared = (*shared)[:0]
				if cmp.ByPosition {
					agreedPositions(trace.vals[i], c.vals[i], m.crossed(i, trace, c, cache), shared)
				} else {
					agreed(&trace.vals[i].name, &c.vals[i].name, shared)
				}
				fam = appendFamilyKeys(fam, cmp, l, *shared)
			}
		} else {
			*shared = (*shared)[:0]
			l = m.comparePair(i, trace, c, shared, cache)
			if l != lvMissing {
				logU = m.pairLogU(i, l, *shared, sharedCommunity(trace, c), fam)
				fam = appendFamilyKeys(fam, cmp, l, *shared)
			}
		}
		w := 0.0
		if l != lvMissing {
			ps.lm += m.logM[i][l]
			ps.lf += m.logF[i][l]
			ps.lu += logU
			w = (m.logM[i][l] - logU) / math.Ln2
			ps.sumW += w
			if cmp.SharedBySiblings {
				ps.sumWFamily += w
			}
		}
		if cand != nil {
			cand.levels[i] = l
			if cand.weights != nil {
				cand.weights[i] = w
			} else {
				cand.Fields[i] = FieldComparison{Comparison: cmp.Name, Level: m.levels[i][l], Weight: w}
			}
		}
	}
	return ps
}

// posterior returns each candidate's log posterior probability under the
// one-child constraint: the child is one of the candidates (prior
// Prior/Cases each) or none of them (prior 1 - Prior); and the log
// probability of none of them.
func posterior(pr priors, lrs []float64) ([]float64, float64) {
	terms := make([]float64, 0, len(lrs)+1)
	terms = append(terms, pr.logNone)
	for _, lr := range lrs {
		terms = append(terms, pr.logPM+lr)
	}
	z := logSumExp(terms...)
	out := make([]float64, len(lrs))
	for i, lr := range lrs {
		out[i] = pr.logPM + lr - z
	}
	return out, pr.logNone - z
}

// Rank scores a trace's candidate cases and returns them best first
// (ties by case id). Probabilities are posterior probabilities under the
// one-child constraint: the trace seeks one child, who is one of the
// candidates or none of them (with prior 1 - Prior).
func (m *Matcher) Rank(trace *Subject, cases []*Subject) ([]Candidate, error) {
	out, err := m.RankGroup([]*Subject{trace}, [][]*Subject{cases})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// RankGroup ranks the candidates of the traces of one tracing request
// together: besides each trace seeking one child, a case is the child of at
// most one of the traces (brothers and sisters sought together are
// different children), so a case that is clearly one trace's child is
// unlikely to be another's.
func (m *Matcher) RankGroup(traces []*Subject, cases [][]*Subject) ([][]Candidate, error) {
	if m.p == nil {
		return nil, ErrNoParameters
	}
	pr := newPriors(m.p.Prior, m.p.Siblings, m.p.Cases)
	cases, caches, err := m.preScore(pr, traces, cases)
	if err != nil {
		return nil, err
	}
	return m.rankKept(pr, traces, cases, caches, nil, nil), nil
}

// rankKept ranks in full the candidates of each trace the pre-score kept
// (all when there is none), going on with each trace's comparison cache.
// known, when not nil, holds per trace what the pre-score's comparisons
// added for each kept candidate (k entries per candidate; scoreKnown).
// fieldsFor, when not nil, says which candidates (j-th best of their
// trace) get their Fields: the others get none, their weights held in a
// pooled buffer while ranking (nil: every candidate gets them).
func (m *Matcher) rankKept(pr priors, traces []*Subject, cases [][]*Subject, caches []comparisonCache, known [][]preContribution, fieldsFor func(j int, c *Candidate) bool) [][]Candidate {
	out := make([][]Candidate, len(traces))
	lrs := make([][]float64, len(traces))
	parts := make([][][2]float64, len(traces))
	var shared [][]string
	k := len(m.cfg.Comparisons)
	var weights *[]float64
	if fieldsFor != nil {
		n := 0
		for t := range traces {
			n += len(cases[t])
		}
		weights = weightBuffers.Get().(*[]float64)
		*weights = slices.Grow((*weights)[:0], n*k)[:n*k]
		defer weightBuffers.Put(weights)
	}
	at := 0
	for t, trace := range traces {
		out[t] = make([]Candidate, len(cases[t]))
		lrs[t] = make([]float64, len(cases[t]))
		parts[t] = make([][2]float64, len(cases[t]))
		cache := caches[t]
		mt := m.forTrace(trace)
		levels := make([]uint8, k*len(cases[t]))
		var fields []FieldComparison
		if weights == nil {
			fields = make([]FieldComparison, k*len(cases[t]))
		}
		for ci, c := range cases[t] {
			cand := Candidate{Case: c, levels: levels[ci*k : (ci+1)*k : (ci+1)*k]}
			if weights != nil {
				cand.weights = (*weights)[at : at+k : at+k]
				at += k
			} else {
				cand.Fields = fields[ci*k : (ci+1)*k : (ci+1)*k]
			}
			var kn []preContribution
			if known != nil && known[t] != nil {
				kn = known[t][ci*k : (ci+1)*k]
			}
			ps := mt.scoreKnown(trace, c, &cand, nil, kn, &shared, cache)
			lrs[t][ci] = ps.logLR(pr)
			cand.Weight = lrs[t][ci] / math.Ln2
			cand.FamilyAdjustment = cand.Weight - ps.sumW
			parts[t][ci] = [2]float64{(ps.sumW - ps.sumWFamily) * math.Ln2, ps.sumWFamily * math.Ln2}
			out[t][ci] = cand
		}
	}
	cpr, clrs := m.p.Calibration.apply(pr, lrs, parts)
	links := groupLinks(cases)
	var sibs *siblingGroup
	if len(traces) > 1 && m.togetherW.on() {
		sc := kinScratches.Get().(*kinScratch)
		defer kinScratches.Put(sc) // sibs is not kept past the ranking
		sibs = m.siblings(cases, m.topsOf(out), m.togetherW.kinOn(), links, sc)
	}
	probs := groupPosteriorLinked(cpr, clrs, links, sibs, m.togetherW, nil)
	for t := range out {
		for i := range out[t] {
			out[t][i].Probability = probs[t][i]
			out[t][i].Label = m.cfg.Thresholds.Label(probs[t][i])
		}
		out[t] = sortCandidates(out[t])
		if weights != nil {
			m.fillFields(out[t], fieldsFor)
		}
	}
	return out
}

// weightBuffers hold rankKept's field weights of candidates ranked
// without Fields.
var weightBuffers = sync.Pool{New: func() any { return new([]float64) }}

// fillFields gives the candidates (best first) that fieldsFor names their
// Fields from their levels and weights, and lets go of every candidate's
// weights.
func (m *Matcher) fillFields(cs []Candidate, fieldsFor func(j int, c *Candidate) bool) {
	k := len(m.cfg.Comparisons)
	n := 0
	for j := range cs {
		if fieldsFor(j, &cs[j]) {
			n++
		}
	}
	fields := make([]FieldComparison, n*k)
	for j := range cs {
		c := &cs[j]
		if fieldsFor(j, c) {
			c.Fields = fields[:k:k]
			fields = fields[k:]
			for i, l := range c.levels {
				c.Fields[i] = FieldComparison{Comparison: m.cfg.Comparisons[i].Name, Level: m.levels[i][l], Weight: c.weights[i]}
			}
		}
		c.weights = nil
	}
}

// forTrace returns the matcher that scores trace: m itself, or for a
// request's later trace (Subject.SetOrder) a copy with the ByTraceOrder
// comparisons' m and f of later traces.
func (m *Matcher) forTrace(trace *Subject) *Matcher {
	if m.logMLater == nil || !trace.later {
		return m
	}
	n := *m
	n.logM, n.logF = m.logMLater, m.logFLater
	return &n
}

// sortCandidates sorts the candidates best first, in place, and returns
// them: by probability, then weight, then case id (then their order, as a
// stable sort would). It sorts their indexes and moves each candidate once
// or twice: sorting the candidates themselves moved them O(n log² n) times,
// with a write barrier per pointer while the collector marks (a tenth of a
// batch's CPU, docs/matching-log.md, Speed → Session 24); moved into a new
// slice, they were a tenth of ranking's bytes (Speed → Session 34
// (engineer D)).
func sortCandidates(cs []Candidate) []Candidate {
	idx := make([]int32, len(cs))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(i, j int32) int {
		// each key only when the ones before tie: cmp.Or took them all,
		// and the case ids are a read of each case (two cache misses per
		// comparison, a tenth of ranking the kept)
		a, b := &cs[i], &cs[j]
		if c := cmp.Compare(b.Probability, a.Probability); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		if c := strings.Compare(a.Case.ID, b.Case.ID); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	// position k takes the candidate at idx[k]: each cycle of that
	// permutation followed once, its first candidate held aside
	for k := range idx {
		if idx[k] < 0 || int(idx[k]) == k {
			continue
		}
		first := cs[k]
		j := k
		for {
			from := int(idx[j])
			idx[j] = -1
			if from == k {
				cs[j] = first
				break
			}
			cs[j] = cs[from]
			j = from
		}
	}
	return cs
}

// GroupRounds bounds the belief-propagation rounds of groupPosterior.
const GroupRounds = 50

// groupAlwaysDamped damps Together's messages from the first round, as
// they were before going undamped: TestTogetherUndampedAsDamped's
// reference.
var groupAlwaysDamped bool

// groupPosterior returns each candidate's posterior probability of being
// its trace's child: each trace seeks one child (one candidate or none) and
// one case is the child of at most one trace of the group. The marginals
// come from belief propagation over the "at most one trace per case"
// constraints, exact when no two cases are shared by the same two traces
// and a close approximation otherwise; a single trace gives posterior's.
func groupPosterior(pr priors, lrs [][]float64, cases [][]*Subject) [][]float64 {
	return groupPosteriorLinked(pr, lrs, groupLinks(cases), nil, togetherWeights{}, nil)
}

// sibling says that traces t and u of a group seek brothers or sisters
// (Together): same lists the pairs of their candidates (i of t, j of u)
// that are one case, which are not brothers or sisters of each other; kin
// those that name a relative alike (kinPairs), when the kin factor weighs.
type sibling struct {
	t, u int32
	same [][2]int32
	kin  []kinPair
}

// siblingGroup is a group's Together factors: one between every two of
// its traces (sibs), and per trace and candidate the candidate's places
// (the last codes of its paths of the together comparison, numbered within
// the group; -1: none), the number of its two places as a pair (two; -1:
// fewer than two) and whether it is at its trace's own place (top,
// atPlace). Two candidates share a place when they have one in common:
// the messages sum their candidates' beliefs by place, less by pair of
// places for those that have both in common, rather than pair by pair.
type siblingGroup struct {
	sibs           []sibling
	places         [][][2]int32
	two            [][]int32
	top            [][]uint8
	nPlaces, nTwos int
}

// siblings returns the Together factors between the traces of a group
// (their candidates cases; top: atPlace of each; links: groupLinks of
// them), nil for one trace; with kin, also the pairs of candidates the kin
// factor weighs above level 0. Those pairs and the kin factor's working
// memory are sc's when it is not nil (a pooled kinScratch: the group must
// not outlive the caller's hold on it), else the group's own.
func (m *Matcher) siblings(cases [][]*Subject, top [][]uint8, kin bool, links []link, sc *kinScratch) *siblingGroup {
	if len(cases) < 2 {
		return nil
	}
	var kins []kinIndex
	if kin && m.kin >= 0 {
		if sc == nil {
			sc = new(kinScratch)
		}
		sc.pairs = sc.pairs[:0]
		kins = sc.index(m.kin, cases)
	}
	g := &siblingGroup{places: make([][][2]int32, len(cases)), two: make([][]int32, len(cases)), top: top}
	placeOf, twoOf := map[string]int32{}, map[[2]int32]int32{}
	for t, cs := range cases {
		g.places[t], g.two[t] = make([][2]int32, len(cs)), make([]int32, len(cs))
		for i, c := range cs {
			ps, n := firstPlaces(c, m.together, placeOf)
			g.places[t][i], g.two[t][i] = ps, -1
			if n == 2 {
				k := [2]int32{min(ps[0], ps[1]), max(ps[0], ps[1])}
				id, ok := twoOf[k]
				if !ok {
					id = int32(len(twoOf))
					twoOf[k] = id
				}
				g.two[t][i] = id
			}
		}
	}
	g.nPlaces, g.nTwos = len(placeOf), len(twoOf)
	for t := range cases {
		for u := t + 1; u < len(cases); u++ {
			sb := sibling{t: int32(t), u: int32(u)}
			for _, l := range links {
				if int(l.t) == t && int(l.u) == u {
					sb.same = append(sb.same, [2]int32{l.i, l.j})
				}
			}
			if kins != nil {
				from := len(sc.pairs)
				sc.pairs, sc.cells = kinPairs(kins[t], kins[u], sb.same, sc.cells, sc.pairs)
				sb.kin = sc.pairs[from:len(sc.pairs):len(sc.pairs)]
			}
			g.sibs = append(g.sibs, sb)
		}
	}
	return g
}

// firstPlaces returns c's first two distinct places of comparison k (the
// last codes of its paths, numbered in ids, which it extends; -1: none)
// and how many it has.
func firstPlaces(c *Subject, k int, ids map[string]int32) (out [2]int32, n int) {
	out = [2]int32{-1, -1}
	for _, p := range c.vals[k].paths {
		code := p[len(p)-1].Code
		id, ok := ids[code]
		if !ok {
			id = int32(len(ids))
			ids[code] = id
		}
		if n < 2 && (n == 0 || out[0] != id) {
			out[n] = id
			n++
		}
	}
	return out, n
}

// topsOf returns atPlace of each ranked candidate (in the candidates'
// order, before sorting).
func (m *Matcher) topsOf(cands [][]Candidate) [][]uint8 {
	top := make([][]uint8, len(cands))
	for t := range cands {
		top[t] = make([]uint8, len(cands[t]))
		for i := range cands[t] {
			top[t][i] = m.atPlace(cands[t][i].levels[m.together])
		}
	}
	return top
}

// atPlace is 1 when l, a level of the together comparison, is its finest
// (the case at the place the trace gives), else 0: Together's cell is the
// sum over the two candidates.
func (m *Matcher) atPlace(l uint8) uint8 {
	if int(l) == len(m.levels[m.together])-1 {
		return 1
	}
	return 0
}

// link says that candidate i of trace t is also candidate j of trace u.
type link struct{ t, i, u, j int32 }

// groupLinks finds the cases that are candidates of several traces.
func groupLinks(cases [][]*Subject) []link {
	return linksBy(len(cases), func(t int) int { return len(cases[t]) }, func(t, i int) string { return cases[t][i].ID })
}

// linksBy is groupLinks over traces numbered 0 to traces-1, trace t with
// candidates(t) candidates, candidate i's case id(t, i).
func linksBy(traces int, candidates func(t int) int, id func(t, i int) string) []link {
	if traces < 2 {
		return nil
	}
	// Each candidate is an entry; entries of one case are chained, the
	// last one seen in last (a map of a slice per case made a tenth of a
	// batch's allocations: Speed → Session 56).
	type entry struct{ t, i, before int32 }
	n := 0
	for t := range traces {
		n += candidates(t)
	}
	entries := make([]entry, 0, n)
	last := make(map[string]int32, n)
	for t := range traces {
		for i := range candidates(t) {
			before, ok := last[id(t, i)]
			if !ok {
				before = -1
			}
			last[id(t, i)] = int32(len(entries))
			entries = append(entries, entry{int32(t), int32(i), before})
		}
	}
	var out []link
	for _, head := range last {
		if entries[head].before < 0 {
			continue // a case of one candidate
		}
		for a := head; a >= 0; a = entries[a].before {
			for b := head; b >= 0; b = entries[b].before {
				if ea, eb := entries[a], entries[b]; ea.t != eb.t {
					out = append(out, link{ea.t, ea.i, eb.t, eb.i})
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b link) int {
		return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.i, b.i), cmp.Compare(a.u, b.u), cmp.Compare(a.j, b.j))
	})
	return out
}

// groupPosteriorLinked is groupPosterior with the links found, and the
// Together factors sg weighed by tw: each pair of sibling traces sends
// each other's candidates the mass of its own that shares their place
// (messages of belief propagation like the links', exact for two traces
// that share no case). When none is not nil, it also sets none[t] to trace
// t's probability of none of its candidates (exactly, not 1 minus theirs:
// fitting the calibration takes its log, and it can be far below 1e-16).
func groupPosteriorLinked(pr priors, lrs [][]float64, links []link, sg *siblingGroup, tw togetherWeights, none []float64) [][]float64 {
	probs := make([][]float64, len(lrs))
	var sibs []sibling
	if sg != nil && tw.on() {
		sibs = sg.sibs
	}
	if len(links) == 0 && len(sibs) == 0 {
		for t := range lrs {
			logs, logNone := posterior(pr, lrs[t])
			probs[t] = expAll(logs)
			if none != nil {
				none[t] = math.Exp(logNone)
			}
		}
		return probs
	}
	// Weights scaled per trace by its largest (candidates and "none").
	w := make([][]float64, len(lrs))
	noneW := make([]float64, len(lrs))
	logR := make([][]float64, len(lrs)) // log message from a case's constraint
	odds := make([][]float64, len(lrs))
	sumOdds := make([][]float64, len(lrs))
	z := make([]float64, len(lrs))
	// we is w times the sibling factors' messages (exp(s)), s their sum
	// per candidate (log, against "none"); msg[2k] is sibs[k]'s message to
	// its t, msg[2k+1] to its u.
	we := w
	var s, msg [][]float64
	if len(sibs) > 0 {
		we, s, msg = make([][]float64, len(lrs)), make([][]float64, len(lrs)), make([][]float64, 2*len(sibs))
	}
	for t, ls := range lrs {
		top := pr.logNone
		for _, lr := range ls {
			top = max(top, pr.logPM+lr)
		}
		w[t] = make([]float64, len(ls))
		for i, lr := range ls {
			w[t][i] = math.Exp(pr.logPM + lr - top)
		}
		noneW[t] = math.Exp(pr.logNone - top)
		logR[t], odds[t], sumOdds[t] = make([]float64, len(ls)), make([]float64, len(ls)), make([]float64, len(ls))
		if len(sibs) > 0 {
			we[t], s[t] = slices.Clone(w[t]), make([]float64, len(ls))
		}
	}
	for k, sb := range sibs {
		msg[2*k], msg[2*k+1] = make([]float64, len(lrs[sb.t])), make([]float64, len(lrs[sb.u]))
	}
	partition := func() {
		for t := range we {
			z[t] = noneW[t]
			for i, x := range we[t] {
				z[t] += x * math.Exp(logR[t][i])
			}
		}
	}
	var psiAgree, psiDiffer, gain [3]float64
	for c := range psiAgree {
		psiAgree[c], psiDiffer[c] = math.Exp(tw.agree[c]), math.Exp(tw.differ[c])
		gain[c] = psiAgree[c] - psiDiffer[c]
	}
	kinOn := tw.kinOn()
	var psiKin [kinLevels]float64
	for l := range psiKin {
		psiKin[l] = math.Exp(tw.kin[l])
	}
	var cavity, mass, byPlace, byTwo []float64
	if len(sibs) > 0 {
		byPlace, byTwo = make([]float64, 2*sg.nPlaces), make([]float64, 2*sg.nTwos)
	}
	damped := len(sibs) == 0 || groupAlwaysDamped // the rounds below say why
	// send updates the message from trace u to trace o (into out, o's
	// candidates'): u's belief without o's message back (back), summed by
	// place and by whether at u's own place, each of o's candidates
	// weighing u's by the factor, "none" by 1. The kin factor multiplies
	// it: every pair by its level 0's, and the pairs at a higher level
	// (kin) by their own, each pair's place factor read again.
	send := func(out []float64, o, u int32, back []float64, same [][2]int32, kin []kinPair, from int) float64 {
		cavity = slices.Grow(cavity[:0], len(w[u]))[:len(w[u])]
		clear(byPlace)
		clear(byTwo)
		var tot [2]float64
		for j, x := range w[u] {
			b := x * math.Exp(logR[u][j]+s[u][j]-back[j])
			cavity[j] = b
			tu := sg.top[u][j]
			tot[tu] += b
			for _, p := range sg.places[u][j] {
				if p >= 0 {
					byPlace[2*p+int32(tu)] += b
				}
			}
			if q := sg.two[u][j]; q >= 0 {
				byTwo[2*q+int32(tu)] += b
			}
		}
		mass = slices.Grow(mass[:0], len(out))[:len(out)]
		for i := range out {
			c := sg.top[o][i]
			m := noneW[u] + psiDiffer[c]*tot[0] + psiDiffer[c+1]*tot[1]
			for tu := range int32(2) {
				x := 0.0
				for _, p := range sg.places[o][i] {
					if p >= 0 {
						x += byPlace[2*p+tu]
					}
				}
				if q := sg.two[o][i]; q >= 0 {
					x -= byTwo[2*q+tu]
				}
				m += x * gain[c+uint8(tu)]
			}
			mass[i] = m
		}
		// a case candidate of both traces is not the other's brother
		for _, a := range same {
			if i, j := a[from], a[1-from]; sg.places[o][i][0] >= 0 {
				mass[i] -= cavity[j] * gain[sg.top[o][i]+sg.top[u][j]]
			}
		}
		if kinOn {
			for i := range mass {
				mass[i] = noneW[u] + psiKin[0]*(mass[i]-noneW[u])
			}
			for _, p := range kin {
				i, j := p.ij[from], p.ij[1-from]
				c := sg.top[o][i] + sg.top[u][j]
				place := psiDiffer[c]
				if sharesPlace(sg.places[o][i], sg.places[u][j]) {
					place = psiAgree[c]
				}
				mass[i] += cavity[j] * place * (psiKin[p.level] - psiKin[0])
			}
		}
		all := noneW[u] + tot[0] + tot[1]
		change := 0.0
		for i := range out {
			next := math.Log(mass[i] / all)
			if damped {
				next = 0.5*out[i] + 0.5*next
			}
			change = max(change, math.Abs(next-out[i]))
			out[i] = next
		}
		return change
	}
	// Without Together the messages are damped from the start (each half
	// the old, half the new), which sets the rounds: the change halves at
	// best. With Together they go undamped while the change falls from
	// round to round (a few rounds where the factors are weak), damped from
	// the first round it does not (docs/matching-log.md, Speed → Session 36
	// (engineer S)); estimation never has Together, so its parameters do
	// not move.
	last := math.Inf(1)
	for range GroupRounds {
		partition()
		// A trace's odds for a case, leaving out that case's own constraint.
		for _, l := range links {
			x := we[l.u][l.j]
			odds[l.u][l.j] = x / (z[l.u] - x*math.Exp(logR[l.u][l.j]))
		}
		for t := range sumOdds {
			clear(sumOdds[t])
		}
		for _, l := range links {
			sumOdds[l.t][l.i] += odds[l.u][l.j]
		}
		change := 0.0
		for _, l := range links {
			next := -math.Log1p(sumOdds[l.t][l.i])
			if damped {
				next = 0.5*logR[l.t][l.i] + 0.5*next
			}
			change = max(change, math.Abs(next-logR[l.t][l.i]))
			logR[l.t][l.i] = next
		}
		if len(sibs) > 0 {
			for k, sb := range sibs {
				change = max(change, send(msg[2*k], sb.t, sb.u, msg[2*k+1], sb.same, sb.kin, 0))
				change = max(change, send(msg[2*k+1], sb.u, sb.t, msg[2*k], sb.same, sb.kin, 1))
			}
			for t := range s {
				clear(s[t])
			}
			for k, sb := range sibs {
				for i, x := range msg[2*k] {
					s[sb.t][i] += x
				}
				for j, x := range msg[2*k+1] {
					s[sb.u][j] += x
				}
			}
			for t := range we {
				for i, x := range w[t] {
					we[t][i] = x * math.Exp(s[t][i])
				}
			}
		}
		if change < 1e-9 {
			break
		}
		if change >= last {
			damped = true
		}
		last = change
	}
	partition()
	for t := range we {
		probs[t] = make([]float64, len(we[t]))
		for i, x := range we[t] {
			probs[t][i] = x * math.Exp(logR[t][i]) / z[t]
		}
		if none != nil {
			none[t] = noneW[t] / z[t]
		}
	}
	return probs
}

// RequestEvidence is one tracing request's candidates as the group
// posterior reads them (each one's log likelihood ratio in parts, and
// which cases are candidates of several traces), so that RankGroup's
// probabilities can be computed again under another calibration without
// comparing the pairs again: the calibration fitted through the
// posterior the product computes (quality.FitCalibrationGroups).
type RequestEvidence struct {
	pr    priors
	lrs   [][]float64
	parts [][][2]float64
	links []link
	// sibs and tw are the request's Together factors, uncalibrated
	// (WithTogether).
	sibs *siblingGroup
	tw   togetherWeights
}

// NewRequestEvidence returns the evidence of a request's traces: per trace
// and candidate, its case's id and the parts of its log likelihood ratio
// in nats, as Calibration recombines them (the child's field weights, the
// family's, the family adjustment), with p's priors.
func NewRequestEvidence(p *Parameters, ids [][]string, parts [][][3]float64) *RequestEvidence {
	r := &RequestEvidence{pr: newPriors(p.Prior, p.Siblings, p.Cases), lrs: make([][]float64, len(parts)),
		parts: make([][][2]float64, len(parts))}
	for t, ps := range parts {
		r.lrs[t] = make([]float64, len(ps))
		r.parts[t] = make([][2]float64, len(ps))
		for i, x := range ps {
			r.lrs[t][i] = x[0] + x[1] + x[2]
			r.parts[t][i] = [2]float64{x[0], x[1]}
		}
	}
	r.links = linksBy(len(ids), func(t int) int { return len(ids[t]) }, func(t, i int) string { return ids[t][i] })
	return r
}

// Posterior returns each candidate's probability under calibration c, as
// RankGroup computes it, and each trace's probability of none of them.
func (r *RequestEvidence) Posterior(c Calibration) (probs [][]float64, none []float64) {
	pr, lrs := c.apply(r.pr, r.lrs, r.parts)
	none = make([]float64, len(lrs))
	return groupPosteriorLinked(pr, lrs, r.links, r.sibs, c.together(r.tw), none), none
}

// WithTogether adds to the evidence the factors between the request's
// traces that m's parameters give (Together), for the candidates as
// RankGroup of m ranked them (ranked, in the order of the evidence's ids
// and parts), so that Posterior weighs them by the calibration's Together.
// It returns r.
func (r *RequestEvidence) WithTogether(m *Matcher, ranked [][]Candidate) (*RequestEvidence, error) {
	if m.p == nil {
		return nil, ErrNoParameters
	}
	w, err := m.togetherWeightsOf(m.p.Together)
	if err != nil || !w.on() || len(ranked) < 2 {
		return r, err
	}
	cases := make([][]*Subject, len(ranked))
	for t, cs := range ranked {
		cases[t] = make([]*Subject, len(cs))
		for i, c := range cs {
			cases[t][i] = c.Case
		}
	}
	r.sibs, r.tw = m.siblings(cases, m.topsOf(ranked), w.kinOn(), r.links, nil), w
	return r, nil
}

func expAll(xs []float64) []float64 {
	for i, x := range xs {
		xs[i] = math.Exp(x)
	}
	return xs
}

// pairLogU returns log u of a pair's level l of comparison i, given the
// parts that agreed (shared, for term frequencies): the level's u, or for
// agreement on names and options, and a name's variant (the keys of the
// case's spelling, variantOf), the term frequencies' (tfLogU). fam are
// the keys the family names agreed on (appendFamilyKeys; they are scored
// first): a relative's name part agreeing on one of them is the same
// evidence counted again (a father's name is his child's middle name, an
// uncle's father is the child's grandfather): a look-alike family whose
// father has that name agrees on both. Such a part counts as a share of 1
// (its agreement is no rarer than the family names' agreement already made
// it), so u is the product of the other parts' shares, 1 when all agreed
// parts were the family's. comm is the pair's community (sharedCommunity).
func (m *Matcher) pairLogU(i int, l uint8, shared [][]string, comm string, fam []string) float64 {
	cmp := &m.cfg.Comparisons[i]
	if !cmp.TermFrequency || !tfWeighs(cmp.Kind, l) || len(shared) == 0 || m.p.Comparisons[i].TF == nil {
		return m.logU[i][l]
	}
	if cmp.Kind != KindRelativeName || len(fam) == 0 {
		return m.tfLogU(i, l, shared, comm)
	}
	own := shared[:0:0]
	for _, keys := range shared {
		if !sharesKey(keys, fam) {
			own = append(own, keys)
		}
	}
	if len(own) == 0 {
		return 0
	}
	return m.tfLogU(i, l, own, comm)
}

// appendFamilyKeys appends to fam the keys of the parts that agreed at
// level l of comparison cmp when it holds the family names (pairLogU).
func appendFamilyKeys(fam []string, cmp *Comparison, l uint8, shared [][]string) []string {
	if !familyNames(*cmp) || !tfLevel(cmp.Kind, l) {
		return fam
	}
	for _, keys := range shared {
		fam = append(fam, keys...)
	}
	return fam
}

func sharesKey(keys, set []string) bool {
	for _, k := range keys {
		if slices.Contains(set, k) {
			return true
		}
	}
	return false
}

// tfLogU returns log u for agreement on the given values: for names, the
// product over the agreeing parts of the share of cases with the part's
// commonest shared key; for options, the share of the commonest shared
// value; bounded below by the comparison's floor. A common name or value
// thus weighs less than the level's average agreement, a rare one more.
// For names of a pair of one community (comm, "" if none) the shares are
// those within the community when it has its own.
func (m *Matcher) tfLogU(i int, level uint8, shared [][]string, comm string) float64 {
	cp := &m.p.Comparisons[i]
	if within, ok := cp.TFWithin[comm]; ok && comm != "" && m.cfg.Comparisons[i].Kind != KindCategory {
		floor := 1 / float64(max(cp.CommunityCases[comm], 1))
		l := 0.0
		for _, keys := range shared {
			f := 0.0
			for _, k := range keys {
				f = max(f, within[k])
			}
			l += math.Log(max(f, floor))
		}
		return l
	}
	if m.cfg.Comparisons[i].Kind == KindLocation {
		return m.placeLogU(i, level, shared)
	}
	if m.cfg.Comparisons[i].Kind == KindCategory {
		f := 0.0
		for _, v := range shared {
			f = max(f, cp.TF[v[0]])
		}
		return math.Log(max(f, cp.TFFloor))
	}
	l := 0.0
	for _, keys := range shared {
		f := 0.0
		for _, k := range keys {
			f = max(f, cp.TF[k])
		}
		l += math.Log(max(f, cp.TFFloor))
	}
	return l
}

func logSumExp(xs ...float64) float64 {
	mx := math.Inf(-1)
	for _, x := range xs {
		mx = max(mx, x)
	}
	if math.IsInf(mx, -1) {
		return mx
	}
	s := 0.0
	for _, x := range xs {
		s += math.Exp(x - mx)
	}
	return mx + math.Log(s)
}

// logSumExp2 is logSumExp(a, b), to the bit, without the variadic call's
// slice and the exponential of the greater term (exactly 1): a pair's
// score takes it for every candidate of the pre-score's bounds. Where the
// lesser term is more than 37 nats below (most look-alikes' sibling term
// against their unrelated one), its exponential is under half of float64's
// epsilon, 1 plus it rounds to 1, and the sum is the greater term: neither
// Exp nor Log is called.
func logSumExp2(a, b float64) float64 {
	mx, mn := a, b
	if b > a {
		mx, mn = b, a
	}
	if math.IsInf(mx, -1) || mn-mx < -37 {
		return mx
	}
	return mx + math.Log(1+math.Exp(mn-mx))
}
