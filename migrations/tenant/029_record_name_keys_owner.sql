-- The owner on the name keys (docs/records.md, Indexes): a phonetic search
-- by a caller with the agency or group scope counts and pages its matches
-- from record_name_keys alone, keeping the rows whose owner is one of the
-- scope's users now (owner_id = any(...), a filter of the index-only scan
-- of record_name_keys_key_idx) plus the few records reached through an
-- assigned, referral or transfer row. Before, every such statement hashed
-- the scope's record_access rows (~180,000 for an agency at a million
-- cases).
--
-- owner_id is the user (or service account) of the record's owner row of
-- record_access, kept by triggers: the key rows of a record written take
-- its owner row's user, and an owner row inserted, deleted or changed
-- (create, transfer, assignment of ownership; any writer) sets its
-- record's key rows in the same statement's transaction.
--
-- The table is rebuilt (insert ... select, then the indexes) rather than
-- updated in place: an update of every key row would leave the old ones
-- dead and rewrite both indexes twice. Writers wait until the migration
-- commits (about 2 minutes at a million cases, docs/records.md): owner rows
-- first, in the order writers take them (a create writes its owner row,
-- then its key rows), so that no key row or owner change made meanwhile is
-- lost with the old table.
lock table record_access in share mode;
lock table record_name_keys in exclusive mode;
create table record_name_keys_next (
    name_key text not null,
    record_type text not null,
    id uuid not null,
    module_id text not null,
    enabled boolean not null,
    hidden_name boolean not null,
    owner_id uuid
);
insert into record_name_keys_next (name_key, record_type, id, module_id, enabled, hidden_name, owner_id)
select k.name_key, k.record_type, k.id, k.module_id, k.enabled, k.hidden_name, a.user_id
from record_name_keys k left join record_access a on a.record_id = k.id and a.kind = 'owner';
drop table record_name_keys;
alter table record_name_keys_next rename to record_name_keys;
create index record_name_keys_key_idx on record_name_keys (record_type, name_key, id)
    include (enabled, hidden_name, module_id, owner_id);
create index record_name_keys_record_idx on record_name_keys (id);

-- The records a caller reaches other than as its scope's owner (assigned,
-- referral and transfer rows: few), read by user.
create index record_access_shared_idx on record_access (user_id, record_id) include (kind) where kind <> 'owner';

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

-- An owner row written: the key rows of its record take the record's owner
-- now (none once the row is deleted and no other replaces it). TG_OP names
-- the transition table(s) of the statement.
create function record_name_keys_owner() returns trigger
language plpgsql
as $$
declare
    changed text := case TG_OP when 'INSERT' then 'select record_id from inserted where kind = ''owner'''
        when 'DELETE' then 'select record_id from deleted where kind = ''owner'''
        else 'select record_id from inserted where kind = ''owner'' union select record_id from deleted where kind = ''owner''' end;
begin
    execute format('update %1$I.record_name_keys k set owner_id = o.user_id
        from (select c.record_id, (select a.user_id from %1$I.record_access a where a.record_id = c.record_id and a.kind = ''owner'') as user_id
            from (%2$s) c) o
        where k.id = o.record_id and k.owner_id is distinct from o.user_id', TG_TABLE_SCHEMA, changed);
    return null;
end
$$;

create trigger record_name_keys_owner_insert after insert on record_access
    referencing new table as inserted
    for each statement execute function record_name_keys_owner();
create trigger record_name_keys_owner_delete after delete on record_access
    referencing old table as deleted
    for each statement execute function record_name_keys_owner();
create trigger record_name_keys_owner_update after update on record_access
    referencing old table as deleted new table as inserted
    for each statement execute function record_name_keys_owner();
---- create above / drop below ----
drop trigger record_name_keys_owner_update on record_access;
drop trigger record_name_keys_owner_delete on record_access;
drop trigger record_name_keys_owner_insert on record_access;
drop function record_name_keys_owner();
drop index record_access_shared_idx;
drop index record_name_keys_key_idx;
create index record_name_keys_key_idx on record_name_keys (record_type, name_key, id)
    include (enabled, hidden_name, module_id);
alter table record_name_keys drop column owner_id;

create or replace function record_name_keys_insert() returns trigger
language plpgsql
as $$
begin
    execute format('insert into %I.record_name_keys (name_key, record_type, id, module_id, enabled, hidden_name)
        select distinct k, n.record_type, n.id, n.module_id, n.enabled, n.hidden_name
        from inserted n, unnest(n.name_keys) k', TG_TABLE_SCHEMA);
    return null;
end
$$;

create or replace function record_name_keys_update() returns trigger
language plpgsql
as $$
begin
    execute format('delete from %I.record_name_keys where id = $1', TG_TABLE_SCHEMA) using OLD.id;
    execute format('insert into %I.record_name_keys (name_key, record_type, id, module_id, enabled, hidden_name)
        select distinct k, $1, $2, $3, $4, $5 from unnest($6::text[]) k', TG_TABLE_SCHEMA)
        using NEW.record_type, NEW.id, NEW.module_id, NEW.enabled, NEW.hidden_name, NEW.name_keys;
    return null;
end
$$;
