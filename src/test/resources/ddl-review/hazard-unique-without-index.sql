-- expect exit: 1
-- expect hazards: UNIQUE_WITHOUT_INDEX
-- expect mentions: CREATE UNIQUE INDEX CONCURRENTLY refresh_tokens_session_id_key ON refresh_tokens (...) | UNIQUE USING INDEX refresh_tokens_session_id_key
SET lock_timeout = '5s';
ALTER TABLE refresh_tokens ADD CONSTRAINT refresh_tokens_session_id_key UNIQUE (session_id);
