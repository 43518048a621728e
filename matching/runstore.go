package matching

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
)

// A re-matching run scores about 2,000 candidates for each of up to
// 100,000 traces against a tenant's cases (docs/matching-log.md, Speed →
// Session 26). Decoding each candidate (DecodeCandidate) allocates its
// values, and a SubjectCache of every case holds millions of pointers:
// either way, at 1,000,000 cases most of a trace's time went to
// allocating, collecting and waiting on memory rather than to comparing.
// A RunStore holds a run's cases once, with few pointers: their stored
// forms in one byte slice, and for each comparison of the pre-score the
// case's value as an index into that comparison's distinct values (a tenant has few distinct sexes, ages, places, dates, causes and
// family names; the given name is nearly one per case). The pre-score then
// reads a candidate's row of indexes and, for a value another candidate of
// the same trace already had, what it added then (a memo per trace);
// only the candidates it keeps are decoded, and RankStored ranks them as
// RankGroup would have ranked them all decoded.

// RunStore holds the cases of one run for the pre-score of one matcher
// (NewRunStore). Add every case first, then rank: Add must not run beside
// RankStored; RankStored may run on several goroutines at once.
type RunStore struct {
	m         *Matcher
	locations string
	k         int
	// rest marks the comparisons whose values the store does not share
	// (the pre-score does not read them; a kept case's are decoded from
	// restForms), the same for every case.
	rest []bool
	// restSpans holds, for case c, where in restForms each value of the
	// comparisons of rest lies (start and end, in their order), written
	// with its names and strings as indexes in restTab (runstore_rest.go):
	// decoding a kept case then reads those bytes without walking the form.
	restSpans []int32
	nRest     int
	restForms []byte
	restTab   *restTables
	// community holds, per value of the community's comparison, its
	// community as an index into communities (-1: none), so that the
	// pre-score tells a pair of one community without reading the value
	// (a cache miss per candidate).
	community   []int32
	communities map[string]int32
	ids         []string
	at          map[string]int32
	version     []int64
	forms       slabs // case c's form is forms.at(c)
	// vids holds, for case c and comparison i, vids[c*k+i]: the index of
	// its value in values[i] (-1 for comparisons the pre-score does not
	// read).
	vids   []int32
	values [][]*value
	// interning, while cases are added (nil once Done): a value's index by
	// its bytes, and the names decoded (shared by values, as a
	// valueTable's).
	index []map[string]int32
	names map[string]pname
	// nameTabs holds, for the name comparisons, their values as indexes of
	// their names (runstore_names.go); nil for the others.
	nameTabs []*storeNames
	// posTabs holds, for the names compared by position (without
	// alternates), one storeNames per position: each value's part in that
	// position as a value of one name; nil for the others.
	posTabs [][]*storeNames
	// posIDs holds, for those names, each value's name in every position,
	// value after value: posIDs[i][at*len(posTabs[i])+j] is value at's
	// name in posTabs[i][j] (nameEmpty; notPresent for a value not
	// present). The pre-score reads both positions of a candidate's family
	// names in one random read, where each position's name was behind its
	// own start and ids (four dependent reads; docs/matching-log.md, Speed →
	// Session 35 (engineer D)).
	posIDs [][]int32
	// atoms holds, for the location and date comparisons, their values as
	// indexes of their places or dates (runstore_atoms.go); nil for the
	// others.
	atoms []*storeAtoms
	// scalars holds, for the age and categories comparisons, their
	// values side by side (runstore_scalars.go); nil for the others.
	scalars []*storeScalars
	nameBuf []byte
	vidsRow []int32 // Add's row of vids, reused
	memos   sync.Pool
	// pairs pre-scored, and those whose deferred comparisons were read
	pairs, deferredRead atomic.Int64
}

// ErrNoPreScore: a RunStore serves a matcher with a pre-score
// (WithPreScore).
var ErrNoPreScore = errors.New("matching: a run store needs a matcher with a pre-score")

// ErrStoreRelatives: a RunStore serves a pre-score without a relative's
// names (PreScoreComparisons has none).
var ErrStoreRelatives = errors.New("matching: a run store's pre-score cannot read a relative's names")

// ErrOtherStore: a RunStore was built by a matcher that decodes or
// pre-scores otherwise (another configuration, day or pre-score).
var ErrOtherStore = errors.New("matching: the run store was built for another matcher")

// NewRunStore returns an empty store of the cases of a run for this
// matcher's pre-score; its values are decoded with the matcher's day and
// locations, which locations identifies (the caller's digest of the
// hierarchy's version, as for DecodeContext).
func (m *Matcher) NewRunStore(locations string) (*RunStore, error) {
	if m.preKeep <= 0 {
		return nil, ErrNoPreScore
	}
	k := len(m.cfg.Comparisons)
	for i, c := range m.cfg.Comparisons {
		if m.preRead[i] && c.Kind == KindRelativeName {
			// scored against what the family names of the same pair
			// agreed on (pairLogU's fam), which one value does not give
			return nil, ErrStoreRelatives
		}
	}
	s := &RunStore{m: m, locations: locations, k: k, values: make([][]*value, k),
		at: map[string]int32{}, index: make([]map[string]int32, k), names: map[string]pname{},
		rest: make([]bool, k), restTab: newRestTables(), communities: map[string]int32{}, nameTabs: make([]*storeNames, k), posTabs: make([][]*storeNames, k), posIDs: make([][]int32, k),
		atoms: make([]*storeAtoms, k), scalars: make([]*storeScalars, k)}
	for i, c := range m.cfg.Comparisons {
		if m.preRead[i] {
			s.index[i] = map[string]int32{}
			switch {
			case c.Kind == KindName && !c.ByPosition:
				s.nameTabs[i] = newStoreNames()
			case c.ByPosition && len(c.Case.Alternates) == 0 && len(c.Trace.Alternates) == 0:
				s.posTabs[i] = make([]*storeNames, len(c.Case.Fields))
				for j := range s.posTabs[i] {
					s.posTabs[i][j] = newStoreNames()
				}
			}
			// (a name by position with alternates is compared as
			// RankGroup compares it: contribution)
			if byAtoms(c) {
				s.atoms[i] = newStoreAtoms(c.Kind)
			}
			if s.nameTabs[i] == nil && s.posTabs[i] == nil && s.atoms[i] == nil {
				s.scalars[i] = scalarsFor(c)
			}
		} else {
			s.rest[i] = true
			s.nRest++
		}
	}
	return s, nil
}

