package matching

import (
	"slices"
)

// Spelling variants learned from the tenant's own data (docs/matching-log.md,
// Quality → Session 30 (engineer V)). A country's names recur in a limited
// set of spellings, and some of those the phonetic keys do not join
// (Faadumo and Fatima, Jean and John, Peter and Pierre): a trace and its
// child's registration then compare different on the given name and the
// child loses to a look-alike. After a first expectation-maximisation, the
// pairs of names that compare different yet are likely (posterior at least
// VariantPosterior, confirmed matches included) are counted part by part;
// a pair of parts seen at least VariantMinPairs times and VariantLift times
// more often than the two parts' shares among the cases make chance is a
// learned variant. Nothing comes from a table of names.
//
// The given names and the family names by position (in the patronymic
// traditions a father's and a grandfather's given names) are spelt from
// one country's names: their pairs are counted together (a spelling seen
// twice in given names and twice in fathers' names is seen four times),
// and the pairs learned are one set that each of them reads, at a variant
// level of its own m and u (Quality → Session 31 (engineer F)).

// Variant learning constants.
const (
	// VariantPosterior is the least posterior of being the child of a pair
	// whose names teach variants.
	VariantPosterior = 0.2
	// VariantMinPairs is how many such pairs must share two parts.
	VariantMinPairs = 3
	// VariantLift is how many times more often than chance they must.
	VariantLift = 10.0
)

// variantValues are the distinct values of one comparison that learns
// variants among the estimation's candidates (by the folded parts of the
// names they compare), so that each pair keeps an index rather than the
// case.
type variantValues struct {
	index  map[string]int32
	values []value
	key    []byte
	// own copies a value to keep (Matcher.ownValue)
	own func(*value) value
}

// add returns the index of v (-1: no name), keeping own(v) where v is
// new.
func (vv *variantValues) add(v *value) int32 {
	if !v.present {
		return -1
	}
	k := append(vv.key[:0], v.name.tok...)
	for j := range v.parts {
		k = append(append(k, 0), v.parts[j].tok...)
	}
	vv.key = k
	if len(k) == 0 {
		return -1
	}
	if at, ok := vv.index[string(k)]; ok {
		return at
	}
	if vv.index == nil {
		vv.index = map[string]int32{}
	}
	at := int32(len(vv.values))
	vv.index[string(k)] = at
	vv.values = append(vv.values, vv.own(v))
	return at
}

// differentParts appends the pairs of names (the trace's, the case's) whose
// parts learnVariants counts for a pair of values that compare different
// on comparison cmp: the names, or by position each position both give
// that compares different.
func differentParts(found [][2]*pname, cmp *Comparison, t, c *value) [][2]*pname {
	if !cmp.ByPosition {
		if !t.name.empty() && !c.name.empty() {
			found = append(found, [2]*pname{&t.name, &c.name})
		}
		return found
	}
	for j := range min(len(t.parts), len(c.parts)) {
		a, b := &t.parts[j], &c.parts[j]
		if !a.empty() && !b.empty() && nameLevel(levelOf(a, b)) == lvDifferent {
			found = append(found, [2]*pname{a, b})
		}
	}
	return found
}

// learnVariants returns the pairs of parts (each in order, sorted) that
// the likely pairs of names found (each a trace's name and its case's,
// compared different) share far more often than chance: parts holds the
// cases whose names have each part, of cases with a name. Chance is the
// parts' shares among the cases: of the part pairs counted, a share
// 2·s(a)·s(b) would be a and b by chance.
func learnVariants(found [][2]*pname, parts map[string]int, cases int) [][2]string {
	if len(found) == 0 || cases == 0 {
		return nil
	}
	counts := map[[2]string]int{}
	total := 0
	for _, f := range found {
		a, b := &f[0].n, &f[1].n
		for x := range a.CompareTokens() {
			for y := range b.CompareTokens() {
				p := [2]string{a.Token(x), b.Token(y)}
				if p[0] == p[1] {
					continue
				}
				if p[0] > p[1] {
					p[0], p[1] = p[1], p[0]
				}
				counts[p]++
				total++
			}
		}
	}
	var out [][2]string
	for p, n := range counts {
		share := func(tok string) float64 { return float64(max(parts[tok], 1)) / float64(cases) }
		chance := 2 * float64(total) * share(p[0]) * share(p[1])
		if n >= VariantMinPairs && float64(n) >= VariantLift*chance {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b [2]string) int {
		if a[0] != b[0] {
			if a[0] < b[0] {
				return -1
			}
			return 1
		}
		if a[1] < b[1] {
			return -1
		}
		if a[1] > b[1] {
			return 1
		}
		return 0
	})
	return out
}
