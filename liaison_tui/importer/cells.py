"""Interpret one spreadsheet cell as a contact value: gender, country, industry chains, source, lists.

Staff sheets write these in Chinese or English, as codes or as labels ("男", "M", "female"; "澳大利亚",
"Hong Kong SAR", "DE"; "智能制造、生物医药"). Exports write labels in the user's language, so every label
this module accepts includes the enum labels of both languages: an export imports back unchanged.

Failures raise :class:`PydanticCustomError` with a catalog key, the same way the domain's validators
do, so the row builder reports them per field in the user's language.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import cache, lru_cache

from pydantic_core import PydanticCustomError

from ..domain.enums import ContactSource, Gender, IndustryChain
from ..domain.i18n import register
from ..domain.validation import custom
from ..domain.values import country_code

register(
    {
        "import.err.gender": (
            "'{value}' is not a gender (use 男/女, M/F, male/female)",
            "“{value}”不是有效的性别（可填 男/女、M/F）",
        ),
    }
)

_LIST_SPLIT = re.compile(r"[,;，；、\n]+")
_PHONE_SPLIT = re.compile(r"[;；,，/\n]+")
_EMAIL_SPLIT = re.compile(r"[;；,，\s]+")

# Country names and codes staff write that neither pycountry nor its Chinese catalog knows.
_COUNTRY_ALIASES: dict[str, str] = {
    "中国香港": "HK",
    "香港": "HK",
    "hong kong sar": "HK",
    "hong kong sar china": "HK",
    "hongkong": "HK",
    "中国澳门": "MO",
    "澳门": "MO",
    "macau": "MO",
    "macao sar": "MO",
    "中国台湾": "TW",
    "台湾": "TW",
    "taiwan": "TW",
    "中华台北": "TW",
    "中国": "CN",
    "中国大陆": "CN",
    "mainland china": "CN",
    "prc": "CN",
    "韩国": "KR",
    "南韩": "KR",
    "south korea": "KR",
    "korea": "KR",
    "朝鲜": "KP",
    "north korea": "KP",
    "美国": "US",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "america": "US",
    "英国": "GB",
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "俄罗斯": "RU",
    "russia": "RU",
    "越南": "VN",
    "vietnam": "VN",
    "伊朗": "IR",
    "iran": "IR",
    "荷兰": "NL",
    "the netherlands": "NL",
    "holland": "NL",
    "捷克": "CZ",
    "czech republic": "CZ",
    "土耳其": "TR",
    "turkey": "TR",
    "老挝": "LA",
    "laos": "LA",
    "叙利亚": "SY",
    "玻利维亚": "BO",
    "委内瑞拉": "VE",
    "坦桑尼亚": "TZ",
    "摩尔多瓦": "MD",
    "德意志": "DE",
    "西德": "DE",
}


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@cache
def _chinese_country_names() -> dict[str, str]:
    """Chinese country names from pycountry's own translation catalog (no extra data shipped)."""
    import pycountry

    out: dict[str, str] = {}
    for lang in ("zh_CN", "zh_TW", "zh_HK"):
        try:
            catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            continue
        for country in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                english = getattr(country, attr, None)
                if english:
                    local = catalog.gettext(english)
                    if local != english:
                        out.setdefault(_key(local), country.alpha_2)
                        # "大韩民国" is fine, but "中国台湾省"-style suffixes are often dropped
                        out.setdefault(_key(local).removesuffix("省"), country.alpha_2)
    return out


@lru_cache(maxsize=4096)
def parse_country(text: str) -> str:
    """ISO alpha-2 for a code, an English or a Chinese country name; raises ``err.country``."""
    key = _key(text)
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    chinese = _chinese_country_names().get(key)
    if chinese:
        return chinese
    return country_code(text)  # codes and English names; raises err.country


_GENDERS: dict[str, str] = {
    "男": "male",
    "男性": "male",
    "先生": "male",
    "m": "male",
    "male": "male",
    "man": "male",
    "mr": "male",
    "女": "female",
    "女性": "female",
    "女士": "female",
    "f": "female",
    "female": "female",
    "woman": "female",
    "w": "female",
    "ms": "female",
    "mrs": "female",
    "其他": "other",
    "other": "other",
    "x": "other",
    "diverse": "other",
    "d": "other",
}


