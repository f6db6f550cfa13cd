-- Facts about this database: its schema and when it was created.
CREATE TABLE IF NOT EXISTS zige_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO zige_meta (key, value) VALUES ('created_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) ON CONFLICT (key) DO NOTHING;
