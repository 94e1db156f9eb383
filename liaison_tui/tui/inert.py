"""Every text a rich Text or a Textual Content holds, shown inertly.

Both libraries strip only BEL, BS, VT, FF and CR from the text they are given; ESC and the C1 controls pass,
so a name synced from another laptop could carry an OSC 52 clipboard write or a terminal title. The
models refuse such text when it enters; for anything already stored, both libraries' strip tables are
extended at start-up to turn control characters into visible pictures (ESC as ␛), at the one place every
widget's and every CLI table's text goes through. tests/test_display_safety.py checks it for this pinned
Textual and the installed rich."""

from __future__ import annotations

from ..domain.text import translation


def install(*, with_textual: bool = True) -> None:
    """Extend rich's strip table, and Textual's (``with_textual=False`` for the CLI, which need not load it)."""
    import rich.control

    table = translation()
    # Mutated in place: both modules bind these dicts as default arguments of their strip functions.
    rich.control._CONTROL_STRIP_TRANSLATE.update(table)  # type: ignore[arg-type]
    if with_textual:
        import textual.content

        textual.content._CONTROL_STRIP_TRANSLATE.update(table)  # type: ignore[arg-type]
