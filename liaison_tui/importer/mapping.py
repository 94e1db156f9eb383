"""Guess which contact field each column of an imported table holds.

Headers come from staff spreadsheets in Chinese or English, with any spacing, punctuation, case or
full-width characters ("职务/职称", "E-mail", "Ｍｏｂｉｌｅ", "手机号码（必填）"). Matching is done on a
normalised form and in three steps, most certain first:

1. the whole header equals a synonym ("电子邮件", "Email", "名");
2. a Chinese synonym of two or more characters occurs inside the header ("紧急联系人电话", "单位地址");
3. an English synonym occurs as a run of whole words ("Mobile Phone", "Name of Organization").

In steps 2 and 3 the match that ends last wins, then the longest: Chinese and English compound headers
are head-final ("联系人电话" is a phone, "单位地址" an address, "Company Name" an organisation).

A plain "Name"/"Full name" column maps to ``native_name``: the domain layer decides later from the
script of each value whether it is really a Latin-script name. If another column already claims
``native_name`` (e.g. "中文名" next to "Name"), the plain one becomes ``latin_name``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Literal, get_args

from pydantic import BaseModel, Field, ValidationError, field_validator

from liaison_tui.domain.errors import LiaisonError
from liaison_tui.domain.i18n import register

CanonicalField = Literal[
    "native_name",
    "latin_name",
    "family_name",
    "given_name",
    "phones",
    "emails",
    "wechat",
    "org",
    "title",
    "nationality",
    "country",
    "city",
    "source",
    "notes",
    "field",
    "gender",
    "birth_date",
    "linkedin",
    "url",
    "tags",
    "industry_chain",
    "ignore",
]
CANONICAL_FIELDS: tuple[str, ...] = get_args(CanonicalField)

# Fields that several columns may feed (手机 + 办公电话, 备注 + 备注2); any other field is taken by
# the first column that maps to it and later candidates become "ignore".
MULTI_FIELDS: frozenset[str] = frozenset({"phones", "emails", "notes", "tags"})

IGNORE = "ignore"
_AMBIGUOUS_NAME = "\0name"  # internal marker for a plain "Name" column, resolved in guess_mapping

register(
    {
        "import.err.mapping_invalid": (
            "The saved column mapping is damaged or from an incompatible version. Set up the columns again "
            "and save the mapping under a new name.",
            "保存的列对应关系已损坏或版本不兼容。请重新设置各列的对应关系，并用新名称保存。",
        ),
    }
)

_SYNONYMS: dict[str, tuple[str, ...]] = {
    _AMBIGUOUS_NAME: ("name", "full name", "fullname", "contact name", "联系人"),
    "native_name": (
        "姓名",
        "名字",
        "中文名",
        "中文姓名",
        "中文名字",
        "嘉宾姓名",
        "人才姓名",
        "专家姓名",
        "客户姓名",
        "native name",
        "chinese name",
        "name (native)",
        "name in chinese",
        "local name",
    ),
    "latin_name": (
        "英文名",
        "英文姓名",
        "英文名字",
        "外文名",
        "外文姓名",
        "拼音",
        "姓名拼音",
        "拼音姓名",
        "english name",
        "name (latin)",
        "latin name",
        "name in english",
        "romanized name",
        "romanised name",
        "pinyin",
        "name pinyin",
    ),
    "family_name": ("姓", "姓氏", "last name", "family name", "surname", "lastname", "familyname"),
    "given_name": ("名", "first name", "given name", "forename", "firstname", "givenname"),
    "phones": (
        "手机",
        "手机号",
        "手机号码",
        "电话",
        "电话号码",
        "联系电话",
        "联系方式",
        "办公电话",
        "座机",
        "移动电话",
        "固定电话",
        "phone",
        "phones",
        "mobile",
        "tel",
        "telephone",
        "cell",
        "cellphone",
        "mobile phone",
        "phone number",
        "mobile number",
        "work phone",
        "office phone",
    ),
    "emails": (
        "邮箱",
        "电子邮件",
        "电子邮箱",
        "邮件",
        "邮箱地址",
        "电邮",
        "email",
        "emails",
        "e-mail",
        "mail",
        "email address",
        "e-mail address",
    ),
    "wechat": ("微信", "微信号", "wechat", "wechat id", "weixin", "wx"),
    "org": (
        "现任单位",
        "单位",
        "工作单位",
        "所在单位",
        "单位名称",
        "机构",
        "所在机构",
        "任职机构",
        "公司",
        "企业",
        "院校",
        "学校",
        "organization",
        "organisation",
        "org",
        "company",
        "affiliation",
        "institution",
        "employer",
        "university",
        "company name",
        "organization name",
        "organisation name",
        "institution name",
    ),
    "title": (
        "职务",
        "职称",
        "职位",
        "职务职称",
        "头衔",
        "岗位",
        "title",
        "position",
        "job title",
        "role",
    ),
    "nationality": ("国籍", "nationality", "citizenship"),
    "country": (
        "国家",
        "现居国家",
        "所在国家",
        "居住国",
        "国家地区",
        "country",
        "country of residence",
        "residence country",
    ),
    "city": ("城市", "所在城市", "现居城市", "city"),
    "source": ("来源", "信息来源", "来源渠道", "渠道", "推荐渠道", "source", "channel", "referral"),
    "notes": (
        "备注",
        "说明",
        "附注",
        "备忘",
        "notes",
        "note",
        "remark",
        "remarks",
        "comment",
        "comments",
        "memo",
    ),
    "field": (
        "研究领域",
        "领域",
        "研究方向",
        "专业领域",
        "专业",
        "学科",
        "field",
        "research field",
        "research area",
        "expertise",
        "discipline",
        "specialty",
        "speciality",
    ),
    "gender": ("性别", "gender", "sex"),
    "birth_date": (
        "出生日期",
        "出生年月",
        "出生年月日",
        "生日",
        "birth date",
        "date of birth",
        "dob",
        "birthday",
        "birthdate",
    ),
    "linkedin": ("领英", "linkedin", "linkedin url", "linkedin profile"),
    "url": ("网址", "主页", "个人主页", "网页", "url", "website", "homepage", "web page"),
    # 人才层次 (国家级/省级/...) is not the station's A–E tier; keep it as a tag rather than lose it.
    "tags": ("标签", "分类", "人才层次", "人才类别", "人才类型", "tags", "tag", "labels", "category"),
    "industry_chain": (
        "产业链",
        "产业",
        "行业",
        "产业方向",
        "industry",
        "industry chain",
        "industry_chain",
        "sector",
    ),
    # Headers that are recognisably headers but carry nothing to import: they still help to find the
    # header row, and they beat weaker synonyms inside them ("单位地址" is not an organisation).
    IGNORE: (
        "序号",
        "编号",
        "地址",
        "邮编",
        "照片",
        "附件",
        "日期",
        "no",
        "no.",
        "id",
        "index",
        "address",
        "photo",
        "#",
    ),
}


# Too short or generic to be trusted inside a longer header ("Email ID" is an email column).
_EXACT_ONLY = frozenset({"姓", "名", "no", "no.", "id", "index", "#"})


def _norm(text: str) -> str:
    """Case-, width-, space- and punctuation-insensitive form of a header."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", text).casefold()))


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def _build_indexes() -> tuple[dict[str, str], list[tuple[str, str]], list[tuple[tuple[str, ...], str]]]:
    exact: dict[str, str] = {}
    cjk: list[tuple[str, str]] = []
    latin: list[tuple[tuple[str, ...], str]] = []
    for target, synonyms in _SYNONYMS.items():
        # canonical names themselves ("phones", "birth_date") so vCard rows map onto themselves
        extra = (target,) if target in CANONICAL_FIELDS else ()
        for synonym in (*synonyms, *extra):
            exact.setdefault(_norm(synonym) or synonym, target)
            if synonym in _EXACT_ONLY:
                continue
            if _has_cjk(synonym):
                cjk.append((_norm(synonym), target))
            elif _words(synonym):
                latin.append((_words(synonym), target))
    return exact, cjk, latin


