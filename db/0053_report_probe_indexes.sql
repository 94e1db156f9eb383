-- Reports on a first run, when the store's pages are not in memory (benchmarks/reports.py --cold, 1M
-- contacts). Each page a query reads from disk costs about a millisecond there, so these indexes hold only
-- the live rows and the columns a report reads, where the indexes it used made it read table rows.

-- events: whether an attendee was followed up after the event (a call, meeting, message or visit since,
-- or a follow-up due since) and introduced is a probe per attendance. activities_contact and
-- followups_contact carry neither `deleted` nor kind or status, so every probe read rows of the big tables
-- (2 s at 1M contacts). The kind list must stay textually identical to drill.FOLLOW_UP_ACTIVITIES: SQLite
-- only uses a partial index when the query repeats its WHERE terms, and reads from the index alone only
-- when it holds the columns of those terms (other than `deleted = 0`).
CREATE INDEX activities_followed ON activities(contact_id, occurred_at, kind)
    WHERE deleted = 0 AND kind IN ('call', 'video_call', 'meeting', 'email', 'wechat', 'visit');
CREATE INDEX followups_contact_live ON followups(contact_id, due_at, status) WHERE deleted = 0 AND status != 'cancelled';
CREATE INDEX introductions_contact_live ON introductions(contact_id) WHERE deleted = 0;

-- workload: open cases and live follow-ups per staff member with when they are due, and nothing else (the
-- indexes it read hold every live case and follow-up, and a snoozed follow-up's return time was in the
-- table). The status list must stay textually identical to drill.OPEN_SQL.
CREATE INDEX cases_workload ON cases(owner_id, due_at, status)
    WHERE deleted = 0 AND status IN ('in_progress', 'new', 'triaged', 'waiting_talent', 'waiting_third_party');
CREATE INDEX followups_workload ON followups(assignee_id, status, due_at, snoozed_until)
    WHERE deleted = 0 AND status IN ('open', 'snoozed');
