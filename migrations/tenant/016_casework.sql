-- Casework on cases (docs/workflows.md, issue 11): approvals, flags and
-- close/reopen. Package workflow owns the code; each use case changes these
-- tables, the record (version, history) and writes its audit row in one
-- transaction. Package tasks/alerts/dashboards read approvals and flags.

-- One row per approval request: requested by someone who may write the
-- case, answered (approved or rejected) by a manager of the owner's user
-- groups who holds cases:approve (or cases:approve_<type>), never by the
-- requester. The row is answered in place; a new request is a new row, so
-- the history of every type is kept.
create table approvals (
    id uuid primary key default gen_random_uuid(),
    record_id uuid not null references records (id) on delete cascade,
    approval_type text not null check (approval_type in ('assessment', 'case_plan', 'closure', 'action_plan', 'gbv_closure')),
    status text not null default 'requested' check (status in ('requested', 'approved', 'rejected')),
    -- User names (emails) as Primero shows them, and the principals' ids.
    requested_by text not null,
    requested_by_id uuid,
    requested_at timestamptz not null default now(),
    approver text,
    approver_id uuid,
    answered_at timestamptz,
    -- The request's notes.
    comment text not null default '',
    -- The answer's notes (why rejected).
    answer_comment text not null default '',
    check ((status = 'requested') = (answered_at is null))
);

create index approvals_record_idx on approvals (record_id, requested_at desc);
-- At most one pending request per case and type.
create unique index approvals_pending_idx on approvals (record_id, approval_type) where status = 'requested';
create index approvals_requested_idx on approvals (requested_at) where status = 'requested';

-- The case's current status per approval type ({"case_plan": "approved"}),
-- shown as approval_status_<type> and filterable; kept by package workflow
-- in the transaction that changes approvals.
alter table records add column approval_status jsonb not null default '{}';
create index records_approval_status_idx on records using gin (approval_status jsonb_path_ops) where approval_status <> '{}';

-- Flags draw attention to a record: a message and an optional date; a flag
-- is resolved (removed) with a message, never deleted. records.flagged is
-- true exactly when an unremoved flag exists (kept in the same transaction).
create table flags (
    id uuid primary key default gen_random_uuid(),
    record_id uuid not null references records (id) on delete cascade,
    message text not null check (length(message) between 1 and 2000),
    date date,
    flagged_by text not null,
    flagged_by_id uuid,
    created_at timestamptz not null default now(),
    removed boolean not null default false,
    unflag_message text,
    removed_by text,
    removed_by_id uuid,
    removed_at timestamptz,
    check (removed = (removed_at is not null))
);

create index flags_record_idx on flags (record_id, created_at desc);
create index flags_active_idx on flags (created_at desc) where not removed;

-- Closing and reopening are transitions (listed on the case) done at once.
alter table transitions drop constraint transitions_type_check;
alter table transitions add constraint transitions_type_check
    check (type in ('assign', 'referral', 'transfer', 'transfer_request', 'close', 'reopen'));
alter table transitions drop constraint transitions_check;
alter table transitions add constraint transitions_check check (type not in ('assign', 'close', 'reopen') or status = 'done');

alter table record_history drop constraint record_history_action_check;
alter table record_history add constraint record_history_action_check
    check (action in ('create', 'update', 'disable', 'enable', 'attachment_added', 'attachment_removed',
        'assign', 'referral', 'transfer', 'transfer_request', 'approval', 'flag', 'unflag', 'close', 'reopen'));

-- Caseworkers and managers flag, close and reopen cases; managers approve
-- every type (they held cases:approve already).
update roles set permissions = permissions || '{cases:flag,cases:close,cases:reopen}', updated_at = now()
where unique_id in ('role-caseworker', 'role-case-manager');
---- create above / drop below ----
update roles set permissions = array(select p from unnest(permissions) p where p not in ('cases:flag', 'cases:close', 'cases:reopen'));
delete from record_history where action in ('approval', 'flag', 'unflag', 'close', 'reopen');
alter table record_history drop constraint record_history_action_check;
alter table record_history add constraint record_history_action_check
    check (action in ('create', 'update', 'disable', 'enable', 'attachment_added', 'attachment_removed',
        'assign', 'referral', 'transfer', 'transfer_request'));
delete from transitions where type in ('close', 'reopen');
alter table transitions drop constraint transitions_check;
alter table transitions add constraint transitions_check check (type <> 'assign' or status = 'done');
alter table transitions drop constraint transitions_type_check;
alter table transitions add constraint transitions_type_check
    check (type in ('assign', 'referral', 'transfer', 'transfer_request'));
drop table flags;
alter table records drop column approval_status;
drop table approvals;
