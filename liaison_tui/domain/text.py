"""Text that arrives from elsewhere (sync, imports, other laptops) is data, never terminal control.

Two defences: values with control characters are refused when they enter (:func:`check_plain`, used by
the models), and anything shown on a terminal goes through :func:`inert`, which turns control characters
into visible stand-ins, for rows stored before the check existed or that reached the store another way.
``--json`` output stays exact: JSON escapes control characters itself.
"""

from __future__ import annotations

import re

# C0 controls except tab and newlines, DEL, C1 controls (CSI 0x9b, OSC 0x9d...), the bidirectional
# overrides and isolates that reorder what a reader sees ("Trojan source"), and lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LINE_BREAKS = re.compile("[\r\n\t]")


def has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL: the Unicode control pictures
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def inert(text: str | None, *, single_line: bool = False) -> str:
    """``text`` safe to write to a terminal: control characters shown as pictures (ESC as ␛). With
    ``single_line``, line breaks and tabs become spaces (table cells)."""
    if not text:
        return text or ""
    out = _CONTROL.sub(_stand_in, text)
    if single_line:
        out = _LINE_BREAKS.sub(" ", out)
    return out


def translation() -> dict[int, str]:
    """:func:`inert` as a ``str.translate`` table, for rendering libraries (tab, line feed and carriage
    return are theirs to handle)."""
    codes = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    return {code: inert(chr(code)) for code in codes if chr(code) not in "\t\n\r"}
