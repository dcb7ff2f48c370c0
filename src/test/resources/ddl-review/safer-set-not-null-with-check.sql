-- expect exit: 1
-- expect hazards:
-- expect mentions: BREAKING   COLUMN users.failed_login_attempts changed not null
-- The safer form of SET NOT NULL: a validated CHECK lets PostgreSQL skip the scan. (The backfill runs first, on its own.)
SET lock_timeout = '5s';
ALTER TABLE users ADD CONSTRAINT users_failed_login_attempts_not_null CHECK (failed_login_attempts IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_failed_login_attempts_not_null;
ALTER TABLE users ALTER COLUMN failed_login_attempts SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_failed_login_attempts_not_null;
