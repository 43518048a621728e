package locations

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/cpims-hosted/cpims/internal/importprogress"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// ImportArgs is the River job applying an uploaded locations file. The file
// is in the tenant's location_imports row; the worker reopens the tenant
// transaction as policy.ActorLocationImporter (jobs.ImportLocationsWorker).
type ImportArgs struct {
	Tenant   string `json:"tenant"`
	ImportID string `json:"import_id"`
}

// Kind implements river.JobArgs.
func (ImportArgs) Kind() string { return "import_locations" }

// InsertOpts retries twice (a database hiccup); a job is never queued twice.
func (ImportArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Import statuses.
const (
	StatusQueued    = "queued"
	StatusRunning   = "running"
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
)

// Import is an uploaded locations file and what became of it.
type Import struct {
	ID     string `json:"id" format:"uuid"`
	Status string `json:"status" enum:"queued,running,succeeded,failed"`
	Format string `json:"format" enum:"csv,hxl"`
	// Filename is the uploaded file's name, if it had one.
	Filename    string     `json:"filename"`
	RowsTotal   int        `json:"rows_total" doc:"Data rows in the file."`
	RowsDone    int        `json:"rows_done" doc:"Rows settled so far: rows_done of rows_total is the progress."`
	RowsApplied int        `json:"rows_applied" doc:"Rows applied (added, changed or already as wanted), once succeeded."`
	RowsInvalid int        `json:"rows_invalid" doc:"Rows refused, each with its reason in the report."`
	Failure     string     `json:"failure,omitempty" doc:"Why the import failed as a whole (the file was not applied)."`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	StartedAt   *time.Time `json:"started_at,omitempty"`
	FinishedAt  *time.Time `json:"finished_at,omitempty"`
}

// Outcomes of a row.
const (
	OutcomeApplied = "applied"
	OutcomeInvalid = "invalid"
)

// ReportRow is what became of one data row of an imported file.
type ReportRow struct {
	// Row is the row number in the file, counting header rows as a
	// spreadsheet does (the first data row of a plain CSV is row 2).
	Row     int    `json:"row"`
	Code    string `json:"code"`
	Outcome string `json:"outcome" enum:"applied,invalid"`
	Reason  string `json:"reason,omitempty" doc:"Why the row was refused, in English."`
	// ReasonCode is the reason's stable code (docs/configuration.md,
	// "Location import reasons"); ReasonParams the values its wording needs.
	ReasonCode   string            `json:"reason_code,omitempty" doc:"The reason's stable code, to word it in the reader's language (docs/configuration.md): missing_code, code_format, duplicate_code, parent_not_found, level_below_parent..."`
	ReasonParams map[string]string `json:"reason_params,omitempty" doc:"The values the reason's wording needs (row, parent, level, max...)."`
}

const importColumns = `id, status, format, filename, rows_total, rows_done, rows_applied, rows_invalid, failure,
	created_by, created_at, started_at, finished_at`

func scanImport(r pgx.Row) (Import, error) {
	var im Import
	err := r.Scan(&im.ID, &im.Status, &im.Format, &im.Filename, &im.RowsTotal, &im.RowsDone, &im.RowsApplied,
		&im.RowsInvalid, &im.Failure, &im.CreatedBy, &im.CreatedAt, &im.StartedAt, &im.FinishedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return im, tenancy.ErrNotFound
	}
	return im, err
}

const auditImportType = "location_import"

// StartImport checks an uploaded file (ParseFile: a file that cannot be
// imported is refused now, with a *tenancy.InvalidError) and queues its
// import: the file, its import row and the job are stored in one
// transaction. filename is informative.
func (s *Service) StartImport(ctx context.Context, tenant, filename string, content []byte) (Import, error) {
	if err := s.p.Authorize(ctx, tenant, PermWrite); err != nil {
		return Import{}, err
	}
	sub, err := policy.SubjectFrom(ctx)
	if err != nil {
		return Import{}, err
	}
	if len([]rune(filename)) > 255 {
		filename = string([]rune(filename)[:255])
	}
	var out Import
	err = s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		locale, err := defaultLocale(ctx, c)
		if err != nil {
			return err
		}
		f, err := ParseFile(content, locale)
		if err != nil {
			return err
		}
		if out, err = scanImport(c.QueryRow(ctx, `insert into location_imports (format, filename, content, rows_total, created_by)
			values ($1, $2, $3, $4, $5) returning `+importColumns, f.Format, filename, content, f.Rows, sub.String())); err != nil {
			return err
		}
		c.AuditRecord(ctx, auditImportType, out.ID)
		return c.Enqueue(ctx, ImportArgs{Tenant: tenant, ImportID: out.ID}, nil)
	})
	return out, err
}

