"""Normalised search keys: what a record can be found by, and what a typed query is looked up as.

Pure functions (no I/O). Every key is lower-case, simplified Chinese (OpenCC t2s) and ASCII-folded Latin, so
that the index, the re-ranking and the tests' brute-force scan all agree on one definition of "matches":

* :func:`match_quality` is the single predicate: EXACT (key == form) > PREFIX > WORD > INFIX. WORD: a
  one-word form is a prefix of any word of the key (``wei`` in ``zhang wei``, ``tum`` in ``a@tum.de``);
  a form of several words matches the key's first words whatever the separators (``j mu`` for
  ``j.mueller@tum.de``). INFIX: a substring of 3 or more characters (the trigram index's limit), only in
  keys searched inside.
* :func:`contact_fields`, :func:`org_fields`, :func:`case_fields` turn rows into ``Field`` tuples
  ``(code, display, keys, infix)``; ``display`` is the stored text shown to the user and ``span`` maps a
  match back into it for highlighting. Only the first ``infix`` keys are searched inside (they go into
  the trigram index); the others are alternative spellings found whole or by word prefix (the reversed
  name order, initials, an e-mail's local part, which the full address already contains).

pypinyin's per-character table and OpenCC are loaded on first use, never at import time.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import update_wrapper
from typing import Any, NamedTuple, TypeVar, cast

_F = TypeVar("_F", bound=Callable[..., Any])


def _memo(maxsize: int) -> Callable[[_F], _F]:
    """A memo dict emptied when full. Not functools.lru_cache: its linked-list node per entry is a
    GC-tracked list, and 300k of them made every full collection cost 20-40 ms in the middle of a
    keystroke's lookup. Keys and values here are strings and tuples, which the collector ignores."""

    def wrap(fn: _F) -> _F:
        cache: dict[Any, Any] = {}

        def memoised(*args: Any) -> Any:
            try:
                return cache[args]
            except KeyError:
                pass
            if len(cache) >= maxsize:
                cache.clear()
            value = cache[args] = fn(*args)
            return value

        memoised.cache_clear = cache.clear  # type: ignore[attr-defined]
        return cast(_F, update_wrapper(memoised, fn))

    return wrap


EXACT, PREFIX, WORD, INFIX = 4, 3, 2, 1
MIN_INFIX = 3  # the trigram tokenizer matches nothing below 3 characters

# Field codes: one letter each, because every index row stores them (a million times over).
FIELD_NAMES: dict[str, str] = {
    "n": "native_name",
    "p": "pinyin",
    "i": "initials",
    "l": "latin_name",
    "a": "alias",
    "e": "email",
    "m": "phone",
    "w": "wechat",
    "k": "linkedin",
    "u": "url",
    "d": "address",
    "o": "org",
    "t": "title",
    "f": "field",
    "g": "tag",
    "z": "name_zh",
    "y": "name_en",
    "c": "number",
    "h": "case_title",
    "b": "beneficiary",
}
# Names first, then identifiers typed from a card (email, phone, ids), then descriptive text.
FIELD_WEIGHT: dict[str, int] = {
    "n": 2,
    "p": 2,
    "i": 2,
    "l": 2,
    "a": 2,
    "z": 2,
    "y": 2,
    "c": 2,
    "e": 1,
    "m": 1,
    "w": 1,
    "k": 1,
    "b": 1,
}

