package matching

import (
	"math"
	"slices"
	"time"

	"github.com/cpims-hosted/cpims/names"
)

// Levels of each kind, weakest first; level 0 is always "missing" (a side
// has no value), which is no evidence either way. A name's last two levels
// are the exceptions: variant, a name that compares different but whose
// spellings are a pair learned from the tenant's own data (learnVariants),
// and swapped, a name found in another name field on each side, each in
// the other's place (Comparison.Swaps). They come last so that the other
// levels keep their indexes, shared with relative names; code that takes
// the weakest or strongest of name levels never sees them (variant is
// reached from different only, where Matcher.compare looks for it; swapped
// only where an alternate would be, by a comparison with swaps).
var (
	nameLevels       = []string{"missing", "different", "similar", "close", "alternate", "phonetic", "exact", "variant", "swapped"}
	relativeLevels   = []string{"missing", "different", "similar", "close", "other_relative", "phonetic", "exact"}
	categoryLevels   = []string{"missing", "different", "equal"}
	categoriesLevels = []string{"missing", "different", "mixed", "one_equal", "all_equal"}
	ageLevels        = []string{"missing", "different", "estimated_different", "within_3", "estimated_within_3",
		"within_1", "estimated_within_1", "same_age", "same_date_of_birth"}
	dateLevels = []string{"missing", "different", "within_1_year", "within_1_month", "within_1_week"}
)

// Level indexes shared by names and relative names.
const (
	lvMissing   = 0
	lvDifferent = 1
	lvSimilar   = 2
	lvClose     = 3
	lvAlternate = 4 // other_relative for relative names
	lvPhonetic  = 5
	lvExact     = 6
	lvVariant   = 7 // names only
	lvSwapped   = 8 // names only
)

// Age level indexes.
const (
	ageDifferent = iota + 1
	ageEstDifferent
	ageWithin3
	ageEstWithin3
	ageWithin1
	ageEstWithin1
	ageSame
	ageSameDOB
)

// Levels returns the comparison's levels, weakest first ("missing" first).
func (c Comparison) Levels() []string {
	switch c.Kind {
	case KindName:
		return nameLevels
	case KindRelativeName:
		return relativeLevels
	case KindCategory:
		return categoryLevels
	case KindCategories:
		return categoriesLevels
	case KindAge:
		return ageLevels
	case KindDate:
		return dateLevels
	case KindLocation:
		out := []string{"missing", "different"}
		for _, l := range c.LocationLevels {
			out = append(out, l.Name)
		}
		return append(out, "same")
	}
	return nil
}

// tfLevel says which levels of a comparison are agreement on a value, the
// levels whose chance probability term frequencies replace: exact and
// phonetic names (the frequencies are of the compared fields' names, not of
// the alternates'); equal options; places that agree at any level (the
// same place, the same district, the same region: placeLogU).
func tfLevel(k Kind, l uint8) bool {
	switch k {
	case KindCategory:
		return l == 2
	case KindLocation:
		return l >= 2
	}
	return l == lvExact || l == lvPhonetic
}

// tfWeighs says which levels' log u term frequencies give: tfLevel's, and
// a name's variant, weighed by the share of the case's spelling (variantOf).
func tfWeighs(k Kind, l uint8) bool {
	return tfLevel(k, l) || k == KindName && l == lvVariant
}

// comparisonCache remembers, for one trace, how its names compare with
// the names of its candidates, by the candidate name's parts: common names
// recur among a trace's candidates.
type comparisonCache map[nameKey]names.Level

type nameKey struct {
	trace *pname
	tok   string
}

// compareName compares a trace's name with a case's (cache may be nil).
func compareName(t, c *pname, cache comparisonCache) names.Level {
	if cache == nil {
		return levelOf(t, c)
	}
	k := nameKey{t, c.tok}
	if l, ok := cache[k]; ok {
		return l
	}
	l := levelOf(t, c)
	cache[k] = l
	return l
}

// levelOf is names.Compare, quicker for names that share no phonetic key
// (most pairs): those can be neither exact nor phonetic, so only their
// similarity decides.
func levelOf(t, c *pname) names.Level { return levelKnowing(t, c, t.mayAgree(c)) }

