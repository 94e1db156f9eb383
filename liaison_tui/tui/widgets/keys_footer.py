"""The footer of key bindings, rebuilt only when what it shows changes.

Textual's footer rebuilds all its keys whenever the screen's bindings may have changed: on every focus
move, every screen push and pop, every ``refresh_bindings``. Most of those leave the same keys with the
same labels, and each rebuild mounts and styles a dozen widgets (a visible share of a keypress's time)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class KeysFooter(Footer):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[Any, ...] | None = None  # what the last compose drew (None: nothing yet)

    def _showing(self) -> tuple[Any, ...]:
        """Everything ``Footer.compose`` reads: the bindings it shows with their key display, state and
        tooltip, and the command palette's key."""
        app, palette = self.app, self.app.COMMAND_PALETTE_BINDING
        return (
            self.show_command_palette,
            app.ENABLE_COMMAND_PALETTE,
            tuple(
                (key, binding, app.get_key_display(binding), enabled, tooltip)
                for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                if binding.show or key == palette
            ),
        )

    async def recompose(self) -> None:
        if not self._bindings_ready or not self.is_attached:
            await super().recompose()
            return
        showing = self._showing()
        if showing == self._shown:
            return
        self._shown = showing
        await super().recompose()
