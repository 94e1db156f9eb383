"""Periods in the station's time zone, as the UTC text the store keeps times in.

A report for 2025 is Qingdao's 2025: a case opened at 20:00 UTC on 31 December 2025 was opened on
1 January 2026 at the station, and counts there. Months are bucketed with a CASE over precomputed bounds
(exact for any zone, and cheap: one comparison chain per row, no date arithmetic in SQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ...domain.errors import LiaisonError
from ...domain.i18n import register
from ...domain.times import iso
from .model import Params

STATION_TZ = ZoneInfo("Asia/Shanghai")
MAX_MONTHS = 60

register(
    {
        "report.err.period": (
            "The period must start before it ends (from {start} to {end}).",
            "统计期间的开始日期必须早于结束日期（{start} 至 {end}）。",
        ),
        "report.err.long_period": (
            "A period can be at most {months} months long.",
            "统计期间最长为 {months} 个月。",
        ),
    }
)


@dataclass(frozen=True)
class Period:
    start: date  # first day
    end: date  # the day after the last

    @property
    def low(self) -> str:
        return utc_text(self.start)

    @property
    def high(self) -> str:
        return utc_text(self.end)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def months(self) -> list[tuple[str, str, str]]:
        """(YYYY-MM, low, high) for each calendar month the period touches, clipped to the period."""
        out = []
        first = self.start.replace(day=1)
        while first < self.end:
            nxt = (first + timedelta(days=32)).replace(day=1)
            low, high = max(first, self.start), min(nxt, self.end)
            out.append((f"{first:%Y-%m}", utc_text(low), utc_text(high)))
            first = nxt
        return out


def utc_text(day: date) -> str:
    """Midnight at the station on ``day``, as stored UTC text."""
    return iso(datetime.combine(day, time(0), tzinfo=STATION_TZ))


def station_today(now: datetime) -> date:
    return now.astimezone(STATION_TZ).date()


def period_of(params: Params, now: datetime, *, default_year: bool = True) -> Period | None:
    """The period asked for: --from/--to, else --year, else this year (or none: ``default_year`` False)."""
    if params.start or params.end:
        start = params.start or date(params.year or station_today(now).year, 1, 1)
        end = params.end or (station_today(now) + timedelta(days=1))
    elif params.year:
        start, end = date(params.year, 1, 1), date(params.year + 1, 1, 1)
    elif default_year:
        year = station_today(now).year
        start, end = date(year, 1, 1), date(year + 1, 1, 1)
    else:
        return None
    if end <= start:
        raise LiaisonError(
            "report.err.period", start=start.isoformat(), end=(end - timedelta(days=1)).isoformat()
        )
    period = Period(start, end)
    if len(period.months()) > MAX_MONTHS:
        raise LiaisonError("report.err.long_period", months=MAX_MONTHS)
    return period


def month_case(column: str, months: list[tuple[str, str, str]]) -> str:
    """A SQL expression giving the month ('YYYY-MM') ``column`` falls in (NULL outside them all). The bounds
    are written in: they are computed here, never typed by a user."""
    arms = " ".join(f"WHEN {column} < '{high}' THEN '{label}'" for label, _low, high in months)
    return f"(CASE WHEN {column} < '{months[0][1]}' THEN NULL {arms} END)" if months else "NULL"
