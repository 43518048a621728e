-- Which cases' matching inputs changed, and in which transaction
-- (docs/matching.md, Speed, Session 27). A re-matching run reads every
-- consenting case's blocking keys and stored values once, after taking a
-- snapshot (matching_runs.store_snapshot), and selects its traces'
-- candidates from them in memory; for each tracing request it reads again
-- only the cases changed since: the rows here whose transaction that
-- snapshot does not see (pg_visible_in_snapshot). What a case's candidacy
-- reads is its record's type, enabled flag, consent (data's
-- consent_for_tracing: matching.ConsentField), blocking keys (match_keys)
-- and its stored parsed values (match_subjects): triggers log a change of
-- any of them, whoever writes, in the writer's transaction, so a run
-- misses none.
--
-- A run prunes the rows no run's snapshot still needs (matching.Service
-- buildStore).
-- A deleted case (only an erasure deletes one) is logged without its id
-- (record_id null): nothing may name an erased record but the audit log,
-- so the erasure also removes the rows that named it; a run that finds
-- such a row since its snapshot selects by the candidate query again.
create table match_changes (
    xid xid8 not null default pg_current_xact_id(),
    record_id uuid
);
create index match_changes_xid_idx on match_changes (xid);

alter table matching_runs add column store_snapshot text;

-- The functions name the table in the schema of the rows written
-- (TG_TABLE_SCHEMA), whatever the search_path of the writer.
create function match_changes_rows() returns trigger
language plpgsql
as $$
begin
    if TG_OP = 'INSERT' then
        execute format('insert into %I.match_changes (record_id) select id from inserted where record_type = ''case''',
            TG_TABLE_SCHEMA);
    else
        execute format('insert into %I.match_changes (record_id) select null from deleted where record_type = ''case'' limit 1',
            TG_TABLE_SCHEMA);
    end if;
    return null;
end
$$;

create function match_changes_row() returns trigger
language plpgsql
as $$
declare
    ids uuid[] := '{}';
begin
    if TG_TABLE_NAME = 'match_subjects' then
        if TG_OP <> 'DELETE' then ids := ids || NEW.record_id; end if;
        if TG_OP <> 'INSERT' then ids := ids || OLD.record_id; end if;
    else
        ids := array[NEW.id, OLD.id];
    end if;
    execute format('insert into %I.match_changes (record_id) select distinct unnest($1)', TG_TABLE_SCHEMA) using ids;
    return null;
end
$$;

create trigger match_changes_insert after insert on records
    referencing new table as inserted
    for each statement execute function match_changes_rows();
create trigger match_changes_delete after delete on records
    referencing old table as deleted
    for each statement execute function match_changes_rows();
create trigger match_changes_update after update on records
    for each row
    when ((OLD.record_type = 'case' or NEW.record_type = 'case') and (
        OLD.match_keys is distinct from NEW.match_keys or OLD.enabled is distinct from NEW.enabled
        or OLD.data->'consent_for_tracing' is distinct from NEW.data->'consent_for_tracing'
        or OLD.record_type is distinct from NEW.record_type or OLD.id is distinct from NEW.id))
    execute function match_changes_row();
create trigger match_changes_subjects after insert or delete on match_subjects
    for each row execute function match_changes_row();
create trigger match_changes_subjects_update after update on match_subjects
    for each row
    when (OLD.subject is distinct from NEW.subject or OLD.fingerprint is distinct from NEW.fingerprint
        or OLD.record_id is distinct from NEW.record_id)
    execute function match_changes_row();
---- create above / drop below ----
drop trigger match_changes_subjects_update on match_subjects;
drop trigger match_changes_subjects on match_subjects;
drop trigger match_changes_update on records;
drop trigger match_changes_delete on records;
drop trigger match_changes_insert on records;
drop function match_changes_row();
drop function match_changes_rows();
alter table matching_runs drop column store_snapshot;
drop table match_changes;
