package matching

import (
	"bytes"
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRankPostingsAsSorted: rankPostings keeps what sorting every case
// sharing a key by its summed KeyWeight (descending, then by id as
// PostgreSQL orders uuids) and cutting at the limit keeps, skipped cases
// left out, for generated postings where many cases tie at the cut (keys
// of equal size: cases sharing one key each weigh alike) and where none
// are cut. The SQL side (the same cases read back, in order) is
// TestCandidateQueryForms'.
func TestRankPostingsAsSorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 1))
	pool := make([][16]byte, 3000)
	for i := range pool {
		for j := range pool[i] {
			pool[i][j] = byte(rng.IntN(4)) // ids that share long prefixes
		}
		pool[i][15] = byte(i)
		pool[i][14] = byte(i >> 8)
	}
	for trial := range 60 {
		keys := 1 + rng.IntN(12)
		postings := make([][][16]byte, keys)
		for k := range postings {
			size := 1 + rng.IntN(400)
			if k%3 == 0 {
				size = 250 // equal sizes: equal weights, ties at the cut
			}
			seen := map[int]bool{}
			for len(postings[k]) < size {
				if i := rng.IntN(len(pool)); !seen[i] {
					seen[i] = true
					postings[k] = append(postings[k], pool[i])
				}
			}
		}
		skip := map[[16]byte]bool{}
		for range rng.IntN(20) {
			skip[postings[0][rng.IntN(len(postings[0]))]] = true
		}
		cases := 10_000
		// every case's score, sorted in full
		score := map[[16]byte]int64{}
		for _, l := range postings {
			for _, id := range l {
				score[id] += KeyWeight(cases, len(l))
			}
		}
		var all [][16]byte
		for id := range score {
			if !skip[id] {
				all = append(all, id)
			}
		}
		slices.SortFunc(all, func(a, b [16]byte) int {
			return cmp.Or(cmp.Compare(score[b], score[a]), bytes.Compare(a[:], b[:]))
		})
		for _, limit := range []int{1, 40, 199, len(all), len(all) + 5} {
			want := all[:min(limit, len(all))]
			got := rankPostings(postings, cases, limit, skip)
			require.Equal(t, want, got, "trial %d, %d keys, limit %d", trial, keys, limit)
		}
	}
}
