-- Queues across cases (docs/workflows.md, "Session 19: queues"): the
-- transfers, referrals and transfer requests in and out (list-transitions)
-- and the approval requests (list-approvals) need transitions:read and
-- approvals:read; caseworkers and case managers, who send and answer them,
-- get both.
update roles set permissions = permissions || '{transitions:read,approvals:read}', updated_at = now()
where unique_id in ('role-caseworker', 'role-case-manager');
---- create above / drop below ----
update roles set permissions = array(select p from unnest(permissions) p
    where p not in ('transitions:read', 'approvals:read'));