def parse_gender(text: str) -> str | None:
    if not text.strip():
        return None
    key = _key(text).rstrip(".")
    found = _GENDERS.get(key) or _labels(Gender).get(key)
    if found is None:
        raise custom("import.err.gender", value=text)
    return found


@cache
def _labels(enum: type[ContactSource] | type[Gender] | type[IndustryChain]) -> dict[str, str]:
    """Both languages' labels and the values themselves -> value."""
    out: dict[str, str] = {}
    for member in enum:
        for lang in ("en", "zh"):
            out[_key(member.label(lang))] = member.value
        out[_key(member.value)] = member.value
    return out


_CHAIN_ALIASES: dict[str, str] = {
    "ai": "ai",
    "海洋": "marine",
    "海洋产业": "marine",
    "marine": "marine",
    "蓝色经济": "marine",
    "vr": "vr",
    "虚拟现实产业": "vr",
    "生物医药产业": "biomedicine",
    "biotech": "biomedicine",
    "芯片": "integrated_circuits",
    "半导体": "integrated_circuits",
    "semiconductors": "integrated_circuits",
    "ic": "integrated_circuits",
    "新材料产业": "new_materials",
    "materials": "new_materials",
    "智能制造产业": "smart_manufacturing",
    "manufacturing": "smart_manufacturing",
}


@lru_cache(maxsize=4096)  # a column holds a few distinct values, repeated row after row
def parse_chains(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(industry chain values, words that are not a chain: kept as tags rather than lost)."""
    chains: list[str] = []
    rest: list[str] = []
    labels = _labels(IndustryChain)
    for part in split_list(text):
        key = _key(part)
        found = labels.get(key) or _CHAIN_ALIASES.get(key)
        if found:
            if found not in chains:
                chains.append(found)
        elif part not in rest:
            rest.append(part)
    return tuple(chains), tuple(rest)


# Free-text sources ("2023千山峰会", "海外引才联盟推荐") -> the station's source categories, by keyword;
# the text itself is kept as source_detail.
_SOURCE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("alliance_referral", ("联盟", "alliance")),
    ("overseas_station", ("海外工作站", "工作站", "overseas station")),
    ("employer_referral", ("单位推荐", "企业推荐", "高校推荐", "employer", "university referral")),
    ("self", ("自荐", "自主", "self", "walk-in")),
    (
        "event",
        (
            "峰会",
            "活动",
            "创业周",
            "大会",
            "论坛",
            "招聘会",
            "交流会",
            "路演",
            "summit",
            "event",
            "fair",
            "forum",
            "roadshow",
            "conference",
            "webinar",
        ),
    ),
)


@lru_cache(maxsize=4096)
def parse_source(text: str) -> tuple[str, str | None]:
    """(ContactSource value, the text as written when it is more than the category's label)."""
    if not text.strip():
        return ContactSource.IMPORT.value, None
    key = _key(text)
    exact = _labels(ContactSource).get(key)
    if exact:
        return exact, None
    for value, words in _SOURCE_WORDS:
        if any(w in key for w in words):
            return value, text.strip()
    return ContactSource.IMPORT.value, text.strip()


@lru_cache(maxsize=4096)
def _split_list(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in _LIST_SPLIT.split(text) if p.strip()))


def split_list(text: str) -> list[str]:
    return list(_split_list(text))


def split_phones(text: str) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in _PHONE_SPLIT.split(text) if p.strip()))


def split_emails(text: str) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in _EMAIL_SPLIT.split(text) if p.strip()))


def split_lines(text: str) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in text.splitlines() if p.strip()))


def is_latin(text: str) -> bool:
    """Every letter is Latin script (a "姓名" column holding "Anna Schmidt" is a Latin name)."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


__all__ = [
    "PydanticCustomError",
    "is_latin",
    "parse_chains",
    "parse_country",
    "parse_gender",
    "parse_source",
    "split_emails",
    "split_lines",
    "split_list",
    "split_phones",
]
