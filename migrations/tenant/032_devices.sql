-- Devices that keep an offline copy (docs/frontend.md "Offline, session 19",
-- docs/identity.md "Device keys"). A person registers their browser when they
-- opt in; the server keeps a random 256-bit key per device and releases it
-- only to that person's signed-in browser session, so a copied browser
-- profile cannot open the copy without the server. Revoking a device (its
-- owner, an administrator, or disabling the user) stops the release for
-- good: the device wipes its copy at its next contact.
create table devices (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users (id),
    label text not null check (length(label) between 1 and 100),
    user_agent text not null default '' check (length(user_agent) <= 500),
    key bytea not null check (length(key) = 32),
    created_at timestamptz not null default now(),
    last_released_at timestamptz,
    revoked_at timestamptz,
    revoked_by text,
    revoked_reason text check (revoked_reason in ('owner', 'administrator', 'user_disabled')),
    check ((revoked_at is null) = (revoked_reason is null))
);
create index devices_user on devices (user_id, created_at);

-- How an offline copy opens (system settings): "pin" keeps the device key
-- wrapped by the PIN on the device (opens offline after a restart);
-- "pin_and_server" never stores it (opens only after the server released it).
alter table system_settings add column offline_unlock text not null default 'pin'
    check (offline_unlock in ('pin', 'pin_and_server'));

-- Everyone manages their own devices; administrators see and revoke those of
-- the users in their scope (e.g. a phone reported lost).
update roles set permissions = array_append(permissions, 'devices:write_self'), updated_at = now()
where unique_id in ('role-caseworker', 'role-case-manager', 'role-agency-admin', 'role-system-administrator', 'role-data-analyst')
  and not ('devices:write_self' = any (permissions));
update roles set permissions = permissions || array['devices:read', 'devices:write'], updated_at = now()
where unique_id in ('role-agency-admin', 'role-system-administrator')
  and not ('devices:read' = any (permissions));

---- create above / drop below ----

update roles set permissions = array_remove(array_remove(array_remove(permissions, 'devices:write_self'), 'devices:read'), 'devices:write'),
    updated_at = now();
alter table system_settings drop column offline_unlock;
drop table devices;
