"""Matching on the laptop's own records: a demand's best talents, a talent's best demands.

The scoring is the domain's (``domain/matching.py``); this module decides whom to score. For a demand,
how many of its required and preferred skills a talent holds bounds the best score it can reach, and
candidates are scored best bound first until the list is full of matches that nobody left could beat.
They come from the skills join (``talent_skills``, indexed by skill and contact), level by level and only
as far as the list needs: those holding every required skill and then those lacking one (SQLite merges
the index ranges of the skills in pairs, the pairs' talents are probed for the other skills), then those
holding fewer (counted over the ranges); a level's preferred skills are probed in the index when it is
reached. The result is exactly that of scoring every talent (:func:`naive_best_talents`, which the tests
and ``benchmarks/match.py`` compare against). For a talent, the open demands (a partial index) that ask
for one of its skills are scored.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import orjson

from ..domain.consent import NEEDED_FOR_SHARING
from ..domain.errors import LiaisonError
from ..domain.i18n import get_lang
from ..domain.matching import (
    WEIGHTS,
    Dismissal,
    Job,
    Match,
    Talent,
    exact,
    max_points,
    quick_score,
    rank,
    score,
)
from .consent import has_consent, missing

_CHUNK = 400


@dataclass
class Proposal:
    match: Match
    pinned: bool = False
    consent: bool = False
    introduced: str | None = None  # the stage of an introduction already made for this pair


@dataclass
class DemandMatches:
    job: Job
    proposals: list[Proposal]
    skill_names: dict[str, str]
    scored: int = 0  # talents scored to find them
    candidates: int = 0  # talents holding at least one required skill
    dismissed: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class TalentMatches:
    talent: Talent | None
    proposals: list[Proposal]
    skill_names: dict[str, str]
    titles: dict[str, dict[str, Any]]  # demand id -> title, organization name, status
    scored: int = 0


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _list(text: str | None) -> list[Any]:
    return orjson.loads(text) if text else []


def skill_names(conn: Any, lang: str | None = None) -> dict[str, str]:
    zh = (lang or get_lang()) == "zh"
    return {
        sid: (zh and name_zh) or name_en
        for sid, name_en, name_zh in conn.execute("SELECT id, name_en, name_zh FROM skills WHERE deleted = 0")
    }


# ---------------------------------------------------------------------------- facts from rows


_DEMAND_COLS = (
    "id, title, org_id, industry_chain, field, required_skills, preferred_skills, min_degree, min_years, "
    "languages, city, country, work_mode, hard, deadline, status"
)


def _job(row: Sequence[Any]) -> Job:
    (
        did,
        title,
        org,
        chain,
        fld,
        req,
        pref,
        degree,
        years,
        langs,
        city,
        country,
        mode,
        hard,
        deadline,
        _s,
    ) = row
    return Job(
        id=did,
        title=title,
        org_id=org,
        chain=chain,
        field=fld,
        required=tuple(_list(req)),
        preferred=tuple(_list(pref)),
        min_degree=degree,
        min_years=years,
        languages=tuple(_list(langs)),
        city=city,
        country=country,
        work_mode=mode or "onsite",
        hard=frozenset(_list(hard)),
        deadline=deadline,
    )


def load_job(store: Any, demand_id: str) -> Job:
    row = store.conn.execute(
        f"SELECT {_DEMAND_COLS} FROM demands WHERE id = ? AND deleted = 0", (demand_id,)
    ).fetchone()
    if row is None:
        raise LiaisonError("store.err.not_found", table="demands", id=demand_id)
    return _job(row)


_TALENT_SQL = (
    "SELECT c.id, c.native_name, c.latin_name, c.field, c.industry_chains, c.languages, c.country, c.city, "
    "c.timezone, p.degree, p.years_experience, p.fields, p.relocation, p.preferred_cities, p.availability, "
    "p.available_from FROM contacts c LEFT JOIN talent_profiles p ON p.contact_id = c.id AND p.deleted = 0 "
    "WHERE c.deleted = 0 AND c.merged_into IS NULL AND c.id IN ({marks})"
)


def load_talents(
    conn: Any, ids: Sequence[str], known: dict[str, frozenset[str]] | None = None
) -> dict[str, Talent]:
    """The matching facts of live contacts among ``ids`` (their profile and skills, if any). ``known``:
    the skills that matter for one demand, already read from the skills index (ranking needs no more)."""
    out: dict[str, Talent] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        marks = _marks(len(chunk))
        skills: dict[str, Any] = {}
        if known is not None:
            skills = known
        else:
            for cid, sid in conn.execute(
                f"SELECT contact_id, skill_id FROM talent_skills WHERE deleted = 0 AND contact_id IN ({marks})",
                chunk,
            ):
                skills.setdefault(cid, set()).add(sid)
        for row in conn.execute(_TALENT_SQL.format(marks=marks), chunk):
            (
                cid,
                native,
                latin,
                fld,
                chains,
                langs,
                country,
                city,
                tz,
                degree,
                years,
                fields,
                reloc,
                cities,
                avail,
                frm,
            ) = row
            if cid in out:
                continue
            names = " ".join(n for n in (native, latin) if n)
            out[cid] = Talent(
                contact_id=cid,
                name=names,
                skills=frozenset(skills.get(cid, ())),
                degree=degree,
                years=years,
                fields=tuple([*_list(fields), *([fld] if fld else [])]),
                chains=frozenset(_list(chains)),
                languages=frozenset(_list(langs)),
                country=country,
                city=city,
                timezone=tz,
                relocation=reloc,
                preferred_cities=tuple(_list(cities)),
                availability=avail,
                available_from=frm,
            )
    return out


def load_talent(store: Any, contact_id: str) -> Talent:
    found = load_talents(store.conn, [contact_id])
    if contact_id not in found:
        raise LiaisonError("store.err.not_found", table="contacts", id=contact_id)
    return found[contact_id]


def _marks_of(conn: Any, demand_ids: Sequence[str]) -> list[tuple[str, str, str, str | None]]:
    """(demand, contact, mark, reason) of the live marks on these demands."""
    out: list[tuple[str, str, str, str | None]] = []
    for start in range(0, len(demand_ids), _CHUNK):
        chunk = list(demand_ids[start : start + _CHUNK])
        out += conn.execute(
            f"SELECT demand_id, contact_id, mark, reason FROM match_marks WHERE deleted = 0 "
            f"AND demand_id IN ({_marks(len(chunk))})",
            chunk,
        ).fetchall()
    return out


def dismissals_for(
    conn: Any, demand_ids: Sequence[str]
) -> tuple[dict[str, list[Dismissal]], set[tuple[str, str]]]:
    """The dismissed talents of each demand (with their facts, for learning) and the pinned pairs."""
    marks = _marks_of(conn, demand_ids)
    dismissed = [(d, c, r) for d, c, m, r in marks if m == "dismissed"]
    pinned = {(d, c) for d, c, m, _ in marks if m == "pinned"}
    facts = load_talents(conn, sorted({c for _, c, _ in dismissed}))
    out: dict[str, list[Dismissal]] = {}
    for demand_id, contact_id, reason in dismissed:
        talent = facts.get(contact_id) or Talent(contact_id)
        out.setdefault(demand_id, []).append(Dismissal(talent, reason or "other"))
    return out, pinned


# ---------------------------------------------------------------------------- a demand's talents


_HOLDERS = "SELECT contact_id FROM talent_skills WHERE skill_id = ? AND deleted = 0"


def _bounds(job: Job) -> dict[tuple[int, int], float]:
    """The best score a talent holding (r, p) of the demand's required and preferred skills can reach
    (every other criterion fully met), for every r and p."""
    return {
        (r, p): _bound(job, r, p) for r in range(len(job.required) + 1) for p in range(len(job.preferred) + 1)
    }


def _bound(job: Job, required: int, preferred: int) -> float:
    total = max_points(job)
    rest = total - WEIGHTS["required"] - (WEIGHTS["preferred"] if job.preferred else 0)
    got = rest + WEIGHTS["required"] * required / len(job.required)
    if job.preferred:
        got += WEIGHTS["preferred"] * preferred / len(job.preferred)
    return exact(100.0 * got / total)


def _holding_all(conn: Any, skills: Sequence[str]) -> list[str]:
    """Talents holding every one of ``skills``: SQLite merges the skills index's ranges, each sorted by
    contact, without sorting or keeping any of them."""
    sql = " INTERSECT ".join([_HOLDERS] * len(skills)) + " ORDER BY 1"
    return [r[0] for r in conn.execute(sql, list(skills))]


def _holding_some(conn: Any, skills: Sequence[str], least: int, below: int | None) -> list[tuple[str, int]]:
    """(talent, how many of ``skills`` it holds) for talents holding at least ``least`` of them (and fewer
    than ``below``), counted by SQLite over their index ranges: only those rows come out. A skill recorded
    twice for one talent (two laptops, offline) counts twice, so a count is never below the truth."""
    having = "count(*) >= ?" + (" AND count(*) < ?" if below is not None else "")
    rows: list[tuple[str, int]] = conn.execute(
        f"SELECT contact_id, count(*) FROM talent_skills WHERE deleted = 0 AND skill_id IN ({_marks(len(skills))}) "
        f"GROUP BY contact_id HAVING {having}",
        [*skills, least, *([below] if below is not None else [])],
    ).fetchall()
    return rows


def _holders_among(conn: Any, skills: Sequence[str], ids: Sequence[str]) -> dict[str, set[str]]:
    """For each of ``skills``, those of ``ids`` holding it: one probe of the skills index per (talent,
    skill)."""
    if not ids or not skills:
        return {}
    listed = orjson.dumps(list(ids)).decode()
    return {
        skill: {
            r[0]
            for r in conn.execute(
                "SELECT j.value FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM talent_skills t "
                "WHERE t.skill_id = ? AND t.contact_id = j.value AND t.deleted = 0)",
                (listed, skill),
            )
        }
        for skill in skills
    }


def _no_required_candidates(conn: Any, job: Job) -> list[str]:
    """A demand without required skills: talents holding a preferred skill or in its industry chain."""
    ids: set[str] = set()
    if job.preferred:
        ids.update(
            r[0]
            for r in conn.execute(
                f"SELECT DISTINCT contact_id FROM talent_skills WHERE deleted = 0 "
                f"AND skill_id IN ({_marks(len(job.preferred))})",
                list(job.preferred),
            )
        )
    if job.chain:
        ids.update(
            r[0]
            for r in conn.execute(
                "SELECT p.contact_id FROM talent_profiles p JOIN contacts c ON c.id = p.contact_id "
                "WHERE p.deleted = 0 AND c.deleted = 0 AND c.industry_chains LIKE ?",
                (f'%"{job.chain}"%',),
            )
        )
    return sorted(ids)


# Up to this many required skills, the talents holding them all and those lacking one are found from the
# skills paired: SQLite merges the index ranges of each pair (each range is read once), and the talents of
# a pair are probed for the other skills. Beyond it the probes would outnumber the rows of the ranges: all
# are merged at once, and those lacking one are counted with the rest.
_PAIRED_UP_TO = 6


class _Search:
    """A demand's best talents, best bound first. Pending work is kept in one heap by the best score it
    could yield: groups of candidates whose bound is known, candidates known only by how many required
    skills they hold (their preferred skills are read when they are reached), and the talents holding fewer
    required skills than any read so far (read when needed). Every bound is at least the score of anyone it
    stands for, and work stops once the list is full of matches that no pending bound can beat: the result
    is exactly that of scoring every talent."""

    def __init__(self, conn: Any, job: Job, dismissals: Sequence[Dismissal], limit: int) -> None:
        self.conn, self.job, self.dismissals, self.limit = conn, job, dismissals, limit
        self.bounds = _bounds(job)
        self.skills = job.required  # never the same skill twice: the model drops repeats
        self.top: list[tuple[float, str, Talent]] = []  # a heap of the best: (score, reversed id, talent)
        self.pending: list[tuple[float, int, Callable[[], None]]] = []  # (-bound, arrival, work)
        self.arrivals = itertools.count()
        self.taken: set[str] = set()  # the candidates holding every required skill or all but one
        self.pairs: list[
            tuple[Sequence[str], list[str]]
        ] = []  # the required skills in pairs, with their holders
        self.scored = 0
        self.read = 0

    def run(self) -> list[tuple[float, str, Talent]]:
        d = len(self.skills)
        paired = 1 < d <= _PAIRED_UP_TO
        complete = self._complete_by_pairs() if paired else _holding_all(self.conn, self.skills)
        self.taken.update(complete)
        self.read = len(complete)
        everything = frozenset(self.skills)
        self._queue(complete, d, dict.fromkeys(complete, everything))
        if d > 1 and "required_skills" not in self.job.hard:
            if paired:
                self._push(self._level_bound(d - 1), self._lacking_one)
            else:
                self._push(self._level_bound(d - 1), partial(self._counted, d, None))
        while self.pending:
            negative, _, work = heapq.heappop(self.pending)
            if self._full() and self.top[0][0] > -negative:
                break  # nothing pending can enter the list
            work()
        self.pending.clear()  # its work refers back to the search: no cycle left for the collector
        return self.top

    def _full(self) -> bool:
        return len(self.top) >= self.limit

    def _level_bound(self, k: int) -> float:
        """The best score of a talent holding ``k`` of the required skills."""
        return self.bounds[k, len(self.job.preferred)]

    def _push(self, bound: float, work: Callable[[], None]) -> None:
        heapq.heappush(self.pending, (-bound, next(self.arrivals), work))

    def _queue(self, ids: Sequence[str], k: int, required: Mapping[str, frozenset[str]] | None) -> None:
        """Queue candidates holding ``k`` of the required skills in groups by bound, once their
        preferred skills are read. ``required``: the required skills each holds, when known (scoring them
        then reads no skills)."""
        holders = _holders_among(self.conn, self.job.preferred, ids)
        if holders:
            held = Counter(itertools.chain.from_iterable(holders.values()))
            groups: dict[float, list[str]] = {}
            for cid in ids:
                groups.setdefault(self.bounds[k, held[cid]], []).append(cid)
        else:
            groups = {self.bounds[k, 0]: list(ids)}
        for bound, group in groups.items():
            self._push(bound, partial(self._score, bound, group, required, holders))

    def _complete_by_pairs(self) -> list[str]:
        """The talents holding every required skill: those of every pair, holding the odd one out if any."""
        skills = self.skills
        self.pairs = [
            (skills[i : i + 2], _holding_all(self.conn, skills[i : i + 2]))
            for i in range(0, len(skills) - 1, 2)
        ]
        both = set(self.pairs[0][1]).intersection(*(ids for _, ids in self.pairs[1:]))
        if len(skills) % 2:
            odd = skills[-1]
            both &= _holders_among(self.conn, [odd], sorted(both)).get(odd, set())
        return sorted(both)

    def _lacking_one(self) -> None:
        """The talents holding every required skill but one. With two pairs or more, each of them holds
        both skills of some pair: a pair's talents are probed for the other skills. With one pair, those
        lacking one of its skills hold the others: their ranges are merged."""
        skills, taken = self.skills, self.taken
        found: dict[str, frozenset[str]] = {}
        if len(self.pairs) == 1:
            pair, ids = self.pairs[0]
            for left_out in pair:
                others = [s for s in skills if s != left_out]
                held = frozenset(others)
                found.update((c, held) for c in _holding_all(self.conn, others) if c not in taken)
            found.update((c, frozenset(pair)) for c in ids if c not in taken)  # lacking the odd one out
        else:
            for pair, ids in self.pairs:
                members = [c for c in ids if c not in taken]
                others = [s for s in skills if s not in pair]
                holders = _holders_among(self.conn, others, members)
                for cid in members:
                    held = frozenset([*pair, *(s for s in others if cid in holders[s])])
                    if len(held) == len(skills) - 1:
                        found[cid] = held
        taken.update(found)
        self.read += len(found)
        d = len(skills)
        self._queue(list(found), d - 1, found)
        if d > 2:
            self._push(self._level_bound(d - 2), partial(self._counted, d - 1, None))

    def _counted(self, least: int, below: int | None) -> None:
        """The talents holding fewer than ``least`` of the required skills (and counting fewer than
        ``below``; None: the first count, of everyone the merges did not find), down to the lowest level
        the list still needs, or all of them while it is not full."""
        lowest = least - 1
        if self._full():
            while lowest > 1 and self._level_bound(lowest - 1) >= self.top[0][0]:
                lowest -= 1
        elif below is not None:
            lowest = 1
        levels: dict[int, list[str]] = {}
        for cid, k in _holding_some(self.conn, self.skills, lowest, below):
            if cid not in self.taken:
                levels.setdefault(min(k, least - 1), []).append(cid)  # a count may be too high, never too low
        for k, ids in levels.items():
            self.read += len(ids)
            self._push(self._level_bound(k), partial(self._queue, ids, k, None))
        if lowest > 1:
            self._push(self._level_bound(lowest - 1), partial(self._counted, lowest, lowest))

    def _score(
        self,
        bound: float,
        ids: list[str],
        required: Mapping[str, frozenset[str]] | None,
        preferred: dict[str, set[str]],
    ) -> None:
        """Score a group by id until nobody left in it could enter the list. ``required`` and ``preferred``:
        the demand's skills each holds, when known (else their skills are read with their facts)."""
        job, top, limit = self.job, self.top, self.limit
        ids.sort()
        size = 64
        i = 0
        while i < len(ids):
            # within a bound, by id: the next one could at best tie the list's worst score and would then
            # rank below it by id
            if len(top) >= limit and (top[0][0], top[0][1]) > (bound, _Desc(ids[i])):
                return
            chunk = ids[i : i + size]
            i += size
            size = min(size * 2, _CHUNK)
            known = None
            if required is not None:
                known = {c: required[c].union(s for s, held in preferred.items() if c in held) for c in chunk}
            facts = load_talents(self.conn, chunk, known)
            for cid in chunk:
                talent = facts.get(cid)
                if talent is None:
                    continue
                value = quick_score(job, talent, self.dismissals)
                self.scored += 1
                if value is None:
                    continue
                entry = (value, _Desc(cid), talent)
                if len(top) < limit:
                    heapq.heappush(top, entry)
                elif entry[:2] > top[0][:2]:
                    heapq.heapreplace(top, entry)


