package matching

import (
	"cmp"
	"hash/maphash"
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// Kin is the second of Together's factors between a request's traces:
// brothers and sisters registered apart name one family. Two candidates
// of two traces are at a kin level, how many relations (father, mother,
// aunt...) both registrations name alike: a relative of the one relation
// on each whose name's first part shares a phonetic key (0, 1, or 2 and
// more). Look-alikes of two traces seldom name one father and one
// mother; a case whose brother is clearly the other trace's child gains
// even where its own trace gives little (a given name, an uncle asking).
// Measured first as a diagnosis (quality.BenchmarkDiagnoseSiblingParents).
const kinLevels = 3

var _ = [1]int{}[kinLevels-3] // kinPairs counts two relations at most

// kinKey is one relative of a registration: its relation and one of the
// phonetic keys of its name's first part.
type kinKey struct{ rel, key string }

func compareKin(a, b kinKey) int {
	return cmp.Or(strings.Compare(a.rel, b.rel), strings.Compare(a.key, b.key))
}

// appendKinKeys appends the relatives of v (a relative-name comparison's
// case value) to buf as kinKeys, sorted, each once, and returns buf and
// them (a slice of buf).
func appendKinKeys(buf []kinKey, v *value) (all, keys []kinKey) {
	from := len(buf)
	for _, r := range v.rels {
		if r.relation == "" || r.name == nil || len(r.name.keys) == 0 {
			continue
		}
		for _, k := range r.name.keys[0] {
			buf = append(buf, kinKey{rel: r.relation, key: k})
		}
	}
	keys = buf[from:]
	slices.SortFunc(keys, compareKin)
	keys = slices.CompactFunc(keys, func(a, b kinKey) bool { return a == b })
	buf = buf[:from+len(keys)]
	return buf, buf[from:len(buf):len(buf)]
}

// kinLevel is how many relations a and b (sorted) both name alike, at
// most kinLevels-1.
func kinLevel(a, b []kinKey) uint8 {
	n, last := 0, ""
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch c := compareKin(a[i], b[j]); {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			if n == 0 || a[i].rel != last {
				last = a[i].rel
				n++
			}
			i++
			j++
		}
	}
	return uint8(min(n, kinLevels-1))
}

// kinPair is a pair of two traces' candidates (i of the first trace, j of
// the second) at a kin level above 0.
type kinPair struct {
	ij    [2]int32
	level uint8
}

// kinIndex is a trace's candidates' kinKeys (keys, by candidate) and the
// same as entries sorted by their hash (by), so that two traces' pairs
// come from a merge of their entries.
type kinIndex struct {
	keys [][]kinKey
	by   []kinEntry
}

// kinEntry is keys[i][j] of a kinIndex, by the hash h of its relation and
// key.
type kinEntry struct {
	h    uint64
	i, j int32
}

var kinSeed = maphash.MakeSeed()

// newKinIndex indexes a trace's candidates' kinKeys (keys[i]: candidate
// i's, as appendKinKeys gives them), its entries appended to by[:0].
func newKinIndex(keys [][]kinKey, by []kinEntry) kinIndex {
	by = by[:0]
	for i, ks := range keys {
		for j, k := range ks {
			h := maphash.String(kinSeed, k.key) ^ bits.RotateLeft64(maphash.String(kinSeed, k.rel), 17)
			by = append(by, kinEntry{h: h, i: int32(i), j: int32(j)})
		}
	}
	slices.SortFunc(by, func(x, y kinEntry) int {
		if x.h != y.h {
			return cmp.Compare(x.h, y.h)
		}
		return cmp.Compare(x.i, y.i)
	})
	return kinIndex{keys: keys, by: by}
}

// kinScratch is the memory of a group's kin factor: its candidates' keys,
// their indexes and kinPairs' cells, which do not outlive Matcher.siblings,
// and the pairs it finds, which live as long as the group. A ranking pools
// it (made for each group they were a quarter of a batch's allocations:
// Speed → Session 56).
type kinScratch struct {
	keys  []kinKey
	lists [][]kinKey
	by    []kinEntry
	cells []int32
	pairs []kinPair
}

