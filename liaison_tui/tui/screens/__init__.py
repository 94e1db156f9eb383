"""The terminal's screens. Home is imported with the app; the others load on first use through
:func:`screen_class` (and are imported in the background once the first screen is on), so their imports
stay out of the start-up time."""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

_MODULES = {
    "AgendaScreen": "agenda",
    "CaseScreen": "case",
    "CasesScreen": "cases",
    "ContactScreen": "contact",
    "ContactForm": "contact_form",
    "ContactsScreen": "contacts",
    "HelpScreen": "help",
    "LookupScreen": "lookup",
    "OrgScreen": "org",
    "DemandsScreen": "recruiting_lists",
    "EventsScreen": "recruiting_lists",
    "OrgsScreen": "recruiting_lists",
    "DemandScreen": "demand",
    "TalentMatchesScreen": "demand",
    "EventScreen": "event",
    "CheckinScreen": "event",
    "DemandForm": "recruiting_forms",
    "EventForm": "recruiting_forms",
    "OrgForm": "recruiting_forms",
    "ReportsScreen": "reports",
}


def screen_class(name: str) -> Any:
    return getattr(import_module(f"{__name__}.{_MODULES[name]}"), name)


def is_screen(screen: object, name: str) -> bool:
    """``isinstance(screen, <name>)`` without importing the screen's module (if it is not loaded yet, no
    screen can be one of its kind)."""
    module = sys.modules.get(f"{__name__}.{_MODULES[name]}")
    return module is not None and isinstance(screen, getattr(module, name))


def preload() -> None:
    """Import every screen (from a worker thread, after the first screen): the first "2" or "/" then opens
    its screen without paying for the import."""
    for name in _MODULES:
        screen_class(name)
    for module in ("import_screen", "duplicates", "export_screen", "conflicts", "rejected"):
        import_module(f"{__name__}.{module}")
