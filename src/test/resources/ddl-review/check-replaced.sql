-- expect exit: 1
-- expect hazards: CHECK_WITHOUT_NOT_VALID
-- expect mentions: RefreshTokenStatus | added suspended | NOT VALID; then
-- A CHECK replaced in one statement: the new one validates every row under ACCESS EXCLUSIVE.
SET lock_timeout = '5s';
ALTER TABLE refresh_tokens DROP CONSTRAINT chk_refresh_tokens_status,
    ADD CONSTRAINT chk_refresh_tokens_status CHECK (status IN ('active', 'expired', 'revoked', 'suspended'));
