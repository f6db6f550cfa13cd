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
    imported_at BIGINT NOT NULL,
    imported_by BIGINT,
    published_at BIGINT,
    published_by BIGINT
);

-- Every overlay a draft has had, with its author.
CREATE TABLE edition_overlays (
    id BIGSERIAL PRIMARY KEY,
    edition TEXT NOT NULL,
    overlay TEXT NOT NULL,
    author BIGINT,
    at BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX edition_overlays_edition ON edition_overlays(edition);
