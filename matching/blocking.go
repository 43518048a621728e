package matching

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Blocking selects a trace's candidate cases through keys that a case
// stores in an indexed array column and a trace looks up with one
// "overlaps" query (docs/matching.md, Blocking). A case and a trace that
// share any key are compared; the rules are a union:
//
//   - nn: two parts of the child's names, as phonetic keys (any two parts,
//     in any order: a swapped or missing part still leaves a pair);
//   - ns: the first KeyPrefix letters of a key of the child's given name
//     (or nickname), voiced and voiceless consonants merged, the sex and a
//     two-year birth band (the trace looks in every band within
//     BirthYearSlack years of its estimate, in every band of a child's
//     life when it has no age);
//   - rn: a part of a family member's name (case) or of the inquirer's
//     (trace) with a part of the child's given name;
//   - rr: two parts of one family member's name (case) or of the
//     inquirer's (trace): finds a child whose own name was mangled;
//   - ls: a location's place at the configured admin level, the sex and the
//     birth year (the trace looks within LocationYearSlack years);
//   - nb: an nn pair with the birth band (the trace looks in the bands of
//     ns), and lg: an ls place with an ns given-name prefix, the sex and
//     the birth band. These narrow keys select where the loose ones are
//     held by too many cases (stop keys) and, being rarer, weigh more in
//     the candidate order (docs/matching-log.md, Speed, Session 22);
//   - fi: one part of the child's family names (the names of Names that
//     are not of Given), as a phonetic key, with the first letter of an ns
//     given-name prefix, the sex and the birth band (the trace looks in the
//     bands of ns): finds a child whose given name is spelt as another
//     language's form of it (Pierre and Peter, Jean and جون) and who shares
//     a single family name with the trace, where nn needs two parts
//     (docs/matching-log.md, Quality → Session 36 (engineer K)).
//
// A trace without sex looks under each of Blocking.SexValues.
const (
	// BlockingVersion identifies the rules above; increase it when a
	// case's keys change, so that the periodic run re-keys every tenant
	// (StartPeriodicRun). 2: rules nb and lg (session 22); 3: rule fi
	// (session 36); 4: the names' keys of names.KeysVersion 2 (session 48:
	// an Arabic-script name read as another language's, ب as p, ق as g; a
	// final t after a vowel read as d); 5: names.KeysVersion 3 (session 49:
	// Somali spellings, z read as s, an initial c before a vowel as ع, d
	// as ط; languages' forms of a Christian given name, Jean as John); 6:
	// names.KeysVersion 4 (session 51: a final -o or -e after a consonant
	// also read as -a, Halimo, Halimé, Mustafe; a token with ة, ى or إ
	// also keyed as folded, so names equal after Fold share a key).
	BlockingVersion = 6
	// BirthBand is the width in years of the birth bands of keys.
	BirthBand = 2
	// BirthYearSlack is how far, in years, a trace looks around its
	// child's estimated birth year in name keys.
	BirthYearSlack = 3
	// LocationYearSlack is the same for location keys, which select on
	// less than a name and so look closer.
	LocationYearSlack = 1
	// ChildYears is the span of birth years a trace without age or date of
	// birth looks in.
	ChildYears = 20
	// KeyPrefix is how many letters of a given name's key make its single
	// key: spellings whose keys differ at the end (Zeinabou ZNBU and Zainab
	// ZNB) still meet.
	KeyPrefix = 3
	// MaxBlockingParts bounds the name parts that make pair keys.
	MaxBlockingParts = 6
	// MaxCandidates bounds the candidates of one trace: those whose shared
	// keys weigh most (KeyWeight) are kept.
	MaxCandidates = 2000
)

// KeyWeight is what one blocking key shared by a trace and a case adds to
// the case's place in the trace's candidate order (the cap MaxCandidates
// keeps the heaviest): the key's rarity, ln(cases/keyCases) in thousandths
// (cases: the cases that take part; keyCases: those of them holding the
// key), at least 1. A rare key shared (a family's own name pair) puts a case
// before one sharing several common keys (a common given name's prefix in
// a birth band, a district): counting shared keys left a child found by a
// rare pair behind hundreds of look-alikes at 300,000 cases
// (docs/matching-log.md, Speed, Session 20). Whole numbers, so the SQL query's
// sums and Index's order agree exactly.
func KeyWeight(cases, keyCases int) int64 {
	if keyCases <= 0 || cases <= keyCases {
		return 1
	}
	return max(1, int64(math.Floor(1000*math.Log(float64(cases)/float64(keyCases)))))
}

type blockingPlan struct {
	names, given, relatives, locations []int
	// family are the comparisons of names that are not of given: their
	// parts make the fi keys.
	family     []int
	sex, age   int
	sexValues  []string
	adminLevel int
}

