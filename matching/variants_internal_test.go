package matching

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLearnVariantsAboveChanceOnly: among the likely pairs whose given
// names compare different, a pair of rare spellings seen four times is
// learned; two common names seen three times are what their shares among
// the cases make chance (not learned), and a pair seen twice is too few.
func TestLearnVariantsAboveChanceOnly(t *testing.T) {
	t.Parallel()
	var found [][2]*pname
	add := func(a, b string, n int) {
		for range n {
			pa, pb := parseName(a), parseName(b)
			found = append(found, [2]*pname{&pa, &pb})
		}
	}
	add("Fatima", "Faadumo", 3)
	add("Faadumo", "Fatima", 1) // either side
	add("Mohamed", "Ahmed", 3)
	add("Jean", "John", 2)
	for _, p := range [][2]string{{"Halima", "Zeinab"}, {"Amina", "Hawa"}, {"Deng", "Garang"}, {"Musa", "Issa"},
		{"Khadija", "Asha"}, {"Nyakuoth", "Nyaboth"}, {"Abdi", "Yusuf"}, {"Ali", "Omar"}} {
		add(p[0], p[1], 1)
	}
	parts := map[string]int{"fatima": 40, "faadumo": 25, "mohamed": 2500, "ahmed": 1500, "jean": 10, "john": 10}
	require.Equal(t, [][2]string{{"faadumo", "fatima"}}, learnVariants(found, parts, 10_000))
	// more of the common pair than chance makes: learned too
	add("Ahmed", "Mohamed", 40)
	require.Equal(t, [][2]string{{"ahmed", "mohamed"}, {"faadumo", "fatima"}}, learnVariants(found, parts, 10_000))
	require.Empty(t, learnVariants(nil, parts, 10_000))
}
