-- Phonetic searches count their matches exactly (docs/records.md,
-- Searching). The records without a hidden name, enabled, of a type with
-- names, are held by these partial indexes of the name keys: the count of
-- those matching is answered by the index and the visibility map alone,
-- without reading the table (the records with a hidden name, few, are
-- counted apart).
create index records_case_name_keys_idx on records using gin (name_keys)
    where record_type = 'case' and enabled and not hidden_name;
create index records_tracing_request_name_keys_idx on records using gin (name_keys)
    where record_type = 'tracing_request' and enabled and not hidden_name;
---- create above / drop below ----
drop index records_tracing_request_name_keys_idx;
drop index records_case_name_keys_idx;
