-- Core schema: every synced entity carries the same bookkeeping columns.
--   hlc      hybrid logical clock of the newest change applied to the row (per-field clocks of later
--            edits live in field_clocks; a field with no entry there has the clock the row was created with,
--            created_hlc)
--   deleted  tombstone flag (soft delete); rows are never removed so that deletes sync and never resurrect

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE staff (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT 'staff',
    active        INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE organizations (
    id              TEXT PRIMARY KEY,
    name_zh         TEXT,
    name_en         TEXT,
    kind            TEXT NOT NULL DEFAULT 'enterprise',
    alliance_member INTEGER NOT NULL DEFAULT 0,
    district        TEXT,
    country         TEXT,
    city            TEXT,
    industry_chains TEXT NOT NULL DEFAULT '[]',
    website         TEXT,
    notes           TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE contacts (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL DEFAULT 'talent',
    native_name      TEXT,
    latin_name       TEXT,
    name_order       TEXT NOT NULL DEFAULT 'family_first',
    aliases          TEXT NOT NULL DEFAULT '[]',
    gender           TEXT,
    nationalities    TEXT NOT NULL DEFAULT '[]',
    country          TEXT,
    city             TEXT,
    timezone         TEXT,
    languages        TEXT NOT NULL DEFAULT '[]',
    org_id           TEXT REFERENCES organizations(id),
    title            TEXT,
    field            TEXT,
    industry_chains  TEXT NOT NULL DEFAULT '[]',
    tier             TEXT NOT NULL DEFAULT 'unrated',
    stage            TEXT NOT NULL DEFAULT 'lead',
    owner_id         TEXT REFERENCES staff(id),
    source           TEXT NOT NULL DEFAULT 'other',
    source_detail    TEXT,
    tags             TEXT NOT NULL DEFAULT '[]',
    notes            TEXT,
    merged_into      TEXT,
    last_activity_at TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contacts_updated ON contacts(updated_at, id);
CREATE INDEX contacts_owner_stage ON contacts(owner_id, stage);
CREATE INDEX contacts_org ON contacts(org_id);

CREATE TABLE contact_points (
    id          TEXT PRIMARY KEY,
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    kind        TEXT NOT NULL,
    raw         TEXT NOT NULL,
    value       TEXT NOT NULL,
    label       TEXT,
    is_primary  INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contact_points_contact ON contact_points(contact_id);
CREATE INDEX contact_points_value ON contact_points(kind, value);

CREATE TABLE affiliations (
    id          TEXT PRIMARY KEY,
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    role        TEXT,
    current     INTEGER NOT NULL DEFAULT 1,
    since       TEXT,
    until       TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX affiliations_contact ON affiliations(contact_id);
CREATE INDEX affiliations_org ON affiliations(org_id);

CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'summit',
    starts_on   TEXT NOT NULL,
    ends_on     TEXT,
    city        TEXT,
    country     TEXT,
    notes       TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE attendances (
    id          TEXT PRIMARY KEY,
    event_id    TEXT NOT NULL REFERENCES events(id),
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    status      TEXT NOT NULL DEFAULT 'invited',
    notes       TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attendances_event ON attendances(event_id);
CREATE INDEX attendances_contact ON attendances(contact_id);

CREATE TABLE cases (
    id                  TEXT PRIMARY KEY,
    number              TEXT NOT NULL,
    title               TEXT NOT NULL,
    description         TEXT,
    beneficiary_id      TEXT REFERENCES contacts(id),
    related_ids         TEXT NOT NULL DEFAULT '[]',
    category            TEXT NOT NULL,
    priority            TEXT NOT NULL DEFAULT 'normal',
    status              TEXT NOT NULL DEFAULT 'new',
    status_reason       TEXT,
    owner_id            TEXT REFERENCES staff(id),
    opened_at           TEXT NOT NULL,
    first_response_due  TEXT,
    due_at              TEXT,
    resolved_at         TEXT,
    closed_at           TEXT,
    resolution          TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX cases_number ON cases(number);
CREATE INDEX cases_status_due ON cases(status, due_at, id);
CREATE INDEX cases_owner_status ON cases(owner_id, status, due_at);
CREATE INDEX cases_beneficiary ON cases(beneficiary_id);
CREATE INDEX cases_updated ON cases(updated_at, id);

CREATE TABLE followups (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL DEFAULT 'call_back',
    title         TEXT NOT NULL,
    notes         TEXT,
    due_at        TEXT NOT NULL,
    assignee_id   TEXT REFERENCES staff(id),
    status        TEXT NOT NULL DEFAULT 'open',
    snoozed_until TEXT,
    completed_at  TEXT,
    contact_id    TEXT REFERENCES contacts(id),
    case_id       TEXT REFERENCES cases(id),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX followups_assignee_due ON followups(assignee_id, status, due_at);
CREATE INDEX followups_due ON followups(status, due_at, id);
CREATE INDEX followups_contact ON followups(contact_id);
CREATE INDEX followups_case ON followups(case_id);

CREATE TABLE activities (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    staff_id     TEXT REFERENCES staff(id),
    summary      TEXT NOT NULL,
    details      TEXT,
    contact_id   TEXT REFERENCES contacts(id),
    case_id      TEXT REFERENCES cases(id),
    event_id     TEXT REFERENCES events(id),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX activities_contact ON activities(contact_id, occurred_at);
CREATE INDEX activities_case ON activities(case_id, occurred_at);

-- The local change log: one row per write, listing the fields it set. It is the device's numbered
-- outbox for sync (seq is the device's change number) and is kept after the push as local provenance.
CREATE TABLE change_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl        TEXT NOT NULL,
    row_id     TEXT NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete', 'undelete')),
    fields     TEXT NOT NULL,           -- JSON object: field -> new value
    base       TEXT,                    -- JSON object: field -> clock of the value this edit replaced
    hlc        TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    author     TEXT,
    at         TEXT NOT NULL,
    pushed     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX change_log_pending ON change_log(pushed, seq);
CREATE INDEX change_log_row ON change_log(tbl, row_id);

-- Clock of each field edited after its row was created (last-writer-wins registers for sync).
CREATE TABLE field_clocks (
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    field   TEXT NOT NULL,
    hlc     TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id, field)
) WITHOUT ROWID;

-- Readable audit trail: who changed which field from what to what, and when. Creation is recorded by the
-- row's created_at / created_by and its 'create' entry in the change log.
CREATE TABLE history (
    id         INTEGER PRIMARY KEY,
    tbl        TEXT NOT NULL,
    row_id     TEXT NOT NULL,
    field      TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT,
    at         TEXT NOT NULL,
    author     TEXT,
    device_id  TEXT,
    hlc        TEXT NOT NULL,
    origin     TEXT NOT NULL DEFAULT 'local'
);
CREATE INDEX history_row ON history(tbl, row_id, id);

-- Per-device, per-year case number counters (numbers embed the device code, so laptops never collide).
CREATE TABLE case_counters (
    prefix  TEXT PRIMARY KEY,
    next    INTEGER NOT NULL
) WITHOUT ROWID;
