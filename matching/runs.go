package matching

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"golang.org/x/sync/errgroup"

	"github.com/cpims-hosted/cpims/tenancy"
)

// StoredConfiguration is the tenant's matching configuration with its
// version (0: the defaults, never changed).
type StoredConfiguration struct {
	Configuration Configuration `json:"configuration"`
	Version       int           `json:"version"`
}

// GetConfiguration returns the tenant's matching configuration.
func (s *Service) GetConfiguration(ctx context.Context, code string) (StoredConfiguration, error) {
	if err := s.p.Authorize(ctx, code, PermConfigRead); err != nil {
		return StoredConfiguration{}, err
	}
	var out StoredConfiguration
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		out.Configuration, out.Version, err = loadConfiguration(ctx, c)
		return err
	})
	return out, err
}

// PutConfiguration replaces the tenant's matching configuration (every
// problem at once, nothing stored when one is found) and queues a full
// re-matching run under it (new parameters are estimated first). A
// configuration equal to the current one changes nothing.
func (s *Service) PutConfiguration(ctx context.Context, code string, cfg Configuration) (StoredConfiguration, error) {
	if err := s.p.Authorize(ctx, code, PermConfigWrite); err != nil {
		return StoredConfiguration{}, err
	}
	if err := cfg.Validate(); err != nil {
		return StoredConfiguration{}, err
	}
	out := StoredConfiguration{Configuration: cfg}
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		cur, version, err := loadConfiguration(ctx, c)
		if err != nil {
			return err
		}
		out.Version = version
		if equalJSON(cur, cfg) {
			return nil
		}
		if err := c.QueryRow(ctx, `insert into matching_configuration (configuration, version, updated_by) values ($1, $2, $3)
			on conflict (id) do update set configuration = excluded.configuration, version = excluded.version,
				updated_by = excluded.updated_by, updated_at = now()
			returning version`, cfg, version+1, c.Subject().String()).Scan(&out.Version); err != nil {
			return err
		}
		c.Forget(configurationNote{}) // changed: read afresh from here on (ConfigurationRead)
		if err := c.AuditChange(ctx, "matching:write", map[string]any{"version": out.Version}); err != nil {
			return err
		}
		_, err = startRun(ctx, c, RunConfiguration)
		return err
	})
	return out, err
}

// Run reasons.
const (
	RunRequested     = "requested"
	RunPeriodic      = "periodic"
	RunConfiguration = "configuration"
)

// Run statuses.
const (
	RunQueued    = "queued"
	RunRunning   = "running"
	RunSucceeded = "succeeded"
	RunFailed    = "failed"
)

// Run stages: what a run is doing (Run.Stage). A run is prepared
// (prepareRun: its cases stored, then its parameters estimated from the
// estimation traces' candidates) in one long transaction, before its status
// leaves queued; the stages say how far that is.
const (
	StageQueued    = "queued"
	StageStoring   = "storing_cases"
	StageComparing = "comparing_candidates"
	StageEstimate  = "estimating"
	StageMatching  = "matching"
	StageDone      = "done"
)

// Run is a full re-matching run and its progress.
type Run struct {
	ID                string     `json:"id" format:"uuid"`
	Status            string     `json:"status" enum:"queued,running,succeeded,failed" doc:"queued until the run is prepared (see stage), running while its traces are matched."`
	Reason            string     `json:"reason" enum:"requested,periodic,configuration"`
	Stage             string     `json:"stage" enum:"queued,storing_cases,comparing_candidates,estimating,matching,done" doc:"What the run is doing: queued (waiting for a worker); storing_cases (every consenting case's values and blocking keys stored: stage_done cases read of stage_total); comparing_candidates (the estimation traces compared with their candidates: traces); estimating (expectation-maximisation: iterations, stage_total the most it may take, usually far fewer); matching (traces, as traces_done of traces_total); done. A failed run keeps the stage it failed in."`
	StageDone         int        `json:"stage_done" doc:"How far the stage is: stage_done of stage_total (written every few seconds)."`
	StageTotal        int        `json:"stage_total"`
	TracesTotal       int        `json:"traces_total"`
	TracesDone        int        `json:"traces_done" doc:"Traces matched so far: traces_done of traces_total is the matching's progress."`
	ParametersVersion *int       `json:"parameters_version,omitempty" doc:"The parameters estimated for this run."`
	Failure           string     `json:"failure,omitempty"`
	CreatedBy         string     `json:"created_by"`
	CreatedAt         time.Time  `json:"created_at"`
	StartedAt         *time.Time `json:"started_at,omitempty"`
	FinishedAt        *time.Time `json:"finished_at,omitempty"`
}

