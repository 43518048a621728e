-- audit_logs_hash as one expression, so that the planner inlines it
-- (docs/audit.md, "Cost"). The encoding is unchanged (tag
-- cpims.audit_logs.v1, the same fields in the same order, each a 4-byte
-- big-endian signed length, -1 for NULL, then its bytes): every hash
-- written before is still what the function returns, and tenancy/audit.go
-- (chainHash) verifies both.
--
-- Why: the body of 003 (unnest ... with ordinality, string_agg ... order by)
-- is a query, which PostgreSQL cannot inline; the trigger's call planned it
-- again in every transaction: about 0.3 ms of the 0.38 ms that the call's
-- audit row added to a get (pg_stat_statements, docs/records.md, Session 24).
-- As an expression it is planned once per connection with the trigger's
-- other statements, and evaluated in microseconds.

-- One item of the encoding: its length then its bytes, or -1 for NULL
-- (int4send(length(NULL)) || NULL is NULL).
create function audit_logs_field(f bytea) returns bytea
language sql immutable parallel safe
return coalesce(int4send(length(f)) || f, '\xffffffff'::bytea);

create or replace function audit_logs_hash(r audit_logs) returns bytea
language sql stable parallel safe
return sha256(
    audit_logs_field(convert_to('cpims.audit_logs.v1', 'UTF8'))
    || audit_logs_field(r.prev_hash)
    || audit_logs_field(convert_to(r.id::text, 'UTF8'))
    || audit_logs_field(convert_to(to_char(r.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'UTF8'))
    || audit_logs_field(convert_to(r.actor, 'UTF8'))
    || audit_logs_field(convert_to(r.action, 'UTF8'))
    || audit_logs_field(convert_to(r.operation, 'UTF8'))
    || audit_logs_field(convert_to(r.record_type, 'UTF8'))
    || audit_logs_field(convert_to(r.record_id::text, 'UTF8'))
    || audit_logs_field(convert_to(r.outcome, 'UTF8'))
    || audit_logs_field(convert_to(r.remote_ip::text, 'UTF8'))
    || audit_logs_field(convert_to(r.user_agent, 'UTF8'))
    || audit_logs_field(convert_to(r.request_id, 'UTF8'))
    || audit_logs_field(convert_to(r.metadata::text, 'UTF8')));

---- create above / drop below ----

create or replace function audit_logs_hash(r audit_logs) returns bytea
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
drop function audit_logs_field(bytea);
