package matching

import (
	"cmp"
	"math"
	"slices"
)

// The second blocking pass (docs/matching-log.md, Speed → Session 19): a
// trace's candidates are read in two steps. DecodeCandidate decodes the
// comparisons of the first pass (firstPassNames: the given name, the family
// names, sex, age, and the community's comparison, which term frequencies
// within a community need); RankGroupPruned scores each candidate on them,
// bounds what the comparisons not yet read can add to its calibrated log
// likelihood ratio, reads and scores the rest only for the candidates
// whose bound may reach the trace's 10 best or more than PruneMass of its
// probability mass, and ranks those with RankGroup. The bound is taken
// from the model's own tables (log m, f, u per level, tfLogU, logLR and the
// calibration), so it follows the model when its parameters or functions
// change; TestPrunedRankEqualsFull holds it to the full ranking.
//
// Measured (session 19), it prunes nothing on the default model: what the
// unread comparisons can add (28-33 nats) keeps every candidate's bound
// above the tenth best score, so the service reads candidates in full and
// this stays for a model or a first pass that leaves less unread.

// firstPassNames names the comparisons a candidate is scored on before
// the others are read (comparisons the configuration lacks are left out).
var firstPassNames = []string{"given_name", "family_names", "sex", "age"}

// PruneMass bounds the share of a trace's probability mass that the
// candidates left out may carry together: each kept candidate's
// probability is within that share (relative) of the full ranking's.
const PruneMass = 1e-6

// pruneTop is how many best candidates the pass keeps exactly: a candidate
// whose bound is under the tenth best exact score cannot be among them.
const pruneTop = 10

// PruneStats counts a pruned ranking's candidates and those fully read.
type PruneStats struct {
	Candidates, Read int
}

// firstPass returns which comparisons the first pass reads: firstPassNames,
// the comparison that makes a subject's community, and the partners of those
// (withPartners).
func (m *Matcher) firstPass() []bool {
	out := make([]bool, len(m.cfg.Comparisons))
	if len(out) > 64 { // Subject.pending has 64 bits
		for i := range out {
			out[i] = true
		}
		return out
	}
	for i, c := range m.cfg.Comparisons {
		out[i] = i == m.community || slices.Contains(firstPassNames, c.Name)
	}
	return m.withPartners(out)
}

// withPartners is read with the partners (Comparison.SwapsWith) of the
// comparisons it reads: a name by position is compared knowing its
// partner's names (comparePair), read or not.
func (m *Matcher) withPartners(read []bool) []bool {
	var out []bool
	for i, p := range m.partner {
		if p >= 0 && read[i] && !read[p] {
			if out == nil {
				out = slices.Clone(read)
			}
			out[p] = true
		}
	}
	if out == nil {
		return read
	}
	return out
}

// DecodeCandidate reads a candidate case from its stored form
// (EncodeCase) for RankGroupPruned: only the first pass's values now, the
// others when the case is kept. Give its result to nothing else: the
// values not yet read would compare as missing. ErrStaleSubject when the
// form is of another version; a truncated form is refused at once.
func (m *Matcher) DecodeCandidate(id string, data []byte) (*Subject, error) {
	read := m.preRead // with the partners (WithPreScoreOn)
	if m.preKeep == 0 {
		read = m.firstPass()
	}
	s, err := m.decodeCase(id, data, read)
	if err != nil {
		return nil, err
	}
	s.stored = data
	return s, nil
}

// complete reads the values of a candidate that DecodeCandidate left out
// (its pending values).
func (m *Matcher) complete(s *Subject) error {
	if s.stored == nil {
		return nil
	}
	rest := make([]bool, len(s.vals))
	for i := range rest {
		rest[i] = s.pending&(1<<i) != 0
		if rest[i] && s.vals[i] == &noValue { // a run store's (subjects): never written
			s.vals[i] = new(value)
		}
	}
	err := m.decodeInto(s, s.stored, rest)
	s.stored, s.pending = nil, 0
	return err
}

