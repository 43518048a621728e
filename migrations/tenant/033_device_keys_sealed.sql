-- Device keys sealed at rest (docs/devices.md). Each key is sealed with
-- AES-256-GCM under a key derived from an instance secret that is not in the
-- database (--device-key-secret), with the tenant and the device id as
-- associated data; key_id names the secret, so that it can be rotated
-- (`cpims devices reseal`). A migration cannot seal: it has no secret (and must
-- not be given one). Keys stored in clear before this migration stay in column
-- key until `cpims devices reseal --all` (run after upgrading) or their first
-- release seals them; a row holds exactly one of the two.
alter table devices alter column key drop not null;
alter table devices add column sealed_key bytea check (length(sealed_key) = 12 + 32 + 16);
alter table devices add column key_id text check (key_id ~ '^[0-9a-f]{16}$');
alter table devices add constraint devices_one_key check ((key is null) = (sealed_key is not null) and (sealed_key is null) = (key_id is null));
comment on column devices.key is 'a device key in clear, registered before keys were sealed: sealed by cpims devices reseal or at its first release';
comment on column devices.sealed_key is 'the device key: nonce || AES-256-GCM ciphertext under the instance secret key_id (docs/devices.md)';

-- Disabling a user revokes their devices in the same transaction, whatever
-- changes the row (this was done by tenancy.UpdateUser before the registry
-- moved to package devices). revoked_by is the transaction's actor.
create function users_disabled_revoke_devices() returns trigger
language plpgsql
as $$
begin
    -- The users table's own schema (TG_TABLE_SCHEMA), whatever the writer's
    -- search_path, as the other tenant triggers do.
    execute format('update %I.devices set revoked_at = now(), revoked_by = $1, revoked_reason = ''user_disabled''
        where user_id = $2 and revoked_at is null', TG_TABLE_SCHEMA)
    using coalesce(nullif(current_setting('cpims.actor', true), ''), 'system:unknown'), NEW.id;
    return null;
end
$$;

create trigger users_disabled_revoke_devices after update of disabled on users
    for each row when (NEW.disabled) execute function users_disabled_revoke_devices();

---- create above / drop below ----

drop trigger users_disabled_revoke_devices on users;
drop function users_disabled_revoke_devices();
alter table devices drop constraint devices_one_key;
-- A sealed key cannot be unsealed in SQL: those devices are removed (their
-- owners opt in again).
delete from devices where key is null;
alter table devices drop column key_id;
alter table devices drop column sealed_key;
alter table devices alter column key set not null;
