package names

import "slices"

// Level is how two names compare, for the name fields of record linkage
// (Fellegi-Sunter comparison levels). The levels are ordered from no
// evidence to the strongest agreement; each level's m and u probabilities
// are estimated from data, so they are categories, not scores.
type Level int

// The comparison levels, weakest first.
const (
	// Missing: one of the names is empty (blank, punctuation, digits).
	Missing Level = iota
	// Different: none of the levels below.
	Different
	// Similar: Similarity at least SimilarThreshold.
	Similar
	// Close: Similarity at least CloseThreshold.
	Close
	// Phonetic: every token of the shorter name shares a phonetic key with a
	// distinct token of the other (Mohamed Ali / محمد علي, Yusuf / Youssouf).
	Phonetic
	// Exact: the same tokens after folding, in any order (Ali Hassan /
	// HASSAN ALI, Abdul Rahman / abdulrahman).
	Exact
)

// Thresholds of the Jaro-Winkler levels, on Similarity.
const (
	CloseThreshold   = 0.92
	SimilarThreshold = 0.85
)

var levelNames = [...]string{"missing", "different", "similar", "close", "phonetic", "exact"}

// String returns the level's name as stored with a comparison: "missing",
// "different", "similar", "close", "phonetic" or "exact".
func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return "unknown"
	}
	return levelNames[l]
}

// Compare returns the comparison level of two names: the strongest level
// that holds, checked from Exact down.
func Compare(a, b string) Level { return Parse(a).Compare(Parse(b)) }

// Compare is the function Compare on parsed names.
func (n Name) Compare(o Name) Level {
	if n.Empty() || o.Empty() {
		return Missing
	}
	if sameTokens(n.toks, o.toks) {
		return Exact
	}
	var pairs [][2]int
	align(n.toks, o.toks, tokenScore, &pairs)
	phonetic := true
	for _, p := range pairs {
		a, b := &n.toks[p[0]], &o.toks[p[1]]
		if a.folded != b.folded && !shareKey(a.keys, b.keys) {
			phonetic = false
			break
		}
	}
	if phonetic {
		return Phonetic
	}
	switch s := n.Similarity(o); {
	case s >= CloseThreshold:
		return Close
	case s >= SimilarThreshold:
		return Similar
	}
	return Different
}

func sameTokens(a, b []token) bool {
	if len(a) != len(b) {
		return false
	}
	x := make([]string, len(a))
	y := make([]string, len(b))
	for i := range a {
		x[i], y[i] = a[i].folded, b[i].folded
	}
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}