// levelKnowing is levelOf when whether the names share a key (mayAgree)
// is known.
func levelKnowing(t, c *pname, mayAgree bool) names.Level {
	if mayAgree {
		return t.n.Compare(c.n)
	}
	return similarityLevel(t.n.Similarity(c.n))
}

// categoriesLevel is the level of categories compared field by field:
// present fields given on both sides, equal of them sharing a code.
func categoriesLevel(present, equal int) uint8 {
	switch {
	case present == 0:
		return lvMissing
	case equal == 0:
		return 1
	case equal < present:
		return 2
	case present == 1:
		return 3
	}
	return 4
}

// similarityLevel is the level of names that share no key and whose
// Similarity is s.
func similarityLevel(s float64) names.Level {
	switch {
	case s >= names.CloseThreshold:
		return names.Close
	case s >= names.SimilarThreshold:
		return names.Similar
	}
	return names.Different
}

// compare returns the level of one comparison for a trace value t and a
// case value c, and for names at an agreeing level the parts that agreed
// (their shared keys), for term frequencies.
func compare(cmp *Comparison, t, c *value, shared *[][]string, cache comparisonCache) uint8 {
	if !t.present || !c.present {
		return lvMissing
	}
	switch cmp.Kind {
	case KindName:
		if cmp.ByPosition {
			return comparePositions(t, c, shared, cache)
		}
		return compareNames(&t.name, t.alts, &c.name, c.alts, cmp.Swaps, shared, cache)
	case KindRelativeName:
		return compareRelatives(t, c, shared, cache)
	case KindCategory:
		level := uint8(1)
		for _, x := range t.set {
			if _, ok := slices.BinarySearch(c.set, x); ok {
				level = 2
				if shared != nil {
					*shared = append(*shared, []string{x})
				}
			}
		}
		return level
	case KindCategories:
		present, equal := 0, 0
		for f := range min(len(t.sets), len(c.sets)) {
			if len(t.sets[f]) == 0 || len(c.sets[f]) == 0 {
				continue
			}
			present++
			for _, x := range t.sets[f] {
				if _, ok := slices.BinarySearch(c.sets[f], x); ok {
					equal++
					break
				}
			}
		}
		return categoriesLevel(present, equal)
	case KindAge:
		return compareAges(&t.age, &c.age)
	case KindDate:
		best := math.MaxFloat64
		for _, a := range t.dates {
			for _, b := range c.dates {
				best = min(best, math.Abs(a.Sub(b).Hours()/24))
			}
		}
		return dateLevel(best)
	case KindLocation:
		best := uint8(lvMissing)
		for _, a := range t.paths {
			for j, b := range c.paths {
				if c.otherRelation(j, t.rel) {
					continue
				}
				best = max(best, locationLevel(cmp.LocationLevels, a, b))
			}
		}
		if shared != nil && cmp.TermFrequency && best > lvDifferent {
			// the trace's places that agree at the best level, whose
			// shares among the cases weigh it (placeLogU)
			for _, a := range t.paths {
				for j, b := range c.paths {
					if !c.otherRelation(j, t.rel) && locationLevel(cmp.LocationLevels, a, b) == best {
						*shared = append(*shared, []string{a[len(a)-1].Code})
						break
					}
				}
			}
		}
		return best
	}
	return lvMissing
}

// otherRelation says whether a case's place j is a family member's of
// another relation than the trace's rel (a location comparison with a
// RelationField compares the inquirer's place with where the case says
// that same relative lives, not with another's; either relation unknown
// compares).
func (v *value) otherRelation(j int, rel string) bool {
	return v.pathRels != nil && rel != "" && v.pathRels[j] != "" && v.pathRels[j] != rel
}

// dateLevel is the level of dates best days apart.
func dateLevel(best float64) uint8 {
	switch {
	case best <= 7:
		return 4
	case best <= 31:
		return 3
	case best <= 366:
		return 2
	}
	return 1
}

// compareNames compares a name and its alternates with the other side's;
// with swaps, a name that agrees with an alternate of the other side while
// an alternate of its own side agrees with the other side's name is
// swapped (a given name and a family name exchanged between the fields),
// one piece of evidence rather than an alternate here and a disagreement
// of the alternate's own comparison scored as independent agreements
// (docs/matching-log.md, Quality → Session 40).
func compareNames(t *pname, talts []pname, c *pname, calts []pname, swaps bool, shared *[][]string, cache comparisonCache) uint8 {
	level := uint8(lvMissing)
	if !t.empty() && !c.empty() {
		if level = nameLevel(compareName(t, c, cache)); agreeing(level) {
			agreed(t, c, shared)
			return level
		}
	}
	switch alternate(t, talts, c, calts, swaps, shared, cache) {
	case ways:
		return lvSwapped
	case oneWay:
		return lvAlternate
	}
	return level
}

