"""Normalised search keys: what a record can be found by, and what a typed query is looked up as.

Pure functions (no I/O). Every key is lower-case, simplified Chinese (OpenCC t2s) and ASCII-folded Latin, so
that the index, the re-ranking and the tests' brute-force scan all agree on one definition of "matches":

* :func:`match_quality` is the single predicate: EXACT (key == form) > PREFIX > WORD (a word-prefix inside
  the key, e.g. ``wei`` in ``zhang wei`` or ``tum`` in ``a@tum.de``) > INFIX (only for forms of >= 3
  characters, the trigram index's limit, and never for initials).
* :func:`contact_fields`, :func:`org_fields`, :func:`case_fields` turn rows into ``Field`` tuples
  ``(code, display, keys)``; ``display`` is the stored text shown to the user and ``span`` maps a match
  back into it for highlighting.

pypinyin (0.3 s to import) and OpenCC are loaded on first use, never at import time.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple

EXACT, PREFIX, WORD, INFIX = 4, 3, 2, 1
MIN_INFIX = 3  # the trigram tokenizer matches nothing below 3 characters

# Field codes: one letter each, because every index row stores them (a million times over).
FIELD_NAMES: dict[str, str] = {
    "n": "native_name", "p": "pinyin", "i": "initials", "l": "latin_name", "a": "alias",
    "e": "email", "m": "phone", "w": "wechat", "k": "linkedin", "u": "url", "d": "address",
    "o": "org", "t": "title", "f": "field", "g": "tag",
    "z": "name_zh", "y": "name_en",
    "c": "number", "h": "case_title", "b": "beneficiary",
}
# Names first, then identifiers typed from a card (email, phone, ids), then descriptive text.
FIELD_WEIGHT: dict[str, int] = {
    "n": 2, "p": 2, "i": 2, "l": 2, "a": 2, "z": 2, "y": 2, "c": 2,
    "e": 1, "m": 1, "w": 1, "k": 1, "b": 1,
}
PREFIX_ONLY = frozenset("i")  # initials: "zw" is a key to type, not text to search inside

# Surname readings that differ from pypinyin's default single-character reading. The surname reading comes
# first; the common reading is indexed too because people say 沈 chen and 单 dan as often as not.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "沈": ("shen", "chen"), "单": ("shan",), "曾": ("zeng",), "解": ("xie",), "区": ("ou",),
    "仇": ("qiu",), "查": ("zha",), "朴": ("piao",), "乐": ("yue",), "盖": ("ge",), "缪": ("miao",),
    "翟": ("zhai",), "覃": ("qin",), "尉": ("yu", "wei"), "秘": ("bi",), "任": ("ren",), "燕": ("yan",),
    "纪": ("ji",), "召": ("shao",), "繁": ("po",), "员": ("yun",), "万": ("wan",), "能": ("nai",),
}
# Two-character surnames are one surname ("Ouyang Zhiwei", never "Ou Yangzhiwei"); readings override the
# per-character default where it is wrong for the surname.
COMPOUND_SURNAMES: dict[str, tuple[str, str] | None] = {
    s: None for s in ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "公孙", "慕容", "夏侯", "令狐", "宇文", "司徒", "端木", "轩辕", "呼延", "东郭", "南宫", "西门", "独孤", "申屠", "太史", "钟离", "闻人", "赫连", "完颜", "拓跋", "百里", "第五", "公冶", "濮阳", "淳于", "太叔", "仲孙", "宗政", "公羊", "梁丘", "左丘", "东门", "微生", "羊舌", "南门", "谷梁", "司空", "司寇", "亓官", "巫马", "鲜于", "闾丘", "漆雕", "壤驷", "公良", "乐正", "单于", "万俟", "澹台", "尉迟", "长孙"]
}
COMPOUND_SURNAMES.update({
    "尉迟": ("yu", "chi"), "长孙": ("zhang", "sun"), "万俟": ("mo", "qi"), "澹台": ("tan", "tai"),
    "单于": ("chan", "yu"), "乐正": ("yue", "zheng"), "亓官": ("qi", "guan"),
})

_CJK_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_TOKEN_RE = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer calls a token (letters and digits)
_PHONE_QUERY_RE = re.compile(r"^[\s+()\-./\d]+$")
_SPACE_RE = re.compile(r"\s+")
_CASE_RE = re.compile(r"^([a-z]+)-(\d{4})-([a-z0-9]+)-(\d+)$")


class Field(NamedTuple):
    code: str  # key of FIELD_NAMES
    display: str  # the stored value as shown (a raw phone, a name as written)
    keys: tuple[str, ...]  # normalised keys, de-duplicated, in order of preference


class Query(NamedTuple):
    text: str  # the query as typed, trimmed
    forms: tuple[str, ...]  # normalised forms, each looked up against every key


# ---------------------------------------------------------------- lazy converters


class _Lazy:
    t2s: Any = None
    pinyin: Any = None


def _t2s(text: str) -> str:
    conv = _Lazy.t2s
    if conv is None:
        import opencc

        conv = _Lazy.t2s = opencc.OpenCC("t2s")
    return conv.convert(text)


_PINYIN: dict[str, str] = {}


def char_pinyin(ch: str) -> str:
    """pypinyin's default toneless reading of one character ('' when it has none), memoised per character:
    one dict lookup instead of pypinyin's phrase segmentation (43 µs a name)."""
    got = _PINYIN.get(ch)
    if got is None:
        fn = _Lazy.pinyin
        if fn is None:
            from pypinyin import Style, pinyin

            def fn(c: str) -> str:
                out = pinyin(c, style=Style.NORMAL, heteronym=False, errors=lambda _: [""])
                return out[0][0] if out and out[0] else ""

            _Lazy.pinyin = fn
        got = _PINYIN[ch] = fn(ch).lower()
    return got


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def is_cjk(ch: str) -> bool:
    return _CJK_RE.match(ch) is not None


