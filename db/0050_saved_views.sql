-- Saved views: a named case list, contact list or report with its filters, owned by one staff member and
-- synced to their other laptops like any record (docs/REPORTS.md). Personal: only the owner (or a
-- supervisor) changes one (domain/permissions.py PERSONAL).
CREATE TABLE saved_views (
    id        TEXT PRIMARY KEY,
    owner_id  TEXT NOT NULL REFERENCES staff(id),
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    target    TEXT,
    params    TEXT NOT NULL DEFAULT '{}',
    shared    INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX saved_views_owner ON saved_views(owner_id, name) WHERE deleted = 0;
