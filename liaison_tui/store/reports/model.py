"""What a report is, whatever shows it: sections of rows with typed columns, the chart drawn from one of them,
and for each row the records behind its figure (a :class:`Drill`). Values stay raw (enum codes, counts,
ratios); the terminal, the command line and the exports put them into words in the user's language.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

# text: shown as it is; enum:<Class>: a code labelled by that enum; int; pct: a ratio 0..1; days: a number
# of days; staff: a staff id named by the report's staff map; country: an ISO code; event: an event's name.
ColumnKind = str
ChartKind = Literal["bars", "hbars", "grouped", "stacked", "lines"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # catalog key
    kind: ColumnKind = "int"


@dataclass(frozen=True)
class Drill:
    """The records behind a figure: ``kind`` cases or contacts (or duplicates: the duplicate review),
    ``where`` the filter (see :mod:`.drill`), as plain JSON-able values so that a saved view can keep it."""

    kind: Literal["cases", "contacts", "duplicates"]
    where: dict[str, Any]


@dataclass
class Row:
    cells: dict[str, Any]
    drill: Drill | None = None
    total: bool = False  # a totals row (bold, left out of the chart)


@dataclass
class Section:
    key: str
    title: str  # catalog key
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    primary: str | None = None  # the column whose figure the row's drill lists
    on_screen: bool = True  # False: exports only (too wide for a terminal)
    note: str | None = None  # catalog key of a line shown under the title


@dataclass(frozen=True)
class Chart:
    kind: ChartKind
    section: str  # the section whose (non-total) rows are the bars
    label: str  # the column naming each bar
    series: tuple[str, ...]  # the columns plotted
    limit: int = 12  # at most this many bars (the first rows)


@dataclass(frozen=True)
class Params:
    """What the staff member asked for. ``start``/``end``: a half-open period of days in the station's time
    zone (``end`` excluded); ``year`` is a shorthand for them."""

    year: int | None = None
    start: date | None = None
    end: date | None = None
    owner: str | None = None  # staff id
    chain: str | None = None  # IndustryChain value

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in out.items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Params:
        def day(value: Any) -> date | None:
            return date.fromisoformat(value) if isinstance(value, str) and value else None

        return cls(
            year=int(data["year"]) if data.get("year") else None,
            start=day(data.get("start")),
            end=day(data.get("end")),
            owner=data.get("owner") or None,
            chain=data.get("chain") or None,
        )


@dataclass
class Report:
    name: str
    params: Params
    sections: list[Section]
    chart: Chart | None
    available: bool = True  # False: this store lacks the tables the report needs
    period: tuple[str, str] | None = None  # first and last day (ISO), when the report covers a period
    generated_at: datetime | None = None
    scope: dict[str, Any] = field(default_factory=dict)  # whole station / trip kit, role, team limits
    staff: dict[str, str] = field(default_factory=dict)  # staff id -> display name
    events: dict[str, str] = field(default_factory=dict)  # event id -> name
    seconds: float = 0.0

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)
