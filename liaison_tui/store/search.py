"""The lookup index: upkeep inside the store's write transaction, a bulk rebuild, and the query engine.

Schema in ``db/0002_search.sql``; what a key is and what "matches" means in ``domain/search_keys.py``.

Index: one row per live record in search_doc (its seq = recency, its fields and keys as JSON) and three
contentless FTS5 tables over the keys: words of name fields, words of the other fields (both with prefix
indexes for 1-5 characters, a key of several words also glued into one token), and trigrams of the keys
searched inside. Upkeep: :func:`reindex` inside the store's write transaction, :func:`rebuild` and
:func:`index_bulk` and :class:`Indexer` for bulk loads.

Query plan: a typed query becomes a few normalised forms (``張偉`` -> ``张伟``; ``+49 151`` -> ``49151``).
Every probe returns only the newest matching documents (rowid = recency, so ``ORDER BY rowid DESC LIMIT
k`` stops after k instead of scoring every match), and a probe is skipped once the list holds ``limit``
matches it could not outrank:

1. whole words, then word prefixes, in name fields; then the same in the other fields;
2. substrings, only while fewer than ``limit`` word matches were found: an AND of the form's rarest
   trigrams, paged until enough candidates pass verification.

Candidates (a few dozen) are verified and ranked in Python with :func:`search_keys.best_match`: match
quality (exact > prefix > word > infix), then field weight (names > identifiers > other), then recency.
Nothing is ever ordered by bm25, and user input only ever reaches MATCH as a quoted string.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from .. import gc_pause
from ..domain import search_keys as sk
from ..domain import search_rows
from ..domain.search_keys import Field
from ..domain.search_rows import IndexRow
from . import engine, parallel

KINDS: tuple[str, ...] = ("contact", "org", "case")
_KIND_TOKEN = {"contact": "con", "org": "org", "case": "cas"}
_FTS = ("search_names", "search_other", "search_grams")
_CHUNK = 2000  # ids per batch: IN (...) lists well under SQLite's variable limit, memory flat
_STATS_SAMPLE = 5_000  # documents sampled for trigram frequencies at a rebuild
_GRAMS = 2  # trigrams asked of the index per query form: its 2 rarest (1M: 1 ms; 3: 2 ms; 5: 8-12 ms)
_PARALLEL_FROM = 20_000  # documents: below this, starting worker processes (~0.5 s) costs more than it saves
_HASHSIZE = 64 << 20  # bytes
_GRAM_SCAN = 1000  # trigram candidates scanned per form (or 4 x limit) before giving up on filling the list

Progress = Callable[[int, int], None]
_REF_INDEX = "CREATE UNIQUE INDEX search_doc_ref ON search_doc(ref, kind)"  # as db/0002_search.sql


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str  # "contact" | "org" | "case"
    id: str
    title: str  # contact: native and latin name; org: both names; case: number and title
    subtitle: str  # contact: organization and title; org: kind and city; case: beneficiary and status
    field: str  # which field matched: native_name, pinyin, initials, latin_name, email, phone, ...
    matched_text: str  # the stored, displayable value that matched (the phone as written, the name)
    span: tuple[int, int] | None  # (start, end) of the match in matched_text, None if not mappable
    score: float  # 10 x quality (exact 4 .. infix 1) + field weight (names 2, ids 1) + 0.5 phone key affinity


# ---------------------------------------------------------------- document encoding

encode_fields = search_rows.encode_fields
index_texts = search_rows.index_texts


def _raw_fields(text: str) -> list[list[Any]]:
    """The stored fields as parsed lists: enough for :func:`search_keys.best_match`, which only unpacks
    them, and several times cheaper than building a Field per entry for every candidate."""
    return json.loads(text)  # type: ignore[no-any-return]


def _field(raw: Sequence[Any]) -> Field:
    code, display, keys, infix = raw
    return Field(code, display or keys[0], tuple(keys), infix)


def decode_fields(text: str) -> list[Field]:
    return [_field(raw) for raw in _raw_fields(text)]


# ---------------------------------------------------------------- reading base rows

_T = TypeVar("_T")


def _chunks(ids: Sequence[_T], size: int = _CHUNK) -> Iterator[Sequence[_T]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


# A contact's searchable columns, its organization's names and its live contact points as one JSON text:
# SQLite assembles it (several times faster than fetching the points and grouping them in Python) and the
# row goes to a worker as it is. Order: see search_rows.ContactRow.
_CONTACT_SQL = (
    "SELECT c.id, c.native_name, c.latin_name, c.aliases, c.title, c.field, c.tags, c.updated_at, "
    "c.last_activity_at, o.name_zh, o.name_en, (SELECT json_group_array(json_array(p.is_primary, "
    "p.created_at, p.id, p.kind, p.raw, p.value)) FROM contact_points p WHERE p.contact_id = c.id "
    "AND p.deleted = 0) FROM contacts c LEFT JOIN organizations o ON o.id = c.org_id AND o.deleted = 0 "
    "WHERE c.deleted = 0 AND c.merged_into IS NULL"
)


def _read_contacts(
    conn: engine.Connection, ids: Sequence[str], key: str = "id"
) -> list[search_rows.ContactRow]:
    """By id, or by ``key="rowid"`` (a rebuild: a seek in the table itself, a third faster at 1M)."""
    rows: list[search_rows.ContactRow] = conn.execute(
        f"{_CONTACT_SQL} AND c.{key} IN ({_marks(len(ids))})", ids
    ).fetchall()
    return rows


def _read_orgs(conn: engine.Connection, ids: Sequence[str]) -> list[search_rows.OrgRow]:
    rows: list[search_rows.OrgRow] = conn.execute(
        f"SELECT id, name_zh, name_en, updated_at FROM organizations WHERE deleted = 0 "
        f"AND id IN ({_marks(len(ids))})",
        ids,
    ).fetchall()
    return rows


def _read_cases(conn: engine.Connection, ids: Sequence[str], key: str = "id") -> list[search_rows.CaseRow]:
    rows = conn.execute(
        f"SELECT id, number, title, updated_at, beneficiary_id FROM cases WHERE deleted = 0 "
        f"AND {key} IN ({_marks(len(ids))})",
        ids,
    ).fetchall()
    people = _beneficiaries(conn, (r[4] for r in rows))
    return [
        (cid, number, title, updated, people.get(ben) if ben else None)
        for cid, number, title, updated, ben in rows
    ]


def _beneficiaries(conn: engine.Connection, ids: Iterable[str | None]) -> dict[str, tuple[Any, Any]]:
    wanted = sorted({i for i in ids if i})
    out: dict[str, tuple[Any, Any]] = {}
    for chunk in _chunks(wanted):
        for cid, native, latin in conn.execute(
            f"SELECT id, native_name, latin_name FROM contacts WHERE deleted = 0 "
            f"AND id IN ({_marks(len(chunk))})",
            chunk,
        ):
            out[cid] = (native, latin)
    return out


parallel.preload(search_rows.__name__)  # what a worker computes: _COMPUTE below

_READERS: dict[str, Callable[[engine.Connection, Sequence[str]], list[Any]]] = {
    "contact": _read_contacts,
    "org": _read_orgs,
    "case": _read_cases,
}
_COMPUTE: dict[str, Callable[[Sequence[Any]], list[IndexRow]]] = {
    "contact": search_rows.contact_rows,
    "org": search_rows.org_rows,
    "case": search_rows.case_rows,
}


def _load(conn: engine.Connection, kind: str, ids: Sequence[str]) -> dict[str, IndexRow | None]:
    """The index rows of these records now (None: the record is gone or not indexed)."""
    out: dict[str, IndexRow | None] = dict.fromkeys(ids)
    out.update((row[0], row) for row in _COMPUTE[kind](_READERS[kind](conn, ids)))
    return out


def load_contact_fields(conn: engine.Connection, ids: Sequence[str]) -> dict[str, list[list[Any]]]:
    """The search fields of these contacts computed from the base tables, as stored in search_doc."""
    return {ref: _raw_fields(row[2]) for ref, row in _load(conn, "contact", ids).items() if row}


# ---------------------------------------------------------------- writing documents


FtsRow = tuple[int, str, str, str, str]  # seq, kind token, then the three texts of index_texts


def _fts_write(conn: engine.Connection, rows: list[FtsRow], delete: bool = False) -> None:
    """Insert (or, with the same text, delete) the FTS rows of documents. Empty texts get no row. FTS5
    flushes its pending terms whenever a rowid is smaller than the previous one, so rows go in ascending
    order (one flush per batch, not one per row)."""
    rows.sort()
    for table, col in (("search_names", 2), ("search_other", 3)):
        head = (
            f"INSERT INTO {table} ({table}, rowid, keys, kind) VALUES ('delete', "
            if delete
            else f"INSERT INTO {table} (rowid, keys, kind) VALUES ("
        )
        conn.executemany(head + "?, ?, ?)", [(r[0], r[col], r[1]) for r in rows if r[col]])
    head = (
        "INSERT INTO search_grams (search_grams, rowid, keys) VALUES ('delete', "
        if delete
        else "INSERT INTO search_grams (rowid, keys) VALUES ("
    )
    conn.executemany(head + "?, ?)", [(r[0], r[4]) for r in rows if r[4]])


def _free_seq(conn: engine.Connection, recency: int, taken: set[int], start: int | None = None) -> int:
    """The smallest unused seq at or after ``recency`` (from ``start``, a seq known to be past every one
    taken for this recency): newer writes in the same second sort ahead."""
    window = recency + 999_999
    if start is None:
        row = conn.execute("SELECT max(seq) FROM search_doc WHERE seq BETWEEN ? AND ?", (recency, window))
        top = row.fetchone()[0]
        start = recency if top is None else top + 1
    seq = start
    # within the window no stored document is past the max just read: only this batch's seqs can be taken
    while seq in taken or (
        seq > window and conn.execute("SELECT 1 FROM search_doc WHERE seq = ?", (seq,)).fetchone()
    ):
        seq += 1
    return seq


def _apply(conn: engine.Connection, kind: str, docs: dict[str, IndexRow | None]) -> None:
    """Bring the index rows of ``docs`` (ref -> new row, None = remove) up to date, in batches.

    A document whose recency is unchanged keeps its seq, and only the FTS tables whose text changed are
    touched (an organization renamed changes its contacts' `other` words and substrings, not their
    names): FTS5 deletes cost as much as inserts, and a rename can fan out to hundreds of contacts."""
    token = _KIND_TOKEN[kind]
    for chunk in _chunks(list(docs)):
        old = {
            ref: (seq, recency, text)
            for seq, ref, recency, text in conn.execute(
                f"SELECT seq, ref, recency, fields FROM search_doc WHERE kind = ? AND ref IN ({_marks(len(chunk))})",
                (kind, *chunk),
            )
        }
        removed: list[FtsRow] = []
        added: list[FtsRow] = []
        gone: list[tuple[int]] = []
        rewritten: list[tuple[str, int]] = []
        fresh: list[IndexRow] = []
        for ref in chunk:
            new = docs[ref]
            prev = old.get(ref)
            if prev is None:
                if new:
                    fresh.append(new)
                continue
            seq, recency, prev_text = prev
            if new and recency == new[1]:
                if prev_text == new[2]:
                    continue  # unchanged: the common case for an edit of a field not searched
                before, after = index_texts(_raw_fields(prev_text)), new[3:]
                changed = [(b, a) if b != a else ("", "") for b, a in zip(before, after, strict=True)]
                removed.append((seq, token, changed[0][0], changed[1][0], changed[2][0]))
                added.append((seq, token, changed[0][1], changed[1][1], changed[2][1]))
                rewritten.append((new[2], seq))
                continue
            removed.append((seq, token, *index_texts(_raw_fields(prev_text))))
            gone.append((seq,))
            if new:
                fresh.append(new)
        if removed:
            _fts_write(conn, removed, delete=True)
        conn.executemany("DELETE FROM search_doc WHERE seq = ?", gone)
        conn.executemany("UPDATE search_doc SET fields = ? WHERE seq = ?", rewritten)
        taken: set[int] = set()
        next_seq: dict[int, int] = {}  # recency -> the seq after the last one taken for it (a bulk load's
        # documents share a few recencies: without it each would walk past all the others taken)
        rows: list[tuple[int, str, str, int, str]] = []
        for ref, recency, text, names, other, grams in fresh:
            seq = _free_seq(conn, recency, taken, next_seq.get(recency))
            taken.add(seq)
            next_seq[recency] = seq + 1
            rows.append((seq, kind, ref, recency, text))
            added.append((seq, token, names, other, grams))
        conn.executemany(
            "INSERT INTO search_doc (seq, kind, ref, recency, fields) VALUES (?, ?, ?, ?, ?)", rows
        )
        if added:
            _fts_write(conn, added)


def reindex(
    conn: engine.Connection,
    contacts: Iterable[str] = (),
    orgs: Iterable[str] = (),
    cases: Iterable[str] = (),
) -> None:
    """Recompute the index rows of these records from the base tables, in the caller's transaction (never
    begins or commits). Renaming an organization re-indexes its contacts; renaming a contact re-indexes
    the cases it is the beneficiary of. A deleted or missing record loses its rows."""
    contact_ids = set(contacts)
    org_ids = set(orgs)
    case_ids = set(cases)
    for chunk in _chunks(sorted(org_ids)):
        contact_ids.update(
            r[0]
            for r in conn.execute(f"SELECT id FROM contacts WHERE org_id IN ({_marks(len(chunk))})", chunk)
        )
    for chunk in _chunks(sorted(contact_ids)):
        case_ids.update(
            r[0]
            for r in conn.execute(
                f"SELECT id FROM cases WHERE beneficiary_id IN ({_marks(len(chunk))})", chunk
            )
        )
    for kind, ids in (("org", org_ids), ("contact", contact_ids), ("case", case_ids)):
        for chunk in _chunks(sorted(ids)):
            _apply(conn, kind, _load(conn, kind, chunk))


def index_bulk(
    conn: engine.Connection,
    contacts: Iterable[str] = (),
    orgs: Iterable[str] = (),
    cases: Iterable[str] = (),
    progress: Progress | None = None,
    workers: int | None = None,
) -> None:
    """Index many (typically new) records at once, e.g. after a bulk load into an existing store: see
    :class:`Indexer`. Unlike :func:`reindex` it does not follow organizations to their contacts (new
    records have none yet). In the caller's transaction if it has one."""
    todo = [("org", sorted(set(orgs))), ("contact", sorted(set(contacts))), ("case", sorted(set(cases)))]
    total = sum(len(ids) for _, ids in todo)
    with Indexer(conn, total, progress=progress, workers=workers) as indexer, _transaction(conn):
        for kind, ids in todo:
            indexer.add(kind, ids)
        indexer.finish()


