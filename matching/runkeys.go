package matching

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"unsafe"
)

// A run with a store of its cases (RunStore) selects each trace's
// candidates from the blocking keys it read with them (RunKeys) instead of
// asking PostgreSQL: at 1,000,000 cases the candidate query took 0.14-0.35
// s per trace, hours of database time for 100,000 traces, where the same
// selection from postings in memory takes about a millisecond
// (docs/matching-log.md, Speed, Session 27). What changed since the keys were
// read (a case's keys, consent, record or stored values: the table
// match_changes, which triggers keep) is read again for each tracing
// request, so a run selects what selectCandidates would select at that moment:
// the same cases in the same order (TestRunSelectionAsCandidateQuery).

// RunKeys holds the blocking keys (match_subjects.keys) of the consenting
// cases a run read, as postings: for each key, the cases holding it. Add
// every case, then Done; then Select may run on several goroutines at once.
type RunKeys struct {
	// ids are the cases in the order they were added; at their index in
	// the run's store (-1: not in it).
	ids []string
	at  []int32
	// byID is the cases' order by id, rank each case's place in it: the
	// candidate query's order among equal scores.
	byID []int32
	rank []int32
	// key numbers the keys; key j's cases are post[start[j]:start[j+1]]
	// (ascending) once Done. While cases are added, pairs holds the (key,
	// case) pairs in the order added, j<<32|c, and held[j] key j's count
	// and the last case that held it; Done places the pairs by key (a
	// counting sort). A list per key appended to was a random read and
	// write of its header per pair, and millions of small slices to grow
	// and collect (docs/matching-log.md, Speed → Session 42).
	key   map[string]int32
	start []uint32
	post  []int32
	pairs []uint64
	held  []keyHeld
	// snapshot is the database snapshot (pg_current_snapshot) taken before
	// the keys were read: a change it does not see may be missing from
	// them. version is the parameters version whose stop keys were left out.
	snapshot string
	version  int
	scratch  sync.Pool
	// changes are the changes read since snapshot (runChanges).
	changes changeLog
}

// ErrRunKeysDone: a case was added to RunKeys after Done.
var ErrRunKeysDone = errors.New("matching: run keys are complete")

// NewRunKeys returns empty run keys that leave out the stop keys (they
// select nothing: the trace leaves them out).
func NewRunKeys(stop map[string]bool) *RunKeys {
	// a stop key is numbered -1: one lookup per key of a case tells a stop
	// key from a known one (BenchmarkRunKeysAdd: 11 % less time than a
	// lookup in each; docs/matching-log.md, Speed → Session 28 (lead))
	k := &RunKeys{key: make(map[string]int32, len(stop))}
	for key := range stop {
		k.key[key] = -1
	}
	return k
}

// Add adds a consenting case with its blocking keys and its index in the
// run's store (-1: not in it). A case is added once.
func (k *RunKeys) Add(id string, storeAt int32, keys []string) error {
	if k.post != nil {
		return ErrRunKeysDone
	}
	c := int32(len(k.ids))
	k.ids = append(k.ids, id)
	k.at = append(k.at, storeAt)
	for _, key := range keys {
		j, ok := k.key[key]
		switch {
		case !ok:
			j = int32(len(k.held))
			k.key[key] = j
			k.held = append(k.held, keyHeld{last: -1})
		case j < 0: // a stop key
			continue
		}
		// a case's keys are unique (CaseKeys): a repeat is the same key
		if h := &k.held[j]; h.last != c {
			h.last = c
			h.n++
			k.pairs = append(k.pairs, uint64(j)<<32|uint64(uint32(c)))
		}
	}
	return nil
}

// setStoreAt gives the cases added, in the order added, their index in the
// run's store (-1: not in it), for keys added before their stores' places
// were known.
func (k *RunKeys) setStoreAt(at []int32) error {
	if k.post != nil {
		return ErrRunKeysDone
	}
	if len(at) != len(k.ids) {
		return fmt.Errorf("matching: %d places in the run store for %d cases", len(at), len(k.ids))
	}
	copy(k.at, at)
	return nil
}

