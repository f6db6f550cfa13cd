-- Sign-in throttling by counters that are incremented atomically before a
-- password is checked (see zige_store::Store::reserve_login_attempt).
-- One row per key: "a:" and the SHA-256 of account and address, or "n:"
-- and the SHA-256 of the address. Instants are milliseconds since the epoch.

DROP TABLE login_failures;

CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    -- attempts counted as failures (a successful one is given back)
    failures INTEGER NOT NULL,
    -- the wait imposed after the latest failure (0 below the free allowance)
    delay_ms INTEGER NOT NULL,
    -- no attempt under this key is evaluated before this instant
    blocked_until INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX login_throttle_updated ON login_throttle(updated_at);
