-- The blocking keys' version a matching run stored every case's keys with
-- (matching.BlockingVersion; docs/matching.md, Blocking, Session 22). A
-- release that changes the keys raises the version: a tenant whose last
-- successful run stored older keys is due for the periodic run (every case
-- re-keyed, parameters and stop keys re-estimated) even when no record was
-- written since. Until then the new rules' keys select nothing and the old
-- ones select as before. Existing runs stored version 1 (sessions 19-21).
alter table matching_runs add column blocking_version integer not null default 1;

---- create above / drop below ----

alter table matching_runs drop column blocking_version;