// RankPruned is Rank over candidates read by DecodeCandidate (or parsed
// in full): the same best candidates with the same probabilities (within
// PruneMass), the candidates left out being those that cannot be among the
// 10 best and together carry less than PruneMass of the mass.
func (m *Matcher) RankPruned(trace *Subject, cases []*Subject) ([]Candidate, PruneStats, error) {
	out, st, err := m.RankGroupPruned([]*Subject{trace}, [][]*Subject{cases})
	if err != nil {
		return nil, st, err
	}
	return out[0], st, nil
}

// RankGroupPruned is RankGroup with each trace's candidates pruned (see
// RankPruned). A case that is a candidate of several traces of the group
// is kept for each (the "one trace per case" constraints stay those of the
// full ranking). An error reading a candidate's remaining values (a
// corrupt stored form) is returned.
func (m *Matcher) RankGroupPruned(traces []*Subject, cases [][]*Subject) ([][]Candidate, PruneStats, error) {
	if m.p == nil {
		return nil, PruneStats{}, ErrNoParameters
	}
	pr := newPriors(m.p.Prior, m.p.Siblings, m.p.Cases)
	kept := make([][]*Subject, len(traces))
	var st PruneStats
	read := m.firstPass()
	shared := sharedCases(cases)
	for t, trace := range traces {
		k, err := m.forTrace(trace).prune(pr, trace, cases[t], read, PruneMass, shared)
		if err != nil {
			return nil, st, err
		}
		st.Candidates += len(cases[t])
		st.Read += len(k)
		kept[t] = k
	}
	out, err := m.RankGroup(traces, kept)
	return out, st, err
}

// sharedCases returns the cases that are candidates of several traces.
func sharedCases(cases [][]*Subject) map[*Subject]bool {
	if len(cases) < 2 {
		return nil
	}
	seen := map[*Subject]int{}
	for _, cs := range cases {
		for _, c := range cs {
			seen[c]++
		}
	}
	out := map[*Subject]bool{}
	for c, n := range seen {
		if n > 1 {
			out[c] = true
		}
	}
	return out
}

// restBound is what the comparisons a trace's candidates have not read
// yet can add to a pair's score, taken to maximise the calibrated log
// likelihood ratio: child and family are added to the field weights of
// the comparisons siblings do not and do share (nats), family to log f -
// log u (the sibling class's evidence, which the family adjustment
// subtracts).
type restBound struct {
	child, family, sibling float64
}

// restBounds are the bounds of each comparison not read (zero for the
// others): a candidate's bound is the sum over those its stored form holds
// a value for.
type restBounds []restBound

func (bs restBounds) of(pending uint64) restBound {
	var b restBound
	for i := range bs {
		if pending&(1<<i) != 0 {
			b.child += bs[i].child
			b.family += bs[i].family
			b.sibling += bs[i].sibling
		}
	}
	return b
}

// calibrationScales are the calibration's scales of the child's weights,
// the family's and the family adjustment (1 when uncalibrated).
func calibrationScales(c Calibration) (child, family, adjustment float64) {
	if c.none() {
		return 1, 1, 1
	}
	return c.Child, c.Family, c.Adjustment
}

// bound returns what the comparisons not read (read[i] false) can add for
// this trace. Per comparison and level, log u is that of the level or,
// where term frequencies apply, anything between the lowest share the
// trace's own values can get (tfLow) and 1; a comparison the trace has no
// value for is missing whatever the case holds.
func (m *Matcher) bound(trace *Subject, read []bool) restBounds {
	return m.boundUpTo(trace, read, math.MaxUint8)
}

