-- expect exit: 0
-- expect hazards:
-- expect mentions: data       UPDATE at line 5 rewrites users.role (com.airesumereview.db.generated.vocabulary.UserRole): values that disappear: consultant; values written: admin
SET lock_timeout = '5s';
UPDATE users SET role = 'admin' WHERE role = 'consultant';
