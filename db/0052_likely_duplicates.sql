-- Data quality counts the people who share an email, phone or WeChat id with another person. Grouping every
-- such value to find them reads 2.7M index entries and takes 3.5 s at 1M contacts (the demo shares 95k
-- values among 760k points), so the people are kept here instead, as the points change, by the triggers
-- below: whatever writes a point or a person (the app, sync, import, merge, erasure) keeps it right.
--
-- A person is in likely_duplicates when they are not deleted and one of their live email, phone or WeChat
-- points has the value (already normalised in contact_points.value) of a live point of another person
-- who is not deleted. Pairs staff dismissed as two people are not taken out here (the report does that
-- for the few people concerned). "Not deleted" means no contact row with deleted = 1: the foreign key on
-- contact_points.contact_id means a point's person exists.

CREATE TABLE likely_duplicates (contact_id TEXT PRIMARY KEY) WITHOUT ROWID;

INSERT OR IGNORE INTO likely_duplicates (contact_id)
SELECT p.contact_id FROM contact_points p
WHERE p.deleted = 0 AND p.kind IN ('email', 'phone', 'wechat')
    AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = p.contact_id AND g.deleted = 1)
    AND EXISTS (
        SELECT 1 FROM contact_points q
        WHERE q.kind = p.kind AND q.value = p.value AND q.deleted = 0 AND q.kind IN ('email', 'phone', 'wechat') AND q.contact_id != p.contact_id
            AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = q.contact_id AND g.deleted = 1)
    );

-- A live point of one of the three kinds appears (inserted, undeleted, or edited to such a value or
-- person): when another person holds the value, everyone holding it is a likely duplicate. Adding is all a
-- new point can do.
CREATE TRIGGER likely_duplicates_point_in AFTER INSERT ON contact_points
WHEN NEW.deleted = 0 AND NEW.kind IN ('email', 'phone', 'wechat')
BEGIN
    INSERT OR IGNORE INTO likely_duplicates (contact_id)
    SELECT q.contact_id FROM contact_points q
    WHERE q.kind = NEW.kind AND q.kind IN ('email', 'phone', 'wechat') AND q.value = NEW.value AND q.deleted = 0
        AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = q.contact_id AND g.deleted = 1)
        AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = NEW.contact_id AND g.deleted = 1)
        AND EXISTS (
            SELECT 1 FROM contact_points r
            WHERE r.kind = NEW.kind AND r.kind IN ('email', 'phone', 'wechat') AND r.value = NEW.value AND r.deleted = 0 AND r.contact_id != NEW.contact_id
                AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = r.contact_id AND g.deleted = 1)
        );
END;

-- A live point goes (deleted, or edited away from its value, kind or person): its person and those who
-- held the same value may have shared it with nobody else; each stays only if they still share a value.
CREATE TRIGGER likely_duplicates_point_out AFTER DELETE ON contact_points
WHEN OLD.deleted = 0 AND OLD.kind IN ('email', 'phone', 'wechat')
BEGIN
    DELETE FROM likely_duplicates
    WHERE contact_id IN (
        SELECT q.contact_id FROM contact_points q WHERE q.kind = OLD.kind AND q.kind IN ('email', 'phone', 'wechat') AND q.value = OLD.value AND q.deleted = 0
        UNION SELECT OLD.contact_id
    )
    AND NOT EXISTS (
        SELECT 1 FROM contact_points p JOIN contact_points q ON q.kind = p.kind AND q.value = p.value
        WHERE p.contact_id = likely_duplicates.contact_id AND p.deleted = 0 AND p.kind IN ('email', 'phone', 'wechat')
            AND q.deleted = 0 AND q.kind IN ('email', 'phone', 'wechat') AND q.contact_id != p.contact_id
            AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = p.contact_id AND g.deleted = 1)
            AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = q.contact_id AND g.deleted = 1)
    );
END;

-- An edit is the old point going and the new one coming, both judged on the table as it now is.
CREATE TRIGGER likely_duplicates_point_edit AFTER UPDATE OF kind, value, deleted, contact_id ON contact_points
WHEN (OLD.kind IS NOT NEW.kind OR OLD.value IS NOT NEW.value OR OLD.deleted IS NOT NEW.deleted
      OR OLD.contact_id IS NOT NEW.contact_id)
    AND ((OLD.deleted = 0 AND OLD.kind IN ('email', 'phone', 'wechat'))
         OR (NEW.deleted = 0 AND NEW.kind IN ('email', 'phone', 'wechat')))
