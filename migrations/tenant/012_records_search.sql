-- Indexes of records lists and searches (docs/records.md, Search). The
-- search columns are written by the application with data (009); these
-- indexes let filters and searches reach the matching rows without reading
-- data.

-- Free text over names: each folded word of the query is a substring of
-- name_folded (LIKE '%word%'), answered by trigrams (pg_trgm, in the shared
-- "extensions" schema on the search_path).
create index records_name_trgm_idx on records using gin (name_folded gin_trgm_ops);
-- Age ranges go through the date of birth where it is known, else the age
-- entered; date ranges and sorts on the dates.
create index records_type_dob_idx on records (record_type, date_of_birth);
create index records_type_age_idx on records (record_type, age) where date_of_birth is null;
create index records_type_registration_idx on records (record_type, registration_date);
---- create above / drop below ----
drop index records_type_registration_idx;
drop index records_type_age_idx;
drop index records_type_dob_idx;
drop index records_name_trgm_idx;