// builtLike says whether m decodes and pre-scores as the matcher that
// built the store: the decoding context (DecodeContext without the
// locations: the configuration's fingerprint and the day) and the
// comparisons the pre-score reads. Compared in place, not built as a
// string per RankStored.
func (s *RunStore) builtLike(m *Matcher) bool {
	y, mo, d := m.today.UTC().Date()
	sy, smo, sd := s.m.today.UTC().Date()
	return m.preKeep > 0 && m.fingerprint == s.m.fingerprint && y == sy && mo == smo && d == sd &&
		slices.Equal(m.preRead, s.m.preRead)
}

// Serves says whether the store was built for a matcher that decodes and
// pre-scores as m does, with the same locations: RankStored of m may read
// it.
func (s *RunStore) Serves(m *Matcher, locations string) bool {
	return s.builtLike(m) && s.locations == locations
}

// Len returns how many cases the store holds.
func (s *RunStore) Len() int { return len(s.ids) }

// Values returns how many distinct values of the comparisons the
// pre-score reads the store holds, and the bytes of its cases' forms
// (with their rest values written again, restForms).
func (s *RunStore) Values() (values int, formBytes int) {
	for _, vs := range s.values {
		values += len(vs)
	}
	return values, s.forms.bytes + len(s.restForms)
}

// Add adds a case's stored form (EncodeCase) with the version of the row
// it was read from (the caller's: what tells a form changed since) and
// returns its index in the store. ErrStaleSubject when the form is of
// another version; a corrupt form, or a case the store holds, is refused
// and nothing is added.
func (s *RunStore) Add(id string, version int64, form []byte) (int32, error) {
	m := s.m
	if s.index == nil {
		return 0, ErrStoreDone
	}
	if _, ok := s.at[id]; ok {
		return 0, fmt.Errorf("matching: case %s is in the run store already", id)
	}
	var spanBuf [16][2]int
	spans, err := m.valueSpans(form, spanBuf[:0])
	if err != nil {
		return 0, err
	}
	restFrom := len(s.restForms)
	fail := func(err error) (int32, error) {
		// the values interned stay (no case refers to them); the rest
		// written go
		s.restForms = s.restForms[:restFrom]
		s.restSpans = s.restSpans[:len(s.ids)*2*s.nRest]
		return 0, err
	}
	for i, sp := range spans {
		if s.rest[i] {
			start, end, err := s.addRest(form[sp[0]:sp[1]])
			if err != nil {
				return fail(err)
			}
			s.restSpans = append(s.restSpans, start, end)
		}
	}
	row := s.vidsRow[:0]
	for i, sp := range spans {
		row = append(row, -1)
		if s.index[i] == nil {
			continue
		}
		b := form[sp[0]:sp[1]]
		if at, ok := s.index[i][string(b)]; ok {
			row[i] = at
			continue
		}
		key := string(b)
		vd := decoder{raw: b, text: key, names: s.names}
		v := new(value)
		m.decodeValue(&vd, v)
		if vd.err != nil {
			return fail(vd.err)
		}
		for _, a := range vd.added {
			s.names[a.key] = a.p
		}
		row[i] = int32(len(s.values[i]))
		s.values[i] = append(s.values[i], v)
		s.index[i][key] = row[i]
		if i == m.community {
			s.community = append(s.community, s.communityIndex(v.community))
		}
		if sn := s.nameTabs[i]; sn != nil {
			s.nameBuf = sn.addValue(v, s.nameBuf)
		}
		for j, sn := range s.posTabs[i] {
			part := value{present: j < len(v.parts) && !v.parts[j].empty()}
			if part.present {
				part.name = v.parts[j]
			}
			s.nameBuf = sn.addValue(&part, s.nameBuf)
			s.posIDs[i] = append(s.posIDs[i], sn.ids[len(sn.ids)-1]) // one name per value and position
		}
		if sa := s.atoms[i]; sa != nil {
			sa.add(v)
		}
		if sc := s.scalars[i]; sc != nil && !sc.add(v) {
			s.scalars[i] = nil // compared from its values
		}
	}
	s.vids = append(s.vids, row...)
	s.vidsRow = row
	s.at[id] = int32(len(s.ids))
	s.ids = append(s.ids, id)
	s.version = append(s.version, version)
	s.forms.add(form)
	return int32(len(s.ids) - 1), nil
}

// ErrStoreDone: a case was added to a RunStore after Done.
var ErrStoreDone = errors.New("matching: the run store is complete")

