package matching

import (
	"slices"

	"github.com/cpims-hosted/cpims/names"
)

// The names of a RunStore (docs/matching-log.md, Speed → Session 27). The
// given name's values (the first name with the other names as its
// alternates) are nearly one per case, so the pre-score's memo of values
// seldom finds one again; but their names recur: a tenant has far fewer
// first, middle and last names than cases. The store therefore gives each
// distinct name of a name comparison an index when its cases are added,
// and keeps each value as the indexes of its name and alternates. The
// pre-score then compares a trace's name with a case's through a memo per
// trace over those indexes (its level, and for agreement what term
// frequencies make of it): what compareNames does, without reading the
// value, hashing a name into the comparison cache or comparing a name the
// trace already met.

// storeNames are the names of one name comparison of a RunStore.
type storeNames struct {
	// ids holds each value's names, from start[v] to start[v+1]: its name,
	// then its alternates; an empty name is -1, and a value that is not
	// present has the name -2 and no alternates.
	ids   []int32
	start []int32
	// names are the distinct names, by index; index finds one by its
	// stored bytes (Name.AppendBinary) while cases are added.
	names []pname
	index map[string]int32
	// keys holds each name's keys (pname.all) as indexes into keyIndex,
	// ascending, from keyStart[n] to keyStart[n+1]: whether two names
	// share a key (mayAgree) is then a walk over a few integers rather
	// than over strings elsewhere in memory.
	keys     []int32
	keyStart []int32
	keyIndex map[string]int32
	// toks holds each name's tokens (those Similarity reads) as indexes of
	// the distinct tokens (by Name.AppendToken), from tokStart[n] to
	// tokStart[n+1]; tokOf[x] is a name and position where token x is
	// found. A trace's similarity with a name is then the alignment of
	// its tokens' similarities with each token, each computed once per
	// trace (names.SimilarityOf): Jaro-Winkler of the distinct tokens, not
	// of every name.
	toks     []int32
	tokStart []int32
	tokOf    []tokenAt
	tokIndex map[string]int32
}

type tokenAt struct{ name, i int32 }

// done drops what only adding needs (the names' and tokens' indexes by
// their bytes); nil is done already.
func (sn *storeNames) done() {
	if sn != nil {
		sn.index, sn.tokIndex = nil, nil
	}
}

const (
	nameEmpty  = -1
	notPresent = -2
)

func newStoreNames() *storeNames {
	return &storeNames{start: []int32{0}, index: map[string]int32{}, keyStart: []int32{0}, keyIndex: map[string]int32{},
		tokStart: []int32{0}, tokIndex: map[string]int32{}}
}

// addValue appends a value's names (the value of index len(start)-1).
func (sn *storeNames) addValue(v *value, buf []byte) []byte {
	if !v.present {
		sn.ids = append(sn.ids, notPresent)
	} else {
		buf = sn.addName(&v.name, buf)
		for i := range v.alts {
			buf = sn.addName(&v.alts[i], buf)
		}
	}
	sn.start = append(sn.start, int32(len(sn.ids)))
	return buf
}

func (sn *storeNames) addName(p *pname, buf []byte) []byte {
	if p.empty() {
		sn.ids = append(sn.ids, nameEmpty)
		return buf
	}
	buf, _ = p.n.AppendBinary(buf[:0])
	at, ok := sn.index[string(buf)]
	if !ok {
		at = int32(len(sn.names))
		sn.index[string(buf)] = at
		sn.names = append(sn.names, *p)
		from := len(sn.keys)
		for _, k := range p.all {
			ki, ok := sn.keyIndex[k]
			if !ok {
				ki = int32(len(sn.keyIndex))
				sn.keyIndex[k] = ki
			}
			sn.keys = append(sn.keys, ki)
		}
		slices.Sort(sn.keys[from:])
		sn.keyStart = append(sn.keyStart, int32(len(sn.keys)))
		for j := range p.n.CompareTokens() {
			buf = p.n.AppendToken(buf[:0], j)
			x, ok := sn.tokIndex[string(buf)]
			if !ok {
				x = int32(len(sn.tokOf))
				sn.tokIndex[string(buf)] = x
				sn.tokOf = append(sn.tokOf, tokenAt{at, int32(j)})
			}
			sn.toks = append(sn.toks, x)
		}
		sn.tokStart = append(sn.tokStart, int32(len(sn.toks)))
	}
	sn.ids = append(sn.ids, at)
	return buf
}