const runColumns = `id::text, status, reason, stage, stage_done, stage_total, traces_total, traces_done, parameters_version, failure,
	created_by, created_at, started_at, finished_at`

func scanRun(r pgx.Row) (Run, error) {
	var x Run
	err := r.Scan(&x.ID, &x.Status, &x.Reason, &x.Stage, &x.StageDone, &x.StageTotal, &x.TracesTotal, &x.TracesDone,
		&x.ParametersVersion, &x.Failure, &x.CreatedBy, &x.CreatedAt, &x.StartedAt, &x.FinishedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return x, tenancy.ErrNotFound
	}
	if x.Stage == StageMatching || x.Stage == StageDone {
		// the batches store traces_done only (one figure, not two)
		x.StageDone, x.StageTotal = x.TracesDone, x.TracesTotal
	}
	return x, err
}

// RunArgs is the River job of a full re-matching run.
type RunArgs struct {
	Tenant string `json:"tenant"`
	RunID  string `json:"run_id"`
}

// Kind implements river.JobArgs.
func (RunArgs) Kind() string { return "matching_run" }

// InsertOpts: a run is retried twice, never queued twice.
func (RunArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// startRun stores a queued run and queues its job in c's transaction.
func startRun(ctx context.Context, c *tenancy.Conn, reason string) (Run, error) {
	run, err := scanRun(c.QueryRow(ctx, `insert into matching_runs (reason, created_by) values ($1, $2) returning `+runColumns,
		reason, c.Subject().String()))
	if err != nil {
		return run, err
	}
	return run, c.Enqueue(ctx, RunArgs{Tenant: c.Tenant(), RunID: run.ID}, nil)
}

// StartRun queues a full re-matching run: new parameters are estimated,
// then every trace is matched again.
func (s *Service) StartRun(ctx context.Context, code, reason string) (Run, error) {
	if err := s.p.Authorize(ctx, code, PermConfigWrite); err != nil {
		return Run{}, err
	}
	var out Run
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		out, err = startRun(ctx, c, reason)
		if err == nil {
			c.AuditRecord(ctx, "matching_run", out.ID)
		}
		return err
	})
	return out, err
}

// StartPeriodicRun queues the periodic full re-matching run of tenant code
// (the matcher's periodic job, policy.ActorMatcher in ctx): new parameters
// estimated from the data as it is now, then every trace matched again,
// which also reaches the traces a case's change left out
// (MaxTracesPerCase). Nothing is queued when a run is already queued or
// running, when the tenant has no trace, or when no record was written
// since the last successful run started and that run stored the current
// blocking keys (BlockingVersion). It reports whether a run was queued.
func (s *Service) StartPeriodicRun(ctx context.Context, code string) (Run, bool, error) {
	if err := s.p.Authorize(ctx, code, PermMatch); err != nil {
		return Run{}, false, err
	}
	var out Run
	var started bool
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		// One decision at a time per tenant (two workers' periodic jobs).
		if _, err := c.Exec(ctx, "select pg_advisory_xact_lock(hashtext(current_schema() || '.matching_runs'))"); err != nil {
			return err
		}
		var due bool
		// Due also when the last successful run stored older blocking
		// keys (a release changed them: BlockingVersion).
		if err := c.QueryRow(ctx, `select exists (select 1 from traces)
			and not exists (select 1 from matching_runs where status in ('queued', 'running'))
			and (coalesce((select max(updated_at) from records) >
				(select max(started_at) from matching_runs where status = 'succeeded'), true)
				or (select blocking_version from matching_runs where status = 'succeeded'
					order by started_at desc nulls last limit 1) < $1)`, BlockingVersion).Scan(&due); err != nil {
			return err
		}
		if !due {
			return nil
		}
		var err error
		out, err = startRun(ctx, c, RunPeriodic)
		started = err == nil
		return err
	})
	return out, started, err
}

