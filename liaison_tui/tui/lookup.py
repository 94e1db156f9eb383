"""One lookup for the whole app: the search index when it can answer, else a plain name match.

Lookups run on their own read-only connection with its own lock, so typing never waits behind a screen's
query (or a write) on the store's connection, and vice versa. The index lives in
``liaison_tui.store.search`` (another part of the project); if it is missing or fails, lookup still finds
contacts by a substring of their name, and says so."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from ..domain.display import subtitle_labels
from ..domain.i18n import t
from ..store import queries
from ..store.lookups import meta_value
from ..store.pending import count_pending


@dataclass(frozen=True)
class Found:
    kind: str  # contact | org | case
    id: str
    title: str
    subtitle: str
    field: str
    matched_text: str
    span: tuple[int, int] | None


@dataclass(frozen=True)
class LookupResult:
    query: str
    found: list[Found]
    ms: float
    fallback: bool


class ReadView:
    """A read-only stand-in for the store while the store proper opens: enough for the home screen's
    queries (``conn``, ``lock``, ``get_meta``, ``pending_changes``)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.conn = queries.read_only(path)
        self.lock = threading.RLock()

    def get_meta(self, key: str) -> str | None:
        return meta_value(self.conn, key)

    def pending_changes(self, cap: int | None = None) -> int:
        return count_pending(self.conn, cap)

    def close(self) -> None:
        self.conn.close()


class Lookup:
    def __init__(self, path: str) -> None:
        self.conn = queries.read_only(path)
        self.lock = threading.Lock()

    def warm(self) -> None:
        """Import the index module (pinyin tables: ~1-2 s) and touch the index pages, so that the first
        keystroke is as quick as the others. Run in a worker right after start-up."""
        self.find("zw")

    def find(self, query: str, limit: int = 20) -> LookupResult:
        with self.lock:
            return lookup(self.conn, query, limit)

    def count(self, query: str) -> int | None:
        """How many records match in all (an upper bound from the index), or None if it cannot say."""
        with self.lock:
            try:
                from ..store import search as engine

                return engine.count(self.conn, query)  # type: ignore[arg-type]
            except Exception:  # the index may be missing or mid-rebuild: then the list says no total
                return None

    def close(self) -> None:
        self.conn.close()


def lookup(conn: object, query: str, limit: int = 20) -> LookupResult:
    started = time.perf_counter()
    fallback = False
    try:
        from ..store import search as engine

        hits = engine.search(conn, query, limit=limit)  # type: ignore[arg-type]
        found = [
            Found(h.kind, h.id, h.title, _subtitle(h.subtitle), h.field, h.matched_text, h.span) for h in hits
        ]
    except Exception:  # the index may be mid-rebuild: degrade, don't fail
        fallback = True
        found = []
        for row in queries.like_contacts(conn, query, limit):  # type: ignore[arg-type]
            title = " ".join(p for p in (row["native_name"], row["latin_name"]) if p)
            start = title.lower().find(query.strip().lower())
            span = (start, start + len(query.strip())) if start >= 0 and query.strip() else None
            found.append(Found("contact", row["id"], title, row["title"] or "", "name", title, span))
    return LookupResult(query, found, (time.perf_counter() - started) * 1000, fallback)


def _subtitle(text: str) -> str:
    """The index stores enum values (``in_progress``, ``university``); show their labels."""
    return subtitle_labels(text)


def kind_label(kind: str) -> str:
    return t(f"lookup.kind.{kind}")