class Indexer:
    """Index new records while a bulk job is still writing them, in the job's transaction.

    ``add`` reads the base rows of records just written (the transaction sees its own writes) and hands
    them to a worker process, which computes their index rows while the job writes its next batch; the
    rows are written in batches (``executemany``, FTS rows in rowid order) as they come back, and
    ``finish`` writes the rest and updates the trigram statistics from a sample. With few records
    (``expected``) or ``workers=0`` the rows are computed here."""

    def __init__(
        self,
        conn: engine.Connection,
        expected: int,
        *,
        progress: Progress | None = None,
        workers: int | None = None,
    ) -> None:
        self._conn = conn
        self._expected = expected
        self._progress = progress
        self._pool = parallel.pool_for(expected, _PARALLEL_FROM, workers)
        # batches read but not yet written: enough that the job seldom waits for a worker (starting the
        # first pool takes most of a second), few enough to keep memory flat (a batch is a few MB)
        self._in_flight = max(self._pool.window, 8)
        self._queue: deque[tuple[str, Sequence[str], parallel.Pending[Any, list[IndexRow]]]] = deque()
        self._sampler = _GramSampler(expected)
        self.done = 0

    def __enter__(self) -> Indexer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.close()

    def add(self, kind: str, ids: Sequence[str]) -> None:
        for chunk in _chunks(ids):
            batch = _READERS[kind](self._conn, chunk)
            self._queue.append((kind, chunk, self._pool.submit(_COMPUTE[kind], batch)))
        self._write(wait=False)

    def finish(self) -> None:
        self._write(wait=True)
        self._sampler.save(self._conn, replace=False)

    def _write(self, *, wait: bool) -> None:
        """Write the batches computed so far, in order; all of them if ``wait``, or while too many are in
        flight (memory stays flat however fast the job writes)."""
        while self._queue and (wait or self._queue[0][2].ready() or len(self._queue) > self._in_flight):
            kind, chunk, pending = self._queue.popleft()
            rows = pending.result()
            docs: dict[str, IndexRow | None] = dict.fromkeys(chunk)
            docs.update((row[0], row) for row in rows)
            _apply(self._conn, kind, docs)
            for row in rows:
                self._sampler.add(row[5])
            self.done += len(chunk)
            if self._progress:
                self._progress(self.done, max(self._expected, self.done))


