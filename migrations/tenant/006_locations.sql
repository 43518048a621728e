-- Locations: the country's places, admin levels 0 (country) to 5, with camps
-- and sites where the country puts them. Record data refers to a location by
-- its code. The path is the ltree of codes from the root to the location
-- (e.g. DL.DL01.DL0102), so that a subtree is one indexed condition
-- (path <@ 'DL.DL01'). The ltree type lives in the shared "extensions" schema,
-- which is on every tenant transaction's search_path (docs/tenancy.md).
-- Package locations keeps path and parent_code consistent; the constraints
-- below catch a bug that would not.
create table locations (
    id uuid primary key default gen_random_uuid(),
    -- Letters, digits and underscores: an ltree label (P-codes such as SO1101 fit).
    code text not null unique check (code ~ '^[A-Za-z0-9_]{1,64}$'),
    -- Translated text: {"en": "...", "fr": "..."}.
    name jsonb not null check (jsonb_typeof(name) = 'object' and name <> '{}'),
    admin_level smallint not null check (admin_level between 0 and 5),
    -- country, region, district, camp, ... (free, lower case).
    type text not null default '' check (type ~ '^[a-z0-9_-]{0,40}$'),
    -- Checked at commit, so a whole import is checked once, in any order.
    parent_code text references locations (code) deferrable initially deferred,
    path ltree not null unique,
    disabled boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (ltree2text(subpath(path, -1)) = code),
    check ((parent_code is null) = (nlevel(path) = 1)),
    check (parent_code is null or ltree2text(subpath(path, -2, 1)) = parent_code)
);

-- Subtrees (path <@ ...) and ancestors (path @> ...).
create index locations_path_gist on locations using gist (path);
create index locations_parent_idx on locations (parent_code);
-- Pickers list one level at a time, in hierarchy order.
create index locations_level_path_idx on locations (admin_level, path);
-- Search by code or by name in any language (pg_trgm, in "extensions" too):
-- narrows a search of 50,000 places from a scan of every name to a few rows.
create index locations_search_idx on locations using gin ((code || ' ' || name::text) gin_trgm_ops);

-- Imports of a locations file (CSV, optionally HXL-tagged), applied by a
-- River job. The file is kept until the job has run.
create table location_imports (
    id uuid primary key default gen_random_uuid(),
    status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
    format text not null check (format in ('csv', 'hxl')),
    filename text not null default '',
    content bytea,
    rows_total integer not null default 0,
    rows_done integer not null default 0,
    rows_applied integer not null default 0,
    rows_invalid integer not null default 0,
    failure text not null default '',
    created_by text not null,
    created_at timestamptz not null default now(),
    started_at timestamptz,
    finished_at timestamptz
);

-- The outcome of each data row of an import: its row number in the file
-- (counting header rows, as a spreadsheet does), its code, and why it was refused.
create table location_import_rows (
    import_id uuid not null references location_imports (id) on delete cascade,
    row_number integer not null,
    code text not null default '',
    outcome text not null check (outcome in ('applied', 'invalid')),
    reason text not null default '',
    primary key (import_id, row_number)
);

-- Every member reads locations (forms offer location pickers); system
-- administrators change them.
update roles set permissions = permissions || '{locations:read}', updated_at = now()
where not 'locations:read' = any (permissions);
update roles set permissions = permissions || '{locations:write}', updated_at = now()
where unique_id = 'role-system-administrator';
---- create above / drop below ----
update roles set permissions = array_remove(array_remove(permissions, 'locations:read'), 'locations:write');
drop table location_import_rows;
drop table location_imports;
drop table locations;
