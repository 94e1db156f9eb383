"""The pure domain: models, enums, rules and messages. No I/O, no UI, no network."""

from .entities import ENTITIES, Entity
from .enums import *  # noqa: F403 - the enums are the domain's vocabulary
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

__all__ = [
    "ENTITIES", "Activity", "Affiliation", "Attendance", "Case", "Conflict", "Contact", "ContactPoint", "Entity",
    "Event", "FieldProblem", "FollowUp", "LiaisonError", "Model", "NotFound", "Organization", "Staff",
    "ValidationFailed", "get_lang", "new_id", "set_lang", "t",
]
