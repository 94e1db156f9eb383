-- Trip-kit scopes on the server (docs/SYNC.md "Trip kits"): the scope a kit laptop should hold, computed
-- and staged until the laptop acknowledges it has taken the difference in; then it replaces what the
-- laptop was known to hold (sync_device_scope).
CREATE TABLE sync_scope_next (
    device  TEXT NOT NULL,
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    PRIMARY KEY (device, tbl, row_id)
) WITHOUT ROWID;

CREATE TABLE sync_device_state (
    device      TEXT PRIMARY KEY,
    staged_top  INTEGER,          -- feed position the staged scope was computed at
    staged_spec TEXT,             -- hash of the kit definition it was computed from
    held_top    INTEGER,          -- ... and of the scope the laptop acknowledged
    held_spec   TEXT
) WITHOUT ROWID;
