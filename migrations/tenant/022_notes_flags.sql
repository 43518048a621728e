-- Notes with a server-set author and date, and flags on tracing requests
-- and incidents (docs/workflows.md, Notes; Flags). A note is a row of the
-- case's notes_section subform written only by add-case-note (history
-- action note); flags of every record type share the flags table.

alter table record_history drop constraint record_history_action_check;
alter table record_history add constraint record_history_action_check
    check (action in ('create', 'update', 'disable', 'enable', 'attachment_added', 'attachment_removed',
        'assign', 'referral', 'transfer', 'transfer_request', 'approval', 'flag', 'unflag', 'close', 'reopen', 'note'));

-- Caseworkers and case managers add notes to cases and flag the tracing
-- requests and incidents they may write.
update roles set permissions = permissions || '{cases:add_note,tracing_requests:flag,incidents:flag}', updated_at = now()
where unique_id in ('role-caseworker', 'role-case-manager');
---- create above / drop below ----
update roles set permissions = array(select p from unnest(permissions) p
    where p not in ('cases:add_note', 'tracing_requests:flag', 'incidents:flag'));
update record_history set action = 'update' where action = 'note';
alter table record_history drop constraint record_history_action_check;
alter table record_history add constraint record_history_action_check
    check (action in ('create', 'update', 'disable', 'enable', 'attachment_added', 'attachment_removed',
        'assign', 'referral', 'transfer', 'transfer_request', 'approval', 'flag', 'unflag', 'close', 'reopen'));