# ---------------------------------------------------------------- Latin folding

_SPECIAL = {"ß": "ss", "ẞ": "ss", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe",
            "ı": "i", "ħ": "h", "ŋ": "ng", "ĸ": "k", "ŀ": "l", "ſ": "s"}
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
    if "  " in value or "\t" in value or "\n" in value or value[:1] == " " or value[-1:] == " ":
        value = _SPACE_RE.sub(" ", value).strip()
    return value


@lru_cache(maxsize=1 << 16)
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
    out = [(r,) for r in SURNAME_READINGS.get(surname, ())]
    default = char_pinyin(surname)
    if default and (default,) not in out:
        out.append((default,))
    return out


def chinese_name_keys(name: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """For a simplified CJK name: (native keys, pinyin keys, initials).

    native: the name and its given name alone (so a 2-character given name is found from its first
    character); pinyin: joined, passport style ``zhang weiming`` and its reverse ``weiming zhang``, per
    surname reading; initials: ``zwm``. ``name`` must already be normalised by :func:`base_text`.
    """
    surname, given = split_chinese_name(name)
    native = (name, given) if len(given) >= 2 else (name,)
    given_syl = [char_pinyin(c) if is_cjk(c) else c for c in given]
    given_py = "".join(given_syl)
    given_ini = "".join(s[:1] for s in given_syl)
    pinyin: list[str] = []
    initials: list[str] = []
    for syls in surname_readings(surname):
        sur = "".join(syls)
        if not sur:
            continue
        if given_py:
            pinyin += [sur + given_py, f"{sur} {given_py}", f"{given_py} {sur}"]
        else:
            pinyin.append(sur)
        initials.append("".join(x[:1] for x in syls) + given_ini)
    return native, tuple(dict.fromkeys(pinyin)), tuple(dict.fromkeys(initials))


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


@lru_cache(maxsize=1 << 16)  # names repeat (张伟 thousands of times): compute each once
def _name_fields(value: str, native_code: str) -> tuple[Field, ...]:
    base = base_text(value)
    if has_cjk(base) and " " not in base and len(base) <= 6:
        native, pinyin, initials = chinese_name_keys(base)
        if native_code == "n":
            return (Field("n", value, native), Field("p", value, pinyin), Field("i", value, initials))
        return (Field(native_code, value, native + pinyin),)
    keys: list[str] = []
    for variant in fold_variants(base):
        keys += _swap_orders(variant)
    return (Field(native_code, value, tuple(dict.fromkeys(keys))),)


# ---------------------------------------------------------------- contact points


@lru_cache(maxsize=1 << 14)
def email_keys(value: str) -> tuple[str, ...]:
    email = value.strip().lower()
    local, at, domain = email.rpartition("@")
    if not at:
        return text_keys(email)
    return tuple(dict.fromkeys([*fold_variants(email), local, "@" + domain]))


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit() and c.isascii())


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
    """Digit strings a phone is typed as: E.164 without '+' (``4915123456789``), the national significant
    number (``15123456789``), the national form with trunk 0 (``015123456789``) and the digits as written.
    ``value`` is the stored E.164 form when the store could normalise it. Pure string work."""
    e164 = value if value and value.startswith("+") else None
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
            keys += [nsn, "0" + nsn]
    if raw_digits:
        keys.append(raw_digits[2:] if raw_digits.startswith("00") else raw_digits)
    return tuple(dict.fromkeys(k for k in keys if k))