@contextmanager
def _transaction(conn: engine.Connection) -> Iterator[None]:
    """Join the caller's transaction, or run in one of our own."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _trigrams(text: str) -> list[str]:
    return [text[i : i + 3] for i in range(len(text) - 2)]


class _GramSampler:
    """Trigram document frequencies estimated from every n-th document (see search_gram_stats)."""

    def __init__(self, total: int) -> None:
        self.every = max(1, total // _STATS_SAMPLE)
        self.seen = 0
        self.counts: Counter[str] = Counter()

    def add(self, grams_text: str) -> None:
        self.seen += 1
        if self.seen % self.every == 0:
            self.counts.update({g for key in grams_text.split("\n") for g in _trigrams(key)})

    def save(self, conn: engine.Connection, *, replace: bool) -> None:
        if replace:
            conn.execute("DELETE FROM search_gram_stats")
        rows = [(g, n * self.every) for g, n in self.counts.items() if n > 1 or self.every == 1]
        conn.executemany(
            "INSERT INTO search_gram_stats (gram, df) VALUES (?, ?) "
            "ON CONFLICT(gram) DO UPDATE SET df = df + excluded.df",
            rows,
        )


@gc_pause.paused()
def rebuild(conn: engine.Connection, progress: Progress | None = None, workers: int | None = None) -> None:
    """Recreate the whole index from the base tables: ``liaison db reindex``, demo data, large imports, a
    new laptop's first pull.

    Records are read oldest activity first, so documents arrive in (nearly) ascending seq order and FTS5
    appends to its pending segment instead of flushing one per batch; their rows are computed in batches
    of a few thousand (in worker processes for a big store, see store/parallel.py; ``workers`` says how
    many) and written with ``executemany``. No per-row lookups, no triggers."""
    total = sum(
        conn.execute(f"SELECT count(*) FROM {t} WHERE deleted = 0").fetchone()[0]
        for t in ("organizations", "contacts", "cases")
    )
    # the workers start (about a second) while the old index is dropped
    with parallel.pool_for(total, _PARALLEL_FROM, workers) as pool, _transaction(conn):
        # the ref index is built once at the end, sorted, rather than updated a million times in random
        # order (ids are not in recency order), which at 1M misses the page cache on every insert
        conn.execute("DROP INDEX IF EXISTS search_doc_ref")
        conn.execute("DELETE FROM search_doc")
        for table in _FTS:
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
            # terms pending in memory before FTS5 writes a segment: fewer, larger segments, fewer merges
            # (15 % of the FTS time at 100k); only a bulk build ever fills it
            conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', {_HASHSIZE})")
        done = 0
        used: set[int] = set()
        nxt: dict[int, int] = {}
        sampler = _GramSampler(total)

        def store(kind: str, rows: Sequence[IndexRow]) -> None:
            nonlocal done
            docs = []
            fts: list[FtsRow] = []
            token = _KIND_TOKEN[kind]
            for ref, recency, text, names, other, grams in rows:
                seq = nxt.get(recency, recency)
                while seq in used:
                    seq += 1
                used.add(seq)
                nxt[recency] = seq + 1
                docs.append((seq, kind, ref, recency, text))
                sampler.add(grams)
                fts.append((seq, token, names, other, grams))
            conn.executemany(
                "INSERT INTO search_doc (seq, kind, ref, recency, fields) VALUES (?, ?, ?, ?, ?)", docs
            )
            _fts_write(conn, fts)
            done += len(rows)
            if progress:
                progress(done, total)

        # Ids first, in order, then each batch's rows by id: sorting whole rows (each with its points' JSON)
        # would compute and hold every one of them before the first batch could go to a worker.
        batches: dict[str, tuple[Callable[[engine.Connection, Sequence[Any]], list[Any]], str]] = {
            "org": (_read_orgs, "SELECT id FROM organizations WHERE deleted = 0 ORDER BY updated_at, id"),
            "contact": (
                lambda conn, rowids: _read_contacts(conn, rowids, key="rowid"),
                "SELECT rowid FROM contacts WHERE deleted = 0 AND merged_into IS NULL "
                "ORDER BY coalesce(last_activity_at, updated_at), id",
            ),
            "case": (
                lambda conn, rowids: _read_cases(conn, rowids, key="rowid"),
                "SELECT rowid FROM cases WHERE deleted = 0 ORDER BY updated_at, id",
            ),
        }
        for kind, (read, order) in batches.items():
            for rows in pool.map(_COMPUTE[kind], (read(conn, ids) for ids in _oldest_first(conn, order))):
                store(kind, rows)
        sampler.save(conn, replace=True)
        conn.execute(_REF_INDEX)


def purge(conn: engine.Connection) -> None:
    """Rewrite the FTS indexes without the entries of removed documents. On SQLite before 3.44 (no
    secure-delete) FTS5 keeps a removed row's words in its older segments, marked deleted, until they are
    merged: after erasing a person, call this (then VACUUM, or run with PRAGMA secure_delete) so that no
    word of theirs stays in the file. Costs about the FTS share of a rebuild."""
    with _transaction(conn):
        for table in _FTS:
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def _oldest_first(conn: engine.Connection, sql: str) -> Iterator[list[str]]:
    cursor = conn.execute(sql)
    while ids := [r[0] for r in cursor.fetchmany(_CHUNK)]:
        yield ids


# ---------------------------------------------------------------- queries


def _phrase(form: str) -> str:
    """A MATCH phrase for user text: quoted, inner quotes doubled, so no input is FTS5 syntax."""
    return '"' + form.replace('"', '""') + '"'


def _kind_filter(kinds: Sequence[str]) -> str:
    if len(kinds) == len(KINDS):
        return ""
    return " AND kind : (" + " OR ".join(_phrase(_KIND_TOKEN[k]) for k in kinds) + ")"


def _kinds(types: Iterable[str] | str | None) -> tuple[str, ...]:
    if types is None:
        return KINDS
    if isinstance(types, str):
        types = [types]
    aliases = {"organization": "org", "organizations": "org", "contacts": "contact", "cases": "case"}
    chosen = {aliases.get(t, t) for t in types}
    unknown = chosen - set(KINDS)
    if unknown:
        raise ValueError(f"unknown search types: {sorted(unknown)}")
    return tuple(k for k in KINDS if k in chosen)


def _word_probes(forms: Sequence[str], kinds: Sequence[str]) -> list[tuple[str, str, tuple[int, int], bool]]:
    """(FTS table, MATCH expression, best (quality, weight) it can add, whether it is a whole-word probe)
    in order. Each probe returns only the newest matches, so every class of match gets a probe of its own
    lest newer, weaker matches crowd it out; a probe is skipped when the list already holds ``limit``
    matches it could not beat (see :func:`search`)."""
    filt = _kind_filter(kinds)
    out: list[tuple[str, str, tuple[int, int], bool]] = []
    words = list(dict.fromkeys(sk.glued(form) for form in forms))
    for table, weight in (("search_names", 2), ("search_other", 1)):
        for word in words:
            out.append((table, f"keys : {_phrase(word)}{filt}", (sk.EXACT, weight), True))
        for word in words:
            out.append((table, f"keys : {_phrase(word)} *{filt}", (sk.EXACT, weight), False))
    return out


def _gram_expr(conn: engine.Connection, form: str, everything: bool = False) -> str:
    """An AND of the form's rarest trigrams (all of them with ``everything``). FTS5 reads every posting
    of every term it is given, so leaving out "ang" and "zha" is what keeps this fast; the candidates it
    lets through that do not contain the whole form are dropped by the verification."""
    grams = list(dict.fromkeys(_trigrams(form)))
    if not everything and len(grams) > _GRAMS:
        df = dict(
            conn.execute(
                f"SELECT gram, df FROM search_gram_stats WHERE gram IN ({_marks(len(grams))})", grams
            )
        )
        at = {g: form.find(g) for g in grams}
        by_rarity = sorted(grams, key=lambda g: df.get(g, 0))
        rarest = by_rarity[0]
        # then the rarest that does not overlap it: overlapping trigrams ("gha", "ngh") mostly occur
        # together, so they filter little
        apart = [g for g in by_rarity[1:] if abs(at[g] - at[rarest]) >= 3] or by_rarity[1:]
        grams = [rarest, apart[0]]
    return " AND ".join(_phrase(g) for g in grams)


# (quality, weight, phone-key affinity, seq, kind, ref, fields, field index, key index, form index)
Ranked = tuple[int, int, int, int, str, str, list[list[Any]], int, int, int]


def _literal(form: str) -> bool:
    """Whether the form appears verbatim in search_doc.fields when a key contains it: JSON escapes
    quotes, backslashes and control characters."""
    return '"' not in form and "\\" not in form and min(form) >= " "


def _ranked(
    conn: engine.Connection,
    query: sk.Query,
    kinds: Sequence[str],
    seqs: Iterable[int],
    substrings: bool = False,
) -> list[Ranked]:
    """The candidates that really match, as :data:`Ranked` tuples. ``substrings``: candidates of the
    trigram probe, most of which hold the form's rarest trigrams but not the form."""
    forms = query.forms
    wanted = list(seqs)
    out: list[Ranked] = []
    # A candidate whose stored text contains no form has no infix match (its word matches, if any, come
    # from the word probes): SQLite drops it before Python parses anything.
    literal = list(forms) if substrings and all(_literal(f) for f in forms) else []
    where = (" AND (" + " OR ".join("instr(fields, ?) > 0" for _ in literal) + ")") if literal else ""
    for chunk in _chunks(wanted, 900):
        for seq, kind, ref, text in conn.execute(
            f"SELECT seq, kind, ref, fields FROM search_doc WHERE seq IN ({_marks(len(chunk))}){where}",
            [*chunk, *literal],
        ):
            if kind not in kinds:
                continue
            fields = _raw_fields(text)
            best = sk.best_match(forms, fields)
            if best:
                quality, weight, fi, ki, qi = best
                affinity = sk.key_affinity(query.phone, fields[fi][0], ki)
                out.append((quality, weight, affinity, seq, kind, ref, fields, fi, ki, qi))
    return out