// Done ends the adding: the maps that only interning needs (each value's,
// name's, token's, place's and date's index by its bytes: a few hundred
// bytes a case, and pointers the collector walks at each cycle of a run's
// batches) are dropped. Add then fails; RankStored may run without it.
func (s *RunStore) Done() {
	s.index = nil
	for _, sn := range s.nameTabs {
		sn.done()
	}
	for _, pt := range s.posTabs {
		for _, sn := range pt {
			sn.done()
			sn.ids, sn.start = nil, nil // read from posIDs
		}
	}
	for _, sa := range s.atoms {
		if sa != nil {
			sa.index, sa.dayAt = nil, nil
		}
	}
	s.restTab.done()
	s.names, s.nameBuf, s.vidsRow = nil, nil, nil
}

// grow makes room for n more cases (Add's per-case slices and the index
// by id), so that a store of a million cases is not copied as it grows.
func (s *RunStore) grow(n int) {
	s.ids = slices.Grow(s.ids, n)
	s.version = slices.Grow(s.version, n)
	s.forms.ends = slices.Grow(s.forms.ends, n)
	s.vids = slices.Grow(s.vids, n*s.k)
	if len(s.at) == 0 {
		s.at = make(map[string]int32, n)
	}
}

// communityIndex returns the index of a community in s.communities (-1
// for none), adding it.
func (s *RunStore) communityIndex(c string) int32 {
	if c == "" {
		return -1
	}
	at, ok := s.communities[c]
	if !ok {
		at = int32(len(s.communities))
		s.communities[c] = at
	}
	return at
}

func (s *RunStore) form(c int32) []byte { return s.forms.at(c) }

// slabs holds byte strings written one after the other in slabs of
// slabSize bytes (a longer string has a slab of its own), the i-th added
// read by at(i). The strings are copied once: a single slice grown by
// append was copied at each growth, with the first touch of the new
// memory each time (16 of the 53 s that a 1,000,000-case store took;
// docs/matching-log.md, Speed → Session 42).
type slabs struct {
	slab [][]byte
	// ends[i] is where string i ends: slab<<slabShift | offset; it starts
	// where string i-1 ends when that is in the same slab, else at 0.
	ends  []int64
	bytes int
	size  int // slabSize unless a test sets it
}

const (
	slabSize  = 16 << 20
	slabShift = 40
)

func (b *slabs) add(s []byte) {
	size := b.size
	if size == 0 {
		size = slabSize
	}
	last := len(b.slab) - 1
	if last < 0 || len(b.slab[last])+len(s) > cap(b.slab[last]) {
		b.slab = append(b.slab, make([]byte, 0, max(size, len(s))))
		last++
	}
	b.slab[last] = append(b.slab[last], s...)
	b.ends = append(b.ends, int64(last)<<slabShift|int64(len(b.slab[last])))
	b.bytes += len(s)
}

func (b *slabs) at(i int32) []byte {
	e := b.ends[i]
	slab, end := e>>slabShift, e&(1<<slabShift-1)
	start := int64(0)
	if i > 0 && b.ends[i-1]>>slabShift == slab {
		start = b.ends[i-1] & (1<<slabShift - 1)
	}
	return b.slab[slab][start:end]
}

// subjects returns the cases of cands (those given as a Case as they are)
// as DecodeCandidate reads them for the trace: the values the store holds
// shared (never modified), of the others those the trace has a value for
// decoded from their bytes in the form (restSpans; the names among them
// the store holds shared too); a value the trace lacks compares as missing
// whatever the case holds, so it is left unread (noValue), pending when
// the case has one (complete reads it).
// The subjects and their values are allocated together (a few
// allocations per trace rather than four per case), and only the bytes of
// the values decoded are copied for their strings, not the whole form.
// When kt is not nil they are written into its memory (what it held
// before is overwritten), else allocated.
func (s *RunStore) subjects(trace *Subject, cands []StoredCandidate, out []*Subject, kt *keptTrace) ([]*Subject, error) {
	n := 0
	for _, c := range cands {
		if c.Case == nil {
			n++
		}
	}
	// a value for each rest value the trace has one for (those it lacks
	// point to noValue: allocated for every case, they were half of
	// RankStored's bytes, which the collector then had to keep up with)
	decoded := 0
	for i, r := range s.rest {
		if r && trace.vals[i].present {
			decoded++
		}
	}
	var subs []Subject
	var vals []*value
	var rest []value
	if kt == nil {
		subs, vals, rest = make([]Subject, n), make([]*value, n*s.k), make([]value, n*decoded)
	} else {
		kt.subs, kt.vals, kt.rest = reuse(kt.subs, n), reuse(kt.vals, n*s.k), reuse(kt.rest, n*decoded)
		subs, vals, rest = kt.subs, kt.vals, kt.rest
	}
	for j, c := range cands {
		if c.Case != nil {
			out = append(out, c.Case)
			continue
		}
		s.prefetchKept(cands, j)
		sub := &subs[0]
		subs = subs[1:]
		sub.ID, sub.vals = s.ids[c.At], vals[:s.k:s.k]
		vals = vals[s.k:]
		spans := s.restSpans[int(c.At)*2*s.nRest : int(c.At+1)*2*s.nRest]
		row := s.vids[int(c.At)*s.k : int(c.At+1)*s.k]
		for i, at := range row {
			if at >= 0 {
				sub.vals[i] = s.values[i][at]
				continue
			}
			b := s.restForms[spans[0]:spans[1]]
			spans = spans[2:]
			if !trace.vals[i].present {
				sub.vals[i] = &noValue // complete gives a pending one its own
				if len(b) > 0 && b[0]&flagPresent != 0 {
					sub.stored, sub.pending = s.form(c.At), sub.pending|1<<i
				}
				continue
			}
			v := &rest[0]
			rest = rest[1:]
			sub.vals[i] = v
			d := decoder{raw: b, tab: s.restTab}
			s.m.decodeValue(&d, v)
			if d.err != nil {
				return nil, d.err
			}
		}
		sub.community = s.m.communityOf(sub)
		out = append(out, sub)
	}
	return out, nil
}

