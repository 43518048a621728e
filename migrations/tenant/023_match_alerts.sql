-- In-app alerts on a confirmed match (docs/matching.md, Confirmation
-- effects): the owners of the case and of the tracing request see who
-- confirmed it, by their name at the time, as record history does.
alter table potential_matches add column reviewer_name text not null default '';
---- create above / drop below ----
alter table potential_matches drop column reviewer_name;