// nameMemo is one goroutine's memo of how a trace's names compare with
// the names of one comparison (valid where a stamp is the trace's gen).
// Slot 0 is the trace's name, slot k+1 its k-th alternate.
type nameMemo struct {
	slots []nameSlot
	// slotKeys are each slot's name's keys as the store's key indexes
	// (ascending; keys no name of the store has left out), for the trace
	// of slotGen.
	slotKeys [][]int32
	slotGen  []uint32
	// for slot 0's names at an agreeing level: log u outside the trace's
	// community and within it (pairLogU of the parts that agreed)
	lu []luEntry
}

// luEntry is a name's log u outside and within the trace's community,
// its stamp beside it (one cache line per lookup).
type luEntry struct {
	lu    [2]float64
	stamp uint32
}

// codeEntry is a slot's code for one name, its stamp beside it.
type codeEntry struct {
	stamp uint32
	code  uint8
}

type nameSlot struct {
	codes []codeEntry
	// the similarities of the slot's name's tokens (w of them, for the
	// trace of simGen) with each token of the store: tokSim[x*w+i] for
	// token x and the name's token i, where tokStamp[x] is the trace's gen
	tokStamp []uint32
	tokSim   []float64
	w        int
	simGen   uint32
}

// noAgree is a slot's code of a name that shares no key with the trace's
// (so neither exact nor phonetic; its level unknown); other codes are a
// names.Level plus one.
const noAgree = 255

func newNameMemo(n int) *nameMemo {
	return &nameMemo{lu: make([]luEntry, n)}
}

func (nm *nameMemo) slot(k, n int) *nameSlot {
	for len(nm.slots) <= k {
		nm.slots = append(nm.slots, nameSlot{codes: make([]codeEntry, n)})
		nm.slotKeys = append(nm.slotKeys, nil)
		nm.slotGen = append(nm.slotGen, 0)
	}
	return &nm.slots[k]
}

// mayAgree is t.mayAgree(the name of index id) for the trace's name t of
// slot k (whose slot exists), through the store's key indexes.
func (nm *nameMemo) mayAgree(sn *storeNames, k int, id int32, t *pname, gen uint32) bool {
	if nm.slotGen[k] != gen {
		ks := nm.slotKeys[k][:0]
		for _, key := range t.all {
			if ki, ok := sn.keyIndex[key]; ok {
				ks = append(ks, ki)
			}
		}
		slices.Sort(ks)
		nm.slotKeys[k], nm.slotGen[k] = ks, gen
	}
	a, b := nm.slotKeys[k], sn.keys[sn.keyStart[id]:sn.keyStart[id+1]]
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			return true
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return false
}

// mayAgreeValue says whether the trace's value tv may agree (exact,
// phonetic or alternate) with the store's value at: whether one of the
// pairs storedName tries shares a key. A value that cannot is at most
// close, which bounds its contribution before its names are compared.
func (nm *nameMemo) mayAgreeValue(sn *storeNames, at int32, tv *value, gen uint32) bool {
	ids := sn.ids[sn.start[at]:sn.start[at+1]]
	main := ids[0]
	if main == notPresent {
		return false
	}
	if t := &tv.name; !t.empty() {
		nm.slot(0, len(sn.names))
		for _, a := range ids {
			if a >= 0 && nm.mayAgree(sn, 0, a, t, gen) {
				return true
			}
		}
	}
	if main >= 0 {
		for k := range tv.alts {
			if !tv.alts[k].empty() {
				nm.slot(k+1, len(sn.names))
				if nm.mayAgree(sn, k+1, main, &tv.alts[k], gen) {
					return true
				}
			}
		}
	}
	return false
}

func (nm *nameMemo) clear() {
	for k := range nm.slots {
		sl := &nm.slots[k]
		clear(sl.codes)
		clear(sl.tokStamp)
		sl.simGen = 0
	}
	clear(nm.slotGen)
	clear(nm.lu)
}

// level is levelOf(t, the name of index id), from the memo of slot k.
func (nm *nameMemo) level(sn *storeNames, k int, id int32, t *pname, gen uint32) names.Level {
	sl := nm.slot(k, len(sn.names))
	if ce := sl.codes[id]; ce.stamp == gen && ce.code != noAgree {
		return names.Level(ce.code - 1)
	}
	var l names.Level
	if nm.mayAgree(sn, k, id, t, gen) {
		l = levelKnowing(t, &sn.names[id], true)
	} else {
		l = similarityLevel(nm.similarity(sn, sl, id, t, gen))
	}
	sl.codes[id] = codeEntry{gen, uint8(l + 1)}
	return l
}

