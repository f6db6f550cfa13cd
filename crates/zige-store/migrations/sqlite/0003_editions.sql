-- Catalogue editions imported by officials: drafts, published editions
-- with their effective date, discarded drafts. The built-in edition is not
-- stored; it is always there as the first. Published rows never change.

CREATE TABLE editions (
    id TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL,
    version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'discarded')),
    text TEXT NOT NULL,
    overlay TEXT NOT NULL,
    effective_from TEXT,
    imported_at INTEGER NOT NULL,
    imported_by INTEGER,
    published_at INTEGER,
    published_by INTEGER
);

-- Every overlay a draft has had, with its author.
CREATE TABLE edition_overlays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    edition TEXT NOT NULL,
    overlay TEXT NOT NULL,
    author INTEGER,
    at INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX edition_overlays_edition ON edition_overlays(edition);
