-- The reviewers' workflow. A waiting case may be assigned to one
-- reviewer (a reviewer takes a free case, an admin assigns or releases
-- any); the queue filters on it.
--
-- Reviewers' internal notes on a case: never shown to the applicant,
-- never changed once written; each one is in the audit log.
--
-- The same certificate in two applications: each application keeps its
-- certificate's issuer and number as a key (NFKC, letters and digits,
-- case folded; computed by zige-cases) so that the case page finds the
-- others at once. Applications saved before this are keyed after the
-- migrations, once.

ALTER TABLE applications ADD COLUMN assigned_to BIGINT REFERENCES users(id);
CREATE INDEX applications_assigned ON applications(assigned_to, state);

ALTER TABLE applications ADD COLUMN certificate_key TEXT;
CREATE INDEX applications_certificate ON applications(certificate_key);

INSERT INTO zige_meta (key, value) VALUES ('certificate_keys', 'fill') ON CONFLICT (key) DO UPDATE SET value = 'fill';

CREATE TABLE case_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_notes_application ON case_notes(application_id, id);
