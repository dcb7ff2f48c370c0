-- expect exit: 1
-- expect hazards: 
-- expect mentions: BREAKING   COLUMN users.first_name changed not null | written by: users.create, users.updateProfile | field-mapping.csv line 5
SET lock_timeout = '5s';
ALTER TABLE users ALTER COLUMN first_name DROP NOT NULL;
