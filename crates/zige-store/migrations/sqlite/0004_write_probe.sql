-- The row /readyz writes to, to learn whether the database takes writes:
-- a full disk still answers reads, but not writes. Row 1 stays; the probe
-- also writes and removes a row 2, which needs free space.

CREATE TABLE write_probe (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    pad BLOB NOT NULL
);
INSERT INTO write_probe (id, at, pad) VALUES (1, 0, X'');

-- Evidence blobs are found by content hash when the sweep looks for files
-- no record refers to.
CREATE INDEX evidence_sha256 ON evidence(sha256);