func defaultLocale(ctx context.Context, c *tenancy.Conn) (string, error) {
	var locale string
	err := c.QueryRow(ctx, "select default_locale from system_settings").Scan(&locale)
	return locale, err
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// ReportFilter selects a page of an import's report.
type ReportFilter struct {
	// Outcome, if set, keeps OutcomeApplied or OutcomeInvalid rows.
	Outcome string
	// Page (from 1) and Per (default PerDefault, at most PerMax) select a
	// page, in row order.
	Page, Per int
}

// GetImport returns an import, a page of its report (written when the
// import has run) and the number of report rows matching f.
func (s *Service) GetImport(ctx context.Context, tenant, id string, f ReportFilter) (Import, []ReportRow, int, error) {
	if err := s.p.Authorize(ctx, tenant, PermWrite); err != nil {
		return Import{}, nil, 0, err
	}
	if !uuidRE.MatchString(id) {
		return Import{}, nil, 0, tenancy.ErrNotFound
	}
	f.Page, f.Per = page(f.Page, f.Per)
	var im Import
	var rows []ReportRow
	var total int
	err := s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		if im, err = scanImport(c.QueryRow(ctx, "select "+importColumns+" from location_imports where id = $1", id)); err != nil {
			return err
		}
		c.AuditRecord(ctx, auditImportType, im.ID)
		cond := "import_id = $1 and ($2 = '' or outcome = $2)"
		if err := c.QueryRow(ctx, "select count(*) from location_import_rows where "+cond, id, f.Outcome).Scan(&total); err != nil {
			return err
		}
		rs, err := c.Query(ctx, "select row_number, code, outcome, reason, reason_code, reason_params from location_import_rows where "+cond+
			" order by row_number limit $3 offset $4", id, f.Outcome, f.Per, (f.Page-1)*f.Per)
		if err != nil {
			return err
		}
		rows, err = pgx.CollectRows(rs, func(r pgx.CollectableRow) (ReportRow, error) {
			var rr ReportRow
			return rr, r.Scan(&rr.Row, &rr.Code, &rr.Outcome, &rr.Reason, &rr.ReasonCode, &rr.ReasonParams)
		})
		return err
	})
	return im, rows, total, err
}

// errImportDone: the import already ran (a duplicate delivery of its job).
var errImportDone = errors.New("import already done")

// PermanentError is an import failure that retrying cannot fix: the job
// should be cancelled.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// RunImport applies an import's file, as its job does, acting as the subject
// in ctx (policy.ActorLocationImporter). Every valid row is applied and every
// row's outcome reported, in one transaction; progress is committed apart
// along the way. lastAttempt says whether a failure is final: the import is
// then marked failed, otherwise queued again with the reason. A failure that
// retrying cannot fix is a *PermanentError.
func (s *Service) RunImport(ctx context.Context, tenant, id string, lastAttempt bool) error {
	err := s.runImport(ctx, tenant, id)
	if err == nil || errors.Is(err, errImportDone) {
		return nil
	}
	var ie *tenancy.InvalidError
	if errors.As(err, &ie) || errors.Is(err, tenancy.ErrNotFound) || errors.Is(err, tenancy.ErrForbidden) {
		err = &PermanentError{Err: err}
	}
	var pe *PermanentError
	final := lastAttempt || errors.As(err, &pe)
	reason := "the import failed and was not applied"
	if ie != nil {
		reason = ie.Reason
	} else if !final {
		reason += "; it will be tried again"
	}
	s.p.Config().Logger.ErrorContext(ctx, "location import failed", "tenant", tenant, "import", id, "final", final, "error", err)
	// A fresh context: the job's may be the reason this failed.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	status := StatusQueued
	if final {
		status = StatusFailed
	}
	if ferr := s.p.Tx(fctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		_, err := c.Exec(ctx, `update location_imports set status = $2, failure = $3, rows_done = 0,
			finished_at = case when $2 = 'failed' then now() end, content = case when $2 = 'failed' then null else content end
			where id = $1 and status in ('queued', 'running')`, id, status, reason)
		return err
	}); ferr != nil && !errors.Is(ferr, tenancy.ErrNotFound) {
		return errors.Join(err, ferr)
	}
	return err
}

