-- Data in and out: local bookkeeping of imports and duplicate reviews. None of these tables is
-- synced: they describe what happened on this laptop, not records of the station.

-- Named column mappings staff saved for files of the same shape ("峰会报名表").
CREATE TABLE import_mappings (
    name        TEXT PRIMARY KEY,
    columns     TEXT NOT NULL,          -- JSON: header -> canonical field (importer/mapping.py Mapping)
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    author      TEXT
) WITHOUT ROWID;

-- One row per applied import, written in the import's own transaction (so it exists only if the import
-- does): lets the preview say "this file was already imported on ...".
CREATE TABLE import_batches (
    id          TEXT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    mapping     TEXT NOT NULL,          -- JSON of the mapping used
    counts      TEXT NOT NULL,          -- JSON: created, updated, duplicate, suspected, failed
    at          TEXT NOT NULL,
    author      TEXT,
    first_seq   INTEGER,                -- change_log seq range written by the import
    last_seq    INTEGER
);
CREATE INDEX import_batches_sha ON import_batches(sha256);

-- Pairs a staff member reviewed and judged to be two different people; `liaison dedupe` stops proposing
-- them. a < b.
CREATE TABLE dedupe_dismissed (
    a       TEXT NOT NULL,
    b       TEXT NOT NULL,
    at      TEXT NOT NULL,
    author  TEXT,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
