-- expect exit: 1
-- expect hazards: FOREIGN_KEY_WITHOUT_NOT_VALID
-- expect mentions: BREAKING   CONSTRAINT analysis_requests.fk_analysis_requests_user | FOREIGN KEY (...) REFERENCES ... NOT VALID
SET lock_timeout = '5s';
ALTER TABLE analysis_requests ADD CONSTRAINT fk_analysis_requests_user FOREIGN KEY (user_id) REFERENCES users (id);
