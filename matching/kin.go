package matching

import (
	"cmp"
	"slices"
	"strings"
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

// kinPairs returns the pairs of a's and b's candidates (their kinKeys)
// that name a relative alike, other than one case twice (same: one of a's
// and one of b's candidates are one case). The keys of both are sorted
// together, so the pairs come from runs of one key, without a map.
func kinPairs(a, b [][]kinKey, same func(i, j int) bool) []kinPair {
	type at struct {
		k    kinKey
		side int8
		i    int32
	}
	n := 0
	for _, ks := range a {
		n += len(ks)
	}
	for _, ks := range b {
		n += len(ks)
	}
	all := make([]at, 0, n)
	for side, cs := range [2][][]kinKey{a, b} {
		for i, ks := range cs {
			for _, k := range ks {
				all = append(all, at{k: k, side: int8(side), i: int32(i)})
			}
		}
	}
	slices.SortFunc(all, func(x, y at) int { return cmp.Or(compareKin(x.k, y.k), cmp.Compare(x.side, y.side)) })
	var ij [][2]int32
	for s := 0; s < len(all); {
		e, mid := s, s
		for e < len(all) && all[e].k == all[s].k {
			if all[e].side == 0 {
				mid = e + 1
			}
			e++
		}
		for x := s; x < mid; x++ {
			for y := mid; y < e; y++ {
				ij = append(ij, [2]int32{all[x].i, all[y].i})
			}
		}
		s = e
	}
	slices.SortFunc(ij, func(x, y [2]int32) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) })
	ij = slices.Compact(ij)
	out := make([]kinPair, 0, len(ij))
	for _, p := range ij {
		if !same(int(p[0]), int(p[1])) {
			out = append(out, kinPair{ij: p, level: kinLevel(a[p[0]], b[p[1]])})
		}
	}
	return out
}
