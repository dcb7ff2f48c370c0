-- expect exit: 0
-- expect hazards: MISSING_LOCK_TIMEOUT
-- expect mentions: SET lock_timeout = '5s'
ALTER TABLE prompts ADD COLUMN locale character varying(10);
