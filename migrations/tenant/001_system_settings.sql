-- Country-wide settings shown before and after login (name, languages, modules).
create table system_settings (
    id boolean primary key default true check (id),
    name text not null,
    default_locale text not null,
    locales text[] not null check (cardinality(locales) >= 1),
    updated_at timestamptz not null default now()
);

-- Primero modules: the CP (child protection) module is the heart of CPIMS+.
create table modules (
    unique_id text primary key check (unique_id ~ '^primeromodule-[a-z0-9-]+$'),
    name jsonb not null,
    associated_record_types text[] not null,
    enabled boolean not null default true,
    position integer not null default 0
);
---- create above / drop below ----
drop table modules;
drop table system_settings;
