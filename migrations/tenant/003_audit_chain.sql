-- Tamper evidence for the audit trail (docs/audit.md).
--
-- The rows form a hash chain: row n stores the hash of row n-1 (prev_hash) and
-- its own hash, SHA-256 over prev_hash and a canonical encoding of its fields.
-- Ids are chain positions 1, 2, 3, ... without gaps. The BEFORE INSERT trigger
-- assigns id, occurred_at, actor, prev_hash and hash itself, under a per-tenant
-- transaction-scoped advisory lock held until commit: the application cannot
-- choose them, and two transactions cannot chain to the same predecessor.
-- tenancy.Platform.VerifyAudit recomputes the chain.

alter table audit_logs
    add column operation text,
    add column request_id text,
    add column prev_hash bytea,
    add column hash bytea;

-- Chain positions are assigned under the lock: an identity would hand out
-- numbers before it (out of commit order) and leave gaps on rollback.
alter table audit_logs alter column id drop identity;

-- The hash of row r, given r.prev_hash: SHA-256 over a version tag and the
-- fields below in this order, each as a 4-byte big-endian signed length (-1
-- for NULL) followed by its UTF-8 text. tenancy/audit.go implements the same
-- encoding to verify; change both together, with a new version tag.
create function audit_logs_hash(r audit_logs) returns bytea
language sql stable parallel safe
begin atomic
    select sha256(string_agg(
            case when f is null then '\xffffffff'::bytea else int4send(length(f)) || f end,
            ''::bytea order by n))
    from unnest(array[
        convert_to('cpims.audit_logs.v1', 'UTF8'),
        r.prev_hash,
        convert_to(r.id::text, 'UTF8'),
        convert_to(to_char(r.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'UTF8'),
        convert_to(r.actor, 'UTF8'),
        convert_to(r.action, 'UTF8'),
        convert_to(r.operation, 'UTF8'),
        convert_to(r.record_type, 'UTF8'),
        convert_to(r.record_id::text, 'UTF8'),
        convert_to(r.outcome, 'UTF8'),
        convert_to(r.remote_ip::text, 'UTF8'),
        convert_to(r.user_agent, 'UTF8'),
        convert_to(r.request_id, 'UTF8'),
        convert_to(r.metadata::text, 'UTF8')
    ]) with ordinality as x(f, n);
end;

-- Rows written before the chain existed (there are none in production) are
-- renumbered 1..n in their id order and chained, keeping their other fields.
do $$
declare
    r audit_logs;
    old_id bigint;
    pos bigint := 0;
    prev bytea;
begin
    update audit_logs set id = -id;
    for r in select * from audit_logs order by id desc loop
        old_id := r.id;
        pos := pos + 1;
        r.id := pos;
        r.prev_hash := prev;
        r.hash := audit_logs_hash(r);
        update audit_logs set id = r.id, prev_hash = r.prev_hash, hash = r.hash where id = old_id;
        prev := r.hash;
    end loop;
end
$$;

alter table audit_logs
    alter column hash set not null,
    add constraint audit_logs_chain_check
        check (id > 0 and octet_length(hash) = 32 and (prev_hash is null) = (id = 1));

-- Appends one link. Runs as the inserting role (the tenant role): it needs no
-- privilege beyond SELECT and INSERT on audit_logs.
create function audit_logs_chain() returns trigger
language plpgsql
as $$
declare
    last_id bigint;
    last_hash bytea;
begin
    -- The query below names audit_logs without a schema: it must be this table.
    if TG_TABLE_SCHEMA is distinct from current_schema() then
        raise exception 'insert into %.audit_logs only with search_path = %', TG_TABLE_SCHEMA, TG_TABLE_SCHEMA;
    end if;
    -- One writer at a time per tenant, until it commits or rolls back. In READ
    -- COMMITTED each query below takes a fresh snapshot, so it sees the row of
    -- the transaction that held the lock before. (Under REPEATABLE READ a stale
    -- snapshot gives a duplicate id: the insert fails, the chain never forks.)
    perform pg_advisory_xact_lock(hashtext('cpims.audit_logs'), hashtext(TG_TABLE_SCHEMA));
    select id, hash into last_id, last_hash from audit_logs order by id desc limit 1;
    NEW.id := coalesce(last_id, 0) + 1;
    NEW.prev_hash := last_hash;
    NEW.occurred_at := clock_timestamp();
    -- The transaction's actor, set by tenancy.Platform.Tx.
    NEW.actor := coalesce(nullif(current_setting('cpims.actor', true), ''), NEW.actor);
    NEW.hash := audit_logs_hash(NEW);
    return NEW;
end
$$;

create trigger audit_logs_chain before insert on audit_logs
    for each row execute function audit_logs_chain();

-- The tenant role has no UPDATE, DELETE or TRUNCATE privilege; this stops the
-- owner role (migrations) too. Only a superuser disabling triggers gets past
-- it, and the chain then shows what changed.
create function audit_logs_append_only() returns trigger
language plpgsql
as $$
begin
    raise exception 'audit_logs is append-only: % refused', TG_OP;
end
$$;

create trigger audit_logs_append_only before update or delete on audit_logs
    for each row execute function audit_logs_append_only();
create trigger audit_logs_no_truncate before truncate on audit_logs
    for each statement execute function audit_logs_append_only();

-- Filters of the audit log listing (newest first, i.e. by id descending).
create index audit_logs_occurred_at_idx on audit_logs (occurred_at);
create index audit_logs_actor_idx on audit_logs (actor, id);

comment on table audit_logs is 'append-only, hash-chained: the tenant role may only select and insert; see docs/audit.md';
comment on column audit_logs.id is 'position in the hash chain: 1, 2, 3, ... without gaps, assigned by trigger audit_logs_chain';
comment on column audit_logs.prev_hash is 'hash of row id - 1; null for row 1';
comment on column audit_logs.hash is 'SHA-256 over prev_hash and this row''s fields (function audit_logs_hash)';
comment on column audit_logs.operation is 'the API operation id, e.g. getCase';
comment on column audit_logs.request_id is 'the HTTP request id, as logged';
---- create above / drop below ----
drop index audit_logs_actor_idx;
drop index audit_logs_occurred_at_idx;
drop trigger audit_logs_no_truncate on audit_logs;
drop trigger audit_logs_append_only on audit_logs;
drop function audit_logs_append_only();
drop trigger audit_logs_chain on audit_logs;
drop function audit_logs_chain();
drop function audit_logs_hash(audit_logs);
alter table audit_logs
    drop constraint audit_logs_chain_check,
    drop column hash,
    drop column prev_hash,
    drop column request_id,
    drop column operation,
    alter column id add generated always as identity;
select setval(pg_get_serial_sequence('audit_logs', 'id'), coalesce(max(id), 0) + 1, false) from audit_logs;
comment on table audit_logs is 'append-only: the tenant role may only select and insert';
