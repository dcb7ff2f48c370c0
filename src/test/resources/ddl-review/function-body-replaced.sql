-- expect exit: 0
-- expect hazards:
-- expect mentions: review of function-body-replaced.sql (2 statements | compatible FUNCTION expire_refresh_tokens() changed definition
-- A plpgsql body with semicolons, a string and a comment inside the dollar quotes is one statement.
SET lock_timeout = '5s';
CREATE OR REPLACE FUNCTION public.expire_refresh_tokens() RETURNS void
    LANGUAGE plpgsql
    AS $body$
BEGIN
    -- 'expired' once the expiry has passed; a ; here does not end the statement
    UPDATE refresh_tokens
    SET status = 'expired'
    WHERE expires_at <= CURRENT_TIMESTAMP
    AND status = 'active';
END;
$body$;
