-- Accounts, sessions, applications with their events and evidence,
-- decisions, signing keys and the hash-chained audit log.
-- Instants are milliseconds since the epoch (UTC).

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('applicant', 'reviewer', 'admin')),
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, at);
CREATE INDEX login_failures_address ON login_failures(address, at);

CREATE TABLE applications (
    id BIGSERIAL PRIMARY KEY,
    applicant_id BIGINT NOT NULL REFERENCES users(id),
    state TEXT NOT NULL,
    entry_code TEXT,
    entry_list TEXT,
    catalog TEXT NOT NULL,
    form TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT
);
CREATE INDEX applications_applicant ON applications(applicant_id);
CREATE INDEX applications_queue ON applications(state, submitted_at);

CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_application ON events(application_id);

CREATE TABLE evidence (
    id BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    name TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    UNIQUE (application_id, sha256)
);

CREATE TABLE decisions (
    id BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL UNIQUE REFERENCES applications(id),
    number TEXT NOT NULL UNIQUE,
    code TEXT NOT NULL UNIQUE,
    holder_name TEXT NOT NULL,
    signed TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    revoked_at BIGINT,
    revoked_by BIGINT,
    revoked_reason TEXT
);

CREATE TABLE signing_keys (
    id TEXT PRIMARY KEY,
    secret BYTEA NOT NULL,
    public BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('decision', 0);

CREATE TABLE audit (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();

-- The chain's head: one row, locked by every append, so appends are serial.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