def search(
    conn: engine.Connection, query: str, types: Iterable[str] | str | None = None, limit: int = 20
) -> list[Hit]:
    """The best ``limit`` records for ``query`` (names in any script, pinyin, initials, phones, emails, case numbers)."""
    parsed = sk.normalize_query(query)
    forms = parsed.forms
    if not forms or limit <= 0:
        return []
    kinds = _kinds(types)
    per_probe = limit + 10  # a little slack for FTS false positives (a phrase across two keys)
    seen: set[int] = set()
    ranked: list[Ranked] = []

    def take(sql: str, args: Sequence[Any], substrings: bool = False) -> tuple[int, int]:
        """Run one probe; (rows it returned, last rowid) after verifying and ranking the new candidates."""
        fresh: list[int] = []
        rows = conn.execute(sql, args).fetchall()
        for (seq,) in rows:
            if seq not in seen:
                seen.add(seq)
                fresh.append(seq)
        ranked.extend(_ranked(conn, parsed, kinds, fresh, substrings))
        return len(rows), rows[-1][0] if rows else 0

    def full_above(bound: tuple[int, int], ties: bool = False) -> bool:
        """The list already holds ``limit`` matches that anything a probe bounded by ``bound`` could add
        would rank below. ``ties``: matches equal to the bound count too, because that class was
        enumerated newest first already (exact keys, by the whole-word probes)."""
        return sum(1 for r in ranked if (r[0], r[1]) > bound or (ties and (r[0], r[1]) == bound)) >= limit

    exact_saturated = {1: False, 2: False}
    for table, expr, bound, whole in _word_probes(forms, kinds):
        weight = bound[1]
        if not whole and not exact_saturated[weight]:
            bound = (sk.PREFIX, weight)  # every exact key of this column was a whole-word match seen already
        if full_above(bound, ties=not whole and bound[0] == sk.EXACT):
            continue
        got, _ = take(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?", (expr, per_probe)
        )
        if whole and got >= per_probe:
            exact_saturated[weight] = True
    # Substrings rank below every word match: look for them only while the list is not full of those.
    for form in forms:
        if len(form) < sk.MIN_INFIX or full_above((sk.INFIX, 2)):
            continue
        expr = _gram_expr(conn, form)
        if _literal(form):
            # Most rows holding the form's two rarest trigrams do not hold the form: let SQLite drop
            # them (one rowid lookup and instr each) over the newest _GRAM_SCAN, in one statement.
            take(
                "SELECT g.rowid FROM (SELECT rowid FROM search_grams WHERE search_grams MATCH ? "
                "ORDER BY rowid DESC LIMIT ?) g JOIN search_doc d ON d.seq = g.rowid "
                "WHERE instr(d.fields, ?) > 0 ORDER BY g.rowid DESC LIMIT ?",
                (expr, max(_GRAM_SCAN, 4 * per_probe), form, per_probe),
                True,
            )
        else:
            take(
                "SELECT rowid FROM search_grams WHERE search_grams MATCH ? ORDER BY rowid DESC LIMIT ?",
                (expr, per_probe),
                True,
            )
    ranked.sort(key=lambda r: (r[0], r[1], r[2], r[3]), reverse=True)
    return _hits(conn, ranked[:limit], forms)


