package casework

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/tenancy"
)

// AlertWindow bounds how far back alerts go: older changes are history, not news.
const AlertWindow = 30 * 24 * time.Hour

// Alert is something someone else did to a record the caller owns, since
// the caller became its owner or last marked it read. It names fields,
// never their values.
type Alert struct {
	// ID is "<record id>:<version>" of the history entry, the new
	// incident's id, or "<potential match id>:<record id>" of a confirmed
	// match.
	ID         string    `json:"id"`
	RecordID   string    `json:"record_id" format:"uuid"`
	RecordType string    `json:"record_type" enum:"case,tracing_request,incident"`
	ShortID    string    `json:"short_id"`
	Type       string    `json:"type" doc:"assign; referral, transfer, transfer_request (a new one, to or about the caller's record); <type>_<status> (an answer: referral_accepted, transfer_rejected, ...); field_change; attachment_added, attachment_removed; disable, enable; incident (a new incident from the case); match_confirmed (a family tracing match of the case or tracing request was confirmed)."`
	Actor      string    `json:"actor" doc:"Who did it (their name at the time)."`
	At         time.Time `json:"at"`
	Fields     []string  `json:"fields,omitempty" doc:"field_change: the fields changed (names, no values)."`
	IncidentID string    `json:"incident_id,omitempty" format:"uuid"`
}

// alertsSQL derives the alerts of $1 (a principal id; $2 its subject
// string) on the records it owns, newest first. $3 is the window.
const alertsSQL = `with mine as (
	select a.record_id, greatest(a.created_at, coalesce(x.read_at, '-infinity'), now() - $3::interval) as since
	from record_access a left join alert_reads x on x.user_id = a.user_id and x.record_id = a.record_id
	where a.user_id = $1::uuid and a.kind = 'owner'
), alerts as (
	select h.record_id::text || ':' || h.version as id, h.record_id, h.changed_at as at, h.actor_name as actor,
		case when h.action in ('referral', 'transfer', 'transfer_request') then
			h.action || coalesce('_' || nullif((select c->'to'->>'status' from jsonb_array_elements(h.changes) c
				where c->>'path' = 'transition' limit 1), 'in_progress'), '')
		when h.action = 'update' then 'field_change' else h.action end as type,
		case when h.action = 'update' then array(select distinct substring(c->>'path' from '^[A-Za-z0-9_]+')
			from jsonb_array_elements(h.changes) c where c->>'path' is not null order by 1) else '{}' end as fields,
		'' as incident_id
	from mine m join record_history h on h.record_id = m.record_id and h.changed_at >= m.since
	where h.actor <> $2 and h.action <> 'create'
	union all
	select i.id::text, m.record_id, i.created_at, hi.actor_name, 'incident', '{}', i.id::text
	from mine m join records i on i.case_id = m.record_id and i.created_at >= m.since
		join record_history hi on hi.record_id = i.id and hi.version = 1
	where hi.actor <> $2
	union all
	select pm.id::text || ':' || m.record_id::text, m.record_id, pm.reviewed_at, pm.reviewer_name, 'match_confirmed', '{}', ''
	from mine m join potential_matches pm on m.record_id in (pm.case_id, pm.tracing_request_id)
	where pm.status = 'confirmed' and pm.reviewed_at >= m.since and pm.reviewed_by <> $2
)`

// Alerts returns a page of the caller's alerts, newest first, and their
// exact total. Needs alerts:read.
func (s *Service) Alerts(ctx context.Context, code string, page tenancy.Page) ([]Alert, int, error) {
	if err := s.p.Authorize(ctx, code, PermAlerts); err != nil {
		return nil, 0, err
	}
	if err := checkPage(&page); err != nil {
		return nil, 0, err
	}
	var out []Alert
	total := 0
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		sub := c.Subject()
		rows, err := c.Query(ctx, alertsSQL+`
			select a.id, a.record_id::text, r.record_type, r.short_id, a.type, a.actor, a.at, a.fields, a.incident_id, count(*) over ()
			from alerts a join records r on r.id = a.record_id where r.enabled
			order by a.at desc, a.id limit $4 offset $5`, selfID(sub), sub.String(), AlertWindow, page.Per, (page.Page-1)*page.Per)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Alert, error) {
			var a Alert
			err := row.Scan(&a.ID, &a.RecordID, &a.RecordType, &a.ShortID, &a.Type, &a.Actor, &a.At, &a.Fields, &a.IncidentID, &total)
			return a, err
		})
		if err != nil || len(out) > 0 || page.Page == 1 {
			return err
		}
		return c.QueryRow(ctx, alertsSQL+` select count(*) from alerts a join records r on r.id = a.record_id where r.enabled`,
			selfID(sub), sub.String(), AlertWindow).Scan(&total)
	})
	if out == nil {
		out = []Alert{}
	}
	return out, total, err
}

// MarkAlertsRead marks the alerts of record recordID read for the caller,
// or of every record the caller owns when recordID is empty, and returns
// how many records were marked. A record the caller does not own: 404.
// Needs alerts:read (it changes only the caller's own reading state).
func (s *Service) MarkAlertsRead(ctx context.Context, code, recordID string) (int, error) {
	if err := s.p.Authorize(ctx, code, PermAlerts); err != nil {
		return 0, err
	}
	if recordID != "" && !uuidRE.MatchString(recordID) {
		return 0, tenancy.ErrNotFound
	}
	var n int
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		tag, err := c.Exec(ctx, `insert into alert_reads (user_id, record_id, read_at)
			select a.user_id, a.record_id, now() from record_access a
			where a.user_id = $1::uuid and a.kind = 'owner' and ($2 = '' or a.record_id::text = $2)
			on conflict (user_id, record_id) do update set read_at = excluded.read_at`, selfID(c.Subject()), recordID)
		if err != nil {
			return err
		}
		n = int(tag.RowsAffected())
		if recordID != "" && n == 0 {
			return tenancy.ErrNotFound
		}
		return nil
	})
	return n, err
}
