-- Agency referrals follow the agency's current managers (docs/workflows.md,
-- "Referral to an agency"): while a referral to an agency is addressed to
-- no user yet (in progress, transitioned_to null), its record_access rows
-- are exactly those of the agency's current managers (enabled users whose
-- role holds cases:assign), the sender excepted. A manager who joins the
-- agency (added, moved in, re-enabled, given a managing role, or whose role
-- gains cases:assign) gets a row in the same transaction; one who leaves
-- loses it. Readers keep using record_access as before.
-- The function names the tables in the schema of the table written
-- (TG_TABLE_SCHEMA), whatever the search_path of the writer.
create function agency_referral_access_sync() returns trigger
language plpgsql
as $$
begin
    execute format($q$
        delete from %1$I.record_access a using %1$I.transitions t
        where a.kind = 'referral' and a.referral_id = t.id
            and t.type = 'referral' and t.status = 'in_progress' and t.transitioned_to is null
            and t.transitioned_to_agency_id is not null
            and not exists (select 1 from %1$I.users u join %1$I.roles r on r.id = u.role_id
                where u.id = a.user_id and u.agency_id = t.transitioned_to_agency_id and not u.disabled
                    and 'cases:assign' = any(r.permissions))$q$, TG_TABLE_SCHEMA);
    execute format($q$
        insert into %1$I.record_access (record_id, user_id, kind, referral_id, access_role)
        select t.record_id, u.id, 'referral', t.id, t.authorized_role
        from %1$I.transitions t
        join %1$I.users u on u.agency_id = t.transitioned_to_agency_id and not u.disabled and u.id <> t.transitioned_by
        join %1$I.roles r on r.id = u.role_id and 'cases:assign' = any(r.permissions)
        where t.type = 'referral' and t.status = 'in_progress' and t.transitioned_to is null
            and t.transitioned_to_agency_id is not null
        on conflict do nothing$q$, TG_TABLE_SCHEMA);
    return null;
end
$$;

create trigger agency_referral_access_users after insert or update of agency_id, role_id, disabled on users
    for each statement execute function agency_referral_access_sync();
create trigger agency_referral_access_roles after update of permissions on roles
    for each statement execute function agency_referral_access_sync();
---- create above / drop below ----
drop trigger agency_referral_access_roles on roles;
drop trigger agency_referral_access_users on users;
drop function agency_referral_access_sync();
