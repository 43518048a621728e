package matching

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/tenancy"
)

// SetSearched sets the hook a record's matching calls once it has read
// the other side's keys, before it commits (Service.searched).
func (s *Service) SetSearched(f func(recordType string)) { s.searched = f }

// ForRecordsData is the matcher's read of case records' data
// (forRecordsData), for BenchmarkReadRecordData.
func ForRecordsData(ctx context.Context, c *tenancy.Conn, m *Matcher, ids []string, fn func(id string, data map[string]any)) error {
	return forRecordsData(ctx, c, m, ids, fn)
}

// WholeRecordBytes is the size of a record readFields reads whole.
const WholeRecordBytes = wholeRecordBytes

// CandidatePostingsSQL and CandidateRowsSQLFor are the statements of a
// trace's candidates outside a run (selectCandidates, candidateRows), for
// the benchmark's EXPLAIN.
const CandidatePostingsSQL = candidatePostingsSQL

func CandidateRowsSQLFor(store bool) string { return candidateRowsSQLFor(store) }

// SelectCandidates selects a trace's candidates as matchRequest does
// outside a run: the cases rejected for it read in c, then
// selectCandidates.
func SelectCandidates(ctx context.Context, c *tenancy.Conn, traceID string, keys, settled []string, limit, cases int) ([][16]byte, error) {
	rejected, err := rejectedCases(ctx, c, []string{traceID})
	if err != nil {
		return nil, err
	}
	return selectCandidates(ctx, c, keys, append(slices.Clip(settled), rejected[traceID]...), limit, cases)
}

// CandidateRows is matchRequest's query of a trace's candidates outside a
// run (the cases rejected for it read in c, then candidateRows), for the
// benchmark and tests that run it on a seeded tenant.
func CandidateRows(ctx context.Context, c *tenancy.Conn, fingerprint int64, keys []string, traceID string, settled []string,
	limit, cases int, store bool) (pgx.Rows, error) {
	rejected, err := rejectedCases(ctx, c, []string{traceID})
	if err != nil {
		return nil, err
	}
	return candidateRows(ctx, c, store, fingerprint, keys, append(slices.Clip(settled), rejected[traceID]...), limit, cases)
}

// ReadRunKeys reads the run keys a run of id reads (buildStore: its
// snapshot recorded first, stored values aside), leaving out stop.
func (s *Service) ReadRunKeys(ctx context.Context, code, runID string, stop map[string]bool) (*RunKeys, error) {
	snapshot, err := s.runSnapshot(ctx, code, runID)
	if err != nil {
		return nil, err
	}
	rk := NewRunKeys(stop)
	rk.snapshot = snapshot
	err = s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		return readRunCases(ctx, c, 0, nil, rk)
	})
	return rk, err
}

// RunCandidates selects a trace's candidates as matchRequest does in a run
// with keys k: the changes since and the trace's rejected cases read in c,
// then RunKeys.Select.
func RunCandidates(ctx context.Context, c *tenancy.Conn, k *RunKeys, traceID string, keys, settled []string, limit, n int) ([]Selected, error) {
	changes, rejected, err := runChanges(ctx, c, k, []string{traceID})
	if err != nil {
		return nil, err
	}
	return k.Select(keys, n, limit, changes, append(slices.Clip(settled), rejected[traceID]...)), nil
}

// RunChangedIDs returns the cases a run with keys k reads again, changed
// since k was read (runChanges).
func RunChangedIDs(ctx context.Context, c *tenancy.Conn, k *RunKeys) ([]string, error) {
	changes, _, err := runChanges(ctx, c, k, nil)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, x := range changes.old {
		ids = append(ids, k.ids[x])
	}
	for _, x := range changes.now {
		if _, _, ok := k.find(x.id); !ok {
			ids = append(ids, x.id)
		}
	}
	return ids, nil
}

// RunChangesRead is how many changed cases (distinct rows of
// match_changes) the last read of k's changes returned.
func RunChangesRead(k *RunKeys) int {
	k.changes.mu.Lock()
	defer k.changes.mu.Unlock()
	return k.changes.rows
}

// MatchRun is a prepared run's matching phase (matchRun: the requests'
// order, the run's store and keys, the batches, the run marked
// succeeded), for BenchmarkRunMatching; run id must be running with its
// parameters stored (prepareRun's work).
func (s *Service) MatchRun(ctx context.Context, code, id string) error {
	return s.matchRun(ctx, code, id)
}

// PrepareRun is a run's preparation (prepareRun: every case's values and
// keys stored, parameters estimated, the run set running).
func (s *Service) PrepareRun(ctx context.Context, code, id string) error {
	return s.prepareRun(ctx, code, id)
}
