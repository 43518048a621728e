package matching

import (
	"errors"
	"sync"
	"sync/atomic"

	"github.com/cpims-hosted/cpims/names"
)

// A re-matching run decodes each case's stored form (EncodeCase) many
// times, and most of a form repeats across cases: the same sex, community,
// places, dates and causes, and names (a given name, a family's names, a
// parent's name). A valueTable keeps what it decoded, keyed by the bytes of
// the stored form it came from: whole values, and the names inside values
// that are rarely shared whole (a given name with its alternates, the rows
// of a family). A case read during a run is then mostly its values and
// names looked up: nothing decoded or allocated for what was seen before,
// and the decoded case holds pointers to shared values (a small Subject, so
// a SubjectCache holds more cases for the same memory). Decoding depends
// only on the bytes and the decoding context (DecodeContext: the day ages
// are given on, the locations), so the table belongs to one context, like
// the cases of a SubjectCache (docs/matching-log.md, Speed → Session 24).

// valueTable interns decoded values and names by their stored bytes, at
// most max of each: when full it starts again empty (what it handed out
// stays valid: values and names are never modified). A comparison whose
// values are seldom shared (found in fewer than minValueShare of its first
// valueTrial lookups) is no longer looked up nor added: its values are
// decoded, their names shared. Safe for concurrent use.
type valueTable struct {
	mu      sync.RWMutex
	max     int
	context string
	values  map[string]*value
	names   map[string]pname
	// per comparison: values looked up, and found
	lookups, found []atomic.Int64
	// values found and decoded, names found and decoded
	hits, misses, nameHits, nameMisses atomic.Int64
}

// sharedName is a name decoded for the table: its bytes (which its strings
// share) and the name.
type sharedName struct {
	key string
	p   pname
}

const (
	// valueTrial is how many of a comparison's values are looked up before
	// its share decides whether new ones are added.
	valueTrial = 2000
	// minValueShare is the share of a comparison's values found in the
	// table under which its new values are not added (a given name with
	// its alternates, a family's rows: nearly one per case).
	minValueShare = 0.25
)

func newValueTable(max int) *valueTable {
	return &valueTable{max: max, values: map[string]*value{}, names: map[string]pname{}}
}

// decodeShared decodes a case's stored form (EncodeCase) as DecodeCase
// does, through the table t in decoding context ctx: a value or a name
// whose bytes the table holds is shared, the others are decoded from a copy
// of their own bytes (so that the table keeps no whole form) and added.
// The result equals DecodeCase's.
func (m *Matcher) decodeShared(t *valueTable, ctx, id string, data []byte) (*Subject, error) {
	n := len(m.cfg.Comparisons)
	var spanBuf [16][2]int
	spans, err := m.valueSpans(data, spanBuf[:0])
	if err != nil {
		return nil, err
	}
	s := &Subject{ID: id, vals: make([]*value, n)}
	var (
		fresh      []value
		keys       []string // of the values decoded: "" for those found
		added      []sharedName
		namesFound int
	)
	t.mu.RLock()
	if t.context == ctx {
		for i, sp := range spans {
			trial := len(t.lookups) == n && t.lookups[i].Load() < valueTrial
			if !trial && len(t.lookups) == n && !t.worthSharing(i) {
				continue // decoded, its names shared
			}
			s.vals[i] = t.values[string(data[sp[0]:sp[1]])]
			if trial {
				t.lookups[i].Add(1)
				if s.vals[i] != nil {
					t.found[i].Add(1)
				}
			}
		}
	}
	missing := 0
	for _, v := range s.vals {
		if v == nil {
			missing++
		}
	}
	for i, sp := range spans {
		if s.vals[i] != nil {
			continue
		}
		if fresh == nil {
			fresh = make([]value, 0, missing)
			keys = make([]string, n)
		}
		keys[i] = string(data[sp[0]:sp[1]])
		vd := decoder{raw: data[sp[0]:sp[1]], text: keys[i], added: added}
		if t.context == ctx {
			vd.names = t.names
		} else {
			vd.names = map[string]pname{} // read-only: the table's names are of another context
		}
		fresh = append(fresh, value{})
		v := &fresh[len(fresh)-1]
		m.decodeValue(&vd, v)
		added = vd.added
		namesFound += vd.namesFound
		if vd.err != nil {
			err = vd.err
			break
		}
		s.vals[i] = v
	}
	t.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	found := 0
	for i := range keys {
		if keys[i] == "" {
			found++
		}
	}
	if keys == nil {
		found = n
	}
	t.hits.Add(int64(found))
	t.misses.Add(int64(n - found))
	t.nameHits.Add(int64(namesFound))
	t.nameMisses.Add(int64(len(added)))
	if keys != nil {
		t.keep(ctx, keys, s.vals, added)
	}
	s.community = m.communityOf(s)
	return s, nil
}

