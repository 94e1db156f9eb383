"""Stored values as staff read them, in the UI language: enum codes as their labels (``family_first`` →
"Family name first" / 姓在前), ISO country codes as country names (``US`` → United States / 美国) and
language codes as language names (``en`` → English / 英语).

Country and language names come from pycountry's ISO lists and the Chinese translations it ships (gettext
catalogues); a few names are set here where the everyday Chinese name differs from the ISO one."""

from __future__ import annotations

import gettext
from enum import Enum
from functools import lru_cache
from typing import Any, get_args

from .enums import LabeledEnum
from .i18n import get_lang, has, list_sep, normalize_lang, register, t

# Where the translated ISO name is not the name used on the mainland (or is needlessly long).
_ZH_COUNTRY = {"TW": "中国台湾", "HK": "中国香港", "MO": "中国澳门"}
_ZH_LANGUAGE = {"zh": "中文", "yue": "粤语"}


@lru_cache(maxsize=4)
def _catalogue(domain: str) -> gettext.NullTranslations:
    import pycountry

    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["zh_CN"])
    except OSError:  # a pycountry without its locales: the English names are still right
        return gettext.NullTranslations()


def _zh(domain: str, *names: str | None) -> str | None:
    catalogue = _catalogue(domain)
    for name in names:
        if name:
            translated = catalogue.gettext(name)
            if translated != name:
                return translated.split(";")[0].strip()
    return None


@lru_cache(maxsize=1024)
def _country_name(code: str, lang: str) -> str:
    import pycountry  # heavy: on first use

    country = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    if country is None:
        return code
    common = getattr(country, "common_name", None)
    if lang == "zh":
        return _ZH_COUNTRY.get(country.alpha_2) or _zh("iso3166-1", common, country.name) or country.name
    return common or country.name


def country_name(code: str | None, lang: str | None = None) -> str:
    """``US`` → "United States" / 美国; anything that is not an ISO alpha-2 code comes back as it is."""
    if not code:
        return ""
    return _country_name(code, normalize_lang(lang or get_lang()))


@lru_cache(maxsize=512)
def _language_name(code: str, lang: str) -> str:
    import pycountry

    key = code.lower()
    language = pycountry.languages.get(alpha_2=key) if len(key) == 2 else pycountry.languages.get(alpha_3=key)
    if language is None:
        return code
    if lang == "zh":
        return _ZH_LANGUAGE.get(key) or _zh("iso639-3", language.name) or str(language.name)
    return str(language.name)


def language_name(code: str | None, lang: str | None = None) -> str:
    """``en`` → "English" / 英语; an unknown code comes back as it is."""
    if not code:
        return ""
    return _language_name(code, normalize_lang(lang or get_lang()))


_COUNTRY_FIELDS = frozenset({"country", "nationalities"})
_LANGUAGE_FIELDS = frozenset({"languages"})


def value_label(
    field: str, value: Any, enum: type[LabeledEnum] | None = None, lang: str | None = None
) -> str:
    """A stored field value as text for people: the enum's label when ``enum`` is given, country and
    language names for those fields, lists joined with commas (、 in Chinese); anything else as is."""
    if value is None or value == "" or value == []:
        return ""
    lang = normalize_lang(lang or get_lang())
    if isinstance(value, list | tuple | set | frozenset):
        return list_sep(lang).join(value_label(field, item, enum, lang) for item in value)
    if isinstance(value, Enum):
        value = value.value
    if enum is not None:
        try:
            return enum(value).label(lang)
        except ValueError:
            return str(value)
    if field in _COUNTRY_FIELDS:
        return country_name(str(value), lang)
    if field in _LANGUAGE_FIELDS:
        return language_name(str(value), lang)
    return str(value)


def enum_of(annotation: Any) -> type[LabeledEnum] | None:
    """The enum inside a model field's annotation (``Gender | None``, ``list[IndustryChain]``,
    ``Annotated[...]``), if there is one."""
    if isinstance(annotation, type) and issubclass(annotation, LabeledEnum):
        return annotation
    for arg in get_args(annotation):
        found = enum_of(arg)
        if found is not None:
            return found
    return None


def model_value_label(model: Any, field: str, value: Any, lang: str | None = None) -> str:
    """``value`` of ``model``'s ``field`` for people (see :func:`value_label`), its enum taken from the
    model's annotation."""
    info = model.model_fields.get(field)
    return value_label(field, value, enum_of(info.annotation) if info else None, lang)


register(
    {
        # the usual labels of a contact point (staff may type any other)
        "point.label.work": ("work", "工作"),
        "point.label.personal": ("personal", "个人"),
        "point.label.private": ("private", "私人"),
        "point.label.mobile": ("mobile", "手机"),
        "point.label.home": ("home", "家庭"),
        "point.label.office": ("office", "办公室"),
        "point.label.fax": ("fax", "传真"),
        "point.label.other": ("other", "其他"),
        # what a search matched (search_keys.FIELD_NAMES)
        "match.native_name": ("native name", "中文姓名"),
        "match.pinyin": ("pinyin", "拼音"),
        "match.initials": ("initials", "拼音首字母"),
        "match.latin_name": ("Latin name", "拉丁字母姓名"),
        "match.alias": ("other name", "别名"),
        "match.email": ("email", "邮箱"),
        "match.phone": ("phone", "电话"),
        "match.wechat": ("WeChat", "微信"),
        "match.linkedin": ("LinkedIn", "领英"),
        "match.url": ("web page", "网页"),
        "match.address": ("address", "地址"),
        "match.org": ("organization", "机构"),
        "match.title": ("job title", "职务"),
        "match.field": ("field", "研究领域"),
        "match.tag": ("tag", "标签"),
        "match.name_zh": ("Chinese name", "中文名称"),
        "match.name_en": ("English name", "英文名称"),
        "match.number": ("case number", "事项编号"),
        "match.case_title": ("case title", "事项标题"),
        "match.beneficiary": ("beneficiary", "服务对象"),
    }
)


def point_label(label: str | None, lang: str | None = None) -> str:
    """A contact point's label in the UI language when it is one of the usual words (work, mobile…);
    anything else staff typed is shown as typed."""
    if not label:
        return ""
    key = f"point.label.{label.strip().lower()}"
    return t(key, lang) if has(key) else label


def match_label(field: str, lang: str | None = None) -> str:
    """What a search hit matched (``pinyin``, ``native_name``…) in words."""
    key = f"match.{field}"
    return t(key, lang) if has(key) else field


def subtitle_labels(text: str, lang: str | None = None) -> str:
    """A search hit's subtitle with the enum codes the index stores (``in_progress``, ``university``) as
    their labels."""
    from .enums import CaseStatus, OrgKind

    parts = text.split(" · ")
    for i, part in enumerate(parts):
        for enum in (CaseStatus, OrgKind):
            try:
                parts[i] = enum(part).label(lang)
                break
            except ValueError:
                continue
    return " · ".join(parts)
