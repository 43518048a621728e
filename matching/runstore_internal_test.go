package matching

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
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
