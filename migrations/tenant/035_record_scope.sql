-- The scope side table (docs/records.md, Indexes and Storage): one narrow
-- row per record with its owner (the user or service account of its owner
-- row of record_access) and the columns lists filter and sort on and
-- dashboards count. A list or dashboard of the agency or group scope whose
-- every condition and order is one of these columns counts and pages here:
-- the records whose owner is one of the scope's users are a range of
-- record_scope_owner_idx per user (an index-only scan bounded by the scope,
-- then by place, status and date of birth), plus the few records reached
-- through an assigned, referral or transfer row. Before, each statement
-- hashed the scope's ~180,000 access rows at a million cases.
--
-- Kept by triggers, so every writer keeps it in its own transaction:
-- records' statement-level triggers after insert and delete (transition
-- tables) and a row trigger after an update changing one of the columns
-- (every write: updated_at changes); statement-level triggers after
-- insert, delete and update of record_access set the owner of every record
-- whose owner row changed to its owner now. A create writing the record
-- and its owner row in either order is right either way (the insert
-- trigger reads the owner row; the owner trigger updates the row).
--
-- Writers wait until the migration commits (about a minute at a million
-- cases, docs/records.md Session 21): records first, then the owner rows,
-- so that nothing written meanwhile is missed. Run vacuum analyze
-- record_scope after it (index-only scans need the visibility map).
lock table records in share row exclusive mode;
lock table record_access in share mode;
create table record_scope (
    id uuid not null,
    record_type text not null,
    module_id text not null,
    owner_id uuid,
    enabled boolean not null,
    status text not null,
    workflow text not null,
    location_current ltree,
    date_of_birth date,
    age integer,
    sex text,
    risk_level text,
    flagged boolean not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
insert into record_scope (id, record_type, module_id, owner_id, enabled, status, workflow, location_current, date_of_birth,
    age, sex, risk_level, flagged, created_at, updated_at)
select r.id, r.record_type, r.module_id, a.user_id, r.enabled, r.status, r.workflow, r.location_current, r.date_of_birth,
    r.age, r.sex, r.risk_level, r.flagged, r.created_at, r.updated_at
from records r left join record_access a on a.record_id = r.id and a.kind = 'owner';
alter table record_scope add primary key (id);
-- The owner first: the scope bounds the scan; then the list's filters as
-- records_location_status_covering_idx has them, and what the page's order
-- and the dashboard's counts read.
create index record_scope_owner_idx on record_scope (record_type, owner_id, location_current, status, enabled, date_of_birth)
    include (age, updated_at, created_at, risk_level, flagged, id);

create function record_scope_insert() returns trigger
language plpgsql
as $$
begin
    execute format('insert into %1$I.record_scope (id, record_type, module_id, owner_id, enabled, status, workflow,
            location_current, date_of_birth, age, sex, risk_level, flagged, created_at, updated_at)
        select n.id, n.record_type, n.module_id, a.user_id, n.enabled, n.status, n.workflow, n.location_current,
            n.date_of_birth, n.age, n.sex, n.risk_level, n.flagged, n.created_at, n.updated_at
        from inserted n left join %1$I.record_access a on a.record_id = n.id and a.kind = ''owner''', TG_TABLE_SCHEMA);
    return null;
end
$$;

create function record_scope_update() returns trigger
language plpgsql
as $$
begin
    execute format('update %I.record_scope set id = $2, record_type = $3, module_id = $4, enabled = $5, status = $6,
            workflow = $7, location_current = $8, date_of_birth = $9, age = $10, sex = $11, risk_level = $12,
            flagged = $13, created_at = $14, updated_at = $15
        where id = $1', TG_TABLE_SCHEMA)
        using OLD.id, NEW.id, NEW.record_type, NEW.module_id, NEW.enabled, NEW.status, NEW.workflow, NEW.location_current,
            NEW.date_of_birth, NEW.age, NEW.sex, NEW.risk_level, NEW.flagged, NEW.created_at, NEW.updated_at;
    return null;
end
$$;

create function record_scope_delete() returns trigger
language plpgsql
as $$
begin
    execute format('delete from %I.record_scope s using deleted d where s.id = d.id', TG_TABLE_SCHEMA);
    return null;
end
$$;

create trigger record_scope_insert after insert on records
    referencing new table as inserted
    for each statement execute function record_scope_insert();
create trigger record_scope_update after update on records
    for each row
    when (OLD.id is distinct from NEW.id or OLD.record_type is distinct from NEW.record_type
        or OLD.module_id is distinct from NEW.module_id or OLD.enabled is distinct from NEW.enabled
        or OLD.status is distinct from NEW.status or OLD.workflow is distinct from NEW.workflow
        or OLD.location_current is distinct from NEW.location_current or OLD.date_of_birth is distinct from NEW.date_of_birth
        or OLD.age is distinct from NEW.age or OLD.sex is distinct from NEW.sex or OLD.risk_level is distinct from NEW.risk_level
        or OLD.flagged is distinct from NEW.flagged or OLD.created_at is distinct from NEW.created_at
        or OLD.updated_at is distinct from NEW.updated_at)
    execute function record_scope_update();
create trigger record_scope_delete after delete on records
    referencing old table as deleted
    for each statement execute function record_scope_delete();

-- An owner row written: its record's row takes the record's owner now
-- (none once the row is deleted and no other replaces it).
create function record_scope_owner() returns trigger
language plpgsql
as $$
declare
    changed text := case TG_OP when 'INSERT' then 'select record_id from inserted where kind = ''owner'''
        when 'DELETE' then 'select record_id from deleted where kind = ''owner'''
        else 'select record_id from inserted where kind = ''owner'' union select record_id from deleted where kind = ''owner''' end;
begin
    execute format('update %1$I.record_scope s set owner_id = o.user_id
        from (select c.record_id, (select a.user_id from %1$I.record_access a where a.record_id = c.record_id and a.kind = ''owner'') as user_id
            from (%2$s) c) o
        where s.id = o.record_id and s.owner_id is distinct from o.user_id', TG_TABLE_SCHEMA, changed);
    return null;
end
$$;

create trigger record_scope_owner_insert after insert on record_access
    referencing new table as inserted
    for each statement execute function record_scope_owner();
create trigger record_scope_owner_delete after delete on record_access
    referencing old table as deleted
    for each statement execute function record_scope_owner();
create trigger record_scope_owner_update after update on record_access
    referencing old table as deleted new table as inserted
    for each statement execute function record_scope_owner();
---- create above / drop below ----
drop trigger record_scope_owner_update on record_access;
drop trigger record_scope_owner_delete on record_access;
drop trigger record_scope_owner_insert on record_access;
drop function record_scope_owner();
drop trigger record_scope_delete on records;
drop trigger record_scope_update on records;
drop trigger record_scope_insert on records;
drop function record_scope_delete();
drop function record_scope_update();
drop function record_scope_insert();
drop table record_scope;
