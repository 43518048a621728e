package matching_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
)

// TestStoredSubjectsScoreAsParsed: a case read back from its stored form
// (EncodeCase, DecodeCase) has the same keys and, against every held-out
// trace of a generated tenant, the same levels, weights and probabilities
// as the case parsed from its record; a form of another configuration or
// a truncated one is refused, never misread.
func TestStoredSubjectsScoreAsParsed(t *testing.T) {
	t.Parallel()
	f := estimated(t, 13)
	scorer, err := f.m.WithParameters(f.p)
	require.NoError(t, err)
	stored := map[string]*matching.Subject{}
	for _, c := range f.pool {
		b := scorer.EncodeCase(c)
		back, err := scorer.DecodeCase(c.ID, b)
		require.NoError(t, err)
		require.Equal(t, scorer.CaseKeys(c), scorer.CaseKeys(back), c.ID)
		stored[c.ID] = back
		_, err = scorer.DecodeCase(c.ID, b[:len(b)/2])
		require.Error(t, err, "a truncated form is refused")
	}
	compared := 0
	for _, tr := range f.heldOut {
		cands := f.ix.Candidates(tr)
		fromStore := make([]*matching.Subject, len(cands))
		for i, c := range cands {
			fromStore[i] = stored[c.ID]
		}
		want, err := scorer.Rank(tr, cands)
		require.NoError(t, err)
		got, err := scorer.Rank(tr, fromStore)
		require.NoError(t, err)
		require.Len(t, got, len(want))
		for i := range want {
			require.Equal(t, want[i].Case.ID, got[i].Case.ID)
			require.Equal(t, want[i].Levels(), got[i].Levels())
			require.Equal(t, want[i].Fields, got[i].Fields)
			require.Equal(t, want[i].Probability, got[i].Probability)
			require.Equal(t, want[i].Weight, got[i].Weight)
			compared++
		}
	}
	require.Greater(t, compared, 5_000, "the held-out traces compared many pairs")

	// Another configuration (one comparison fewer) or another today: the
	// fingerprint says so, and a form of another configuration is refused.
	cfg := matching.DefaultConfiguration()
	cfg.Comparisons = cfg.Comparisons[:len(cfg.Comparisons)-1]
	other, err := matching.NewMatcher(cfg, newPlaces(), today)
	require.NoError(t, err)
	require.NotEqual(t, f.m.Fingerprint(), other.Fingerprint())
	later, err := matching.NewMatcher(matching.DefaultConfiguration(), newPlaces(), today.Add(24*time.Hour))
	require.NoError(t, err)
	require.Equal(t, f.m.Fingerprint(), later.Fingerprint(), "the date does not make stored forms stale")
	_, err = other.DecodeCase("c", scorer.EncodeCase(f.pool[0]))
	require.ErrorIs(t, err, matching.ErrStaleSubject)
}

// TestStoredAgeMovesWithToday: a case's age without a date of birth is
// given on the day it is read (as when parsed from the record), not on the
// day its form was stored.
func TestStoredAgeMovesWithToday(t *testing.T) {
	t.Parallel()
	m := newMatcher(t)
	c := m.NewCase("c", map[string]any{"age": 7.0, "sex": "female", "name_first": "Amina"})
	b := m.EncodeCase(c)
	later, err := matching.NewMatcher(matching.DefaultConfiguration(), newPlaces(), today.AddDate(3, 0, 0))
	require.NoError(t, err)
	back, err := later.DecodeCase("c", b)
	require.NoError(t, err)
	parsed := later.NewCase("c", map[string]any{"age": 7.0, "sex": "female", "name_first": "Amina"})
	tr := later.NewTrace("t", map[string]any{"inquiry_date": today.AddDate(3, 0, 0).Format(time.DateOnly)},
		map[string]any{"age": 7.0, "name_first": "Amina"})
	require.Equal(t, later.Vector(tr, parsed), later.Vector(tr, back))
}
