-- expect exit: 1
-- expect hazards: VOLATILE_DEFAULT
-- expect mentions: SET DEFAULT <expression> (new rows only)
SET lock_timeout = '5s';
ALTER TABLE analysis_requests ADD COLUMN trace_id uuid DEFAULT gen_random_uuid();
