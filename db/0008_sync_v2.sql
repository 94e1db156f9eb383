-- Sync protocol 2 (docs/SYNC.md, docs/SECURITY.md): identity from the server, trip kits, convergence checks.

-- Server: a token is for the whole station (kit NULL) or for one trip kit; revoking it "with wipe" makes the
-- laptop push what it still has, then erase its store, then report back (wiped_at).
ALTER TABLE sync_tokens ADD COLUMN kit TEXT;
ALTER TABLE sync_tokens ADD COLUMN wipe INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_tokens ADD COLUMN wiped_at TEXT;
CREATE INDEX sync_tokens_device ON sync_tokens(client_device);

-- Server: the laptop's own number of each change it accepted, so that a laptop restored from a backup can
-- be sent back its own changes it no longer holds ("gaps" in its numbering).
ALTER TABLE change_log ADD COLUMN origin_seq INTEGER;
CREATE INDEX change_log_origin ON change_log(device_id, origin_seq) WHERE origin_seq IS NOT NULL;

-- Server: trip kits. ``spec`` is the JSON selection (countries, cities, events, owners, chains, contact ids,
-- open-only); records created on a trip laptop join the kit explicitly (sync_kit_members).
CREATE TABLE sync_kits (
    name        TEXT PRIMARY KEY,
    spec        TEXT NOT NULL,
    expires_at  TEXT,
    grace_days  INTEGER,
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sync_kit_members (
    kit     TEXT NOT NULL,
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    PRIMARY KEY (kit, tbl, row_id)
) WITHOUT ROWID;

-- Server: what each kit laptop has been given (the records of its scope when it last acknowledged one):
-- pulls are filtered by it, and the difference to the kit's current scope is what enters or leaves.
CREATE TABLE sync_device_scope (
    device  TEXT NOT NULL,
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    PRIMARY KEY (device, tbl, row_id)
) WITHOUT ROWID;

-- Laptop: (server sequence, stamp) of pages it took in, thinned as they age, so that after the server is
-- restored from an older backup the laptop and the server find the last point of the feed both still hold.
CREATE TABLE sync_checkpoints (
    seq  INTEGER PRIMARY KEY,
    hlc  TEXT NOT NULL
);