// boundUpTo is bound over the levels up to top only: what the comparisons
// not read can add when none of them can reach a level above top.
func (m *Matcher) boundUpTo(trace *Subject, read []bool, top uint8) restBounds {
	sc, sf, sa := calibrationScales(m.p.Calibration)
	b := make(restBounds, len(m.cfg.Comparisons))
	for i := range m.cfg.Comparisons {
		cmp := &m.cfg.Comparisons[i]
		if read[i] || !trace.vals[i].present {
			continue
		}
		scale := sc
		if cmp.SharedBySiblings {
			scale = sf
		}
		tf := cmp.TermFrequency && m.p.Comparisons[i].TF != nil
		uLow := 0.0
		if tf {
			uLow = m.tfLow(i, trace.vals[i], trace.community)
		}
		bestW, bestD := 0.0, 0.0 // level missing
		for l := 1; l < len(m.logM[i]); l++ {
			if l > int(top) && (l != lvVariant || cmp.Kind != KindName || top < lvDifferent) {
				continue // a name's variant is reached from different only
			}
			lo, hi := m.logU[i][l], m.logU[i][l]
			switch {
			case tf && tfLevel(cmp.Kind, uint8(l)):
				lo, hi = min(lo, uLow), max(hi, 0)
			case tf && tfWeighs(cmp.Kind, uint8(l)):
				lo, hi = min(lo, m.variantLow(i, trace.vals[i], trace.community)), max(hi, 0)
			}
			w := m.logM[i][l] - lo // the largest weight
			if scale < 0 {
				w = m.logM[i][l] - hi
			}
			if scale*w > scale*bestW {
				bestW = w
			}
			d := m.logF[i][l] - hi // the least sibling evidence
			if sa < 0 {
				d = m.logF[i][l] - lo
			}
			if sa*d < sa*bestD {
				bestD = d
			}
		}
		if cmp.SharedBySiblings {
			b[i].family = bestW
		} else {
			b[i].child = bestW
		}
		b[i].sibling = bestD
	}
	return b
}

// keyLow is the least log u that term frequencies give comparison i for
// agreement on key k alone, in the community or tenant-wide (the
// candidate's community is the trace's or another).
func (m *Matcher) keyLow(i int, k, community string) float64 {
	low := 0.0
	for _, c := range []string{"", community} {
		low = min(low, m.tfLogU(i, 2, [][]string{{k}}, c))
	}
	return low
}

// variantLow is the least log u that term frequencies can give comparison
// i's variant level for the trace's value v (variantValue): the rarest key
// of a partner of one of its name's parts (the case's spelling weighs); by
// position, the sum over the positions of the least of that and of the
// position's own parts' (nameLow: a position may agree instead).
func (m *Matcher) variantLow(i int, v *value, community string) float64 {
	if m.variants == nil || m.variants[i] == nil {
		return 0
	}
	partnerLow := func(p *pname) float64 {
		low := 0.0
		for x := range p.n.CompareTokens() {
			for _, q := range m.variants[i][p.n.Token(x)] {
				for _, k := range m.variantKeys[i][q] {
					low = min(low, m.keyLow(i, k, community))
				}
			}
		}
		return low
	}
	if !m.cfg.Comparisons[i].ByPosition {
		return partnerLow(&v.name)
	}
	sum := 0.0
	for j := range v.parts {
		sum += min(partnerLow(&v.parts[j]), m.nameLow(i, &v.parts[j], community))
	}
	return sum
}

// nameLow is the least log u that term frequencies can give comparison i
// for agreement on the parts of name p: each part at least its rarest
// key's share.
func (m *Matcher) nameLow(i int, p *pname, community string) float64 {
	sum := 0.0
	for _, ks := range p.keys {
		part := 0.0
		for _, k := range ks {
			part = min(part, m.keyLow(i, k, community))
		}
		sum += part
	}
	return sum
}

// tfLow is the least log u that term frequencies can give comparison i
// for agreement with the trace's value v: the shares come from the parts
// of one of the trace's names (its name or an alternate), each agreeing
// part at least its rarest key's share (tfLogU of that key alone), in the
// trace's community or tenant-wide; for options, the rarest of the trace's.
func (m *Matcher) tfLow(i int, v *value, community string) float64 {
	low := 0.0
	if m.cfg.Comparisons[i].Kind == KindLocation {
		return m.placeLow(i, v)
	}
	if m.cfg.Comparisons[i].Kind == KindCategory {
		for _, x := range v.set {
			low = min(low, m.keyLow(i, x, community))
		}
		return low
	}
	for _, p := range append([]pname{v.name}, v.alts...) {
		low = min(low, m.nameLow(i, &p, community))
	}
	// a name by position agrees on the parts of its positions, whose
	// tokens need not be the joined name's (a compound split between two
	// fields): all of them together bound any of their agreements
	if len(v.parts) > 0 {
		sum := 0.0
		for j := range v.parts {
			sum += m.nameLow(i, &v.parts[j], community)
		}
		low = min(low, sum)
	}
	return low
}