// similarity is t.n.Similarity(the name of index id) for the trace's name
// t of slot sl, from the similarities of their tokens (both names are
// not empty).
func (nm *nameMemo) similarity(sn *storeNames, sl *nameSlot, id int32, t *pname, gen uint32) float64 {
	ta := t.n.CompareTokens()
	if sl.simGen != gen {
		sl.w, sl.simGen = ta, gen
		if len(sl.tokStamp) != len(sn.tokOf) {
			sl.tokStamp = make([]uint32, len(sn.tokOf))
		}
		if n := len(sn.tokOf) * ta; len(sl.tokSim) < n {
			sl.tokSim = make([]float64, n)
		}
	}
	ids := sn.toks[sn.tokStart[id]:sn.tokStart[id+1]]
	nb := len(ids)
	var buf [names.MaxCompareTokens * names.MaxCompareTokens]float64
	scores := buf[:ta*nb]
	for j, x := range ids {
		sims := sl.tokSim[int(x)*ta : int(x+1)*ta]
		if sl.tokStamp[x] != gen {
			at := sn.tokOf[x]
			for i := range sims {
				sims[i] = t.n.TokenSimilarity(i, sn.names[at.name].n, int(at.i))
			}
			sl.tokStamp[x] = gen
		}
		for i, v := range sims {
			scores[i*nb+j] = v
		}
	}
	return names.SimilarityOf(ta, nb, scores)
}

// agrees is compareNames' try(t, the name of index id): whether the two
// compare exact or phonetic, from the memo of slot k (a name sharing no
// key with t is not compared).
func (nm *nameMemo) agrees(sn *storeNames, k int, id int32, t *pname, gen uint32) bool {
	sl := nm.slot(k, len(sn.names))
	code := sl.codes[id].code
	if sl.codes[id].stamp != gen {
		if !nm.mayAgree(sn, k, id, t, gen) {
			code = noAgree
		} else {
			code = uint8(levelKnowing(t, &sn.names[id], true) + 1)
		}
		sl.codes[id] = codeEntry{gen, code}
	}
	return code == uint8(names.Exact+1) || code == uint8(names.Phonetic+1)
}

// storedName is contribution(i, trace, tv, the store's value at) for a name
// comparison i, through the store's names and the trace's memo nm: the
// level compareNames gives (the name, then the case's alternates against
// the trace's name, then the trace's alternates against the case's name)
// and its log likelihoods, log u from term frequencies at an agreeing level
// (pairLogU of the parts that agreed, as contribution has it).
func (m *Matcher) storedName(i int, sn *storeNames, trace *Subject, tv *value, at int32, nm *nameMemo, gen uint32, shared *[][]string) preContribution {
	ids := sn.ids[sn.start[at]:sn.start[at+1]]
	main := ids[0]
	if main == notPresent {
		return preContribution{}
	}
	t := &tv.name
	level := uint8(lvMissing)
	alt := false // the trace's name among the case's alternates (alternate)
	if !t.empty() {
		if main >= 0 {
			if level = nameLevel(nm.level(sn, 0, main, t, gen)); agreeing(level) {
				return m.storedAgreement(i, sn, trace, t, main, level, nm, gen, shared)
			}
		}
		for _, a := range ids[1:] {
			if a >= 0 && nm.agrees(sn, 0, a, t, gen) {
				if !m.cfg.Comparisons[i].Swaps {
					return m.levelContribution(i, lvAlternate)
				}
				alt = true
				break
			}
		}
	}
	if main >= 0 {
		for k := range tv.alts {
			if !tv.alts[k].empty() && nm.agrees(sn, k+1, main, &tv.alts[k], gen) {
				if alt {
					return m.levelContribution(i, lvSwapped) // both ways (compareNames)
				}
				return m.levelContribution(i, lvAlternate)
			}
		}
	}
	if alt {
		return m.levelContribution(i, lvAlternate)
	}
	if level == lvMissing {
		return preContribution{}
	}
	if level == lvDifferent && m.variants != nil && m.variants[i] != nil {
		*shared = (*shared)[:0]
		if variantOf(m.variants[i], m.variantKeys[i], t, &sn.names[main], shared) {
			return m.sharedContribution(i, trace, lvVariant, *shared) // as Matcher.compare
		}
	}
	return m.levelContribution(i, level)
}