_EXACT, _CJK, _LATIN = _build_indexes()


def _best(candidates: Iterable[tuple[int, int, str]]) -> str | None:
    """Pick the candidate (end, length, target) that ends last, then is longest."""
    best = max(candidates, default=None, key=lambda c: (c[0], c[1]))
    return best[2] if best else None


def _cjk_match(key: str) -> str | None:
    hits = []
    for synonym, target in _CJK:
        pos = key.rfind(synonym)
        if pos >= 0:
            hits.append((pos + len(synonym), len(synonym), target))
    return _best(hits)


def _latin_match(words: tuple[str, ...]) -> str | None:
    hits = []
    for synonym, target in _LATIN:
        size = len(synonym)
        for start in range(len(words) - size, -1, -1):
            if words[start : start + size] == synonym:
                hits.append((start + size, size, target))
                break
    return _best(hits)


@lru_cache(maxsize=4096)
def _classify(header: str) -> str | None:
    """The target for one header, the internal ambiguous-name marker, or None if unrecognised."""
    key = _norm(header)
    if not key:
        return _EXACT.get(header.strip()) if header.strip() else None
    if key in _EXACT:
        return _EXACT[key]
    return _cjk_match(key) or _latin_match(_words(header))


def guess_field(header: str) -> str:
    """The canonical field for a single header, without looking at the other columns."""
    target = _classify(header)
    if target == _AMBIGUOUS_NAME:
        return "native_name"
    return target or IGNORE


def guess_mapping(headers: Sequence[str]) -> dict[str, str]:
    """Map every header to a canonical field or "ignore" (see the module docstring for the rules)."""
    guesses = {header: _classify(header) for header in headers}
    taken: set[str] = set()
    result: dict[str, str] = {}
    for header, target in guesses.items():
        if target is None or target in (IGNORE, _AMBIGUOUS_NAME):
            result[header] = IGNORE
            continue
        result[header] = target if target in MULTI_FIELDS or target not in taken else IGNORE
        taken.add(target)
    # plain "Name" columns last, so an explicit 中文名/英文名 elsewhere decides what they are
    for header, target in guesses.items():
        if target != _AMBIGUOUS_NAME:
            continue
        for candidate in ("native_name", "latin_name"):
            if candidate not in taken:
                result[header] = candidate
                taken.add(candidate)
                break
    return result


def header_score(cells: Sequence[str]) -> int:
    """How many cells of a row look like column headers; readers use it to find the header row.

    Long cells (titles, notes) never count, so a data row or a sheet title rarely scores.
    """
    return sum(1 for cell in cells if cell and len(cell.strip()) <= 30 and _classify(cell) is not None)


class Mapping(BaseModel):
    """A named header -> canonical field mapping that staff can save and reuse for similar files."""

    name: str = Field(min_length=1, max_length=100)
    columns: dict[str, CanonicalField] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name is blank")
        return value.strip()

    @classmethod
    def guess(cls, name: str, headers: Sequence[str]) -> Mapping:
        return cls.model_validate({"name": name, "columns": guess_mapping(headers)})

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, data: str | bytes) -> Mapping:
        try:
            return cls.model_validate_json(data)
        except ValidationError as exc:
            raise LiaisonError("import.err.mapping_invalid") from exc
