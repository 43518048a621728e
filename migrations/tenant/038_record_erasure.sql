-- Erasing one record (docs/records.md, "Session 22: erasure"): the
-- permissions cases:erase, tracing_requests:erase and incidents:erase go to
-- the system administrator only (all records in scope, MFA required, and
-- not the person who disabled the record: a case manager disables, the
-- administrator erases). No caseworker role gets them.
update roles set permissions = permissions || '{cases:erase,tracing_requests:erase,incidents:erase}', updated_at = now()
where unique_id = 'role-system-administrator' and not ('cases:erase' = any (permissions));
---- create above / drop below ----
update roles set permissions = array(select p from unnest(permissions) p
    where p not in ('cases:erase', 'tracing_requests:erase', 'incidents:erase'));
