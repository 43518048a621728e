-- Hosting-team members who may use the platform API, by Kratos identity.
-- They always sign in with a second factor. The bootstrap operator key
-- (CPIMS_OPERATOR_API_KEY) remains for automation and first set-up.
create table operators (
    identity_id uuid primary key,
    email text not null unique,
    disabled boolean not null default false,
    created_by text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
---- create above / drop below ----
drop table operators;
