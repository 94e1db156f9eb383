-- Home and agenda read "my live follow-ups" and "my open cases" on every start. The indexes of 0001 lack
-- `deleted`, so each count visited every matching table row (80 ms for 43k overdue follow-ups at 1M
-- contacts, 160 ms plus a sort for the case summary). Partial indexes over live rows answer the same
-- queries from the index alone (5 ms and 16 ms), and carry `id` so "first N by due date" needs no sort.

DROP INDEX followups_assignee_due;
CREATE INDEX followups_assignee_live ON followups(assignee_id, status, due_at, id) WHERE deleted = 0;
-- Snoozed follow-ups come back at snoozed_until: the expression the queries order and filter by.
CREATE INDEX followups_snoozed_live ON followups(assignee_id, coalesce(snoozed_until, due_at), id)
    WHERE deleted = 0 AND status = 'snoozed';
CREATE INDEX cases_owner_live ON cases(owner_id, status, category, due_at) WHERE deleted = 0;
