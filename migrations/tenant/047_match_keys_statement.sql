-- match_subjects' updates keep the postings (match_keys, migration 046) by
-- one statement trigger on transition tables instead of a row trigger: a
-- run's preparation writes each chunk of cases as one statement
-- (matching.upsertSubjects), so a re-key inserts and deletes each chunk's
-- changed pairs by two set-based statements, in key order, instead of two
-- dynamic statements a case (docs/matching-log.md, Speed, Session 39: a
-- release that changes a key or two of every case, 4.1-4.5 s per 20,000
-- cases against 16.2-17.9 through the row trigger; every posting rewritten
-- costs the same either way).
--
-- Only the rows whose keys (or id) changed count: a rewrite of stored
-- values with the same keys, a preparation's usual write, leaves the
-- postings alone, and so does a row whose keys were only reordered (its
-- pairs are the same: nothing deleted, nothing inserted).
drop trigger match_keys_update on match_subjects;
drop function match_keys_updated();

create function match_keys_rewritten() returns trigger
language plpgsql
as $$
declare
    -- the pairs of the rows whose keys or id changed, before and after
    moved constant text := '
        with o as (select record_id, keys from old_rows except all select record_id, keys from new_rows),
            n as (select record_id, keys from new_rows except all select record_id, keys from old_rows),
            op as (select k, o.record_id from o cross join unnest(o.keys) k),
            np as (select k, n.record_id from n cross join unnest(n.keys) k)';
begin
    -- Nothing to do when every row kept its id and keys (a case's job
    -- rewriting its values, most of a preparation's chunks): an update has
    -- as many new rows as old, so one direction of the difference is enough.
    -- A static statement: it names only the transition tables, and its plan
    -- is kept between calls.
    if not exists (select record_id, keys from new_rows except all select record_id, keys from old_rows) then
        return null;
    end if;
    execute format('delete from %I.match_keys m using (%s select k, record_id from op except select k, record_id from np) d
        where m.key = d.k and m.record_id = d.record_id', TG_TABLE_SCHEMA, moved);
    execute format('insert into %I.match_keys (key, record_id)
        %s select k, record_id from np except select k, record_id from op order by 1, 2
        on conflict do nothing', TG_TABLE_SCHEMA, moved);
    return null;
end
$$;

create trigger match_keys_update after update on match_subjects
    referencing old table as old_rows new table as new_rows
    for each statement execute function match_keys_rewritten();

---- create above / drop below ----

drop trigger match_keys_update on match_subjects;
drop function match_keys_rewritten();

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

create trigger match_keys_update after update on match_subjects
    for each row
    when (OLD.keys is distinct from NEW.keys or OLD.record_id is distinct from NEW.record_id)
    execute function match_keys_updated();
