package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/cpims-hosted/cpims/attachments"
	"github.com/cpims-hosted/cpims/email"
	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/notify"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/storage"
	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/translations"
)

// Defaults for Config.
const (
	PlatformWorkersDefault = 4
	DefaultWorkersDefault  = 10
	PurgeIntervalDefault   = time.Hour
	RematchIntervalDefault = 24 * time.Hour
	DigestIntervalDefault  = time.Hour
	// CleanAttachmentsIntervalDefault: orphaned attachment files are
	// looked for once a day.
	CleanAttachmentsIntervalDefault = 24 * time.Hour
	// RekeyNamesInterval is how often the tenants are looked at for name
	// keys of an older version (besides when the worker starts, which is
	// when a release brings new keys).
	RekeyNamesInterval = 24 * time.Hour
)

// Config configures the worker client.
type Config struct {
	// PlatformWorkers is how many control-plane jobs (provisioning) run at once.
	// Defaults to PlatformWorkersDefault.
	PlatformWorkers int
	// DefaultWorkers is how many tenant jobs run at once. Defaults to DefaultWorkersDefault.
	DefaultWorkers int
	// PurgeInterval is how often deleted tenants past their grace period are purged.
	// Defaults to PurgeIntervalDefault.
	PurgeInterval time.Duration
	// RematchInterval is how often every active tenant gets a full FTR
	// re-matching run (new parameters, every trace matched again; skipped
	// when nothing was written since the last one). Defaults to
	// RematchIntervalDefault.
	RematchInterval time.Duration
	// DigestInterval is how often the daily digests are queued (each user
	// gets at most one a local day, from notify.DigestHour). Defaults to
	// DigestIntervalDefault.
	DigestInterval time.Duration
	// CleanAttachmentsInterval is how often every active tenant's attachment
	// files that no attachment names are deleted (with Storage only).
	// Defaults to CleanAttachmentsIntervalDefault.
	CleanAttachmentsInterval time.Duration
	// OrphanGrace is how old such a file must be to be deleted. Defaults to
	// attachments.OrphanGraceDefault.
	OrphanGrace time.Duration
	// OnlyPlatform works only the platform queue (tenant provisioning), e.g.
	// in `cpims tenant create`, which must not pick up other work.
	OnlyPlatform bool
	// Email delivers send_email jobs. Without it those jobs fail and are retried.
	Email email.Sender
	// Storage holds the tenants' files; a purged tenant's files are deleted
	// with it. Without it a purge leaves any stored files behind.
	Storage *storage.Store
	// Origin gives a tenant's web address, for links in notification emails
	// (identity.Links.TenantOrigin). Without it emails carry no link.
	Origin func(code string) string
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// MatchingCachedCases bounds the decoded cases a re-matching run keeps
	// (matching.ServiceConfig.CachedCases). Defaults to
	// matching.DefaultCachedCases; -1: none.
	MatchingCachedCases int
	// MatchingStoreCases bounds the consenting cases a re-matching run
	// holds in its store (matching.ServiceConfig.StoreCases). Defaults to
	// matching.DefaultStoreCases; -1: none.
	MatchingStoreCases int
}

// WithDefaults returns a copy of c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	c.PlatformWorkers = cmp.Or(c.PlatformWorkers, PlatformWorkersDefault)
	c.DefaultWorkers = cmp.Or(c.DefaultWorkers, DefaultWorkersDefault)
	c.PurgeInterval = cmp.Or(c.PurgeInterval, PurgeIntervalDefault)
	c.RematchInterval = cmp.Or(c.RematchInterval, RematchIntervalDefault)
	c.DigestInterval = cmp.Or(c.DigestInterval, DigestIntervalDefault)
	c.CleanAttachmentsInterval = cmp.Or(c.CleanAttachmentsInterval, CleanAttachmentsIntervalDefault)
	c.OrphanGrace = cmp.Or(c.OrphanGrace, attachments.OrphanGraceDefault)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// NewClient builds a River client that works every job kind. Call Start to run it.
