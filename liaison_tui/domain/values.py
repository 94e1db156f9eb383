"""Normalisation of values that arrive in many shapes: phones, emails, countries, languages, times."""

from __future__ import annotations

import re
from collections.abc import Sequence
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


# What a typed phone number may contain besides digits: separators, brackets around the area code, a
# leading + (or 00), a "tel:" prefix (vCards). Letters (vanity numbers, "xx" typed for unknown digits)
# are refused; only an extension at the end may be introduced by a word.
_PHONE_SEPARATORS = re.compile(r"[\s\-.()/\[\]（）－—–．]+")
_PHONE_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x|分机|转|#)\s*\d{1,7}\s*$", re.IGNORECASE)


def dialing_region(country: str | None = None, nationalities: Sequence[str] = ()) -> str:
    """The region a number written without its country code is read in: the contact's country of
    residence, else their first nationality, else the station's own (``DEFAULT_REGION``)."""
    for code in (country, *nationalities):
        if code and code.strip():
            return code.strip().upper()
    return DEFAULT_REGION


def normalize_phone(raw: str, region: str | None = None) -> str:
    """E.164 for a phone number, by the one rule every path uses (form, CLI, import, sync of local edits).

    Accepted: a complete number that is *possible* for its region by length (``phonenumbers``'
    ``is_possible_number_with_reason`` is ``IS_POSSIBLE``), written with any common separators, ``+`` or
    ``00`` before the country code, an optional extension at the end. A number without a country code is
    read in ``region`` (see :func:`dialing_region`; default ``DEFAULT_REGION``). Refused with ``err.phone``:
    letters, fragments and numbers only dialable locally ("12345", "+49 151"), unknown country codes.
    The caller keeps what was typed as ``raw``; the result is the ``value``."""
    value = _phone_value(raw, (region or DEFAULT_REGION).upper())
    if value is None:
        raise custom("err.phone", value=raw)
    return value


@lru_cache(maxsize=65_536)
def _phone_value(raw: str, region: str) -> str | None:
    """Cached per distinct (text, region): files repeat numbers, re-imports repeat whole columns."""
    text = raw.strip()
    if text[:4].lower() == "tel:":
        text = text[4:].strip()
    main = _PHONE_EXTENSION.sub("", text)
    digits = _PHONE_SEPARATORS.sub("", main).replace("＋", "+")
    plus = digits.startswith("+")
    body = digits[1:] if plus else digits
    if not body.isdecimal():
        return None
    if not body.isascii():  # full-width or other scripts' digits
        body = "".join(str(int(ch)) for ch in body)
    if not plus and body.startswith("00"):
        plus, body = True, body[2:]
    if plus:
        fast = _international(body)
        if fast is not None:
            return fast or None
    try:
        number = phonenumbers.parse(("+" if plus else "") + body, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_possible_number_with_reason(number) != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _international(body: str) -> str | None:
    """The E.164 form of "+<body>" without ``phonenumbers.parse`` (a quarter of its cost) when the number
    is plainly a country code followed by the national number; ``""`` if it is not possible; ``None``
    when the full parser must decide (whenever the region's national prefix pattern matches after the
    country code, e.g. the trunk 0 of "+44 07700 …"). ``tests/test_phone_rule.py`` checks it agrees
    with the full parser."""
    for size in (1, 2, 3):
        code = int(body[:size]) if len(body) > size else 0
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return None
    national = body[size:]
    known, national_prefix = _national_prefix(code)
    if not known or national.startswith("0") or not 2 <= len(national) <= 17:
        return None
    if national_prefix is not None and national_prefix.match(national):
        return None  # phonenumbers would strip or rewrite a prefix here
    number = phonenumbers.PhoneNumber(country_code=code, national_number=int(national))
    if phonenumbers.is_possible_number_with_reason(number) != phonenumbers.ValidationResult.IS_POSSIBLE:
        return ""
    return f"+{code}{national}"


@lru_cache(maxsize=512)
def _national_prefix(code: int) -> tuple[bool, re.Pattern[str] | None]:
    """(metadata known, the pattern of national prefixes ``phonenumbers`` strips after this country code)."""
    region = phonenumbers.region_code_for_country_code(code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(code, region)
    if metadata is None:
        return False, None
    pattern = metadata.national_prefix_for_parsing
    return True, re.compile(pattern) if pattern else None


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
    return str(getattr(lang, "alpha_2", None) or lang.alpha_3)


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
    "dialing_region",
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
