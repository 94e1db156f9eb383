"""The laptop's sync client: push the outbox, then pull the feed, over httpx.

No UI here: the CLI shows a progress bar through the ``progress`` callback, and the TUI calls
:func:`sync_once` from a thread worker and reads :func:`~.status.read_status` for its badge. Failures raise
:class:`SyncError` with a bilingual message; the outbox is never touched by a failed exchange (changes are
marked pushed only in the transaction that records the server's answer).
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import re
import ssl
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
from pydantic import ValidationError

from .. import __version__
from ..domain.i18n import get_lang, normalize_lang, register, t
from ..domain.sync_protocol import (
    HEADER_DEVICE,
    HEADER_PROTOCOL,
    HEADER_SCHEMA,
    HEADER_STARTER,
    HEADER_STARTER_KEY,
    HEADER_VERSION,
    PROTOCOL,
    PULL_PAGE,
    PUSH_BATCH,
    PushResult,
    Session,
    StarterInfo,
    schema_fingerprint,
)
from ..domain.times import iso, parse_iso, utcnow
from ..store import conflicts, fill_indexes, identity, inbox, outbox
from ..store.inbox import FILL_KEY, VERIFIED_KEY, VERIFY_DUE_KEY
from ..store.store import Store
from .errors import SyncError
from .status import record_outcome

register(
    {
        "sync.summary": (
            "Sent {pushed}, received {pulled}; {conflicts} conflicts open, {refused} refused by the "
            "server ({seconds:.1f} s).",
            "已发送 {pushed} 条，已接收 {pulled} 条；{conflicts} 处冲突待处理，{refused} 条被服务器拒绝"
            "（{seconds:.1f} 秒）。",
        ),
        "sync.clock_warning": (
            "This computer's clock is off by about {amount} compared with the station server; "
            "Liaison now corrects for it. Please set the clock right.",
            "本机时钟与工作站服务器相差约 {amount}；Liaison 已自动校正。请调整系统时间。",
        ),
        "sync.phase.push": ("Sending", "发送"),
        "sync.started_from": (
            "Started from the station's ready store: {entered} records, search included.",
            "从工作站的现成数据库起步：{entered} 条记录，已含搜索索引。",
        ),
        "sync.kit_moved": (
            "{entered} records taken in whole, {left} left this laptop's trip kit.",
            "整体接收 {entered} 条记录，{left} 条已移出本机出访数据包。",
        ),
        "sync.verified": (
            "Checked against the server: {repaired} records brought back in line.",
            "已与服务器核对：{repaired} 条记录已恢复一致。",
        ),
        "sync.held_here": (
            "{count} records exist only on this laptop so far.",
            "{count} 条记录目前仅存在于本机。",
        ),
        "sync.phase.pull": ("Receiving", "接收"),
    }
)

# (phase, done, total or None)
Progress = Callable[[str, int, int | None], None]
_TRANSIENT = (
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.PoolTimeout,
)
_AUTH_CODES = frozenset(
    {
        "token_missing",
        "token_invalid",
        "token_revoked",
        "token_expired",
        "token_other_device",
        "device_taken",
        "device_invalid",
        "staff_inactive",
    }
)
_LOCKS: weakref.WeakKeyDictionary[Store, threading.Lock] = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


@dataclass
class SyncReport:
    pushed: int = 0
    refused: int = 0
    pulled: int = 0
    conflicts_raised: int = 0
    conflicts_open: int = 0
    rejected_total: int = 0
    skew_ms: int = 0
    replayed: int = 0
    seconds: float = 0.0
    index_seconds: float = 0.0  # the one search-index rebuild after filling an empty laptop
    started_from: bool = False  # this empty laptop took the server's starter store
    entered: int = 0  # records that came into a trip kit's scope (or filled a new laptop)
    left: int = 0  # records that left the kit's scope and were removed here
    verified: bool = False  # a digest check ran
    repaired: int = 0  # records it found different and brought back in line
    held_here: int = 0  # records only this laptop has (not sent yet, or lost by a restored server)

    def note_skew(self, skew_ms: int) -> None:
        # the first measurement corrects the clock; later ones find it right: report the largest
        if abs(skew_ms) > abs(self.skew_ms):
            self.skew_ms = skew_ms

    @property
    def clock_warning(self) -> bool:
        return abs(self.skew_ms) > inbox.SKEW_TOLERANCE_MS

    def summary(self, lang: str | None = None) -> str:
        return t(
            "sync.summary",
            lang,
            pushed=self.pushed,
            pulled=self.pulled,
            conflicts=self.conflicts_open,
            refused=self.refused,
            seconds=self.seconds,
        )

    def details(self, lang: str | None = None) -> str:
        """What else happened: a trip kit's records coming and going, a digest check and its repairs."""
        parts = []
        if self.started_from:
            parts.append(t("sync.started_from", lang, entered=self.entered))
        elif self.entered or self.left:
            parts.append(t("sync.kit_moved", lang, entered=self.entered, left=self.left))
        if self.verified:
            parts.append(t("sync.verified", lang, repaired=self.repaired))
        if self.held_here:
            parts.append(t("sync.held_here", lang, count=self.held_here))
        return " ".join(parts)

    def warning(self, lang: str | None = None) -> str | None:
        if not self.clock_warning:
            return None
        return t("sync.clock_warning", lang, amount=_duration(abs(self.skew_ms), lang))