def best_talents(
    conn: Any, job: Job, dismissals: Sequence[Dismissal], limit: int
) -> tuple[list[Match], int, int]:
    """(the best ``limit`` matches, talents scored, candidates read) for ``job``. Candidates are ranked by
    :func:`quick_score`; only the best get their explanation built."""
    if not job.required:
        ids = _no_required_candidates(conn, job)
        facts = load_talents(conn, ids)
        matches = [score(job, facts[c], dismissals) for c in ids if c in facts]
        return rank(matches, limit), len(matches), len(ids)
    search = _Search(conn, job, dismissals, limit)
    top = search.run()
    # the list's explanations, from the full facts (every skill of each talent)
    full = load_talents(conn, [t.contact_id for _, _, t in top])
    matches = [score(job, full.get(t.contact_id, t), dismissals) for _, _, t in top]
    return sorted(matches, key=lambda m: m.order), search.scored, search.read


class _Desc(str):
    """An id that compares reversed, so that the heap's smallest is the worst (lower score, then later id)."""

    __slots__ = ()

    def __lt__(self, other: str) -> bool:
        return str.__gt__(self, other)

    def __gt__(self, other: str) -> bool:
        return str.__lt__(self, other)


def all_talent_ids(conn: Any) -> Iterable[list[str]]:
    """Every contact with a skill or a profile, in pages (what a full scan reads)."""
    last = ""
    while True:
        page = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT contact_id FROM (SELECT contact_id FROM talent_skills WHERE deleted = 0 "
                "AND contact_id > ? UNION SELECT contact_id FROM talent_profiles WHERE deleted = 0 "
                "AND contact_id > ?) ORDER BY contact_id LIMIT ?",
                (last, last, 5000),
            )
        ]
        if not page:
            return
        yield page
        last = page[-1]


