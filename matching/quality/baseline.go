package quality

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The baseline reproduces how Primero v2 ranks potential matches (facts
// from DESIGN.md, "Reference facts", and Primero's public documentation,
// re-implemented here): a full-text OR query over the trace's values with
// fixed boosts (names 15, sex and age 10, family members' names 10,
// relation 5, date of birth 5, nationality, language and religion 3,
// ethnicity 1), names compared through an English phonetic code, the
// 20 best hits kept, scores divided by the best hit's, hits below 0.1
// dropped, and "likely" when a hit is the only one or its normalised score
// exceeds the hits' average by more than 0.7. The phonetic code is our own
// simplified metaphone-like encoding (English rules, at most 4 letters,
// Latin letters only: a name in Arabic script matches only its exact
// spelling), standing in for Solr's Double Metaphone filter.
const (
	boostName      = 15
	boostSex       = 10
	boostAge       = 10
	boostRelatives = 10
	boostRelation  = 5
	boostDOB       = 5
	boostOrigin    = 3
	boostEthnicity = 1

	baselineHits      = 20
	baselineThreshold = 0.1
	baselineLikely    = 0.7
)

// baselineRecord is a case or trace reduced to what the baseline compares.
type baselineRecord struct {
	id                          string
	names, relatives            []uint32 // phonetic codes, interned
	relations                   []string
	sex, dob, ethnicity         string
	age                         int
	nationality, lang, religion []string
}

type baseline struct {
	mu    sync.Mutex // codes: traces are reduced in parallel
	codes map[string]uint32
	cases []baselineRecord
}

func newBaseline() *baseline { return &baseline{codes: map[string]uint32{}} }

func (b *baseline) intern(s string) uint32 {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c, ok := b.codes[s]; ok {
		return c
	}
	c := uint32(len(b.codes) + 1)
	b.codes[s] = c
	return c
}

func (b *baseline) tokens(s string) []uint32 {
	var out []uint32
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		code := phoneticCode(w)
		if code == "" {
			code = "=" + strings.ToLower(w) // not Latin: only the same spelling matches
		}
		c := b.intern(code)
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func (b *baseline) record(id string, d, extra map[string]any, relatives []map[string]any, inquirer bool) baselineRecord {
	r := baselineRecord{id: id, age: -1}
	get := func(f string) any {
		if v, ok := d[f]; ok {
			return v
		}
		return extra[f]
	}
	for _, f := range []string{"name_first", "name_middle", "name_last", "name_nickname", "name_other"} {
		s, _ := get(f).(string)
		r.names = append(r.names, b.tokens(s)...)
	}
	for _, row := range relatives {
		for _, f := range []string{"relation_name", "relation_nickname"} {
			s, _ := row[f].(string)
			r.relatives = append(r.relatives, b.tokens(s)...)
		}
		if s, _ := row["relation"].(string); s != "" && !inquirer {
			r.relations = append(r.relations, s)
		}
	}
	if inquirer {
		if s, _ := get("relation").(string); s != "" {
			r.relations = []string{s}
		}
	}
	r.sex, _ = get("sex").(string)
	r.dob, _ = get("date_of_birth").(string)
	r.ethnicity, _ = get("ethnicity").(string)
	if a, ok := get("age").(float64); ok {
		r.age = int(a)
	}
	r.nationality, r.lang, r.religion = strList(get("nationality")), strList(get("language")), strList(get("religion"))
	return r
}

func strList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func overlap[T comparable](a, b []T) int {
	n := 0
	for _, x := range a {
		if slices.Contains(b, x) {
			n++
		}
	}
	return n
}

func (b *baseline) score(t, c *baselineRecord) float64 {
	s := float64(boostName * overlap(t.names, c.names))
	s += float64(boostRelatives * overlap(t.relatives, c.relatives))
	if t.sex != "" && t.sex == c.sex {
		s += boostSex
	}
	if t.age >= 0 && t.age == c.age {
		s += boostAge
	}
	if t.dob != "" && t.dob == c.dob {
		s += boostDOB
	}
	if overlap(t.relations, c.relations) > 0 {
		s += boostRelation
	}
	if overlap(t.nationality, c.nationality) > 0 {
		s += boostOrigin
	}
	if overlap(t.lang, c.lang) > 0 {
		s += boostOrigin
	}
	if overlap(t.religion, c.religion) > 0 {
		s += boostOrigin
	}
	if t.ethnicity != "" && t.ethnicity == c.ethnicity {
		s += boostEthnicity
	}
	return s
}

type baselineHit struct {
	idx   int
	score float64
}

// rank returns the baseline's hits for a trace: case indexes, normalised
// scores and likelihood labels ("likely" or "possible").
func (b *baseline) rank(t *baselineRecord) ([]int, []float64, []string) {
	var hits []baselineHit
	worst := 0.0
	for i := range b.cases {
		s := b.score(t, &b.cases[i])
		if s <= 0 || (len(hits) == baselineHits && s <= worst) {
			continue
		}
		h := baselineHit{i, s}
		pos, _ := slices.BinarySearchFunc(hits, h, func(a, x baselineHit) int {
			if a.score != x.score {
				if a.score > x.score {
					return -1
				}
				return 1
			}
			return a.idx - x.idx
		})
		hits = slices.Insert(hits, pos, h)
		if len(hits) > baselineHits {
			hits = hits[:baselineHits]
		}
		worst = hits[len(hits)-1].score
	}
	if len(hits) == 0 {
		return nil, nil, nil
	}
	best := hits[0].score
	avg := 0.0
	for _, h := range hits {
		avg += h.score / best
	}
	avg /= float64(len(hits))
	var idx []int
	var norm []float64
	for _, h := range hits {
		if n := h.score / best; n > baselineThreshold {
			idx = append(idx, h.idx)
			norm = append(norm, n)
		}
	}
	labels := make([]string, len(idx))
	for i, n := range norm {
		labels[i] = "possible"
		if len(idx) == 1 || n-avg > baselineLikely {
			labels[i] = "likely"
		}
	}
	return idx, norm, labels
}

// phoneticCode is a simplified metaphone-like code of a Latin word (English
// spelling rules, at most 4 letters); "" for a word without Latin letters.
func phoneticCode(w string) string {
	var letters []byte
	for _, r := range norm.NFD.String(w) {
		r = unicode.ToUpper(r)
		if r >= 'A' && r <= 'Z' {
			letters = append(letters, byte(r))
		}
	}
	if len(letters) == 0 {
		return ""
	}
	vowel := func(c byte) bool { return strings.IndexByte("AEIOU", c) >= 0 }
	at := func(i int) byte {
		if i < 0 || i >= len(letters) {
			return 0
		}
		return letters[i]
	}
	var out []byte
	emit := func(c byte) {
		if len(out) == 0 || out[len(out)-1] != c {
			out = append(out, c)
		}
	}
	for i := 0; i < len(letters) && len(out) < 4; i++ {
		c := letters[i]
		if i > 0 && c == letters[i-1] && c != 'C' {
			continue
		}
		switch {
		case vowel(c):
			if i == 0 {
				emit('A')
			}
		case c == 'B':
			emit('P')
		case c == 'C':
			switch n := at(i + 1); {
			case n == 'H':
				emit('X')
				i++
			case n == 'E' || n == 'I' || n == 'Y':
				emit('S')
			default:
				emit('K')
			}
		case c == 'D':
			if at(i+1) == 'J' {
				i++
				emit('J')
			} else {
				emit('T')
			}
		case c == 'G':
			if at(i+1) == 'H' {
				i++
				if i == 1 {
					emit('K')
				}
			} else {
				emit('K')
			}
		case c == 'H':
			if vowel(at(i+1)) && !vowel(at(i-1)) {
				emit('H')
			}
		case c == 'K':
			if at(i+1) == 'H' {
				i++
				emit('X')
			} else {
				emit('K')
			}
		case c == 'P':
			if at(i+1) == 'H' {
				i++
				emit('F')
			} else {
				emit('P')
			}
		case c == 'Q':
			emit('K')
		case c == 'S':
			if at(i+1) == 'H' {
				i++
				emit('X')
			} else {
				emit('S')
			}
		case c == 'T':
			if at(i+1) == 'H' {
				i++
				emit('0')
			} else {
				emit('T')
			}
		case c == 'V':
			emit('F')
		case c == 'W' || c == 'Y':
			if i == 0 && vowel(at(1)) {
				emit(c)
			}
		case c == 'X':
			emit('K')
			if len(out) < 4 {
				out = append(out, 'S')
			}
		case c == 'Z':
			emit('S')
		default:
			emit(c)
		}
	}
	return string(out)
}