// GetRun returns a run and its progress.
func (s *Service) GetRun(ctx context.Context, code, id string) (Run, error) {
	if err := s.p.Authorize(ctx, code, PermConfigRead); err != nil {
		return Run{}, err
	}
	if !IsUUID(id) {
		return Run{}, tenancy.ErrNotFound
	}
	var out Run
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, "matching_run", id)
		var err error
		out, err = scanRun(c.QueryRow(ctx, "select "+runColumns+" from matching_runs where id = $1", id))
		return err
	})
	return out, err
}

// RunListParams filter and page a tenant's runs (ListRuns): status and
// reason empty for any.
type RunListParams struct {
	Status, Reason string
	Page, Per      int
}

// ListRuns returns a page of tenant code's re-matching runs, the newest
// first, and how many pass the filters: how administrators and the hosting
// team find the runs they did not start themselves (the periodic job's, a
// configuration change's) and see whether any is queued or running.
func (s *Service) ListRuns(ctx context.Context, code string, p RunListParams) ([]Run, int, error) {
	if err := s.p.Authorize(ctx, code, PermConfigRead); err != nil {
		return nil, 0, err
	}
	var bad []tenancy.FieldError
	if p.Status != "" && !slices.Contains([]string{RunQueued, RunRunning, RunSucceeded, RunFailed}, p.Status) {
		bad = append(bad, tenancy.FieldError{Path: "query.status", Reason: "is not queued, running, succeeded or failed", Value: p.Status})
	}
	if p.Reason != "" && !slices.Contains([]string{RunRequested, RunPeriodic, RunConfiguration}, p.Reason) {
		bad = append(bad, tenancy.FieldError{Path: "query.reason", Reason: "is not requested, periodic or configuration", Value: p.Reason})
	}
	if len(bad) > 0 {
		return nil, 0, &tenancy.ValidationError{Title: "The filters are not valid.", Errors: bad}
	}
	if p.Per <= 0 {
		p.Per = 20
	}
	p.Page = max(p.Page, 1)
	const where = ` from matching_runs where ($1 = '' or status = $1) and ($2 = '' or reason = $2)`
	out := []Run{}
	total := 0
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		if err := c.QueryRow(ctx, "select count(*)"+where, p.Status, p.Reason).Scan(&total); err != nil {
			return err
		}
		rows, err := c.Query(ctx, "select "+runColumns+where+" order by created_at desc, id desc limit $3 offset $4",
			p.Status, p.Reason, p.Per, (p.Page-1)*p.Per)
		if err != nil {
			return err
		}
		runs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Run, error) { return scanRun(r) })
		out = append(out, runs...)
		return err
	})
	return out, total, err
}

// RunBatch is how many tracing requests one transaction of a run matches
// by default.
const RunBatch = 200

func (s *Service) runBatch() int { return cmp.Or(s.cfg.RunBatch, RunBatch) }

func (s *Service) runWorkers() int { return cmp.Or(s.cfg.RunWorkers, runtime.GOMAXPROCS(0)) }

