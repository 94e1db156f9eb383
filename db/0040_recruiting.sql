-- The recruiting half (docs/ARCHITECTURE.md, "Matching"): the alliance, employers' demands, talent profiles
-- with skills from a bilingual vocabulary, staff's marks on proposed talents, introductions, and events
-- with venue, time zone, organisers and check-in. Every table here is a synced entity.

ALTER TABLE organizations ADD COLUMN alliance_role TEXT;
ALTER TABLE organizations ADD COLUMN alliance_since TEXT;
ALTER TABLE organizations ADD COLUMN staff_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE organizations ADD COLUMN merged_into TEXT;
CREATE INDEX organizations_alliance ON organizations(alliance_member, id) WHERE deleted = 0;

ALTER TABLE affiliations ADD COLUMN is_contact INTEGER NOT NULL DEFAULT 0;

ALTER TABLE events ADD COLUMN venue TEXT;
ALTER TABLE events ADD COLUMN timezone TEXT;
ALTER TABLE events ADD COLUMN organizer_ids TEXT NOT NULL DEFAULT '[]';
CREATE INDEX events_starts ON events(starts_on, id) WHERE deleted = 0;

ALTER TABLE attendances ADD COLUMN checked_in_at TEXT;
CREATE INDEX attendances_event_status ON attendances(event_id, status) WHERE deleted = 0;

CREATE TABLE skills (
    id          TEXT PRIMARY KEY,          -- sk-<english slug>: the same on every laptop
    name_en     TEXT NOT NULL,
    name_zh     TEXT,
    aliases     TEXT NOT NULL DEFAULT '[]',
    chain       TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);

-- One per talent (its id is derived from the contact's).
CREATE TABLE talent_profiles (
    id                TEXT PRIMARY KEY,
    contact_id        TEXT NOT NULL REFERENCES contacts(id),
    degree            TEXT,
    years_experience  INTEGER,
    fields            TEXT NOT NULL DEFAULT '[]',
    relocation        TEXT,
    preferred_cities  TEXT NOT NULL DEFAULT '[]',
    availability      TEXT,
    available_from    TEXT,
    expected_package  INTEGER,
    notes             TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX talent_profiles_contact ON talent_profiles(contact_id);

-- The skills join: a demand's candidates are found here by skill (one index range per required skill,
-- counted per talent), never by reading every talent.
CREATE TABLE talent_skills (
    id          TEXT PRIMARY KEY,          -- derived from (contact, skill)
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    skill_id    TEXT NOT NULL REFERENCES skills(id),
    raw         TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX talent_skills_skill ON talent_skills(skill_id, contact_id) WHERE deleted = 0;
CREATE INDEX talent_skills_contact ON talent_skills(contact_id);

CREATE TABLE demands (
    id                  TEXT PRIMARY KEY,
    title               TEXT NOT NULL,
    org_id              TEXT NOT NULL REFERENCES organizations(id),
    description         TEXT,
    field               TEXT,
    industry_chain      TEXT,
    required_skills     TEXT NOT NULL DEFAULT '[]',
    preferred_skills    TEXT NOT NULL DEFAULT '[]',
    min_degree          TEXT,
    min_years           INTEGER,
    languages           TEXT NOT NULL DEFAULT '[]',
    city                TEXT,
    country             TEXT,
    work_mode           TEXT NOT NULL DEFAULT 'onsite',
    relocation_support  INTEGER NOT NULL DEFAULT 0,
    package_min         INTEGER,
    package_max         INTEGER,
    headcount           INTEGER NOT NULL DEFAULT 1,
    deadline            TEXT,
    status              TEXT NOT NULL DEFAULT 'open',
    brought_by          TEXT REFERENCES organizations(id),
    owner_id            TEXT REFERENCES staff(id),
    hard                TEXT NOT NULL DEFAULT '[]',
    notes               TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
-- A talent's demands are looked for among open ones only: a few thousand rows however large the store.
CREATE INDEX demands_open ON demands(coalesce(deadline, '9999'), id) WHERE deleted = 0 AND status = 'open';
CREATE INDEX demands_status ON demands(status, coalesce(deadline, '9999'), id) WHERE deleted = 0;
CREATE INDEX demands_org ON demands(org_id);

CREATE TABLE match_marks (
    id          TEXT PRIMARY KEY,          -- derived from (demand, contact)
    demand_id   TEXT NOT NULL REFERENCES demands(id),
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    mark        TEXT NOT NULL,
    reason      TEXT,
    note        TEXT,
    staff_id    TEXT REFERENCES staff(id),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX match_marks_demand ON match_marks(demand_id);
CREATE INDEX match_marks_contact ON match_marks(contact_id);

CREATE TABLE introductions (
    id            TEXT PRIMARY KEY,
    demand_id     TEXT NOT NULL REFERENCES demands(id),
    contact_id    TEXT NOT NULL REFERENCES contacts(id),
    stage         TEXT NOT NULL DEFAULT 'proposed',
    stage_reason  TEXT,
    stage_at      TEXT,
    owner_id      TEXT REFERENCES staff(id),
    score         REAL,
    notes         TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT, device_id TEXT,
    created_hlc TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX introductions_demand ON introductions(demand_id, stage);
CREATE INDEX introductions_contact ON introductions(contact_id);
CREATE INDEX introductions_owner ON introductions(owner_id, stage) WHERE deleted = 0;