// Lookup returns the index of a case in the store and the version it was
// added with.
func (s *RunStore) Lookup(id string) (at int32, version int64, ok bool) {
	at, ok = s.at[id]
	if !ok {
		return 0, 0, false
	}
	return at, s.version[at], true
}

// ID returns the id of the case of index c.
func (s *RunStore) ID(c int32) string { return s.ids[c] }

// storeMemo is one goroutine's memo of what each value added to a trace's
// pre-score (valid where stamp is the current trace's gen), for the
// comparisons with few distinct values.
type storeMemo struct {
	gen uint32
	e   [][]memoEntry
	// names memoises the name comparisons by name (nil for the others),
	// posNames the names by position by position and name
	names    []*nameMemo
	posNames [][]*nameMemo
	// atoms memoises the location and date comparisons by place or date;
	// masks holds the trace's categories as the store's bits, per
	// comparison, computed for the trace of stamp masksGen
	atoms    []*atomMemo
	masks    [][]uint64
	masksGen []uint32
	// buffers of RankStored, reused from trace to trace (allocated per
	// trace, they and the collector's work on them were a tenth of a
	// run's profile): the traces' comparison caches (cleared), the
	// pre-score's bounds in order, the kept.
	caches []comparisonCache
	order  []keptLR
	// orderTmp is sortBestFirst's other half
	orderTmp []keptLR
	first    []pairScore
	top      keptHeap
	kept     []StoredCandidate
	// known holds the kept candidates' pre-score contributions of the
	// traces of one RankStored (storedContributions)
	known []preContribution
}

// memoShare: a comparison whose distinct values are more than this share
// of the cases (the given name) is not memoised: its values seldom recur
// among a trace's candidates.
const memoShare = 0.5

func (s *RunStore) memo() *storeMemo {
	if x, ok := s.memos.Get().(*storeMemo); ok {
		return x
	}
	x := &storeMemo{e: make([][]memoEntry, s.k), names: make([]*nameMemo, s.k),
		posNames: make([][]*nameMemo, s.k), atoms: make([]*atomMemo, s.k), masks: make([][]uint64, s.k),
		masksGen: make([]uint32, s.k)}
	for i, sn := range s.nameTabs {
		if sn != nil {
			x.names[i] = newNameMemo(len(sn.names))
		}
	}
	for i, pt := range s.posTabs {
		for _, sn := range pt {
			x.posNames[i] = append(x.posNames[i], newNameMemo(len(sn.names)))
		}
	}
	for i, sa := range s.atoms {
		if sa != nil {
			x.atoms[i] = newAtomMemo(sa)
		}
	}
	for i, vs := range s.values {
		if s.m.preRead[i] && float64(len(vs)) <= memoShare*float64(len(s.ids)) {
			x.e[i] = make([]memoEntry, len(vs))
		}
	}
	return x
}

// preContribution is what one comparison adds to a pair's score for one
// case value: its level and log likelihoods, with log u outside the
// trace's community and within it (term frequencies within a community).
type preContribution struct {
	// l is the level; cross (names by position with a partner, at a
	// disagreeing level) the positions, as bits, whose name disagrees with
	// the trace's and agrees with the trace's partner name
	// (storedCrossings), where storedUncrossed looks for a crossing. Side
	// by side, the struct stays 40 bytes.
	l, cross                uint8
	lm, lf, luOut, luWithin float64
}

// memoEntry is a memo's preContribution with its stamp beside it: a
// lookup of a value the trace has not met is then one cache miss, not two
// (the stamps and entries of a comparison with many values were parallel
// arrays, each read at the same random index).
type memoEntry struct {
	lm, lf, luOut, luWithin float64
	gen                     uint32
	l, cross                uint8
}

func (me *memoEntry) preContribution() preContribution {
	return preContribution{l: me.l, lm: me.lm, lf: me.lf, luOut: me.luOut, luWithin: me.luWithin, cross: me.cross}
}

// KeptCases is memory for the cases RankStoredIn decodes (the kept
// candidates of each trace, their values), reused from call to call: the
// kept cases' rest values alone were about 220 KB a trace, allocated for
// each trace and then collected (docs/matching-log.md, Speed → Session 36
// (engineer S)). The zero value is ready; a KeptCases serves one call at a
// time.
type KeptCases struct {
	traces []keptTrace
}

// keptTrace is the memory of one trace's kept cases.
type keptTrace struct {
	subs []Subject
	vals []*value
	rest []value
}

// reuse returns xs holding n zero values: in its own memory when it has
// room, else new.
func reuse[T any](xs []T, n int) []T {
	if cap(xs) < n {
		return make([]T, n)
	}
	xs = xs[:n]
	clear(xs)
	return xs
}

// StoredCandidate is a candidate of RankStored: the store's case of index
// At, or, when Case is not nil, a case read otherwise (changed since the
// store was built, or not in it).
type StoredCandidate struct {
	At   int32
	Case *Subject
}