// add returns a first-pass score with the bound of the rest added: the
// match class gains the weights, the sibling class the sibling evidence
// (log u unchanged, so that logLR and the calibration's parts see them).
func (b restBound) add(ps pairScore) pairScore {
	ps.lm += b.child + b.family
	ps.lf += b.sibling
	ps.sumW += (b.child + b.family) / math.Ln2
	ps.sumWFamily += b.family / math.Ln2
	return ps
}

// calibrated returns the calibrated log likelihood ratios of pair scores
// of one trace and the calibrated priors, as RankGroup computes them.
func (m *Matcher) calibrated(pr priors, ps []pairScore) (priors, []float64) {
	lrs := make([]float64, len(ps))
	parts := make([][2]float64, len(ps))
	for i, s := range ps {
		lrs[i] = s.logLR(pr)
		parts[i] = [2]float64{(s.sumW - s.sumWFamily) * math.Ln2, s.sumWFamily * math.Ln2}
	}
	cpr, out := m.p.Calibration.apply(pr, [][]float64{lrs}, [][][2]float64{parts})
	return cpr, out[0]
}

// prune returns the candidates of one trace that may matter: scored on
// the first pass (the comparisons read) with the bound of the rest, read in
// full best bound first, until the rest's bounds are all under the tenth
// best exact score and together under eps of the mass found so far.
// Cases in keep are kept whatever their bound.
func (m *Matcher) prune(pr priors, trace *Subject, cs []*Subject, read []bool, eps float64, keep map[*Subject]bool) ([]*Subject, error) {
	if len(cs) <= pruneTop {
		for _, c := range cs {
			if err := m.complete(c); err != nil {
				return nil, err
			}
		}
		return cs, nil
	}
	b := m.bound(trace, read)
	var shared [][]string
	cache := comparisonCache{}
	scores := make([]pairScore, len(cs))
	for i, c := range cs {
		scores[i] = m.score(trace, c, nil, nil, &shared, cache)
		if keep[c] {
			scores[i].lm = math.Inf(1) // read first, never left out
		} else if c.stored != nil {
			scores[i] = b.of(c.pending).add(scores[i])
		}
	}
	cpr, ub := m.calibrated(pr, scores)
	order := make([]int, len(cs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return cmp.Compare(ub[y], ub[x]) })
	// suffix[k]: log of the mass the candidates from order[k] on may carry
	suffix := make([]float64, len(cs)+1)
	suffix[len(cs)] = math.Inf(-1)
	for k := len(cs) - 1; k >= 0; k-- {
		suffix[k] = logSumExp2(suffix[k+1], cpr.logPM+ub[order[k]])
	}
	z := cpr.logNone // log of the mass found: "none" and the candidates read
	var top []float64
	kept := make([]int, 0, 4*pruneTop)
	logEps := math.Log(eps)
	for k, i := range order {
		if len(top) == pruneTop && ub[i] < top[0] && suffix[k]-z <= logEps {
			break
		}
		c := cs[i]
		exact := ub[i]
		if c.stored != nil || keep[c] {
			if err := m.complete(c); err != nil {
				return nil, err
			}
			_, e := m.calibrated(pr, []pairScore{m.score(trace, c, nil, nil, &shared, cache)})
			exact = e[0]
		}
		z = logSumExp2(z, cpr.logPM+exact)
		top = keepTop(top, exact)
		kept = append(kept, i)
	}
	slices.Sort(kept) // the candidates' own order, as RankGroup would see them all
	out := make([]*Subject, len(kept))
	for k, i := range kept {
		out[k] = cs[i]
	}
	return out, nil
}

// keepTop adds x to the pruneTop largest values kept in top (ascending).
func keepTop(top []float64, x float64) []float64 {
	if len(top) == pruneTop {
		if x <= top[0] {
			return top
		}
		top = top[1:]
	}
	i, _ := slices.BinarySearch(top, x)
	return slices.Insert(top, i, x)
}