def doc_count(conn: engine.Connection) -> int:
    """How many records the index holds in all."""
    return int(conn.execute("SELECT count(*) FROM search_doc").fetchone()[0])


def count(conn: engine.Connection, query: str, types: Iterable[str] | str | None = None) -> int:
    """How many records the index holds for ``query`` (all of them, not the top n): the figure to show
    next to a 1-character search. Counted in the index without verification, so it is an upper bound:
    exact for one word under 3 characters; a phrase straddling two keys of a record, or a trigram AND
    whose trigrams are not adjacent, can add to it."""
    forms = sk.normalize_query(query).forms
    if not forms:
        return 0
    kinds = _kinds(types)
    filt = _kind_filter(kinds)
    parts: list[str] = []
    args: list[str] = []
    for form in forms:
        for table in ("search_names", "search_other"):
            parts.append(f"SELECT rowid FROM {table} WHERE {table} MATCH ?")
            args.append(f"keys : {_phrase(sk.glued(form))} *{filt}")
        if len(form) >= sk.MIN_INFIX:
            kind_in = ",".join(f"'{k}'" for k in kinds)
            parts.append(
                "SELECT g.rowid FROM search_grams g JOIN search_doc d ON d.seq = g.rowid "
                f"WHERE search_grams MATCH ? AND d.kind IN ({kind_in})"
            )
            args.append(_gram_expr(conn, form, everything=True))
    return int(conn.execute(f"SELECT count(*) FROM ({' UNION '.join(parts)})", args).fetchone()[0])