// RankStored ranks each trace's candidates as RankGroup of this matcher
// ranks them decoded: the pre-score reads the store's values (a candidate
// given as a Case is scored as RankGroup scores it), and only the
// candidates it keeps are decoded from their forms (the same candidates,
// levels, weights, probabilities and order:
// TestRankStoredRanksAsRankGroup). Only the candidates a run stores (kept:
// the StoredPerTrace best and every likely or possible) get their Fields,
// RankGroup's to the last bit; the others none (storedFields in the
// tests). The store must have been built by this matcher or one that
// decodes and pre-scores alike (ErrOtherStore).
func (m *Matcher) RankStored(s *RunStore, traces []*Subject, cands [][]StoredCandidate) ([][]Candidate, error) {
	return m.RankStoredIn(s, nil, traces, cands)
}

// RankStoredIn is RankStored with the kept cases decoded into kc's memory
// (nil: allocated): the candidates' cases (Candidate.Case) of the call
// before it given kc are overwritten, so the caller must no longer read
// them.
func (m *Matcher) RankStoredIn(s *RunStore, kc *KeptCases, traces []*Subject, cands [][]StoredCandidate) ([][]Candidate, error) {
	if m.p == nil {
		return nil, ErrNoParameters
	}
	if !s.builtLike(m) {
		return nil, ErrOtherStore
	}
	pr := newPriors(m.p.Prior, m.p.Siblings, m.p.Cases)
	memo := s.memo()
	defer s.memos.Put(memo)
	cases := make([][]*Subject, len(traces))
	for len(memo.caches) < len(traces) {
		// sized for the names of a trace's candidates at once (grown from
		// empty, its rehashing was 7 % of a run's profile at 1,000,000
		// cases); cleared, not made again, for the next trace
		memo.caches = append(memo.caches, make(comparisonCache, MaxCandidates))
	}
	caches := memo.caches[:len(traces)]
	var shared [][]string
	memo.known = memo.known[:0]
	knownAt := make([][2]int, len(traces)) // each trace's kept's in memo.known
	for t, trace := range traces {
		clear(caches[t])
		kept := cands[t]
		for _, c := range kept {
			if c.Case != nil {
				if err := m.complete(c.Case); err != nil { // read by DecodeCandidate
					return nil, err
				}
			}
		}
		if len(kept) > m.preKeep {
			// the memo's entries hold m and f: stamped per trace, they are
			// never read with another trace's (forTrace)
			mt := m.forTrace(trace)
			memo.gen++
			if memo.gen == 0 { // wrapped: every stamp may look current
				for _, e := range memo.e {
					clear(e)
				}
				for _, nm := range memo.names {
					if nm != nil {
						nm.clear()
					}
				}
				for _, nms := range memo.posNames {
					for _, nm := range nms {
						nm.clear()
					}
				}
				for _, am := range memo.atoms {
					if am != nil {
						clear(am.e)
					}
				}
				clear(memo.masksGen)
				memo.gen = 1
			}
			best := mt.preScoreStored(pr, s, trace, kept, memo, &shared, caches[t])
			kept = memo.kept[:0]
			for _, b := range best {
				kept = append(kept, cands[t][b])
			}
			memo.kept = kept
			from := len(memo.known)
			memo.known = slices.Grow(memo.known, len(kept)*s.k)[:from+len(kept)*s.k]
			for j, c := range kept {
				out := memo.known[from+j*s.k : from+(j+1)*s.k]
				if c.Case != nil {
					for i := range out {
						out[i] = preContribution{l: lvUnscored}
					}
					continue
				}
				mt.storedContributions(s, trace, s.vids[int(c.At)*s.k:int(c.At+1)*s.k], memo, &shared, caches[t], out)
			}
			knownAt[t] = [2]int{from, len(memo.known)}
		}
		var kt *keptTrace
		if kc != nil {
			if len(kc.traces) <= t {
				kc.traces = append(kc.traces, make([]keptTrace, t+1-len(kc.traces))...)
			}
			kt = &kc.traces[t]
		}
		var err error
		if cases[t], err = s.subjects(trace, kept, make([]*Subject, 0, len(kept)), kt); err != nil {
			return nil, err
		}
	}
	known := make([][]preContribution, len(traces))
	for t, at := range knownAt {
		if at[1] > at[0] {
			known[t] = memo.known[at[0]:at[1]]
		}
	}
	return m.rankKept(pr, traces, cases, caches, known, kept), nil
}

