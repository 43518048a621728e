-- What a full re-matching run is doing and how far it is (matching.Run's
-- stage, stage_done, stage_total; docs/matching.md, Running). A run's
-- preparation (every case's values and keys stored, then the parameters
-- estimated) is one transaction of many minutes at 1,000,000 cases, whose
-- writes nobody sees until it commits: it writes its stage and progress
-- from separate short transactions. The matching stage's progress is
-- traces_done of traces_total. Runs finished before this migration are
-- 'done', those running 'matching'.
alter table matching_runs
    add column stage text not null default 'queued'
        check (stage in ('queued', 'storing_cases', 'comparing_candidates', 'estimating', 'matching', 'done')),
    add column stage_done integer not null default 0,
    add column stage_total integer not null default 0;
update matching_runs set stage = case status when 'running' then 'matching' when 'queued' then 'queued' else 'done' end;

---- create above / drop below ----

alter table matching_runs drop column stage, drop column stage_done, drop column stage_total;