def _hits(conn: engine.Connection, top: list[tuple[Any, ...]], forms: Sequence[str]) -> list[Hit]:
    labels: dict[tuple[str, str], tuple[str, str]] = {}
    for kind in KINDS:
        refs = [r[5] for r in top if r[4] == kind]
        if refs:
            labels.update({(kind, ref): lab for ref, lab in _labels(conn, kind, refs).items()})
    hits = []
    for quality, weight, affinity, _seq, kind, ref, fields, fi, ki, qi in top:
        fld = _field(fields[fi])
        title, subtitle = labels.get((kind, ref), (fld.display, ""))
        hits.append(
            Hit(
                kind=kind,
                id=ref,
                title=title,
                subtitle=subtitle,
                field=sk.FIELD_NAMES[fld.code],
                matched_text=fld.display,
                span=sk.span(fld, ki, forms[qi]),
                score=quality * 10 + weight + 0.5 * affinity,
            )
        )
    return hits


def _join(*parts: Any, sep: str = " ") -> str:
    return sep.join(str(p) for p in parts if p not in (None, ""))


def _labels(conn: engine.Connection, kind: str, refs: Sequence[str]) -> dict[str, tuple[str, str]]:
    marks = _marks(len(refs))
    if kind == "contact":
        return {
            cid: (_join(native, latin) or cid, _join(zh or en, title, sep=" · "))
            for cid, native, latin, title, zh, en in conn.execute(
                "SELECT c.id, c.native_name, c.latin_name, c.title, o.name_zh, o.name_en FROM contacts c "
                f"LEFT JOIN organizations o ON o.id = c.org_id WHERE c.id IN ({marks})",
                refs,
            )
        }
    if kind == "org":
        return {
            oid: (_join(zh, en) or oid, _join(okind, city, country, sep=" · "))
            for oid, zh, en, okind, city, country in conn.execute(
                f"SELECT id, name_zh, name_en, kind, city, country FROM organizations WHERE id IN ({marks})",
                refs,
            )
        }
    return {
        cid: (_join(number, title), _join(_join(native, latin), status, sep=" · "))
        for cid, number, title, status, native, latin in conn.execute(
            "SELECT k.id, k.number, k.title, k.status, c.native_name, c.latin_name FROM cases k "
            f"LEFT JOIN contacts c ON c.id = k.beneficiary_id WHERE k.id IN ({marks})",
            refs,
        )
    }


def forget_grams(conn: engine.Connection, kind: str, refs: Sequence[str]) -> None:
    """Drop from the trigram statistics every trigram of these documents (an erased person's: a Chinese
    name of three characters is one trigram). Statistics only steer which trigrams a lookup asks for, so
    losing a few shared ones makes some lookups a little slower, never wrong."""
    grams: set[str] = set()
    for chunk in _chunks(list(refs)):
        for (fields,) in conn.execute(
            f"SELECT fields FROM search_doc WHERE kind = ? AND ref IN ({_marks(len(chunk))})", [kind, *chunk]
        ):
            _names, _other, text = index_texts(_raw_fields(fields))
            grams.update(g for key in text.split("\n") for g in _trigrams(key))
    ordered = sorted(grams)
    for chunk in _chunks(ordered):
        conn.execute(f"DELETE FROM search_gram_stats WHERE gram IN ({_marks(len(chunk))})", list(chunk))
