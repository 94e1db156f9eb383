"""A report's chart: textual-plotext draws the bars; this widget adds a selected bar (←/→, Enter opens the
records behind it) and Chinese labels.

Plotext lays text out one cell per character, so a Chinese label (two cells a character) would push the
axis and the bars out of line. Each label is therefore drawn as a placeholder of the label's width in
cells, one cell per character, and swapped for the label in plotext's output: the layout is plotext's, the
text is ours. The selected bar's label is shown in reverse video.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual_plotext import PlotextPlot

from ..keymap import key

_FILL = "¤"
_FIRST = 0x100  # Latin Extended-A: one cell wide, and never in a chart's numbers or frame
_COLORS = ("blue", "orange", "green", "red", "magenta", "cyan")


@dataclass
class ChartData:
    kind: str  # bars | hbars | grouped | stacked | lines
    labels: list[str]
    series: list[tuple[str, list[float]]] = field(default_factory=list)
    selected: int = 0


def _clip(text: str, width: int) -> str:
    out, used = "", 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width:
            break
        out, used = out + ch, used + w
    return out + " " * (width - used)


def _ticks(top: float, count: int = 4) -> list[int]:
    """Whole-number axis ticks from 0 to at least ``top`` (counts are whole)."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, int(top) + step + 1, step))[: count + 2]


class ReportChart(PlotextPlot, can_focus=True):
    BINDINGS: ClassVar[list[Binding]] = [
        key("left,h,up,k", "move(-1)", "chart.previous", show=False),
        key("right,l,down,j", "move(1)", "chart.next", show=False),
        key("enter", "open", "chart.open"),
    ]
    DEFAULT_CSS = """
    ReportChart { height: 1fr; min-height: 6; }
    ReportChart:focus { background-tint: $foreground 4%; }
    """

    selected: reactive[int] = reactive(0, init=False)

    class BarChosen(Message):
        """Enter on a bar: open the records behind it."""

        def __init__(self, chart: ReportChart, index: int) -> None:
            super().__init__()
            self.chart = chart
            self.index = index

    class BarMoved(Message):
        def __init__(self, chart: ReportChart, index: int) -> None:
            super().__init__()
            self.chart = chart
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: ChartData | None = None
        self.shown = 0  # bars drawn at the last build (those that fit)
        self._raw: str | None = None  # plotext's output with placeholders, for the current data and size
        self._key: tuple[Any, ...] | None = None

    def show(self, data: ChartData | None) -> None:
        self.data = data
        if data is not None:
            self.set_reactive(ReportChart.selected, min(data.selected, max(len(data.labels) - 1, 0)))
        self._rebuild()

    def on_resize(self) -> None:
        self._rebuild()

    def watch_selected(self, value: int) -> None:
        self.refresh()  # only the labels change: no new plot

    def action_move(self, step: int) -> None:
        if self.data and self.data.labels:
            last = min(len(self.data.labels), self.shown or len(self.data.labels)) - 1
            self.selected = max(0, min(self.selected + step, last))
            self.post_message(self.BarMoved(self, self.selected))

    def action_open(self) -> None:
        if self.data and self.data.labels:
            self.post_message(self.BarChosen(self, self.selected))

    # Plotext lays a chart out in Python (50-100 ms for a big one on a busy laptop): in a thread worker,
    # so that the event loop never waits for it; render() only puts the labels in.
    def _rebuild(self) -> None:
        data, (width, height) = self.data, self.size
        if data is None or not data.labels or not data.series or not width or not height:
            self._raw, self._key = None, None
            self.refresh()
            return
        theme = self._get_plotext_theme_name(self.app.theme)
        key = (id(data), width, height, theme)
        if key == self._key and self._raw is not None:
            return
        self._key = key

        def work() -> None:
            raw, shown = _build(data, width, height, theme)
            self.app.call_from_thread(self._built, key, raw, shown)

        self.run_worker(work, thread=True, group="chart", exclusive=True, exit_on_error=False)

    def _built(self, key: tuple[Any, ...], raw: str, shown: int) -> None:
        if key == self._key:
            self._raw, self.shown = raw, shown
            self.refresh()

    def render(self) -> Any:
        data, built = self.data, self._raw
        if data is None or built is None:
            return Text("")
        for i, text in enumerate(data.labels[: self.shown]):
            built = _swap(built, i, text, selected=(i == self.selected))
        for i, (name, _) in enumerate(data.series):
            built = _swap(built, len(data.labels) + i, name, selected=False)
        return Text.from_ansi(built)


