-- Audit records are appended here by the change they tell of, in its own
-- transaction and without any lock; a sealer moves them into the hash
-- chain (`audit`) in batches after they commit, holding the head's lock,
-- so concurrent writers no longer wait on the head to commit.
CREATE TABLE audit_pending (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor_id INTEGER,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);

-- One row per evidence file that an upload or a sweep is working on:
-- both take its lock, so a sweep never removes a file that an upload
-- about to commit relies on (the audit head used to be that lock).
CREATE TABLE blob_gate (
    sha256 TEXT PRIMARY KEY
);