def naive_best_talents(
    conn: Any, job: Job, dismissals: Sequence[Dismissal], limit: int
) -> tuple[list[Match], int]:
    """The same answer by scoring every talent (the baseline for tests and benchmarks)."""
    best: list[Match] = []
    scored = 0
    for page in all_talent_ids(conn):
        facts = load_talents(conn, page)
        matches = [score(job, t, dismissals) for t in facts.values()]
        scored += len(matches)
        best = rank([*best, *matches], limit)
    return best, scored


def _proposals(store: Any, job: Job, matches: Sequence[Match], pinned: set[str]) -> list[Proposal]:
    conn = store.conn
    stages = dict(
        conn.execute(
            "SELECT contact_id, stage FROM introductions WHERE deleted = 0 AND demand_id = ?", (job.id,)
        ).fetchall()
    )
    unshared = set(
        missing(store, [m.talent.contact_id for m in matches], NEEDED_FOR_SHARING.value, job.org_id)
    )
    out = [
        Proposal(
            m,
            pinned=m.talent.contact_id in pinned,
            consent=m.talent.contact_id not in unshared,
            introduced=stages.get(m.talent.contact_id),
        )
        for m in matches
    ]
    out.sort(key=lambda p: (not p.pinned, p.match.order))
    return out


def match_demand(store: Any, demand_id: str, limit: int = 50, *, naive: bool = False) -> DemandMatches:
    """A demand's best talents, pinned ones first, each with its explanation, consent and introduction."""
    conn = store.conn
    job = load_job(store, demand_id)
    learned, pinned_pairs = dismissals_for(conn, [demand_id])
    dismissals = learned.get(demand_id, [])
    if naive:
        matches, scored = naive_best_talents(conn, job, dismissals, limit)
        candidates = scored
    else:
        matches, scored, candidates = best_talents(conn, job, dismissals, limit)
    pinned = {c for d, c in pinned_pairs if d == demand_id}
    shown = {m.talent.contact_id for m in matches}
    missing = sorted(pinned - shown)
    if missing:  # pinned talents stay in view even when they fall out of the best
        facts = load_talents(conn, missing)
        matches = [*matches, *(score(job, facts[c], dismissals) for c in missing if c in facts)]
    notes = dict(
        conn.execute(
            "SELECT contact_id, note FROM match_marks WHERE demand_id = ? AND mark = 'dismissed' "
            "AND deleted = 0 AND note IS NOT NULL AND note != ''",
            (demand_id,),
        ).fetchall()
    )
    dismissed_rows = [
        {
            "contact_id": d.talent.contact_id,
            "name": d.talent.name,
            "reason": d.reason,
            "note": notes.get(d.talent.contact_id),
        }
        for d in dismissals
    ]
    return DemandMatches(
        job,
        _proposals(store, job, matches, pinned),
        skill_names(conn),
        scored=scored,
        candidates=candidates,
        dismissed=dismissed_rows,
    )


