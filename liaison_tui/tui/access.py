"""What this user's role lets the terminal offer.

The role is the one the station server last gave this laptop (``store.identity``); a store that never met
a server has none and offers everything. Actions a role may not take are hidden (Textual's
``check_action``), and the help screen lists them with the reason, so nobody is left wondering why a key
does nothing. The server refuses the same changes anyway: this only keeps people from trying.
"""

from __future__ import annotations

from typing import Any

from ..domain.permissions import LOCAL, denied_message, may

# action name -> (table, operation) it needs
GATES: dict[str, tuple[str, str]] = {
    "new_contact": ("contacts", "create"),
    "import": ("contacts", "create"),
    "export": ("contacts", "export"),
    "duplicates": ("contacts", "merge"),
    "merge_with": ("contacts", "merge"),
    "export_person": ("contacts", "export"),
    "erase": ("contacts", "erase"),
    "consent": ("consents", "create"),
    "edit": ("contacts", "update"),
    "stage": ("contacts", "update"),
    "new_case": ("cases", "create"),
    "point_edit": ("contact_points", "update"),
    "point_delete": ("contact_points", "delete"),
    "log": ("activities", "create"),
    "followup": ("followups", "create"),
}


def role(app: Any) -> str:
    identity = getattr(app, "identity", None)
    return getattr(identity, "role", None) or LOCAL


def allowed(app: Any, action: str) -> bool:
    gate = GATES.get(action)
    return gate is None or may(role(app), *gate)


def why_not(app: Any, action: str, lang: str | None = None) -> str:
    table, op = GATES[action]
    return denied_message(role(app), table, op, lang)


def denied_actions(app: Any, actions: list[str]) -> list[tuple[str, str]]:
    """(action, reason) for each of ``actions`` this role may not take."""
    return [(a, why_not(app, a)) for a in actions if a in GATES and not allowed(app, a)]
