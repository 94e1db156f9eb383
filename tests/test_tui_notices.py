"""Chinese notifications are not blanked where a widget under them begins or ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.segment import Segment
from textual.strip import Strip

from liaison_tui.tui.testing import copy_store, make_app, settle
from liaison_tui.tui.widgets.notices import CutSafeToast, _clear_of

pytestmark = pytest.mark.anyio


def test_a_wide_character_across_a_cut_moves_past_it() -> None:
    strip = Strip([Segment(" 界面语言：中文   ")])
    shifted = _clear_of(strip, {4})  # 面 would take cells 3-4: a cut at 4 splits it
    assert shifted.text == " 界 面语言：中文  " and shifted.cell_length == strip.cell_length
    assert _clear_of(strip, {3}) is strip  # a cut between two characters changes nothing
    # a cut splits no part of every piece Textual makes of the line
    for piece in shifted.divide([4, shifted.cell_length]):
        assert "面" not in piece.text or piece.text.index("面") * 2 <= piece.cell_length


async def test_notifications_use_the_cut_safe_toast(small_demo_source: Path, tmp_path: Path) -> None:
    app = make_app(copy_store(small_demo_source, tmp_path / "n.db"), lang="zh")
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.pause(0.2)
        toasts = list(app.screen.query("Toast"))
        assert toasts and all(isinstance(toast, CutSafeToast) for toast in toasts)
        for toast in toasts:  # every line of the toast as the compositor will cut it: no blanked character
            cuts = app.screen._compositor.cuts
            for offset, strip in enumerate(toast.render_lines(toast.region.reset_offset)):
                y = toast.region.y + offset
                inside = [c - toast.region.x for c in cuts[y] if toast.region.x < c < toast.region.right]
                text = "".join(piece.text for piece in strip.divide([*inside, strip.cell_length]))
                assert text.replace(" ", "") == strip.text.replace(" ", "")
