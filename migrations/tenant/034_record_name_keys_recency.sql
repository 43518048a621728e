-- The record's updated_at on its name keys (docs/records.md, Indexes): a
-- phonetic search with more matches than are ranked by similarity pages
-- the most recently updated, and now takes that page from the key rows it
-- counts (index-only, in the count's statement) instead of reading every
-- match's row of records by primary key (2,000 to 4,500 matches: seconds
-- when cold) or walking the updated_at index of records over the rows that
-- do not match (thousands for a caller with the agency scope).
--
-- Kept by the triggers of records: the key rows of a record written take
-- its updated_at, and since every write of a record changes updated_at,
-- the row trigger now fires on every update (it rewrites the record's few
-- key rows, as it did when the keys changed).
--
-- The table is rebuilt (insert ... select, then the indexes), as the owner
-- migration did, rather than updated in place. Writers wait until the
-- migration commits (about two minutes at a million cases,
-- docs/records.md): records first (the trigger changes need it anyway),
-- then the owner rows and the key rows, so that nothing written meanwhile
-- is lost with the old table.
lock table records in share row exclusive mode;
lock table record_access in share mode;
lock table record_name_keys in exclusive mode;
create table record_name_keys_next (
    name_key text not null,
    record_type text not null,
    id uuid not null,
    module_id text not null,
    enabled boolean not null,
    hidden_name boolean not null,
    owner_id uuid,
    updated_at timestamptz not null
);
insert into record_name_keys_next (name_key, record_type, id, module_id, enabled, hidden_name, owner_id, updated_at)
select k.name_key, k.record_type, k.id, k.module_id, k.enabled, k.hidden_name, k.owner_id, r.updated_at
from record_name_keys k join records r on r.id = k.id;
drop table record_name_keys;
alter table record_name_keys_next rename to record_name_keys;
create index record_name_keys_key_idx on record_name_keys (record_type, name_key, id)
    include (enabled, hidden_name, module_id, owner_id, updated_at);
create index record_name_keys_record_idx on record_name_keys (id);

create or replace function record_name_keys_insert() returns trigger
language plpgsql
as $$
begin
    execute format('insert into %1$I.record_name_keys (name_key, record_type, id, module_id, enabled, hidden_name, owner_id, updated_at)
        select distinct k, n.record_type, n.id, n.module_id, n.enabled, n.hidden_name, a.user_id, n.updated_at
        from inserted n left join %1$I.record_access a on a.record_id = n.id and a.kind = ''owner'', unnest(n.name_keys) k',
        TG_TABLE_SCHEMA);
    return null;
end
$$;

create or replace function record_name_keys_update() returns trigger
language plpgsql
as $$
begin
    execute format('delete from %I.record_name_keys where id = $1', TG_TABLE_SCHEMA) using OLD.id;
    execute format('insert into %1$I.record_name_keys (name_key, record_type, id, module_id, enabled, hidden_name, owner_id, updated_at)
        select distinct k, $1, $2, $3, $4, $5,
            (select a.user_id from %1$I.record_access a where a.record_id = $2 and a.kind = ''owner''), $7
        from unnest($6::text[]) k', TG_TABLE_SCHEMA)
        using NEW.record_type, NEW.id, NEW.module_id, NEW.enabled, NEW.hidden_name, NEW.name_keys, NEW.updated_at;
    return null;
end
$$;

drop trigger record_name_keys_update on records;
create trigger record_name_keys_update after update on records
    for each row
    when (OLD.name_keys is distinct from NEW.name_keys or OLD.enabled is distinct from NEW.enabled
        or OLD.hidden_name is distinct from NEW.hidden_name or OLD.module_id is distinct from NEW.module_id
        or OLD.record_type is distinct from NEW.record_type or OLD.id is distinct from NEW.id
        or OLD.updated_at is distinct from NEW.updated_at)
    execute function record_name_keys_update();
---- create above / drop below ----
drop trigger record_name_keys_update on records;
create trigger record_name_keys_update after update on records
    for each row
    when (OLD.name_keys is distinct from NEW.name_keys or OLD.enabled is distinct from NEW.enabled
        or OLD.hidden_name is distinct from NEW.hidden_name or OLD.module_id is distinct from NEW.module_id
        or OLD.record_type is distinct from NEW.record_type or OLD.id is distinct from NEW.id)
    execute function record_name_keys_update();

create or replace function record_name_keys_insert() returns trigger
language plpgsql
as $$
begin
    execute format('insert into %1$I.record_name_keys (name_key, record_type, id, module_id, enabled, hidden_name, owner_id)
        select distinct k, n.record_type, n.id, n.module_id, n.enabled, n.hidden_name, a.user_id
        from inserted n left join %1$I.record_access a on a.record_id = n.id and a.kind = ''owner'', unnest(n.name_keys) k',
        TG_TABLE_SCHEMA);
    return null;
end
$$;

create or replace function record_name_keys_update() returns trigger
language plpgsql
as $$
begin
    execute format('delete from %I.record_name_keys where id = $1', TG_TABLE_SCHEMA) using OLD.id;
    execute format('insert into %1$I.record_name_keys (name_key, record_type, id, module_id, enabled, hidden_name, owner_id)
        select distinct k, $1, $2, $3, $4, $5,
            (select a.user_id from %1$I.record_access a where a.record_id = $2 and a.kind = ''owner'')
        from unnest($6::text[]) k', TG_TABLE_SCHEMA)
        using NEW.record_type, NEW.id, NEW.module_id, NEW.enabled, NEW.hidden_name, NEW.name_keys;
    return null;
end
$$;

drop index record_name_keys_key_idx;
create index record_name_keys_key_idx on record_name_keys (record_type, name_key, id)
    include (enabled, hidden_name, module_id, owner_id);
alter table record_name_keys drop column updated_at;
