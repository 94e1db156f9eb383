"""Structured logs for the central service: one JSON object per line, ids, counts and timings only.

Never names, phone numbers, note text or client addresses: the log is read by people who may not see the
records, and it is kept longer than the data it would otherwise copy.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import orjson

LOGGER = logging.getLogger("liaison.server")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
        }
        data.update(getattr(record, "fields", {}))
        return orjson.dumps(data).decode()


def configure(level: str = "info") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    LOGGER.handlers[:] = [handler]
    LOGGER.setLevel(level.upper())
    LOGGER.propagate = False


def event(name: str, **fields: Any) -> None:
    LOGGER.info(name, extra={"fields": fields})


def error(name: str, **fields: Any) -> None:
    LOGGER.error(name, extra={"fields": fields})


class Timer:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def ms(self) -> float:
        return round((time.perf_counter() - self.started) * 1000, 1)