# Surname readings that differ from pypinyin's default single-character reading. The surname reading comes
# first; the common reading is indexed too because people say 沈 chen and 单 dan as often as not.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "沈": ("shen", "chen"),
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "区": ("ou",),
    "仇": ("qiu",),
    "查": ("zha",),
    "朴": ("piao",),
    "乐": ("yue",),
    "盖": ("ge",),
    "缪": ("miao",),
    "翟": ("zhai",),
    "覃": ("qin",),
    "秘": ("bi",),
    "召": ("shao",),
    "繁": ("po",),
    "员": ("yun",),
    "能": ("nai",),
    "种": ("chong",),
    "句": ("gou",),
}
# Two-character surnames are one surname ("Ouyang Zhiwei", never "Ou Yangzhiwei"); readings override the
# per-character default where it is wrong for the surname.
COMPOUND_SURNAMES: dict[str, tuple[str, str] | None] = dict.fromkeys(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "公孙",
        "慕容",
        "夏侯",
        "令狐",
        "宇文",
        "司徒",
        "端木",
        "轩辕",
        "呼延",
        "东郭",
        "南宫",
        "西门",
        "独孤",
        "申屠",
        "太史",
        "钟离",
        "闻人",
        "赫连",
        "完颜",
        "拓跋",
        "百里",
        "第五",
        "公冶",
        "濮阳",
        "淳于",
        "太叔",
        "仲孙",
        "宗政",
        "公羊",
        "梁丘",
        "左丘",
        "东门",
        "微生",
        "羊舌",
        "南门",
        "谷梁",
        "司空",
        "司寇",
        "亓官",
        "巫马",
        "鲜于",
        "闾丘",
        "漆雕",
        "壤驷",
        "公良",
        "乐正",
        "单于",
        "万俟",
        "澹台",
        "尉迟",
        "长孙",
    ]
)
COMPOUND_SURNAMES.update(
    {
        "尉迟": ("yu", "chi"),
        "长孙": ("zhang", "sun"),
        "万俟": ("mo", "qi"),
        "澹台": ("tan", "tai"),
        "单于": ("chan", "yu"),
        "乐正": ("yue", "zheng"),
        "亓官": ("qi", "guan"),
    }
)

GLUE = "ǀ"  # a letter (U+01C0) joining a key's words into one index token: "zhangǀwei"
_CJK_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_TOKEN_RE = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer calls a token (letters and digits)
_PHONE_QUERY_RE = re.compile(r"^[\s+()\-./\d]+$")
_SPACE_RE = re.compile(r"\s+")
_CASE_RE = re.compile(r"^([a-z]+)-(\d{4})-([a-z0-9]+)-(\d+)$")


class Field(NamedTuple):
    code: str  # key of FIELD_NAMES
    display: str  # the stored value as shown (a raw phone, a name as written)
    keys: tuple[str, ...]  # normalised keys, de-duplicated, infix-searchable ones first
    infix: int  # how many leading keys are searched inside (trigram index); the rest only by words


def _field(code: str, display: str, infix_keys: Iterable[str], word_keys: Iterable[str] = ()) -> Field:
    head = tuple(dict.fromkeys(k for k in infix_keys if k))
    tail = tuple(k for k in dict.fromkeys(word_keys) if k and k not in head)
    return Field(code, display, head + tail, len(head))


class Query(NamedTuple):
    text: str  # the query as typed, trimmed
    forms: tuple[str, ...]  # normalised forms, each looked up against every key
    phone: str = ""  # "intl" (typed with + or 00), "national" (with a trunk 0) or "": see key_affinity


# ---------------------------------------------------------------- lazy converters


class _Lazy:
    t2s: Any = None
    readings: dict[str, str] | None = None  # str(code point) -> "zhāng,cháng" (pypinyin's own table)


def _t2s(text: str) -> str:
    conv = _Lazy.t2s
    if conv is None:
        import opencc

        conv = _Lazy.t2s = opencc.OpenCC("t2s")
    simplified: str = conv.convert(text)
    return simplified


def _readings() -> dict[str, str]:
    """pypinyin's per-character table, read from its data file without importing pypinyin: the package
    import loads the phrase dictionary (0.3 s and 195k objects that every full garbage collection then
    walks, 28 ms a time); a per-character reading needs only this 40 ms, 42k-string table."""
    table = _Lazy.readings
    if table is None:
        import importlib.util
        from pathlib import Path

        spec = importlib.util.find_spec("pypinyin")
        data = Path(spec.origin).with_name("pinyin_dict.json") if spec and spec.origin else None
        if data is not None and data.is_file():
            table = json.loads(data.read_text(encoding="utf-8"))
        else:  # a pypinyin without the data file: ask the library
            from pypinyin.pinyin_dict import pinyin_dict

            table = {str(k): v for k, v in pinyin_dict.items()}
        _Lazy.readings = table
    return table


_PINYIN: dict[str, str] = {}


