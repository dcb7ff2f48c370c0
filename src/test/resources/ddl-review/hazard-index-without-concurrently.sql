-- expect exit: 1
-- expect hazards: INDEX_WITHOUT_CONCURRENTLY
-- expect mentions: CREATE INDEX CONCURRENTLY idx_users_last_login ON users (last_login_at)
SET lock_timeout = '5s';
CREATE INDEX idx_users_last_login ON users (last_login_at);
