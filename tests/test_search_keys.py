"""Normalised search keys: pure functions, no database."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liaison_tui.domain import search_keys as sk
from liaison_tui.domain import search_rows


def _keys(fields: list[sk.Field] | tuple[sk.Field, ...], code: str) -> tuple[str, ...]:
    return tuple(k for f in fields if f.code == code for k in f.keys)


def test_importing_the_module_loads_neither_pypinyin_nor_opencc() -> None:
    code = (
        "import sys, liaison_tui.domain.search_keys as sk; "
        "assert 'pypinyin' not in sys.modules and 'opencc' not in sys.modules; "
        "assert sk.chinese_name_keys('张伟').joined == ('zhangwei',); "
        "assert 'pypinyin' not in sys.modules"
    )  # its data table is read, its 0.3 s import skipped
    subprocess.run([sys.executable, "-c", code], check=True)


def test_per_character_readings_match_pypinyin() -> None:
    from pypinyin import Style, pinyin

    for ch in "张伟沈单曾解区吕女绿略长乐覃〇㔧":
        assert sk.char_pinyin(ch) == pinyin(ch, style=Style.NORMAL, heteronym=False)[0][0], ch


def test_traditional_is_simplified_and_latin_folded() -> None:
    assert sk.text_keys("張偉") == ("张伟",)
    assert sk.text_keys("Müller") == ("muller", "mueller")
    assert sk.text_keys("Søren") == ("soren", "soeren")
    assert sk.text_keys("Łukasiewicz") == ("lukasiewicz",)
    assert sk.text_keys("Weiß") == ("weiss",)
    assert sk.text_keys("  José   García ") == ("jose garcia",)
    assert sk.text_keys("ＡＢＣ") == ("abc",)  # full-width letters from a Chinese input method


def test_chinese_name_pinyin_forms() -> None:
    cn = sk.chinese_name_keys("张伟明")
    assert cn.joined == ("zhangweiming",)
    assert cn.spaced == ("zhang weiming", "weiming zhang")
    assert cn.initials == ("zwm",)
    assert cn.given == "伟明"


@pytest.mark.parametrize(
    ("name", "readings"),
    [
        ("沈伟", {"shen", "chen"}),
        ("单磊", {"shan", "dan"}),
        ("曾敏", {"zeng", "ceng"}),
        ("解静", {"xie", "jie"}),
        ("区军", {"ou", "qu"}),
        ("仇洋", {"qiu", "chou"}),
        ("查杰", {"zha", "cha"}),
        ("朴明", {"piao", "pu"}),
        ("乐平", {"yue", "le"}),
        ("盖刚", {"ge", "gai"}),
        ("缪华", {"miao", "mou"}),
        ("翟峰", {"zhai", "di"}),
        ("覃宇", {"qin", "tan"}),
    ],
)
def test_heteronym_surnames_get_their_surname_and_everyday_reading(name: str, readings: set[str]) -> None:
    joined = sk.chinese_name_keys(name).joined
    given = sk.char_pinyin(name[1])
    assert {j[: -len(given)] for j in joined} == readings


def test_surname_readings_apply_to_the_surname_only() -> None:
    # 单 in a given name keeps the everyday reading
    assert sk.chinese_name_keys("王单").joined == ("wangdan",)


@pytest.mark.parametrize(
    ("name", "joined", "initials"),
    [
        ("欧阳志伟", "ouyangzhiwei", "oyzw"),
        ("司马迁", "simaqian", "smq"),
        ("诸葛亮", "zhugeliang", "zgl"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("长孙无忌", "zhangsunwuji", "zswj"),
        ("上官婉儿", "shangguanwaner", "sgwe"),
    ],
)
def test_compound_surnames_are_one_surname(name: str, joined: str, initials: str) -> None:
    cn = sk.chinese_name_keys(name)
    assert cn.joined == (joined,)
    assert cn.initials == (initials,)
    surname = name[:2]
    assert cn.spaced[1].endswith(" " + "".join(sk.surname_readings(surname)[0]))  # "zhiwei ouyang"
    assert sk.split_chinese_name(name) == (surname, name[2:])


def test_person_fields_cover_every_script_and_both_name_orders() -> None:
    fields = sk.contact_fields(
        {
            "native_name": "張偉",
            "latin_name": "Zhang Wei",
            "aliases": '["David Zhang"]',
            "title": "教授",
            "field": "Marine robotics",
            "tags": '["PhD"]',
        },
        [
            {"kind": "phone", "raw": "+49 151 2345 6789", "value": "+4915123456789"},
            {"kind": "email", "raw": "Zhang.Wei@TUM.de", "value": "zhang.wei@tum.de"},
            {"kind": "wechat", "raw": "zw_1990"},
            {"kind": "phone", "raw": "+86 138 0013 8000", "value": "+8613800138000", "deleted": 1},
        ],
        {"name_zh": "慕尼黑工业大学", "name_en": "Technical University of Munich"},
    )
    assert _keys(fields, "n") == ("张伟",)
    assert set(_keys(fields, "p")) == {"zhangwei", "zhang wei", "wei zhang"}
    assert _keys(fields, "i") == ("zw",)
    assert set(_keys(fields, "l")) == {"zhang wei", "wei zhang"}
    assert set(_keys(fields, "a")) == {"david zhang", "zhang david"}
    assert _keys(fields, "e") == ("zhang.wei@tum.de", "zhang.wei", "@tum.de")
    assert _keys(fields, "m") == ("4915123456789", "15123456789")  # the deleted phone is gone
    assert _keys(fields, "w") == ("zw_1990",)
    assert set(_keys(fields, "o")) == {"慕尼黑工业大学", "technical university of munich"}
    assert _keys(fields, "t") == ("教授",) and _keys(fields, "g") == ("phd",)
    display = {f.code: f.display for f in fields}
    assert display["n"] == "張偉" and display["m"] == "+49 151 2345 6789"  # shown as stored


@pytest.mark.parametrize(
    ("raw", "value", "expected"),
    [
        ("+49 151 2345 6789", "+4915123456789", {"4915123456789", "15123456789"}),
        ("0049-151-23456789", "+4915123456789", {"4915123456789", "15123456789"}),
        ("(+852) 175081954", "+852175081954", {"852175081954", "175081954"}),
        ("001-2137352522", "+12137352522", {"12137352522", "2137352522"}),
        ("+82013949000", "+8213949000", {"8213949000", "13949000", "82013949000"}),  # as written, stray 0
        ("0151 2345678", "+491512345678", {"491512345678", "1512345678"}),
        ("0151 2345678", None, {"01512345678"}),  # not normalisable: the digits as written
    ],
)
def test_phone_keys_hold_international_and_national_forms(
    raw: str, value: str | None, expected: set[str]
) -> None:
    keys = sk.phone_keys(raw, value)
    assert set(keys) == expected
    if value:
        assert keys[0] == value[1:]  # E.164 digits first: the only one searched inside


def test_case_numbers_with_and_without_the_device_code() -> None:
    assert sk.case_number_keys("QD-2026-K7M-0042") == (
        "qd-2026-k7m-0042",
        "qd-2026-0042",
        "qd2026k7m0042",
        "qd20260042",
    )
    (field,) = sk.case_fields({"number": "QD-2026-K7M-0042"})
    assert field.infix == 2  # as written and without the device code are searched inside


@pytest.mark.parametrize(
    ("query", "forms"),
    [
        ("張偉", ("张伟",)),
        ("  Wei   Zhang ", ("wei zhang", "weizhang")),
        ("Müller", ("muller", "mueller")),
        ("+49 151", ("49151",)),
        ("0049151", ("49151",)),
        ("(+49) 151-23", ("4915123",)),
        ("0151 23", ("15123",)),  # the national trunk 0 is dropped: the national number follows
        ("@tum.de", ("@tum.de",)),
        ('50%_"x"', ('50%_"x"',)),  # LIKE wildcards and quotes are plain text
        ("QD-2026-0004", ("qd-2026-0004",)),
        ("  ", ()),
        ("@@", ()),
    ],
)
def test_normalize_query(query: str, forms: tuple[str, ...]) -> None:
    assert sk.normalize_query(query).forms == forms


@pytest.mark.parametrize(
    ("form", "key", "infix", "quality"),
    [
        ("张伟", "张伟", True, sk.EXACT),
        ("张", "张伟", True, sk.PREFIX),
        ("wei", "zhang wei", True, sk.WORD),
        ("tum", "j.mueller@tum.de", True, sk.WORD),
        ("j mu", "j.mueller@tum.de", True, sk.WORD),  # several words: from the key's start, any separators
        ("mueller tum", "j.mueller@tum.de", True, 0),
        ("mueller@tum", "j.mueller@tum.de", True, sk.INFIX),
        ("uelle", "j.mueller@tum.de", True, sk.INFIX),
        ("uelle", "j.mueller@tum.de", False, 0),  # word-only keys are never searched inside
        ("ue", "j.mueller@tum.de", True, 0),  # infix needs 3 characters, like the trigram index
        ("w", "zw", True, 0),
        ("zhang wei", "zhang weiming", True, sk.PREFIX),
        ("weiming", "zhang weiming", False, sk.WORD),
    ],
)
def test_match_quality(form: str, key: str, infix: bool, quality: int) -> None:
    assert sk.match_quality(form, key, infix) == quality


def _span_of(fields: list[sk.Field] | tuple[sk.Field, ...], query: str) -> str | None:
    forms = sk.normalize_query(query).forms
    best = sk.best_match(forms, fields)
    assert best is not None, query
    _q, _w, fi, ki, qi = best
    span = sk.span(fields[fi], ki, forms[qi])
    return None if span is None else fields[fi].display[span[0] : span[1]]


@pytest.mark.parametrize(
    ("query", "highlighted"),
    [
        ("张", "張"),
        ("張偉", "張偉"),
        ("zhangw", "張偉"),
        ("zhang", "張"),
        ("wei", "偉"),
        ("zw", "張偉"),
        ("Wei Zhang", "張偉"),
        ("mueller", "Müller"),
        ("muller", "Müller"),
        ("+49 151", "+49 151"),
        ("0151 23", "151 23"),
        ("15123", "151 23"),
        ("@tum.de", "@TUM.de"),
        ("6789", "6789"),
    ],
)
def test_spans_point_into_the_stored_text(query: str, highlighted: str) -> None:
    fields = sk.contact_fields(
        {"native_name": "張偉", "latin_name": "Jonas Müller"},
        [
            {"kind": "phone", "raw": "+49 151 2345 6789", "value": "+4915123456789"},
            {"kind": "email", "raw": "J.Mueller@TUM.de", "value": "j.mueller@tum.de"},
        ],
    )
    assert _span_of(fields, query) == highlighted


def test_heteronym_span_maps_the_surname_reading() -> None:
    fields = sk.name_fields("单海明", "n")
    assert _span_of(fields, "shan hai") == "单海"
    assert _span_of(fields, "dan hai") == "单海"


def test_recency_seq_orders_iso_timestamps() -> None:
    a = sk.recency_seq("2026-01-02T03:04:05Z")
    b = sk.recency_seq("2026-01-02T03:04:06Z", None, "garbage")
    assert 0 < a < b and b - a == 1_000_000
    assert sk.recency_seq(None, "") == 0


_NAME_CHARS = st.sampled_from(list("张王李单沈曾解区欧阳司马伟明華偉") + list("abcüøßŁé "))


@settings(max_examples=100, deadline=None)
@given(name=st.text(_NAME_CHARS, min_size=1, max_size=6), data=st.data())
def test_every_key_finds_its_record_exactly_and_spans_stay_in_bounds(name: str, data: st.DataObject) -> None:
    fields = sk.name_fields(name, "n")
    for field in fields:
        for ki, key in enumerate(field.keys):
            assert sk.match_quality(key, key, ki < field.infix) == sk.EXACT
            start = data.draw(st.integers(0, max(0, len(key) - 1)))
            fragment = key[start:]
            forms = sk.normalize_query(fragment).forms
            if not forms:
                continue
            best = sk.best_match(forms, [field])
            if best is None:
                continue
            span = sk.span(field, best[3], forms[best[4]])
            if span is not None:
                assert 0 <= span[0] < span[1] <= len(field.display)


_key_tuples = st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=4).map(
    lambda k: tuple(dict.fromkeys(k))
)
_fields = st.lists(
    st.builds(
        lambda code, display, keys, infix: sk.Field(code, display, keys, min(infix, len(keys))),
        st.sampled_from(sorted(sk.FIELD_NAMES)),
        st.text(max_size=12),
        _key_tuples,
        st.integers(0, 4),
    ),
    max_size=6,
)


@given(_fields)
@settings(max_examples=300, deadline=None)
def test_fast_document_texts_equal_the_reference_encoding(fields: list[sk.Field]) -> None:
    """doc_texts (per-field shares, cached) gives exactly json.dumps of the fields and index_texts of them,
    and index_texts of the stored JSON gives the same texts again (what deleting an FTS row needs)."""
    text, names, other, grams = search_rows.doc_texts(fields)
    reference = [[f.code, "" if f.keys[0] == f.display else f.display, list(f.keys), f.infix] for f in fields]
    assert text == json.dumps(reference, ensure_ascii=False, separators=(",", ":"))
    assert (
        (names, other, grams) == search_rows.index_texts(fields) == search_rows.index_texts(json.loads(text))
    )
