package matching

import (
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/names"
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

// TestMovedPairsWeighAsScoringDoes: when EM's pairs move to the variant
// level after the pairs are learned (moveToVariant), each pair's log u is
// what scoring gives it (levelsAndLogU): a variant's from the term
// frequencies of the case's spelling, common (Yusuf) or rare (Zeinabou),
// within the pair's community or tenant-wide, on the given name and on the
// family names by position.
func TestMovedPairsWeighAsScoringDoes(t *testing.T) {
	t.Parallel()
	m, err := NewMatcher(DefaultConfiguration(), nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	k := len(m.cfg.Comparisons)
	row := func(first, middle, ethnicity string) map[string]any {
		return map[string]any{"name_first": first, "name_middle": middle, "name_last": "Abakar", "sex": "female",
			"ethnicity": ethnicity}
	}
	trace := m.NewTrace("t", nil, row("Joseph", "Giuseppe", "somali"))
	other := m.NewTrace("u", nil, row("Zainab", "Ali", "somali"))
	cases := []*Subject{m.NewCase("a", row("Yusuf", "Yusuf", "somali")), m.NewCase("b", row("Halima", "Giuseppe", "somali")),
		m.NewCase("c", row("Joseph", "Hassan", "somali")), m.NewCase("d", row("Zeinabou", "Ali", "somali")),
		m.NewCase("e", row("Yusuf", "Yusuf", "arab"))}
	require.NotEmpty(t, trace.community)
	p := &Parameters{NameKeys: names.KeysVersion, Prior: 0.5, Cases: 1000, Comparisons: make([]ComparisonParameters, k)}
	prior := make([][]float64, k)
	for i, c := range m.cfg.Comparisons {
		levels := c.Levels()
		even := make([]float64, len(levels))
		for l := range even {
			even[l] = 1 / float64(len(levels))
		}
		p.Comparisons[i] = ComparisonParameters{Name: c.Name, Levels: levels, ByPosition: c.ByPosition, TermFrequency: c.TermFrequency, ByRelation: c.ByRelation(),
			M: even, F: even, U: even}
		if c.ByTraceOrder {
			p.Comparisons[i].MLater, p.Comparisons[i].FLater = even, even
		}
		prior[i] = make([]float64, len(levels))
		if c.Kind == KindName && c.TermFrequency {
			tf := map[string]float64{}
			for _, k := range parseName("Yusuf").all {
				tf[k] = 0.2
			}
			for _, k := range parseName("Joseph").all {
				tf[k] = 0.05
			}
			p.Comparisons[i].TF, p.Comparisons[i].TFFloor = tf, 0.001
			within := map[string]float64{}
			for _, k := range parseName("Yusuf").all {
				within[k] = 0.01 // the spelling of another community
			}
			p.Comparisons[i].TFWithin = map[string]map[string]float64{trace.community: within}
			p.Comparisons[i].CommunityCases = map[string]int{trace.community: 200}
		}
	}
	plain, err := m.WithParameters(p)
	require.NoError(t, err)
	r := &emRun{cfg: &m.cfg, workers: 1, progress: func(string, int, int) error { return nil }, mPrior: prior, fPrior: prior}
	for i, c := range m.cfg.Comparisons {
		if learnsVariants(c) {
			r.learn = append(r.learn, i)
		}
	}
	require.NoError(t, r.compare(plain, []Blocked{{Trace: trace, Cases: cases, Group: "1"}, {Trace: other, Cases: cases, Group: "2"}}, nil))
	learned := *p
	learned.Comparisons = slices.Clone(p.Comparisons)
	for _, i := range r.learn {
		learned.Comparisons[i].Variants = [][2]string{{"giuseppe", "yusuf"}, {"joseph", "yusuf"}, {"zainab", "zeinabou"}}
	}
	scorer, err := m.WithParameters(&learned)
	require.NoError(t, err)
	for li, i := range r.learn {
		r.moveToVariant(scorer, li, plain.logU[i][lvDifferent])
	}
	variants := map[string]int{}
	var shared [][]string
	for _, g := range r.groups {
		for _, tp := range g {
			for j, c := range cases {
				levels := make([]uint8, k)
				lu := scorer.levelsAndLogU(tp.trace, c, levels, &shared, nil)
				require.Equal(t, levels, tp.ps[j].levels, "%s / %s", tp.trace.ID, c.ID)
				require.InDelta(t, lu, tp.ps[j].lu, 1e-12, "%s / %s", tp.trace.ID, c.ID)
				for _, i := range r.learn {
					if levels[i] == lvVariant {
						variants[m.cfg.Comparisons[i].Name]++
					}
				}
			}
		}
	}
	require.Equal(t, map[string]int{"given_name": 3, "family_names": 2}, variants)
}

// TestOwnValueCopiesTheStoredForm: a name value kept for the estimate
// (variantValues) is the value read from a stored form, but with strings
// of its own, not slices of the form.
func TestOwnValueCopiesTheStoredForm(t *testing.T) {
	t.Parallel()
	m, err := NewMatcher(DefaultConfiguration(), nil, time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	c, err := m.DecodeCase("a", m.EncodeCase(m.NewCase("a", map[string]any{"name_first": "Amina", "name_middle": "Omar",
		"name_last": "Hassan", "name_nickname": "Ami"})))
	require.NoError(t, err)
	for _, name := range []string{"given_name", "family_names"} {
		i := slices.IndexFunc(m.cfg.Comparisons, func(c Comparison) bool { return c.Name == name })
		require.GreaterOrEqual(t, i, 0, name)
		v := c.vals[i]
		vv := variantValues{own: m.ownValue}
		require.Equal(t, int32(0), vv.add(v))
		kept := vv.values[0]
		require.Equal(t, *v, kept, name)
		require.NotSame(t, unsafe.StringData(v.name.keys[0][0]), unsafe.StringData(kept.name.keys[0][0]), name)
		require.Equal(t, int32(0), vv.add(v), "the same value again")
	}
}
