-- The place first on the scope side table (docs/records.md, Session 22): a
-- list of the agency or group scope filtered by place reads the entries of
-- the filter's places (one range each, bounded by status, enabled and date
-- of birth) and keeps those whose owner is in the scope by a hashed probe,
-- instead of one range of record_scope_owner_idx per owner and place (350
-- users x 6 places = 2,100 descents for a district of the bench at a
-- million cases). It reads at most what the same list of the all scope
-- reads on records_location_status_covering_idx. record_scope_owner_idx
-- stays for lists without a place and for dashboards.
--
-- Writers to records wait while the index is built (about half a minute at
-- a million cases).
create index record_scope_place_idx on record_scope (record_type, location_current, status, enabled, date_of_birth)
    include (owner_id, age, updated_at, created_at, risk_level, flagged, id);

---- create above / drop below ----
drop index record_scope_place_idx;