// keyHeld is, while cases are added, how many hold a key and the last one.
type keyHeld struct {
	n    uint32
	last int32
}

// grow makes room for n more cases.
func (k *RunKeys) grow(n int) {
	k.ids = slices.Grow(k.ids, n)
	k.at = slices.Grow(k.at, n)
	k.pairs = slices.Grow(k.pairs, n*pairsPerCase)
}

// pairsPerCase is about how many keys a case holds (27 at 1,000,000
// cases with the default configuration), for grow.
const pairsPerCase = 28

// Done completes the keys: the postings in one slice, the cases ordered by
// id. It returns an error when two cases have the same id.
func (k *RunKeys) Done() error {
	if k.post != nil {
		return ErrRunKeysDone
	}
	k.start = make([]uint32, len(k.held)+1)
	for j, h := range k.held {
		k.start[j+1] = k.start[j] + h.n
	}
	// held[j].n becomes where key j's next case goes
	for j := range k.held {
		k.held[j].n = k.start[j]
	}
	k.post = make([]int32, len(k.pairs))
	for _, p := range k.pairs {
		h := &k.held[p>>32]
		k.post[h.n] = int32(uint32(p))
		h.n++
	}
	k.pairs, k.held = nil, nil
	k.byID = make([]int32, len(k.ids))
	for i := range k.byID {
		k.byID[i] = int32(i)
	}
	slices.SortFunc(k.byID, func(a, b int32) int { return cmp.Compare(k.ids[a], k.ids[b]) })
	k.rank = make([]int32, len(k.ids))
	for r, c := range k.byID {
		if r > 0 && k.ids[k.byID[r-1]] == k.ids[c] {
			return errors.New("matching: run keys: case " + k.ids[c] + " added twice")
		}
		k.rank[c] = int32(r)
	}
	return nil
}

// Len is the number of cases.
func (k *RunKeys) Len() int { return len(k.ids) }

// Postings returns how many distinct keys and (key, case) pairs are held.
func (k *RunKeys) Postings() (keys, pairs int) { return len(k.start) - 1, len(k.post) }

// find returns the case of id (ok false: not among the cases) and, either
// way, its place in the id order (where it would be).
func (k *RunKeys) find(id string) (c int32, place int, ok bool) {
	place, ok = slices.BinarySearchFunc(k.byID, id, func(c int32, id string) int { return cmp.Compare(k.ids[c], id) })
	if ok {
		return k.byID[place], place, true
	}
	return -1, place, false
}

// ChangedCase is a case whose keys, consent or stored values may have
// changed since the run's keys were read, as it is now: its keys when it
// takes part (consent, enabled); Consenting false when it no longer does or
// no longer exists.
type ChangedCase struct {
	ID         string
	Consenting bool
	Keys       []string
}

// RunChanges are the changed cases of RunKeys at one moment (Changes).
type RunChanges struct {
	// old: the changed cases among RunKeys' (their keys there are no
	// longer theirs); now: those that take part now, with their keys
	// (sorted) and place in the id order.
	old []int32
	now []changedNow
}

type changedNow struct {
	id    string
	keys  []string
	place int64 // 2*rank+1 for a case of RunKeys, 2*insertion point else
}

// Changes returns the changed cases in the form Select reads.
func (k *RunKeys) Changes(changed []ChangedCase) *RunChanges {
	ch := &RunChanges{}
	for _, x := range changed {
		c, place, ok := k.find(x.ID)
		at := int64(2 * place)
		if ok {
			ch.old = append(ch.old, c)
			at = 2*int64(k.rank[c]) + 1
		}
		if x.Consenting && len(x.Keys) > 0 {
			keys := slices.Clone(x.Keys)
			slices.Sort(keys)
			ch.now = append(ch.now, changedNow{id: x.ID, keys: slices.Compact(keys), place: at})
		}
	}
	slices.Sort(ch.old)
	ch.old = slices.Compact(ch.old)
	return ch
}