// comparePositions is compareNames for a name compared by position
// (Comparison.ByPosition): each position both sides give is compared with
// the other side's same position, and the level is the weakest of theirs
// (agreement when every one of them agrees); a position only one side
// gives says nothing, and without a position on both sides the comparison
// is missing. A father's name given on one side and the grandfather's on
// the other were a disagreement when the fields were compared as one name
// (docs/matching-log.md, Quality → Session 29 (engineer P)).
func comparePositions(t, c *value, shared *[][]string, cache comparisonCache) uint8 {
	level := weakestPosition(t, c, 0, cache)
	if agreeing(level) {
		agreedPositions(t, c, 0, shared)
		return level
	}
	if alternate(&t.name, t.alts, &c.name, c.alts, false, shared, cache) != none {
		return lvAlternate
	}
	return level
}

// uncrossed is the level of a name compared by position (at l without
// its partner, Comparison.SwapsWith) once the positions crossed with the
// partner's names (crossedPositions: tg the trace's, cg the case's) are
// left out, and those positions: the weakest level of the others, missing
// when none is left, with the parts that agreed appended to shared at an
// agreeing level. Only a disagreement can hide a crossing: at any other
// level (agreeing, missing, a learned variant, an alternate) nothing
// changes.
func uncrossed(t, c *value, tg, cg *pname, l uint8, shared *[][]string, cache comparisonCache) (uint8, uint64) {
	if l != lvDifferent && l != lvSimilar && l != lvClose {
		return l, 0
	}
	skip := crossedPositions(t, c, tg, cg, cache)
	if skip == 0 {
		return l, 0
	}
	level := weakestPosition(t, c, skip, cache)
	if agreeing(level) {
		agreedPositions(t, c, skip, shared)
	}
	return level, skip
}

// weakestPosition is the weakest level of the positions both sides give,
// but those marked in skip (missing when there is none).
func weakestPosition(t, c *value, skip uint64, cache comparisonCache) uint8 {
	level := uint8(lvMissing)
	for j := range min(len(t.parts), len(c.parts)) {
		a, b := &t.parts[j], &c.parts[j]
		if a.empty() || b.empty() || skip&(1<<j) != 0 {
			continue
		}
		if l := nameLevel(compareName(a, b, cache)); level == lvMissing || l < level {
			level = l
		}
	}
	return level
}

// crossedPositions marks (bit j) the positions of a name compared by
// position whose names are crossed with the partner's (tg the trace's
// given name, cg the case's): the two names there disagree, the trace's
// agrees with the case's given name and the case's with the trace's. That
// is a given name and a family name exchanged between the fields on one
// side, which the partner scores as one piece of evidence (swapped): left
// out here, it is not also a disagreement of the family names
// (docs/matching-log.md, Quality → Session 40).
func crossedPositions(t, c *value, tg, cg *pname, cache comparisonCache) uint64 {
	var skip uint64
	if tg.empty() || cg.empty() {
		return 0
	}
	for j := range min(len(t.parts), len(c.parts), 64) {
		a, b := &t.parts[j], &c.parts[j]
		if a.empty() || b.empty() || agreesName(a, b, cache) {
			continue
		}
		if agreesName(a, cg, cache) && agreesName(tg, b, cache) {
			skip |= 1 << j
		}
	}
	return skip
}

// agreesName says whether two names agree exactly or phonetically (t the
// trace's, for the cache).
func agreesName(t, c *pname, cache comparisonCache) bool {
	if t.empty() || c.empty() || !t.mayAgree(c) {
		return false
	}
	l := compareName(t, c, cache)
	return l == names.Exact || l == names.Phonetic
}

// agreedPositions is agreed for a name compared by position: the parts of
// each position both sides give, but those marked in skip.
func agreedPositions(t, c *value, skip uint64, shared *[][]string) {
	for j := range min(len(t.parts), len(c.parts)) {
		if a, b := &t.parts[j], &c.parts[j]; !a.empty() && !b.empty() && skip&(1<<j) == 0 {
			agreed(a, b, shared)
		}
	}
}

