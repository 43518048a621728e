-- Case workflows (docs/workflows.md): assignments, referrals, transfers and
-- transfer requests between people and agencies, and the information
-- sharing protocol that says which agencies may refer or transfer to which.
-- Package workflow owns the code and changes these tables, record_access,
-- the record's version and its history in the transaction of each use case.

-- One row per transition of a record, as Primero v2 shapes them. Assigns are
-- done at once; referrals, transfers and transfer requests start
-- in_progress and end accepted/done, rejected or revoked.
create table transitions (
    id uuid primary key default gen_random_uuid(),
    record_id uuid not null references records (id) on delete cascade,
    type text not null check (type in ('assign', 'referral', 'transfer', 'transfer_request')),
    status text not null check (status in ('in_progress', 'accepted', 'rejected', 'done', 'revoked')),
    -- Who started it (a user or service account) and who it is for; the
    -- receiving agency is the receiver's at the time (or the agency alone).
    transitioned_by uuid not null,
    transitioned_to uuid,
    transitioned_to_agency_id uuid references agencies (id),
    transitioned_from_agency_id uuid references agencies (id),
    -- A referral: the service asked for and the role whose forms the receiver reads.
    service text,
    authorized_role text,
    notes text not null default '',
    -- Consent to share with other organisations: given on the case
    -- (disclosure_other_orgs), or overridden by a role holding
    -- cases:consent_override, with its reason.
    consent_overridden boolean not null default false,
    consent_override_reason text,
    -- The answer: who gave it (receiver, their manager, the sender when revoking), when, why.
    responded_by uuid,
    responded_at timestamptz,
    response_notes text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (type <> 'assign' or status = 'done'),
    check (not consent_overridden or length(consent_override_reason) > 0)
);

create index transitions_record_idx on transitions (record_id, created_at);
-- Pending work of a receiver (dashboards, tasks) and of a sender.
create index transitions_to_idx on transitions (transitioned_to, status);
create index transitions_by_idx on transitions (transitioned_by, status);

-- The information sharing protocol: which agency may refer and/or transfer
-- records to which other agency. Within one agency everything is allowed;
-- across agencies only what a row allows (none by default: a new tenant
-- shares nothing until its administrators say so).
create table sharing_protocol (
    from_agency_id uuid not null references agencies (id) on delete cascade,
    to_agency_id uuid not null references agencies (id) on delete cascade,
    referral boolean not null default false,
    transfer boolean not null default false,
    updated_at timestamptz not null default now(),
    primary key (from_agency_id, to_agency_id),
    check (from_agency_id <> to_agency_id)
);

-- Email notifications of workflow events: one row per event and
-- recipient (event_id is unique: a retried request never notifies twice),
-- its delivery state for administrators. Never the child's data: the email
-- carries the case's short id and a link back.
create table notifications (
    id uuid primary key default gen_random_uuid(),
    event_id text not null unique check (length(event_id) between 1 and 200),
    kind text not null check (kind ~ '^[a-z_]{1,60}$'),
    recipient_id uuid not null references users (id) on delete cascade,
    record_id uuid references records (id) on delete cascade,
    transition_id uuid references transitions (id) on delete cascade,
    actor_name text not null default '',
    -- queued, sent, failed (gave up), skipped (the recipient opted out).
    status text not null default 'queued' check (status in ('queued', 'sent', 'failed', 'skipped')),
    attempts integer not null default 0,
    last_error text,
    created_at timestamptz not null default now(),
    sent_at timestamptz
);

create index notifications_created_idx on notifications (created_at desc);
create index notifications_recipient_idx on notifications (recipient_id, created_at desc);

-- A user's opt-out of one kind of email.
create table notification_opt_outs (
    user_id uuid not null references users (id) on delete cascade,
    kind text not null check (kind ~ '^[a-z_]{1,60}$'),
    primary key (user_id, kind)
);

-- Workflow actions in a record's change log.
alter table record_history drop constraint record_history_action_check;
alter table record_history add constraint record_history_action_check
    check (action in ('create', 'update', 'disable', 'enable', 'attachment_added', 'attachment_removed',
        'assign', 'referral', 'transfer', 'transfer_request'));

-- Caseworkers refer, transfer and ask for transfers; managers also override
-- a missing consent; administrators set the protocol; everyone who works
-- with records reads it (where may I refer?).
update roles set permissions = permissions || '{cases:refer,cases:transfer,cases:request_transfer,sharing_protocol:read}', updated_at = now()
where unique_id in ('role-caseworker', 'role-case-manager');
update roles set permissions = permissions || '{cases:consent_override}', updated_at = now()
where unique_id = 'role-case-manager';
update roles set permissions = permissions || '{sharing_protocol:read,sharing_protocol:write,notifications:read}', updated_at = now()
where unique_id = 'role-system-administrator';
update roles set permissions = permissions || '{sharing_protocol:read}', updated_at = now()
where unique_id = 'role-agency-admin';
---- create above / drop below ----
update roles set permissions = array(select p from unnest(permissions) p where p not in ('cases:refer', 'cases:transfer',
    'cases:request_transfer', 'cases:consent_override', 'sharing_protocol:read', 'sharing_protocol:write', 'notifications:read'));
delete from record_history where action in ('assign', 'referral', 'transfer', 'transfer_request');
alter table record_history drop constraint record_history_action_check;
alter table record_history add constraint record_history_action_check
    check (action in ('create', 'update', 'disable', 'enable', 'attachment_added', 'attachment_removed'));
drop table notification_opt_outs;
drop table notifications;
drop table sharing_protocol;
drop table transitions;
