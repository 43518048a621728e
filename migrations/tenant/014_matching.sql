-- FTR matching (docs/matching.md): blocking keys of cases and traces, the
-- tenant's matching configuration, versioned model parameters, potential
-- matches with the comparison that explains each, and full re-matching runs.
-- Package matching owns the code.

-- Blocking keys (matching.Matcher.CaseKeys / TraceKeys), written by the
-- matching job: a case's keys when it consents to tracing (empty otherwise),
-- the keys a trace looks for. A trace's candidates are one overlap query on
-- the GIN index (match_keys && keys), never a scan of the cases.
alter table records add column match_keys text[] not null default '{}';
create index records_match_keys_idx on records using gin (match_keys);
alter table traces add column match_keys text[] not null default '{}';
create index traces_match_keys_idx on traces using gin (match_keys);
-- The case a reviewer confirmed as the trace's child.
alter table traces add column matched_case_id uuid references records (id) on delete set null;

-- The tenant's matching configuration (one row; without it the defaults of
-- matching.DefaultConfiguration apply). version +1 on every change.
create table matching_configuration (
    id boolean primary key default true check (id),
    configuration jsonb not null check (jsonb_typeof(configuration) = 'object'),
    version integer not null check (version >= 1),
    updated_by text not null,
    updated_at timestamptz not null default now()
);

-- Estimated parameters (m, f, u per level, term frequencies, prior, stop
-- keys), one row per estimate; the highest version scores. Every potential
-- match names the version that scored it.
create table matching_parameters (
    version integer primary key check (version >= 1),
    -- The configuration version they were estimated under (0: the defaults).
    configuration_version integer not null,
    parameters jsonb not null check (jsonb_typeof(parameters) = 'object'),
    created_at timestamptz not null default now()
);

-- Potential matches: a trace and a case, scored. Re-matching updates the
-- pending ones and removes those that are no longer candidates; reviewed
-- ones (confirmed, rejected, closed) keep their status: a rejected pair is
-- never proposed again.
create table potential_matches (
    id uuid primary key default gen_random_uuid(),
    trace_id uuid not null references traces (id) on delete cascade,
    tracing_request_id uuid not null references records (id) on delete cascade,
    case_id uuid not null references records (id) on delete cascade,
    probability double precision not null check (probability between 0 and 1),
    label text not null check (label in ('likely', 'possible', 'unlikely')),
    -- Match weight in bits (log2 likelihood ratio) and the family adjustment.
    weight double precision not null,
    family_adjustment double precision not null default 0,
    parameters_version integer not null,
    -- [{"comparison", "level", "weight", "case": {field: value}, "trace":
    -- {field: value}}] in the configuration's order: the raw values compared
    -- on each side (subform fields as "subform.field": [values]), filtered
    -- by the reader's form access when read.
    comparisons jsonb not null check (jsonb_typeof(comparisons) = 'array'),
    status text not null default 'pending' check (status in ('pending', 'confirmed', 'rejected', 'closed')),
    note text not null default '',
    reviewed_by text,
    reviewed_at timestamptz,
    matched_at timestamptz not null default now(),
    unique (trace_id, case_id)
);

create index potential_matches_case_idx on potential_matches (case_id, probability desc);
create index potential_matches_request_idx on potential_matches (tracing_request_id);
create index potential_matches_queue_idx on potential_matches (status, probability desc, id);

-- Full re-matching runs (POST /api/v2/matching/runs, the periodic job, a
-- configuration change): re-estimate, then match every trace, with progress.
create table matching_runs (
    id uuid primary key default gen_random_uuid(),
    status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
    reason text not null check (reason in ('requested', 'periodic', 'configuration')),
    traces_total integer not null default 0,
    traces_done integer not null default 0,
    parameters_version integer,
    failure text not null default '',
    created_by text not null,
    created_at timestamptz not null default now(),
    started_at timestamptz,
    finished_at timestamptz
);

-- Reviewing potential matches is tracing work: caseworkers and case managers.
-- The matching configuration is the system administrator's.
update roles set permissions = permissions || '{potential_matches:read,potential_matches:review}', updated_at = now()
where unique_id in ('role-caseworker', 'role-case-manager');
update roles set permissions = permissions || '{matching:read,matching:write}', updated_at = now()
where unique_id = 'role-system-administrator';

---- create above / drop below ----

update roles set permissions = array(select p from unnest(permissions) p where p not in ('potential_matches:read',
    'potential_matches:review', 'matching:read', 'matching:write'));
drop table matching_runs;
drop table potential_matches;
drop table matching_parameters;
drop table matching_configuration;
drop index traces_match_keys_idx;
alter table traces drop column match_keys;
alter table traces drop column matched_case_id;
drop index records_match_keys_idx;
alter table records drop column match_keys;
