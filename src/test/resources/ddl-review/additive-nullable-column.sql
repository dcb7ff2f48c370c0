-- expect exit: 0
-- expect hazards: 
-- expect mentions: additive COLUMN prompts.locale added
-- A new nullable column: nothing the library does can fail on it.
SET lock_timeout = '5s';
ALTER TABLE prompts ADD COLUMN locale character varying(10);
