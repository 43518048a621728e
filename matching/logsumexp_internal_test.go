package matching

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLogSumExp2IsLogSumExp: the two-term form gives logSumExp's bits, in
// either order, with equal terms and with a term of -Inf.
func TestLogSumExp2IsLogSumExp(t *testing.T) {
	rnd := rand.New(rand.NewPCG(2, 57))
	inf := math.Inf(-1)
	pairs := [][2]float64{{inf, inf}, {inf, 3}, {-2.5, inf}, {1, 1}, {0, 0}, {-700, 5}, {40, -40}}
	for range 10000 {
		pairs = append(pairs, [2]float64{rnd.NormFloat64() * 20, rnd.NormFloat64() * 20})
	}
	for _, p := range pairs {
		want := logSumExp(p[0], p[1])
		require.Equal(t, math.Float64bits(want), math.Float64bits(logSumExp2(p[0], p[1])), "%v", p)
		require.Equal(t, math.Float64bits(want), math.Float64bits(logSumExp2(p[1], p[0])), "%v reversed", p)
	}
}