// How a name agrees with the other side's alternates (alternate).
type alternation uint8

const (
	none   alternation = iota
	oneWay             // the name in another field on one side
	ways               // each side's name in the other's alternate field
)

// alternate says whether a name agrees (exactly or phonetically) with an
// alternate of the other side, and appends what agreed to shared; with
// both, whether that holds both ways: the trace's name among the case's
// alternates and one of the trace's alternates agreeing with the case's
// name.
func alternate(t *pname, talts []pname, c *pname, calts []pname, both bool, shared *[][]string, cache comparisonCache) alternation {
	// The name written in another field on one side: a given name recorded
	// as a last name, a nickname given for the name.
	try := func(a, b *pname) bool {
		if a.empty() || b.empty() || !a.mayAgree(b) {
			return false
		}
		if l := compareName(a, b, cache); l == names.Exact || l == names.Phonetic {
			agreed(a, b, shared)
			return true
		}
		return false
	}
	found := none
	for i := range calts {
		if try(t, &calts[i]) {
			if !both {
				return oneWay
			}
			found = oneWay
			break
		}
	}
	for i := range talts {
		if try(&talts[i], c) {
			return found + 1
		}
	}
	return found
}

// nameLevel is the level of a name comparison whose names compared at l;
// compareNames and the run store's memo (storedName) both read it.
func nameLevel(l names.Level) uint8 {
	switch l {
	case names.Exact:
		return lvExact
	case names.Phonetic:
		return lvPhonetic
	case names.Close:
		return lvClose
	case names.Similar:
		return lvSimilar
	}
	return lvDifferent
}

// agreeing reports whether a name comparison's level is an agreement on
// the name itself (exact or phonetic), whose log u term frequencies give.
func agreeing(level uint8) bool { return level == lvExact || level == lvPhonetic }

// agreed appends, for each part of the shorter name, the keys it shares
// with a distinct part of the other (or its own keys when they are spelt
// alike): the parts whose agreement term frequencies weigh.
func agreed(a, b *pname, shared *[][]string) {
	if shared == nil {
		return
	}
	ta, tb := a.n.Tokens(), b.n.Tokens()
	ka, kb := a.keys, b.keys
	if len(ta) > len(tb) {
		ta, tb, ka, kb = tb, ta, kb, ka
	}
	var used [names.MaxCompareTokens]bool
	for i := range ta {
		best := -1
		for j := range tb {
			if j >= len(used) || used[j] {
				continue
			}
			if ta[i] == tb[j] {
				best = j
				break
			}
			if best < 0 && shareAny(ka[i], kb[j]) {
				best = j
			}
		}
		if best < 0 {
			continue
		}
		used[best] = true
		var s []string
		if ta[i] == tb[best] {
			s = ka[i]
		} else {
			for _, k := range ka[i] {
				if slices.Contains(kb[best], k) {
					s = append(s, k)
				}
			}
		}
		if len(s) > 0 {
			*shared = append(*shared, s)
		}
	}
}