// ExecuteRun is the run job's work (policy.ActorMatcher in ctx): it
// estimates new parameters, then matches every tracing request in batches
// (one transaction each, progress stored after each). final: the last
// attempt; a failure then marks the run failed.
func (s *Service) ExecuteRun(ctx context.Context, code, id string, final bool) error {
	if err := s.p.Authorize(ctx, code, PermMatch); err != nil {
		return err
	}
	err := s.executeRun(ctx, code, id)
	if err != nil && final {
		_ = s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
			_, err := c.Exec(ctx, `update matching_runs set status = 'failed', failure = $2, finished_at = now() where id = $1`,
				id, err.Error())
			return err
		})
	}
	return err
}

// executeRun prepares the run (prepareRun), then matches its tracing
// requests (matchRun).
func (s *Service) executeRun(ctx context.Context, code, id string) error {
	if err := s.prepareRun(ctx, code, id); err != nil {
		return err
	}
	return s.matchRun(ctx, code, id)
}

// prepareRun stores every case's blocking keys under the current
// configuration, estimates new parameters from them and sets the run
// running with its total of traces.
func (s *Service) prepareRun(ctx context.Context, code, id string) error {
	var total int
	// Its progress from transactions of its own: nothing the preparation's
	// writes is seen before it commits (ctx, not the transaction's).
	progress := s.newRunProgress(ctx, code, id)
	return s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		if err := c.QueryRow(ctx, `select count(*) from traces`).Scan(&total); err != nil {
			return err
		}
		m, cfgVer, _, err := s.loadMatcher(ctx, c)
		if err != nil {
			return err
		}
		// The estimation lock before any case's row: a case's job that
		// estimates takes it first too, then writes its case (the other
		// order deadlocks with it).
		if err := lockEstimation(ctx, c); err != nil {
			return err
		}
		// Every case's values and keys under the current configuration
		// first: the candidates of the traces come from them.
		rng := s.estimationRand()
		pool, err := storeCases(ctx, c, m, rng, progress)
		if err != nil {
			return err
		}
		var version *int
		p, err := s.estimateFrom(ctx, c, pool, cfgVer, rng, progress)
		switch {
		case errors.Is(err, ErrTooLittleData):
		case err != nil:
			return err
		default:
			version = &p.Version
		}
		_, err = c.Exec(ctx, `update matching_runs set status = 'running', started_at = coalesce(started_at, now()), traces_total = $2,
			traces_done = 0, parameters_version = $3, blocking_version = $4, stage = 'matching' where id = $1`, id, total, version,
			BlockingVersion)
		return err
	})
}

// matchRun is a prepared run's matching: its tracing requests in order
// (runOrder), the run's store and keys (buildStore), then batches of them
// on RunWorkers transactions at once (matchBatches), and the run marked
// succeeded.
func (s *Service) matchRun(ctx context.Context, code, id string) error {
	order, err := s.runOrder(ctx, code)
	if err != nil {
		return err
	}
	cache := s.newCache() // the whole run's: cases are candidates of many traces
	store, keys, err := s.buildStore(ctx, code, id)
	if err != nil {
		return err
	}
	if store != nil && s.cfg.OnRunStore != nil {
		s.cfg.OnRunStore()
	}
	if err := s.matchBatches(ctx, code, id, order, cache, store, keys); err != nil {
		return err
	}
	return s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		_, err := c.Exec(ctx, `update matching_runs set status = 'succeeded', stage = 'done', traces_done = traces_total, finished_at = now()
			where id = $1`, id)
		return err
	})
}

// runOrder returns a run's tracing requests in the order it matches them.
func (s *Service) runOrder(ctx context.Context, code string) ([]string, error) {
	// The tracing requests in the order of their traces' LocalityKey (as
	// last stored), so that requests sharing candidates run close together
	// and find them decoded in the run's cache; each transaction matches
	// its share in id order (the lock order). A request created meanwhile
	// is matched by its own job.
	var order []string
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		rows, err := c.Query(ctx, `select r.id::text from records r
			left join traces t on t.tracing_request_id = r.id left join lateral unnest(t.match_keys) k on true
			where r.record_type = 'tracing_request'
			group by r.id
			order by coalesce(min(k collate "C") filter (where k like 'ns:%'), '~' || min(k collate "C"), '') collate "C", r.id`)
		if err != nil {
			return err
		}
		order, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	return order, err
}

