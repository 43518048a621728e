package matching

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cpims-hosted/cpims/names"
)

// Place is one place of a location's path in the hierarchy.
type Place struct {
	Code       string
	AdminLevel int
}

// Locations resolves location codes to their place in the hierarchy.
type Locations interface {
	// Path returns the location's path from the root (the country) to the
	// location itself, or nil when the code is unknown.
	Path(code string) []Place
}

// Subject is a case or a trace as matching sees it: the values of every
// comparison of the configuration, parsed once, and the raw values of the
// fields they came from (what a reviewer may be shown).
type Subject struct {
	// ID identifies the case or the trace.
	ID string
	// Fields holds the raw values of the fields the configuration reads
	// (subform fields as the rows' values, keyed "subform.field").
	Fields map[string]any
	// vals are the comparisons' values; a decoded case's may be shared
	// with other cases (valueTable): never modified once read.
	vals []*value
	// community is the subject's most specific community value (the last
	// field of the first categories comparison that has one: ethnicity
	// before religion, language, nationality), "" when none.
	community string
	// stored is the stored form of a case decoded in part
	// (DecodeCandidate), nil once every value is read.
	stored []byte
	// pending marks the comparisons (bit i) whose values are present in
	// stored but not read yet.
	pending uint64
	// later marks a trace after its request's first (SetOrder).
	later bool
}

// SetOrder tells a trace its place among its request's traces (0: the
// first): the request's own values (ByTraceOrder) are given for its first
// child sought.
func (s *Subject) SetOrder(k int) { s.later = k > 0 }

// newValues returns n empty values, in one allocation.
func newValues(n int) []*value {
	backing := make([]value, n)
	out := make([]*value, n)
	for i := range out {
		out[i] = &backing[i]
	}
	return out
}

// valuesFor returns n values, in one allocation, for the comparisons want
// selects (all when want is nil); the others point to noValue until
// complete reads them. A job's 2,000 candidates a trace each had a value
// for every comparison, half of the job's bytes allocated
// (docs/matching-log.md, Speed → Session 42).
func valuesFor(n int, want []bool) []*value {
	if want == nil {
		return newValues(n)
	}
	read := 0
	for i := range n {
		if want[i] {
			read++
		}
	}
	backing := make([]value, read)
	out := make([]*value, n)
	for i := range out {
		out[i] = &noValue
		if want[i] {
			out[i] = &backing[0]
			backing = backing[1:]
		}
	}
	return out
}

// noValue is a value no side has, shared and never written: a run store's
// kept case (RunStore.subjects) and a candidate DecodeCandidate read in
// part (valuesFor) point to it for a value left unread.
var noValue value

// value is one comparison's parsed value on one side.
type value struct {
	present bool
	// names and relatives
	name pname
	alts []pname
	// parts (names compared by position) are the name's fields, one per
	// configured field, empty where the field has no value; name is them
	// joined.
	parts []pname
	rels  []relative
	rel   string
	// categories
	set  []string
	sets [][]string // field by field
	// dates
	dates []time.Time
	// ages
	age ageValue
	// locations; pathRels (a subform's places read with a RelationField)
	// holds each path's row's relation, the trace's is rel
	paths    [][]Place
	pathRels []string
	// community is communityKey(sets), computed once.
	community string
}

type relative struct {
	relation string
	// name is the relative's name; a run store's kept case points to its
	// table's (restTables), not a copy: decoding a kept case's family rows
	// copied each name (88 bytes then) into a slice of its own.
	name *pname
	alts []pname
}

// pname is a parsed name with its parts' keys (for term frequencies) and
// all its keys (a quick test before a comparison that needs a shared key).
type pname struct {
	n    names.Name
	keys [][]string
	all  []string
	tok  string // names.Name.Ident: names with equal tok compare alike (equal folded parts may not)
	// sig has the bit keyBit of each of all's keys: two names whose sigs
	// share no bit share no key (mayAgree), told without reading their
	// keys, which for a kept case's relatives are cold (a cache miss per
	// key; docs/matching-log.md, Speed → Session 34 (engineer D)).
	sig uint64
}

func parseName(s string) pname { return newPname(names.Parse(s)) }

// newPname prepares a parsed name for comparisons. Its keys are the name's
// own (names.Name.TokenKeysShared): nothing modifies them.
func newPname(n names.Name) pname {
	keys := n.TokenKeysShared()
	var all []string
	if len(keys) == 1 && len(keys[0]) > 0 && isSortedSet(keys[0]) {
		all = keys[0] // what Keys would return, without the copy
	} else {
		all = n.Keys()
	}
	var sig uint64
	for _, k := range all {
		sig |= keyBit(k)
	}
	return pname{n: n, keys: keys, all: all, tok: n.Ident(), sig: sig}
}

// keyBit is a key's bit of a name's sig: one of 64 by the key's FNV-1a
// hash, the same for equal keys in every process.
func keyBit(k string) uint64 {
	h := uint64(14695981039346656037)
	for i := range len(k) {
		h ^= uint64(k[i])
		h *= 1099511628211
	}
	return 1 << (h >> 58)
}

