-- The configuration of what records contain: forms (sections) with their
-- fields, lookups (option lists), module options, and the configuration's
-- version. The format of each definition is docs/configuration.md; package
-- forms checks it before every write, so the table constraints are only a
-- backstop.

-- One row: the configuration version, bumped by every change (forms, lookups,
-- module options, roles' form access). Servers key their compiled validators
-- by it and rebuild them at the next request after it changes. Configuration
-- changes lock this row, so they apply one at a time per tenant.
create table configuration (
    id boolean primary key default true check (id),
    version bigint not null default 0 check (version >= 0),
    updated_at timestamptz not null default now()
);

insert into configuration (version) values (0);

-- A form (section). The whole form, fields in order, is one canonical JSON
-- document: forms are read, checked, versioned and exported whole, and a
-- field's identity is its name inside its form. The key attributes are
-- columns too, for SQL (roles' form access is checked against them).
create table forms (
    unique_id text primary key check (unique_id ~ '^[a-z][a-z0-9_]{0,79}$'),
    parent_form text not null check (parent_form in ('case', 'tracing_request', 'incident')),
    is_nested boolean not null default false,
    core_form boolean not null default false,
    definition jsonb not null check (jsonb_typeof(definition) = 'object' and definition ->> 'unique_id' = unique_id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create index forms_parent_form_idx on forms (parent_form);

-- An option list used by select and radio fields ("lookup lookup-sex").
create table lookups (
    unique_id text primary key check (unique_id ~ '^lookup-[a-z0-9_-]{1,80}$'),
    definition jsonb not null check (jsonb_typeof(definition) = 'object' and definition ->> 'unique_id' = unique_id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

-- Which workflows a module switches on, e.g. {"referral": true, "approvals": ["case_plan"]}.
alter table modules add column options jsonb not null default '{}' check (jsonb_typeof(options) = 'object');

-- Everyone reads forms and lookups (the web app renders records from them);
-- the system administrator configures them.
update roles set permissions = permissions || '{forms:read,lookups:read}', updated_at = now()
where unique_id in ('role-caseworker', 'role-case-manager', 'role-agency-admin', 'role-system-administrator', 'role-data-analyst');

update roles set permissions = permissions || '{forms:write,lookups:write,configuration:read,configuration:write}', updated_at = now()
where unique_id = 'role-system-administrator';
---- create above / drop below ----
update roles set permissions = array_remove(array_remove(array_remove(array_remove(array_remove(array_remove(permissions,
    'forms:read'), 'lookups:read'), 'forms:write'), 'lookups:write'), 'configuration:read'), 'configuration:write');
alter table modules drop column options;
drop table lookups;
drop table forms;
drop table configuration;
