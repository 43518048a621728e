-- Import reports carry a stable reason code per refused entry, and the
-- values its wording needs, beside the English reason (docs/translations.md
-- "Reason codes", docs/configuration.md "Location import reasons"), so the
-- web app words each reason in the reader's language. Rows written before
-- have no code ('').
alter table translation_import_entries
    add column reason_code text not null default '',
    add column reason_params jsonb;
alter table location_import_rows
    add column reason_code text not null default '',
    add column reason_params jsonb;
---- create above / drop below ----
alter table location_import_rows drop column reason_params, drop column reason_code;
alter table translation_import_entries drop column reason_params, drop column reason_code;