func shareAny(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func compareRelatives(t, c *value, shared *[][]string, cache comparisonCache) uint8 {
	// Without a family member of the inquirer's relation, only a phonetic
	// agreement with another member says something; else the comparison
	// has nothing to compare ("missing"), it is not a disagreement.
	best := uint8(lvMissing)
	var bestShared [][]string
	consider := func(l uint8, s [][]string) {
		if l > best {
			best, bestShared = l, s
		}
	}
	for j := range c.rels {
		r := &c.rels[j]
		sameRelation := t.rel == "" || r.relation == "" || t.rel == r.relation
		if sameRelation {
			consider(lvDifferent, nil)
		} else if !anyMayAgree(t, r) {
			continue // only a phonetic agreement would count
		}
		var s [][]string
		l := compareNames(&t.name, t.alts, r.name, r.alts, false, &s, cache)
		switch {
		case l == lvMissing:
			continue
		case !sameRelation && l >= lvAlternate:
			l = lvAlternate // other_relative: the name of another family member
		case !sameRelation:
			continue
		}
		consider(l, s)
	}
	if tfLevel(KindRelativeName, best) && shared != nil {
		*shared = append(*shared, bestShared...)
	}
	return best
}

func anyMayAgree(t *value, r *relative) bool {
	agrees := func(a *pname) bool {
		if a.mayAgree(r.name) {
			return true
		}
		for i := range r.alts {
			if a.mayAgree(&r.alts[i]) {
				return true
			}
		}
		return false
	}
	if agrees(&t.name) {
		return true
	}
	for i := range t.alts {
		if agrees(&t.alts[i]) {
			return true
		}
	}
	return false
}

const daysPerYear = 365.2425

func years(d time.Duration) float64 { return d.Hours() / 24 / daysPerYear }

// compareAges compares the trace's age or date of birth with the case's,
// at the date the trace's age was given. An age a given on a date means an
// age in [a, a+1) on that date; the distance is between the two intervals.
func compareAges(t, c *ageValue) uint8 {
	estimated := t.estimated || c.estimated
	if t.hasDOB && c.hasDOB {
		d := math.Abs(years(t.dob.Sub(c.dob)))
		if t.dob.Equal(c.dob) && !estimated {
			return ageSameDOB
		}
		return ageLevel(d, estimated)
	}
	ref := t.ref
	tlo, thi := 0.0, 0.0
	if t.hasAge {
		tlo, thi = t.age, t.age+1
	} else {
		tlo = years(ref.Sub(t.dob))
		thi = tlo
	}
	clo, chi := 0.0, 0.0
	if c.hasDOB {
		clo = years(ref.Sub(c.dob))
		chi = clo
	} else {
		shift := years(c.ref.Sub(ref)) // the case's age is given on its own date
		clo, chi = c.age-shift, c.age+1-shift
	}
	d := 0.0
	switch {
	case chi < tlo:
		d = tlo - chi
	case clo > thi:
		d = clo - thi
	}
	return ageLevel(d, estimated)
}

func ageLevel(d float64, estimated bool) uint8 {
	const eps = 1e-9
	switch {
	case d <= eps && !estimated:
		return ageSame
	case d <= 1+eps:
		if estimated {
			return ageEstWithin1
		}
		return ageWithin1
	case d <= 3+eps:
		if estimated {
			return ageEstWithin3
		}
		return ageWithin3
	case estimated:
		return ageEstDifferent
	}
	return ageDifferent
}

// locationLevel returns the level of two places: "same" (the last level)
// for one code, else the finest configured level whose admin level their
// deepest common place reaches, else "different" (1).
func locationLevel(levels []LocationLevel, a, b []Place) uint8 {
	if a[len(a)-1].Code == b[len(b)-1].Code {
		return uint8(len(levels) + 2)
	}
	common := -1
	for i := 0; i < len(a) && i < len(b) && a[i].Code == b[i].Code; i++ {
		common = a[i].AdminLevel
	}
	best := uint8(1)
	for i, l := range levels {
		if common >= l.AdminLevel {
			best = uint8(i + 2)
		}
	}
	return best
}

// learnsVariants says whether a comparison learns spelling variants and
// has the variant level: the child's own names compared whole (a given
// name), and the family names compared by position, whose parts in the
// patronymic traditions are the father's and grandfather's given names.
// Their pairs are counted together and the pairs learned are one set that
// each of them reads (docs/matching-log.md, Quality → Session 31 (engineer
// F)). A family name compared joined is left out: its parts' pairs would
// mix the father's name with the grandfather's.
func learnsVariants(c Comparison) bool {
	return c.Kind == KindName && (c.ByPosition || !c.SharedBySiblings)
}

// partnersOf maps each part of the learned pairs to its partners.
func partnersOf(pairs [][2]string) map[string][]string {
	out := make(map[string][]string, 2*len(pairs))
	for _, p := range pairs {
		out[p[0]] = append(out[p[0]], p[1])
		out[p[1]] = append(out[p[1]], p[0])
	}
	return out
}

// variantKeysOf maps each part of the learned pairs to its own phonetic
// keys, whose shares among the cases weigh a variant (variantOf).
func variantKeysOf(pairs [][2]string) map[string][]string {
	out := make(map[string][]string, 2*len(pairs))
	for _, p := range pairs {
		for _, part := range p {
			if _, ok := out[part]; !ok {
				out[part] = parseName(part).all
			}
		}
	}
	return out
}

// compare is compare for comparison i of the matcher, with its learned
// variants: a comparison that compares different is variant when the
// spellings it disagrees on are learned pairs (isVariantValue).
func (m *Matcher) compare(i int, t, c *value, shared *[][]string, cache comparisonCache) uint8 {
	cmp := &m.cfg.Comparisons[i]
	l := compare(cmp, t, c, shared, cache)
	if l == lvDifferent && m.variants != nil && m.variants[i] != nil &&
		variantValue(cmp, m.variants[i], m.variantKeys[i], t, c, shared, cache) {
		return lvVariant
	}
	return l
}

// comparePair is compare for comparison i of a trace and a case, with the
// positions crossed with its partner's names left out (uncrossed).
func (m *Matcher) comparePair(i int, trace, c *Subject, shared *[][]string, cache comparisonCache) uint8 {
	l := m.compare(i, trace.vals[i], c.vals[i], shared, cache)
	if p := m.partner[i]; p >= 0 {
		l, _ = uncrossed(trace.vals[i], c.vals[i], &trace.vals[p].name, &c.vals[p].name, l, shared, cache)
	}
	return l
}

// crossed is the positions of comparison i crossed with its partner's
// names for a trace and a case (crossedPositions), none without a partner.
func (m *Matcher) crossed(i int, trace, c *Subject, cache comparisonCache) uint64 {
	p := m.partner[i]
	if p < 0 {
		return 0
	}
	return crossedPositions(trace.vals[i], c.vals[i], &trace.vals[p].name, &c.vals[p].name, cache)
}

// isVariantValue says whether two names that compare different do so on
// learned spellings only: a part of each forms a learned pair; by
// position, every position both sides give that compares different does
// (a position that agrees, or is close, stays as it is: the variant level
// is then the weakest of the positions').
func isVariantValue(cmp *Comparison, partners map[string][]string, t, c *value) bool {
	return variantValue(cmp, partners, nil, t, c, nil, nil)
}

// variantValue is isVariantValue, and appends to shared (when not nil)
// what weighs the variant's u (term frequencies): the case's spellings of
// the learned pairs (variantOf, keys) and, by position, the parts of the
// positions that agree, as an agreement by position weighs them all
// (agreedPositions): the father's Jacques for James beside one
// grandfather's name is as rare as the case's two names together.
func variantValue(cmp *Comparison, partners, keys map[string][]string, t, c *value, shared *[][]string, cache comparisonCache) bool {
	if !cmp.ByPosition {
		return variantOf(partners, keys, &t.name, &c.name, shared)
	}
	mark := 0
	if shared != nil {
		mark = len(*shared)
	}
	found := false
	for j := range min(len(t.parts), len(c.parts)) {
		a, b := &t.parts[j], &c.parts[j]
		if a.empty() || b.empty() {
			continue
		}
		switch l := nameLevel(compareName(a, b, cache)); {
		case agreeing(l):
			agreed(a, b, shared)
		case l == lvDifferent:
			if !variantOf(partners, keys, a, b, shared) {
				if shared != nil {
					*shared = (*shared)[:mark]
				}
				return false
			}
			found = true
		}
	}
	if !found && shared != nil {
		*shared = (*shared)[:mark]
	}
	return found
}

// variantOf says whether a part of a and a part of b are partners, and
// appends to shared (when not nil) one entry: the keys (keys,
// variantKeysOf) of b's parts that are partners of a's.
// b is the case's name: a variant's u is the share of the cases that spell
// their name as this case does (its commonest key's, as tfLogU takes for
// an agreeing part), the chance that an unrelated child's registration
// holds that spelling. A learned pair of a common name (Jean for a
// trace's John) is then weak evidence, of a rare one strong, as
// agreeing on the name itself is (docs/matching-log.md, Quality → Session 32
// (engineer F)).
func variantOf(partners, keys map[string][]string, a, b *pname, shared *[][]string) bool {
	var ks []string
	found := false
	for y := range b.n.CompareTokens() {
		ps := partners[b.n.Token(y)]
		if len(ps) == 0 {
			continue
		}
		for x := range a.n.CompareTokens() {
			if slices.Contains(ps, a.n.Token(x)) {
				if shared == nil {
					return true
				}
				found = true
				ks = append(ks, keys[b.n.Token(y)]...)
				break
			}
		}
	}
	if found && len(ks) > 0 {
		*shared = append(*shared, ks)
	}
	return found
}