def _duration(ms: int, lang: str | None) -> str:
    zh = normalize_lang(lang or get_lang()) == "zh"
    minutes = ms / 60_000
    for size, en, cn in (
        (525_600, "years", "年"),
        (1440, "days", "天"),
        (60, "hours", "小时"),
        (1, "minutes", "分钟"),
    ):
        if minutes >= size:
            value = minutes / size
            return f"{value:.0f} {cn}" if zh else f"{value:.0f} {en}"
    return f"{ms / 1000:.0f} s"


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle costs ~90 ms: once per process, not once per sync round.
    return ssl.create_default_context()


def _lock_for(store: Store) -> threading.Lock:
    with _LOCKS_GUARD:
        lock = _LOCKS.get(store)
        if lock is None:
            lock = _LOCKS[store] = threading.Lock()
        return lock


def check_url(url: str, *, allow_insecure_http: bool = False) -> None:
    """Refuse to send a token over plain HTTP to anything but this machine, unless the configuration
    explicitly allows it (a station network behind its own encryption, say)."""
    parsed = urlsplit(url)
    if parsed.scheme == "https":
        return
    if parsed.scheme != "http" or not parsed.hostname:
        raise SyncError("sync.err.bad_url", url=url)
    if allow_insecure_http or is_loopback(parsed.hostname):
        return
    raise SyncError("sync.err.insecure_url", url=url)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _certificate_problem(exc: BaseException) -> bool:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, ssl.SSLCertVerificationError | ssl.SSLError):
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


