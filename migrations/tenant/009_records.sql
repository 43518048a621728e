-- Records: cases, tracing requests (with their traces) and incidents, who may
-- reach them, and every change to them. docs/records.md is the contract;
-- package records owns the code and keeps these tables consistent in the
-- transaction of each use case.

-- Short ids: 7 characters of Crockford's base 32 (no i, l, o, u), unique in
-- the tenant, that people can read out over the phone. A sequence number is
-- multiplied by an odd constant modulo 32^7 (a bijection), so consecutive
-- records do not get look-alike ids and the count of records does not show.
create sequence records_short_id_seq;

create function records_short_id() returns text
language plpgsql volatile as $$
declare
    n bigint := ((nextval('records_short_id_seq')::numeric * 1347400403) % 34359738368)::bigint;
    alphabet constant text := '0123456789abcdefghjkmnpqrstvwxyz';
    s text := '';
begin
    for i in 1..7 loop
        s := substr(alphabet, (n % 32)::int + 1, 1) || s;
        n := n / 32;
    end loop;
    return s;
end
$$;

-- One table for the three record types: core attributes as columns, the
-- configured fields in data, and search columns extracted from data by the
-- application in the same statement (lists and searches never scan data).
create table records (
    -- Client-supplied (offline clients) or server-generated.
    id uuid primary key,
    record_type text not null check (record_type in ('case', 'tracing_request', 'incident')),
    -- records_short_id(), called by the insert (a column default would name the schema).
    short_id text not null unique,
    module_id text not null references modules (unique_id),
    status text not null default 'open' check (status in ('open', 'closed')),
    workflow text not null default 'new' check (workflow ~ '^[a-z][a-z0-9_]{0,39}$'),
    -- record_state on the wire: false once disabled.
    enabled boolean not null default true,
    flagged boolean not null default false,
    -- Masks the child's name fields for everyone but the owner and holders of <type>:view_hidden_name.
    hidden_name boolean not null default false,
    -- The case an incident was created from.
    case_id uuid references records (id),
    -- The configured fields (docs/configuration.md), validated, never null values.
    data jsonb not null default '{}' check (jsonb_typeof(data) = 'object'),
    -- +1 on every write; the ETag.
    version bigint not null default 1 check (version >= 1),
    created_by text not null,
    created_at timestamptz not null default now(),
    updated_by text not null,
    updated_at timestamptz not null default now(),
    -- SHA-256 of the creator, record type and create body: a replayed create
    -- with the same id answers as the first only if it matches.
    create_digest bytea not null check (length(create_digest) = 32),
    -- Search columns (docs/records.md): phonetic keys and folded text of the
    -- name fields, normalised ID and phone values, and the common filters.
    name_keys text[] not null default '{}',
    -- names.KeysVersion of name_keys: a job recomputes older ones when the algorithm changes.
    name_keys_version smallint not null default 0,
    name_folded text not null default '',
    id_values text[] not null default '{}',
    sex text,
    age integer,
    date_of_birth date,
    registration_date date,
    risk_level text,
    -- The path of data.location_current in locations (subtree filters: location_current <@ 'KE.KE01').
    location_current ltree,
    -- Other filterable fields' values: {"field": value}.
    filters jsonb not null default '{}' check (jsonb_typeof(filters) = 'object'),
    check ((case_id is null) or record_type = 'incident')
);

-- Lists: per type, newest change first (the default order: the index read
-- backwards), oldest first (sync), or by creation.
create index records_type_updated_idx on records (record_type, updated_at, id);
create index records_type_created_idx on records (record_type, created_at, id);
create index records_case_idx on records (case_id) where case_id is not null;
create index records_name_keys_idx on records using gin (name_keys);
create index records_id_values_idx on records using gin (id_values);
create index records_filters_idx on records using gin (filters jsonb_path_ops);
create index records_location_idx on records using gist (location_current);

-- Who may reach a record besides role scope: its owner, assigned users,
-- referral receivers (with the access role of the referral) and a pending
-- transfer's receiver. Visibility is computed from these rows and current
-- group and agency membership at query time; nothing is copied on records.
-- user_id is a user or a service account (table principals below).
create table record_access (
    id uuid primary key default gen_random_uuid(),
    record_id uuid not null references records (id) on delete cascade,
    user_id uuid not null,
    kind text not null check (kind in ('owner', 'assigned', 'referral', 'transfer')),
    -- The referral (workflows) a referral row belongs to, and the role whose
    -- form access the receiver gets.
    referral_id uuid,
    access_role text,
    created_at timestamptz not null default now(),
    check ((kind = 'referral') = (referral_id is not null))
);

create unique index record_access_owner_idx on record_access (record_id) where kind = 'owner';
create unique index record_access_row_idx on record_access (record_id, user_id, kind,
    coalesce(referral_id, '00000000-0000-0000-0000-000000000000'));
create index record_access_user_idx on record_access (user_id, record_id) include (kind);

-- Everyone who can own or be assigned a record: users and service accounts,
-- with their current agency.
create view principals as
    select id, agency_id, email as name, 'user' as kind from users
    union all
    select id, agency_id, name, 'service' as kind from service_accounts;

-- Every write of a record, field by field: [{"path", "from", "to"}], row
-- additions and removals with "op". Merges of offline edits reconstruct a
-- base version from it.
create table record_history (
    record_id uuid not null references records (id) on delete cascade,
    version bigint not null check (version >= 1),
    changed_at timestamptz not null default now(),
    -- The transaction's subject (user:<id>, service:<id>, system:<name>) and
    -- the name it had then (email).
    actor text not null,
    actor_name text not null,
    action text not null check (action in ('create', 'update', 'disable', 'enable')),
    changes jsonb not null check (jsonb_typeof(changes) = 'array'),
    primary key (record_id, version)
);

comment on table record_history is 'append-only: a record''s change log is never rewritten';

-- The rows of a tracing request's trace subform (tracing_request_subform_section),
-- mirrored in the transaction of every write of the tracing request, so that
-- each is addressable and matched on its own.
create table traces (
    -- The row's unique_id.
    id uuid primary key,
    tracing_request_id uuid not null references records (id) on delete cascade,
    data jsonb not null check (jsonb_typeof(data) = 'object'),
    name_keys text[] not null default '{}',
    name_keys_version smallint not null default 0,
    name_folded text not null default '',
    sex text,
    age integer,
    date_of_birth date,
    location_last ltree,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create index traces_tracing_request_idx on traces (tracing_request_id);
create index traces_name_keys_idx on traces using gin (name_keys);
create index traces_location_idx on traces using gist (location_last);

-- Change logs for the people who work on records; disabling, and seeing
-- hidden names, for their managers.
update roles set permissions = permissions || '{cases:history,tracing_requests:history,incidents:history}', updated_at = now()
where unique_id in ('role-caseworker', 'role-case-manager');
update roles set permissions = permissions || '{cases:disable,tracing_requests:disable,incidents:disable,cases:view_hidden_name,tracing_requests:view_hidden_name}',
    updated_at = now()
where unique_id = 'role-case-manager';
---- create above / drop below ----
update roles set permissions = array(select p from unnest(permissions) p where p not in ('cases:history', 'tracing_requests:history',
    'incidents:history', 'cases:disable', 'tracing_requests:disable', 'incidents:disable', 'cases:view_hidden_name',
    'tracing_requests:view_hidden_name'));
drop table traces;
drop table record_history;
drop view principals;
drop table record_access;
drop table records;
drop function records_short_id();
drop sequence records_short_id_seq;
