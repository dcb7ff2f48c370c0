-- expect exit: 1
-- expect hazards: SET_NOT_NULL_WITHOUT_CHECK, LONG_UPDATE_WITH_DDL
-- expect mentions: VALIDATE CONSTRAINT users_failed_login_attempts_not_null
SET lock_timeout = '5s';
UPDATE users SET failed_login_attempts = 0 WHERE failed_login_attempts IS NULL;
ALTER TABLE users ALTER COLUMN failed_login_attempts SET NOT NULL;
