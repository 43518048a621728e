package matching

import "unsafe"

// The ages and the categories of a RunStore side by side (docs/matching-log.md,
// Speed → Session 57). A tenant has a few thousand distinct ages (a date of
// birth, an age and whether it is estimated) and about a thousand
// combinations of nationality, language, religion and ethnicity, so a
// trace's candidates bring hundreds of values its memo has not met. Each
// such value was compared through its decoded value: a struct of about 400
// bytes somewhere in the heap, and for the categories the codes behind two
// more pointers, each a cache miss. The store keeps these values again,
// compactly and side by side: each age in 72 bytes of one array, each
// combination of categories as one bit per code per field. Compared from
// there, the levels are compare's.

// storeScalars holds the values of one age or categories comparison of a
// RunStore, by the index of the value.
type storeScalars struct {
	kind Kind
	// ages holds each age value (KindAge)
	ages []storedAge
	// KindCategories: each value's fields as bits, fields at a time (the
	// value's fields from masks[at*fields]), a field's codes numbered by
	// codes; nFields the number of fields each value has (compare reads
	// the fields both sides have) and, for a value not present, absent.
	fields  int
	masks   []uint64
	nFields []uint8
	codes   []map[string]uint8
}

// storedAge is an age value and whether it is present.
type storedAge struct {
	ageValue
	present bool
}

// absent is storeScalars.nFields of a value that is not present.
const absent = 0xff

// scalarsFor returns the store of comparison c's values when it is one,
// else nil: ages, and categories (their bits for a field's codes are
// added as cases are, at most 64 a field: more make add fail, and the
// comparison is then compared from its values).
func scalarsFor(c Comparison) *storeScalars {
	switch {
	case c.Kind == KindAge:
		return &storeScalars{kind: KindAge}
	case c.Kind == KindCategories && len(c.Case.Fields) < absent:
		sc := &storeScalars{kind: KindCategories, fields: len(c.Case.Fields)}
		sc.codes = make([]map[string]uint8, sc.fields)
		for f := range sc.codes {
			sc.codes[f] = map[string]uint8{}
		}
		return sc
	}
	return nil
}

// add appends a value (the value of the next index); false when the
// value cannot be held (a field with more than 64 codes, or more fields
// than the comparison's).
func (sc *storeScalars) add(v *value) bool {
	if sc.kind == KindAge {
		sc.ages = append(sc.ages, storedAge{ageValue: v.age, present: v.present})
		return true
	}
	if !v.present {
		sc.nFields = append(sc.nFields, absent)
		sc.masks = append(sc.masks, make([]uint64, sc.fields)...)
		return true
	}
	if len(v.sets) > sc.fields {
		return false
	}
	sc.nFields = append(sc.nFields, uint8(len(v.sets)))
	for f := range sc.fields {
		var mask uint64
		if f < len(v.sets) {
			for _, x := range v.sets[f] {
				bit, ok := sc.codes[f][x]
				if !ok {
					if len(sc.codes[f]) == 64 {
						return false
					}
					bit = uint8(len(sc.codes[f]))
					sc.codes[f][x] = bit
				}
				mask |= 1 << bit
			}
		}
		sc.masks = append(sc.masks, mask)
	}
	return true
}

// traceMasks writes into out (one per field, out[f] 0 also for a field
// the trace has no code of) the bits of the trace's codes the store
// numbered: a code no case has agrees with none.
func (sc *storeScalars) traceMasks(tv *value, out []uint64) []uint64 {
	out = append(out[:0], make([]uint64, len(tv.sets))...)
	for f, set := range tv.sets {
		if f >= sc.fields {
			break
		}
		for _, x := range set {
			if bit, ok := sc.codes[f][x]; ok {
				out[f] |= 1 << bit
			}
		}
	}
	return out
}

// level is compare's level for the trace's value tv (its fields' bits in
// tm, traceMasks) and the store's value at.
func (sc *storeScalars) level(tv *value, tm []uint64, at int32) uint8 {
	if sc.kind == KindAge {
		a := &sc.ages[at]
		if !tv.present || !a.present {
			return lvMissing
		}
		return compareAges(&tv.age, &a.ageValue)
	}
	n := sc.nFields[at]
	if !tv.present || n == absent {
		return lvMissing
	}
	masks := sc.masks[int(at)*sc.fields : int(at)*sc.fields+sc.fields]
	present, equal := 0, 0
	for f := range min(len(tv.sets), int(n)) {
		// a field of the case has bits when it has a code
		if len(tv.sets[f]) == 0 || masks[f] == 0 {
			continue
		}
		present++
		if f < len(tm) && tm[f]&masks[f] != 0 {
			equal++
		}
	}
	return categoriesLevel(present, equal)
}

// prefetch asks for the memory level reads for value at.
func (sc *storeScalars) prefetch(at int32) {
	if sc.kind == KindAge {
		prefetch(unsafe.Pointer(&sc.ages[at]))
		return
	}
	prefetch(unsafe.Pointer(&sc.masks[int(at)*sc.fields]))
}
