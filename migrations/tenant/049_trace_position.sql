-- A trace's place among its tracing request's trace rows (0: the first). A
-- request gives one separation (date, cause, place), that of the first
-- child it seeks: FTR matching weighs it apart for the later traces
-- (matching.Comparison.ByTraceOrder; docs/matching.md, Configuration).
alter table traces add column position integer not null default 0 check (position >= 0);

update traces t set position = r.position
from (
    select rec.id as tracing_request_id, (row ->> 'unique_id')::uuid as id, (ord - 1)::integer as position
    from records rec, jsonb_array_elements(case jsonb_typeof(rec.data -> 'tracing_request_subform_section')
            when 'array' then rec.data -> 'tracing_request_subform_section' else '[]'::jsonb end) with ordinality as x (row, ord)
    where rec.record_type = 'tracing_request' and jsonb_typeof(row) = 'object'
        and row ->> 'unique_id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
) r
where t.id = r.id and t.tracing_request_id = r.tracing_request_id and t.position <> r.position;

---- create above / drop below ----

alter table traces drop column position;
