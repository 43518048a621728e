-- The API key's re-check that starts every call made with a key
-- (tenancy.CallGuard.keySQL, sent with BEGIN as one simple-protocol query)
-- as a PL/pgSQL function: its statements' plans are kept per connection,
-- where the same check written out as literals was planned again on every
-- call (0.18 to 0.28 ms of planning a call, pg_stat_statements;
-- docs/records.md, Session 24). Same conditions as before: the key valid
-- (not revoked, not expired, its account enabled) with the account, record
-- scope and roles version the call was authenticated with; its use recorded
-- at most once a minute. It runs as the caller (the tenant role), on the
-- tables of the search_path's schema, which Tx has just set to this one.
--
-- roles_version must be computed as tenancy.policyVersionSQL is (a test,
-- TestKeyCheckAndMembershipRideOneRoundTrip, fails otherwise: the check
-- would refuse every key and each call would take the exact way).
create function api_key_check(key_hash bytea, account text, scope text, roles_version text, at timestamptz)
returns boolean
language plpgsql volatile
as $$
declare
    key_id uuid;
begin
    select k.id into key_id
    from api_keys k join service_accounts s on s.id = k.service_account_id join roles r on r.id = s.role_id
    where k.hash = key_hash and k.revoked_at is null and (k.expires_at is null or k.expires_at > at) and not s.disabled
        and s.id::text = account and r.record_scope = scope
        and (select coalesce(max(updated_at)::text, '') || '/' || count(*) from roles) = roles_version;
    if key_id is null then
        return false;
    end if;
    update api_keys set last_used_at = at
    where id = key_id and (last_used_at is null or last_used_at < at - interval '1 minute');
    return true;
end
$$;

---- create above / drop below ----

drop function api_key_check(bytea, text, text, text, timestamptz);
