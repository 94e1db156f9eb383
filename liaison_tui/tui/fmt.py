"""Formatting for the screen: names, times relative to the app's clock, cell-width-aware fitting.

Widths are terminal cells (``rich.cells.cell_len``), not characters: a Chinese character takes two cells,
so padding by ``len()`` would misalign every column that mixes 张伟 and Zhang Wei.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from ..domain.i18n import get_lang, t
from ..domain.times import parse_iso
from ..store.pending import PENDING_CAP

WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


def fit(text: str, width: int) -> str:
    """``text`` cut with an ellipsis or padded with spaces to exactly ``width`` cells."""
    if cell_len(text) > width:
        return set_cell_size(text, max(width - 1, 0)) + "…"
    return set_cell_size(text, width)


def clip(text: str | None, width: int) -> str:
    """``text`` cut with an ellipsis to at most ``width`` cells (not padded)."""
    text = text or ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)).rstrip() + "…"


def person(native: str | None, latin: str | None) -> str:
    if native and latin:
        return f"{native} {latin}"
    return native or latin or "—"


def when(value: str | datetime | None) -> datetime | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, datetime) else parse_iso(value)


def stamp(value: str | datetime | None, tz: tzinfo, *, with_time: bool = True) -> str:
    """``2026-11-28 09:00`` in the display time zone."""
    moment = when(value)
    if moment is None:
        return "—"
    local = moment.astimezone(tz)
    return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def short_stamp(value: str | datetime | None, tz: tzinfo, now: datetime) -> str:
    """``14:30`` today, ``11-30 14:30`` this year, else the date."""
    moment = when(value)
    if moment is None:
        return "—"
    local, today = moment.astimezone(tz), now.astimezone(tz)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if local.year == today.year:
        return local.strftime("%m-%d %H:%M")
    return local.strftime("%Y-%m-%d")


def relative(value: str | datetime | None, now: datetime) -> str:
    """``3 d ago`` / ``in 2 h``, in the current language."""
    moment = when(value)
    if moment is None:
        return "—"
    seconds = (moment - now).total_seconds()
    future = seconds > 0
    minutes = int(abs(seconds) // 60)
    if minutes < 1:
        return t("time.now")
    if minutes < 60:
        n, unit = minutes, "m"
    elif minutes < 48 * 60:
        n, unit = minutes // 60, "h"
    else:
        n, unit = minutes // 1440, "d"
    return t(f"time.{'in' if future else 'ago'}_{unit}", n=n)


def weekday(moment: datetime) -> str:
    lang = get_lang()
    return WEEKDAYS["zh" if lang == "zh" else "en"][moment.weekday()]


def call_verdict(local: datetime) -> tuple[str, str]:
    """Whether ``local`` (the contact's own time) is a sensible hour to call: (catalog key, style)."""
    hour = local.hour + local.minute / 60
    if local.weekday() >= 5 and 9 <= hour < 20:
        return "contact.call.weekend", "warning"
    if 9 <= hour < 18:
        return "contact.call.good", "success"
    if 8 <= hour < 21:
        return "contact.call.edge", "warning"
    return "contact.call.bad", "error"


def highlight(text: str, span: tuple[int, int] | None, style: str = "bold reverse") -> Text:
    out = Text(text)
    if span and 0 <= span[0] < span[1] <= len(text):
        out.stylize(style, span[0], span[1])
    return out


def enum_label(enum: Any, value: str | None) -> str:
    if value is None:
        return "—"
    try:
        return enum(value).label()
    except ValueError:
        return value


def short_label(enum: Any, value: str | None) -> str:
    """The enum's short label (for narrow columns), or its label."""
    if value is None:
        return "—"
    try:
        return enum(value).short_label()
    except ValueError:
        return value


def _count(pending: int) -> str:
    return f"{PENDING_CAP:,}+" if pending > PENDING_CAP else f"{pending:,}"


def sync_text(state: Any, app: Any) -> tuple[str, str]:
    """The sync badge's text and its variant (success / warning / error / muted)."""
    from .sync_worker import error_label  # lazy: keeps the sync client (httpx) out of fmt's imports

    kit = _kit_label(app)
    if getattr(state, "demo", False):  # `liaison demo` data: never synced, whatever is configured
        return kit + f"● {t('sync.demo')}", "muted"
    if not getattr(state, "configured", True):  # no station server set up: the changes stay here
        return kit + f"● {t('sync.local_only')}", "muted"
    problem = error_label(getattr(state, "error", None))
    if state.syncing:
        head = f"⟳ {t('sync.syncing')}"
    elif problem:
        head = f"● {t(problem)}"
    else:
        head = f"● {t('sync.online') if state.online else t('sync.offline')}"
    parts = [head]
    if state.conflicts:
        parts.append(t("sync.conflicts", n=state.conflicts))
    rejected = getattr(state, "rejected", 0)
    if rejected:
        parts.append(t("sync.refused", n=rejected))
    if state.pending is not None:
        if state.pending:
            parts.append(t("sync.pending", n=_count(state.pending)))
        else:  # "all synced" only when the server was just reached: offline, others' changes may be waiting
            parts.append(t("sync.none_pending" if state.online else "sync.nothing_to_send"))
    if state.last_sync_at:
        parts.append(t("sync.last", when=short_stamp(state.last_sync_at, app.tz, app.now())))
    elif state.online:
        parts.append(t("sync.never"))
    variant = (
        "error"
        if state.conflicts or rejected or problem
        else "warning"
        if not state.online or state.pending
        else "success"
    )
    if _insecure(app):
        parts.append(t("sync.insecure"))
        variant = "warning" if variant == "success" else variant
    return kit + " · ".join(parts), variant


def _kit_label(app: Any) -> str:
    """A trip laptop's kit and its expiry, before the badge (empty for a whole-station laptop)."""
    kit = getattr(getattr(app, "identity", None), "kit", None)
    if not kit:
        return ""
    until = (kit.get("expires_at") or "")[:10]
    name = kit.get("name", "")
    return f"✈ {t('sync.kit', name=name, until=until) if until else name} · "


def _insecure(app: Any) -> bool:
    settings = getattr(app, "settings", None)
    url = getattr(settings, "server_url", None) or ""
    if not getattr(settings, "allow_insecure_http", False) or not url.startswith("http://"):
        return False
    host = url[7:].split("/", 1)[0].rsplit(":", 1)[0].strip("[]")
    return host not in ("localhost", "127.0.0.1", "::1") and not host.startswith("127.")


def column_stamps(values: Sequence[str | datetime | None], tz: tzinfo, now: datetime) -> list[str]:
    """One format for a whole column of times (a sorted column that mixes ``14:30``, ``11-30 14:30`` and
    ``2025-08-26`` reads as out of order): ``11-30 14:30`` when every time is in this year, else
    ``2025-11-30 14:30``."""
    moments = [when(v) for v in values]
    year = now.astimezone(tz).year
    this_year = all(m is None or m.astimezone(tz).year == year for m in moments)
    pattern = "%m-%d %H:%M" if this_year else "%Y-%m-%d %H:%M"
    return ["—" if m is None else m.astimezone(tz).strftime(pattern) for m in moments]


def stamp_width(stamps: Sequence[str]) -> int:
    """The cells a column of :func:`column_stamps` needs (11 or 16)."""
    return max((cell_len(s) for s in stamps), default=11)
