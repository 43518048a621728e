-- A covering index for lists filtered by place (docs/records.md, Indexes):
-- the location filter is an equality on the paths of the places in the
-- subtree asked for, so the exact count and the page's ids of a filtered
-- list (place + status + age + enabled, ordered by updated_at) are read
-- from this index alone (an index-only scan), never from the table.
create index records_location_covering_idx on records (record_type, location_current, date_of_birth)
    include (enabled, status, age, updated_at, id);
---- create above / drop below ----
drop index records_location_covering_idx;
