package matching

import (
	"cmp"
	"context"
	"log/slog"
	"time"

	"github.com/cpims-hosted/cpims/tenancy"
)

// ProgressInterval is how often, at most, a run's preparation writes its
// progress by default (a new stage is written at once).
const ProgressInterval = 2 * time.Second

// progressWait is how long a progress write waits for a connection of the
// pool (and its statement) before it is skipped: the preparation holds a
// connection and, through its transaction, the estimation lock, so a write
// that waited for the pool could wait for ever on another run or job that
// waits for that lock while holding the rest of the pool (as it did in the
// api tests). Progress is worth nothing that stops a run.
const progressWait = time.Second

// progressLogInterval is how often, at most, the worker's log says the
// same (and at each new stage): a 13-minute preparation logs some 30 lines.
const progressLogInterval = 30 * time.Second

// runProgress writes a run's stage and progress while it is prepared
// (matching_runs.stage, stage_done, stage_total; Run.Stage), each write a
// short transaction of its own: the preparation's transaction, open for
// many minutes at 1,000,000 cases, shows nothing it wrote before it
// commits. A nil runProgress writes nothing (a job's first estimate, which
// is no run).
type runProgress struct {
	s        *Service
	ctx      context.Context // the run's, not the preparation's transaction's
	code, id string
	every    time.Duration
	stage    string
	written  time.Time
	logged   time.Time
	skipped  time.Time // the last write that could not be made
}

func (s *Service) newRunProgress(ctx context.Context, code, id string) *runProgress {
	every := cmp.Or(s.cfg.ProgressInterval, ProgressInterval)
	return &runProgress{s: s, ctx: ctx, code: code, id: id, every: max(every, 0)}
}

// report says that the run's stage has done of total: written when the
// stage is new, when done reaches total, or when the last write is
// ProgressInterval old. A write that cannot get a connection within
// progressWait is skipped, logged, and not tried again for
// progressLogInterval; the run goes on.
func (r *runProgress) report(stage string, done, total int) error {
	if r == nil {
		return nil
	}
	now := time.Now()
	if now.Sub(r.skipped) < progressLogInterval {
		return nil // the last write was skipped: not again for a while
	}
	fresh := stage != r.stage
	if !fresh && done < total && now.Sub(r.written) < r.every {
		return nil
	}
	if fresh || now.Sub(r.logged) >= progressLogInterval {
		r.logged = now
		r.s.log().InfoContext(r.ctx, "matching run preparing", "tenant", r.code, "run", r.id, "stage", stage, "done", done,
			"total", total)
	}
	ctx, cancel := context.WithTimeout(r.ctx, cmp.Or(r.s.cfg.ProgressWait, progressWait))
	defer cancel()
	err := r.s.p.Tx(ctx, r.code, func(ctx context.Context, c *tenancy.Conn) error {
		_, err := c.Exec(ctx, "update matching_runs set stage = $2, stage_done = $3, stage_total = $4 where id = $1",
			r.id, stage, done, total)
		return err
	})
	if err != nil {
		if r.ctx.Err() != nil {
			return r.ctx.Err() // the run's own context: it is over
		}
		r.skipped = now
		r.s.log().WarnContext(r.ctx, "matching run progress not written: the run goes on", "tenant", r.code, "run", r.id,
			"stage", stage, "error", err)
		return nil
	}
	r.stage, r.written = stage, now
	if r.s.cfg.OnRunProgress != nil {
		r.s.cfg.OnRunProgress(stage, done, total)
	}
	return nil
}

// progressFunc is report as EstimateInput.Progress (nil when r is).
func (r *runProgress) progressFunc() func(stage string, done, total int) error {
	if r == nil {
		return nil
	}
	return r.report
}

func (s *Service) log() *slog.Logger { return s.p.Config().Logger }
