-- expect exit: 1
-- expect hazards:
-- expect mentions: BREAKING   CONSTRAINT analysis_requests.chk_analysis_requests_size_positive
-- The safer form of a new CHECK: no scan under ACCESS EXCLUSIVE. Still breaking: it refuses writes the snapshot allows.
SET lock_timeout = '5s';
ALTER TABLE analysis_requests ADD CONSTRAINT chk_analysis_requests_size_positive CHECK (file_size_bytes > 0) NOT VALID;
ALTER TABLE analysis_requests VALIDATE CONSTRAINT chk_analysis_requests_size_positive;
