"""Dates and times as staff type them, in English or Chinese: ``2026-12-01 09:30``, ``tomorrow 10:00``,
``明天 10点``, ``+2d``, ``mon``, ``下周一``, ``周五下午3点``, ``in 3 days``, ``3天后``, ``12/1``, ``12月1日``.

A small grammar rather than a general date library: the widely used one (dateparser) does not read the
Chinese forms staff use (明天 10点, 下周一, 下午3点), reads ``fri 9`` as 9 September, and costs most of a
second to load. Here every form has a test, a day without a time means 09:00 (a working morning), and a
time without a day means the next such time from now.

:func:`parse_when` returns an aware datetime in the time zone of ``now``, or None if the text is not one of
these forms (the caller says so and keeps the text).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Literal

MORNING = time(9, 0)

_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2, "thu": 3, "thur": 3,
    "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_ZH_NUMBERS = {"两": 2, "十": 10, **{c: n for c, n in zip("零一二三四五六七八九", range(10), strict=True)}}
_RELATIVE_DAYS = {
    "today": 0, "tod": 0, "今天": 0, "今日": 0,
    "tomorrow": 1, "tmr": 1, "tmrw": 1, "明天": 1, "明日": 1,
    "后天": 2, "day after tomorrow": 2, "大后天": 3,
}  # fmt: skip
_UNITS = {
    "d": 1,
    "day": 1,
    "days": 1,
    "天": 1,
    "日": 1,
    "w": 7,
    "wk": 7,
    "week": 7,
    "weeks": 7,
    "周": 7,
    "星期": 7,
}
_HOUR_UNITS = {"h": 1, "hr": 1, "hrs": 1, "hour": 1, "hours": 1, "小时": 1, "个小时": 1}

_TIME_RE = re.compile(
    r"(?P<ampm_zh>上午|早上|早晨|中午|下午|晚上|傍晚)?\s*"
    r"(?:(?P<h>\d{1,2})[:：](?P<m>\d{2})|(?P<hz>\d{1,2}|[零一二两三四五六七八九十]{1,3})\s*(?:点|时)"
    r"\s*(?:(?P<half>半)|(?P<mz>\d{1,2})\s*分?)?|(?P<h12>\d{1,2})(?::(?P<m12>\d{2}))?\s*(?P<ampm>am|pm))"
)


def parse_when(text: str, now: datetime) -> datetime | None:
    """``text`` as a moment in ``now``'s time zone (see the module's forms), or None."""
    rest = " ".join(text.strip().lower().replace("　", " ").split())
    if not rest:
        return None
    clock, rest = _take_time(rest)
    if clock is False:
        return None
    rest = rest.strip(" ,，")
    today = now.date()
    if not rest:
        if clock is None:
            return None
        moment = datetime.combine(today, clock, now.tzinfo)  # a time alone: its next occurrence
        return moment if moment > now else moment + timedelta(days=1)
    hours = _in_hours(rest)
    if hours is not None:
        return now + timedelta(hours=hours) if clock is None else None
    day = _day(rest, today)
    if day is None:
        return None
    return datetime.combine(day, clock or MORNING, now.tzinfo)


def _take_time(text: str) -> tuple[time | Literal[False] | None, str]:
    """(the time of day found in ``text`` or None, the text without it); False if it is not a time."""
    found = None
    for match in _TIME_RE.finditer(text):
        found = match  # the last one: "12/1 9:30" has its date first
    if found is None:
        return None, text
    g = found.groupdict()
    if g["h"] is not None:
        hour, minute = int(g["h"]), int(g["m"])
    elif g["hz"] is not None:
        hour = _zh_number(g["hz"])
        minute = 30 if g["half"] else int(g["mz"] or 0)
    else:
        hour, minute = int(g["h12"]), int(g["m12"] or 0)
        if not 1 <= hour <= 12:
            return False, text
        hour = hour % 12 + (12 if g["ampm"] == "pm" else 0)
    if (g["ampm_zh"] in ("下午", "晚上", "傍晚") and hour < 12) or (g["ampm_zh"] == "中午" and hour < 6):
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return False, text
    return time(hour, minute), text[: found.start()] + " " + text[found.end() :]


def _zh_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):  # 十, 十一
        return 10 + (_ZH_NUMBERS[text[1]] if len(text) > 1 else 0)
    if len(text) == 3 or (len(text) == 2 and text[1] == "十"):  # 二十三, 二十
        return _ZH_NUMBERS[text[0]] * 10 + (_ZH_NUMBERS[text[2]] if len(text) == 3 else 0)
    return _ZH_NUMBERS[text[0]]


def _in_hours(text: str) -> int | None:
    """``+3h``, ``in 3 hours``, ``3小时后``."""
    match = re.fullmatch(r"(?:\+|in )?\s*(\d{1,3})\s*([a-z个小时]+)(?:后|以后|之后)?", text)
    if match and match.group(2) in _HOUR_UNITS and (text.startswith(("+", "in ")) or text.endswith("后")):
        return int(match.group(1))
    return None


def _day(text: str, today: date) -> date | None:
    if text in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[text])
    if text in ("next week", "下周", "下星期", "下个星期"):  # its Monday
        return today + timedelta(days=7 - today.weekday())
    match = re.fullmatch(r"(?:\+|in )\s*(\d{1,3})\s*([a-z]+)", text) or re.fullmatch(
        r"(\d{1,3})\s*(天|日|周|星期)(?:后|以后|之后)", text
    )
    if match and match.group(2) in _UNITS:
        return today + timedelta(days=int(match.group(1)) * _UNITS[match.group(2)])
    weekday = _weekday(text, today)
    if weekday is not None:
        return weekday
    return _calendar_date(text, today)


def _weekday(text: str, today: date) -> date | None:
    """``mon``, ``next mon``, ``this fri``, ``周一``, ``星期五``, ``下周一``, ``本周五``: the next such day
    (today counts only for "this"); "next"/下 means that day of next week."""
    match = re.fullmatch(r"(next |this )?([a-z]+)", text)
    if match and match.group(2) in _WEEKDAYS:
        which, target = match.group(1), _WEEKDAYS[match.group(2)]
    else:
        match = re.fullmatch(r"(下|下个|本|这|这个)?(?:周|星期|礼拜)([一二三四五六日天七])", text)
        if not match:
            return None
        which = {"下": "next ", "下个": "next ", "本": "this ", "这": "this ", "这个": "this "}.get(
            match.group(1) or ""
        )
        target = _ZH_WEEKDAYS[match.group(2)]
    monday = today - timedelta(days=today.weekday())
    if which == "next ":
        return monday + timedelta(days=7 + target)
    if which == "this ":
        return monday + timedelta(days=target)
    ahead = (target - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def _calendar_date(text: str, today: date) -> date | None:
    """``2026-12-01``, ``2026/12/1``, ``2026年12月1日``; without a year (``12-01``, ``12/1``, ``12月1日``)
    the next such date."""
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?", text)
    year: int | None
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?", text)
        if not match:
            return None
        year, (month, day) = None, (int(g) for g in match.groups())
    try:
        if year is not None:
            return date(year, month, day)
        found = date(today.year, month, day)
        return found if found >= today else date(today.year + 1, month, day)
    except ValueError:
        return None
