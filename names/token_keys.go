package names

import "slices"

// TokenKeys returns the phonetic keys of each token of s, in the order of
// Tokens (a token of one letter has none): what a search needs to require
// every word of a query ("Mohamed Hassan") to meet a name, each word by any
// of its keys. Keys(s) is the union of these.
func TokenKeys(s string) [][]string {
	lt := lightTokens(light(s))
	out := make([][]string, len(lt))
	for i, w := range lt {
		k := slices.Clone(tokenKeys(w))
		slices.Sort(k)
		out[i] = slices.Compact(k)
		if out[i] == nil {
			out[i] = []string{}
		}
	}
	return out
}