// preScoreStored returns the positions (ascending) in cands of the
// m.preKeep candidates with the best pre-score, as preScore would keep
// them. Each candidate is scored on the pre-score's first comparisons
// (preFirst); when the trace has a value for a deferred one (preDefer),
// the candidates are then taken best bound first (their first score and
// what the deferred comparisons can add, bound) and scored in full until
// the m.preKeep-th best full score is above every bound left; else the
// first score is the full one. The full score is storedPair on every
// comparison of the pre-score, the sums preScore adds.
func (m *Matcher) preScoreStored(pr priors, s *RunStore, trace *Subject, cands []StoredCandidate, memo *storeMemo, shared *[][]string, cache comparisonCache) []int32 {
	traceCommunity := int32(-1) // no case of the store is of the trace's community
	if at, ok := s.communities[trace.community]; ok && m.community >= 0 {
		traceCommunity = at
	}
	pair := func(c StoredCandidate, only []bool) pairScore {
		if c.Case != nil {
			return m.score(trace, c.Case, nil, only, shared, cache)
		}
		return m.storedPair(s, trace, traceCommunity, s.vids[int(c.At)*s.k:int(c.At+1)*s.k], only, memo, shared, cache)
	}
	s.pairs.Add(int64(len(cands)))
	if m.deferMask == 0 || !anyPresent(trace, m.preDefer) {
		scores := make([]pairScore, len(cands))
		for j, c := range cands {
			s.prefetchAhead(cands, j, memo)
			scores[j] = pair(c, m.preRead)
		}
		return bestOf(m.preKeep, m.calibratedOnly(pr, scores))
	}
	rest := m.bound(trace, m.preFirst).of(m.deferMask)
	// When the deferred comparison is one of the store's names, a candidate
	// whose name shares no key with the trace's (most of them) cannot reach
	// the agreeing levels, and a lower bound (restNear) may rule it out
	// before its names are compared (their similarity was most of the
	// deferred comparison's cost).
	near, restNear := -1, restBound{}
	if bits.OnesCount64(m.deferMask) == 1 {
		if i := bits.TrailingZeros64(m.deferMask); s.nameTabs[i] != nil {
			near, restNear = i, m.boundUpTo(trace, m.preFirst, lvClose).of(m.deferMask)
		}
	}
	// each candidate's bound calibrated as calibrated would
	// (Calibration.one), beside its position, into a reused slice: sorted
	// in place, best bound first, then by position (cmp.Or over two slices
	// read through indexes was most of the sort's cost)
	order := slices.Grow(memo.order[:0], len(cands))[:len(cands)]
	first := slices.Grow(memo.first[:0], len(cands))[:len(cands)]
	for j, c := range cands {
		s.prefetchAhead(cands, j, memo)
		first[j] = pair(c, m.preFirst)
		order[j] = keptLR{lr: m.p.Calibration.one(pr, rest.add(first[j])), i: int32(j)}
	}
	order, memo.orderTmp = sortBestFirst(order, memo.orderTmp)
	memo.order, memo.first = order, first
	top := memo.top[:0]
	defer func() { memo.top = top[:0] }()
	read := 0
	for k, o := range order {
		if near >= 0 {
			s.prefetchName(near, cands, order, k, memo)
		}
		j := o.i
		if len(top) == m.preKeep && o.lr+boundSlack(o.lr) < top[0].lr {
			break // neither this candidate nor the ones after can be kept
		}
		if c := cands[j]; near >= 0 && len(top) == m.preKeep && c.Case == nil {
			at := s.vids[int(c.At)*s.k+near]
			if !memo.names[near].mayAgreeValue(s.nameTabs[near], at, trace.vals[near], memo.gen) {
				lr := m.p.Calibration.one(pr, restNear.add(first[j]))
				if lr+boundSlack(lr) < top[0].lr {
					continue // this one cannot be kept (the threshold only rises)
				}
			}
		}
		read++
		full := pair(cands[j], m.preRead)
		top.push(keptLR{lr: m.p.Calibration.one(pr, full), i: j}, m.preKeep)
	}
	s.deferredRead.Add(int64(read))
	kept := make([]int32, len(top))
	for k, e := range top {
		kept[k] = e.i
	}
	slices.Sort(kept)
	return kept
}

// Prefetch distances, in candidates: the row of value indexes of the
// candidate rowAhead places on is asked for, and the memo entries of the
// one memoAhead places on (its row asked for rowAhead-memoAhead candidates
// earlier, so in cache by now).
const (
	rowAhead  = 16
	memoAhead = 8
)

// prefetchAhead asks for the memory the pre-score of candidate j+rowAhead
// and j+memoAhead will read (their rows of value indexes, their values'
// memo entries and community), so that those reads do not each wait a
// memory latency when their turn comes.
func (s *RunStore) prefetchAhead(cands []StoredCandidate, j int, memo *storeMemo) {
	if r := j + rowAhead; r < len(cands) && cands[r].Case == nil {
		prefetch(unsafe.Pointer(&s.vids[int(cands[r].At)*s.k]))
	}
	r := j + memoAhead
	if r >= len(cands) || cands[r].Case != nil {
		return
	}
	row := s.vids[int(cands[r].At)*s.k : int(cands[r].At+1)*s.k]
	for i, me := range memo.e {
		if me != nil && row[i] >= 0 {
			prefetch(unsafe.Pointer(&me[row[i]]))
		}
		if sc := s.scalars[i]; sc != nil && row[i] >= 0 {
			sc.prefetch(row[i])
		}
	}
	if c := s.m.community; c >= 0 && row[c] >= 0 {
		prefetch(unsafe.Pointer(&s.community[row[c]]))
	}
	for i, ids := range s.posIDs {
		// memoised or not: four in ten of a trace's candidates bring a
		// family name the trace has not met (300,000 cases), and as many
		// a place the trace's memo of values has not met
		if ids != nil && row[i] >= 0 {
			prefetch(unsafe.Pointer(&ids[int(row[i])*len(s.posTabs[i])]))
		}
		if sa := s.atoms[i]; sa != nil && row[i] >= 0 {
			prefetch(unsafe.Pointer(&sa.two[2*row[i]]))
		}
	}
}

// prefetchName asks for the memory the deferred name comparison i (one of
// the store's names) reads for the candidates ahead of position k of the
// bounds' order: the candidate's place in the value's names 8 on, its
// names 4 on, and the memo's code of its name 2 on (each step's index
// read from the line the step before asked for). The three are a chain of
// random reads per candidate, and the candidates come in the bounds'
// order, not the store's.
func (s *RunStore) prefetchName(i int, cands []StoredCandidate, order []keptLR, k int, memo *storeMemo) {
	sn := s.nameTabs[i]
	at := func(d int) int32 {
		if k+d >= len(order) {
			return -1
		}
		c := cands[order[k+d].i]
		if c.Case != nil {
			return -1
		}
		return s.vids[int(c.At)*s.k+i]
	}
	if v := at(8); v >= 0 {
		prefetch(unsafe.Pointer(&sn.start[v]))
	}
	if v := at(4); v >= 0 {
		prefetch(unsafe.Pointer(&sn.ids[sn.start[v]]))
	}
	if v := at(2); v >= 0 {
		if nm := memo.names[i]; len(nm.slots) > 0 {
			if id := sn.ids[sn.start[v]]; id >= 0 {
				prefetch(unsafe.Pointer(&nm.slots[0].codes[id]))
				prefetch(unsafe.Pointer(&sn.keyStart[id]))
			}
		}
	}
}

