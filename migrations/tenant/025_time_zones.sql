-- Time zones (docs/workflows.md, "Time zones"): a user's IANA time zone
-- (null: the tenant's default) and the tenant's default one. The daily
-- digest goes out on each user's local morning, and tasks are overdue from
-- the user's local day. The application validates the names (Go's
-- time.LoadLocation); the checks here only bound them.
alter table users
    add column time_zone text check (time_zone ~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$');
alter table system_settings
    add column time_zone text not null default 'UTC' check (time_zone ~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$');
---- create above / drop below ----
alter table system_settings drop column time_zone;
alter table users drop column time_zone;
