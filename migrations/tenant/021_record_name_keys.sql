-- Phonetic searches count their matches exactly (docs/records.md, Searching)
-- from this side table alone: one row per distinct name key of a record
-- (records.name_keys) with the columns a name search's conditions read
-- (type, module, enabled, hidden name), so the count of a common name is an
-- index-only scan of record_name_keys_key_idx instead of a visit of every
-- matching record's table page (the GIN index of name_keys cannot answer a
-- count without them). The column names are those of records (id is the
-- record's id): the conditions of a list on alias r apply to both.
--
-- Triggers keep it: every statement that writes records (creates, batches,
-- updates, workflows, whoever wrote it) updates the side table in the same
-- transaction, so the counts are exact.
create table record_name_keys (
    name_key text not null,
    record_type text not null,
    id uuid not null,
    module_id text not null,
    enabled boolean not null,
    hidden_name boolean not null
);
create index record_name_keys_key_idx on record_name_keys (record_type, name_key, id)
    include (enabled, hidden_name, module_id);
create index record_name_keys_record_idx on record_name_keys (id);

insert into record_name_keys (name_key, record_type, id, module_id, enabled, hidden_name)
select distinct k, r.record_type, r.id, r.module_id, r.enabled, r.hidden_name
from records r, unnest(r.name_keys) k;

-- The functions name the side table in the schema of the records written
-- (TG_TABLE_SCHEMA), whatever the search_path of the writer.
create function record_name_keys_insert() returns trigger
language plpgsql
as $$
begin
    execute format('insert into %I.record_name_keys (name_key, record_type, id, module_id, enabled, hidden_name)
        select distinct k, n.record_type, n.id, n.module_id, n.enabled, n.hidden_name
        from inserted n, unnest(n.name_keys) k', TG_TABLE_SCHEMA);
    return null;
end
$$;

create function record_name_keys_update() returns trigger
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

create function record_name_keys_delete() returns trigger
language plpgsql
as $$
begin
    execute format('delete from %I.record_name_keys k using deleted d where k.id = d.id', TG_TABLE_SCHEMA);
    return null;
end
$$;

create trigger record_name_keys_insert after insert on records
    referencing new table as inserted
    for each statement execute function record_name_keys_insert();
create trigger record_name_keys_update after update on records
    for each row
    when (OLD.name_keys is distinct from NEW.name_keys or OLD.enabled is distinct from NEW.enabled
        or OLD.hidden_name is distinct from NEW.hidden_name or OLD.module_id is distinct from NEW.module_id
        or OLD.record_type is distinct from NEW.record_type or OLD.id is distinct from NEW.id)
    execute function record_name_keys_update();
create trigger record_name_keys_delete after delete on records
    referencing old table as deleted
    for each statement execute function record_name_keys_delete();
---- create above / drop below ----
drop trigger record_name_keys_delete on records;
drop trigger record_name_keys_update on records;
drop trigger record_name_keys_insert on records;
drop function record_name_keys_delete();
drop function record_name_keys_update();
drop function record_name_keys_insert();
drop table record_name_keys;
