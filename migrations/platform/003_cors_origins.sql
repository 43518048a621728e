-- Origins (scheme://host[:port]) of other web applications allowed to call
-- the tenant's API from a browser with a token or API key (never cookies).
alter table tenants add column cors_origins text[] not null default '{}';
---- create above / drop below ----
alter table tenants drop column cors_origins;
