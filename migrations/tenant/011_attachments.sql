-- Attachments: photos, audio and documents on records' upload fields
-- (photo_upload_box, audio_upload_box, document_upload_box). The files are
-- in S3 (package storage) under attachments/<record id>/<attachment id> of
-- the tenant's prefix; this table holds what the API shows of them, and the
-- record's field value lists their ids. Package records owns the code
-- (records/attachments.go, docs/records.md "Attachments").
create table attachments (
    id uuid primary key,
    record_id uuid not null references records (id) on delete cascade,
    -- The upload field of the record's data that lists this attachment.
    field text not null check (field ~ '^[a-z][a-z0-9_]{0,79}$'),
    file_name text not null check (length(file_name) between 1 and 255),
    -- The canonical media type, as detected from the content and stored.
    content_type text not null,
    size bigint not null check (size > 0),
    sha256 bytea not null check (length(sha256) = 32),
    description text check (length(description) <= 1000),
    -- When the photo was taken or the document issued, as the uploader says.
    date date,
    created_by text not null,
    created_at timestamptz not null default now()
);

create index attachments_record_idx on attachments (record_id, created_at, id);

-- Per-tenant limits, checked before a file is stored.
alter table system_settings
    add column attachment_max_photo_bytes bigint not null default 10485760 check (attachment_max_photo_bytes > 0),
    add column attachment_max_audio_bytes bigint not null default 26214400 check (attachment_max_audio_bytes > 0),
    add column attachment_max_document_bytes bigint not null default 20971520 check (attachment_max_document_bytes > 0),
    add column attachments_per_record int not null default 50 check (attachments_per_record > 0);

-- The change log names attachments added and removed.
alter table record_history drop constraint record_history_action_check;
alter table record_history add constraint record_history_action_check
    check (action in ('create', 'update', 'disable', 'enable', 'attachment_added', 'attachment_removed'));
---- create above / drop below ----
alter table record_history drop constraint record_history_action_check;
delete from record_history where action in ('attachment_added', 'attachment_removed');
alter table record_history add constraint record_history_action_check
    check (action in ('create', 'update', 'disable', 'enable'));
alter table system_settings
    drop column attachment_max_photo_bytes,
    drop column attachment_max_audio_bytes,
    drop column attachment_max_document_bytes,
    drop column attachments_per_record;
drop table attachments;
