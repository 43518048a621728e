-- A case's blocking keys move off the wide records row into a postings
-- table (docs/matching.md, Blocking and Speed, Session 38): one row per
-- (key, case), whose primary key is the index a trace's candidates are
-- read from. A trace's candidate statement (matching.candidateSQL) reads
-- the pairs it shares with the cases by index-only scans: no heap page of
-- records per case sharing a key (5,000-20,000 a trace at 1,000,000 cases,
-- the 4 GB table), no unnesting of every such case's keys to find the few
-- it shares.
--
-- match_subjects.keys holds the case's keys as the matching job and a
-- run's preparation write them, with the stored values; match_keys follows
-- it, whoever writes: the triggers below insert and delete the pairs in
-- the writer's statement, so the postings are never out of step with the
-- keys.
--
-- A match_subjects row (and so a posting) exists only for a case that takes
-- part in matching (a case, enabled, consent_for_tracing true): the
-- candidate statement no longer reads each case's record to check. A
-- record written so that its case no longer takes part (consent withdrawn,
-- disabled, no longer a case) loses its row in the writer's transaction
-- (trigger match_subjects_left); an erased one by the foreign key's
-- cascade. The writers of match_subjects check that the case takes part in
-- the statement that writes it (matching.upsertSubject) and, in a case's
-- job, hold the record's row (for share) until they commit; a run's
-- preparation removes again, before it commits, the rows of cases that
-- stopped taking part while it ran.
alter table match_subjects add column keys text[] not null default '{}';

update match_subjects s set keys = r.match_keys
    from records r where r.id = s.record_id and cardinality(r.match_keys) > 0;

-- Rows of cases that no longer take part (none, unless a writer skipped
-- the job) go before the postings are built.
delete from match_subjects s using records r where s.record_id = r.id and not (r.record_type = 'case' and r.enabled
    and coalesce(r.data->'consent_for_tracing' = 'true'::jsonb, false));

create table match_keys (
    key text not null,
    record_id uuid not null,
    primary key (key, record_id)
);

insert into match_keys (key, record_id)
    select distinct k, s.record_id from match_subjects s cross join unnest(s.keys) k;

-- The functions name the table in the schema of the rows written
-- (TG_TABLE_SCHEMA), whatever the search_path of the writer. Inserts and
-- deletes by statement triggers with transition tables (a statement's
-- pairs in one insert or delete: an erasure's or a preparation's deletes
-- of many cases).
create function match_keys_inserted() returns trigger
language plpgsql
as $$
begin
    execute format('insert into %I.match_keys (key, record_id)
        select distinct k, n.record_id from new_rows n cross join unnest(n.keys) k
        on conflict do nothing', TG_TABLE_SCHEMA);
    return null;
end
$$;

create function match_keys_updated() returns trigger
language plpgsql
as $$
begin
    execute format('delete from %I.match_keys where record_id = $1 and key = any($2) and not (key = any($3))',
        TG_TABLE_SCHEMA) using OLD.record_id, OLD.keys, NEW.keys;
    execute format('insert into %I.match_keys (key, record_id) select k, $1 from unnest($2::text[]) k
        where not (k = any($3)) on conflict do nothing', TG_TABLE_SCHEMA) using NEW.record_id, NEW.keys, OLD.keys;
    return null;
end
$$;

create function match_keys_deleted() returns trigger
language plpgsql
as $$
begin
    execute format('delete from %I.match_keys m using (
            select k, o.record_id from old_rows o cross join unnest(o.keys) k) d
        where m.key = d.k and m.record_id = d.record_id', TG_TABLE_SCHEMA);
    return null;
end
$$;

create trigger match_keys_insert after insert on match_subjects
    referencing new table as new_rows
    for each statement execute function match_keys_inserted();
-- A row's update (its values rewritten, mostly with the same keys) calls
-- the function only when its keys changed.
create trigger match_keys_update after update on match_subjects
    for each row
    when (OLD.keys is distinct from NEW.keys or OLD.record_id is distinct from NEW.record_id)
    execute function match_keys_updated();
create trigger match_keys_delete after delete on match_subjects
    referencing old table as old_rows
    for each statement execute function match_keys_deleted();

create function match_subjects_left() returns trigger
language plpgsql
as $$
begin
    execute format('delete from %I.match_subjects where record_id = $1', TG_TABLE_SCHEMA) using NEW.id;
    return null;
end
$$;

create trigger match_subjects_left after update on records
    for each row
    when ((OLD.record_type = 'case' or NEW.record_type = 'case') and not (NEW.record_type = 'case' and NEW.enabled
        and coalesce(NEW.data->'consent_for_tracing' = 'true'::jsonb, false)))
    execute function match_subjects_left();

-- A run reads the changes to a case's candidacy since its snapshot
-- (match_changes, migration 043): the keys' changes are now logged from
-- match_subjects, no longer from records.
drop trigger match_changes_update on records;
create trigger match_changes_update after update on records
    for each row
    when ((OLD.record_type = 'case' or NEW.record_type = 'case') and (
        OLD.enabled is distinct from NEW.enabled
        or OLD.data->'consent_for_tracing' is distinct from NEW.data->'consent_for_tracing'
        or OLD.record_type is distinct from NEW.record_type or OLD.id is distinct from NEW.id))
    execute function match_changes_row();
drop trigger match_changes_subjects_update on match_subjects;
create trigger match_changes_subjects_update after update on match_subjects
    for each row
    when (OLD.subject is distinct from NEW.subject or OLD.fingerprint is distinct from NEW.fingerprint
        or OLD.keys is distinct from NEW.keys or OLD.record_id is distinct from NEW.record_id)
    execute function match_changes_row();

drop index records_match_keys_idx;
alter table records drop column match_keys;

---- create above / drop below ----

drop trigger match_subjects_left on records;
drop function match_subjects_left();

alter table records add column match_keys text[] not null default '{}';
update records r set match_keys = s.keys from match_subjects s where s.record_id = r.id and cardinality(s.keys) > 0;
create index records_match_keys_idx on records using gin (match_keys);

drop trigger match_changes_subjects_update on match_subjects;
create trigger match_changes_subjects_update after update on match_subjects
    for each row
    when (OLD.subject is distinct from NEW.subject or OLD.fingerprint is distinct from NEW.fingerprint
        or OLD.record_id is distinct from NEW.record_id)
    execute function match_changes_row();
drop trigger match_changes_update on records;
create trigger match_changes_update after update on records
    for each row
    when ((OLD.record_type = 'case' or NEW.record_type = 'case') and (
        OLD.match_keys is distinct from NEW.match_keys or OLD.enabled is distinct from NEW.enabled
        or OLD.data->'consent_for_tracing' is distinct from NEW.data->'consent_for_tracing'
        or OLD.record_type is distinct from NEW.record_type or OLD.id is distinct from NEW.id))
    execute function match_changes_row();

drop trigger match_keys_delete on match_subjects;
drop trigger match_keys_update on match_subjects;
drop trigger match_keys_insert on match_subjects;
drop function match_keys_deleted();
drop function match_keys_updated();
drop function match_keys_inserted();
drop table match_keys;
alter table match_subjects drop column keys;
