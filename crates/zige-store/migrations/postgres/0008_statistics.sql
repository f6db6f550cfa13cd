-- Statistics: the `official` role; what each submitted application is
-- counted under (the month, edition, entry and nationality of its first
-- submission); and counts kept up to date in the transaction of every
-- state change, so that reports read a few thousand cells instead of
-- every application. Applications made by `zige demo seed` are marked.

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('applicant', 'reviewer', 'admin', 'official'));

ALTER TABLE applications ADD COLUMN first_submitted_at BIGINT;
ALTER TABLE applications ADD COLUMN stats_month TEXT;
ALTER TABLE applications ADD COLUMN stats_catalog TEXT;
ALTER TABLE applications ADD COLUMN stats_entry TEXT;
ALTER TABLE applications ADD COLUMN nationality TEXT;
ALTER TABLE applications ADD COLUMN asked_more BIGINT NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN demo BIGINT NOT NULL DEFAULT 0;
CREATE INDEX applications_real ON applications(demo, state);

-- Applications by first-submission month, edition, entry, nationality,
-- present state and whether more information was ever asked for.
CREATE TABLE stats_cases (
    month TEXT NOT NULL,
    catalog TEXT NOT NULL,
    entry TEXT NOT NULL,
    nationality TEXT NOT NULL,
    state TEXT NOT NULL,
    asked_more BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (month, catalog, entry, nationality, state, asked_more)
);

-- Decisions by month of decision, edition, entry, outcome and whole days
-- from the first submission.
CREATE TABLE stats_decisions (
    month TEXT NOT NULL,
    catalog TEXT NOT NULL,
    entry TEXT NOT NULL,
    outcome TEXT NOT NULL,
    days BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (month, catalog, entry, outcome, days)
);

-- Each reviewer's decisions and requests for more information.
CREATE TABLE stats_reviewers (
    month TEXT NOT NULL,
    catalog TEXT NOT NULL,
    entry TEXT NOT NULL,
    reviewer_id BIGINT NOT NULL,
    step TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (month, catalog, entry, reviewer_id, step)
);

-- The counts of applications made before this migration are rebuilt once
-- by the store, which knows the service's time zone.
INSERT INTO zige_meta (key, value) VALUES ('statistics', 'rebuild') ON CONFLICT (key) DO UPDATE SET value = 'rebuild';
