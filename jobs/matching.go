package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/policy"
)

// MatchWorker matches a record after it was created or changed
// (matching.Service.MatchRecord) as the named system actor matcher. A
// record changed while it was matched is matched again.
type MatchWorker struct {
	river.WorkerDefaults[matching.MatchArgs]
	Matching *matching.Service
}

// Timeout allows a case that many traces may seek.
func (w *MatchWorker) Timeout(*river.Job[matching.MatchArgs]) time.Duration { return 5 * time.Minute }

// Work matches the record.
func (w *MatchWorker) Work(ctx context.Context, job *river.Job[matching.MatchArgs]) error {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorMatcher))
	err := w.Matching.MatchRecord(ctx, job.Args.Tenant, job.Args.RecordType, job.Args.RecordID)
	if errors.Is(err, matching.ErrRunAgain) {
		return river.JobSnooze(time.Second)
	}
	return err
}

// MatchingRunWorker runs a full re-matching run (matching.Service.ExecuteRun)
// as the named system actor matcher; its last failed attempt marks the run
// failed.
type MatchingRunWorker struct {
	river.WorkerDefaults[matching.RunArgs]
	Matching *matching.Service
}

// Timeout allows a re-match of 100,000 traces.
func (w *MatchingRunWorker) Timeout(*river.Job[matching.RunArgs]) time.Duration { return 2 * time.Hour }

// Work runs the run.
func (w *MatchingRunWorker) Work(ctx context.Context, job *river.Job[matching.RunArgs]) error {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorMatcher))
	return w.Matching.ExecuteRun(ctx, job.Args.Tenant, job.Args.RunID, job.Attempt >= job.MaxAttempts)
}
