-- The country's calling code (docs/records.md, Phone numbers): digits
-- without "+", e.g. 254. With it, phone numbers written the local way
-- ("0712 345 678") are stored and searched in international form
-- ("254712345678"), so local and international writings find each other.
-- Null (the default): phone numbers match on all their digits as written.
-- No API sets it yet: SQL, or a future system-settings field.
alter table system_settings
    add column phone_calling_code text check (phone_calling_code ~ '^[1-9][0-9]{0,3}$');
---- create above / drop below ----
alter table system_settings drop column phone_calling_code;
