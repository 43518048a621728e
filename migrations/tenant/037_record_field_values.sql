-- Typed values of the configured filterable fields (docs/records.md, Indexes,
-- Session 22): one narrow row per record and field whose value in
-- records.filters is a number (num) or a date (day: a date, or the date of a
-- date-time, as written), so that a range filter and a sort on such a field
-- are btree ranges and walks of (record_type, field, value, id) instead of
-- jsonb_path_exists over every record's filters (not indexed) and a sort of
-- every matching record's filters -> field. Other values (options, tick
-- boxes, text, lists) have no row: equality filters keep the GIN index of
-- filters. The DDL is the same in every tenant: fields are rows, not
-- columns or expression indexes made from the configuration.
--
-- Triggers keep it from records.filters (which the application extracts
-- from data with the configuration in the statement that writes data), so
-- every writer keeps it in its own transaction: statement-level triggers
-- after insert and delete (transition tables), a row trigger after an update
-- that changes filters.
--
-- Writers wait until the migration commits (records are locked first, so
-- that nothing written meanwhile is missed).
lock table records in share row exclusive mode;

create table record_field_values (
    id uuid not null,
    record_type text not null,
    field text not null,
    num numeric,
    day date,
    primary key (id, field),
    check ((num is null) <> (day is null))
);

-- The day of a JSON string that starts with a valid date (YYYY-MM-DD, then
-- nothing or a time), else null: never an error, whatever a text field holds.
create function record_field_day(v jsonb) returns date
language sql immutable strict
as $$
    select case when jsonb_typeof(v) = 'string'
            and (v #>> '{}') ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])($|T)'
            and left(v #>> '{}', 4) <> '0000' then
        case when substr(v #>> '{}', 9, 2)::int <= extract(day from make_date(left(v #>> '{}', 4)::int, substr(v #>> '{}', 6, 2)::int, 1)
                + interval '1 month' - interval '1 day') then
            left(v #>> '{}', 10)::date end end
$$;

insert into record_field_values (id, record_type, field, num, day)
select r.id, r.record_type, e.key, case when jsonb_typeof(e.value) = 'number' then e.value::numeric end, record_field_day(e.value)
from records r, jsonb_each(r.filters) e
where jsonb_typeof(e.value) = 'number' or record_field_day(e.value) is not null;

create index record_field_values_num_idx on record_field_values (record_type, field, num, id) where num is not null;
create index record_field_values_day_idx on record_field_values (record_type, field, day, id) where day is not null;

-- The functions name the side table and the day function in the schema of
-- the records written (TG_TABLE_SCHEMA), whatever the writer's search_path.
create function record_field_values_insert() returns trigger
language plpgsql
as $$
begin
    execute format('insert into %1$I.record_field_values (id, record_type, field, num, day)
        select n.id, n.record_type, e.key, case when jsonb_typeof(e.value) = ''number'' then e.value::numeric end,
            %1$I.record_field_day(e.value)
        from inserted n, jsonb_each(n.filters) e
        where jsonb_typeof(e.value) = ''number'' or %1$I.record_field_day(e.value) is not null', TG_TABLE_SCHEMA);
    return null;
end
$$;

create function record_field_values_update() returns trigger
language plpgsql
as $$
begin
    execute format('delete from %I.record_field_values where id = $1', TG_TABLE_SCHEMA) using OLD.id;
    execute format('insert into %1$I.record_field_values (id, record_type, field, num, day)
        select $1, $2, e.key, case when jsonb_typeof(e.value) = ''number'' then e.value::numeric end, %1$I.record_field_day(e.value)
        from jsonb_each($3) e
        where jsonb_typeof(e.value) = ''number'' or %1$I.record_field_day(e.value) is not null', TG_TABLE_SCHEMA)
        using NEW.id, NEW.record_type, NEW.filters;
    return null;
end
$$;

create function record_field_values_delete() returns trigger
language plpgsql
as $$
begin
    execute format('delete from %I.record_field_values v using deleted d where v.id = d.id', TG_TABLE_SCHEMA);
    return null;
end
$$;

create trigger record_field_values_insert after insert on records
    referencing new table as inserted
    for each statement execute function record_field_values_insert();
create trigger record_field_values_update after update on records
    for each row
    when (OLD.filters is distinct from NEW.filters or OLD.record_type is distinct from NEW.record_type
        or OLD.id is distinct from NEW.id)
    execute function record_field_values_update();
create trigger record_field_values_delete after delete on records
    referencing old table as deleted
    for each statement execute function record_field_values_delete();
---- create above / drop below ----
drop trigger record_field_values_delete on records;
drop trigger record_field_values_update on records;
drop trigger record_field_values_insert on records;
drop function record_field_values_delete();
drop function record_field_values_update();
drop function record_field_values_insert();
drop table record_field_values;
drop function record_field_day(jsonb);