// matchBatches matches the tracing requests of run id in order, in batches
// of RunBatch, one transaction each, storing the run's progress after each.
func (s *Service) matchBatches(ctx context.Context, code, id string, order []string, cache *SubjectCache, store *RunStore,
	keys *RunKeys) error {
	// Batches on RunWorkers transactions at once (each core scores one
	// batch's candidates while another's queries run): their requests are
	// disjoint and each locks its own in id order, as a case's job does, so
	// they never wait on each other but for the run's progress row, last.
	var (
		mu   sync.Mutex
		next int
	)
	g, gctx := errgroup.WithContext(ctx)
	for range s.runWorkers() {
		g.Go(func() error {
			for {
				mu.Lock()
				batch := slices.Clone(order[next:min(next+s.runBatch(), len(order))])
				next += len(batch)
				mu.Unlock()
				if len(batch) == 0 {
					return nil
				}
				slices.Sort(batch)
				err := s.p.Tx(gctx, code, func(ctx context.Context, c *tenancy.Conn) error {
					sc, err := s.loadScorer(ctx, c)
					if err != nil {
						return err
					}
					sc.useCache(cache)
					sc.useStore(store, keys)
					for _, tr := range batch {
						if err := s.matchRequest(ctx, c, sc, tr); err != nil {
							return fmt.Errorf("tracing request %s: %w", tr, err)
						}
					}
					_, err = c.Exec(ctx, `update matching_runs set traces_done = least(traces_total, traces_done +
						(select count(*) from traces where tracing_request_id = any($2::uuid[]))) where id = $1`, id, batch)
					return err
				})
				if err != nil {
					return err
				}
			}
		})
	}
	return g.Wait()
}

// buildStore reads every consenting case that has blocking keys, with its
// keys and current stored values, into a RunStore for the run's matcher
// and the run's RunKeys (nil: none, when the service keeps none, the
// matcher has no parameters or pre-score yet, or the tenant has more
// consenting cases than StoreCases). One read-only pass over the cases,
// after the run's snapshot (runSnapshot): the run's traces then select
// their candidates from the keys and read from the database only the cases
// changed since (matchRequest).
func (s *Service) buildStore(ctx context.Context, code, runID string) (*RunStore, *RunKeys, error) {
	// the snapshot first, also without a store: it prunes the changes
	snapshot, err := s.runSnapshot(ctx, code, runID)
	if err != nil {
		return nil, nil, err
	}
	limit := cmp.Or(s.cfg.StoreCases, DefaultStoreCases)
	if limit < 0 {
		return nil, nil, nil
	}
	var store *RunStore
	var keys *RunKeys
	err = s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var n int
		if err := c.QueryRow(ctx, "select count(*) from match_subjects").Scan(&n); err != nil {
			return err
		}
		if n > limit {
			return nil
		}
		sc, err := s.loadScorer(ctx, c)
		if err != nil || sc == nil || sc.m.PreScore() <= 0 {
			return err
		}
		st, err := sc.m.NewRunStore(sc.locs.digest())
		if err != nil {
			return err
		}
		rk := NewRunKeys(sc.stop)
		rk.snapshot, rk.version = snapshot, sc.version
		st.grow(n)
		rk.grow(n)
		if err := readRunCases(ctx, c, sc.m.Fingerprint(), st, rk); err != nil {
			return err
		}
		store, keys = st, rk
		return nil
	})
	return store, keys, err
}

