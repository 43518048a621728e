package names

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestJaroWinkler(t *testing.T) {
	t.Parallel()
	// Reference figures from Winkler's papers and the usual test pairs.
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"MARTHA", "MARHTA", 0.961},
		{"DWAYNE", "DUANE", 0.840},
		{"DIXON", "DICKSONX", 0.813},
		{"JELLYFISH", "SMELLYFISH", 0.896},
		{"CRATE", "TRACE", 0.733},
		{"abc", "abc", 1},
		{"", "", 1},
		{"", "a", 0},
		{"abc", "xyz", 0},
		{"محمد", "محمود", 0.953},
	} {
		got := JaroWinkler(tc.a, tc.b)
		require.InDelta(t, tc.want, got, 0.0005, "%s / %s", tc.a, tc.b)
		require.InDelta(t, got, JaroWinkler(tc.b, tc.a), 1e-12, "symmetric: %s / %s", tc.a, tc.b)
	}
	// Longer than the stack buffers: still correct.
	long := string(make([]byte, 200))
	require.Equal(t, 1.0, JaroWinkler(long, long))
	require.InDelta(t, 0.0, JaroWinkler(long, "x"), 1e-12)
}

func TestSimilarity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b     string
		min, max float64
	}{
		{"Mohamed", "MOHAMED", 1, 1},
		{"Mohamed", "Mohammed", 0.95, 1},
		{"Mohamed", "محمد", 0.99, 1}, // the skeleton of Mohamed is what Arabic writes
		{"Yusuf", "Youssouf", 0.85, 0.95},
		{"Hussein", "Husein", 0.95, 1},
		{"Mohamed Ali", "Ali Mohamed", 1, 1}, // order does not matter
		{"Mohamed", "Mohamed Ali", 0.98, 0.99},
		{"Mohamed", "Zainab", 0, 0.5},
		{"", "Mohamed", 0, 0},
		{"Mohamed", "---", 0, 0},
	} {
		got := Similarity(tc.a, tc.b)
		require.GreaterOrEqual(t, got, tc.min, "%s / %s", tc.a, tc.b)
		require.LessOrEqual(t, got, tc.max, "%s / %s", tc.a, tc.b)
		require.InDelta(t, got, Similarity(tc.b, tc.a), 1e-12, "symmetric: %s / %s", tc.a, tc.b)
	}
}

// TestScoreVariantsAboveDistractors checks, for every group of spellings,
// that each spelling scores a fellow spelling above each name of distractors
// (different names that look alike: the negatives of the key tests and the
// other groups' spellings).
func TestScoreVariantsAboveDistractors(t *testing.T) {
	t.Parallel()
	var everyone []string
	for _, g := range variantGroups {
		everyone = append(everyone, g.spelling...)
	}
	for _, p := range distinctPairs {
		everyone = append(everyone, p[0], p[1])
	}
	parsed := make(map[string]Name, len(everyone))
	for _, n := range everyone {
		parsed[n] = Parse(n)
	}
	for _, g := range variantGroups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			for _, q := range g.spelling {
				pq := parsed[q]
				worstVariant := 1.0
				for _, v := range g.spelling {
					worstVariant = min(worstVariant, pq.Score(parsed[v]))
				}
				require.GreaterOrEqual(t, worstVariant, KeyFloor, q)
				for _, d := range everyone {
					if slices.Contains(g.spelling, d) || sameName(q, d) {
						continue
					}
					require.Less(t, pq.Score(parsed[d]), worstVariant, "query %s: distractor %s", q, d)
				}
			}
		})
	}
}

// sameName reports whether two names belong to one variant group (a
// distractor list may repeat a spelling from the group under test).
func sameName(a, b string) bool {
	for _, g := range variantGroups {
		if slices.Contains(g.spelling, a) && slices.Contains(g.spelling, b) {
			return true
		}
	}
	return Fold(a) == Fold(b)
}