// Selected is a candidate of Select: a case's id and its index in the
// run's store (-1: read it from the database: not in the store, or
// changed since).
type Selected struct {
	ID string
	At int32
}

// selectScratch is one Select's working memory over the cases: a score
// per case hit (stamped: cell.stamp == gen) and marks of changed and left
// out cases (cell.mark == gen, kind).
type selectScratch struct {
	gen     uint32
	cells   []selectCell
	kind    []uint8
	touched []int32
	order   []uint64
	hits    []selectHit
}

// selectCell is what Select reads of a case for each key it holds, in one
// place: the postings are cases spread over the whole run, so each read is
// a miss of the caches, and the stamp, score and mark held in three arrays
// were three (docs/matching-log.md, Speed → Session 33 (lead)).
type selectCell struct {
	score       int64
	stamp, mark uint32
}

const (
	markChanged = 1 << iota
	markSkip
)

// selectAhead is how many postings ahead Select asks for a case's cell
// (and, for the cases hit, their place in the id order) while it adds this
// one's: a key's cases are spread over the run, each read a wait on
// memory, and asking early overlaps the waits (docs/matching-log.md,
// Speed → Session 43).
const selectAhead = 16

type selectHit struct {
	score int64
	place int64
	id    string
	at    int32
}

// compare orders hits as the candidate query does: by score, descending,
// then by id.
func (a selectHit) compare(b selectHit) int {
	switch {
	case a.score != b.score:
		return cmp.Compare(b.score, a.score)
	case a.place != b.place:
		return cmp.Compare(a.place, b.place)
	}
	return cmp.Compare(a.id, b.id) // new cases at one place
}

func (k *RunKeys) scratchFor() *selectScratch {
	if s, ok := k.scratch.Get().(*selectScratch); ok {
		return s
	}
	n := len(k.ids)
	return &selectScratch{cells: make([]selectCell, n), kind: make([]uint8, n)}
}

