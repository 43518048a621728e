-- A case's parsed matching values beside the record (docs/matching.md,
-- Speed): written by the matching job with the case's blocking keys
-- (matching.Matcher.EncodeCase), read when the case is a trace's candidate
-- instead of decoding its data and parsing its names again. fingerprint
-- names the configuration and encoding they were written under
-- (matching.Matcher.Fingerprint); a row of another fingerprint is stale and
-- the record is parsed instead. Only cases that take part (consent, enabled)
-- have a row; a full re-match writes every one.
create table match_subjects (
    record_id uuid primary key references records (id) on delete cascade,
    fingerprint bigint not null,
    subject bytea not null
);
---- create above / drop below ----
drop table match_subjects;