// Prefetch distances of subjects, in kept candidates: the id, row of value
// indexes and rest spans of the candidate keptAhead places on are asked
// for, and the values and rest bytes that row and spans point to for the
// one keptAhead/2 on.
const keptAhead = 8

// prefetchKept asks for the memory subjects reads for the kept candidates
// ahead of j: they come in the store's order, each at a random place.
func (s *RunStore) prefetchKept(cands []StoredCandidate, j int) {
	if r := j + keptAhead; r < len(cands) && cands[r].Case == nil {
		at := int(cands[r].At)
		prefetch(unsafe.Pointer(&s.ids[at]))
		prefetch(unsafe.Pointer(&s.vids[at*s.k]))
		if s.nRest > 0 {
			prefetch(unsafe.Pointer(&s.restSpans[at*2*s.nRest]))
		}
	}
	r := j + keptAhead/2
	if r >= len(cands) || cands[r].Case != nil {
		return
	}
	at := int(cands[r].At)
	for i, v := range s.vids[at*s.k : (at+1)*s.k] {
		if v >= 0 {
			prefetch(unsafe.Pointer(&s.values[i][v]))
		}
	}
	if s.nRest > 0 {
		if from := s.restSpans[at*2*s.nRest]; int(from) < len(s.restForms) {
			prefetch(unsafe.Pointer(&s.restForms[from]))
		}
	}
}

// anyPresent says whether the trace has a value for one of the comparisons
// of which (a comparison it has none for is missing for every case).
func anyPresent(trace *Subject, which []bool) bool {
	for i, w := range which {
		if w && trace.vals[i].present {
			return true
		}
	}
	return false
}

// boundSlack is the rounding a bound may lose against the full score it
// bounds (their terms are added in other orders).
func boundSlack(x float64) float64 { return 1e-9 * (1 + math.Abs(x)) }

// keptLR is a candidate's calibrated pre-score and position.
type keptLR struct {
	lr float64
	i  int32
}

// sortBestFirst sorts order, which comes by position, best bound first and
// by position among equal bounds, and returns it and the other half of its
// memory (tmp, grown to order's length; the sorted order may be either).
// A stable radix sort of the bounds as ordered keys, a byte at a time,
// skipping the bytes every bound shares: a comparison sort's calls to its
// function were 2-3 % of a batch's matching at 1,000,000 cases
// (docs/matching-log.md, Speed → Session 60).
func sortBestFirst(order, tmp []keptLR) ([]keptLR, []keptLR) {
	if len(order) < 2 {
		return order, tmp
	}
	tmp = slices.Grow(tmp[:0], len(order))[:len(order)]
	and, or := ^uint64(0), uint64(0)
	for _, o := range order {
		k := descendingKey(o.lr)
		and, or = and&k, or|k
	}
	varies := and ^ or
	var count [256]int
	for shift := uint(0); shift < 64; shift += 8 {
		if (varies>>shift)&0xff == 0 {
			continue
		}
		clear(count[:])
		for _, o := range order {
			count[(descendingKey(o.lr)>>shift)&0xff]++
		}
		at := 0
		for b, n := range count {
			count[b] = at
			at += n
		}
		for _, o := range order { // in order: stable
			b := (descendingKey(o.lr) >> shift) & 0xff
			tmp[count[b]] = o
			count[b]++
		}
		order, tmp = tmp, order
	}
	return order, tmp
}

// descendingKey maps a bound to a key that sorts it as an unsigned integer
// from the greatest bound to the least (-0 as 0; never NaN: sums of finite
// logs).
func descendingKey(x float64) uint64 {
	if x == 0 {
		x = 0
	}
	b := math.Float64bits(x)
	if b>>63 != 0 {
		return b // negative: the greater its magnitude, the later
	}
	return ^b &^ (1 << 63) // non-negative: the greater, the sooner
}

// worse orders the kept as bestOf does: the lower score, then the later
// candidate.
func (a keptLR) worse(b keptLR) bool { return a.lr < b.lr || a.lr == b.lr && a.i > b.i }

// keptHeap holds the best candidates so far, the worst at the root.
type keptHeap []keptLR

// push adds e, keeping at most n: the worst goes when there are more.
func (h *keptHeap) push(e keptLR, n int) {
	if len(*h) == n {
		if !(*h)[0].worse(e) {
			return
		}
		(*h)[0] = e
		h.down(0)
		return
	}
	*h = append(*h, e)
	for j := len(*h) - 1; j > 0; {
		p := (j - 1) / 2
		if !(*h)[j].worse((*h)[p]) {
			break
		}
		(*h)[j], (*h)[p] = (*h)[p], (*h)[j]
		j = p
	}
}

func (h keptHeap) down(j int) {
	for {
		l := 2*j + 1
		if l >= len(h) {
			return
		}
		w := l
		if r := l + 1; r < len(h) && h[r].worse(h[l]) {
			w = r
		}
		if !h[w].worse(h[j]) {
			return
		}
		h[j], h[w] = h[w], h[j]
		j = w
	}
}

