package matching

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/tenancy"
)

// A trace's candidates outside a run (a record's job, and a run whose keys
// were read under other parameters) are selected in two statements with
// the ranking between them in Go (selectCandidates, then candidateRows):
// the cases of each of the trace's keys are read from the postings
// (match_keys: one row per key and consenting case, kept by
// match_subjects' triggers) by an index-only scan of their primary key,
// one descent per key, each key's cases as one array; the cases are
// weighed and capped here; then the kept cases' rows are read by id, in
// their order. Until session 43 one statement did it all (in
// candidates_sql_test.go as the benchmark's form "statement"): the window
// weighing the pairs, the anti-join of the rejected cases, the hash
// aggregate by case and the top-N sort were 31 of its 50 ms at a median
// trace at 1,000,000 cases (13,243 cases sharing a key), where reading the
// arrays takes about 5 (docs/matching-log.md, Speed, Session 43). Only
// cases that take part have postings and a match_subjects row (migration
// 046: a write that withdraws a case's consent removes both in its
// transaction), so no record is read to check consent, and a case that
// stops taking part between the two statements is not read by the second.
const (
	// candidatePostingsSQL: $1 the trace's keys without the stop keys.
	candidatePostingsSQL = `select array_agg(p.record_id) from match_keys p where p.key = any($1::text[]) group by p.key`
	// candidateRowsSQL reads the selected cases as caseColumns rows (read
	// them with readCases), in the order of $2 (their ids); $1 the
	// matcher's Fingerprint. A record is read only for a case whose stored
	// form is not current.
	candidateRowsSQL = `select s.record_id::text, case when s.fingerprint = $1 then s.subject end,
		case when s.fingerprint is distinct from $1 then (select r.data from records r where r.id = s.record_id) end` +
		candidatesInOrder
	// candidateStoreRowsSQL reads them as storeColumns rows (a run with a
	// store of its cases: storedCandidates reads them).
	candidateStoreRowsSQL = `select s.record_id::text, s.xmin::text::bigint, s.fingerprint = $1` + candidatesInOrder
	candidatesInOrder     = ` from unnest($2::uuid[]) with ordinality u(id, n) join match_subjects s on s.record_id = u.id
		order by u.n`
	// rejectedSQL: the cases rejected for each of the traces $1.
	rejectedSQL = `select trace_id::text, case_id::text from potential_matches
		where trace_id = any($1::text[]::uuid[]) and status = 'rejected'`
)

// candidateRows selects a trace's candidates (selectCandidates) and
// queries their rows, best first: storeColumns rows (candidateStoreRowsSQL)
// for a run with a store of its cases, else caseColumns rows
// (candidateRowsSQL).
func candidateRows(ctx context.Context, c *tenancy.Conn, store bool, fingerprint int64, keys, skip []string, limit, cases int) (pgx.Rows, error) {
	ids, err := selectCandidates(ctx, c, keys, skip, limit, cases)
	if err != nil {
		return nil, err
	}
	return c.Query(ctx, candidateRowsSQLFor(store), fingerprint, ids)
}

// candidateRowsSQLFor is the statement candidateRows reads the selected
// cases with.
func candidateRowsSQLFor(store bool) string {
	if store {
		return candidateStoreRowsSQL
	}
	return candidateRowsSQL
}

// selectCandidates returns the ids of the consenting cases sharing one of
// keys (stop keys left out) whose shared keys weigh most (KeyWeight of
// cases, those the parameters were estimated on, and of the consenting
// cases holding the key), those of skip (settled cases, cases rejected for
// the trace) left out, best first and then by id (as PostgreSQL orders
// uuids), at most limit: what RunKeys.Select selects in a run.
func selectCandidates(ctx context.Context, c *tenancy.Conn, keys, skip []string, limit, cases int) ([][16]byte, error) {
	if len(keys) == 0 || limit <= 0 {
		return [][16]byte{}, nil
	}
	rows, err := c.Query(ctx, candidatePostingsSQL, keys)
	if err != nil {
		return nil, err
	}
	var postings [][][16]byte
	var ids [][16]byte
	if _, err := pgx.ForEachRow(rows, []any{&ids}, func() error {
		postings = append(postings, ids)
		ids = nil
		return nil
	}); err != nil {
		return nil, err
	}
	left := make(map[[16]byte]bool, len(skip))
	for _, s := range skip {
		id, err := uuid.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("matching: a case to leave out has no uuid %q: %w", s, err)
		}
		left[id] = true
	}
	return rankPostings(postings, cases, limit, left), nil
}

// rankedCase is a case sharing keys with a trace, as one sort key:
// MaxInt64 less what its shared keys weigh (best first), then its id as
// two big-endian numbers (as PostgreSQL orders uuids).
type rankedCase struct{ rank, hi, lo uint64 }

func (a rankedCase) compare(b rankedCase) int {
	return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.hi, b.hi), cmp.Compare(a.lo, b.lo))
}

// rankScratch is rankPostings' memory, reused from trace to trace.
type rankScratch struct {
	score map[[16]byte]int64
	hits  []rankedCase
	order []uint64
}

var rankScratches = sync.Pool{New: func() any { return &rankScratch{score: map[[16]byte]int64{}} }}

// rankPostings ranks the cases of postings (one list per key of the
// trace, each key's consenting cases) for selectCandidates.
func rankPostings(postings [][][16]byte, cases, limit int, skip map[[16]byte]bool) [][16]byte {
	s := rankScratches.Get().(*rankScratch)
	defer rankScratches.Put(s)
	clear(s.score)
	for _, l := range postings {
		w := KeyWeight(cases, len(l))
		for _, id := range l {
			s.score[id] += w
		}
	}
	hits := s.hits[:0]
	for id, score := range s.score {
		if !skip[id] {
			hits = append(hits, rankedCase{rank: uint64(math.MaxInt64 - score), hi: binary.BigEndian.Uint64(id[:8]),
				lo: binary.BigEndian.Uint64(id[8:])})
		}
	}
	if len(hits) > limit {
		// Sorting is for the cases at or above the limit-th score only: a
		// trace's keys hit several times as many cases as it keeps.
		order := s.order[:0]
		for _, h := range hits {
			order = append(order, h.rank)
		}
		worst := smallest(order, limit)[limit-1]
		s.order = order[:0]
		hits = slices.DeleteFunc(hits, func(h rankedCase) bool { return h.rank > worst })
	}
	slices.SortFunc(hits, rankedCase.compare)
	out := make([][16]byte, min(limit, len(hits)))
	for i := range out {
		binary.BigEndian.PutUint64(out[i][:8], hits[i].hi)
		binary.BigEndian.PutUint64(out[i][8:], hits[i].lo)
	}
	s.hits = hits[:0]
	return out
}

// rejectedCases returns the cases rejected for each of traces.
func rejectedCases(ctx context.Context, c *tenancy.Conn, traces []string) (map[string][]string, error) {
	rows, err := c.Query(ctx, rejectedSQL, traces)
	if err != nil {
		return nil, err
	}
	rejected := map[string][]string{}
	return rejected, collectRejected(rows, rejected)
}

// collectRejected adds rejectedSQL's rows to rejected.
func collectRejected(rows pgx.Rows, rejected map[string][]string) error {
	var trace, cs string
	_, err := pgx.ForEachRow(rows, []any{&trace, &cs}, func() error {
		rejected[trace] = append(rejected[trace], cs)
		return nil
	})
	return err
}
