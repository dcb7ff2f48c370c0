-- expect exit: 0
-- expect hazards: 
-- expect mentions: addition   COLUMN prompts.locale added | Add a field-mapping.csv row for prompts.locale
-- A new nullable column: nothing the library does can fail on it.
SET lock_timeout = '5s';
ALTER TABLE prompts ADD COLUMN locale character varying(10);
