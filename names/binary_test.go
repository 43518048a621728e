package names_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/names"
)

// TestNameBinaryRoundTrip: a parsed name read back from its binary form
// has the same tokens and keys and compares and scores exactly as the name
// parsed again; truncated forms and forms of another version are refused.
func TestNameBinaryRoundTrip(t *testing.T) {
	t.Parallel()
	all := []string{"Mohamed Abdul Rahman", "محمد عبد الرحمن", "Faadumo Cali", "Nyabol Gatdet", "Jean-Pierre Mukendi",
		"Abu Bakr al-Siddiq", "Nour Eddine", "", "  ", "123", "عبدى", "فاطمة إبراهيم"}
	for _, s := range all {
		n := names.Parse(s)
		b, err := n.AppendBinary([]byte("prefix"))
		require.NoError(t, err)
		var back names.Name
		require.NoError(t, back.UnmarshalBinary(b[len("prefix"):]), s)
		require.Equal(t, n.Tokens(), back.Tokens(), s)
		require.Equal(t, n.Keys(), back.Keys(), s)
		require.Equal(t, n.TokenKeys(), back.TokenKeys(), s)
		require.Equal(t, n.Empty(), back.Empty(), s)
		require.Equal(t, n.Ident(), back.Ident(), s)
		for _, o := range all {
			p := names.Parse(o)
			require.Equal(t, n.Compare(p), back.Compare(p), "%s / %s", s, o)
			require.Equal(t, p.Compare(n), p.Compare(back), "%s / %s", o, s)
			require.Equal(t, n.Similarity(p), back.Similarity(p), "%s / %s", s, o)
			require.Equal(t, p.Score(n), p.Score(back), "%s / %s", o, s)
		}
		form := b[len("prefix"):]
		if len(form) > 2 {
			require.Error(t, back.UnmarshalBinary(form[:len(form)-1]), "truncated: %s", s)
		}
		form[0]++
		require.ErrorIs(t, back.UnmarshalBinary(form), names.ErrStaleBinary)
	}
}
