"""A click group whose subcommands are imported when they are used (click's documented lazy-loading
pattern). Plain ``liaison`` starts the terminal app, and importing every subcommand first (the models,
the importer, the sync client) would cost ~0.1 s of each start-up."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import click

from .help_i18n import LocalizedGroup


class LazyGroup(LocalizedGroup):
    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})  # command name -> "liaison_tui.cli.module:attribute"

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            command = getattr(import_module(module), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self.lazy[cmd_name]} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)
