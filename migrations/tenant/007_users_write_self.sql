-- Everyone may change their own name and language (PATCH /api/v2/users/me):
-- people can no longer change their identity's traits in Kratos themselves
-- (docs/identity.md). Granted to the default roles; custom roles get it from
-- their administrators.
update roles set permissions = array_append(permissions, 'users:write_self'), updated_at = now()
where unique_id in ('role-caseworker', 'role-case-manager', 'role-agency-admin', 'role-system-administrator', 'role-data-analyst')
  and not ('users:write_self' = any (permissions));

---- create above / drop below ----

update roles set permissions = array_remove(permissions, 'users:write_self'), updated_at = now();