// Select returns the candidates selectCandidates selects for a trace looking
// for keys (stop keys left out) among the cases as they are now (RunKeys as
// read, with ch's changes; nil: none): the consenting cases sharing a key,
// each scored by the sum of its shared keys' weights (KeyWeight of the
// cases the parameters were estimated on, n, and of the consenting cases
// holding the key), those of skip (settled cases, cases rejected for the
// trace) left out, best first and then by id, at most limit.
func (k *RunKeys) Select(keys []string, n, limit int, ch *RunChanges, skip []string) []Selected {
	if ch == nil {
		ch = &RunChanges{}
	}
	s := k.scratchFor()
	defer k.scratch.Put(s)
	s.gen++
	if s.gen == 0 { // wrapped: every stamp may look current
		clear(s.cells)
		s.gen = 1
	}
	gen := s.gen
	cells := s.cells
	mark := func(c int32, kind uint8) {
		if cells[c].mark != gen {
			cells[c].mark, s.kind[c] = gen, 0
		}
		s.kind[c] |= kind
	}
	for _, c := range ch.old {
		mark(c, markChanged)
	}
	var skipNow []string // skipped cases not among RunKeys' or changed
	for _, id := range skip {
		c, _, ok := k.find(id)
		if ok {
			mark(c, markSkip)
		}
		if !ok || cells[c].mark == gen && s.kind[c]&markChanged != 0 {
			skipNow = append(skipNow, id)
		}
	}
	nowScore := make([]int64, len(ch.now))
	s.touched = s.touched[:0]
	for _, key := range keys {
		var list []int32
		if j, ok := k.key[key]; ok && j >= 0 {
			list = k.post[k.start[j]:k.start[j+1]]
		}
		held := len(list)
		for _, c := range ch.old {
			if _, ok := slices.BinarySearch(list, c); ok {
				held--
			}
		}
		var now []int // the changed cases holding the key now
		for x := range ch.now {
			if _, ok := slices.BinarySearch(ch.now[x].keys, key); ok {
				now = append(now, x)
				held++
			}
		}
		if held == 0 {
			continue
		}
		w := KeyWeight(n, held)
		for i, c := range list {
			if i+selectAhead < len(list) {
				prefetch(unsafe.Pointer(&cells[list[i+selectAhead]]))
			}
			x := &cells[c]
			if x.mark == gen && s.kind[c]&markChanged != 0 {
				continue
			}
			if x.stamp != gen {
				x.stamp, x.score = gen, 0
				s.touched = append(s.touched, c)
			}
			x.score += w
		}
		for _, x := range now {
			nowScore[x] += w
		}
	}
	// The cases of RunKeys hit, as one number each that orders them:
	// the score (descending) above the place in the id order, sorted as
	// numbers (a comparison function on structs was a sixth of a run's
	// time at 1,000,000 cases).
	order := s.order[:0]
	packed := true
	for i, c := range s.touched {
		if i+selectAhead < len(s.touched) {
			prefetch(unsafe.Pointer(&k.rank[s.touched[i+selectAhead]]))
		}
		x := &cells[c]
		if x.mark == gen && s.kind[c]&markSkip != 0 {
			continue
		}
		if x.score >= math.MaxInt32 {
			packed = false // then order's numbers only name the cases
		}
		order = append(order, uint64(math.MaxInt32-x.score)<<32|uint64(k.rank[c]))
	}
	if packed {
		order = smallest(order, limit)
	}
	hits := s.hits[:0]
	for i, x := range order {
		// three random reads a hit, the last two through the first: its
		// case asked for selectAhead hits on, its id and index half as far
		if j := i + selectAhead; j < len(order) {
			prefetch(unsafe.Pointer(&k.byID[order[j]&math.MaxUint32]))
		}
		if j := i + selectAhead/2; j < len(order) {
			c := k.byID[order[j]&math.MaxUint32]
			prefetch(unsafe.Pointer(&k.ids[c]))
			prefetch(unsafe.Pointer(&k.at[c]))
		}
		c := k.byID[x&math.MaxUint32]
		hits = append(hits, selectHit{score: cells[c].score, place: 2*int64(k.rank[c]) + 1, id: k.ids[c], at: k.at[c]})
	}
	s.order = order[:0]
	sorted := packed
	for x, c := range ch.now {
		if nowScore[x] > 0 && !slices.Contains(skipNow, c.id) {
			hits = append(hits, selectHit{score: nowScore[x], place: c.place, id: c.id, at: -1})
			sorted = false
		}
	}
	if !sorted {
		slices.SortFunc(hits, selectHit.compare)
	}
	out := make([]Selected, min(limit, len(hits)))
	for i := range out {
		out[i] = Selected{ID: hits[i].id, At: hits[i].at}
	}
	clear(hits) // the ids are not kept alive by the pool
	s.hits = hits[:0]
	return out
}

// smallest returns the n smallest of xs, sorted, in xs's memory: selected
// first (Hoare's selection, the pivot the median of three), then only they
// sorted. A trace's keys hit several times as many cases as it keeps, and
// sorting them all was most of Select's sort.
func smallest(xs []uint64, n int) []uint64 {
	if n <= 0 {
		return xs[:0]
	}
	lo, hi := 0, len(xs)
	for hi-lo > 16 && lo < n && n < hi {
		a, b, c := xs[lo], xs[(lo+hi)/2], xs[hi-1]
		p := max(min(a, b), min(max(a, b), c)) // the median of the three
		i, j := lo, hi-1
		for i <= j {
			for xs[i] < p {
				i++
			}
			for xs[j] > p {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		// xs[lo:j+1] <= p <= xs[i:hi], and xs[j+1:i] == p
		switch {
		case n <= j+1:
			hi = j + 1
		case n >= i:
			lo = i
		default:
			lo, hi = n, n // n falls among the pivot's equals: selected
		}
	}
	if lo < n && n < hi {
		slices.Sort(xs[lo:hi]) // the few left around the n-th
	}
	xs = xs[:min(n, len(xs))]
	slices.Sort(xs)
	return xs
}
