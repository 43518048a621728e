-- Append-only audit trail of every access to tenant data. The tenant role may only
-- SELECT and INSERT (see tenancy.applyGrants: tables whose comment starts with
-- "append-only" get no UPDATE or DELETE grant).
create table audit_logs (
    id bigint generated always as identity primary key,
    occurred_at timestamptz not null default now(),
    actor text not null,
    action text not null,
    record_type text,
    record_id uuid,
    outcome text not null check (outcome in ('allowed', 'denied', 'failed')),
    remote_ip inet,
    user_agent text,
    metadata jsonb not null default '{}'
);

create index audit_logs_record_idx on audit_logs (record_type, record_id, occurred_at);

comment on table audit_logs is 'append-only: the tenant role may only select and insert';
---- create above / drop below ----
drop table audit_logs;
