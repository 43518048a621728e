package matching

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPlaceShares: a trace's place gets, at each level, the share of the
// cases that would compare with it at that level: ten cases, three at camp
// c1 and two at camp c2 of district d1, one at d1 itself (its camp not
// known), four at camp c3 of district d2, all in region r.
func TestPlaceShares(t *testing.T) {
	levels := []LocationLevel{{Name: "same_region", AdminLevel: 1}, {Name: "same_district", AdminLevel: 2}}
	const region, district, same = 2, 3, 4
	tf := map[string]float64{}
	add := func(n float64, path ...string) {
		tf[placeExactKey(path[len(path)-1])] += n / 10
		for _, code := range path {
			tf[code] += n / 10
		}
	}
	add(3, "r", "d1", "c1")
	add(2, "r", "d1", "c2")
	add(1, "r", "d1")
	add(4, "r", "d2", "c3")
	path := func(codes ...string) []Place {
		var p []Place
		for i, c := range codes {
			p = append(p, Place{Code: c, AdminLevel: i + 1})
		}
		return p
	}
	for _, c := range []struct {
		place                []Place
		same, dist, inRegion float64
	}{
		// c1's own three; d1's other three (c2's two and d1's one); d2's four
		{path("r", "d1", "c1"), 0.3, 0.3, 0.4},
		// d1's one; the five in its camps; d2's four
		{path("r", "d1"), 0.1, 0.5, 0.4},
		// no case at c4, a camp of d2: d2's four, then d1's six
		{path("r", "d2", "c4"), 0, 0.4, 0.6},
		// a region compares its cases at "same_region" only
		{path("r"), 0, 0, 1},
	} {
		require.InDelta(t, c.same, placeShare(tf, levels, c.place, same), 1e-9, "same: %v", c.place)
		require.InDelta(t, c.dist, placeShare(tf, levels, c.place, district), 1e-9, "same_district: %v", c.place)
		require.InDelta(t, c.inRegion, placeShare(tf, levels, c.place, region), 1e-9, "same_region: %v", c.place)
	}
}