def _toneless(reading: str) -> str:
    """``lǜ`` -> ``lv``, ``zhāng`` -> ``zhang``: pypinyin's NORMAL style."""
    text = unicodedata.normalize("NFKD", reading).replace("u\u0308", "v")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def char_pinyin(ch: str) -> str:
    """The default toneless reading of one character ('' when it has none), memoised per character: a
    dict lookup instead of pypinyin's phrase segmentation (43 µs a name)."""
    got = _PINYIN.get(ch)
    if got is None:
        raw = _readings().get(str(ord(ch)), "") if len(ch) == 1 else ""
        got = _PINYIN[ch] = _toneless(raw.split(",")[0]) if raw else ""
    return got


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def is_cjk(ch: str) -> bool:
    return _CJK_RE.match(ch) is not None


# ---------------------------------------------------------------- Latin folding

_SPECIAL = {
    "ß": "ss",
    "ẞ": "ss",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "æ": "ae",
    "œ": "oe",
    "ı": "i",
    "ħ": "h",
    "ŋ": "ng",
    "ĸ": "k",
    "ŀ": "l",
    "ſ": "s",
}
# German/Scandinavian transcriptions: Müller is spelt Mueller in e-mail addresses and passports.
_TRANSCRIBE = {"ä": "ae", "ö": "oe", "ü": "ue", "ø": "oe", "å": "aa"}
_FOLD_SIMPLE: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    got = _FOLD_SIMPLE.get(ch)
    if got is None:
        got = _SPECIAL.get(ch)
        if got is None:
            code = ord(ch)
            # Only Latin letters lose their marks: decomposing Hangul or kana would change the text.
            if code < 0x250 or 0x1E00 <= code <= 0x1EFF:
                got = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            else:
                got = ch
        _FOLD_SIMPLE[ch] = got
    return got


def fold_variants(text: str) -> tuple[str, ...]:
    """Lower-cased text in its ASCII-folded spellings: ``Müller`` -> ``('muller', 'mueller')``."""
    if text.isascii():
        return (text,)
    simple = "".join(map(_fold_char, text))
    if any(c in _TRANSCRIBE for c in text):
        german = "".join(_TRANSCRIBE.get(c) or _fold_char(c) for c in text)
        if german != simple:
            return (simple, german)
    return (simple,)


def base_text(value: str) -> str:
    """Lower case, simplified Chinese, compatibility forms (full-width letters) and whitespace collapsed."""
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
        if has_cjk(value):
            value = _t2s(value)
    value = value.lower()
    if GLUE in value:
        value = value.replace(GLUE, " ")
    if "  " in value or "\t" in value or "\n" in value or value[:1] == " " or value[-1:] == " ":
        value = _SPACE_RE.sub(" ", value).strip()
    return value


@_memo(1 << 16)
def text_keys(value: str) -> tuple[str, ...]:
    base = base_text(value)
    return fold_variants(base) if base else ()


# ---------------------------------------------------------------- Chinese names


def split_chinese_name(name: str) -> tuple[str, str]:
    """(surname, given name); compound surnames such as 欧阳 count as one surname."""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def surname_readings(surname: str) -> list[tuple[str, ...]]:
    """Readings of a surname as syllable tuples: ``[("shen",), ("chen",)]`` for 沈, ``[("ou", "yang")]``."""
    if len(surname) == 2:
        fixed = COMPOUND_SURNAMES.get(surname)
        return [fixed or (char_pinyin(surname[0]), char_pinyin(surname[1]))]
    out: list[tuple[str, ...]] = [(r,) for r in SURNAME_READINGS.get(surname, ())]
    default = char_pinyin(surname)
    if default and (default,) not in out:
        out.append((default,))
    return out


class ChineseName(NamedTuple):
    given: str  # the given name alone: found from its first character
    joined: tuple[str, ...]  # "zhangweiming", per surname reading
    spaced: tuple[str, ...]  # passport style "zhang weiming" and reversed "weiming zhang"
    initials: tuple[str, ...]  # "zwm"


