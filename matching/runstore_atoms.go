package matching

import (
	"math"
	"strings"
	"time"
)

// The places and dates of a RunStore (docs/matching-log.md, Speed → Session
// 27). A case's places (where it lives and was separated) and dates come
// in many combinations, so the pre-score's memo of values misses for
// about four in ten candidates of a trace, and each miss read the value,
// its paths and their codes from memory. But a tenant has few places and
// dates: the store keeps each value of a location or date comparison as
// the indexes of its places or dates, and the pre-score takes the best
// level over them from a memo per trace of each place's level (each
// date's distance in days) against the trace's: what compare does, without
// reading the value. Only for comparisons without term frequencies, whose
// contribution is the level's.

// storeAtoms are the places or dates of one comparison of a RunStore.
type storeAtoms struct {
	kind Kind
	// ids holds each value's places or dates, from start[v] to start[v+1];
	// a value that is not present has the single index notPresent.
	ids   []int32
	start []int32
	// two holds each value's places or dates again when it has one or two
	// (most values: a case's current place and where it was separated, one
	// date), value after value, the second atomNone when there is one;
	// atomsMore for a value with more (read from ids). The pre-score reads
	// a candidate's in one random read, where start and then ids were two
	// dependent ones (docs/matching-log.md, Speed → Session 35 (engineer D)).
	two []int32
	// paths (locations) or dates, by index; index finds a place by its
	// path's codes (and relation), a date by its instant, while cases are
	// added. rels holds each place's relation (a comparison with a
	// RelationField; nil for the others).
	paths [][]Place
	rels  []string
	dates []time.Time
	index map[string]int32
	dayAt map[int64]int32
}

func newStoreAtoms(k Kind) *storeAtoms {
	return &storeAtoms{kind: k, start: []int32{0}, index: map[string]int32{}, dayAt: map[int64]int32{}}
}

// byAtoms says whether comparison c's values can be held as places or
// dates: its kind, and no term frequencies for dates (a level's
// contribution is then the level's alone; a place's with term frequencies
// is memoised with its level).
func byAtoms(c Comparison) bool {
	return c.Kind == KindLocation || c.Kind == KindDate && !c.TermFrequency
}

// add appends a value's places or dates (the value of index len(start)-1).
func (sa *storeAtoms) add(v *value) {
	switch {
	case !v.present:
		sa.ids = append(sa.ids, notPresent)
	case sa.kind == KindLocation:
		for k, p := range v.paths {
			codes := make([]string, len(p), len(p)+1)
			for j := range p {
				codes[j] = p[j].Code
			}
			rel := ""
			if v.pathRels != nil {
				rel = v.pathRels[k]
				codes = append(codes, "\x01"+rel)
			}
			key := strings.Join(codes, "\x00")
			at, ok := sa.index[key]
			if !ok {
				at = int32(len(sa.paths))
				sa.index[key] = at
				sa.paths = append(sa.paths, p)
				if v.pathRels != nil && sa.rels == nil {
					sa.rels = make([]string, len(sa.paths)-1, len(sa.paths))
				}
				if sa.rels != nil {
					sa.rels = append(sa.rels, rel)
				}
			}
			sa.ids = append(sa.ids, at)
		}
	default:
		for _, d := range v.dates {
			ns := d.UnixNano() // dates are read as time.Unix(0, ns): exact
			at, ok := sa.dayAt[ns]
			if !ok {
				at = int32(len(sa.dates))
				sa.dayAt[ns] = at
				sa.dates = append(sa.dates, d)
			}
			sa.ids = append(sa.ids, at)
		}
	}
	sa.start = append(sa.start, int32(len(sa.ids)))
	switch ids := sa.ids[sa.start[len(sa.start)-2]:]; len(ids) {
	case 1:
		sa.two = append(sa.two, ids[0], atomNone)
	case 2:
		sa.two = append(sa.two, ids[0], ids[1])
	default:
		sa.two = append(sa.two, atomsMore, atomsMore)
	}
}

const (
	atomNone  = -1 // storeAtoms.two: no second place or date
	atomsMore = -3 // storeAtoms.two: more than two, in ids
)

// of returns the places or dates of value at (a value not present has the
// single notPresent).
func (sa *storeAtoms) of(at int32) []int32 {
	two := sa.two[2*at : 2*at+2]
	switch {
	case two[0] == atomsMore:
		return sa.ids[sa.start[at]:sa.start[at+1]]
	case two[1] == atomNone:
		return two[:1]
	}
	return two
}

// atomMemo is one goroutine's memo of a trace's places' level or dates'
// distance against each place or date of one comparison (valid where the
// stamp is the trace's gen).
type atomMemo struct {
	e []atomEntry
}

// atomEntry is one place's or date's memo, its stamp beside it (one cache
// line per lookup).
type atomEntry struct {
	// dates: the least distance in days to the trace's; locations with
	// term frequencies: log u of level (placeLogU)
	x     float64
	stamp uint32
	level uint8 // locations: the best level of the trace's paths
}

func newAtomMemo(sa *storeAtoms) *atomMemo {
	if sa.kind == KindLocation {
		return &atomMemo{e: make([]atomEntry, len(sa.paths))}
	}
	return &atomMemo{e: make([]atomEntry, len(sa.dates))}
}

// storedAtoms is contribution(i, trace, tv, the store's value at) for a
// location or date comparison without term frequencies: compare's level
// (the best over the value's places or dates) and its log likelihoods.
func (m *Matcher) storedAtoms(i int, sa *storeAtoms, tv *value, at int32, am *atomMemo, gen uint32) preContribution {
	ids := sa.of(at)
	if len(ids) > 0 && ids[0] == notPresent {
		return preContribution{}
	}
	if sa.kind == KindLocation {
		cmp := &m.cfg.Comparisons[i]
		tf := cmp.TermFrequency && m.p.Comparisons[i].TF != nil
		best, lu := uint8(lvMissing), math.Inf(-1)
		for _, id := range ids {
			e := &am.e[id]
			if e.stamp != gen {
				l := uint8(lvMissing) // another relative's place (value.otherRelation)
				if sa.rels == nil || tv.rel == "" || sa.rels[id] == "" || sa.rels[id] == tv.rel {
					l = 1
					for _, a := range tv.paths {
						l = max(l, locationLevel(cmp.LocationLevels, a, sa.paths[id]))
					}
				}
				e.stamp, e.level = gen, l
				if tf && l > lvDifferent {
					e.x = m.placeLogUAt(i, l, tv.paths, sa.paths[id])
				}
			}
			if e.level > best {
				best, lu = e.level, e.x
			} else if e.level == best {
				lu = max(lu, e.x)
			}
		}
		if best == lvMissing {
			return preContribution{}
		}
		c := m.levelContribution(i, best)
		if tf && best > lvDifferent {
			c.luOut, c.luWithin = lu, lu
		}
		return c
	}
	best := math.MaxFloat64
	for _, id := range ids {
		e := &am.e[id]
		if e.stamp != gen {
			d := math.MaxFloat64
			b := sa.dates[id]
			for _, a := range tv.dates {
				d = min(d, math.Abs(a.Sub(b).Hours()/24))
			}
			e.stamp, e.x = gen, d
		}
		best = min(best, e.x)
	}
	return m.levelContribution(i, dateLevel(best))
}
