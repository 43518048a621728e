package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
)

// ImportLocationsWorker applies an uploaded locations file
// (locations.Service.RunImport) as the named system actor location_importer.
type ImportLocationsWorker struct {
	river.WorkerDefaults[locations.ImportArgs]
	Locations *locations.Service
}

// Timeout allows for files of hundreds of thousands of rows.
func (w *ImportLocationsWorker) Timeout(*river.Job[locations.ImportArgs]) time.Duration {
	return 15 * time.Minute
}

// Work runs the import. The import records its own failure; one that
// retrying cannot fix (the tenant or the import is gone) cancels the job.
func (w *ImportLocationsWorker) Work(ctx context.Context, job *river.Job[locations.ImportArgs]) error {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorLocationImporter))
	err := w.Locations.RunImport(ctx, job.Args.Tenant, job.Args.ImportID, job.Attempt >= job.MaxAttempts)
	var pe *locations.PermanentError
	if errors.As(err, &pe) {
		return river.JobCancel(err)
	}
	return err
}
