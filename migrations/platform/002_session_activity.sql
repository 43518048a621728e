-- Last activity of each Kratos session, for the 30-minute idle limit (Kratos
-- itself only enforces the absolute 12-hour lifespan). Sessions are global
-- (one identity may belong to several tenants), so this is platform data.
create table session_activity (
    session_id uuid primary key,
    last_seen_at timestamptz not null
);

create index session_activity_last_seen_idx on session_activity (last_seen_at);
---- create above / drop below ----
drop table session_activity;