# ---------------------------------------------------------------------------- a talent's demands


def _open_jobs(conn: Any, talent: Talent | None = None) -> list[Job]:
    """Open demands; given a talent, only those asking for one of its skills (or, without required
    skills, for a preferred skill of it or its industry chain)."""
    if talent is None:
        sql = f"SELECT {_DEMAND_COLS} FROM demands WHERE deleted = 0 AND status = 'open'"
        return [_job(r) for r in conn.execute(sql)]
    skills = sorted(talent.skills)
    chains = sorted(talent.chains)
    clauses = []
    params: list[Any] = []
    if skills:
        clauses.append(
            f"EXISTS (SELECT 1 FROM json_each(d.required_skills) j WHERE j.value IN ({_marks(len(skills))}))"
        )
        params += skills
        clauses.append(
            f"(d.required_skills = '[]' AND EXISTS (SELECT 1 FROM json_each(d.preferred_skills) j "
            f"WHERE j.value IN ({_marks(len(skills))})))"
        )
        params += skills
    if chains:
        clauses.append(f"(d.required_skills = '[]' AND d.industry_chain IN ({_marks(len(chains))}))")
        params += chains
    if not clauses:
        return []
    cols = ", ".join(f"d.{c.strip()}" for c in _DEMAND_COLS.split(","))
    sql = (
        f"SELECT {cols} FROM demands d WHERE d.deleted = 0 AND d.status = 'open' AND ({' OR '.join(clauses)})"
    )
    return [_job(r) for r in conn.execute(sql, params)]


