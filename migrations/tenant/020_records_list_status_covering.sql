-- Lists filtered by place and status (docs/records.md, Indexes): status and
-- enabled are equality conditions of every such list, so they come before
-- the date of birth in the key of the covering index: the scan reads the
-- open (or closed) enabled records of the places asked for only, instead of
-- every record of those places, and the date of birth bounds it where the
-- list filters on dates of birth alone. Replaces the index of
-- records_location_covering.
drop index records_location_covering_idx;
create index records_location_status_covering_idx on records (record_type, location_current, status, enabled, date_of_birth)
    include (age, updated_at, id);
---- create above / drop below ----
drop index records_location_status_covering_idx;
create index records_location_covering_idx on records (record_type, location_current, date_of_birth)
    include (enabled, status, age, updated_at, id);
