-- Translations (package translations, docs/translations.md): the tenant's
-- own versions of the web app's UI texts, and imports of PO files with their
-- per-entry reports. Configuration labels stay where they are (forms,
-- lookups, modules, locations): an import changes them there.

-- A UI text as this tenant words it in one locale, overriding the catalogue
-- shipped with the app (frontend/src/locales). message_id is the Lingui id.
create table ui_translations (
    locale text not null check (locale ~ '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$'),
    message_id text not null check (length(message_id) between 1 and 200),
    message text not null check (message <> ''),
    updated_at timestamptz not null default now(),
    primary key (locale, message_id)
);

-- An uploaded PO file and what its import did. The file is kept until the
-- job has run.
create table translation_imports (
    id uuid primary key default gen_random_uuid(),
    status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
    locale text not null,
    filename text not null default '',
    content bytea,
    entries_total integer not null default 0,
    entries_done integer not null default 0,
    applied integer not null default 0,
    unchanged integer not null default 0,
    skipped integer not null default 0,
    unknown integer not null default 0,
    stale integer not null default 0,
    invalid integer not null default 0,
    configuration_version bigint,
    failure text not null default '',
    created_by text not null,
    created_at timestamptz not null default now(),
    started_at timestamptz,
    finished_at timestamptz
);

-- The outcome of each entry of an imported file, in file order.
create table translation_import_entries (
    import_id uuid not null references translation_imports (id) on delete cascade,
    position integer not null,
    line integer not null,
    context text not null default '',
    outcome text not null check (outcome in ('applied', 'unchanged', 'skipped', 'unknown', 'stale', 'invalid')),
    reason text not null default '',
    primary key (import_id, position)
);

-- The system administrator exports and imports translations.
update roles set permissions = permissions || '{translations:read,translations:write}', updated_at = now()
where unique_id = 'role-system-administrator';
---- create above / drop below ----
update roles set permissions = array_remove(array_remove(permissions, 'translations:read'), 'translations:write');
drop table translation_import_entries;
drop table translation_imports;
drop table ui_translations;
