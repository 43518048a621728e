-- Who works in this country instance: agencies, roles, user groups and users.
-- Identities (email, password, second factors) live in Ory Kratos; a user row
-- is this tenant's membership of one identity.

create table agencies (
    id uuid primary key default gen_random_uuid(),
    unique_id text not null unique check (unique_id ~ '^agency-[a-z0-9-]{1,60}$'),
    name jsonb not null check (jsonb_typeof(name) = 'object'),
    agency_code text not null unique check (length(agency_code) between 1 and 20),
    disabled boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table roles (
    id uuid primary key default gen_random_uuid(),
    unique_id text not null unique check (unique_id ~ '^role-[a-z0-9-]{1,60}$'),
    name jsonb not null check (jsonb_typeof(name) = 'object'),
    description jsonb not null default '{}',
    -- "resource:action" pairs from the policy catalogue.
    permissions text[] not null default '{}',
    -- Which records the role reaches: its own, its user groups', its agency's, or all.
    record_scope text not null check (record_scope in ('own', 'group', 'agency', 'all')),
    -- Form unique_id -> 'r' or 'rw'.
    form_access jsonb not null default '{}' check (jsonb_typeof(form_access) = 'object'),
    -- Users of this role must sign in with a second factor (TOTP).
    mfa_required boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table user_groups (
    id uuid primary key default gen_random_uuid(),
    unique_id text not null unique check (unique_id ~ '^usergroup-[a-z0-9-]{1,60}$'),
    name text not null check (length(name) between 1 and 200),
    description text not null default '',
    disabled boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table users (
    id uuid primary key default gen_random_uuid(),
    -- The Kratos identity; unique: one membership per identity and tenant.
    identity_id uuid not null unique,
    email text not null unique check (email ~ '^[^@\s]+@[^@\s]+$'),
    full_name text not null check (length(full_name) between 1 and 200),
    locale text not null default 'en',
    role_id uuid not null references roles (id),
    agency_id uuid not null references agencies (id),
    disabled boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create index users_agency_idx on users (agency_id);
create index users_role_idx on users (role_id);

create table user_groups_users (
    user_group_id uuid not null references user_groups (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    primary key (user_group_id, user_id)
);

create index user_groups_users_user_idx on user_groups_users (user_id);

-- The default CPIMS+ roles. Permissions name the policy catalogue
-- (policy/catalog.go); a test checks that every one exists there.
insert into roles (unique_id, name, description, permissions, record_scope, mfa_required) values
('role-caseworker',
 '{"en": "Caseworker", "fr": "Travailleur social", "es": "Trabajador social", "ar": "أخصائي حالة"}',
 '{"en": "Registers children, assesses, plans and follows up their own cases."}',
 '{cases:read,cases:write,tracing_requests:read,tracing_requests:write,incidents:read,incidents:write,users:read_self}',
 'own', false),
('role-case-manager',
 '{"en": "Case manager", "fr": "Gestionnaire de cas", "es": "Gestor de casos", "ar": "مدير حالات"}',
 '{"en": "Supervises the caseworkers of their groups: sees and assigns their cases, approves plans and closures."}',
 '{cases:read,cases:write,cases:assign,cases:approve,tracing_requests:read,tracing_requests:write,incidents:read,incidents:write,users:read,users:read_self,dashboards:read}',
 'group', false),
('role-agency-admin',
 '{"en": "Agency administrator", "fr": "Administrateur d''agence", "es": "Administrador de agencia", "ar": "مسؤول الوكالة"}',
 '{"en": "Manages the users and groups of their own agency."}',
 '{users:read,users:write,users:read_self,user_groups:read,user_groups:write,roles:read,agencies:read}',
 'agency', true),
('role-system-administrator',
 '{"en": "System administrator", "fr": "Administrateur système", "es": "Administrador del sistema", "ar": "مسؤول النظام"}',
 '{"en": "Configures the country instance: users, roles, groups, agencies, settings; reads the audit log."}',
 '{users:read,users:write,users:read_self,roles:read,roles:write,user_groups:read,user_groups:write,agencies:read,agencies:write,audit_logs:read,system_settings:write}',
 'all', true),
('role-data-analyst',
 '{"en": "Data analyst", "fr": "Analyste de données", "es": "Analista de datos", "ar": "محلل بيانات"}',
 '{"en": "Sees aggregated figures and reports, never a child''s personal data."}',
 '{dashboards:read,reports:read,users:read_self}',
 'all', false);
---- create above / drop below ----
drop table user_groups_users;
drop table users;
drop table user_groups;
drop table roles;
drop table agencies;
