"""Normalisation of values that arrive in many shapes: phones, emails, countries, languages, times."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Annotated, Any
from zoneinfo import available_timezones

import phonenumbers
from annotated_types import MaxLen
from pydantic import AfterValidator, BeforeValidator, PlainSerializer, StringConstraints

from .times import iso, local_time, parse_iso, to_utc, utcnow
from .validation import custom

DEFAULT_REGION = "CN"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WECHAT_ID = re.compile(r"^[A-Za-z][-_A-Za-z0-9]{5,19}$")
_URL = re.compile(r"^(https?://)?[^\s/$.?#][^\s]*\.[^\s]{2,}$", re.IGNORECASE)


def normalize_phone(raw: str, region: str | None = None) -> str:
    """E.164 for a phone typed in any common format; ``region`` decides numbers without a country code."""
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    text = text.replace("(+", "+").replace("（", "(").replace("）", ")")
    try:
        number = phonenumbers.parse(text, (region or DEFAULT_REGION).upper())
    except phonenumbers.NumberParseException:
        raise custom("err.phone", value=raw) from None
    if not phonenumbers.is_possible_number(number):
        raise custom("err.phone", value=raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_region(e164: str) -> str | None:
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None


def format_phone(e164: str) -> str:
    """The international human-readable form, e.g. ``+49 151 23456789``."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_email(raw: str) -> str:
    value = raw.strip().lower()
    if value.startswith("mailto:"):
        value = value[7:]
    if not _EMAIL.match(value):
        raise custom("err.email", value=raw)
    return value


def normalize_wechat(raw: str) -> str:
    value = raw.strip()
    if _WECHAT_ID.match(value):
        return value.lower()
    digits = re.sub(r"[\s-]", "", value)
    if digits.lstrip("+").isdigit() and 6 <= len(digits.lstrip("+")) <= 15:
        return digits
    raise custom("err.wechat", value=raw)


def normalize_url(raw: str) -> str:
    value = raw.strip()
    if not _URL.match(value):
        raise custom("err.url", value=raw)
    return value if "://" in value else "https://" + value


@lru_cache(maxsize=1024)
def country_code(value: str) -> str:
    """ISO 3166 alpha-2 for a code or an English name ("DE", "DEU", "Germany")."""
    import pycountry  # heavy database; imported on first use

    text = value.strip()
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        raise custom("err.country", value=value) from None


@lru_cache(maxsize=512)
def language_code(value: str) -> str:
    import pycountry

    text = value.strip()
    key = text.lower()
    # Codes first: lookup() also matches names, and "en" and "ko" are names of other languages in ISO
    # 639-3 (alpha-3 "enc", "ko" of Papua New Guinea), which it would return before English or Korean.
    lang = pycountry.languages.get(alpha_2=key) if len(key) == 2 else None
    if lang is None and len(key) == 3:
        lang = pycountry.languages.get(alpha_3=key)
    if lang is None:
        try:
            lang = pycountry.languages.lookup(text)
        except LookupError:
            raise custom("err.language", value=value) from None
    return getattr(lang, "alpha_2", None) or lang.alpha_3


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def timezone_name(value: str) -> str:
    text = value.strip()
    if text not in _zones():
        raise custom("err.timezone", value=value)
    return text


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _strip_list(value: Any) -> Any:
    """Split text at commas, strip items, drop blanks and repeats (in linear time: a list from another
    laptop may be long, and its length is checked only after this)."""
    if isinstance(value, str):
        value = re.split(r"[,;，；、]", value)
    if isinstance(value, list | tuple):
        items = [item.strip() if isinstance(item, str) else item for item in value]
        try:
            return list(dict.fromkeys(item for item in items if item not in ("", None)))
        except TypeError:  # unhashable items: leave them for the type check to refuse
            return items
    return value


# Annotated types shared by the models: stored as ISO text, compared as UTC.
UtcDateTime = Annotated[datetime, AfterValidator(to_utc), PlainSerializer(iso, return_type=str)]
IsoDate = Annotated[date, PlainSerializer(lambda d: d.isoformat(), return_type=str)]
OptionalText = Annotated[str | None, BeforeValidator(_blank_to_none)]
# Lists are bounded: a record's tags, aliases or languages are a handful, never thousands.
MAX_LIST_ITEMS = 100
ListItem = Annotated[str, StringConstraints(max_length=200)]
TextList = Annotated[list[ListItem], BeforeValidator(_strip_list), MaxLen(MAX_LIST_ITEMS)]
CountryCode = Annotated[str, AfterValidator(country_code)]
LanguageCode = Annotated[str, AfterValidator(language_code)]
TimeZoneName = Annotated[str, AfterValidator(timezone_name)]


def list_of(value: Any) -> Any:
    return _strip_list(value)


def blank_to_none(value: Any) -> Any:
    return _blank_to_none(value)


__all__ = [
    "CountryCode",
    "IsoDate",
    "LanguageCode",
    "OptionalText",
    "TextList",
    "TimeZoneName",
    "UtcDateTime",
    "blank_to_none",
    "country_code",
    "format_phone",
    "iso",
    "language_code",
    "list_of",
    "local_time",
    "normalize_email",
    "normalize_phone",
    "normalize_url",
    "normalize_wechat",
    "parse_iso",
    "phone_region",
    "timezone_name",
    "to_utc",
    "utcnow",
]