// isSortedSet reports whether ss is sorted without repeats.
func isSortedSet(ss []string) bool {
	for i := 1; i < len(ss); i++ {
		if ss[i-1] >= ss[i] {
			return false
		}
	}
	return true
}

// mayAgree reports whether two names share a key: without one they cannot
// compare phonetic or exact (folded-equal parts have equal keys).
func (p *pname) mayAgree(o *pname) bool {
	if p.sig&o.sig == 0 {
		return false // no key of one has a bit of the other's
	}
	i, j := 0, 0
	for i < len(p.all) && j < len(o.all) {
		switch {
		case p.all[i] == o.all[j]:
			return true
		case p.all[i] < o.all[j]:
			i++
		default:
			j++
		}
	}
	return false
}

func (p *pname) empty() bool { return p.n.Empty() }

type ageValue struct {
	dob       time.Time
	hasDOB    bool
	estimated bool
	age       float64
	hasAge    bool
	ref       time.Time // the date the age was given
}

// lookup reads a field: from the first map that has a non-empty value.
type lookup []map[string]any

func (l lookup) get(f string) any {
	for _, m := range l {
		if v, ok := m[f]; ok && !empty(v) {
			return v
		}
	}
	return nil
}

func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case []any:
		return len(x) == 0
	case []string:
		return len(x) == 0
	}
	return false
}

// NewCase reads a case's matchable values from its record data.
func (m *Matcher) NewCase(id string, data map[string]any) *Subject {
	return m.subject(id, true, lookup{data})
}

// NewTrace reads a trace's matchable values from its row of the tracing
// request (the child sought) and the tracing request's own data (the
// inquirer, the separation); the row wins where both have a field.
func (m *Matcher) NewTrace(id string, request, row map[string]any) *Subject {
	return m.subject(id, false, lookup{row, request})
}

func (m *Matcher) subject(id string, isCase bool, data lookup) *Subject {
	s := &Subject{ID: id, Fields: m.fields(isCase, data), vals: newValues(len(m.cfg.Comparisons))}
	for i, c := range m.cfg.Comparisons {
		side := c.Trace
		if isCase {
			side = c.Case
		}
		*s.vals[i] = m.read(c, side, data)
	}
	s.community = m.communityOf(s)
	return s
}

// fields returns the raw values of the fields the comparisons read on a
// subject's side (Subject.Fields, what reviewers see): a subform's field
// as "subform.field", with one value per row. A run reads them alone for
// the matches it stores (readFields), without parsing the names again.
func (m *Matcher) fields(isCase bool, data lookup) map[string]any {
	keep := map[string]any{}
	m.eachSideField(isCase, func(side Side, f string, inSubform bool) {
		if inSubform {
			keepRows(side.Subform, f, data, keep)
		} else if v := data.get(f); v != nil {
			keep[f] = v
		}
	})
	return keep
}

// eachSideField calls fn with each field every comparison reads on a
// subject's side (Side.eachField), and the side.
func (m *Matcher) eachSideField(isCase bool, fn func(side Side, f string, inSubform bool)) {
	for _, c := range m.cfg.Comparisons {
		side := c.Trace
		if isCase {
			side = c.Case
		}
		side.eachField(func(f string, inSubform bool) { fn(side, f, inSubform) })
	}
}

// recordKeys returns the keys of a record's data that fields and NewCase
// or NewTrace read on a side: each field the comparisons read, a
// subform's name for its rows'. NewMatcher keeps the case side's
// (Matcher.caseKeys).
func (m *Matcher) recordKeys(isCase bool) []string {
	var keys []string
	m.eachSideField(isCase, func(side Side, f string, inSubform bool) {
		if inSubform {
			f = side.Subform
		}
		if !slices.Contains(keys, f) {
			keys = append(keys, f)
		}
	})
	return keys
}

// keepRows keeps in keep, as subform.field, field's value in each row of
// the subform (nil where a row has none), once.
func keepRows(subform, field string, data lookup, keep map[string]any) {
	k := subform + "." + field
	if _, ok := keep[k]; ok {
		return
	}
	raw, _ := data.get(subform).([]any)
	var vals []any
	for _, r := range raw {
		if row, ok := r.(map[string]any); ok {
			vals = append(vals, row[field])
		}
	}
	if vals != nil {
		keep[k] = vals
	}
}

// communityOf returns the subject's community key: the field index and
// values of the last field with a value of the configuration's first
// categories comparison ("" when there is none). Names are shared within a
// community far more than across: term frequencies are also counted per
// community (docs/matching.md, Term frequencies within a community).
func (m *Matcher) communityOf(s *Subject) string {
	if m.community < 0 {
		return ""
	}
	return s.vals[m.community].community
}

// communityKey is the community of a categories value: the index and values
// of its last field with a value ("" when none).
func communityKey(sets [][]string) string {
	for f := len(sets) - 1; f >= 0; f-- {
		if len(sets[f]) > 0 {
			return strconv.Itoa(f) + "=" + strings.Join(sets[f], "|")
		}
	}
	return ""
}

