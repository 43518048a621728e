package translations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/internal/importprogress"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/tenancy"
)

// ImportArgs is the River job applying an uploaded PO file. The file is in
// the tenant's translation_imports row; the worker reopens the tenant
// transaction as policy.ActorTranslator (jobs.ImportTranslationsWorker).
type ImportArgs struct {
	Tenant   string `json:"tenant"`
	ImportID string `json:"import_id"`
}

// Kind implements river.JobArgs.
func (ImportArgs) Kind() string { return "import_translations" }

// InsertOpts retries twice (a database hiccup); a job is never queued twice.
func (ImportArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// errImportDone: the import already ran (a duplicate delivery of its job).
var errImportDone = errors.New("import already done")

// PermanentError is an import failure that retrying cannot fix: the job
// should be cancelled.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// RunImport applies an import's file, as its job does, acting as the
// subject in ctx (policy.ActorTranslator): every entry judged, those
// applicable applied, every outcome reported, in one tenant transaction.
// lastAttempt says whether a failure is final: the import is then marked
// failed, otherwise queued again with the reason. A failure that retrying
// cannot fix is a *PermanentError.
func (s *Service) RunImport(ctx context.Context, tenant, id string, lastAttempt bool) error {
	err := s.runImport(ctx, tenant, id)
	if err == nil || errors.Is(err, errImportDone) {
		return nil
	}
	var pe *ParseError
	if errors.As(err, &pe) || errors.Is(err, tenancy.ErrNotFound) || errors.Is(err, tenancy.ErrForbidden) {
		err = &PermanentError{Err: err}
	}
	var perm *PermanentError
	final := lastAttempt || errors.As(err, &perm)
	reason := "the import failed and nothing was applied"
	if !final {
		reason += "; it will be tried again"
	}
	s.p.Config().Logger.ErrorContext(ctx, "translations import failed", "tenant", tenant, "import", id, "final", final, "error", err)
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	status := StatusQueued
	if final {
		status = StatusFailed
	}
	if ferr := s.p.Tx(fctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		_, err := c.Exec(ctx, `update translation_imports set status = $2, failure = $3, entries_done = 0,
			finished_at = case when $2 = 'failed' then now() end, content = case when $2 = 'failed' then null else content end
			where id = $1 and status in ('queued', 'running')`, id, status, reason)
		return err
	}); ferr != nil && !errors.Is(ferr, tenancy.ErrNotFound) {
		return errors.Join(err, ferr)
	}
	return err
}

// ProgressEvery is how many entries a translations import judges between
// two commits of its progress.
const ProgressEvery = 200

