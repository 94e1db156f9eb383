-- The case list opens on open cases by due date, mine or everyone's. Open means five statuses, and an
-- IN over (status, due_at) reads every open case and sorts them (0.3 s for one owner's 54k, 0.75 s for
-- everyone's 134k at 1M contacts). These partial indexes hold open cases already in due-date order
-- (no due date first, as the list shows them), so a page is the next 50 entries: under 1 ms.
-- The status list must stay textually identical to queries.OPEN_SQL: SQLite only uses a partial index
-- when the query repeats its WHERE terms.

CREATE INDEX cases_open_due ON cases(coalesce(due_at, ''), id)
    WHERE deleted = 0 AND status IN ('in_progress', 'new', 'triaged', 'waiting_talent', 'waiting_third_party');
CREATE INDEX cases_open_owner_due ON cases(owner_id, coalesce(due_at, ''), id)
    WHERE deleted = 0 AND status IN ('in_progress', 'new', 'triaged', 'waiting_talent', 'waiting_third_party');
