"""SQL lives in liaison_tui/store/ only: every other module asks the store's named read and write
functions, so a schema change touches one layer and each query has a name that says what it is for."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "liaison_tui"
STORE = PACKAGE / "store"

# A statement's opening, not just its first word, and its keyword in one case: "Select a contact from the
# list" and "Delete it" are UI text.
SQL_START = re.compile(
    r"""\s*(?P<statement>
        SELECT\s.*?\bFROM\b | SELECT\s+(DISTINCT\s+)?(count\(|\d|\*|')
      | INSERT\s+(OR\s+\w+\s+)?INTO\b | REPLACE\s+INTO\b
      | UPDATE\s+\w+\s+SET\b
      | DELETE\s+FROM\b
      | WITH\s+(RECURSIVE\s+)?\w+\s*(\([^)]*\)\s*)?AS\s*\(
      | PRAGMA\s+\w+
      | CREATE\s+(TEMP\w*\s+|UNIQUE\s+|VIRTUAL\s+)*(TABLE|INDEX|VIEW|TRIGGER)\b
    )""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)
DB_CALLS = {"execute", "executemany", "executescript"}


def _text(node: ast.Constant | ast.JoinedStr) -> str:
    """A string literal's text; an f-string's placeholders as ``{}``, so SQL split around one reads whole."""
    if isinstance(node, ast.Constant):
        return str(node.value)
    return "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)


def _is_sql(text: str) -> bool:
    match = SQL_START.match(text)
    keyword = match.group("statement").split()[0] if match else ""
    return keyword.isupper() or keyword.islower()


def sql_in(source: str) -> list[tuple[int, str]]:
    """(line, what) of every SQL string literal and every DB-API execute call in ``source``."""
    tree = ast.parse(source)
    inside_fstrings = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) or (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside_fstrings
        ):
            text = _text(node)
            if _is_sql(text):
                found.append((node.lineno, f"SQL {text.strip()[:50]!r}"))
        elif (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DB_CALLS
        ):
            found.append((node.lineno, f".{node.func.attr}()"))
    return sorted(found)


def test_the_detector_tells_sql_from_ui_text() -> None:
    sql = [
        "SELECT id FROM staff WHERE username = ?",
        "  select count(*) from search_doc",
        "SELECT 'demand', id, title\nFROM demands",
        "INSERT OR REPLACE INTO meta VALUES (?, ?)",
        "UPDATE contacts SET deleted = 1",
        "DELETE FROM outbox",
        "WITH kc(id) AS (SELECT 1) SELECT * FROM kc",
        "PRAGMA wal_checkpoint(TRUNCATE)",
        "CREATE TEMP TABLE ids (id TEXT)",
        "select id from contacts",
    ]
    prose = [
        "Select a pair first.",
        "Select a contact from the list",
        "Delete {what}?",
        "Update",
        "With --no-followup: add one.",
        "create",
    ]
    for text in sql:
        assert sql_in(repr(text)), text
    for text in prose:
        assert not sql_in(repr(text)), text
    assert sql_in('f"SELECT id, name " f"FROM t WHERE id IN ({marks})"')
    assert sql_in("conn.execute(query)") == [(1, ".execute()")]
    assert sql_in("db.executemany(q, rows)") and sql_in("db.executescript(script)")


def test_no_sql_outside_the_store() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if STORE not in path.parents
        for line, what in sql_in(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "SQL outside liaison_tui/store/ (call a store function instead):\n" + "\n".join(
        offenders
    )
