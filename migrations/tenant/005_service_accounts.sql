-- Integration clients: service accounts act with a role (and its record
-- scope) like a user, and authenticate with API keys. A key is shown once;
-- only its SHA-256 is kept (keys are 32 random bytes, so a fast hash is safe).
create table service_accounts (
    id uuid primary key default gen_random_uuid(),
    name text not null unique check (length(name) between 1 and 200),
    role_id uuid not null references roles (id),
    agency_id uuid not null references agencies (id),
    disabled boolean not null default false,
    created_by text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table api_keys (
    id uuid primary key default gen_random_uuid(),
    service_account_id uuid not null references service_accounts (id) on delete cascade,
    name text not null check (length(name) between 1 and 200),
    -- The first characters of the key, to recognise it in lists.
    prefix text not null,
    hash bytea not null unique check (length(hash) = 32),
    created_by text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz,
    revoked_at timestamptz,
    last_used_at timestamptz
);

create index api_keys_account_idx on api_keys (service_account_id);

update roles set permissions = permissions || '{service_accounts:read,service_accounts:write}', updated_at = now()
where unique_id = 'role-system-administrator';
---- create above / drop below ----
update roles set permissions = array_remove(array_remove(permissions, 'service_accounts:read'), 'service_accounts:write')
where unique_id = 'role-system-administrator';
drop table api_keys;
drop table service_accounts;