def _rank_jobs(
    conn: Any,
    talent: Talent,
    jobs: Sequence[Job],
    limit: int,
    *,
    full: bool = False,
    learned: dict[str, list[Dismissal]] | None = None,
) -> list[Match]:
    """The best ``limit`` demands for ``talent``, compared by score, then by id. ``full``: build every
    match's explanation (what the full scan does) instead of only the best ones'."""
    if full:
        learned, _ = dismissals_for(conn, [j.id for j in jobs])
        matches = [score(j, talent, learned.get(j.id, ())) for j in jobs]
        return sorted((m for m in matches if m.eligible), key=lambda m: (-m.score, m.job.id))[:limit]
    # Each demand's best possible score from the skills it asks for and the talent holds; demands are
    # scored best bound first (their dismissals read only then) until none left could enter the list.
    bounded = []
    for job in jobs:
        r = sum(1 for x in job.required if x in talent.skills)
        p = sum(1 for x in job.preferred if x in talent.skills)
        bounded.append((_bound(job, r, p) if job.required else 100.0, job))
    bounded.sort(key=lambda pair: (-pair[0], pair[1].id))
    top: list[tuple[float, str, Job]] = []  # heap: (score, reversed id, job)
    known = learned is not None
    learned = dict(learned or {})
    i = 0
    while i < len(bounded):
        bound, first = bounded[i]
        if len(top) >= limit and (top[0][0], top[0][1]) > (bound, _Desc(first.id)):
            break
        chunk = [job for _, job in bounded[i : i + 32]]
        i += 32
        if not known:
            learned.update(dismissals_for(conn, [j.id for j in chunk])[0])
        for job in chunk:
            value = quick_score(job, talent, learned.get(job.id, ()))
            if value is None:
                continue
            entry = (value, _Desc(job.id), job)
            if len(top) < limit:
                heapq.heappush(top, entry)
            elif entry[:2] > top[0][:2]:
                heapq.heapreplace(top, entry)
    matches = [score(job, talent, learned.get(job.id, ())) for _, _, job in top]
    return sorted(matches, key=lambda m: (-m.score, m.job.id))