// valueSpans appends to spans where each comparison's value lies in a
// stored form (EncodeCase): [start, end) of its bytes. ErrStaleSubject
// when the form is of another version; a truncated form is refused.
func (m *Matcher) valueSpans(data []byte, spans [][2]int) ([][2]int, error) {
	d := decoder{raw: data, skip: true} // a walk: finds each value's bytes
	n := len(m.cfg.Comparisons)
	if d.byte() != storedVersion || d.count() != n {
		return nil, ErrStaleSubject
	}
	for range n {
		start := d.i
		var v value
		m.decodeValue(&d, &v)
		spans = append(spans, [2]int{start, d.i})
	}
	if d.err != nil {
		return nil, d.err
	}
	return spans, nil
}

// sharedName returns the name of n bytes at the decoder's position (after
// its length) from the names the decoder shares, or decodes it from a copy
// of its bytes and notes it in added.
func (d *decoder) sharedName(n int) pname {
	b := d.raw[d.i+2 : d.i+2+n]
	if p, ok := d.names[string(b)]; ok {
		d.i += 2 + n
		d.namesFound++
		return p
	}
	for i := range d.added { // a name repeated within one case
		if d.added[i].key == string(b) {
			d.i += 2 + n
			return d.added[i].p
		}
	}
	key := string(b)
	var nm names.Name
	if _, err := nm.DecodeString(key); err != nil {
		if errors.Is(err, names.ErrStaleBinary) {
			err = ErrStaleSubject
		}
		d.fail(err)
		return pname{}
	}
	d.i += 2 + n
	p := newPname(nm)
	d.added = append(d.added, sharedName{key: key, p: p})
	return p
}

// keep interns the values decoded for one case (vals[i] for each keys[i]
// not "": their strings share the key's memory) of the comparisons whose
// values are shared often enough, and the names decoded; what another
// reader added meanwhile is kept as it is.
func (t *valueTable) keep(ctx string, keys []string, vals []*value, added []sharedName) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.context != ctx {
		clear(t.values)
		clear(t.names)
		t.context = ctx
		t.lookups, t.found = nil, nil
	}
	if len(t.lookups) != len(keys) {
		t.lookups, t.found = make([]atomic.Int64, len(keys)), make([]atomic.Int64, len(keys))
	}
	for i, k := range keys {
		if k == "" {
			continue
		}
		if t.lookups[i].Load() >= valueTrial && !t.worthSharing(i) {
			continue
		}
		if _, ok := t.values[k]; ok {
			continue
		}
		if len(t.values) >= t.max {
			clear(t.values) // a new generation: the values handed out stay valid
		}
		t.values[k] = vals[i]
	}
	for _, a := range added {
		if _, ok := t.names[a.key]; ok {
			continue
		}
		if len(t.names) >= t.max {
			clear(t.names)
		}
		t.names[a.key] = a.p
	}
}

// worthSharing says whether comparison i's values were found often enough
// in their trial to be looked up and added (the counts stop at the trial's
// end: two workers would otherwise write them for every case).
func (t *valueTable) worthSharing(i int) bool {
	return float64(t.found[i].Load()) >= minValueShare*float64(t.lookups[i].Load())
}

func (t *valueTable) len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.values) + len(t.names)
}