class SyncClient:
    def __init__(
        self,
        store: Store,
        url: str,
        token: str | None,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        push_batch: int = PUSH_BATCH,
        pull_page: int = PULL_PAGE,
        retries: int = 2,
        allow_insecure_http: bool = False,
        verify_every_hours: float = 24.0,
        tls_verify: ssl.SSLContext | str | bool | None = None,
    ) -> None:
        if not url:
            raise SyncError("sync.err.not_configured")
        if not token:
            raise SyncError("sync.err.token_missing")
        if store.get_meta("demo_data") == "1":  # set by `liaison demo`: invented people stay on this laptop
            raise SyncError("sync.err.demo_store")
        check_url(url, allow_insecure_http=allow_insecure_http)
        self.store = store
        self.url = url.rstrip("/")
        self.push_batch = push_batch
        self.pull_page = pull_page
        self.retries = retries
        self.verify_every_hours = verify_every_hours
        self.session_seen: Session | None = None
        headers = {
            "Authorization": f"Bearer {token}",
            HEADER_PROTOCOL: str(PROTOCOL),
            HEADER_SCHEMA: schema_fingerprint(),
            HEADER_DEVICE: store.device_id,
            HEADER_VERSION: __version__,
            "Content-Type": "application/json",
        }
        if tls_verify is None:  # the system's trusted authorities
            tls_verify = _tls_context() if self.url.startswith("https:") else False
        self.http = httpx.Client(
            base_url=self.url, headers=headers, timeout=timeout, transport=transport, verify=tls_verify
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------------------------- transport
    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One exchange, retried a few times on a broken connection: a push is idempotent and a pull
        page is only committed with its cursor, so repeating either is safe."""
        for attempt in range(self.retries + 1):
            try:
                response = self.http.request(method, path, **kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if _certificate_problem(exc):
                    # Not an outage: someone may be in the middle. Never retried, never called "offline".
                    raise SyncError("sync.err.certificate", url=self.url) from exc
                if attempt < self.retries:
                    time.sleep(0.2 * 2**attempt)
                    continue
                raise SyncError("sync.err.offline", url=self.url) from exc
            except _TRANSIENT as exc:
                if attempt < self.retries:
                    time.sleep(0.2 * 2**attempt)
                    continue
                raise SyncError("sync.err.interrupted") from exc
            except httpx.HTTPError as exc:
                if _certificate_problem(exc):
                    raise SyncError("sync.err.certificate", url=self.url) from exc
                raise SyncError("sync.err.offline", url=self.url) from exc
            if response.status_code < 400:
                return response
            if response.status_code >= 500 and attempt < self.retries:
                time.sleep(0.2 * 2**attempt)
                continue
            raise self._failure(response)
        raise SyncError("sync.err.interrupted")  # pragma: no cover - the loop always returns or raises

    def _failure(self, response: httpx.Response) -> SyncError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        code = body.get("error", "") if isinstance(body, dict) else ""
        detail = body.get("detail", {}) if isinstance(body, dict) else {}
        detail = detail if isinstance(detail, dict) else {}
        if response.status_code == 426 or code == "upgrade_required":
            return SyncError(
                "sync.err.upgrade",
                server_version=detail.get("server_version", "?"),
                client_version=__version__,
            )
        if code in ("numbers_reused", "server_behind"):
            return SyncError(f"sync.err.{code}", last_seq=int(detail.get("last_seq", 0)))
        if code == "feed_rewound":
            return SyncError("sync.err.feed_rewound", top=int(detail.get("top", 0)))
        if code == "too_many_attempts":
            return SyncError("sync.err.too_many_attempts", seconds=int(detail.get("retry_after", 60)))
        if code == "wipe":
            return SyncError("sync.err.wipe_pending")
        if response.status_code in (400, 401, 403, 409) and code in _AUTH_CODES:
            return SyncError(f"sync.err.{code}")
        return SyncError("sync.err.server", status=response.status_code)

    # ----------------------------------------------------------------------------------- exchanges
    def health(self) -> dict[str, Any]:
        return dict(self._request("GET", "/health").json())

    def session(self) -> Session:
        """Who the server says this laptop is; remembered for the terminal app and this store's author."""
        return self._learn(Session.model_validate(orjson.loads(self._request("GET", "/v1/session").content)))

    def _learn(self, session: Session) -> Session:
        identity.remember(self.store, session)
        self.session_seen = session
        return session

    def reconcile(self, session: Session) -> bool:
        """Compare what the server holds of this laptop's changes with what the laptop holds.

        Server ahead (its number is higher than the last one this laptop holds as acknowledged, and no
        waiting change of ours carries those numbers): this store went back in time, restored from a
        backup; those own changes are a gap the next pull fills (True: a gap was just found). Server behind:
        it was restored from an older backup; our later acknowledged changes are sent again."""
        held = outbox.pushed_through(self.store)
        if session.last_seq > held and not outbox.pending_within(self.store, held + 1, session.last_seq):
            known = outbox.gaps(self.store)
            if any(a <= held + 1 and session.last_seq <= b for a, b in known):
                return False
            with self.store.transaction():
                outbox.add_gap(self.store, held + 1, session.last_seq)
                self.store.set_meta(VERIFY_DUE_KEY, "1")
            return True
        if session.last_seq < held:
            outbox.requeue_after(self.store, session.last_seq)
            self.store.set_meta(VERIFY_DUE_KEY, "1")
        return False

    def push(self, report: SyncReport, progress: Progress | None = None) -> None:
        total = outbox.pending_count(self.store)
        done = 0
        floor: str | None = None
        renumbered = requeued = False
        while True:
            batch = outbox.pending_batch(self.store, self.push_batch)
            if not batch:
                break
            through = outbox.pushed_through(self.store)
            body = orjson.dumps({"changes": batch, "pushed_through": through})
            try:
                response = self._request("POST", "/v1/push", content=body)
            except SyncError as exc:
                if exc.key == "sync.err.numbers_reused" and not renumbered:
                    # This store is older than what the server saw from it (restored from a backup):
                    # number the waiting changes after the server's last one and send them again.
                    outbox.renumber_pending(self.store, after=int(exc.params["last_seq"]))
                    renumbered = True
                    continue
                if exc.key == "sync.err.server_behind" and not requeued:
                    outbox.requeue_after(self.store, int(exc.params["last_seq"]))
                    requeued = True
                    continue
                raise
            result = PushResult.model_validate(orjson.loads(response.content))
            report.refused += outbox.take_result(self.store, result, batch)
            report.conflicts_raised += result.conflicts
            report.replayed += int(result.replayed)
            if result.clamped:
                floor = max([floor or "", *result.clamped.values()])
            report.note_skew(inbox.correct_clock(self.store, result.server_time_ms, floor))
            done += len(batch)
            report.pushed += len(batch)
            if progress:
                progress("push", done, max(total, done))
            if result.acked_through < int(batch[-1]["seq"]):
                raise SyncError("sync.err.interrupted")  # the server stopped short; try again later

    def fill(self, report: SyncReport, progress: Progress | None = None) -> None:
        """A whole-station laptop with nothing yet: take every record whole (resuming where an interrupted
        fill stopped), then pull the feed from where the first page was read."""
        state = orjson.loads(self.store.get_meta(FILL_KEY) or "null") or {
            "table": 0,
            "after": "",
            "top": None,
        }
        with self.store.transaction() as conn:
            fill_indexes.defer(conn)
        try:
            while True:
                params = {"table": state["table"], "after": state["after"], "limit": self.pull_page}
                page = orjson.loads(self._request("GET", "/v1/snapshot", params=params).content)
                if state["top"] is None:
                    state["top"], state["top_hlc"] = page["top"], page.get("top_hlc")
                taken, _ = inbox.take_puts(self.store, page["puts"], bulk=True)
                report.entered += taken
                report.pulled += taken
                if progress:
                    progress("pull", report.pulled, None)
                if page["next"] is None:
                    break
                state["table"], state["after"] = page["next"]
                self.store.set_meta(FILL_KEY, orjson.dumps(state).decode())
        except BaseException:  # the app goes on with this store: it gets its indexes back at once
            with self.store.transaction() as conn:
                fill_indexes.restore(conn)
            raise
        with self.store.transaction() as conn:
            fill_indexes.restore(conn)
            inbox.taken_whole(self.store, int(state["top"]), state.get("top_hlc"))

    def take_starter(self, report: SyncReport, progress: Progress | None = None) -> bool:
        """A blank whole-station laptop copies in the server's starter store: every record with its search
        index, ready (store/starter.py). False when there is none (a small station, an older server) or it
        cannot be used: the laptop then fills record by record."""
        from ..store import crypto, starter

        if self.store.path == ":memory:" or not starter.blank(self.store) or outbox.gaps(self.store):
            return False
        target = Path(f"{self.store.path}.starter")
        crypto.overwrite(target)
        try:
            with self.http.stream("GET", "/v1/starter") as response:
                if response.status_code in (404, 409):  # none ready, or not for this laptop
                    return False
                if response.status_code >= 400:
                    response.read()
                    raise self._failure(response)
                info = StarterInfo.model_validate_json(response.headers.get(HEADER_STARTER, ""))
                key = response.headers.get(HEADER_STARTER_KEY, "")
                if not re.fullmatch(r"([0-9a-f]{96})?", key):
                    return False
                digest, got = hashlib.sha256(), 0
                crypto.owner_only(target)
                with open(target, "wb") as out:
                    for chunk in response.iter_bytes(1 << 20):
                        got += len(chunk)
                        if got > info.size:
                            return False
                        digest.update(chunk)
                        out.write(chunk)
                        if progress:
                            progress("pull", info.records * got // max(info.size, 1), info.records)
            if got != info.size or digest.hexdigest() != info.sha256:
                return False
            taken = starter.adopt(self.store, target, key, info)
        except (starter.NotBlank, starter.Mismatch, ValidationError, httpx.HTTPError, OSError):
            # The ordinary fill follows; a network that is really gone fails there, with its own message.
            return False
        finally:
            crypto.overwrite(target)
        report.entered += taken
        report.pulled += taken
        report.started_from = True
        return True

    def sync_scope(self, report: SyncReport, progress: Progress | None = None, *, bulk: bool = False) -> None:
        """A trip-kit laptop: take in the records that entered its scope, let go of those that left."""
        start = orjson.loads(self._request("POST", "/v1/scope").content)
        if not start["changed"]:
            return
        position: list[Any] | None = [0, ""]
        while position is not None:
            params = {"table": position[0], "after": position[1], "limit": 2000}
            page = orjson.loads(self._request("GET", "/v1/scope/page", params=params).content)
            taken, left = inbox.take_puts(self.store, page["puts"], page["removes"], bulk=bulk)
            report.entered += taken
            report.left += left
            if progress:
                progress("pull", report.pulled + report.entered, None)
            position = page["next"]
        body = orjson.dumps({"token": start["token"]})
        self._request("POST", "/v1/scope/ack", content=body)

    def verify(self, report: SyncReport) -> None:
        """Compare digests with the server and bring differing records back in line (docs/SYNC.md)."""
        from ..store import digest

        reader = self.store.reader()
        try:
            mine = digest.digests(reader)
            answer = orjson.loads(
                self._request("POST", "/v1/digest", content=orjson.dumps({"digests": mine})).content
            )
            for table, bucket in answer["differ"]:
                hashes = digest.record_hashes(reader, table, bucket)
                body = orjson.dumps({"tbl": table, "bucket": bucket, "hashes": hashes})
                fix = orjson.loads(self._request("POST", "/v1/digest/bucket", content=body).content)
                taken, left = inbox.take_puts(self.store, fix["puts"], fix["removes"])
                report.repaired += taken + left
                report.held_here += int(fix["unknown"])
        finally:
            reader.close()
        report.verified = True
        with self.store.transaction():
            self.store.set_meta(VERIFIED_KEY, iso(utcnow()))
            self.store.set_meta(VERIFY_DUE_KEY, "")

    def verify_due(self, forced: bool | None) -> bool:
        if forced is not None:
            return forced
        if self.store.get_meta(VERIFY_DUE_KEY) == "1":
            return True
        last = self.store.get_meta(VERIFIED_KEY)
        if not last:
            return True
        return (utcnow() - parse_iso(last)).total_seconds() > self.verify_every_hours * 3600

    def pull(self, report: SyncReport, progress: Progress | None = None) -> None:
        bulk = inbox.bulk_pull(self.store)
        gaps = outbox.gaps(self.store)
        rewound = False
        first = True
        while True:
            params: dict[str, Any] = {"after": inbox.cursor(self.store), "limit": self.pull_page}
            if first:
                params["first"] = "true"
            stamp = inbox.cursor_hlc(self.store)
            if stamp:
                params["after_hlc"] = stamp
            if gaps:
                params["gaps"] = ",".join(f"{a}-{b}" for a, b in gaps)
            try:
                response = self._request("GET", "/v1/pull", params=params)
            except SyncError as exc:
                if exc.key != "sync.err.feed_rewound" or rewound:
                    raise
                self._rewind()
                rewound = True
                continue
            page = orjson.loads(response.content)
            if first and "session" in page:
                first = False
                session = self._learn(Session.model_validate(page["session"]))
                if self.reconcile(session):  # our own changes we lack: ask this page again with the gap
                    gaps = outbox.gaps(self.store)
                    continue
            first = False
            report.pulled += inbox.take_page(self.store, page, bulk=bulk)
            report.note_skew(inbox.correct_clock(self.store, int(page["server_time_ms"])))
            if progress:
                progress("pull", report.pulled, None)
            if not page["more"]:
                break
        if gaps:
            with self.store.transaction():
                outbox.clear_gaps(self.store)  # every change of ours the server held after the gap is here
        started = time.perf_counter()
        inbox.finish_pull(self.store)
        report.index_seconds = time.perf_counter() - started

    def _rewind(self) -> None:
        """The server no longer has the feed our cursor points into (restored from an older backup): find
        the newest point we both hold and pull again from there; then check everything."""
        body = orjson.dumps({"checkpoints": inbox.checkpoints(self.store)})
        answer = orjson.loads(self._request("POST", "/v1/rewind", content=body).content)
        inbox.rewind_to(self.store, int(answer["seq"]))
        self.store.set_meta(VERIFY_DUE_KEY, "1")

    def finish_wipe(self, report: SyncReport, progress: Progress | None) -> None:
        """The station asked for this laptop's store to be erased: send what is still waiting, erase, and
        tell the server it is done."""
        self.push(report, progress)
        from ..store.wipe import wipe

        wipe(self.store, "sync.wiped.reason")
        self._request("POST", "/v1/wiped")

    def sync(self, progress: Progress | None = None, *, verify: bool | None = None) -> SyncReport:
        """Session, push, pull (filling a new laptop, taking a trip kit's scope in), then a digest check
        when one is due (``verify``: force it on or off). Records the outcome for the status badge."""
        lock = _lock_for(self.store)
        if not lock.acquire(blocking=False):
            raise SyncError("sync.err.busy")
        started = time.perf_counter()
        report = SyncReport()
        try:
            fresh = inbox.cursor(self.store) == 0 or bool(self.store.get_meta(FILL_KEY))
            me = identity.current(self.store)
            kit = me.kit
            if fresh or me.username is None:
                # A new laptop asks first: whether it fills whole (station) or through its kit's scope.
                session = self.session()
                if session.wipe:
                    self.finish_wipe(report, progress)
                    raise SyncError("sync.err.wiped")
                self.reconcile(session)
                kit = session.kit
            self.push(report, progress)
            if fresh and kit is None and not self.take_starter(report, progress):
                self.fill(report, progress)
            try:
                self.pull(report, progress)
            except SyncError as exc:
                if exc.key != "sync.err.wipe_pending":
                    raise
                self.finish_wipe(report, progress)
                raise SyncError("sync.err.wiped") from None
            if outbox.pending_count(self.store):  # a restored server lacked some of ours: send them now
                self.push(report, progress)
            kit = self.session_seen.kit if self.session_seen is not None else kit
            if kit is not None:
                self.sync_scope(report, progress, bulk=fresh)
                inbox.finish_pull(self.store)
                if fresh:  # just taken whole from the server
                    self.store.set_meta(VERIFIED_KEY, iso(utcnow()))
            if self.verify_due(verify) and outbox.pending_count(self.store) == 0:
                self.verify(report)
        except SyncError as exc:
            if exc.key != "sync.err.wiped":
                record_outcome(self.store, ok_at=None, error=exc.key, params=exc.params)
            raise
        finally:
            lock.release()
        report.seconds = time.perf_counter() - started
        report.conflicts_open = conflicts.count_open(self.store)
        report.rejected_total = outbox.rejected_count(self.store)
        record_outcome(self.store, ok_at=iso(utcnow()), skew_ms=report.skew_ms)
        return report


def sync_once(
    store: Store,
    url: str | None,
    token: str | None,
    *,
    progress: Progress | None = None,
    verify: bool | None = None,
    **options: Any,
) -> SyncReport:
    """One full sync round (what ``liaison sync`` and the TUI's background worker call)."""
    if not url:
        raise SyncError("sync.err.not_configured")
    with SyncClient(store, url, token, **options) as client:
        return client.sync(progress, verify=verify)
