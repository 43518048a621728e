-- The control plane: one row per country deployment (tenant).
create table tenants (
    code text primary key
        check (code ~ '^[a-z][a-z0-9]{1,15}$'),
    name text not null check (length(name) between 1 and 200),
    locales text[] not null check (cardinality(locales) >= 1),
    status text not null default 'provisioning'
        check (status in ('provisioning', 'active', 'suspended', 'deleting', 'failed')),
    -- Human-readable progress of provisioning, written outside the provisioning transaction.
    progress text not null default '',
    -- Why provisioning failed, for the operator.
    failure text not null default '',
    -- Version of the tenant migrations applied to the tenant's schema; updated in the
    -- same transaction as the migrations.
    schema_version integer not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    suspended_at timestamptz,
    delete_after timestamptz
);

create index tenants_delete_after_idx on tenants (delete_after) where status = 'deleting';
---- create above / drop below ----
drop table tenants;
