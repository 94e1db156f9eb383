"""Dates and times typed the way staff type them, in English and Chinese."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from liaison_tui.domain.when import parse_when

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=TZ)  # a Tuesday, 10:00


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01 09:30", "2026-12-01 09:30"),
        ("2026-12-01", "2026-12-01 09:00"),  # a day alone: a working morning
        ("2026/12/1 9:30", "2026-12-01 09:30"),
        ("2026年3月20日 8:30", "2026-03-20 08:30"),
        ("12/1", "2026-12-01 09:00"),
        ("12月1日", "2026-12-01 09:00"),
        ("03-01", "2027-03-01 09:00"),  # without a year: the next such date
        ("tomorrow", "2026-03-11 09:00"),
        ("Tomorrow 10:00", "2026-03-11 10:00"),
        ("today 17:00", "2026-03-10 17:00"),
        ("明天 10点", "2026-03-11 10:00"),
        ("明天10点半", "2026-03-11 10:30"),
        ("明天上午十点", "2026-03-11 10:00"),
        ("后天下午3点", "2026-03-12 15:00"),
        ("大后天", "2026-03-13 09:00"),
        ("下午3点", "2026-03-10 15:00"),
        ("17:00", "2026-03-10 17:00"),  # a time alone: its next occurrence
        ("9:00", "2026-03-11 09:00"),
        ("+2d", "2026-03-12 09:00"),
        ("+1w", "2026-03-17 09:00"),
        ("in 3 days", "2026-03-13 09:00"),
        ("3天后", "2026-03-13 09:00"),
        ("+3h", "2026-03-10 13:00"),
        ("3小时后", "2026-03-10 13:00"),
        ("mon", "2026-03-16 09:00"),
        ("tue", "2026-03-17 09:00"),  # the next Tuesday, not today
        ("this tue 16:00", "2026-03-10 16:00"),
        ("fri 2pm", "2026-03-13 14:00"),
        ("next monday", "2026-03-16 09:00"),
        ("周五 14:00", "2026-03-13 14:00"),
        ("星期天", "2026-03-15 09:00"),
        ("下周一", "2026-03-16 09:00"),
        ("下周五", "2026-03-20 09:00"),
        ("本周五", "2026-03-13 09:00"),
        ("下周", "2026-03-16 09:00"),
    ],
)
def test_forms_staff_type(text: str, expected: str) -> None:
    found = parse_when(text, NOW)
    assert found is not None and found.tzinfo is TZ
    assert found.strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize(
    "text", ["", "blah", "25:00", "2026-02-30", "13pm", "fri 9", "明天 25点", "+3h 10:00"]
)
def test_what_is_not_a_date_is_refused(text: str) -> None:
    assert parse_when(text, NOW) is None
