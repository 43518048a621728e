-- Changes of the country's calling code (system_settings.phone_calling_code)
-- and the progress of the job that rewrites the stored form of phone
-- numbers (records.id_values) after each (docs/records.md, Phone numbers).
-- A change while a rewrite runs adds a row; the job finishes every row up
-- to the latest, whose code it applied to every record.
create table phone_rewrites (
    id bigint generated always as identity primary key,
    calling_code text,
    requested_by text not null,
    requested_at timestamptz not null default now(),
    records_total integer not null default 0,
    records_done integer not null default 0,
    records_changed integer not null default 0,
    finished_at timestamptz
);
---- create above / drop below ----
drop table phone_rewrites;
