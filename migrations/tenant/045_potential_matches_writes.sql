-- What each potential match's write costs the server (docs/matching.md,
-- Speed, Session 31 (engineer S)). A re-matching run writes about ten rows
-- per trace, a million per 100,000 traces, and each insert (or rewrite of a
-- pending row) pays for every foreign key, index and compressed value of
-- the table; at 1,000,000 cases these writes were half of the server's CPU
-- per trace. Three of those costs bought nothing a query reads:
--
-- - The trace and its tracing request were two foreign keys, each checked
--   on every write. One key to traces (id, tracing_request_id) checks both,
--   and more: that the request is the trace's own. The cascades are the
--   same: an erased tracing request deletes its traces, which delete their
--   matches.
-- - The index on the tracing request served that foreign key's cascade and
--   the alerts of confirmed matches (casework's alertsSQL, status
--   'confirmed'); the per-trace list reads by trace, the per-case list by
--   case. It is now partial, on confirmed rows only: a run's pending rows
--   never enter it.
-- - comparisons (about 2 KB of JSON a row, over the size PostgreSQL
--   compresses) was compressed with pglz on every write; lz4 costs less CPU
--   for a slightly larger value. A server built without lz4 keeps pglz.
alter table traces add constraint traces_id_tracing_request_key unique (id, tracing_request_id);
alter table potential_matches
    drop constraint potential_matches_trace_id_fkey,
    drop constraint potential_matches_tracing_request_id_fkey,
    add constraint potential_matches_trace_fkey foreign key (trace_id, tracing_request_id)
        references traces (id, tracing_request_id) on delete cascade;
drop index potential_matches_request_idx;
create index potential_matches_confirmed_request_idx on potential_matches (tracing_request_id) where status = 'confirmed';
do $$
begin
    if exists (select 1 from pg_settings where name = 'default_toast_compression' and 'lz4' = any (enumvals)) then
        alter table potential_matches alter column comparisons set compression lz4;
    end if;
end
$$;

---- create above / drop below ----

alter table potential_matches alter column comparisons set compression default;
drop index potential_matches_confirmed_request_idx;
create index potential_matches_request_idx on potential_matches (tracing_request_id);
alter table potential_matches
    drop constraint potential_matches_trace_fkey,
    add constraint potential_matches_trace_id_fkey foreign key (trace_id) references traces (id) on delete cascade,
    add constraint potential_matches_tracing_request_id_fkey foreign key (tracing_request_id) references records (id) on delete cascade;
alter table traces drop constraint traces_id_tracing_request_key;