var kinScratches = sync.Pool{New: func() any { return new(kinScratch) }}

// index returns each trace's candidates' kinIndex: their relatives as
// comparison k reads them (appendKinKeys), in the scratch's memory. The
// candidates are read in full, as rankKept's are (the pre-score's and a
// run store's kept are completed).
func (sc *kinScratch) index(k int, cases [][]*Subject) []kinIndex {
	n := 0
	for _, cs := range cases {
		n += len(cs)
	}
	sc.lists = slices.Grow(sc.lists[:0], n)[:n]
	sc.keys = sc.keys[:0]
	for at, t := 0, 0; t < len(cases); t++ {
		for i, c := range cases[t] {
			sc.keys, sc.lists[at+i] = appendKinKeys(sc.keys, c.vals[k])
		}
		at += len(cases[t])
	}
	// one slab for every trace's entries, so that none is moved by another's
	sc.by = slices.Grow(sc.by[:0], len(sc.keys))
	out := make([]kinIndex, len(cases))
	for at, t := 0, 0; t < len(cases); t++ {
		lists := sc.lists[at : at+len(cases[t])]
		from := len(sc.by)
		out[t] = newKinIndex(lists, sc.by[from:from])
		sc.by = sc.by[:from+len(out[t].by)]
		at += len(cases[t])
	}
	return out
}

func (x kinIndex) key(e kinEntry) kinKey { return x.keys[e.i][e.j] }

// kinPairs appends to out, in (i, j) order, the pairs of a's and b's
// candidates at a kin level above 0, but those in same (one case a
// candidate of both traces: i of a, j of b), and returns it. The entries
// of both with one hash come in runs; each run marks its pairs in a table
// of a's by b's candidates, which also tells a second relation named alike
// from the first. cells is scratch, grown as needed and returned for the
// next call.
func kinPairs(a, b kinIndex, same [][2]int32, cells []int32, out []kinPair) ([]kinPair, []int32) {
	// A cell is 0 (no relation named alike), 1+p (one: the relation of
	// a.by[p]), two (two or more) or none (one case).
	const two, none = -1, -2
	nb := len(b.keys)
	cells = slices.Grow(cells[:0], len(a.keys)*nb)[:len(a.keys)*nb]
	clear(cells)
	for _, p := range same {
		cells[int(p[0])*nb+int(p[1])] = none
	}
	found := 0
	x, y := a.by, b.by
	for p, q := 0, 0; p < len(x) && q < len(y); {
		if x[p].h != y[q].h {
			if x[p].h < y[q].h {
				p++
			} else {
				q++
			}
			continue
		}
		pe, qe := p+1, q+1
		for pe < len(x) && x[pe].h == x[p].h {
			pe++
		}
		for qe < len(y) && y[qe].h == y[q].h {
			qe++
		}
		// one key, but where two keys' hashes collide
		k, one := a.key(x[p]), true
		for _, e := range x[p+1 : pe] {
			one = one && a.key(e) == k
		}
		for _, e := range y[q:qe] {
			one = one && b.key(e) == k
		}
		for s := p; s < pe; s++ {
			ka := a.key(x[s])
			row := cells[int(x[s].i)*nb : int(x[s].i+1)*nb]
			for _, e := range y[q:qe] {
				if !one && b.key(e) != ka {
					continue
				}
				switch c := &row[e.i]; {
				case *c == 0:
					*c = int32(s) + 1
					found++
				case *c > 0 && a.key(x[*c-1]).rel != ka.rel:
					*c = two
				}
			}
		}
		p, q = pe, qe
	}
	out = slices.Grow(out, found)
	for ij, c := range cells {
		if c == 0 || c == none {
			continue
		}
		level := uint8(1)
		if c == two {
			level = kinLevels - 1
		}
		out = append(out, kinPair{ij: [2]int32{int32(ij / nb), int32(ij % nb)}, level: level})
	}
	return out, cells
}