// Stats returns how many candidates the store's pre-score scored and for
// how many of them it read the deferred comparisons (the given name).
func (s *RunStore) Stats() (pairs, deferredRead int64) {
	return s.pairs.Load(), s.deferredRead.Load()
}

// storedPair is score(trace, c, nil, only, shared, cache) for the case
// whose row of value indexes is row: the same sums, added in the same
// order, a memoised value's contribution read instead of compared again.
func (m *Matcher) storedPair(s *RunStore, trace *Subject, traceCommunity int32, row []int32, only []bool, memo *storeMemo, shared *[][]string, cache comparisonCache) pairScore {
	var ps pairScore
	within := traceCommunity >= 0 && s.community[row[m.community]] == traceCommunity
	for _, i := range m.order {
		if !only[i] {
			continue
		}
		tv := trace.vals[i]
		if !tv.present {
			continue // missing for every candidate
		}
		e := m.storedContribution(s, trace, i, row[i], memo, shared, cache)
		if p := m.partner[i]; p >= 0 {
			e = m.storedUncrossed(s, trace, i, p, row, e, memo, shared, cache)
		}
		if e.l == lvMissing {
			continue
		}
		logU := e.luOut
		if within {
			logU = e.luWithin
		}
		ps.lm += e.lm
		ps.lf += e.lf
		ps.lu += logU
		w := (e.lm - logU) / math.Ln2
		ps.sumW += w
		if m.cfg.Comparisons[i].SharedBySiblings {
			ps.sumWFamily += w
		}
	}
	return ps
}

// storedContribution is what comparison i (of the pre-score; the trace has
// a value for it) adds to the pair's score for the store's value at: from
// the memo when this trace met the value before, else compared (and
// memoised).
func (m *Matcher) storedContribution(s *RunStore, trace *Subject, i int, at int32, memo *storeMemo, shared *[][]string, cache comparisonCache) preContribution {
	me := memo.e[i]
	if me != nil && me[at].gen == memo.gen {
		return me[at].preContribution()
	}
	tv := trace.vals[i]
	var e preContribution
	if sn := s.nameTabs[i]; sn != nil {
		e = m.storedName(i, sn, trace, tv, at, memo.names[i], memo.gen, shared)
	} else if pt := s.posTabs[i]; pt != nil {
		ids := s.posIDs[i][int(at)*len(pt) : int(at+1)*len(pt)]
		e = m.storedPositions(i, pt, ids, trace, tv, memo.posNames[i], memo.gen, shared)
		if p := m.partner[i]; p >= 0 {
			e.cross = storedCrossings(pt, ids, tv, &trace.vals[p].name, e.l, memo.posNames[i], memo.gen)
		}
	} else if sa := s.atoms[i]; sa != nil {
		e = m.storedAtoms(i, sa, tv, at, memo.atoms[i], memo.gen)
	} else if sc := s.scalars[i]; sc != nil {
		if sc.kind == KindCategories && memo.masksGen[i] != memo.gen {
			memo.masks[i], memo.masksGen[i] = sc.traceMasks(tv, memo.masks[i]), memo.gen
		}
		if l := sc.level(tv, memo.masks[i], at); l != lvMissing {
			e = m.levelContribution(i, l)
		}
	} else {
		e = m.contribution(i, trace, tv, s.values[i][at], shared, cache)
	}
	if me != nil {
		me[at] = memoEntry{gen: memo.gen, l: e.l, lm: e.lm, lf: e.lf, luOut: e.luOut, luWithin: e.luWithin, cross: e.cross}
	}
	return e
}

// lvUnscored marks a comparison whose contribution storedContributions
// does not give (scoreKnown compares it).
const lvUnscored = 0xff

// storedContributions writes into out (one entry per comparison) what each
// comparison of the pre-score adds to the score of the trace and the
// store's case whose row of value indexes is row (storedPair's terms, read
// from the same memo while the trace's stamp is current), lvUnscored for
// the others: ranking a kept candidate then compares only what the
// pre-score did not (scoreKnown), rather than every comparison again on
// values that are cold by then.
func (m *Matcher) storedContributions(s *RunStore, trace *Subject, row []int32, memo *storeMemo, shared *[][]string, cache comparisonCache, out []preContribution) {
	for i := range out {
		switch {
		case !m.preRead[i]:
			out[i] = preContribution{l: lvUnscored}
		case !trace.vals[i].present:
			out[i] = preContribution{} // missing
		default:
			out[i] = m.storedContribution(s, trace, i, row[i], memo, shared, cache)
			if p := m.partner[i]; p >= 0 {
				out[i] = m.storedUncrossed(s, trace, i, p, row, out[i], memo, shared, cache)
			}
		}
	}
}

// contribution compares the trace's value tv of comparison i with a case's
// value cv (not a relative's name: ErrStoreRelatives).
func (m *Matcher) contribution(i int, trace *Subject, tv, cv *value, shared *[][]string, cache comparisonCache) preContribution {
	*shared = (*shared)[:0]
	l := m.compare(i, tv, cv, shared, cache)
	if l == lvMissing {
		return preContribution{}
	}
	e := preContribution{l: l, lm: m.logM[i][l], lf: m.logF[i][l], luOut: m.pairLogU(i, l, *shared, "", nil)}
	e.luWithin = e.luOut
	if trace.community != "" {
		e.luWithin = m.pairLogU(i, l, *shared, trace.community, nil)
	}
	return e
}