// readRunCases reads every consenting case that has blocking keys (from
// match_subjects alone: only cases that take part have a row) into the
// run's keys rk (completed: Done) and, when st is not nil, its stored values
// current under fingerprint into st. The rows are read and keyed on this
// goroutine while another adds their stored values to st, a chunk of rows
// at a time in order; each case's place in st is given to rk at the end.
// (The rows, the store's Add and the keys' Add on three goroutines measured
// no faster in session 30, on a busy host: docs/matching-log.md, Speed →
// Sessions 30 (lead) and 58.)
func readRunCases(ctx context.Context, c *tenancy.Conn, fingerprint int64, st *RunStore, rk *RunKeys) error {
	rows, err := c.Query(ctx, `select s.record_id::text, s.keys, s.xmin::text::bigint,
			case when s.fingerprint = $1 then s.subject end
		from match_subjects s where cardinality(s.keys) > 0`, fingerprint)
	if err != nil {
		return err
	}
	var stored *storing
	if st != nil {
		stored = startStoring(st)
	}
	var id string
	var keys []string
	var version int64
	var form []byte
	_, err = pgx.ForEachRow(rows, []any{&id, &keys, &version, &form}, func() error {
		if stored != nil {
			stored.put(id, version, form)
		}
		form = nil
		return rk.Add(id, -1, keys)
	})
	if stored != nil {
		at := stored.wait()
		if err != nil {
			return err
		}
		st.Done()
		if err := rk.setStoreAt(at); err != nil {
			return err
		}
	}
	if err != nil {
		return err
	}
	return rk.Done()
}

// storing adds the rows readRunCases reads to a run's store on a goroutine
// of its own, in chunks, keeping each row's place in the store (-1: a form
// that cannot be read stays out, and the traces read the case from the
// database, as without a store).
type storing struct {
	chunk []storedRow
	ch    chan []storedRow
	done  chan []int32
}

type storedRow struct {
	id      string
	version int64
	form    []byte
}

// storingChunk is how many rows go to the storing goroutine at a time.
const storingChunk = 1024

func startStoring(st *RunStore) *storing {
	s := &storing{ch: make(chan []storedRow, 4), done: make(chan []int32, 1)}
	go func() {
		var at []int32
		for chunk := range s.ch {
			for _, r := range chunk {
				i := int32(-1)
				if r.form != nil {
					if j, err := st.Add(r.id, r.version, r.form); err == nil {
						i = j
					}
				}
				at = append(at, i)
			}
		}
		s.done <- at
	}()
	return s
}

func (s *storing) put(id string, version int64, form []byte) {
	if s.chunk == nil {
		s.chunk = make([]storedRow, 0, storingChunk)
	}
	s.chunk = append(s.chunk, storedRow{id, version, form})
	if len(s.chunk) == storingChunk {
		s.ch <- s.chunk
		s.chunk = nil
	}
}

// wait sends the last rows and returns each row's place in the store, in
// the order added.
func (s *storing) wait() []int32 {
	if len(s.chunk) > 0 {
		s.ch <- s.chunk
	}
	close(s.ch)
	return <-s.done
}

// runSnapshot records the database snapshot a run reads its cases after
// (matching_runs.store_snapshot) and returns it: a change to a case that it
// does not see may be missing from what the run read, and is read again
// (runChanges). It prunes the changes (match_changes) every running run's
// snapshot sees. One run at a time records and prunes (a lock), so a run
// never prunes what another's snapshot, being taken, will need.
func (s *Service) runSnapshot(ctx context.Context, code, runID string) (string, error) {
	var snapshot string
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		if _, err := c.Exec(ctx, "select pg_advisory_xact_lock(hashtext(current_schema() || '.match_changes'))"); err != nil {
			return err
		}
		if err := c.QueryRow(ctx, "select pg_current_snapshot()::text").Scan(&snapshot); err != nil {
			return err
		}
		if _, err := c.Exec(ctx, "update matching_runs set store_snapshot = $2 where id = $1", runID, snapshot); err != nil {
			return err
		}
		_, err := c.Exec(ctx, `delete from match_changes where xid < (select min(pg_snapshot_xmin(store_snapshot::pg_snapshot))
			from matching_runs where (status = 'running' or id = $1) and store_snapshot is not null)`, runID)
		return err
	})
	return snapshot, err
}

