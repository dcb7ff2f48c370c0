-- expect exit: 0
-- expect hazards: CONCURRENTLY_MIXED_IN_MIGRATION
-- expect mentions: addition   COLUMN file_uploads.archived_at added | addition   INDEX file_uploads.idx_file_uploads_archived added
-- A column and a partial index on it, built without blocking writes.
SET lock_timeout = '5s';
ALTER TABLE file_uploads ADD COLUMN archived_at timestamp with time zone;
CREATE INDEX CONCURRENTLY idx_file_uploads_archived ON file_uploads (archived_at) WHERE archived_at IS NOT NULL;
