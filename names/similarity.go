package names

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Tuning of Similarity and Score. They are constants so that a stored score
// or comparison level keeps its meaning.
const (
	// WinklerPrefixScale is Winkler's p: how much each common leading letter
	// (at most WinklerMaxPrefix) moves the Jaro similarity towards 1.
	WinklerPrefixScale = 0.1
	// WinklerMaxPrefix is the longest common prefix Winkler's bonus counts.
	WinklerMaxPrefix = 4
	// WinklerBoostThreshold is the Jaro similarity above which the prefix
	// bonus applies (Winkler's original rule: similar strings only).
	WinklerBoostThreshold = 0.7

	// KeyFloor is the least Score of two tokens that share a phonetic key;
	// tokens that share none score at most KeyFloor times their similarity,
	// so a spelling variant always ranks above a merely similar name.
	KeyFloor = 0.9
	// ExactMargin keeps every pair of tokens that differ after folding
	// below an identical pair in Score: at most 1 - ExactMargin, so the
	// query's own spelling ranks first.
	ExactMargin = 0.01
	// ExtraTokenPenalty is subtracted from Similarity and Score for each
	// token of the longer name that has no partner in the shorter one: a
	// full match on fewer parts ranks just below a full match on all parts.
	ExtraTokenPenalty = 0.01

	// MaxCompareTokens bounds the tokens of each name that Similarity, Score
	// and Compare look at, and MaxCompareRunes the letters of each token:
	// real names are far shorter, and the bound keeps hostile input cheap.
	MaxCompareTokens = 16
	MaxCompareRunes  = 64
)

// Name is a parsed name: its tokens with their transliteration and phonetic
// keys, computed once. Parse a name once when it is compared with many
// others (the query of a search, a trace matched against candidates).
// The zero Name has no token.
type Name struct {
	toks []token
}

type token struct {
	folded string // Fold form (Tokens)
	// light is the light-folded form (light) where it differs from
	// folded (ة, ى, إ kept), empty otherwise: latin and keys are read from
	// it, so tokens equal after Fold may still compare apart (Ident).
	light  string
	latin  string // transliterated (Arabic) or folded (other scripts)
	skel   string // Latin skeleton, for comparison with Arabic script
	arabic bool
	keys   []string
}

// Parse parses s once for Keys, Tokens, Similarity, Score and Compare.
func Parse(s string) Name {
	lt := lightTokens(light(s))
	toks := make([]token, len(lt))
	for i, w := range lt {
		t := token{folded: foldArabic(w), arabic: isArabicScript(w), keys: tokenKeys(w)}
		if t.folded != w {
			t.light = w
		}
		if t.arabic {
			t.latin = transliterateWord([]rune(w))
		} else {
			t.latin = t.folded
			t.skel = skeleton(t.folded)
		}
		t.latin = truncateRunes(t.latin, MaxCompareRunes)
		t.skel = truncateRunes(t.skel, MaxCompareRunes)
		toks[i] = t
	}
	return Name{toks: toks}
}

func truncateRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// Empty reports whether the name has no token (blank, punctuation or
// digits only).
func (n Name) Empty() bool { return len(n.toks) == 0 }

// Tokens returns the name's tokens, as the function Tokens does.
func (n Name) Tokens() []string {
	out := make([]string, len(n.toks))
	for i, t := range n.toks {
		out[i] = t.folded
	}
	return out
}