def chinese_name_keys(name: str) -> ChineseName:
    """Pinyin keys of a simplified CJK name (normalised by :func:`base_text`), one set per reading of
    the surname (沈: shen and chen)."""
    surname, given = split_chinese_name(name)
    given_syl = [char_pinyin(c) if is_cjk(c) else c for c in given]
    given_py = "".join(given_syl)
    given_ini = "".join(s[:1] for s in given_syl)
    joined: list[str] = []
    spaced: list[str] = []
    initials: list[str] = []
    for syls in surname_readings(surname):
        sur = "".join(syls)
        if not sur:
            continue
        joined.append(sur + given_py)
        if given_py:
            spaced += [f"{sur} {given_py}", f"{given_py} {sur}"]
        initials.append("".join(x[:1] for x in syls) + given_ini)
    return ChineseName(given if len(given) >= 2 else "", tuple(joined), tuple(spaced), tuple(initials))


def _swap_orders(name: str) -> list[str]:
    """Both name orders: ``wei zhang`` for ``zhang wei``; for longer names the last word first and the first
    word last (``sartre jean paul``, ``paul sartre jean``)."""
    words = name.split(" ")
    if len(words) < 2:
        return [name]
    return [name, " ".join([words[-1], *words[:-1]]), " ".join([*words[1:], words[0]])]


def name_fields(value: str | None, native_code: str) -> tuple[Field, ...]:
    """Keys of a person's name in any script: native CJK name -> (n, p, i); Latin -> folded, both orders."""
    if not value or not value.strip():
        return ()
    return _name_fields(value, native_code)


@_memo(1 << 16)  # names repeat (张伟 thousands of times): compute each once
def _name_fields(value: str, native_code: str) -> tuple[Field, ...]:
    base = base_text(value)
    if has_cjk(base) and " " not in base and len(base) <= 6:
        cn = chinese_name_keys(base)
        if native_code == "n":
            return (
                _field("n", value, [base], [cn.given]),
                _field("p", value, cn.joined, cn.spaced),
                _field("i", value, (), cn.initials),
            )
        return (_field(native_code, value, [base, *cn.joined], [cn.given, *cn.spaced]),)
    folds = fold_variants(base)
    return (_field(native_code, value, folds, [k for f in folds for k in _swap_orders(f)[1:]]),)


# ---------------------------------------------------------------- contact points


@_memo(1 << 14)
def email_keys(value: str) -> tuple[str, ...]:
    email = value.strip().lower()
    local, at, domain = email.rpartition("@")
    if not at:
        return text_keys(email)
    return tuple(dict.fromkeys([*fold_variants(email), local, "@" + domain]))


def email_field(raw: str, value: str | None) -> Field:
    keys = email_keys(value or raw)
    return Field("e", raw, keys, 1)  # the local part and "@domain" are inside the full address


_NON_DIGITS = re.compile(r"[^0-9]+")


def _digits(text: str) -> str:
    return _NON_DIGITS.sub("", text)


_COUNTRY_CODES: frozenset[str] | None = None