def _build(data: ChartData, width: int, height: int, theme: str) -> tuple[str, int]:
    """Plotext's drawing of ``data`` with placeholder labels, and how many bars it holds."""
    from textual_plotext.plot import Plot

    if data.kind == "hbars":
        return _hbars(data, width, height)
    plt = Plot()
    plt.plotsize(width, height)
    plt._set_size(width, height)
    plt.theme(theme)
    # no more bars than the plot has lines (horizontal) or room for (vertical): plotext would draw two
    # bars into one line and a figure would vanish from the chart while the table shows it
    room = max((width - 8) // (2 + 2 * len(data.series)), 1)
    labels = data.labels[:room]
    tokens = [_token(i, label) for i, label in enumerate(labels)]
    names = [_token(len(data.labels) + i, name) for i, (name, _) in enumerate(data.series)]
    values = [list(v)[:room] for _, v in data.series]
    top = max((max(v, default=0) for v in values), default=0)
    ticks = _ticks(top)
    if data.kind == "lines":
        for (name, series), color in zip(zip(names, values, strict=True), _COLORS, strict=False):
            plt.plot(list(range(1, len(tokens) + 1)), series, label=name, color=color, marker="braille")
        plt.xticks(list(range(1, len(tokens) + 1)), tokens)
    elif len(values) == 1:
        plt.bar(tokens, values[0], width=0.6, color=_COLORS[0])
    elif data.kind == "stacked":
        plt.stacked_bar(tokens, values, labels=names, color=list(_COLORS[: len(values)]))
    else:
        plt.multiple_bar(tokens, values, labels=names, color=list(_COLORS[: len(values)]))
    if data.kind != "hbars":
        plt.yticks(ticks, [f"{v:,}" for v in ticks])
    plt.frame(False)
    return plt.build(), len(labels)


def _hbars(data: ChartData, width: int, height: int) -> tuple[str, int]:
    """Horizontal bars drawn here, one line each (plotext spreads n bars over the plot's lines by rounding,
    so with nearly as many bars as lines a label could sit beside its neighbour's bar): the label, a bar as
    long as its share of the largest figure, and the figure."""
    room = max(height, 1)
    labels = data.labels[:room]
    values = list(data.series[0][1])[:room]
    top = max(values, default=0) or 1
    label_width = min(max((cell_len(label) for label in labels), default=1), max(width // 3, 1))
    figures = [f"{v:,.0f}" for v in values]
    figure_width = max((len(f) for f in figures), default=1)
    bar_room = max(width - label_width - figure_width - 3, 1)
    lines = []
    for i, (label, value, figure) in enumerate(zip(labels, values, figures, strict=True)):
        token = _token(i, label)[:label_width]
        bar = "█" * round(bar_room * value / top) if value > 0 else ""
        if value > 0 and not bar:
            bar = "▏"  # a figure above zero is never drawn as nothing
        pad = " " * (label_width - len(token))
        lines.append(f"{pad}{token} \x1b[34m{bar}\x1b[39m {figure}")
    return "\n".join(lines), len(labels)


def _token(index: int, label: str) -> str:
    width = max(cell_len(label), 1)
    return chr(_FIRST + index) + _FILL * (width - 1)


def _swap(built: str, index: int, label: str, *, selected: bool) -> str:
    """Put ``label`` where plotext drew its placeholder (or the part of it plotext kept)."""
    pattern = re.compile(re.escape(chr(_FIRST + index)) + f"{_FILL}*")
    label = label or " "

    def replace(match: re.Match[str]) -> str:
        text = _clip(label, len(match.group(0)))
        return f"\x1b[7m{text}\x1b[27m" if selected else text

    return pattern.sub(replace, built)
