package matching

import (
	"slices"
)

// Spelling variants learned from the tenant's own data (docs/matching.md,
// Quality → Session 30 (engineer V)). A country's names recur in a limited
// set of spellings, and some of those the phonetic keys do not join
// (Mahamat and Mohamed, Faadumo and Fatima, Jean and John): a trace and its
// child's registration then compare different on the given name and the
// child loses to a look-alike. After a first expectation-maximisation, the
// pairs of names that compare different yet are likely (posterior at least
// VariantPosterior, confirmed matches included) are counted part by part;
// a pair of parts seen at least VariantMinPairs times and VariantLift times
// more often than the two parts' shares among the cases make chance is a
// learned variant. Nothing comes from a table of names.

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

// namePair is two names that compared different in n random pairs.
type namePair struct {
	a, b *pname
	n    int
}

// variantNames are the distinct names of one comparison among the
// estimation's candidates (by their folded parts), so that each pair keeps
// an index rather than the case.
type variantNames struct {
	index map[string]int32
	names []pname
}

// add returns the index of v's name (-1: none).
func (vn *variantNames) add(v *value) int32 {
	if !v.present || v.name.empty() {
		return -1
	}
	if at, ok := vn.index[v.name.tok]; ok {
		return at
	}
	if vn.index == nil {
		vn.index = map[string]int32{}
	}
	at := int32(len(vn.names))
	vn.index[v.name.tok] = at
	vn.names = append(vn.names, v.name)
	return at
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
