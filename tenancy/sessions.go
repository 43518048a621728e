package tenancy

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// IdleTimeoutDefault ends a session unused for this long.
const IdleTimeoutDefault = 30 * time.Minute

// SessionLifespanDefault is Kratos' absolute session lifespan as configured
// in infra/kratos/config/kratos.yml (session.lifespan).
const SessionLifespanDefault = 12 * time.Hour

// ErrSessionIdle means the session was unused for longer than the idle timeout.
var ErrSessionIdle = errors.New("session idle for too long")

// TouchSession records activity of a session at now, unless it has been idle
// for longer than idle, in which case it returns ErrSessionIdle (and the
// session stays expired). One statement: concurrent requests cannot revive it.
func (p *Platform) TouchSession(ctx context.Context, sessionID string, now time.Time, idle time.Duration) error {
	if !isUUID(sessionID) {
		return ErrSessionIdle
	}
	var seen time.Time
	err := p.pool.QueryRow(ctx, `
		insert into platform.session_activity as s (session_id, last_seen_at) values ($1, $2)
		on conflict (session_id) do update set last_seen_at = greatest(s.last_seen_at, excluded.last_seen_at)
			where s.last_seen_at >= $2 - $3::interval
		returning last_seen_at`, sessionID, now, idle).Scan(&seen)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrSessionIdle
	}
	return err
}

// ForgetIdleSessions deletes activity rows older than the longest session
// lifespan (they can no longer matter). Returns how many were deleted.
func (p *Platform) ForgetIdleSessions(ctx context.Context, before time.Time) (int64, error) {
	tag, err := p.pool.Exec(ctx, "delete from platform.session_activity where last_seen_at < $1", before)
	return tag.RowsAffected(), err
}