BEGIN
    DELETE FROM likely_duplicates
    WHERE OLD.deleted = 0 AND OLD.kind IN ('email', 'phone', 'wechat')
    AND contact_id IN (
        SELECT q.contact_id FROM contact_points q WHERE q.kind = OLD.kind AND q.kind IN ('email', 'phone', 'wechat') AND q.value = OLD.value AND q.deleted = 0
        UNION SELECT OLD.contact_id
    )
    AND NOT EXISTS (
        SELECT 1 FROM contact_points p JOIN contact_points q ON q.kind = p.kind AND q.value = p.value
        WHERE p.contact_id = likely_duplicates.contact_id AND p.deleted = 0 AND p.kind IN ('email', 'phone', 'wechat')
            AND q.deleted = 0 AND q.kind IN ('email', 'phone', 'wechat') AND q.contact_id != p.contact_id
            AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = p.contact_id AND g.deleted = 1)
            AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = q.contact_id AND g.deleted = 1)
    );
    INSERT OR IGNORE INTO likely_duplicates (contact_id)
    SELECT q.contact_id FROM contact_points q
    WHERE NEW.deleted = 0 AND NEW.kind IN ('email', 'phone', 'wechat')
        AND q.kind = NEW.kind AND q.kind IN ('email', 'phone', 'wechat') AND q.value = NEW.value AND q.deleted = 0
        AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = q.contact_id AND g.deleted = 1)
        AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = NEW.contact_id AND g.deleted = 1)
        AND EXISTS (
            SELECT 1 FROM contact_points r
            WHERE r.kind = NEW.kind AND r.kind IN ('email', 'phone', 'wechat') AND r.value = NEW.value AND r.deleted = 0 AND r.contact_id != NEW.contact_id
                AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = r.contact_id AND g.deleted = 1)
        );
END;

-- A person is deleted (deleted, merged into another, erased): they leave, and so may those who shared a
-- value with them alone. Undeleted: they and those sharing their values come back.
CREATE TRIGGER likely_duplicates_person AFTER UPDATE OF deleted ON contacts
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    DELETE FROM likely_duplicates
    WHERE NEW.deleted = 1
    AND contact_id IN (
        SELECT q.contact_id FROM contact_points p JOIN contact_points q ON q.kind = p.kind AND q.value = p.value
        WHERE p.contact_id = NEW.id AND p.deleted = 0 AND p.kind IN ('email', 'phone', 'wechat') AND q.deleted = 0 AND q.kind IN ('email', 'phone', 'wechat')
        UNION SELECT NEW.id
    )
    AND NOT EXISTS (
        SELECT 1 FROM contact_points p JOIN contact_points q ON q.kind = p.kind AND q.value = p.value
        WHERE p.contact_id = likely_duplicates.contact_id AND p.deleted = 0 AND p.kind IN ('email', 'phone', 'wechat')
            AND q.deleted = 0 AND q.kind IN ('email', 'phone', 'wechat') AND q.contact_id != p.contact_id
            AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = p.contact_id AND g.deleted = 1)
            AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = q.contact_id AND g.deleted = 1)
    );
    INSERT OR IGNORE INTO likely_duplicates (contact_id)
    SELECT q.contact_id FROM contact_points p JOIN contact_points q ON q.kind = p.kind AND q.value = p.value
    WHERE NEW.deleted = 0 AND p.contact_id = NEW.id AND p.deleted = 0 AND p.kind IN ('email', 'phone', 'wechat')
        AND q.deleted = 0 AND q.kind IN ('email', 'phone', 'wechat')
        AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = q.contact_id AND g.deleted = 1)
        AND EXISTS (
            SELECT 1 FROM contact_points r
            WHERE r.kind = p.kind AND r.kind IN ('email', 'phone', 'wechat') AND r.value = p.value AND r.deleted = 0 AND r.contact_id != NEW.id
                AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = r.contact_id AND g.deleted = 1)
        );
END;
