package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// RekeyNamesPeriodicArgs is the job, run when the worker starts and daily,
// that queues records.RekeyNamesArgs for every active tenant with name keys
// of an older names.KeysVersion: after a release that changed the keys,
// every tenant's phonetic search and FTR blocking read the new ones.
type RekeyNamesPeriodicArgs struct{}

// Kind implements river.JobArgs.
func (RekeyNamesPeriodicArgs) Kind() string { return "rekey_names_periodic" }

// RekeyNamesPeriodicWorker queues the tenants' rekeys as the named system
// actor name_rekeyer. A tenant that fails is logged and skipped; the
// failures are returned together (the job is retried).
type RekeyNamesPeriodicWorker struct {
	river.WorkerDefaults[RekeyNamesPeriodicArgs]
	Platform *tenancy.Platform
	Records  *records.Service
	Logger   *slog.Logger
}

// Work queues the rekeys.
func (w *RekeyNamesPeriodicWorker) Work(ctx context.Context, _ *river.Job[RekeyNamesPeriodicArgs]) error {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorNameRekeyer))
	return eachActiveTenant(ctx, w.Platform, w.Logger, "name keys of an older version: rekey not queued", func(code string) error {
		queued, err := w.Records.QueueRekeyNames(ctx, code)
		if err == nil && queued {
			w.Logger.InfoContext(ctx, "name keys of an older version: rekey queued", "tenant", code)
		}
		return err
	})
}

// RekeyNamesWorker recomputes one tenant's stale name keys
// (records.Service.RekeyNames) as the named system actor name_rekeyer,
// logging its progress.
type RekeyNamesWorker struct {
	river.WorkerDefaults[records.RekeyNamesArgs]
	Records *records.Service
	Logger  *slog.Logger
}

// Timeout allows for a million records and their traces (1,000 rows a
// transaction; a retry takes up the rows still stale).
func (w *RekeyNamesWorker) Timeout(*river.Job[records.RekeyNamesArgs]) time.Duration {
	return time.Hour
}

// Work runs the rekey, logging the rows done at most every ten seconds.
func (w *RekeyNamesWorker) Work(ctx context.Context, job *river.Job[records.RekeyNamesArgs]) error {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorNameRekeyer))
	start, last := time.Now(), time.Now()
	n, err := w.Records.RekeyNames(ctx, job.Args.Tenant, func(done, total int) {
		if time.Since(last) >= 10*time.Second {
			last = time.Now()
			w.Logger.InfoContext(ctx, "rekeying names", "tenant", job.Args.Tenant, "done", done, "total", total)
		}
	})
	if err != nil {
		return fmt.Errorf("rekeying the names of tenant %q (%d rows done; the retry takes up the rest): %w", job.Args.Tenant, n, err)
	}
	w.Logger.InfoContext(ctx, "names rekeyed", "tenant", job.Args.Tenant, "rows", n, "took", time.Since(start).Round(time.Millisecond))
	return nil
}
