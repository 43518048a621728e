package matching

import "math"

// Term frequencies of places (a location comparison with TermFrequency):
// agreeing on a small settlement is rarer by chance than agreeing on a
// camp of 40,000, and a child of a large camp's district has more
// look-alikes who share it. For such a comparison the estimator counts the
// cases within each place (TF[code]: their place is the code or under it)
// and at each place itself (TF[placeExactKey(code)]); a trace's place that
// agrees at a level gets as u the share of the cases that would fall at
// that level against it (placeShare), shrunk towards the level's u.

// placeExactKey is the key of the share of cases whose place is code
// itself (not a place under it).
func placeExactKey(code string) string { return "=" + code }

// PlacePseudoCases is how many cases the level's u counts for against a
// place's own share (placeLogU): in a tenant of a few hundred cases a
// place's share is mostly chance.
const PlacePseudoCases = 50

// placeLogU is log u of comparison i's level l for the trace's places that
// agreed at it (shared: their codes, compare): the largest of their shares
// (placeShare), shrunk towards the level's u (shrinkPlace).
func (m *Matcher) placeLogU(i int, l uint8, shared [][]string) float64 {
	if m.locs == nil || len(shared) == 0 {
		return m.logU[i][l]
	}
	f, found := 0.0, false
	for _, code := range shared {
		if path := m.locs.Path(code[0]); len(path) > 0 {
			f, found = max(f, placeShare(m.p.Comparisons[i].TF, m.cfg.Comparisons[i].LocationLevels, path, l)), true
		}
	}
	if !found {
		return m.logU[i][l] // codes the hierarchy does not resolve: the level's u
	}
	return m.shrinkPlace(i, l, f)
}

// placeLogUAt is placeLogU for a case's place: the trace's places (paths)
// that agree with it at level l.
func (m *Matcher) placeLogUAt(i int, l uint8, paths [][]Place, place []Place) float64 {
	levels := m.cfg.Comparisons[i].LocationLevels
	f := 0.0
	for _, a := range paths {
		if locationLevel(levels, a, place) == l {
			f = max(f, placeShare(m.p.Comparisons[i].TF, levels, a, l))
		}
	}
	return m.shrinkPlace(i, l, f)
}

// shrinkPlace is log of a level's share f among the cases, shrunk towards
// the level's u by PlacePseudoCases.
func (m *Matcher) shrinkPlace(i int, l uint8, f float64) float64 {
	cases := 1 / m.p.Comparisons[i].TFFloor
	u := math.Exp(m.logU[i][l])
	return math.Log((f*cases + PlacePseudoCases*u) / (cases + PlacePseudoCases))
}

// placeShare is the share of cases that compare at level l (locationLevel)
// with the place of path, from the shares within and at each place (tf):
// for "same", those at the place itself; for a configured level, those
// whose deepest place in common with it (a place of path, not the place
// itself when they are at it) is of an admin level that falls at l.
func placeShare(tf map[string]float64, levels []LocationLevel, path []Place, l uint8) float64 {
	last := len(path) - 1
	exact := tf[placeExactKey(path[last].Code)]
	if int(l) == len(levels)+2 {
		return exact
	}
	share := 0.0
	for j, p := range path {
		next := exact // under the place itself, not at it
		if j < last {
			next = tf[path[j+1].Code]
		}
		if levelOfCommon(levels, p.AdminLevel) == l {
			share += max(0, tf[p.Code]-next)
		}
	}
	return share
}

// levelOfCommon is the level of two different places whose deepest common
// place has the given admin level (locationLevel).
func levelOfCommon(levels []LocationLevel, admin int) uint8 {
	best := uint8(lvDifferent)
	for i, l := range levels {
		if admin >= l.AdminLevel {
			best = uint8(i + 2)
		}
	}
	return best
}

// placeLow is the least log u that comparison i's agreeing levels can get
// for the trace's places (tfLow).
func (m *Matcher) placeLow(i int, v *value) float64 {
	low := 0.0
	levels := m.cfg.Comparisons[i].LocationLevels
	for _, path := range v.paths {
		for l := uint8(lvDifferent + 1); int(l) < len(m.logU[i]); l++ {
			low = min(low, m.shrinkPlace(i, l, placeShare(m.p.Comparisons[i].TF, levels, path, l)))
		}
	}
	return low
}
