package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/cpims-hosted/cpims/attachments"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// CleanAttachmentsArgs is the periodic job that deletes, in every active
// tenant, the attachment files no attachment names
// (attachments.Service.CleanOrphans).
type CleanAttachmentsArgs struct{}

// Kind implements river.JobArgs.
func (CleanAttachmentsArgs) Kind() string { return "attachments_clean" }

// CleanAttachmentsWorker runs the cleanup of each active tenant as the named
// system actor file_cleaner, keeping files younger than Grace. A tenant that
// fails is logged and skipped; the others are still cleaned, and the
// failures are returned together (the job is retried: cleaning again is
// harmless).
type CleanAttachmentsWorker struct {
	river.WorkerDefaults[CleanAttachmentsArgs]
	Platform    *tenancy.Platform
	Attachments *attachments.Service
	// Grace defaults to attachments.OrphanGraceDefault.
	Grace  time.Duration
	Logger *slog.Logger
	// Now defaults to time.Now.
	Now func() time.Time
}

// Timeout allows listing millions of files.
func (w *CleanAttachmentsWorker) Timeout(*river.Job[CleanAttachmentsArgs]) time.Duration {
	return 2 * time.Hour
}

// Work cleans every active tenant.
func (w *CleanAttachmentsWorker) Work(ctx context.Context, _ *river.Job[CleanAttachmentsArgs]) error {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorFileCleaner))
	log := w.Logger
	if log == nil {
		log = slog.Default()
	}
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	grace := w.Grace
	if grace == 0 {
		grace = attachments.OrphanGraceDefault
	}
	return eachActiveTenant(ctx, w.Platform, log, "attachment files not cleaned", func(code string) error {
		rep, err := w.Attachments.CleanOrphans(ctx, code, now().Add(-grace))
		if err != nil {
			return err
		}
		log.InfoContext(ctx, "attachment files cleaned", "tenant", code, "listed", rep.Listed, "deleted", rep.Deleted,
			"deleted_bytes", rep.DeletedBytes, "young", rep.Young)
		return nil
	})
}