class OpenDemands:
    """The open demands of one connection, parsed once and indexed by skill and industry chain, with the
    talents dismissed for each: a talent's demands are then found without reading or parsing any. Reread
    when the store changed (this connection's own writes, or another's commit)."""

    _held: dict[int, OpenDemands] = {}

    def __init__(self, conn: Any, key: tuple[str, int, int]) -> None:
        self.key = key
        self.jobs = _open_jobs(conn)
        self.by_skill: dict[str, list[Job]] = {}
        self.by_chain: dict[str, list[Job]] = {}
        for job in self.jobs:
            for skill in job.required or job.preferred:
                self.by_skill.setdefault(skill, []).append(job)
            if not job.required and job.chain:
                self.by_chain.setdefault(job.chain, []).append(job)
        self.dismissals, _ = dismissals_for(conn, [j.id for j in self.jobs])

    @classmethod
    def of(cls, conn: Any) -> OpenDemands:
        path = conn.execute("PRAGMA database_list").fetchone()[2]
        key = (path, conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0])
        held = cls._held.get(id(conn))
        if held is None or held.key != key:
            held = cls._held[id(conn)] = cls(conn, key)
        return held

    def asking(self, talent: Talent) -> list[Job]:
        """The open demands asking for one of the talent's skills (or, without required skills, for a
        preferred one or the talent's industry chain)."""
        found: dict[str, Job] = {}
        for skill in talent.skills:
            for job in self.by_skill.get(skill, ()):
                found[job.id] = job
        for chain in talent.chains:
            for job in self.by_chain.get(chain, ()):
                found[job.id] = job
        return list(found.values())


