"""Notifications (``app.notify``) whose Chinese text survives the widgets under them.

Textual composes each screen line from pieces cut at every widget's left and right edge, the widgets under
a notification included; a double-width character that straddles such a cut cannot be split, so Textual
draws blanks in its place ("界      ：中文" for 界面语言：中文). :class:`CutSafeToast` moves such a
character one cell to the right (a space before it) on the lines where it would straddle a cut, using the
edges Textual cuts at; :func:`install` makes the notification rack use it. (Textual 8.2.8, pinned.)"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import _toast


class CutSafeToast(_toast.Toast):
    def render_lines(self, crop: Region) -> list[Strip]:
        strips = super().render_lines(crop)
        try:
            cuts = self.screen._compositor.cuts
        except Exception:  # not on a screen yet: nothing to line up with
            return strips
        left, top = self.region.x + crop.x, self.region.y + crop.y
        out = []
        for offset, strip in enumerate(strips):
            y = top + offset
            inside = (
                {c - left for c in cuts[y] if left < c < left + strip.cell_length}
                if 0 <= y < len(cuts)
                else set()
            )
            out.append(_clear_of(strip, inside) if inside else strip)
        return out


def _clear_of(strip: Strip, cuts: set[int]) -> Strip:
    """``strip`` with a space put before every double-width character that would straddle a cut, cropped
    back to its width (the toast's right padding gives the room)."""
    segments: list[Segment] = []
    position = 0
    changed = False
    for segment in strip:
        if segment.control or segment.text.isascii():
            segments.append(segment)
            position += segment.cell_length
            continue
        text = []
        for char in segment.text:
            width = cell_len(char)
            if width == 2 and position + 1 in cuts:
                text.append(" ")
                position += 1
                changed = True
            text.append(char)
            position += width
        segments.append(Segment("".join(text), segment.style, segment.control))
    if not changed:
        return strip
    return Strip(segments).crop(0, strip.cell_length)


def install() -> None:
    """Have the notification rack build :class:`CutSafeToast` instead of Textual's Toast."""
    _toast.Toast = CutSafeToast  # type: ignore[misc]
