-- expect exit: 1
-- expect hazards: 
-- expect mentions: BREAKING   CONSTRAINT users.users_email_key missing | written by: users.changeEmail, users.create
SET lock_timeout = '5s';
ALTER TABLE users DROP CONSTRAINT users_email_key;
