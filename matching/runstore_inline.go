package matching

import (
	"slices"
	"time"
)

// The ages and the categories of a RunStore (docs/matching-log.md, Speed →
// Session 36 (engineer S)). A candidate whose age or community's categories
// the trace had not met read its value through the store's pointer to it
// and then the value itself (about 370 bytes, cold: `present` first, the
// age or the sets far into it, the sets' strings behind them), a chain of
// dependent random reads for 0.45 of the candidates (Speed → Session 35
// (engineer D)). The store now keeps each such value again inline, in one
// entry of an array read at the value's index: an age as its fields (one
// cache line), a value of the categories as the index of each field's
// string (16 bytes for four fields). The pre-score asks for the entry with
// the candidate's other reads ahead (prefetchAhead), and compares what
// compare would: the same level, and the level's contribution (no term
// frequencies, the condition of both).

// storedAge is an age value as the store keeps it inline: 64 bytes, one
// cache line (the array is page-aligned).
type storedAge struct {
	dob, ref                           time.Time
	age                                float64
	present, hasDOB, estimated, hasAge bool
}

// byAge says whether comparison c's values can be held as storedAges: an
// age comparison without term frequencies (a level's contribution is then
// the level's alone).
func byAge(c Comparison) bool { return c.Kind == KindAge && !c.TermFrequency }

func newStoredAge(v *value) storedAge {
	a := &v.age
	return storedAge{dob: a.dob, ref: a.ref, age: a.age, present: v.present, hasDOB: a.hasDOB, estimated: a.estimated, hasAge: a.hasAge}
}

// storedAgeContribution is contribution(i, trace, tv, the value a holds)
// for an age comparison held as storedAges.
func (m *Matcher) storedAgeContribution(i int, tv *value, a *storedAge) preContribution {
	if !tv.present || !a.present {
		return preContribution{}
	}
	cv := ageValue{dob: a.dob, hasDOB: a.hasDOB, estimated: a.estimated, age: a.age, hasAge: a.hasAge, ref: a.ref}
	return m.levelOrMissing(i, compareAges(&tv.age, &cv))
}

// storeCats are the values of a categories comparison (without term
// frequencies) of a RunStore: each value's fields as the indexes of their
// strings, width slots per value (the comparison's fields), catNone for a
// field without a value; a value of a field with more than one string, or
// with more fields, has catsMore in its first slot and is compared from
// the value itself.
type storeCats struct {
	width int
	slots []int32
	// ids: a string's index (kept after Done: a trace's strings are looked
	// up in it, a few per trace; a tenant has a few hundred)
	ids map[string]int32
}

const (
	catNone  = -1 // storeCats.slots: the field has no value
	catsMore = -3 // storeCats.slots: compared from the value
)

// byCats says whether comparison c's values can be held in storeCats.
func byCats(c Comparison) bool { return c.Kind == KindCategories && !c.TermFrequency }

func newStoreCats(c Comparison) *storeCats {
	return &storeCats{width: len(c.Case.Fields), ids: map[string]int32{}}
}

// add appends a value's slots (the value of index len(slots)/width).
func (sc *storeCats) add(v *value) {
	from := len(sc.slots)
	for range sc.width {
		sc.slots = append(sc.slots, catNone)
	}
	row := sc.slots[from:]
	if len(v.sets) > sc.width {
		row[0] = catsMore
		return
	}
	for f, set := range v.sets {
		switch len(set) {
		case 0:
			continue
		case 1:
		default:
			clear(row)
			row[0] = catsMore
			return
		}
		id, ok := sc.ids[set[0]]
		if !ok {
			id = int32(len(sc.ids))
			sc.ids[set[0]] = id
		}
		row[f] = id
	}
}

// catsMemo is one goroutine's copy of a trace's categories as the store's
// indexes (valid where gen is the trace's): per field, whether the trace
// has a value, and the indexes of its strings the store holds.
type catsMemo struct {
	gen uint32
	has []bool
	ids [][]int32
}

// of fills the memo with tv's fields, unless it holds them for gen.
func (cm *catsMemo) of(sc *storeCats, tv *value, gen uint32) {
	if cm.gen == gen {
		return
	}
	cm.gen = gen
	cm.has = slices.Grow(cm.has[:0], len(tv.sets))[:len(tv.sets)]
	for len(cm.ids) < len(tv.sets) {
		cm.ids = append(cm.ids, nil)
	}
	for f, set := range tv.sets {
		cm.has[f] = len(set) > 0
		cm.ids[f] = cm.ids[f][:0]
		for _, x := range set {
			if id, ok := sc.ids[x]; ok {
				cm.ids[f] = append(cm.ids[f], id)
			}
		}
	}
}

// storedCats is contribution(i, trace, tv, the store's value at) for a
// categories comparison held in storeCats (values: the comparison's values,
// read only when at's slots say catsMore).
func (m *Matcher) storedCats(i int, sc *storeCats, tv *value, at int32, cm *catsMemo, gen uint32, values []*value) preContribution {
	row := sc.slots[int(at)*sc.width : int(at+1)*sc.width]
	if row[0] == catsMore {
		return m.levelOrMissing(i, compare(&m.cfg.Comparisons[i], tv, values[at], nil, nil))
	}
	if !tv.present {
		return preContribution{}
	}
	cm.of(sc, tv, gen)
	present, equal := 0, 0
	for f := range min(len(cm.has), sc.width) {
		if !cm.has[f] || row[f] == catNone {
			continue
		}
		present++
		if slices.Contains(cm.ids[f], row[f]) {
			equal++
		}
	}
	return m.levelOrMissing(i, categoriesLevel(present, equal))
}

// levelOrMissing is levelContribution, or none for a missing comparison
// (as contribution gives it).
func (m *Matcher) levelOrMissing(i int, l uint8) preContribution {
	if l == lvMissing {
		return preContribution{}
	}
	return m.levelContribution(i, l)
}
