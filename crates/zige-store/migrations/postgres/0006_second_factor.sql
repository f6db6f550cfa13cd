-- The second factor of signing in: one TOTP secret per account (enabled
-- once confirmed with a code), the last step used (so a code works only
-- once), and single-use recovery codes, stored as hashes. A session may
-- wait for its second factor: it then opens nothing but the second step.

CREATE TABLE second_factors (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    secret BYTEA NOT NULL,
    enabled BIGINT NOT NULL DEFAULT 0,
    last_step BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    enabled_at BIGINT
);

CREATE TABLE recovery_codes (
    user_id BIGINT NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

ALTER TABLE sessions ADD COLUMN second_factor_pending BIGINT NOT NULL DEFAULT 0;