// TestSimilarityDistinctNamesBelowVariants checks the pairs that the keys
// keep apart also with string similarity alone, where a variant of the
// first name is known: Mahmoud scores lower against Mohamed than Mohammed
// does, Alia lower against Ali than Aly does.
func TestScoreDistinctNamesBelowVariants(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		query, variant, other string
	}{
		{"Mohamed", "Muhammad", "Mahmoud"},
		{"Mohamed", "محمد", "محمود"},
		{"Mohamed", "Muhammad", "Mohamud"},
		{"Ahmed", "Ahmad", "Hamid"},
		{"Ali", "Aly", "Alia"},
		{"Ali", "علي", "Alia"},
		{"Hussein", "Hussain", "Hassan"},
		{"Hussein", "حسين", "حسن"},
		{"Hassan", "Hasan", "Hussein"},
		{"Jean", "Jean", "John"},
	} {
		v, o := Score(tc.query, tc.variant), Score(tc.query, tc.other)
		require.Greater(t, v, o, "%s: %s %.3f vs %s %.3f", tc.query, tc.variant, v, tc.other, o)
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want Level
	}{
		{"Mohamed Ali", "MOHAMED  ALI", Exact},
		{"Ali Hassan", "Hassan, Ali", Exact},
		{"Abdul Rahman", "Abdulrahman", Exact},
		{"Aïcha", "Aicha", Exact},
		{"Mohamed", "محمد", Phonetic},
		{"Mohamed Ali", "محمد علي", Phonetic},
		{"Abdirahman", "عبد الرحمن", Phonetic},
		{"Yusuf", "Youssouf", Phonetic},
		{"Fatima", "Fatima Hassan", Phonetic}, // every token of the shorter name
		{"Mohamed", "Mohaned", Close},         // a typo: another key
		{"Mohamed", "Mahmoud", Different},
		{"Hassan", "Hussein", Different},
		{"Ali", "Alia", Close},
		{"Mohamed", "Mohannad", Similar},
		{"Mohamed", "Zainab", Different},
		{"", "Mohamed", Missing},
		{"Mohamed", " - ", Missing},
	} {
		got := Compare(tc.a, tc.b)
		require.Equal(t, tc.want, got, "%s / %s: %s", tc.a, tc.b, got)
		require.Equal(t, got, Compare(tc.b, tc.a), "symmetric: %s / %s", tc.a, tc.b)
	}
}

func TestLevelString(t *testing.T) {
	t.Parallel()
	var got []string
	for l := Missing; l <= Exact; l++ {
		got = append(got, l.String())
	}
	require.Equal(t, []string{"missing", "different", "similar", "close", "phonetic", "exact"}, got)
	require.Equal(t, "unknown", Level(42).String())
	require.Equal(t, "phonetic", fmt.Sprint(Phonetic))
}

func TestParseMatchesFunctions(t *testing.T) {
	t.Parallel()
	names := []string{"Mohamed Ali", "عبد الرحمن", "Nour Eddine", "", "Ahmed bin Ali"}
	for _, a := range names {
		pa := Parse(a)
		require.Equal(t, Keys(a), pa.Keys())
		require.Equal(t, len(Tokens(a)), len(pa.Tokens()))
		require.Equal(t, len(Tokens(a)) == 0, pa.Empty())
		for _, b := range names {
			pb := Parse(b)
			require.Equal(t, Similarity(a, b), pa.Similarity(pb))
			require.Equal(t, Score(a, b), pa.Score(pb))
			require.Equal(t, Compare(a, b), pa.Compare(pb))
		}
	}
	var zero Name
	require.True(t, zero.Empty())
	require.Equal(t, Missing, zero.Compare(Parse("Ali")))
}

func TestTokenKeys(t *testing.T) {
	t.Parallel()
	n := Parse("Mohamed عبد الرحمن Mahmoud")
	require.Equal(t, []string{"mohamed", "عبدالرحمن", "mahmoud"}, n.Tokens())
	tk := n.TokenKeys()
	require.Len(t, tk, 3)
	require.Equal(t, Keys("Mohamed"), tk[0])
	require.Equal(t, []string{"VBDRHMN"}, tk[1])
	require.Equal(t, []string{"MHMUD"}, tk[2])
	var all []string
	for _, k := range tk {
		all = append(all, k...)
	}
	slices.Sort(all)
	require.Equal(t, n.Keys(), slices.Compact(all))
	tk[0][0] = "changed"
	require.Equal(t, Keys("Mohamed"), n.TokenKeys()[0], "a copy")
	require.Empty(t, Name{}.TokenKeys())
}

// TestSimilarityOfTokenSimilarities: Similarity from the token pairs'
// similarities (what a caller memoising them per token computes) is
// Similarity to the bit, for Latin, Arabic and mixed names of one to
// several tokens; tokens with equal AppendToken bytes have equal
// similarities.
func TestSimilarityOfTokenSimilarities(t *testing.T) {
	t.Parallel()
	all := []string{"Mohamed Ali", "محمد علي", "Ali Hassan Mohamed", "HASSAN ALI", "Abdul Rahman", "Youssouf",
		"Yusuf Abdi", "Fatuma Nur", "Faduma Noor", "عبد الرحمن حسن", "Amina", "Aminah Hassan Ali Omar", "Nour ad-Din"}
	for _, a := range all {
		for _, b := range all {
			na, nb := Parse(a), Parse(b)
			ka, kb := na.CompareTokens(), nb.CompareTokens()
			scores := make([]float64, ka*kb)
			for i := range ka {
				for j := range kb {
					scores[i*kb+j] = na.TokenSimilarity(i, nb, j)
				}
			}
			require.Equal(t, na.Similarity(nb), SimilarityOf(ka, kb, scores), "%s / %s", a, b)
		}
	}
	x, y := Parse("Hassan Ali"), Parse("Ali HASSAN")
	require.Equal(t, x.AppendToken(nil, 0), y.AppendToken(nil, 1))
	require.NotEqual(t, x.AppendToken(nil, 0), x.AppendToken(nil, 1))
	require.Equal(t, x.TokenSimilarity(0, Parse("Hasan"), 0), y.TokenSimilarity(1, Parse("Hasan"), 0))
}