func (s *Service) runImport(ctx context.Context, tenant, id string) error {
	if err := s.p.Authorize(ctx, tenant, PermWrite); err != nil {
		return err
	}
	var content []byte
	var locale string
	err := s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		var status string
		err := c.QueryRow(ctx, "select status, content, locale from translation_imports where id = $1 for update", id).
			Scan(&status, &content, &locale)
		if errors.Is(err, pgx.ErrNoRows) {
			return tenancy.ErrNotFound
		}
		if err != nil {
			return err
		}
		if status == StatusSucceeded || status == StatusFailed {
			return errImportDone
		}
		_, err = c.Exec(ctx, `update translation_imports set status = 'running', started_at = now(), entries_done = 0, failure = ''
			where id = $1`, id)
		return err
	})
	if err != nil {
		return err
	}
	f, err := Parse(content)
	if err != nil {
		return err
	}
	content = nil
	return s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		st, err := readSettings(ctx, c)
		if err != nil {
			return err
		}
		// Locations' lock first, then the configuration's (forms.RelabelTx),
		// as every change of both takes them.
		if err := locations.LockTx(ctx, c); err != nil {
			return err
		}
		report := make([]ReportEntry, len(f.Entries))
		sum := counts{}
		var cat *catalogue
		// Entries judged so far, committed apart as the job goes (the
		// status endpoint's entries_done); entries_total at the end.
		rec := importprogress.New(s.p, tenant, "translation_imports", "entries_done", id, ProgressEvery, "translations import")
		_, changes, err := s.forms.RelabelTx(ctx, c, func(b *forms.Bundle) error {
			var err error
			if cat, err = s.collect(ctx, c, st, locale, b); err != nil {
				return err
			}
			clear(sum)
			rec.Reset()
			for i, e := range f.Entries {
				rec.Add(ctx, 1)
				u := cat.byCtx[e.Context]
				v := judge(e, u)
				if v.outcome == OutcomeApplied {
					u.set(e.Str)
					u.text = e.Str // a later entry with the same text is unchanged
				}
				report[i] = ReportEntry{Line: e.Line, Context: cutText(strings.ReplaceAll(e.Context, "\x00", "\uFFFD"), 300),
					Outcome: v.outcome, Reason: v.reason, ReasonCode: v.code, ReasonParams: v.params}
				sum.add(v.outcome)
			}
			return nil
		})
		if err != nil {
			return err
		}
		rec.Flush(ctx)
		renamed, err := locations.RenameTx(ctx, c, cat.names)
		if err != nil {
			return err
		}
		if err := saveOverrides(ctx, c, locale, cat.overrides); err != nil {
			return err
		}
		if err := writeReport(ctx, c, id, report); err != nil {
			return err
		}
		var version int64
		if err := c.QueryRow(ctx, "select version from configuration").Scan(&version); err != nil {
			return err
		}
		if _, err := c.Exec(ctx, `update translation_imports set status = 'succeeded', entries_done = entries_total,
			applied = $2, unchanged = $3, skipped = $4, unknown = $5, stale = $6, invalid = $7, configuration_version = $8,
			content = null, finished_at = now() where id = $1`, id, sum[OutcomeApplied], sum[OutcomeUnchanged], sum[OutcomeSkipped],
			sum[OutcomeUnknown], sum[OutcomeStale], sum[OutcomeInvalid], version); err != nil {
			return err
		}
		meta := map[string]any{"locale": locale, "configuration_version": version, "configuration_changes": len(changes),
			"locations_renamed": len(renamed), "ui_messages": len(cat.overrides)}
		for _, o := range Outcomes {
			meta[o] = sum[o]
		}
		return c.Audit(ctx, tenancy.AuditEntry{Action: PermWrite.String(), Operation: ImportArgs{}.Kind(),
			RecordType: auditImportType, RecordID: id, Outcome: tenancy.OutcomeAllowed, Metadata: meta})
	})
}

// saveOverrides stores the tenant's wording of UI messages in locale.
func saveOverrides(ctx context.Context, c *tenancy.Conn, locale string, overrides map[string]string) error {
	if len(overrides) == 0 {
		return nil
	}
	ids := make([]string, 0, len(overrides))
	msgs := make([]string, 0, len(overrides))
	for id, m := range overrides {
		ids, msgs = append(ids, id), append(msgs, m)
	}
	_, err := c.Exec(ctx, `insert into ui_translations (locale, message_id, message)
		select $1, * from unnest($2::text[], $3::text[])
		on conflict (locale, message_id) do update set message = excluded.message, updated_at = now()`, locale, ids, msgs)
	return err
}

// writeReport stores each entry's outcome.
func writeReport(ctx context.Context, c *tenancy.Conn, id string, report []ReportEntry) error {
	const batch = 5000
	for start := 0; start < len(report); start += batch {
		part := report[start:min(start+batch, len(report))]
		pos, lines := make([]int32, len(part)), make([]int32, len(part))
		ctxs, outcomes, reasons := make([]string, len(part)), make([]string, len(part)), make([]string, len(part))
		codes, params := make([]string, len(part)), make([]map[string]string, len(part))
		for i, r := range part {
			pos[i], lines[i], ctxs[i], outcomes[i], reasons[i] = int32(start+i), int32(r.Line), r.Context, r.Outcome, r.Reason
			codes[i], params[i] = r.ReasonCode, r.ReasonParams
		}
		if _, err := c.Exec(ctx, `insert into translation_import_entries (import_id, position, line, context, outcome, reason,
				reason_code, reason_params)
			select $1, * from unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[])`,
			id, pos, lines, ctxs, outcomes, reasons, codes, params); err != nil {
			return fmt.Errorf("writing the import report: %w", err)
		}
	}
	return nil
}