func newBlockingPlan(cfg Configuration) blockingPlan {
	idx := func(ns []string) []int {
		var out []int
		for _, n := range ns {
			if i := cfg.comparisonIndex(n); i >= 0 {
				out = append(out, i)
			}
		}
		return out
	}
	b := cfg.Blocking
	p := blockingPlan{names: idx(b.Names), given: idx(b.Given), relatives: idx(b.Relatives),
		locations: idx(b.Locations), sex: -1, age: -1, sexValues: b.SexValues, adminLevel: b.LocationAdminLevel}
	for _, i := range p.names {
		if !slices.Contains(p.given, i) {
			p.family = append(p.family, i)
		}
	}
	if b.Sex != "" {
		p.sex = cfg.comparisonIndex(b.Sex)
	}
	if b.Age != "" {
		p.age = cfg.comparisonIndex(b.Age)
	}
	return p
}

// CaseKeys returns a case's blocking keys (sorted, unique; empty, not nil,
// when it has none), to store with the case.
func (m *Matcher) CaseKeys(s *Subject) []string {
	var years []int
	if y, ok := m.birthYear(s); ok {
		years = []int{y}
	}
	return m.keys(s, years, years, m.sexes(s))
}

// TraceKeys returns the keys a trace looks for (sorted, unique).
func (m *Matcher) TraceKeys(s *Subject) []string {
	var nameYears, locYears []int
	if y, ok := m.birthYear(s); ok {
		for d := -BirthYearSlack; d <= BirthYearSlack; d++ {
			nameYears = append(nameYears, y+d)
		}
		for d := -LocationYearSlack; d <= LocationYearSlack; d++ {
			locYears = append(locYears, y+d)
		}
	} else if m.block.age >= 0 {
		ref := s.vals[m.block.age].age.ref.Year()
		for y := ref - ChildYears; y <= ref; y++ {
			nameYears = append(nameYears, y)
		}
	}
	sexes := m.sexes(s)
	if len(sexes) == 0 {
		sexes = m.block.sexValues
	}
	return m.keys(s, nameYears, locYears, sexes)
}

