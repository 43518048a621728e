package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/translations"
)

// ImportTranslationsWorker applies an uploaded PO file
// (translations.Service.RunImport) as the named system actor translator.
type ImportTranslationsWorker struct {
	river.WorkerDefaults[translations.ImportArgs]
	Translations *translations.Service
}

// Timeout allows for a whole product's texts in one file.
func (w *ImportTranslationsWorker) Timeout(*river.Job[translations.ImportArgs]) time.Duration {
	return 5 * time.Minute
}

// Work runs the import. The import records its own failure; one that
// retrying cannot fix (the tenant or the import is gone) cancels the job.
func (w *ImportTranslationsWorker) Work(ctx context.Context, job *river.Job[translations.ImportArgs]) error {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorTranslator))
	err := w.Translations.RunImport(ctx, job.Args.Tenant, job.Args.ImportID, job.Attempt >= job.MaxAttempts)
	var pe *translations.PermanentError
	if errors.As(err, &pe) {
		return river.JobCancel(err)
	}
	return err
}
