"""The reports chart's horizontal bars: every label beside its own bar and figure, longest for the largest,
however many bars there are for the lines available."""

from __future__ import annotations

import re

from rich.text import Text

from liaison_tui.tui.widgets.report_chart import ChartData, _build, _swap


def _lines(data: ChartData, width: int, height: int) -> list[str]:
    built, shown = _build(data, width, height, "textual-dark")
    for i, label in enumerate(data.labels[:shown]):
        built = _swap(built, i, label, selected=False)
    return Text.from_ansi(built).plain.splitlines()


def test_each_label_sits_beside_its_own_bar_and_figure() -> None:
    labels = ["Germany", "United States", "Japan", "France", "英国", "Canada", "Singapore"]
    values = [450.0, 450.0, 318.0, 120.0, 60.0, 3.0, 0.0]
    lines = _lines(ChartData("hbars", labels, [("talents", values)]), 60, 8)
    assert len(lines) == len(labels)
    bars = {}
    for label, value, line in zip(labels, values, lines, strict=True):
        assert label in line and line.rstrip().endswith(f"{value:,.0f}"), line
        bars[label] = len(re.findall("[█▏]", line))
    assert bars["Germany"] == bars["United States"] > bars["Japan"] > bars["France"] > bars["英国"]
    assert bars["Canada"] >= 1 and bars["Singapore"] == 0  # above zero is never nothing; zero is


def test_more_bars_than_lines_shows_the_first_ones_whole() -> None:
    labels = [f"Stage {i}" for i in range(12)]
    lines = _lines(ChartData("hbars", labels, [("people", [float(100 - i) for i in range(12)])]), 40, 5)
    assert [line.split()[1] for line in lines] == ["0", "1", "2", "3", "4"]
