-- The dashboard's scope aggregate (casework.Dashboards: open cases by risk,
-- new this week, flagged) reads these columns of every case in the
-- caller's scope. Without this index it read the wide records heap (a
-- sequential scan of every record, ~5 rows a page, hash-joined to the
-- scope's record_access rows); with it, an index-only scan of a narrow
-- index (docs/workflows.md, "Measured", session 18).
create index records_dashboard_covering_idx on records (record_type, enabled, id)
    include (status, risk_level, created_at, flagged);
---- create above / drop below ----
drop index records_dashboard_covering_idx;
