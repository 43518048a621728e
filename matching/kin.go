package matching

import (
	"cmp"
	"slices"
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
// phonetic keys of its name's first part, numbered (high and low 32 bits).
type kinKey int64

// kinIDs numbers relations and keys for kinKeys.
type kinIDs struct{ rel, key map[string]int32 }

func newKinIDs() *kinIDs { return &kinIDs{rel: map[string]int32{}, key: map[string]int32{}} }

func (ids *kinIDs) id(m map[string]int32, s string) int32 {
	id, ok := m[s]
	if !ok {
		id = int32(len(m))
		m[s] = id
	}
	return id
}

// kinKeysOf returns the relatives of v (a relative-name comparison's case
// value) as kinKeys, sorted, each once.
func kinKeysOf(v *value, ids *kinIDs) []kinKey {
	var out []kinKey
	for _, r := range v.rels {
		if r.relation == "" || r.name == nil || len(r.name.keys) == 0 {
			continue
		}
		rel := ids.id(ids.rel, r.relation)
		for _, k := range r.name.keys[0] {
			out = append(out, kinKey(int64(rel)<<32|int64(ids.id(ids.key, k))))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (k kinKey) relation() int32 { return int32(k >> 32) }

// kinLevel is how many relations a and b (sorted) both name alike, at
// most kinLevels-1.
func kinLevel(a, b []kinKey) uint8 {
	n, last := 0, int32(-1)
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch c := cmp.Compare(a[i], b[j]); {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			if r := a[i].relation(); r != last {
				last = r
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
// and one of b's candidates are one case).
func kinPairs(a, b [][]kinKey, same func(i, j int) bool) []kinPair {
	byKey := map[kinKey][]int32{}
	for j, ks := range b {
		for _, k := range ks {
			byKey[k] = append(byKey[k], int32(j))
		}
	}
	var out []kinPair
	seen := make([]int, len(b)) // i+1 where j was met for a's i
	for i, ks := range a {
		for _, k := range ks {
			for _, j := range byKey[k] {
				if seen[j] == i+1 {
					continue
				}
				seen[j] = i + 1
				if !same(i, int(j)) {
					out = append(out, kinPair{ij: [2]int32{int32(i), j}, level: kinLevel(ks, b[j])})
				}
			}
		}
	}
	return out
}
