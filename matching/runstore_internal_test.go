package matching

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/names"
)

// TestMayAgreeValueBoundsTheLevel: a store's given name that mayAgreeValue
// says cannot agree with the trace's compares at most close (the
// pre-score's tighter bound rules candidates out on it), for names agreeing
// through the name itself, a case's alternate or a trace's alternate.
func TestMayAgreeValueBoundsTheLevel(t *testing.T) {
	t.Parallel()
	m, err := NewMatcher(DefaultConfiguration(), nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	m = m.WithPreScore(5)
	gi := -1
	for i, c := range m.cfg.Comparisons {
		if c.Name == "given_name" {
			gi = i
		}
	}
	require.GreaterOrEqual(t, gi, 0)
	s, err := m.NewRunStore("")
	require.NoError(t, err)
	firsts := []string{"Mohamed", "Mouhamed", "Fatima", "Faadumo", "Hassan", "Xasan", "Deng", ""}
	lasts := []string{"Ali", "Hassan", "Deng", ""}
	nicks := []string{"Faadumo", "Moha", "Ali", ""}
	type person struct{ first, last, nick string }
	var people []person
	for _, f := range firsts {
		for _, l := range lasts {
			for _, n := range nicks {
				people = append(people, person{f, l, n})
			}
		}
	}
	data := func(p person) map[string]any {
		return map[string]any{"name_first": p.first, "name_last": p.last, "name_nickname": p.nick}
	}
	for k, p := range people {
		_, err := s.Add(fmt.Sprint(k), 1, m.EncodeCase(m.NewCase(fmt.Sprint(k), data(p))))
		require.NoError(t, err)
	}
	s.Done()
	memo := s.memo()
	agreeing, ruledOut := 0, 0
	for _, p := range people {
		memo.gen++
		tr := m.NewTrace("t", nil, data(p))
		tv := tr.vals[gi]
		if !tv.present {
			continue
		}
		for c := range people {
			at := s.vids[c*s.k+gi]
			cv := s.values[gi][at]
			l := compare(&m.cfg.Comparisons[gi], tv, cv, nil, nil)
			may := memo.names[gi].mayAgreeValue(s.nameTabs[gi], at, tv, memo.gen)
			if l >= lvAlternate {
				agreeing++
				require.True(t, may, "trace %+v, case %+v: level %d", p, people[c], l)
			} else if !may {
				ruledOut++
			}
		}
	}
	require.Positive(t, agreeing)
	require.Positive(t, ruledOut)
}

// TestStoreRestValuesDecodeAsTheForm: the values a run store keeps written
// with their names and strings as indexes (the other names, the family's
// rows) decode for a kept case exactly as the case's own form decodes
// them, names shared between cases, also into memory that held other
// cases (KeptCases); a case whose rest value cannot be read is refused
// without disturbing the cases added after it.
func TestStoreRestValuesDecodeAsTheForm(t *testing.T) {
	t.Parallel()
	m, err := NewMatcher(DefaultConfiguration(), nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	m = m.WithPreScore(5)
	s, err := m.NewRunStore("")
	require.NoError(t, err)
	require.Positive(t, s.nRest)
	row := func(relation, name, nick string) map[string]any {
		return map[string]any{"relation": relation, "relation_name": name, "relation_nickname": nick}
	}
	cases := []map[string]any{
		{"name_first": "Amina", "name_nickname": "Mina", "family_details_section": []any{
			row("mother", "Fatuma Hassan", "Faadumo"), row("father", "Mohamed Ali", "")}},
		{"name_first": "Deng", "family_details_section": []any{
			row("father", "Mohamed Ali", "Moha"), row("uncle", "محمد علي", "")}},
		{"name_first": "Nyakuoth", "name_nickname": "Nya Kuoth"},
		{"name_first": "Juma", "family_details_section": []any{row("caregiver", "", "Mama Rose")}},
	}
	forms := make([][]byte, len(cases))
	for k, c := range cases {
		forms[k] = m.EncodeCase(m.NewCase(fmt.Sprint(k), c))
	}
	// a form whose last rest value holds a name of another binary version
	// (the rest before it written already): its spans are sound, reading
	// the name fails
	spans, err := m.valueSpans(forms[0], nil)
	require.NoError(t, err)
	last := -1
	for i := range s.rest {
		if s.rest[i] {
			last = i
		}
	}
	require.Greater(t, s.nRest, 1)
	bad := slices.Clone(forms[0])
	bad[spans[last][0]+3]++ // flags, the name's length (2 bytes), its version
	_, err = s.Add("bad", 1, bad)
	require.ErrorIs(t, err, ErrStaleSubject)
	for k, f := range forms {
		_, err := s.Add(fmt.Sprint(k), 1, f)
		require.NoError(t, err)
	}
	s.Done()
	require.Equal(t, len(cases), s.Len())
	require.Len(t, s.restSpans, len(cases)*2*s.nRest)

	// a trace with a value for every comparison, so that every rest value
	// is decoded
	trace := &Subject{vals: newValues(s.k)}
	for i := range trace.vals {
		trace.vals[i].present = true
	}
	cands := make([]StoredCandidate, len(cases))
	for k := range cands {
		cands[k].At = int32(k)
	}
	subs, err := s.subjects(trace, cands, nil, nil)
	require.NoError(t, err)
	for k, sub := range subs {
		want, err := m.DecodeCase(fmt.Sprint(k), forms[k])
		require.NoError(t, err)
		for i := range s.rest {
			if s.rest[i] {
				require.Equal(t, *want.vals[i], *sub.vals[i], "case %d, comparison %s", k, m.cfg.Comparisons[i].Name)
			}
		}
	}
	// a trace without a value for the rest comparisons: the kept cases'
	// rest values are not decoded; those the case has are pending, and
	// completing a case reads them as its form holds them, into values of
	// its own (the shared noValue stays empty)
	bare := &Subject{vals: newValues(s.k)}
	subs, err = s.subjects(bare, cands, nil, nil)
	require.NoError(t, err)
	pending := 0
	for k, sub := range subs {
		want, err := m.DecodeCase(fmt.Sprint(k), forms[k])
		require.NoError(t, err)
		for i := range s.rest {
			if !s.rest[i] {
				continue
			}
			require.False(t, sub.vals[i].present, "case %d, comparison %s unread", k, m.cfg.Comparisons[i].Name)
			if want.vals[i].present {
				pending++
				require.NotZero(t, sub.pending&(1<<i))
			}
		}
		require.NoError(t, m.complete(sub))
		for i := range s.rest {
			switch {
			case !s.rest[i]:
			case want.vals[i].present:
				require.Equal(t, *want.vals[i], *sub.vals[i], "case %d, comparison %s completed", k, m.cfg.Comparisons[i].Name)
			default:
				require.False(t, sub.vals[i].present, "case %d, comparison %s", k, m.cfg.Comparisons[i].Name)
			}
		}
	}
	require.Positive(t, pending)
	require.Equal(t, value{}, noValue, "the shared unread value is never written")

	// decoded into a KeptCases' memory (RankStoredIn) that held other
	// cases' values (the cases in the other order), then the bare trace's
	// pending cases: the values as the form holds them, nothing left of
	// what the memory held
	kt := &keptTrace{}
	rev := slices.Clone(cands)
	slices.Reverse(rev)
	_, err = s.subjects(trace, rev, nil, kt)
	require.NoError(t, err)
	_, err = s.subjects(bare, cands, nil, kt)
	require.NoError(t, err)
	subs, err = s.subjects(trace, cands, nil, kt)
	require.NoError(t, err)
	for k, sub := range subs {
		want, err := m.DecodeCase(fmt.Sprint(k), forms[k])
		require.NoError(t, err)
		require.Zero(t, sub.pending, "case %d", k)
		require.Nil(t, sub.stored, "case %d", k)
		for i := range s.rest {
			if s.rest[i] {
				require.Equal(t, *want.vals[i], *sub.vals[i], "case %d, comparison %s in reused memory", k, m.cfg.Comparisons[i].Name)
			}
		}
	}

	// Mohamed Ali is one name of the table for both cases that give it
	names := 0
	for _, p := range s.restTab.names {
		if slices.Equal(p.n.Tokens(), []string{"mohamed", "ali"}) {
			names++
		}
	}
	require.Equal(t, 1, names)
}

// TestSmallestSelectsAsASort: Select's partial selection returns what
// sorting everything and cutting would, for lengths around its cut-over
// to a sort, n anywhere (also beyond the length), with and without equal
// values.
func TestSmallestSelectsAsASort(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(33, 1))
	for _, size := range []int{0, 1, 5, 16, 17, 40, 300, 5000} {
		for _, n := range []int{0, 1, 2, size / 3, size / 2, size - 1, size, size + 3} {
			for _, spread := range []uint64{4, 1 << 40} { // many equal, nearly all distinct
				xs := make([]uint64, size)
				for i := range xs {
					xs[i] = r.Uint64N(spread)
				}
				want := slices.Clone(xs)
				slices.Sort(want)
				want = want[:max(0, min(n, size))]
				require.Equal(t, want, smallest(slices.Clone(xs), n), "size %d, n %d, spread %d", size, n, spread)
			}
		}
	}
}

// TestStoredContributionsAreTheDecodedOnes: what each pre-score
// comparison adds through the store (its names by position read from
// posIDs, its places and dates, its memo) is, to the last bit, what
// comparing the decoded values adds, the first time a value is met and
// when the memo gives it back; for family names agreeing with the trace
// (log u from term frequencies, tenant-wide and within the trace's
// community) as for the levels' own contributions.
func TestStoredContributionsAreTheDecodedOnes(t *testing.T) {
	t.Parallel()
	m, err := NewMatcher(DefaultConfiguration(), nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	k := len(m.cfg.Comparisons)
	p := &Parameters{NameKeys: names.KeysVersion, Prior: 0.5, Cases: 1000, Comparisons: make([]ComparisonParameters, k)}
	for i, c := range m.cfg.Comparisons {
		levels := c.Levels()
		m, u := make([]float64, len(levels)), make([]float64, len(levels))
		for l := range levels {
			m[l], u[l] = float64(l+1)/float64(len(levels)*(len(levels)+1)/2), 1/float64(len(levels))
		}
		p.Comparisons[i] = ComparisonParameters{Name: c.Name, Levels: levels, ByPosition: c.ByPosition, TermFrequency: c.TermFrequency, ByRelation: c.ByRelation(), M: m, F: m, U: u}
		if c.ByTraceOrder {
			p.Comparisons[i].MLater, p.Comparisons[i].FLater = m, m
		}
		if c.Kind == KindName && c.TermFrequency {
			tf, within := map[string]float64{}, map[string]float64{}
			for j, n := range []string{"Abakar", "Hassan", "Deng", "Nyuon", "Ali"} {
				for _, key := range parseName(n).all {
					tf[key], within[key] = 0.01*float64(j+1), 0.02*float64(j+2)
				}
			}
			p.Comparisons[i].TF, p.Comparisons[i].TFFloor = tf, 0.001
			p.Comparisons[i].TFWithin = map[string]map[string]float64{communityKey([][]string{nil, nil, nil, {"somali"}}): within}
		}
	}
	m, err = m.WithParameters(p)
	require.NoError(t, err)
	m = m.WithPreScore(5)
	s, err := m.NewRunStore("")
	require.NoError(t, err)
	middles := []string{"Abakar", "Hassan", "Deng", "Nyuon", ""}
	lasts := []string{"Ali", "Abakar", "Hasan", ""}
	data := func(c int) map[string]any {
		return map[string]any{"name_first": fmt.Sprint("Amina", c), "name_middle": middles[c%len(middles)],
			"name_last": lasts[c/len(middles)%len(lasts)], "sex": []string{"female", "male"}[c%2], "age": c % 17,
			"ethnicity": []string{"somali", "dinka", "nuer"}[c%3], "date_of_separation": fmt.Sprintf("2025-0%d-1%d", 1+c%9, c%10),
			"separation_cause": []string{"conflict", "flood"}[c/3%2]}
	}
	const n = 200
	for c := range n {
		_, err := s.Add(fmt.Sprint(c), 1, m.EncodeCase(m.NewCase(fmt.Sprint(c), data(c))))
		require.NoError(t, err)
	}
	s.Done()
	memo := s.memo()
	require.NotNil(t, memo.e[1], "the family names are memoised (%d values for %d cases)", len(s.values[1]), n)
	sameBits := func(a, b preContribution) bool {
		return a.l == b.l && math.Float64bits(a.lm) == math.Float64bits(b.lm) && math.Float64bits(a.lf) == math.Float64bits(b.lf) &&
			math.Float64bits(a.luOut) == math.Float64bits(b.luOut) && math.Float64bits(a.luWithin) == math.Float64bits(b.luWithin)
	}
	var shared [][]string
	terms, levels := 0, 0
	for tr := range 12 {
		memo.gen++
		trace := m.NewTrace("t", nil, data(tr*7))
		first := make([]preContribution, n*k)
		for _, pass := range []string{"compared", "recalled"} {
			for c := range n {
				for i := range k {
					if !m.preRead[i] || !trace.vals[i].present {
						continue
					}
					at := s.vids[c*s.k+i]
					got := m.storedContribution(s, trace, i, at, memo, &shared, comparisonCache{})
					want := m.contribution(i, trace, trace.vals[i], s.values[i][at], &shared, comparisonCache{})
					require.True(t, sameBits(want, got), "%s, case %d, %s: %+v, want %+v", pass, c, m.cfg.Comparisons[i].Name, got, want)
					if pass == "compared" {
						first[c*k+i] = got
						continue
					}
					require.True(t, sameBits(first[c*k+i], got), "case %d, %s: %+v, then %+v", c, m.cfg.Comparisons[i].Name, first[c*k+i], got)
					if memo.e[i] != nil {
						require.Equal(t, memo.gen, memo.e[i][at].gen, "memoised")
						switch {
						case got.l == lvMissing:
						case sameBits(got, m.levelContribution(i, got.l)):
							levels++
						default:
							terms++
						}
					}
				}
			}
		}
	}
	require.Positive(t, terms, "some memoised contributions are a name's term frequencies, not their level's")
	require.Positive(t, levels)
}

// TestStoreAtomsOfEachValue: a value's places or dates read from their two
// inline slots (storeAtoms.two) are the value's own, in order, for values
// not present, of one, two and more dates (those read from ids).
func TestStoreAtomsOfEachValue(t *testing.T) {
	t.Parallel()
	sa := newStoreAtoms(KindDate)
	day := func(d int) time.Time { return time.Date(2025, 1, d, 0, 0, 0, 0, time.UTC) }
	vals := []value{{}, {present: true, dates: []time.Time{day(1)}}, {present: true, dates: []time.Time{day(2), day(1)}},
		{present: true, dates: []time.Time{day(3), day(4), day(1)}}, {present: true, dates: []time.Time{day(5), day(2), day(6), day(7), day(3)}},
		{present: true, dates: []time.Time{day(4)}}}
	for k := range vals {
		sa.add(&vals[k])
	}
	for k, v := range vals {
		got := sa.of(int32(k))
		if !v.present {
			require.Equal(t, []int32{notPresent}, got)
			continue
		}
		dates := make([]time.Time, len(got))
		for j, id := range got {
			dates[j] = sa.dates[id]
		}
		require.Equal(t, v.dates, dates, "value %d", k)
	}
}

// The forms a store holds read back as they were added, in slabs of any
// size, also a form longer than a slab and empty ones at a slab's end.
func TestSlabsReadBackWhatWasAdded(t *testing.T) {
	rnd := rand.New(rand.NewPCG(42, 1))
	for _, size := range []int{1, 7, 64} {
		b := slabs{size: size}
		var want [][]byte
		total := 0
		for i := range 500 {
			n := rnd.IntN(20)
			if i%50 == 0 {
				n = 3 * size // its own slab
			}
			s := make([]byte, n)
			for j := range s {
				s[j] = byte(rnd.IntN(256))
			}
			b.add(s)
			want = append(want, s)
			total += n
		}
		for i, s := range want {
			require.Equal(t, s, b.at(int32(i)), "slab size %d, form %d", size, i)
		}
		require.Equal(t, total, b.bytes)
		require.Greater(t, len(b.slab), 1, "the forms span several slabs")
		for _, sl := range b.slab {
			// a slab is made once: of the slab's size, or of one longer form
			require.True(t, cap(sl) == size || cap(sl) > size && len(sl) == cap(sl), "slab of cap %d, len %d", cap(sl), len(sl))
		}
	}
}

// TestStoreScalarsLevelAsCompare: a store's ages and categories, held side
// by side (storeScalars), compare with a trace's values at compare's level:
// dates of birth, ages and estimates mixed; categories with empty fields,
// several codes, a trace's code no case has, and values not present. A
// field of more than 64 codes leaves its comparison to its values.
func TestStoreScalarsLevelAsCompare(t *testing.T) {
	t.Parallel()
	m, err := NewMatcher(DefaultConfiguration(), nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	m = m.WithPreScore(5)
	ai, oi := m.cfg.comparisonIndex("age"), m.cfg.comparisonIndex("origin")
	require.True(t, m.preRead[ai] && m.preRead[oi], "the pre-score reads the age and the origin")
	rnd := rand.New(rand.NewPCG(7, 57))
	pick := func(xs ...string) any {
		switch rnd.IntN(4) {
		case 0:
			return nil
		case 1:
			return xs[rnd.IntN(len(xs))]
		}
		var set []any
		for range 1 + rnd.IntN(3) {
			set = append(set, xs[rnd.IntN(len(xs))])
		}
		return set
	}
	data := func(trace bool) map[string]any {
		d := map[string]any{}
		switch rnd.IntN(4) {
		case 0:
			d["date_of_birth"] = fmt.Sprintf("20%02d-%02d-%02d", 8+rnd.IntN(10), 1+rnd.IntN(12), 1+rnd.IntN(28))
		case 1:
			d["age"] = rnd.IntN(18)
		case 2:
			d["date_of_birth"], d["age"] = fmt.Sprintf("20%02d-01-01", 8+rnd.IntN(10)), rnd.IntN(18)
		}
		if rnd.IntN(3) == 0 {
			d["estimated"] = true
		}
		if trace && rnd.IntN(2) == 0 {
			d["inquiry_date"] = fmt.Sprintf("2025-%02d-01", 1+rnd.IntN(12))
		}
		for f, codes := range map[string][]string{"nationality": {"sdn", "ssd", "som", "eth"}, "language": {"ara", "eng", "som"},
			"religion": {"islam", "christianity"}, "ethnicity": {"somali", "dinka", "nuer", "fur"}} {
			if v := pick(codes...); v != nil {
				d[f] = v
			}
		}
		if trace && rnd.IntN(5) == 0 {
			d["ethnicity"] = "zaghawa" // no case's
		}
		return d
	}
	s, err := m.NewRunStore("")
	require.NoError(t, err)
	const n = 300
	for c := range n {
		_, err := s.Add(fmt.Sprint(c), 1, m.EncodeCase(m.NewCase(fmt.Sprint(c), data(false))))
		require.NoError(t, err)
	}
	s.Done()
	require.NotNil(t, s.scalars[ai], "ages side by side")
	require.NotNil(t, s.scalars[oi], "categories side by side")
	levels := map[string]map[uint8]int{"age": {}, "origin": {}}
	for range 60 {
		trace := m.NewTrace("t", nil, data(true))
		for _, i := range []int{ai, oi} {
			sc := s.scalars[i]
			tm := sc.traceMasks(trace.vals[i], nil)
			for at, cv := range s.values[i] {
				want := compare(&m.cfg.Comparisons[i], trace.vals[i], cv, nil, nil)
				require.Equal(t, want, sc.level(trace.vals[i], tm, int32(at)), "%s, value %d: %+v against %+v",
					m.cfg.Comparisons[i].Name, at, trace.vals[i], cv)
				levels[m.cfg.Comparisons[i].Name][want]++
			}
		}
	}
	require.Len(t, levels["age"], len(m.cfg.Comparisons[ai].Levels()), "every age level met: %v", levels["age"])
	require.Len(t, levels["origin"], len(m.cfg.Comparisons[oi].Levels()), "every origin level met: %v", levels["origin"])

	// 65 ethnicities: the origin is compared from its values
	s, err = m.NewRunStore("")
	require.NoError(t, err)
	for c := range 65 {
		_, err := s.Add(fmt.Sprint(c), 1, m.EncodeCase(m.NewCase(fmt.Sprint(c), map[string]any{"ethnicity": fmt.Sprint("e", c), "age": 3})))
		require.NoError(t, err)
	}
	require.Nil(t, s.scalars[oi])
	require.NotNil(t, s.scalars[ai])
}

// TestSortBestFirstIsTheComparisonSort: the pre-score's radix sort orders
// bounds as the comparison sort it replaced did, the greatest first and by
// position among equal ones, for bounds of every sign and magnitude, many
// ties, -0 beside 0 and infinities, from one candidate to a full cap, its
// memory reused from sort to sort.
func TestSortBestFirstIsTheComparisonSort(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(60, 1))
	pool := []float64{0, math.Copysign(0, -1), 1, -1, 1e-300, -1e-300, 2.5, -2.5, 37, -37, 1e300, -1e300,
		math.Inf(1), math.Inf(-1), math.Nextafter(2.5, 3), math.Nextafter(-2.5, -3)}
	var order, tmp []keptLR
	for n := range 2001 {
		if n > 40 && n%97 != 0 && n != 2000 {
			continue
		}
		for round := range 4 {
			order = order[:0]
			for i := range n {
				var x float64
				switch round {
				case 0: // bounds as the pre-score's: tens of nats either side, few ties
					x = r.NormFloat64() * 20
				case 1: // many ties
					x = pool[r.IntN(len(pool))]
				case 2: // a few values, all sharing their high bytes
					x = 12 + float64(r.IntN(4))/1024
				default: // values apart in one byte of their mantissa, any byte
					x = math.Float64frombits(math.Float64bits(12) | uint64(r.IntN(3))<<(8*r.IntN(6)))
				}
				order = append(order, keptLR{lr: x, i: int32(i)})
			}
			want := slices.Clone(order)
			slices.SortFunc(want, func(a, b keptLR) int {
				switch {
				case a.lr > b.lr:
					return -1
				case a.lr < b.lr:
					return 1
				}
				return int(a.i - b.i)
			})
			var got []keptLR
			got, tmp = sortBestFirst(order, tmp)
			require.Equal(t, len(want), len(got))
			for k := range want {
				// -0 and 0 are one bound: compare positions, and bounds by value
				require.Equal(t, want[k].i, got[k].i, "n %d round %d at %d", n, round, k)
				require.True(t, want[k].lr == got[k].lr, "n %d round %d at %d", n, round, k)
			}
			order = got
		}
	}
}
