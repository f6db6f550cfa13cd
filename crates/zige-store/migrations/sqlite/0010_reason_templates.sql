-- Reason templates: reasons for one outcome, written once by an admin in
-- Chinese and English, picked by reviewers on the decision form. A
-- change is guarded by the version the admin read; adding, changing and
-- deleting one is in the audit log.

CREATE TABLE reason_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version BIGINT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'rejected', 'more_information')),
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    text_zh TEXT NOT NULL,
    text_en TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
