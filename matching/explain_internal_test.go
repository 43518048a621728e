package matching

import (
	"testing"

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
