-- Personal data the station can answer for (docs/SECURITY.md "Personal data"): a consent ledger, and
-- erasures that every replica applies.

-- One row per event of a person's consent: given or withdrawn, for one purpose (sharing: optionally with
-- one employer), through a channel, on a date, until an expiry. Append-only: the server refuses edits.
CREATE TABLE consents (
    id           TEXT PRIMARY KEY,
    contact_id   TEXT NOT NULL REFERENCES contacts(id),
    action       TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    org_id       TEXT REFERENCES organizations(id),
    scope        TEXT,
    channel      TEXT NOT NULL,
    occurred_on  TEXT NOT NULL,
    expires_on   TEXT,
    evidence     TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX consents_contact ON consents(contact_id, purpose, occurred_on);

-- An erasure: the tombstone of a person's data (whose, why, when; its author is who did it). No foreign
-- key: a replica may learn of an erasure of someone it never held (a trip kit elsewhere).
CREATE TABLE erasures (
    id           TEXT PRIMARY KEY,
    contact_id   TEXT NOT NULL,
    reason       TEXT NOT NULL,
    erased_at    TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX erasures_contact ON erasures(contact_id);