func NewClient(pool *pgxpool.Pool, p *tenancy.Platform, cfg Config) (*river.Client[pgx.Tx], error) {
	cfg = cfg.WithDefaults()
	workers := river.NewWorkers()
	river.AddWorker(workers, &ProvisionWorker{Platform: p})
	river.AddWorker(workers, &PurgeWorker{Platform: p, Storage: cfg.Storage})
	river.AddWorker(workers, &SendEmailWorker{Sender: cfg.Email})
	locs := locations.New(p)
	river.AddWorker(workers, &ImportLocationsWorker{Locations: locs})
	fs := forms.New(p, forms.Config{Locations: locs})
	river.AddWorker(workers, &ImportTranslationsWorker{Translations: translations.New(p, fs, translations.Config{})})
	rs := records.New(p, records.Config{Schemas: records.FormsSchemas(fs)})
	river.AddWorker(workers, &RewritePhonesWorker{Records: rs})
	river.AddWorker(workers, &RekeyNamesWorker{Records: rs, Logger: cfg.Logger})
	river.AddWorker(workers, &RekeyNamesPeriodicWorker{Platform: p, Records: rs, Logger: cfg.Logger})
	river.AddWorker(workers, &notify.Worker{Platform: p, Sender: cfg.Email, Origin: cfg.Origin})
	river.AddWorker(workers, &notify.DigestWorker{Platform: p})
	m := matching.NewService(p, matching.ServiceConfig{CachedCases: cfg.MatchingCachedCases,
		StoreCases: cfg.MatchingStoreCases})
	river.AddWorker(workers, &MatchWorker{Matching: m})
	river.AddWorker(workers, &MatchingRunWorker{Matching: m})
	river.AddWorker(workers, &RematchWorker{Platform: p, Matching: m, Logger: cfg.Logger})
	rc := &river.Config{
		Schema: tenancy.RiverSchema,
		Logger: cfg.Logger,
		Queues: map[string]river.QueueConfig{
			river.QueueDefault:    {MaxWorkers: cfg.DefaultWorkers},
			tenancy.QueuePlatform: {MaxWorkers: cfg.PlatformWorkers},
		},
		Workers: workers,
		PeriodicJobs: []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(cfg.PurgeInterval),
				func() (river.JobArgs, *river.InsertOpts) { return PurgeArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(cfg.RematchInterval),
				func() (river.JobArgs, *river.InsertOpts) { return RematchArgs{}, nil }, nil),
			river.NewPeriodicJob(river.PeriodicInterval(cfg.DigestInterval),
				func() (river.JobArgs, *river.InsertOpts) { return notify.DigestArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(RekeyNamesInterval),
				func() (river.JobArgs, *river.InsertOpts) { return RekeyNamesPeriodicArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
		},
	}
	if cfg.Storage != nil {
		river.AddWorker(workers, &CleanAttachmentsWorker{Platform: p, Logger: cfg.Logger, Grace: cfg.OrphanGrace,
			Attachments: attachments.New(p, attachments.Config{Store: cfg.Storage, Logger: cfg.Logger})})
		rc.PeriodicJobs = append(rc.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(cfg.CleanAttachmentsInterval),
			func() (river.JobArgs, *river.InsertOpts) { return CleanAttachmentsArgs{}, nil }, nil))
	}
	if cfg.OnlyPlatform {
		rc.Queues = map[string]river.QueueConfig{tenancy.QueuePlatform: {MaxWorkers: cfg.PlatformWorkers}}
		rc.PeriodicJobs = nil
	}
	return river.NewClient(riverpgxv5.New(pool), rc)
}

// ProvisionWorker builds a tenant's schema (tenancy.Platform.Provision).
type ProvisionWorker struct {
	river.WorkerDefaults[tenancy.ProvisionArgs]
	Platform *tenancy.Platform
}

// Timeout allows for large migration sets.
func (w *ProvisionWorker) Timeout(*river.Job[tenancy.ProvisionArgs]) time.Duration {
	return 10 * time.Minute
}

// Work provisions the tenant. A failure has already been rolled back and
// recorded on the tenant; retrying would not help, so the job is cancelled.
func (w *ProvisionWorker) Work(ctx context.Context, job *river.Job[tenancy.ProvisionArgs]) error {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorProvisioner))
	if err := w.Platform.Provision(ctx, job.Args.Code); err != nil {
		return river.JobCancel(fmt.Errorf("provisioning tenant %q: %w", job.Args.Code, err))
	}
	return nil
}

// SessionLifespan is Kratos' absolute session lifespan (infra/kratos/config/kratos.yml).
const SessionLifespan = tenancy.SessionLifespanDefault

// PurgeArgs is the periodic job removing deleted tenants after their grace period.
type PurgeArgs struct{}

// Kind implements river.JobArgs.
func (PurgeArgs) Kind() string { return "purge_tenants" }

// InsertOpts puts purges on the platform queue, one at a time.
func (PurgeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: tenancy.QueuePlatform, UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute}}
}

// PurgeWorker runs tenancy.Platform.PurgeDue, deleting each purged tenant's
// stored files first, and forgets the activity of sessions that can no longer
// be alive (older than Kratos' 12-hour lifespan).
type PurgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	Platform *tenancy.Platform
	// Storage, if set, loses a tenant's files (storage.Store.DeletePrefix)
	// before its schema is dropped; if that fails the tenant is kept and
	// purged at the next run.
	Storage *storage.Store
}

// Work purges due tenants. A tenant whose purge failed is reported after the
// others were purged (the job is retried; the next periodic run tries again).
func (w *PurgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorPurger))
	var hooks []tenancy.PurgeHook
	if w.Storage != nil {
		hooks = append(hooks, func(ctx context.Context, code string) error {
			n, err := w.Storage.DeletePrefix(ctx, code)
			if n > 0 || err != nil {
				slog.InfoContext(ctx, "purged tenant files", "tenant", code, "objects", n, "error", err)
			}
			return err
		})
	}
	_, purgeErr := w.Platform.PurgeDue(ctx, time.Now(), hooks...)
	_, err := w.Platform.ForgetIdleSessions(ctx, time.Now().Add(-SessionLifespan))
	return errors.Join(purgeErr, err)
}

// eachActiveTenant calls f with each active tenant's code
// (tenancy.Platform.EachActive), logging a tenant whose call fails as failed,
// with the error.
func eachActiveTenant(ctx context.Context, p *tenancy.Platform, log *slog.Logger, failed string, f func(code string) error) error {
	return p.EachActive(ctx, func(code string) error {
		err := f(code)
		if err != nil {
			log.ErrorContext(ctx, failed, "tenant", code, "error", err)
		}
		return err
	})
}
