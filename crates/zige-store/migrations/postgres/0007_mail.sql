-- Mail: whether an account's address is verified, the language it reads
-- and whether it wants the reviewers' daily digest; single-use tokens
-- (address verification, password reset), stored as hashes; and the
-- transactional outbox, written in the same transaction as the change a
-- message tells of, then delivered by a sender task.

-- Accounts made before verification existed count as verified.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
UPDATE users SET email_verified_at = created_at;
ALTER TABLE users ADD COLUMN language TEXT CHECK (language IN ('zh', 'en'));
ALTER TABLE users ADD COLUMN digest BIGINT NOT NULL DEFAULT 1;

CREATE TABLE email_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX email_tokens_user ON email_tokens(user_id, purpose);

CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    recipient TEXT NOT NULL,
    language TEXT,
    params TEXT NOT NULL,
    once_key TEXT,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox(recipient, kind, created_at);
CREATE UNIQUE INDEX outbox_once ON outbox(kind, once_key) WHERE once_key IS NOT NULL;
