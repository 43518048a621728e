package jobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
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

// RematchArgs is the periodic job that queues a full re-matching run in
// every active tenant (matching.Service.StartPeriodicRun).
type RematchArgs struct{}

// Kind implements river.JobArgs.
func (RematchArgs) Kind() string { return "matching_periodic" }

// RematchWorker queues the periodic re-matching run of each active tenant
// as the named system actor matcher. A tenant that fails is logged and
// skipped; the others still get their run, and the failures are returned
// together (the job is retried; a tenant whose run was queued is not
// queued again while it is queued or running).
type RematchWorker struct {
	river.WorkerDefaults[RematchArgs]
	Platform *tenancy.Platform
	Matching *matching.Service
	Logger   *slog.Logger
}

// Work queues the runs.
func (w *RematchWorker) Work(ctx context.Context, _ *river.Job[RematchArgs]) error {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorMatcher))
	return eachActiveTenant(ctx, w.Platform, w.Logger, "periodic re-matching run not queued", func(code string) error {
		run, started, err := w.Matching.StartPeriodicRun(ctx, code)
		if err == nil && started {
			w.Logger.InfoContext(ctx, "periodic re-matching run queued", "tenant", code, "run", run.ID)
		}
		return err
	})
}
