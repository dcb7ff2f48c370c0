-- expect exit: 2
-- expect hazards: 
-- expect mentions: statement 2 (line 5) | needs superuser rights
SET lock_timeout = '5s';
ALTER SYSTEM SET work_mem = '64MB';