def case_number_keys(number: str) -> tuple[str, ...]:
    """``QD-2026-K7M-0042``: as written, compact, and without the device code (``qd-2026-0042``) since
    that is how numbers get read out on the phone."""
    norm = base_text(number)
    keys = [norm, norm.replace("-", "")]
    m = _CASE_RE.match(norm)
    if m:
        short = f"{m[1]}-{m[2]}-{m[4]}"
        keys += [short, short.replace("-", "")]
    return tuple(dict.fromkeys(k for k in keys if k))


# ---------------------------------------------------------------- whole records


def _json_list(value: Any) -> list[str]:
    if value is None or value == "":
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


@lru_cache(maxsize=1 << 16)  # titles, fields, tags and org names repeat across thousands of contacts
def _text_field_cached(code: str, value: str) -> tuple[Field, ...]:
    keys = text_keys(value)
    return (Field(code, value, keys),) if keys else ()


def org_name_fields(org: Mapping[str, Any] | None, zh_code: str, en_code: str) -> tuple[Field, ...]:
    if not org:
        return ()
    return _org_name_fields(org.get("name_zh"), org.get("name_en"), zh_code, en_code)


@lru_cache(maxsize=1 << 14)
def _org_name_fields(zh: str | None, en: str | None, zh_code: str, en_code: str) -> tuple[Field, ...]:
    out: list[Field] = []
    if zh and zh.strip():
        base = base_text(zh)
        keys = list(fold_variants(base))
        if zh_code == "z" and has_cjk(base) and len(base) <= 24:
            # pinyin of an organization's Chinese name: "qingdaodaxue" and initials "qddx"
            syl = [char_pinyin(c) if is_cjk(c) else c for c in base if not c.isspace()]
            keys += ["".join(syl), "".join(s[:1] for s in syl)]
        out.append(Field(zh_code, zh, tuple(dict.fromkeys(k for k in keys if k))))
    if en and en.strip():
        out += _text_field(en_code, en)
    return tuple(out)


def contact_fields(contact: Mapping[str, Any], points: Iterable[Mapping[str, Any]] = (),
                   org: Mapping[str, Any] | None = None) -> list[Field]:
    """Search fields of a contact: names, aliases, live contact points, its current organization's names,
    title, field and tags. ``points`` are contact_points rows (deleted ones are skipped here)."""
    fields = [*name_fields(contact.get("native_name"), "n"), *name_fields(contact.get("latin_name"), "l")]
    for alias in _json_list(contact.get("aliases")):
        fields += name_fields(alias, "a")
    for p in points:
        if p.get("deleted"):
            continue
        kind, raw, value = p.get("kind"), str(p.get("raw") or ""), p.get("value")
        if kind == "phone":
            keys = phone_keys(raw, value)
            if keys:
                fields.append(Field("m", raw, keys))
        elif kind == "email":
            fields.append(Field("e", raw, email_keys(value or raw)))
        elif kind in ("wechat", "linkedin", "url", "address"):
            fields += _text_field({"wechat": "w", "linkedin": "k", "url": "u", "address": "d"}[kind], raw)
    fields += org_name_fields(org, "o", "o")
    fields += _text_field("t", contact.get("title"))
    fields += _text_field("f", contact.get("field"))
    for tag in _json_list(contact.get("tags")):
        fields += _text_field("g", tag)
    return fields


def org_fields(org: Mapping[str, Any]) -> list[Field]:
    return list(org_name_fields(org, "z", "y"))


