package matching_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/matching"
)

// RunKeys.Select against the candidate query's definition written out
// plainly over the cases as they are now (the keys as read, with changes
// applied): random tenants of a few hundred cases over a small alphabet of
// keys (many equal scores), cases changed, gone, withdrawn and new, skipped
// cases and caps. One case holds so many rare keys that its score does not
// fit Select's packed order.
func TestRunKeysSelectAsDefined(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 1))
	keyOf := func() string { return fmt.Sprintf("k%d", rng.IntN(60)) }
	randomKeys := func() []string {
		var ks []string
		for range 1 + rng.IntN(6) {
			ks = append(ks, keyOf())
		}
		slices.Sort(ks)
		return slices.Compact(ks)
	}
	for round := range 40 {
		stop := map[string]bool{"k0": true}
		now := map[string][]string{} // the consenting cases now, with their keys
		k := matching.NewRunKeys(stop)
		for i := range 300 {
			id := uuid.NewString()
			keys := randomKeys()
			if round == 0 && i == 0 {
				// last by id: never among the changed (the first ids) nor
				// skipped below, so that it stays the first candidate
				id = "ffffffff-ffff-4fff-bfff-ffffffffffff"
				for j := range 50_000 { // weights of 1000*ln(n) each
					keys = append(keys, fmt.Sprintf("rare%05d", j))
				}
			}
			require.NoError(t, k.Add(id, int32(i), keys))
			now[id] = keys
		}
		require.NoError(t, k.Done())
		require.Error(t, k.Add(uuid.NewString(), -1, nil), "no case after Done")
		ids := make([]string, 0, len(now))
		for id := range now {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		var changed []matching.ChangedCase
		for _, id := range ids[:rng.IntN(30)] {
			switch rng.IntN(3) {
			case 0: // no longer takes part (withdrawn, disabled or gone)
				delete(now, id)
				changed = append(changed, matching.ChangedCase{ID: id})
			case 1:
				now[id] = randomKeys()
				changed = append(changed, matching.ChangedCase{ID: id, Consenting: true, Keys: now[id]})
			default: // logged, not changed
				changed = append(changed, matching.ChangedCase{ID: id, Consenting: true, Keys: now[id]})
			}
		}
		for range rng.IntN(10) {
			id := uuid.NewString()
			now[id] = randomKeys()
			changed = append(changed, matching.ChangedCase{ID: id, Consenting: true, Keys: now[id]})
		}
		changed = append(changed, matching.ChangedCase{ID: uuid.NewString()}) // created and gone
		ch := k.Changes(changed)
		for trace := range 20 {
			keys := slices.DeleteFunc(randomKeys(), func(k string) bool { return stop[k] })
			if round == 0 && trace == 0 {
				for j := range 50_000 {
					keys = append(keys, fmt.Sprintf("rare%05d", j))
				}
				slices.Sort(keys)
			}
			var skip []string
			for range rng.IntN(4) {
				skip = append(skip, ids[rng.IntN(len(ids)-1)])
			}
			n := 1 + rng.IntN(5000)
			if round == 0 && trace == 0 {
				n = 1 << 62
			}
			limit := 1 + rng.IntN(80)
			want := selectAsDefined(now, keys, n, limit, skip)
			if round == 0 && trace == 0 {
				require.Greater(t, want[0].score, int64(1<<31), "the first case's score is not packed")
			}
			got := k.Select(keys, n, limit, ch, skip)
			gotIDs := make([]string, len(got))
			for i, g := range got {
				gotIDs[i] = g.ID
				if slices.ContainsFunc(changed, func(c matching.ChangedCase) bool { return c.ID == g.ID }) {
					require.EqualValues(t, -1, g.At, "a changed case is read from the database")
				} else {
					require.GreaterOrEqual(t, g.At, int32(0), "an unchanged case is read from the store")
				}
			}
			wantIDs := make([]string, len(want))
			for i, w := range want {
				wantIDs[i] = w.id
			}
			require.Equal(t, wantIDs, gotIDs, "round %d, trace %d", round, trace)
		}
	}
}

type definedHit struct {
	id    string
	score int64
}

// selectAsDefined is candidateSQL's selection written out over the
// consenting cases now.
func selectAsDefined(now map[string][]string, keys []string, n, limit int, skip []string) []definedHit {
	looked := map[string]bool{}
	for _, k := range keys {
		looked[k] = true
	}
	held := map[string]int{}
	for _, ks := range now {
		for _, k := range ks {
			if looked[k] {
				held[k]++
			}
		}
	}
	var hits []definedHit
	for id, ks := range now {
		var score int64
		shared := false
		for _, k := range ks {
			if looked[k] {
				score += matching.KeyWeight(n, held[k])
				shared = true
			}
		}
		if shared && !slices.Contains(skip, id) {
			hits = append(hits, definedHit{id: id, score: score})
		}
	}
	slices.SortFunc(hits, func(a, b definedHit) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.id, b.id))
	})
	return hits[:min(limit, len(hits))]
}