// sharedContribution is contribution's result at level l with the parts
// that agreed (shared): log u from their term frequencies (pairLogU),
// tenant-wide and within the trace's community.
func (m *Matcher) sharedContribution(i int, trace *Subject, l uint8, shared [][]string) preContribution {
	e := preContribution{l: l, lm: m.logM[i][l], lf: m.logF[i][l], luOut: m.pairLogU(i, l, shared, "", nil)}
	e.luWithin = e.luOut
	if trace.community != "" {
		e.luWithin = m.pairLogU(i, l, shared, trace.community, nil)
	}
	return e
}

// storedPositions is contribution(i, trace, tv, the store's value) for
// a name compared by position without alternates (comparePositions),
// through the store's names of each position (the value's are ids, one
// per position: RunStore.posIDs) and the trace's memo of each.
func (m *Matcher) storedPositions(i int, pt []*storeNames, ids []int32, trace *Subject, tv *value, nms []*nameMemo, gen uint32, shared *[][]string) preContribution {
	level := storedWeakest(pt, ids, tv, 0, nms, gen)
	switch {
	case level == lvMissing:
		return preContribution{}
	case level == lvDifferent && m.variants != nil && m.variants[i] != nil:
		// as variantValue: every position at different a learned pair, u
		// from the case's spellings and the agreeing positions' parts
		*shared = (*shared)[:0]
		for j, sn := range pt {
			id := ids[j]
			if id < 0 || j >= len(tv.parts) || tv.parts[j].empty() {
				continue
			}
			switch l := nameLevel(nms[j].level(sn, 0, id, &tv.parts[j], gen)); {
			case agreeing(l):
				agreed(&tv.parts[j], &sn.names[id], shared)
			case l == lvDifferent:
				if !variantOf(m.variants[i], m.variantKeys[i], &tv.parts[j], &sn.names[id], shared) {
					return m.levelContribution(i, lvDifferent)
				}
			}
		}
		return m.sharedContribution(i, trace, lvVariant, *shared)
	case !agreeing(level):
		return m.levelContribution(i, level)
	}
	*shared = (*shared)[:0]
	for j, sn := range pt {
		if id := ids[j]; id >= 0 && j < len(tv.parts) && !tv.parts[j].empty() {
			agreed(&tv.parts[j], &sn.names[id], shared)
		}
	}
	e := preContribution{l: level, lm: m.logM[i][level], lf: m.logF[i][level], luOut: m.pairLogU(i, level, *shared, "", nil)}
	e.luWithin = e.luOut
	if trace.community != "" {
		e.luWithin = m.pairLogU(i, level, *shared, trace.community, nil)
	}
	return e
}

// storedUncrossed is uncrossed for the contribution e of the store's case
// whose row of value indexes is row to comparison i, a name by position
// whose partner (Comparison.SwapsWith) is comparison p: e itself unless a
// position of the case's value is crossed with the partner's names. e is
// the value's, memoised by value with the positions where its name
// disagrees with the trace's and agrees with the trace's given name
// (e.cross, storedCrossings); a crossing depends on the case's given name
// as well, so only for those positions, seldom, is the case's given name
// compared with the trace's name in that position, per case.
func (m *Matcher) storedUncrossed(s *RunStore, trace *Subject, i, p int, row []int32, e preContribution, memo *storeMemo, shared *[][]string, cache comparisonCache) preContribution {
	tv, tg := trace.vals[i], &trace.vals[p].name
	if e.l != lvDifferent && e.l != lvSimilar && e.l != lvClose || tg.empty() {
		return e
	}
	pt := s.posTabs[i]
	if pt == nil { // compared as RankGroup compares it
		*shared = (*shared)[:0]
		if l, skip := uncrossed(tv, s.values[i][row[i]], tg, &s.values[p][row[p]].name, e.l, shared, cache); skip != 0 {
			return m.sharedOrLevel(i, trace, l, *shared)
		}
		return e
	}
	if e.cross == 0 {
		return e
	}
	// the case's given name: a random read of the store, made only here
	// (before e.cross, one for every case whose family names disagree was
	// 6 % of a run's CPU at 1,000,000 cases; Speed → Session 41)
	cg := &s.values[p][row[p]].name
	var skip uint64
	for j := range pt {
		if e.cross&(1<<j) != 0 && agreesName(&tv.parts[j], cg, cache) {
			skip |= 1 << j
		}
	}
	if skip == 0 {
		return e
	}
	ids := s.posIDs[i][int(row[i])*len(pt) : int(row[i]+1)*len(pt)]
	nms, gen := memo.posNames[i], memo.gen
	level := storedWeakest(pt, ids, tv, skip, nms, gen)
	*shared = (*shared)[:0]
	if agreeing(level) {
		for j, sn := range pt {
			if id := ids[j]; id >= 0 && j < len(tv.parts) && !tv.parts[j].empty() && skip&(1<<j) == 0 {
				agreed(&tv.parts[j], &sn.names[id], shared)
			}
		}
	}
	return m.sharedOrLevel(i, trace, level, *shared)
}