def _split_e164(digits: str) -> tuple[str, str] | None:
    """(country code, national significant number) of E.164 digits. A table lookup on the 1-3 digit
    prefix: phonenumbers.parse costs 42 µs a number, a quarter of the whole record's budget."""
    global _COUNTRY_CODES
    if _COUNTRY_CODES is None:
        import phonenumbers

        _COUNTRY_CODES = frozenset(str(c) for c in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    for n in (1, 2, 3):
        if digits[:n] in _COUNTRY_CODES and len(digits) > n:
            return digits[:n], digits[n:]
    return None


def phone_keys(raw: str, value: str | None = None) -> tuple[str, ...]:
    """Digit strings a phone is found by: E.164 without '+' (``4915123456789``), the national significant
    number (``15123456789``) and, when they differ from both, the digits as written. A national form with
    trunk 0 (``0151 23``) is looked up without its 0 (see :func:`normalize_query`), so it needs no key.
    ``value`` is the stored E.164 form when the store could normalise it. Pure string work."""
    e164 = value if value and value.startswith("+") else None
    if not raw.isascii():
        raw = unicodedata.normalize("NFKC", raw)  # full-width digits typed with a Chinese input method
    raw_digits = _digits(raw)
    if e164 is None:
        stripped = raw.strip().lstrip("(")
        if stripped.startswith("+"):
            e164 = "+" + raw_digits
        elif raw_digits.startswith("00"):
            e164 = "+" + raw_digits[2:]
    keys: list[str] = []
    if e164:
        digits = _digits(e164)
        keys.append(digits)
        parsed = _split_e164(digits)
        if parsed:
            nsn = parsed[1].lstrip("0")  # "+82 0139..." is written with a stray trunk 0 in places
            keys.append(nsn)
    if raw_digits:
        written = raw_digits[2:] if raw_digits.startswith("00") else raw_digits
        if not (written[:1] == "0" and written[1:] in keys):  # not just the national form of the nsn
            keys.append(written)
    return tuple(dict.fromkeys(k for k in keys if k))


def case_number_keys(number: str) -> tuple[str, ...]:
    """``QD-2026-K7M-0042``: as written, compact, and without the device code (``qd-2026-0042``) since
    that is how numbers get read out on the phone."""
    norm = base_text(number)
    keys = [norm]
    m = _CASE_RE.match(norm)
    if m:
        keys.append(f"{m[1]}-{m[2]}-{m[4]}")
    keys += [k.replace("-", "") for k in keys]
    return tuple(dict.fromkeys(k for k in keys if k))


# ---------------------------------------------------------------- whole records


def _json_list(value: Any) -> list[str]:
    if value is None or value == "" or value == "[]":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def _text_field(code: str, value: Any) -> tuple[Field, ...]:
    if value is None:
        return ()
    return _text_field_cached(code, str(value))


@_memo(1 << 16)  # titles, fields, tags and org names repeat across thousands of contacts
def _text_field_cached(code: str, value: str) -> tuple[Field, ...]:
    keys = text_keys(value)
    return (Field(code, value, keys, len(keys)),) if keys else ()


def org_name_fields(org: Mapping[str, Any] | None, zh_code: str, en_code: str) -> tuple[Field, ...]:
    if not org:
        return ()
    return _org_name_fields(org.get("name_zh"), org.get("name_en"), zh_code, en_code)


@_memo(1 << 14)
def _org_name_fields(zh: str | None, en: str | None, zh_code: str, en_code: str) -> tuple[Field, ...]:
    out: list[Field] = []
    if zh and zh.strip():
        base = base_text(zh)
        keys = list(fold_variants(base))
        initials: list[str] = []
        if zh_code == "z" and has_cjk(base) and len(base) <= 24:
            # pinyin of an organization's Chinese name: "qingdaodaxue" and initials "qddx"
            syl = [char_pinyin(c) if is_cjk(c) else c for c in base if not c.isspace()]
            keys.append("".join(syl))
            initials.append("".join(s[:1] for s in syl))
        out.append(_field(zh_code, zh, keys, initials))
    if en and en.strip():
        out += _text_field(en_code, en)
    return tuple(out)


def contact_fields(
    contact: Mapping[str, Any], points: Iterable[Mapping[str, Any]] = (), org: Mapping[str, Any] | None = None
) -> list[Field]:
    """Search fields of a contact: names, aliases, live contact points, its current organization's names,
    title, field and tags. ``points`` are contact_points rows (deleted ones are skipped here)."""
    return contact_fields_of(
        contact.get("native_name"),
        contact.get("latin_name"),
        contact.get("aliases"),
        contact.get("title"),
        contact.get("field"),
        contact.get("tags"),
        [(p.get("kind"), p.get("raw"), p.get("value")) for p in points if not p.get("deleted")],
        org,
    )


_POINT_CODES = {"wechat": "w", "linkedin": "k", "url": "u", "address": "d"}


def contact_fields_of(
    native: str | None,
    latin: str | None,
    aliases: Any,
    title: Any,
    field: Any,
    tags: Any,
    points: Iterable[tuple[Any, Any, Any]],
    org: Mapping[str, Any] | None,
) -> list[Field]:
    """:func:`contact_fields` over plain values, as a bulk build reads them: ``points`` are live
    (kind, raw, value) triples."""
    fields = [*name_fields(native, "n"), *name_fields(latin, "l")]
    for alias in _json_list(aliases):
        fields += name_fields(alias, "a")
    for kind, raw_value, value in points:
        raw = str(raw_value or "")
        if kind == "phone":
            keys = phone_keys(raw, value)
            if keys:
                fields.append(Field("m", raw, keys, 1))  # the national forms are tails of the first
        elif kind == "email":
            fields.append(email_field(raw, value))
        elif kind in _POINT_CODES:
            fields += _text_field(_POINT_CODES[kind], raw)
    fields += org_name_fields(org, "o", "o")
    fields += _text_field("t", title)
    fields += _text_field("f", field)
    for tag in _json_list(tags):
        fields += _text_field("g", tag)
    return fields


def org_fields(org: Mapping[str, Any]) -> list[Field]:
    return list(org_name_fields(org, "z", "y"))


def case_fields(case: Mapping[str, Any], beneficiary: Mapping[str, Any] | None = None) -> list[Field]:
    number = str(case.get("number") or "")
    keys = case_number_keys(number)
    # as written and without the device code are searched inside; the compact spellings by prefix
    fields = [Field("c", number, keys, (len(keys) + 1) // 2)] if number.strip() else []
    fields += _text_field("h", case.get("title"))
    if beneficiary:
        for name in (beneficiary.get("native_name"), beneficiary.get("latin_name")):
            fields += name_fields(name, "b")
    return fields


def recency_seq(*stamps: str | None) -> int:
    """Microseconds since the epoch of the newest ISO timestamp given (0 if none parse): the index's row
    order, so that "most recently active first" is a plain ``ORDER BY rowid DESC``."""
    best = 0
    for stamp in stamps:
        if not stamp:
            continue
        try:
            dt = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            continue
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        us = int(dt.timestamp()) * 1_000_000 + dt.microsecond
        best = max(best, us)
    return best


# ---------------------------------------------------------------- queries and matching


def normalize_query(query: str) -> Query:
    """The forms a typed query is looked up as: normalised text (folded spellings), the text without
    spaces (``zhang wei ming`` -> ``zhangweiming``), and phone digits (``+49 151`` / ``0049 151`` ->
    ``49151``; ``0151 23`` -> ``15123``). Forms without a letter or digit are dropped."""
    text = query.strip()
    forms: list[str] = []
    phone = ""
    base = base_text(text) if text else ""
    if base:
        digits = _digits(base)
        if _PHONE_QUERY_RE.match(base) and len(digits) >= MIN_INFIX:
            # a phone fragment: only its digits mean anything ("+49 151" is never text); an international
            # prefix 00 or a national trunk 0 is dropped ("0049 151" and "0151" both look up 49151 / 151)
            if digits.startswith("00") and len(digits) > 4:
                digits, phone = digits[2:], "intl"
            elif digits.startswith("0") and not digits.startswith("00") and len(digits) > MIN_INFIX:
                digits, phone = digits[1:], "national"
            elif base.lstrip("( ").startswith("+"):
                phone = "intl"
            forms.append(digits)
        else:
            for variant in fold_variants(base):
                forms.append(variant)
                if " " in variant and variant.isascii():  # "wei ming", "zhang wei ming": pinyin typed
                    forms.append(variant.replace(" ", ""))  # per syllable, found as the joined key
    return Query(text, tuple(dict.fromkeys(f for f in forms if _TOKEN_RE.search(f))), phone)


def looks_like_phone(text: str) -> bool:
    """Whether typed text is a phone number or a fragment of one (digits and the usual separators)."""
    base = base_text(text.strip())
    return bool(base) and _PHONE_QUERY_RE.match(base) is not None and len(_digits(base)) >= MIN_INFIX


def key_affinity(phone: str, code: str, key_index: int) -> int:
    """1 when a phone match is on the key the query was typed as: ``0157 29`` means a national number
    starting 157 29 (key 1), not an E.164 number that happens to start 15729 (+1 572 9..., key 0); ``+49``
    means the country code. Breaks ties within a match class; never decides what matches."""
    if not phone or code != "m":
        return 0
    return int(key_index == (0 if phone == "intl" else 1))


def tokens(text: str) -> list[str]:
    """Words as FTS5's unicode61 tokenizer cuts them: runs of letters and digits."""
    return _TOKEN_RE.findall(text)


@_memo(1 << 16)  # called for every key of every document at indexing
def glued(text: str) -> str:
    """The words of ``text`` as one token (``j.mueller`` -> ``jǀmueller``): a key's words from its start
    are looked up with one token-prefix probe, never with an FTS5 phrase, which reads the positions of
    every row holding two common words such as "zhang" and "wei"."""
    return GLUE.join(_TOKEN_RE.findall(text))


class Form(NamedTuple):
    """A query form prepared once per query for :func:`match_quality`, which runs for every key of every
    candidate (a few thousand times a keystroke)."""

    text: str
    first: str  # its first word: a key without it cannot match at all
    glue: str  # its words glued (several words must start the key, whatever the separators)
    several: bool
    word_start: re.Pattern[str]  # its first word where a word of the key begins

    @classmethod
    @_memo(256)
    def of(cls, text: str) -> Form:
        words = tokens(text)
        first = words[0] if words else text
        return cls(
            text, first, GLUE.join(words), len(words) > 1, re.compile(r"(?<![^\W_])" + re.escape(first))
        )


def match_quality(form: str | Form, key: str, infix_ok: bool = True) -> int:
    """How ``key`` matches the query form ``form``: EXACT, PREFIX, WORD, INFIX or 0. ``infix_ok`` is
    False for keys found only whole or by word prefix (see :class:`Field`)."""
    f = form if isinstance(form, Form) else Form.of(form)
    text = f.text
    if text == key:
        return EXACT
    if key.startswith(text):
        return PREFIX
    if not f.first or f.first not in key:  # cheap rejection: most candidate keys fail here
        return 0
    if glued(key).startswith(f.glue) if f.several else f.word_start.search(key) is not None:
        return WORD
    if infix_ok and len(text) >= MIN_INFIX and text in key:
        return INFIX
    return 0


def best_match(
    forms: Sequence[str], fields: Sequence[Sequence[Any]]
) -> tuple[int, int, int, int, int] | None:
    """(quality, field weight, field index, key index, form index) of the best match of any query form in
    any field, or None when nothing matches. Earlier fields and keys win ties. ``fields`` are
    :class:`Field` tuples or anything laid out the same way (the index's stored lists)."""
    best: tuple[int, int, int, int, int] | None = None
    prepared = [(qi, f, f.first) for qi, form in enumerate(forms) if (f := Form.of(form)).first and f.glue]
    firsts = {f for _, _, f in prepared}
    for fi, (code, _display, keys, infix) in enumerate(fields):
        weight = FIELD_WEIGHT.get(code, 0)
        if best is not None and (EXACT, weight) <= best[:2]:
            continue
        # This loop runs for every key of every candidate: reject whole fields, then keys, in C first.
        if len(keys) > 1 and not any(f in "\n".join(keys) for f in firsts):
            continue
        for ki, key in enumerate(keys):
            for qi, form, first in prepared:
                if first not in key:
                    continue
                q = match_quality(form, key, ki < infix)
                if q and (best is None or (q, weight) > best[:2]):
                    best = (q, weight, fi, ki, qi)
                    if q == EXACT and weight == 2:
                        return best  # nothing ranks higher
    return best


# ---------------------------------------------------------------- spans for highlighting

_MODES = {
    "p": ("py",),
    "i": ("ini",),
    "a": ("txt", "py"),
    "b": ("txt", "py"),
    "z": ("txt", "py", "ini"),
    "o": ("txt", "py", "ini"),
}
_PERSON = frozenset("piab")


@_memo(4096)
def _char_base(ch: str) -> str:
    return base_text(ch)


@_memo(4096)  # the same names come back query after query
def _aligned(
    display: str,
    mode: str,
    german: bool = False,
    surname: tuple[str, ...] | None = None,
    reverse: bool = False,
) -> tuple[tuple[str, int], ...]:
    """(piece, source index) pairs whose concatenation is a key of ``display`` with spaces dropped: per
    character folded text ("txt"), or each CJK character's reading ("py") or initial ("ini")."""
    pieces: list[tuple[str, int]] = []
    for i, ch in enumerate(display):
        if ch.isspace():
            continue
        for c in _char_base(ch):
            if mode != "txt" and is_cjk(c):
                syl = char_pinyin(c)
                pieces.append((syl[:1] if mode == "ini" else syl, i))
            else:
                pieces.append(((_TRANSCRIBE.get(c) if german else None) or _fold_char(c), i))
    if surname and len(pieces) > len(surname):
        head = [(s[:1] if mode == "ini" else s, src) for s, (_, src) in zip(surname, pieces, strict=False)]
        rest = pieces[len(surname) :]
        pieces = rest + head if reverse else head + rest
    return tuple(pieces)


def span(field: Field, key_index: int, form: str) -> tuple[int, int] | None:
    """Where ``form`` (matched against ``field.keys[key_index]``) sits in ``field.display`` as a
    (start, end) character range, or None when it cannot be mapped back."""
    display, code = field.display, field.code
    if code == "m":
        key = field.keys[key_index] if 0 <= key_index < len(field.keys) else ""
        return _phone_span(display, key, form)
    target = form.replace(" ", "")
    cjk = has_cjk(display)
    word_spans: list[tuple[int, int]] = []
    for mode in _MODES.get(code, ("txt",)):
        if mode != "txt" and not cjk:
            continue
        readings: list[tuple[str, ...] | None] = [None]
        if mode != "txt" and code in _PERSON:
            readings += [tuple(r) for r in surname_readings(split_chinese_name(base_text(display))[0])]
        for reading in readings:
            for reverse in (False, True) if reading else (False,):
                for german in (False, True) if mode == "txt" else (False,):
                    pieces = _aligned(display, mode, german, reading, reverse)
                    joined = "".join(p for p, _ in pieces)
                    at = joined.find(target)
                    if at >= 0:
                        return _piece_span(pieces, at, at + len(target))
                    if not word_spans:
                        word_spans = _token_spans(pieces, joined, form)
    if word_spans:  # a reordered name ("wei zhang" for "Zhang Wei"): cover every word found
        return (min(s for s, _ in word_spans), max(e for _, e in word_spans))
    return None


def _token_spans(pieces: Sequence[tuple[str, int]], joined: str, form: str) -> list[tuple[int, int]]:
    out = []
    for tok in tokens(form):
        at = joined.find(tok)
        if at < 0:
            return []
        got = _piece_span(pieces, at, at + len(tok))
        if got:
            out.append(got)
    return out


def _piece_span(pieces: Sequence[tuple[str, int]], start: int, end: int) -> tuple[int, int] | None:
    pos = 0
    srcs: list[int] = []
    for piece, src in pieces:
        nxt = pos + len(piece)
        if nxt > start and pos < end:
            srcs.append(src)
        pos = nxt
    return (min(srcs), max(srcs) + 1) if srcs else None


def _phone_span(raw: str, key: str, form: str) -> tuple[int, int] | None:
    """Map a digit match back to the phone as written. Keys and the raw digits share their tail (the
    national number), so positions are aligned from the end."""
    positions = [i for i, c in enumerate(raw) if c.isdigit() and c.isascii()]
    at = key.find(form)
    if at < 0 or not positions:
        return None
    digits = "".join(raw[i] for i in positions)
    tail = 0
    while tail < min(len(key), len(digits)) and key[-1 - tail] == digits[-1 - tail]:
        tail += 1
    key_head, raw_head = len(key) - tail, len(digits) - tail  # the differing prefixes: "49" vs "0"
    end = raw_head + (at + len(form) - key_head)
    if at >= key_head:
        start = raw_head + at - key_head
    else:  # the match starts in the key's own prefix: a trunk 0 is not in the raw, a country code is
        start = raw_head if key.startswith("0") and not digits.startswith("0") else 0
    if end <= start:
        return None
    first = positions[start]
    if start == 0 and first > 0 and raw[first - 1] == "+":
        first -= 1  # "+49 151" highlights its plus sign too
    return (first, positions[end - 1] + 1)
