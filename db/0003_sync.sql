-- Sync with the central service (docs/SYNC.md). Laptops and the server share one schema; each side uses
-- its own tables. The server's change_log doubles as its feed: change_log.seq is the server sequence.

-- Conflicts: the same free-text field edited on two laptops from the same base. Raised by the server (it
-- sees every change in commit order) and synced to every replica like a record. Version "a" is the value
-- the field held on the server, "b" the concurrent edit that arrived; the field itself holds whichever has
-- the later clock, so every replica shows the same text until a human resolves the conflict.
CREATE TABLE sync_conflicts (
    id            TEXT PRIMARY KEY,
    tbl           TEXT NOT NULL,
    row_id        TEXT NOT NULL,
    field         TEXT NOT NULL,
    base_hlc      TEXT,
    value_a       TEXT,
    hlc_a         TEXT NOT NULL,
    device_a      TEXT,
    author_a      TEXT,
    value_b       TEXT,
    hlc_b         TEXT NOT NULL,
    device_b      TEXT,
    author_b      TEXT,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    choice        TEXT CHECK (choice IS NULL OR choice IN ('a', 'b', 'merged')),
    resolved_by   TEXT,
    resolved_at   TEXT,
    resolved_hlc  TEXT,            -- clock of the status group (last writer wins)
    created_at    TEXT NOT NULL,
    created_hlc   TEXT NOT NULL
);
CREATE INDEX sync_conflicts_status ON sync_conflicts(status, tbl, row_id);

-- Laptop: changes the server refused (invalid data, forbidden case transition). Reported to the user; the
-- laptop's copy of the record was brought back to the server's state.
CREATE TABLE sync_rejected (
    seq      INTEGER PRIMARY KEY,  -- the device change number (change_log.seq)
    tbl      TEXT NOT NULL,
    row_id   TEXT NOT NULL,
    op       TEXT NOT NULL,
    fields   TEXT NOT NULL,
    reason   TEXT NOT NULL,        -- message key
    params   TEXT NOT NULL DEFAULT '{}',
    at       TEXT NOT NULL,
    seen     INTEGER NOT NULL DEFAULT 0
);

-- Server: one bearer token per laptop, stored as a SHA-256 hash, bound to the laptop's device id on first use.
CREATE TABLE sync_tokens (
    id             TEXT PRIMARY KEY,   -- short id shown to administrators
    staff_id       TEXT NOT NULL REFERENCES staff(id),
    token_hash     TEXT NOT NULL UNIQUE,
    client_device  TEXT,
    created_at     TEXT NOT NULL,
    expires_at     TEXT,
    revoked_at     TEXT,
    last_seen_at   TEXT
);
CREATE INDEX sync_tokens_staff ON sync_tokens(staff_id);

-- Server: the last change number processed for each laptop, written in the same transaction as the
-- changes' effects (a retried push is applied once).
CREATE TABLE sync_peers (
    client_device  TEXT PRIMARY KEY,
    last_seq       INTEGER NOT NULL DEFAULT 0,
    last_push_at   TEXT
) WITHOUT ROWID;

-- Server: the outcome of each refused change, kept so that a retried push reports it again.
CREATE TABLE sync_refusals (
    client_device  TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    tbl            TEXT NOT NULL,
    row_id         TEXT NOT NULL,
    reason         TEXT NOT NULL,
    params         TEXT NOT NULL DEFAULT '{}',
    at             TEXT NOT NULL,
    PRIMARY KEY (client_device, seq)
) WITHOUT ROWID;

-- Server: stamps from clocks running ahead, pulled back to the server's now + a few minutes. Later edits
-- from the same laptop name the original stamp as their base; this maps it to the stored one.
CREATE TABLE sync_clamps (
    original  TEXT PRIMARY KEY,
    clamped   TEXT NOT NULL,
    device    TEXT NOT NULL        -- clamped stamps of one laptop stay in the order of the originals
) WITHOUT ROWID;
CREATE INDEX sync_clamps_device ON sync_clamps(device, clamped);
