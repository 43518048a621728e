package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
)

// RewritePhonesWorker gives every record's stored phone numbers the form
// the tenant's new calling code gives them (records.Service.RewritePhones),
// as the named system actor phone_rewriter.
type RewritePhonesWorker struct {
	river.WorkerDefaults[records.RewritePhonesArgs]
	Records *records.Service
}

// Timeout allows for a million records (500 a transaction, progress kept).
func (w *RewritePhonesWorker) Timeout(*river.Job[records.RewritePhonesArgs]) time.Duration {
	return time.Hour
}

// Work runs the rewrite; a failed run is retried from the start (each
// batch is its own transaction, and records already rewritten are unchanged).
func (w *RewritePhonesWorker) Work(ctx context.Context, job *river.Job[records.RewritePhonesArgs]) error {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorPhoneRewriter))
	return w.Records.RewritePhones(ctx, job.Args.Tenant)
}