func (m *Matcher) keys(s *Subject, nameYears, locYears []int, sexes []string) []string {
	p := &m.block
	var out []string
	var bands []string
	for _, y := range nameYears {
		bands = append(bands, strconv.Itoa(floorDiv(y, BirthBand)))
	}
	slices.Sort(bands)
	bands = slices.Compact(bands)
	parts := m.nameParts(s, p.names, true)
	for i := range parts {
		for j := i + 1; j < len(parts); j++ {
			for _, a := range parts[i] {
				for _, b := range parts[j] {
					if a == b {
						continue
					}
					pair := min(a, b) + "+" + max(a, b)
					out = append(out, "nn:"+pair)
					for _, bd := range bands {
						out = append(out, "nb:"+pair+"|"+bd)
					}
				}
			}
		}
	}
	given := uniqueKeys(m.nameParts(s, p.given, false))
	var prefixes []string
	for _, k := range given {
		prefixes = append(prefixes, loosePrefix(k))
	}
	slices.Sort(prefixes)
	prefixes = slices.Compact(prefixes)
	for _, k := range prefixes {
		for _, sx := range sexes {
			for _, b := range bands {
				out = append(out, "ns:"+k+"|"+sx+"|"+b)
			}
		}
	}
	var initials []string
	for _, k := range prefixes {
		initials = append(initials, k[:1])
	}
	initials = slices.Compact(initials) // prefixes are sorted
	for _, part := range m.nameParts(s, p.family, false) {
		for _, k := range part {
			for _, in := range initials {
				for _, sx := range sexes {
					for _, bd := range bands {
						out = append(out, "fi:"+k+"|"+in+"|"+sx+"|"+bd)
					}
				}
			}
		}
	}
	for _, i := range p.relatives {
		v := s.vals[i]
		var rel [][]string
		pairs := func(n pname) {
			rel = append(rel, n.keys...)
			for a := range n.keys {
				for b := a + 1; b < len(n.keys) && b < MaxBlockingParts; b++ {
					for _, x := range n.keys[a] {
						for _, y := range n.keys[b] {
							if x != y {
								out = append(out, "rr:"+min(x, y)+"+"+max(x, y))
							}
						}
					}
				}
			}
		}
		pairs(v.name)
		for _, r := range v.rels {
			pairs(*r.name)
		}
		for _, r := range uniqueKeys(rel) {
			for _, g := range given {
				out = append(out, "rn:"+r+"|"+g)
			}
		}
	}
	for _, i := range p.locations {
		var places []string
		for _, path := range s.vals[i].paths {
			for _, pl := range path {
				if pl.AdminLevel == p.adminLevel {
					places = append(places, pl.Code)
				}
			}
		}
		slices.Sort(places)
		for _, pl := range slices.Compact(places) {
			for _, sx := range sexes {
				for _, y := range locYears {
					out = append(out, "ls:"+pl+"|"+sx+"|"+strconv.Itoa(y))
				}
				for _, k := range prefixes {
					for _, bd := range bands {
						out = append(out, "lg:"+pl+"|"+k+"|"+sx+"|"+bd)
					}
				}
			}
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// loosePrefix is a key's first KeyPrefix letters with voiced and voiceless
// pairs merged (D T, G K, Z S, B P): spellings that differ there (Somali
// Faadumo and Fatima, Dega and Deeqa, Deng and دينق) still meet.
func loosePrefix(k string) string {
	b := []byte(k[:min(len(k), KeyPrefix)])
	for i, c := range b {
		switch c {
		case 'D':
			b[i] = 'T'
		case 'G':
			b[i] = 'K'
		case 'Z':
			b[i] = 'S'
		case 'P':
			b[i] = 'B'
		}
	}
	return string(b)
}

func uniqueKeys(parts [][]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// nameParts returns the keys of the distinct parts of the names of the
// given comparisons (at most MaxBlockingParts parts), with their
// alternates or without.
func (m *Matcher) nameParts(s *Subject, comparisons []int, alternates bool) [][]string {
	var parts [][]string
	var seen []string
	add := func(n pname) {
		toks := n.n.Tokens()
		for i, t := range toks {
			if len(parts) == MaxBlockingParts || slices.Contains(seen, t) || len(n.keys[i]) == 0 {
				continue
			}
			seen = append(seen, t)
			parts = append(parts, n.keys[i])
		}
	}
	for _, i := range comparisons {
		v := s.vals[i]
		add(v.name)
		if alternates {
			for _, a := range v.alts {
				add(a)
			}
		}
	}
	return parts
}

func (m *Matcher) sexes(s *Subject) []string {
	if m.block.sex < 0 {
		return []string{"-"}
	}
	return s.vals[m.block.sex].set
}

// birthYear is the child's birth year: from the date of birth, else from
// the age and the date it was given (a trace's age a on date d means birth
// between d-a-1 and d-a years: the year d-a-1 is taken when the birthday
// has not come yet by mid-year).
func (m *Matcher) birthYear(s *Subject) (int, bool) {
	if m.block.age < 0 {
		return 0, false
	}
	a := &s.vals[m.block.age].age
	switch {
	case a.hasDOB:
		return a.dob.Year(), true
	case a.hasAge:
		y := a.ref.Year() - int(a.age)
		if a.ref.YearDay() < 183 {
			y--
		}
		return y, true
	}
	return 0, false
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Index is an in-memory inverted index of cases' blocking keys, the same
// selection the SQL candidate query makes; for estimation runs, the
// quality evaluation and tests.
type Index struct {
	m        *Matcher
	cases    []*Subject
	postings map[string][]int32
	stop     map[string]bool
}

// NewIndex indexes cases by their blocking keys; keys in stop select no
// candidates.
func (m *Matcher) NewIndex(cases []*Subject, stop []string) *Index {
	ix := &Index{m: m, cases: cases, postings: map[string][]int32{}, stop: map[string]bool{}}
	for _, k := range stop {
		ix.stop[k] = true
	}
	for i, c := range cases {
		for _, k := range m.CaseKeys(c) {
			ix.postings[k] = append(ix.postings[k], int32(i))
		}
	}
	return ix
}

// Candidates returns the cases that share a key with the trace (stop keys
// aside), at most MaxCandidates: those whose shared keys weigh most
// (KeyWeight; then in index order).
func (ix *Index) Candidates(trace *Subject) []*Subject {
	hits := map[int32]int64{}
	for _, k := range ix.m.TraceKeys(trace) {
		if ix.stop[k] {
			continue
		}
		cs := ix.postings[k]
		w := KeyWeight(len(ix.cases), len(cs))
		for _, c := range cs {
			hits[c] += w
		}
	}
	ids := make([]int32, 0, len(hits))
	for c := range hits {
		ids = append(ids, c)
	}
	slices.SortFunc(ids, func(a, b int32) int {
		if hits[a] != hits[b] {
			return cmp.Compare(hits[b], hits[a])
		}
		return cmp.Compare(a, b)
	})
	if len(ids) > MaxCandidates {
		ids = ids[:MaxCandidates]
	}
	out := make([]*Subject, len(ids))
	for i, c := range ids {
		out[i] = ix.cases[c]
	}
	return out
}

// LocalityKey is a key of a trace (from its TraceKeys) by which traces
// likely to share candidates sort together: its smallest given-name key
// (rule ns: a given name's prefix, sex and birth band), else its smallest
// key. A run that matches traces in this order finds most of their
// candidates already decoded (SubjectCache).
func LocalityKey(traceKeys []string) string {
	best := ""
	for _, k := range traceKeys {
		if strings.HasPrefix(k, "ns:") && (best == "" || k < best) {
			best = k
		}
	}
	if best != "" {
		return best
	}
	if len(traceKeys) == 0 {
		return ""
	}
	return "~" + slices.Min(traceKeys) // after every ns key
}