def case_fields(case: Mapping[str, Any], beneficiary: Mapping[str, Any] | None = None) -> list[Field]:
    number = str(case.get("number") or "")
    fields = [Field("c", number, case_number_keys(number))] if number.strip() else []
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
    ``49151``; ``0151 23`` -> ``015123``). Forms without a letter or digit are dropped."""
    text = query.strip()
    forms: list[str] = []
    base = base_text(text) if text else ""
    if base:
        digits = _digits(base)
        if _PHONE_QUERY_RE.match(base) and len(digits) >= MIN_INFIX:
            # a phone fragment: only its digits mean anything ("+49 151" is never text)
            forms.append(digits[2:] if digits.startswith("00") and len(digits) > 4 else digits)
        else:
            for variant in fold_variants(base):
                forms.append(variant)
                if " " in variant and variant.isascii():  # "wei ming", "zhang wei ming": pinyin typed
                    forms.append(variant.replace(" ", ""))  # per syllable, found as the joined key
    return Query(text, tuple(dict.fromkeys(f for f in forms if _TOKEN_RE.search(f))))


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def match_quality(form: str, key: str, infix_ok: bool = True) -> int:
    """How ``key`` matches the query form ``form``: EXACT, PREFIX, WORD, INFIX or 0."""
    if form == key:
        return EXACT
    if key.startswith(form):
        return PREFIX
    if form not in key and not (not infix_ok or len(form) < MIN_INFIX):
        return 0
    if _word_match(form, key):
        return WORD
    if infix_ok and len(form) >= MIN_INFIX and form in key:
        return INFIX
    return 0


def _word_match(form: str, key: str) -> bool:
    """The form's tokens are consecutive tokens of the key, the last one as a prefix (FTS5 phrase-prefix)."""
    ftoks = tokens(form)
    if not ftoks:
        return False
    ktoks = tokens(key)
    n = len(ftoks)
    head, last = ftoks[:-1], ftoks[-1]
    for i in range(len(ktoks) - n + 1):
        if ktoks[i + n - 1].startswith(last) and ktoks[i:i + n - 1] == head:
            return True
    return False


def best_match(forms: Sequence[str], fields: Sequence[Field]) -> tuple[int, int, int, int] | None:
    """(quality, field weight, field index, key index) of the best match of any form in any field."""
    best: tuple[int, int, int, int] | None = None
    for fi, (code, _display, keys) in enumerate(fields):
        infix_ok = code not in PREFIX_ONLY
        weight = FIELD_WEIGHT.get(code, 0)
        for ki, key in enumerate(keys):
            for form in forms:
                q = match_quality(form, key, infix_ok)
                if q and (best is None or (q, weight) > best[:2]):
                    best = (q, weight, fi, ki)
    return best


# ---------------------------------------------------------------- spans for highlighting

_MODES = {"p": ("py",), "i": ("ini",), "a": ("txt", "py"), "b": ("txt", "py"), "z": ("txt", "py", "ini"),
          "o": ("txt", "py", "ini")}
_PERSON = frozenset("piab")


def _aligned(display: str, mode: str, german: bool = False, surname: tuple[str, ...] | None = None,
             reverse: bool = False) -> list[tuple[str, int]]:
    """(piece, source index) pairs whose concatenation is a key of ``display`` with spaces dropped: per
    character folded text ("txt"), or each CJK character's reading ("py") or initial ("ini")."""
    pieces: list[tuple[str, int]] = []
    for i, ch in enumerate(display):
        if ch.isspace():
            continue
        for c in base_text(ch):
            if mode != "txt" and is_cjk(c):
                syl = char_pinyin(c)
                pieces.append((syl[:1] if mode == "ini" else syl, i))
            else:
                pieces.append(((_TRANSCRIBE.get(c) if german else None) or _fold_char(c), i))
    if surname and len(pieces) > len(surname):
        head = [(s[:1] if mode == "ini" else s, src) for s, (_, src) in zip(surname, pieces, strict=False)]
        rest = pieces[len(surname):]
        pieces = rest + head if reverse else head + rest
    return pieces


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
            readings += surname_readings(split_chinese_name(base_text(display))[0])
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


def _token_spans(pieces: list[tuple[str, int]], joined: str, form: str) -> list[tuple[int, int]]:
    out = []
    for tok in tokens(form):
        at = joined.find(tok)
        if at < 0:
            return []
        got = _piece_span(pieces, at, at + len(tok))
        if got:
            out.append(got)
    return out


def _piece_span(pieces: list[tuple[str, int]], start: int, end: int) -> tuple[int, int] | None:
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
    return (positions[start], positions[end - 1] + 1)
