-- Tasks, alerts, dashboards and the daily digest (docs/workflows.md, Tasks,
-- alerts, dashboards). Tasks and alerts are derived at read time from
-- records, their history and transitions; only what a user has read is
-- stored. Package casework owns the code.

-- A date at the start of a text value of a record's data ("2025-06-30" or
-- "2025-06-30T10:00:00Z"), null for anything else: due dates in data are
-- compared without failing on a value that is not a date.
create function casework_date(v text) returns date
language sql immutable as $$
    select case when v ~ '^\d{4}-\d{2}-\d{2}' then left(v, 10)::date end
$$;

-- Alerts a user has seen: changes by others to a record they own up to
-- read_at are no longer alerts. user_id is a user or service account.
create table alert_reads (
    user_id uuid not null,
    record_id uuid not null references records (id) on delete cascade,
    read_at timestamptz not null default now(),
    primary key (user_id, record_id)
);

-- Alerts read a record's recent history.
create index record_history_changed_idx on record_history (record_id, changed_at);

-- A notification being sent: claimed before the SMTP conversation, so that a
-- worker killed mid-send does not send it again (at most once).
alter table notifications drop constraint notifications_status_check;
alter table notifications add constraint notifications_status_check
    check (status in ('queued', 'sending', 'sent', 'failed', 'skipped'));

-- Caseworkers and case managers see their tasks and alerts; caseworkers
-- also their dashboard (managers had it).
update roles set permissions = permissions || '{tasks:read,alerts:read}', updated_at = now()
where unique_id in ('role-caseworker', 'role-case-manager');
update roles set permissions = permissions || '{dashboards:read}', updated_at = now()
where unique_id = 'role-caseworker';
---- create above / drop below ----
update roles set permissions = array(select p from unnest(permissions) p where p not in ('tasks:read', 'alerts:read'));
update roles set permissions = array(select p from unnest(permissions) p where p <> 'dashboards:read')
where unique_id = 'role-caseworker';
update notifications set status = 'failed' where status = 'sending';
alter table notifications drop constraint notifications_status_check;
alter table notifications add constraint notifications_status_check
    check (status in ('queued', 'sent', 'failed', 'skipped'));
drop index record_history_changed_idx;
drop table alert_reads;
drop function casework_date(text);