// sharedCommunity is the community of a pair whose two sides have the same
// one, else "".
func sharedCommunity(trace, c *Subject) string {
	if trace.community == c.community {
		return trace.community
	}
	return ""
}

func (m *Matcher) read(c Comparison, side Side, data lookup) value {
	get := data.get
	var v value
	switch c.Kind {
	case KindName:
		v.name, v.alts = readNames(side, get)
		v.present = !v.name.empty() || len(v.alts) > 0
		if c.ByPosition {
			v.parts = make([]pname, len(side.Fields))
			for j, f := range side.Fields {
				v.parts[j] = parseName(text(get(f)))
			}
		}
	case KindRelativeName:
		if side.Subform == "" {
			if side.RelationField != "" {
				v.rel = text(get(side.RelationField))
			}
			v.name, v.alts = readNames(side, get)
			v.present = !v.name.empty() || len(v.alts) > 0
			break
		}
		for _, row := range rows(side, get) {
			r := lookup{row}
			rel := relative{relation: text(r.get(side.RelationField))}
			name, alts := readNames(side, r.get)
			rel.name, rel.alts = &name, alts
			if !rel.name.empty() || len(rel.alts) > 0 {
				v.rels = append(v.rels, rel)
			}
		}
		v.present = len(v.rels) > 0
	case KindCategory:
		for _, f := range side.Fields {
			v.set = append(v.set, strs(get(f))...)
		}
		slices.Sort(v.set)
		v.set = slices.Compact(v.set)
		v.present = len(v.set) > 0
	case KindCategories:
		for _, f := range side.Fields {
			set := strs(get(f))
			slices.Sort(set)
			v.sets = append(v.sets, slices.Compact(set))
			v.present = v.present || len(set) > 0
		}
		v.community = communityKey(v.sets)
	case KindDate:
		for _, f := range side.Fields {
			if d, ok := date(get(f)); ok {
				v.dates = append(v.dates, d)
			}
		}
		v.present = len(v.dates) > 0
	case KindAge:
		a := &v.age
		a.dob, a.hasDOB = date(get(side.Fields[0]))
		a.age, a.hasAge = number(get(side.Fields[1]))
		if side.EstimatedField != "" {
			a.estimated, _ = get(side.EstimatedField).(bool)
		}
		a.ref = m.today
		if side.ReferenceDateField != "" {
			if d, ok := date(get(side.ReferenceDateField)); ok {
				a.ref = d
			}
		}
		v.present = a.hasDOB || a.hasAge
	case KindLocation:
		add := func(code string) {
			if code == "" || m.locs == nil {
				return
			}
			if p := m.locs.Path(code); len(p) > 0 {
				v.paths = append(v.paths, p)
			}
		}
		if side.Subform != "" {
			for _, row := range rows(side, get) {
				for _, f := range side.Fields {
					n := len(v.paths)
					add(text(row[f]))
					if side.RelationField != "" && len(v.paths) > n {
						v.pathRels = append(v.pathRels, text(row[side.RelationField]))
					}
				}
			}
		} else {
			for _, f := range side.Fields {
				add(text(get(f)))
			}
			if side.RelationField != "" {
				v.rel = text(get(side.RelationField))
			}
		}
		v.present = len(v.paths) > 0
	}
	return v
}

// rows returns a subform's rows.
func rows(side Side, get func(string) any) []map[string]any {
	raw, _ := get(side.Subform).([]any)
	var out []map[string]any
	for _, r := range raw {
		if row, ok := r.(map[string]any); ok {
			out = append(out, row)
		}
	}
	return out
}

func readNames(side Side, get func(string) any) (pname, []pname) {
	n := parseName(joinText(side.Fields, get))
	var alts []pname
	for _, f := range side.Alternates {
		if a := parseName(text(get(f))); !a.empty() {
			alts = append(alts, a)
		}
	}
	return n, alts
}

func joinText(fields []string, get func(string) any) string {
	var parts []string
	for _, f := range fields {
		if s := text(get(f)); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

func text(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

func strs(v any) []string {
	switch x := v.(type) {
	case string:
		if s := strings.TrimSpace(x); s != "" {
			return []string{s}
		}
	case []any:
		var out []string
		for _, e := range x {
			if s := text(e); s != "" {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return slices.DeleteFunc(slices.Clone(x), func(s string) bool { return strings.TrimSpace(s) == "" })
	}
	return nil
}

func date(v any) (time.Time, bool) {
	s := text(v)
	if len(s) >= 10 {
		if t, err := time.Parse(time.DateOnly, s[:10]); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, !math.IsNaN(x) && x >= 0 && x <= 150
	case int:
		return float64(x), x >= 0 && x <= 150
	case int32:
		return float64(x), x >= 0 && x <= 150
	case int64:
		return float64(x), x >= 0 && x <= 150
	}
	return 0, false
}
