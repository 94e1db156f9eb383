-- Roles the central service enforces (docs/SECURITY.md): admin, supervisor, officer, viewer. The first
-- release's 'staff' role becomes 'officer'. Teams share the records their members own.
UPDATE staff SET role = 'officer' WHERE role NOT IN ('admin', 'supervisor', 'officer', 'viewer');
ALTER TABLE staff ADD COLUMN team TEXT;

-- User names are unique among live staff (a token names its owner by user name). Earlier versions let a
-- sync push create look-alikes: those get their id's tail appended, so nothing is lost.
UPDATE staff SET username = username || '.' || substr(id, -4)
 WHERE deleted = 0 AND id NOT IN (SELECT min(id) FROM staff WHERE deleted = 0 GROUP BY username);
CREATE UNIQUE INDEX staff_username ON staff(username) WHERE deleted = 0;
