-- expect exit: 1
-- expect hazards: LONG_UPDATE_WITH_DDL
-- expect mentions: UserRole | removed consultant | values that disappear: consultant | written by: users.changeRole, users.create | field-mapping.csv line 7: User,role,users,role,direct
-- Production's users.role rewrite: consultant is replaced by junior_recruiter / senior_recruiter / admin.
SET lock_timeout = '5s';
ALTER TABLE users DROP CONSTRAINT users_role_check;
UPDATE users SET role = CASE WHEN email LIKE '%@lead.example.com' THEN 'senior_recruiter'
                             ELSE 'junior_recruiter' END
 WHERE role = 'consultant';
ALTER TABLE users ALTER COLUMN role SET DEFAULT 'junior_recruiter';
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('junior_recruiter', 'senior_recruiter', 'admin')) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_role_check;
