"""Key bindings with ids: every action a staff member can take has one, so that ``[keys]`` in the config
file can remap it through :meth:`App.set_keymap` (``"app.lookup" = "ctrl+f"``). Descriptions come from the
catalog (``key.<id>``) and are rewritten in place when the language changes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from textual.binding import Binding
from textual.dom import DOMNode

from ..domain.i18n import has, t


def key(
    keys: str,
    action: str,
    binding_id: str,
    *,
    show: bool = True,
    priority: bool = False,
    key_display: str | None = None,
) -> Binding:
    """A binding whose description is the catalog entry ``key.<binding_id>``."""
    return Binding(
        keys,
        action,
        t(f"key.{binding_id}"),
        show=show,
        priority=priority,
        id=binding_id,
        key_display=key_display,
        tooltip=binding_id,
    )


def localize_node(node: DOMNode) -> None:
    """Rewrite ``node``'s binding descriptions in the current language."""
    table = node._bindings.key_to_bindings
    for name, bindings in table.items():
        table[name] = [_localized(b) for b in bindings]


def _localized(binding: Binding) -> Binding:
    if binding.id and has(f"key.{binding.id}"):
        return dataclasses.replace(binding, description=t(f"key.{binding.id}"))
    return binding


def localize_tree(nodes: Iterable[DOMNode]) -> None:
    for node in nodes:
        localize_node(node)
        for child in node.walk_children():
            localize_node(child)


def binding_ids(nodes: Iterable[DOMNode]) -> set[str]:
    """Every binding id declared on these nodes (to warn about unknown ids in the config)."""
    out: set[str] = set()
    for node in nodes:
        for bindings in node._bindings.key_to_bindings.values():
            out.update(b.id for b in bindings if b.id)
    return out