// BenchmarkRunKeysAdd: reading a run's keys, as readRunCases adds them
// (200,000 cases of 27 keys each drawn from 400,000 with a skew, 800 of
// them stop keys; a run at 1,000,000 cases adds 26.8 million pairs).
func BenchmarkRunKeysAdd(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(r, 1.1, 1, 400_000)
	stop := map[string]bool{}
	for i := range uint64(800) {
		stop[benchKey(i)] = true
	}
	const cases = 200_000
	ids := make([]string, cases)
	keys := make([][]string, cases)
	for c := range ids {
		ids[c] = uuid.NewString()
		for range 27 {
			keys[c] = append(keys[c], benchKey(zipf.Uint64()))
		}
		slices.Sort(keys[c])
		keys[c] = slices.Compact(keys[c])
	}
	b.ReportAllocs()
	for b.Loop() {
		k := matching.NewRunKeys(stop)
		for c, id := range ids {
			if err := k.Add(id, int32(c), keys[c]); err != nil {
				b.Fatal(err)
			}
		}
		if err := k.Done(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunKeysSelect: a trace's selection in a run at 1,000,000 cases
// (27 keys a case from 40,000, about 675 cases a key; a trace looks for 22
// keys, about 15,000 postings, as the stored traces of the speed world
// average 14,478), the product's cap. Each posting's case is a read at
// random in memory (Select's cells).
func BenchmarkRunKeysSelect(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	const cases, keysPerCase, allKeys = 1_000_000, 27, 40_000
	k := matching.NewRunKeys(nil)
	keys := make([]string, 0, keysPerCase)
	for c := range cases {
		keys = keys[:0]
		for range keysPerCase {
			keys = append(keys, benchKey(r.Uint64N(allKeys)))
		}
		slices.Sort(keys)
		if err := k.Add(uuid.NewString(), int32(c), slices.Compact(keys)); err != nil {
			b.Fatal(err)
		}
	}
	if err := k.Done(); err != nil {
		b.Fatal(err)
	}
	traces := make([][]string, 200)
	for i := range traces {
		for range 22 {
			traces[i] = append(traces[i], benchKey(r.Uint64N(allKeys)))
		}
	}
	for i := 0; b.Loop(); i++ {
		if got := k.Select(traces[i%len(traces)], cases, matching.MaxCandidates, nil, nil); len(got) != matching.MaxCandidates {
			b.Fatalf("%d candidates", len(got))
		}
	}
}

// benchKey is the benchmarks' i-th key, spread over seven rules.
func benchKey(i uint64) string { return fmt.Sprintf("k%d:%x", i%7, i*2654435761) }

// Stop keys are neither held nor selected by.
func TestRunKeysLeaveOutStopKeys(t *testing.T) {
	k := matching.NewRunKeys(map[string]bool{"stop": true})
	require.NoError(t, k.Add("b", -1, []string{"rare", "stop"}))
	require.NoError(t, k.Add("a", -1, []string{"stop"}))
	require.NoError(t, k.Done())
	keys, pairs := k.Postings()
	require.Equal(t, []int{1, 1}, []int{keys, pairs}, "only (rare, b) is held")
	require.Equal(t, []matching.Selected{{ID: "b", At: -1}}, k.Select([]string{"rare", "stop"}, 2, 10, nil, nil))
	require.Empty(t, k.Select([]string{"stop"}, 2, 10, nil, nil))
}

// A key given twice by one case is one posting (its weight is not
// doubled), each key's cases stay in the order added, and nothing is added
// after Done.
func TestRunKeysHoldAKeyOncePerCase(t *testing.T) {
	k := matching.NewRunKeys(nil)
	require.NoError(t, k.Add("c", 0, []string{"x", "y", "x"}))
	require.NoError(t, k.Add("a", 1, []string{"y"}))
	require.NoError(t, k.Add("b", 2, []string{"x", "x"}))
	require.NoError(t, k.Done())
	keys, pairs := k.Postings()
	require.Equal(t, []int{2, 4}, []int{keys, pairs}, "(x, c), (y, c), (y, a), (x, b)")
	// c shares both keys, a and b one each: c first, then the id order
	require.Equal(t, []matching.Selected{{ID: "c", At: 0}, {ID: "a", At: 1}, {ID: "b", At: 2}},
		k.Select([]string{"x", "y"}, 3, 10, nil, nil))
	require.Equal(t, []matching.Selected{{ID: "b", At: 2}, {ID: "c", At: 0}}, k.Select([]string{"x"}, 3, 10, nil, nil), "b and c once each")
	require.ErrorIs(t, k.Add("d", 3, []string{"x"}), matching.ErrRunKeysDone)
	require.ErrorIs(t, k.Done(), matching.ErrRunKeysDone)
}
