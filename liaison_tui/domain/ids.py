"""Identifiers made offline: UUIDv7 (time-ordered, so new rows append to the primary-key b-tree)."""

from __future__ import annotations

import uuid_utils


def new_id() -> str:
    return str(uuid_utils.uuid7())
