package matching

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestMissingComparisonShowsItsOwnFields: the review shows, for a
// comparison neither side could make (no nickname or other name on the
// trace), the fields it compares and not its alternates' values (the first
// names), which would read as values compared beside "one side has no
// value"; a comparison made shows its alternates, where an agreement may
// have come from.
func TestMissingComparisonShowsItsOwnFields(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfiguration()
	cas := &Subject{ID: "c", Fields: map[string]any{"name_first": "Amina", "name_nickname": "Mina"}}
	trace := &Subject{ID: "t", Fields: map[string]any{"name_first": "Amina"}}
	shown := func(level string) StoredComparison {
		out := explain(cfg, trace, Candidate{Case: cas, Fields: []FieldComparison{{Comparison: "other_names", Level: level}}})
		require.Len(t, out, 1)
		return out[0]
	}
	missing := shown("missing")
	require.Equal(t, map[string]any{"name_nickname": "Mina"}, missing.Case)
	require.Empty(t, missing.Trace)
	made := shown("alternate")
	require.Equal(t, map[string]any{"name_first": "Amina", "name_nickname": "Mina"}, made.Case)
	require.Equal(t, map[string]any{"name_first": "Amina"}, made.Trace)
}

// TestCrossedPositionIsNotShown: names exchanged between the fields on one
// side; the family names, compared without the crossed position, show the
// father's names they compared and not the grandfather's position they
// left out, and the given name's comparison shows every name field.
func TestCrossedPositionIsNotShown(t *testing.T) {
	t.Parallel()
	m, err := NewMatcher(DefaultConfiguration(), nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	cas := m.NewCase("c", map[string]any{"name_first": "Amina", "name_middle": "Ali", "name_last": "Hassan"})
	trace := m.NewTrace("t", nil, map[string]any{"name_first": "Hassan", "name_middle": "Ali", "name_last": "Amina"})
	out := explain(m.cfg, trace, Candidate{Case: cas, Fields: []FieldComparison{
		{Comparison: "family_names", Level: "exact"}, {Comparison: "given_name", Level: "swapped"}}})
	require.Equal(t, map[string]any{"name_middle": "Ali"}, out[0].Case)
	require.Equal(t, map[string]any{"name_middle": "Ali"}, out[0].Trace)
	require.Equal(t, map[string]any{"name_first": "Amina", "name_middle": "Ali", "name_last": "Hassan"}, out[1].Case)
	require.Equal(t, map[string]any{"name_first": "Hassan", "name_middle": "Ali", "name_last": "Amina"}, out[1].Trace)
	// not crossed: the grandfathers differ, and both are shown
	other := m.NewCase("o", map[string]any{"name_first": "Amina", "name_middle": "Ali", "name_last": "Omar"})
	out = explain(m.cfg, trace, Candidate{Case: other, Fields: []FieldComparison{{Comparison: "family_names", Level: "different"}}})
	require.Equal(t, map[string]any{"name_middle": "Ali", "name_last": "Omar"}, out[0].Case)
}