func (s *Service) runImport(ctx context.Context, tenant, id string) error {
	if err := s.p.Authorize(ctx, tenant, PermWrite); err != nil {
		return err
	}
	var content []byte
	var locale string
	err := s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		var status string
		err := c.QueryRow(ctx, "select status, content from location_imports where id = $1 for update", id).Scan(&status, &content)
		if errors.Is(err, pgx.ErrNoRows) {
			return tenancy.ErrNotFound
		}
		if err != nil {
			return err
		}
		if status == StatusSucceeded || status == StatusFailed {
			return errImportDone
		}
		if locale, err = defaultLocale(ctx, c); err != nil {
			return err
		}
		_, err = c.Exec(ctx, `update location_imports set status = 'running', started_at = now(), rows_done = 0, failure = ''
			where id = $1`, id)
		return err
	})
	if err != nil {
		return err
	}
	f, err := ParseFile(content, locale)
	if err != nil {
		return err
	}
	content = nil
	return s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		if err := lock(ctx, c); err != nil {
			return err
		}
		pl, err := newPlan(ctx, c, f.entries, modeUpsert)
		if err != nil {
			return err
		}
		invalid := 0
		for _, r := range f.report {
			if r.e.problem != nil {
				invalid++
			}
		}
		rec := importprogress.New(s.p, tenant, "location_imports", "rows_done", id, 1, "location import")
		progress := func(n int) { rec.Add(ctx, n) }
		progress(invalid)
		sum, err := pl.write(ctx, c, progress)
		if err != nil {
			return err
		}
		if err := writeReport(ctx, c, id, f.report); err != nil {
			return err
		}
		if _, err := c.Exec(ctx, `update location_imports set status = 'succeeded', rows_done = rows_total, rows_applied = $2,
			rows_invalid = $3, content = null, finished_at = now() where id = $1`, id, len(f.report)-invalid, invalid); err != nil {
			return err
		}
		if len(sum.Added)+len(sum.Changed) > 0 {
			if err := configurationChanged(ctx, c, "locations"); err != nil {
				return err
			}
		}
		return c.Audit(ctx, tenancy.AuditEntry{Action: PermWrite.String(), Operation: ImportArgs{}.Kind(),
			RecordType: auditImportType, RecordID: id, Outcome: tenancy.OutcomeAllowed,
			Metadata: map[string]any{"rows_applied": len(f.report) - invalid, "rows_invalid": invalid,
				"added": len(sum.Added), "changed": len(sum.Changed)}})
	})
}

// writeReport stores each data row's outcome.
func writeReport(ctx context.Context, c *tenancy.Conn, id string, report []reportRow) error {
	for batch := range slices.Chunk(report, 5*batchSize) {
		nums, codes, outcomes, reasons := make([]int32, len(batch)), make([]string, len(batch)), make([]string, len(batch)), make([]string, len(batch))
		reasonCodes, params := make([]string, len(batch)), make([]map[string]string, len(batch))
		for i, r := range batch {
			nums[i], codes[i], outcomes[i] = int32(r.row), r.e.code, OutcomeApplied
			if r.e.problem != nil {
				outcomes[i], reasons[i] = OutcomeInvalid, r.e.problem.String()
				reasonCodes[i], params[i] = r.e.problem.code, r.e.problem.params
			}
		}
		if _, err := c.Exec(ctx, `insert into location_import_rows (import_id, row_number, code, outcome, reason, reason_code, reason_params)
			select $1, * from unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])`,
			id, nums, codes, outcomes, reasons, reasonCodes, params); err != nil {
			return fmt.Errorf("writing the import report: %w", err)
		}
	}
	return nil
}
