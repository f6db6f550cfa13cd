-- Run by Store::migrate on SQLite after migration 0008 (foreign keys must be
-- off, which no migration transaction allows): the users table rebuilt with
-- the `official` role by SQLite's documented procedure, in one transaction.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE users_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('applicant', 'reviewer', 'admin', 'official')),
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    email_verified_at INTEGER,
    language TEXT CHECK (language IN ('zh', 'en')),
    digest INTEGER NOT NULL DEFAULT 1
);
INSERT INTO users_new (id, email, name, role, password_hash, created_at, disabled, email_verified_at, language, digest)
    SELECT id, email, name, role, password_hash, created_at, disabled, email_verified_at, language, digest FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
COMMIT;
