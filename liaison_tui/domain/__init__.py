"""The pure domain: models, enums, rules and messages. No I/O, no UI, no network.

Names are loaded on first use (PEP 562): the terminal's first screen needs the enums and messages but not
the pydantic models, whose import and class building cost ~0.15 s of every start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .entities import ENTITIES, Entity
    from .errors import Conflict, LiaisonError, NotFound
    from .i18n import get_lang, set_lang, t
    from .ids import new_id
    from .models import (
        Activity,
        Affiliation,
        Attendance,
        Case,
        Contact,
        ContactPoint,
        Event,
        FollowUp,
        Model,
        Organization,
        Staff,
    )
    from .validation import FieldProblem, ValidationFailed

__getattr__ = lazy_exports(
    __name__,
    {
        "entities": ("ENTITIES", "Entity"),
        "errors": ("Conflict", "LiaisonError", "NotFound"),
        "i18n": ("get_lang", "set_lang", "t"),
        "ids": ("new_id",),
        "models": (
            "Activity",
            "Affiliation",
            "Attendance",
            "Case",
            "Contact",
            "ContactPoint",
            "Event",
            "FollowUp",
            "Model",
            "Organization",
            "Staff",
        ),
        "validation": ("FieldProblem", "ValidationFailed"),
    },
)

__all__ = [
    "ENTITIES",
    "Activity",
    "Affiliation",
    "Attendance",
    "Case",
    "Conflict",
    "Contact",
    "ContactPoint",
    "Entity",
    "Event",
    "FieldProblem",
    "FollowUp",
    "LiaisonError",
    "Model",
    "NotFound",
    "Organization",
    "Staff",
    "ValidationFailed",
    "get_lang",
    "new_id",
    "set_lang",
    "t",
]