// Keys returns the name's phonetic keys, as the function Keys does.
func (n Name) Keys() []string {
	keys := []string{}
	for _, t := range n.toks {
		keys = append(keys, t.keys...)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// TokenKeys returns the phonetic keys of each token, in the order of
// Tokens: which part of a name carries which keys, for term frequencies
// (how common the name part is) and for pairing parts. The slices are
// copies.
func (n Name) TokenKeys() [][]string {
	out := make([][]string, len(n.toks))
	for i, t := range n.toks {
		out[i] = slices.Clone(t.keys)
	}
	return out
}

// TokenKeysShared is TokenKeys without copying each token's keys: the
// slices are the name's own, and the caller must not modify them (a
// matching trace reads the names of up to thousands of candidates, and the
// copies were a quarter of what decoding them allocated).
func (n Name) TokenKeysShared() [][]string {
	out := make([][]string, len(n.toks))
	for i, t := range n.toks {
		out[i] = t.keys
	}
	return out
}

// Joined is Tokens joined by single spaces (no allocation for a name of one
// token).
func (n Name) Joined() string {
	switch len(n.toks) {
	case 0:
		return ""
	case 1:
		return n.toks[0].folded
	}
	return strings.Join(n.Tokens(), " ")
}

// Ident is Joined with each token as light-folded, which keeps what Fold
// unifies in Arabic script (ة and ه, ى and ي, إ and ا): names with equal
// Ident compare alike with every name (Compare, Similarity, Score, Keys),
// where names with equal Joined are Exact to each other but may not be
// (زهرة and a زةرة typed transliterate apart). A caller that remembers
// comparisons by name keys them by Ident. No allocation for a name of one
// token.
func (n Name) Ident() string {
	switch len(n.toks) {
	case 0:
		return ""
	case 1:
		return n.toks[0].lightForm()
	}
	var b strings.Builder
	for i := range n.toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(n.toks[i].lightForm())
	}
	return b.String()
}

func (t *token) lightForm() string {
	if t.light != "" {
		return t.light
	}
	return t.folded
}

// Similarity returns the string similarity of two names in [0, 1]: each
// token of the shorter name is paired with a distinct token of the other
// (greedily, best pair first), a pair scoring the Jaro-Winkler similarity of
// their transliterations (a Latin token facing an Arabic one is also compared
// as the skeleton Arabic script would write, and the better figure counts);
// the result is the mean over the shorter name's tokens less
// ExtraTokenPenalty per unpaired token. Equal names after folding give 1,
// an empty name 0. Phonetic keys play no part: see Score.
func Similarity(a, b string) float64 { return Parse(a).Similarity(Parse(b)) }

// Similarity is the function Similarity on parsed names.
func (n Name) Similarity(o Name) float64 {
	return align(n.toks, o.toks, tokenSimilarity, nil)
}

// Score returns a ranking score in [0, 1] of a candidate name for a query,
// for "best first" name search: like Similarity, except that a token pair
// sharing a phonetic key scores at least KeyFloor (plus up to
// 1 - ExactMargin - KeyFloor in proportion to their similarity), a pair
// sharing none at most KeyFloor times its similarity, and only tokens equal
// after folding score 1. Every spelling variant of the query found
// by its keys thus ranks above every name that is merely similar.
func Score(query, candidate string) float64 { return Parse(query).Score(Parse(candidate)) }

// Score is the function Score on parsed names.
func (n Name) Score(candidate Name) float64 {
	return align(n.toks, candidate.toks, tokenScore, nil)
}

func tokenSimilarity(a, b *token) float64 {
	if a.folded == b.folded {
		return 1
	}
	s := JaroWinkler(a.latin, b.latin)
	switch {
	case a.arabic && !b.arabic:
		s = max(s, JaroWinkler(a.latin, b.skel))
	case b.arabic && !a.arabic:
		s = max(s, JaroWinkler(a.skel, b.latin))
	}
	return s
}

func tokenScore(a, b *token) float64 {
	if a.folded == b.folded {
		return 1
	}
	s := tokenSimilarity(a, b)
	if shareKey(a.keys, b.keys) {
		return KeyFloor + (1-ExactMargin-KeyFloor)*s
	}
	return KeyFloor * s
}

// shareKey reports whether two key lists have a key in common (the lists are
// short: a linear scan beats a map).
func shareKey(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// align pairs each token of the shorter list with a distinct token of the
// longer, best pair first, and returns the mean pair score less the penalty
// for unpaired tokens. When pairs is not nil, the chosen pairs are appended
// to it as (index in a, index in b).
func align(a, b []token, score func(x, y *token) float64, pairs *[][2]int) float64 {
	a = a[:min(len(a), MaxCompareTokens)]
	b = b[:min(len(b), MaxCompareTokens)]
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	na, nb := len(a), len(b)
	var buf [MaxCompareTokens * MaxCompareTokens]float64
	m := buf[:na*nb]
	for i := range a {
		for j := range b {
			m[i*nb+j] = score(&a[i], &b[j])
		}
	}
	return alignScores(na, nb, m, pairs)
}

// alignScores is align once the pairs' scores are known: m[i*nb+j] for
// token i of the first name and j of the second (na, nb > 0).
func alignScores(na, nb int, m []float64, pairs *[][2]int) float64 {
	var usedA, usedB [MaxCompareTokens]bool
	k := min(na, nb)
	sum := 0.0
	for range k {
		bi, bj, best := -1, -1, -1.0
		for i := range na {
			if usedA[i] {
				continue
			}
			for j := range nb {
				if !usedB[j] && m[i*nb+j] > best {
					bi, bj, best = i, j, m[i*nb+j]
				}
			}
		}
		usedA[bi], usedB[bj] = true, true
		sum += best
		if pairs != nil {
			*pairs = append(*pairs, [2]int{bi, bj})
		}
	}
	s := sum/float64(k) - ExtraTokenPenalty*float64(max(na, nb)-k)
	return min(max(s, 0), 1)
}

// CompareTokens returns how many of the name's tokens Similarity, Score
// and Compare look at (at most MaxCompareTokens).
func (n Name) CompareTokens() int { return min(len(n.toks), MaxCompareTokens) }

// Token returns the name's token i (i below CompareTokens), as Tokens has
// it, without allocating.
func (n Name) Token(i int) string { return n.toks[i].folded }

// TokenSimilarity returns the similarity Similarity gives to the pair of
// n's token i and o's token j (i, j below CompareTokens).
func (n Name) TokenSimilarity(i int, o Name, j int) float64 {
	return tokenSimilarity(&n.toks[i], &o.toks[j])
}

// AppendToken appends to b what TokenSimilarity reads of token i: tokens
// with equal bytes have equal similarities with every token (a caller
// comparing many names may compute each once).
func (n Name) AppendToken(b []byte, i int) []byte {
	t := &n.toks[i]
	b = appendString(b, t.folded)
	b = appendString(b, t.latin)
	b = appendString(b, t.skel)
	if t.arabic {
		return append(b, 1)
	}
	return append(b, 0)
}

// SimilarityOf returns Similarity of two names of na and nb tokens
// (CompareTokens, both above 0) whose token pairs' similarities
// (TokenSimilarity) are scores[i*nb+j]: the same figure, for a caller that
// knows the pairs' similarities already.
func SimilarityOf(na, nb int, scores []float64) float64 {
	return alignScores(na, nb, scores, nil)
}

// JaroWinkler returns the Jaro-Winkler similarity of two strings, compared
// rune by rune: 1 for equal strings, 0 when one is empty and the other not
// or nothing matches. The prefix bonus follows WinklerPrefixScale,
// WinklerMaxPrefix and WinklerBoostThreshold.
func JaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	var bufA, bufB [MaxCompareRunes]rune
	ra, rb := appendRunes(bufA[:0], a), appendRunes(bufB[:0], b)
	j := jaro(ra, rb)
	if j <= WinklerBoostThreshold {
		return j
	}
	l := 0
	for l < WinklerMaxPrefix && l < len(ra) && l < len(rb) && ra[l] == rb[l] {
		l++
	}
	return j + float64(l)*WinklerPrefixScale*(1-j)
}

func appendRunes(dst []rune, s string) []rune {
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		dst = append(dst, r)
		s = s[size:]
	}
	return dst
}

func jaro(a, b []rune) float64 {
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	window := max(max(la, lb)/2-1, 0)
	var fa, fb [MaxCompareRunes]bool
	var ma, mb []bool
	if la <= len(fa) && lb <= len(fb) {
		ma, mb = fa[:la], fb[:lb]
	} else {
		ma, mb = make([]bool, la), make([]bool, lb)
	}
	matches := 0
	for i := range a {
		for j := max(0, i-window); j <= min(lb-1, i+window); j++ {
			if !mb[j] && a[i] == b[j] {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	half, k := 0, 0
	for i := range a {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if a[i] != b[k] {
			half++
		}
		k++
	}
	m := float64(matches)
	return (m/float64(la) + m/float64(lb) + (m-float64(half)/2)/m) / 3
}
