-- expect exit: 1
-- expect hazards: COLUMN_TYPE_CHANGE
-- expect mentions: expand and contract
SET lock_timeout = '5s';
ALTER TABLE users ALTER COLUMN failed_login_attempts TYPE bigint;
