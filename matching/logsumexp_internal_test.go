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
	pairs := [][2]float64{{inf, inf}, {inf, 3}, {-2.5, inf}, {1, 1}, {0, 0}, {-700, 5}, {40, -40}, {0, -36.7}, {0, -37.01},
		{1e-3, 1e-3 - 37.5}, {-1e-300, -36.9}, {5, 5 - 36.99}}
	for range 10000 {
		pairs = append(pairs, [2]float64{rnd.NormFloat64() * 20, rnd.NormFloat64() * 20})
		x := rnd.NormFloat64() * 10 // about the shortcut's edge, 37 nats apart
		pairs = append(pairs, [2]float64{x, x - 36 - 2*rnd.Float64()})
	}
	for _, p := range pairs {
		want := logSumExp(p[0], p[1])
		require.Equal(t, math.Float64bits(want), math.Float64bits(logSumExp2(p[0], p[1])), "%v", p)
		require.Equal(t, math.Float64bits(want), math.Float64bits(logSumExp2(p[1], p[0])), "%v reversed", p)
	}
}
