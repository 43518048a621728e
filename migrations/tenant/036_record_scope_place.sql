-- The place first on the scope side table (docs/records.md, Session 22): a
-- list of the agency or group scope filtered by place reads the entries of
-- the filter's places (one range each, bounded by status, enabled and date
-- of birth) and keeps those whose owner is in the scope by a hashed probe,
-- instead of one range of record_scope_owner_idx per owner and place (350
-- users x 6 places = 2,100 descents for a district of the bench at a
-- million cases). It reads at most what the same list of the all scope
-- reads on records_location_status_covering_idx. record_scope_owner_idx
-- stays for lists without a place and for dashboards.
--
-- Writers to records wait while the index is built (about half a minute at
-- a million cases).
create index record_scope_place_idx on record_scope (record_type, location_current, status, enabled, date_of_birth)
    include (owner_id, age, updated_at, created_at, risk_level, flagged, id);


-- The record's name keys on each of its key rows (record_keys: distinct,
-- sorted; docs/records.md, Session 22), in the include list of
-- record_name_keys_key_idx. A phonetic search of several words reads the
-- key rows of one word and checks the others on the same entry
-- (record_keys && the word's keys), instead of probing (or merging) the
-- key rows of every other word: "Yusuf Hassan" read its 84,754 YSF rows
-- and all 208,558 HSN rows at a million cases. The ranking's key count is
-- cardinality(record_keys), read with the matches: no statement more.
--
-- The table is rebuilt as record_name_keys_recency did (locks records,
-- then record_access and record_name_keys: writers wait until it commits,
-- a few minutes at a million cases). Run vacuum analyze record_name_keys
-- after it.
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
    updated_at timestamptz not null,
    record_keys text[] not null
);
insert into record_name_keys_next (name_key, record_type, id, module_id, enabled, hidden_name, owner_id, updated_at, record_keys)
select k.name_key, k.record_type, k.id, k.module_id, k.enabled, k.hidden_name, k.owner_id, k.updated_at, g.record_keys
from record_name_keys k
join (select id, array_agg(name_key order by name_key) as record_keys from record_name_keys group by id) g on g.id = k.id;
drop table record_name_keys;
alter table record_name_keys_next rename to record_name_keys;
create index record_name_keys_key_idx on record_name_keys (record_type, name_key, id)
    include (enabled, hidden_name, module_id, owner_id, updated_at, record_keys);
create index record_name_keys_record_idx on record_name_keys (id);

create or replace function record_name_keys_insert() returns trigger
language plpgsql
as $$
begin
    execute format('insert into %1$I.record_name_keys (name_key, record_type, id, module_id, enabled, hidden_name, owner_id,
            updated_at, record_keys)
        select distinct k, n.record_type, n.id, n.module_id, n.enabled, n.hidden_name, a.user_id, n.updated_at,
            array(select distinct x from unnest(n.name_keys) x order by x)
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
    execute format('insert into %1$I.record_name_keys (name_key, record_type, id, module_id, enabled, hidden_name, owner_id,
            updated_at, record_keys)
        select distinct k, $1, $2, $3, $4, $5,
            (select a.user_id from %1$I.record_access a where a.record_id = $2 and a.kind = ''owner''), $7,
            array(select distinct x from unnest($6::text[]) x order by x)
        from unnest($6::text[]) k', TG_TABLE_SCHEMA)
        using NEW.record_type, NEW.id, NEW.module_id, NEW.enabled, NEW.hidden_name, NEW.name_keys, NEW.updated_at;
    return null;
end
$$;
---- create above / drop below ----
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

drop index record_name_keys_key_idx;
create index record_name_keys_key_idx on record_name_keys (record_type, name_key, id)
    include (enabled, hidden_name, module_id, owner_id, updated_at);
alter table record_name_keys drop column record_keys;
drop index record_scope_place_idx;