def match_talent(store: Any, contact_id: str, limit: int = 20, *, naive: bool = False) -> TalentMatches:
    """A talent's best open demands, each with its explanation and whether the talent may be shared with
    that employer."""
    conn = store.conn
    talent = load_talent(store, contact_id)
    if naive:
        jobs = _open_jobs(conn)
        matches = _rank_jobs(conn, talent, jobs, limit, full=True)
    else:
        held = OpenDemands.of(conn)
        jobs = held.asking(talent)
        matches = _rank_jobs(conn, talent, jobs, limit, learned=held.dismissals)
    pinned = {(d, c) for d, c, mark, _ in _marks_of(conn, [m.job.id for m in matches]) if mark == "pinned"}
    stages = dict(
        conn.execute(
            "SELECT demand_id, stage FROM introductions WHERE deleted = 0 AND contact_id = ?", (contact_id,)
        ).fetchall()
    )
    proposals = [
        Proposal(
            m,
            pinned=(m.job.id, contact_id) in pinned,
            consent=has_consent(store, contact_id, NEEDED_FOR_SHARING.value, m.job.org_id),
            introduced=stages.get(m.job.id),
        )
        for m in matches
    ]
    titles = demand_titles(conn, [m.job.id for m in matches])
    return TalentMatches(talent, proposals, skill_names(conn), titles, scored=len(jobs))


def demand_titles(conn: Any, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    return {
        did: {"title": title, "org": zh or en or "", "status": status, "deadline": deadline, "org_id": org}
        for did, title, status, deadline, org, zh, en in conn.execute(
            "SELECT d.id, d.title, d.status, d.deadline, d.org_id, o.name_zh, o.name_en FROM demands d "
            f"LEFT JOIN organizations o ON o.id = d.org_id WHERE d.id IN ({_marks(len(ids))})",
            list(ids),
        )
    }
