-- expect exit: 2
-- expect hazards: 
-- expect mentions: statement 2 (line 7) | syntax error at or near "NOT"
-- PostgreSQL has no ADD CONSTRAINT IF NOT EXISTS; production's history holds this statement.
SET lock_timeout = '5s';

ALTER TABLE file_uploads
    ADD CONSTRAINT IF NOT EXISTS chk_file_uploads_progress CHECK (progress BETWEEN 0 AND 100);
