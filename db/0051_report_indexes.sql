-- Reports at 1M contacts (benchmarks/reports.py). Each report groups live records by a few columns; a full
-- scan of the contacts table reads 4 GB at 1M (3-5 s a query) and GROUP BY sorts a million rows. These
-- partial covering indexes hold only live rows and only the columns reports read, in the order they group
-- by, so a report reads a narrow index from end to end with no sort (store/reports/*.py name them with
-- INDEXED BY: without statistics the planner would pick by the leading column alone).

-- pipeline and talent map: stage, source, tier, field, chains (kind first: talents are most contacts)
CREATE INDEX contacts_report_profile ON contacts(kind, stage, source, tier, field, industry_chains, owner_id, created_at)
    WHERE deleted = 0;
-- talent map: country, city, organization
CREATE INDEX contacts_report_place ON contacts(kind, country, city, org_id, owner_id, created_at, industry_chains, id)
    WHERE deleted = 0;
-- people records merged into another, and records deleted (both few): a record's survivor, and who is gone,
-- without a scan
CREATE INDEX contacts_merged ON contacts(merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX contacts_gone ON contacts(id) WHERE deleted = 1;
-- services: cases by category and opening time (a count per category and month is a range of it), and by
-- resolution time, with what the figures need
CREATE INDEX cases_report_opened ON cases(category, opened_at, status, owner_id, beneficiary_id) WHERE deleted = 0;
CREATE INDEX cases_report_resolved ON cases(resolved_at, category, opened_at, due_at, beneficiary_id, owner_id)
    WHERE deleted = 0 AND resolved_at IS NOT NULL;
-- data quality: who has a phone or email, and values two people share
CREATE INDEX contact_points_reach ON contact_points(contact_id, kind, deleted) WHERE deleted = 0 AND kind IN ('email', 'phone');
CREATE INDEX contact_points_shared ON contact_points(kind, value, contact_id)
    WHERE deleted = 0 AND kind IN ('email', 'phone', 'wechat');
-- pipeline: a talent's stage history (time in stage, furthest stage)
CREATE INDEX history_stage ON history(row_id, at, id, old_value, new_value) WHERE tbl = 'contacts' AND field = 'stage';
-- events: an attendance's person looked up by id (stage and filters) without reading the contact's row,
-- and the attendances of an event with what the steps need
CREATE INDEX contacts_report_person ON contacts(id, kind, stage, source, owner_id, created_at, industry_chains)
    WHERE deleted = 0;
CREATE INDEX attendances_report ON attendances(event_id, contact_id, status) WHERE deleted = 0;
-- services: cases by (category, beneficiary) and by beneficiary: people served counted in index order
CREATE INDEX cases_report_category ON cases(category, beneficiary_id, status, opened_at, resolved_at, closed_at, updated_at, owner_id)
    WHERE deleted = 0;
CREATE INDEX cases_report_person ON cases(beneficiary_id, status, opened_at, resolved_at, closed_at, updated_at, category, owner_id)
    WHERE deleted = 0;
