-- expect exit: 1
-- expect hazards: LONG_UPDATE_WITH_DDL
-- expect mentions: update in batches
BEGIN;
SET LOCAL lock_timeout = '5s';
ALTER TABLE analysis_requests ADD COLUMN priority integer;
UPDATE analysis_requests SET priority = 0;
COMMIT;