// runChanges reads the cases changed since the run's keys were read (the
// changes their snapshot does not see), as they are now, and the cases
// rejected for each of the traces, in one round trip (and one more when a
// case was erased since the read before).
func runChanges(ctx context.Context, c *tenancy.Conn, k *RunKeys, traces []string) (*RunChanges, map[string][]string, error) {
	l := &k.changes
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cases == nil {
		l.cases = map[string]ChangedCase{}
	}
	var now string
	fresh, erased := false, false
	rejected := map[string][]string{}
	b := &pgx.Batch{}
	b.Queue("select pg_current_snapshot()::text").QueryRow(func(row pgx.Row) error { return row.Scan(&now) })
	b.Queue(`select coalesce(x.record_id::text, ''), coalesce(s.keys, '{}'), s.record_id is not null
		from (select distinct record_id from match_changes
			where xid >= pg_snapshot_xmin($1::pg_snapshot) and not pg_visible_in_snapshot(xid, $1::pg_snapshot)) x
		left join match_subjects s on s.record_id = x.record_id`, cmp.Or(l.seen, k.snapshot)).Query(func(rows pgx.Rows) error {
		l.rows = 0
		var x ChangedCase
		_, err := pgx.ForEachRow(rows, []any{&x.ID, &x.Keys, &x.Consenting}, func() error {
			l.rows++
			if x.ID == "" {
				erased = true
			} else {
				l.cases[x.ID], fresh = x, true
			}
			x = ChangedCase{}
			return nil
		})
		return err
	})
	b.Queue(rejectedSQL, traces).Query(func(rows pgx.Rows) error { return collectRejected(rows, rejected) })
	if err := c.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, err
	}
	if erased {
		// A case erased is logged without its id, and the rows that named
		// it are erased with it: which of the cases the run may select
		// (its keys' and those changed since) is gone is asked of records.
		ids := slices.Concat(k.ids, slices.Collect(maps.Keys(l.cases)))
		rows, err := c.Query(ctx, `select x::text from unnest($1::text[]) x
			where not exists (select 1 from records r where r.id = x::uuid)`, ids)
		if err != nil {
			return nil, nil, err
		}
		var id string
		if _, err := pgx.ForEachRow(rows, []any{&id}, func() error {
			l.cases[id], fresh = ChangedCase{ID: id}, true
			return nil
		}); err != nil {
			return nil, nil, err
		}
	}
	// The next read asks for what this snapshot did not see: taken before
	// the changes were read, it may ask again for some (read again, as
	// they are then), never miss one.
	l.seen = now
	if fresh || l.ch == nil {
		changed := slices.SortedFunc(maps.Values(l.cases), func(a, b ChangedCase) int { return cmp.Compare(a.ID, b.ID) })
		l.ch = k.Changes(changed)
	}
	return l.ch, rejected, nil
}

// changeLog is what a run's tracing requests have read of the changes
// since its keys were read (runChanges): each changed case as it was at
// the last read's snapshot (seen), and their RunChanges. A read asks only
// for the changes that snapshot does not see (those committed since, and
// those of the transactions then in progress), so a request's read is as
// long as what changed since the request before, not since the run began:
// an import during a run does not make every later request read all of it.
// The reads of a run's workers take turns (mu), so each read's snapshot
// sees what the one before saw. A read's own transaction must not have
// changed a case: its uncommitted change would be kept as though
// committed (matchRequest writes traces and potential matches only).
type changeLog struct {
	mu    sync.Mutex
	seen  string // empty: the keys' snapshot
	cases map[string]ChangedCase
	ch    *RunChanges
	rows  int // the last read's rows of match_changes
}

func equalJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// IsUUID reports whether s is a UUID in its textual form (ids that are not
// cannot name a row: 404 without a query).
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}