// storedCrossings are the positions (bits) of the store's value whose names
// are ids (one per position of pt) where its name disagrees with the
// trace's (tv) and agrees with the trace's partner name tg (through the
// position's memo, slot 1): where a crossing may be, for a value
// contributing at level l. None unless l disagrees and tg is given.
func storedCrossings(pt []*storeNames, ids []int32, tv *value, tg *pname, l uint8, nms []*nameMemo, gen uint32) uint8 {
	if l != lvDifferent && l != lvSimilar && l != lvClose || tg.empty() {
		return 0
	}
	var cross uint8
	for j, sn := range pt {
		id := ids[j]
		if id < 0 || j >= len(tv.parts) || j >= 8 || tv.parts[j].empty() || agreeing(nameLevel(nms[j].level(sn, 0, id, &tv.parts[j], gen))) {
			continue
		}
		if nms[j].agrees(sn, 1, id, tg, gen) {
			cross |= 1 << j
		}
	}
	return cross
}

// storedWeakest is weakestPosition for the store's value whose names are
// ids (one per position of pt), through the trace's memo of each position.
func storedWeakest(pt []*storeNames, ids []int32, tv *value, skip uint64, nms []*nameMemo, gen uint32) uint8 {
	level := uint8(lvMissing)
	for j, sn := range pt {
		if id := ids[j]; id >= 0 && j < len(tv.parts) && !tv.parts[j].empty() && skip&(1<<j) == 0 {
			if l := nameLevel(nms[j].level(sn, 0, id, &tv.parts[j], gen)); level == lvMissing || l < level {
				level = l
			}
		}
	}
	return level
}

// sharedOrLevel is the contribution of comparison i at level l: nothing
// when missing, from the parts that agreed (shared) at an agreeing level,
// the level's own else.
func (m *Matcher) sharedOrLevel(i int, trace *Subject, l uint8, shared [][]string) preContribution {
	switch {
	case l == lvMissing:
		return preContribution{}
	case agreeing(l):
		return m.sharedContribution(i, trace, l, shared)
	}
	return m.levelContribution(i, l)
}

// storedAgreement is the contribution of the trace's name t agreeing at
// level lv (exact or phonetic) with the name of index id: log u from the
// parts that agreed (agreed, pairLogU), memoised per name.
func (m *Matcher) storedAgreement(i int, sn *storeNames, trace *Subject, t *pname, id int32, lv uint8, nm *nameMemo, gen uint32, shared *[][]string) preContribution {
	e := preContribution{l: lv, lm: m.logM[i][lv], lf: m.logF[i][lv]}
	if le := &nm.lu[id]; le.stamp == gen {
		e.luOut, e.luWithin = le.lu[0], le.lu[1]
		return e
	}
	*shared = (*shared)[:0]
	agreed(t, &sn.names[id], shared)
	e.luOut = m.pairLogU(i, lv, *shared, "", nil)
	e.luWithin = e.luOut
	if trace.community != "" {
		e.luWithin = m.pairLogU(i, lv, *shared, trace.community, nil)
	}
	nm.lu[id] = luEntry{lu: [2]float64{e.luOut, e.luWithin}, stamp: gen}
	return e
}

// levelContribution is contribution's result at a level whose log u is
// the level's (no term frequencies: not an agreement on the name itself).
func (m *Matcher) levelContribution(i int, l uint8) preContribution {
	return preContribution{l: l, lm: m.logM[i][l], lf: m.logF[i][l], luOut: m.logU[i][l], luWithin: m.logU[i][l]}
}
