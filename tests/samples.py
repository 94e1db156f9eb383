"""The contact files a liaison station receives, generated for the tests: every person is invented.

One place makes every sample file the tests read, from a seeded pool of synthetic people, so a fresh
clone needs nothing beside it. The files have the shapes and quirks of real station files:

- ``summit_guests_excel_gbk.csv``: "CSV" as Excel on Chinese Windows saves it: GB18030 (GBK plus the
  few accented letters GBK lacks), CRLF rows, LF inside quoted multi-line cells, Chinese headers.
- ``alliance_referrals_utf8_bom.csv``: Excel's "CSV UTF-8": a BOM, CRLF rows, a note with "; ".
- ``summit_guests.xlsx``: a merged title row above the header, a date column, a blank row and a
  totals row ("合计") below the data.
- ``phone_contacts.vcf``: a phone's export: vCard 2.1 cards (QUOTED-PRINTABLE names with a CHARSET
  parameter, one in GB2312) mixed with vCard 3.0 cards (escaped text, long NOTE lines folded).
- broken files: binary garbage and a fill pattern named .csv, an empty file, a header without rows,
  ragged rows with an unclosed quote, and a workbook cut off mid-download.

Phones come in the formats staff type ("+61 834 993 792", "(+852) 175081954", "0061-941473791",
"（+86）…", national "0151 …" beside a country column...). In each sheet the same person may appear
twice (same email, written differently: combined on import), and some rows carry a Singapore number
with a ninth digit (Singapore numbers have eight: refused per row). People recur across files with the
same email and phone, so importing several files updates rather than duplicates them.

:func:`expected` says what importing a file into an empty store must give, from what was written.
``python -m tests.samples DIR`` writes the files to look at or to try ``liaison import`` on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import phonenumbers

GBK_CSV = "summit_guests_excel_gbk.csv"
BOM_CSV = "alliance_referrals_utf8_bom.csv"
XLSX = "summit_guests.xlsx"
VCARD = "phone_contacts.vcf"
GOOD = (GBK_CSV, BOM_CSV, XLSX, VCARD)
# broken file -> the reader's error key
BROKEN = {
    "empty.csv": "import.err.empty",
    "header_only.csv": "import.err.no_rows",
    "ragged.csv": "import.err.unclosed_quote",
    "truncated.xlsx": "import.err.xlsx_corrupt",
    "binary_garbage.csv": "import.err.binary",
    "fill_pattern.csv": "import.err.binary",
}

HEADERS = [
    "姓名",
    "英文名",
    "性别",
    "国籍",
    "现居国家",
    "现任单位",
    "职务/职称",
    "研究领域",
    "产业链",
    "人才层次",
    "手机",
    "邮箱",
    "微信号",
    "来源",
    "备注",
]
XLSX_HEADERS = [*HEADERS, "登记日期"]
XLSX_TITLE = "2023千山峰会嘉宾名单(示例,虚构)"
MULTILINE_NOTE = '备注含逗号, 引号"和换行\n第二行'
PREFERS_EMAIL = "Interested in a visiting professorship; prefers email"
RAGGED = '姓名,手机,邮箱\n张伟,+49 151 1234567\n李娜,+1 415 555 0100,li@example.org,extra,cols\n"未闭合引号,+44 20 7946 0000\n'

_FIXED_TIME = (2023, 10, 20, 9, 0, 0)


# ------------------------------------------------------------------------------------------ people


@dataclass(frozen=True)
class Country:
    zh: str
    en: str
    calling: str
    mobile: tuple[str, ...]  # leading digits of mobile numbers
    length: int  # national number length
    trunk: bool  # written nationally with a leading 0


COUNTRIES = {
    "AU": Country("澳大利亚", "Australia", "61", ("4",), 9, True),
    "CA": Country("加拿大", "Canada", "1", ("416", "604", "514"), 10, False),
    "DE": Country("德国", "Germany", "49", ("151", "160", "176"), 11, True),
    "FR": Country("法国", "France", "33", ("6", "7"), 9, True),
    "GB": Country("英国", "United Kingdom", "44", ("7",), 10, True),
    "HK": Country("中国香港", "Hong Kong SAR", "852", ("5", "6", "9"), 8, False),
    "JP": Country("日本", "Japan", "81", ("90", "80"), 10, True),
    "KR": Country("韩国", "South Korea", "82", ("10",), 10, True),
    "SE": Country("瑞典", "Sweden", "46", ("70", "73"), 9, True),
    "SG": Country("新加坡", "Singapore", "65", ("8", "9"), 8, False),
    "TW": Country("中国台湾", "Taiwan", "886", ("9",), 9, False),
    "US": Country("美国", "United States", "1", ("212", "415", "617"), 10, False),
}

_SURNAMES = [
    ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
    ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("马", "Ma"),
    ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("林", "Lin"), ("罗", "Luo"), ("高", "Gao"),
    ("郑", "Zheng"), ("谢", "Xie"), ("宋", "Song"), ("唐", "Tang"), ("许", "Xu"), ("韩", "Han"),
    ("冯", "Feng"), ("曹", "Cao"), ("曾", "Zeng"), ("董", "Dong"), ("傅", "Fu"), ("程", "Cheng"),
    ("欧阳", "Ouyang"), ("司马", "Sima"), ("诸葛", "Zhuge"), ("上官", "Shangguan"),
]  # fmt: skip
_GIVEN = [
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "杰", "涛", "明", "超", "强", "浩然", "子涵", "雨桐",
    "一鸣", "若曦", "嘉怡", "海燕", "文博", "天佑", "思远", "欣怡", "晓东", "志强", "丽华", "宇航",
]  # fmt: skip
_LATIN_GIVEN = [
    "Lukas", "Jürgen", "Élodie", "Zoë", "Chloé", "Priya", "Björn", "José", "Mateo", "Sophie", "Søren",
    "Hana", "Omar", "Felix", "Anna", "Paweł", "Ingrid", "Noah", "Amélie", "Yuki", "Olivia", "Luca",
]  # fmt: skip
_LATIN_FAMILY = [
    "Østergaard", "Müller", "García", "Nielsen", "Tanaka", "Kim", "Nguyen", "Novák", "Fernández",
    "Schmidt", "Rossi", "Dubois", "Svensson", "Kowalski", "Yamamoto", "Park", "Costa", "Horvat",
]  # fmt: skip
_ORGS = [
    "东京大学", "慕尼黑工业大学", "多伦多大学", "斯坦福大学", "ETH Zürich", "CNRS", "Fraunhofer IGD",
    "Max Planck Institute for Intelligent Systems", "Siemens Healthineers", "Imperial College London",
    "KTH Royal Institute of Technology", "National University of Singapore",
    "Samsung Advanced Institute of Technology",
]  # fmt: skip
_TITLES = [
    "教授", "副教授", "研究员", "首席科学家", "外籍院士", "博士后", "高级工程师", "创始人兼CEO", "CTO",
    "Associate Professor", "Principal Engineer",
]  # fmt: skip
_FIELDS = [
    "海洋观测", "合成生物学", "机器学习", "计算机视觉", "类脑计算", "蛋白质结构预测", "marine robotics",
    "MEMS sensors", "工业机器人", "虚拟现实显示", "large language models", "medical imaging",
]  # fmt: skip
_CHAINS = ["人工智能", "虚拟现实", "生物医药", "智能制造", "海洋", "新材料", "集成电路"]
_LEVELS = ["国家级", "省级", "市级", "海外高层次", "", ""]
_SOURCES = [
    "海外引才联盟推荐",
    "青岛国际人才创新创业周",
    "2023千山峰会",
    "自荐",
    "高校推荐",
    "慕尼黑招才引智活动",
]
_NOTES = [
    "需要协助办理工作许可",
    "对人才公寓感兴趣",
    "配偶希望在青就业",
    "已参加2023千山峰会人工智能专场",
    "有意来青考察,关注子女入学",
    PREFERS_EMAIL,
    "",
    "",
]
_TLDS = ["com", "org", "de", "edu"]


@dataclass(frozen=True)
class Person:
    """Someone the station knows; the same person looks the same in every file they appear in."""

    surname: str  # Chinese family name, "" for someone known only by a Latin name
    given: str
    latin_given: str  # "" for someone known only by a Chinese name
    latin_family: str
    gender: str  # "male", "female" or ""
    country: str  # ISO code: nationality and country of residence
    org: str
    title: str
    field: str
    chains: tuple[str, ...]
    level: str
    source: str
    note: str
    phone: str  # national significant number
    email: str
    wechat: str = ""

    @property
    def native(self) -> str:
        return self.surname + self.given

    @property
    def latin(self) -> str:
        return f"{self.latin_given} {self.latin_family}".strip()

    @property
    def calling(self) -> str:
        return COUNTRIES[self.country].calling

    @property
    def e164(self) -> str:
        return f"+{self.calling}{self.phone}"


@dataclass(frozen=True)
class Row:
    """One row (or card) as written into a file."""

    person: Person
    phone: str  # as written
    email: str  # as written
    wechat: str
    note: str
    refused: bool = False  # the phone cannot be dialled: the importer refuses the row
    registered: dt.date | None = None  # XLSX only


def _person(
    native: tuple[str, str] = ("", ""),
    latin: tuple[str, str] = ("", ""),
    *,
    gender: str = "",
    country: str,
    org: str,
    title: str = "教授",
    field: str = "机器学习",
    chains: tuple[str, ...] = ("人工智能",),
    level: str = "",
    source: str = "自荐",
    note: str = "",
    phone: str,
    email: str,
    wechat: str = "",
) -> Person:
    return Person(
        *native, *latin, gender, country, org, title, field, chains, level, source, note, phone, email, wechat
    )


# People the tests look up by name, email or row number; each sits in one file only.
# fmt: off
SUN_CHAO = _person(("孙", "超"), country="TW", org="东京大学", title="创始人兼CEO", field="海洋观测",
                   chains=("集成电路",), source="海外引才联盟推荐", note="需要协助办理工作许可",
                   phone="155244456", email="user57@example.com")
CHENG_QIANG = _person(("程", "强"), ("Jürgen", "Cheng"), gender="female", country="AU",
                      org="Max Planck Institute for Intelligent Systems", title="外籍院士",
                      phone="438790093", email="jurgen.cheng20@example.de")
LUKAS = _person(latin=("Lukas", "Østergaard"), gender="male", country="JP", org="Siemens Healthineers",
                title="CTO", field="虚拟现实显示", chains=("海洋",), level="国家级", source="海外引才联盟推荐",
                note="配偶希望在青就业", phone="9041412917", email="lukas.stergaard19@example.com",
                wechat="wx_0019")
LIU_ZIHAN = _person(("刘", "子涵"), country="HK", org="ETH Zürich", title="首席科学家", phone="527911989",
                    email="user18@example.de")
SIMA = _person(("司马", "建华"), ("Björn", "Sima"), gender="male", country="KR", org="Fraunhofer IGD",
               phone="1035537757", email="bjorn.sima53@example.com")
ZHUGE = _person(("诸葛", "磊"), country="DE", org="慕尼黑工业大学", phone="15112345670", email="user99@example.org")
WANG_HAORAN = _person(("王", "浩然"), gender="female", country="AU", org="ETH Zürich", note="配偶希望在青就业",
                      phone="458513893", email="user13@example.com", wechat="talent13")
SOPHIE = _person(latin=("Sophie", "Łukasiewicz"), gender="female", country="FR", org="CNRS", note=PREFERS_EMAIL,
                 phone="612345670", email="sophie.lukasiewicz7@example.org")
MATEO = _person(latin=("Mateo", "García"), gender="male", country="FR", org="Siemens Healthineers",
                title="Associate Professor", phone="69584830", email="mateo.garcia3@example.org")
LIANG = _person(("梁", "文博"), gender="male", country="SE", org="CNRS", title="研究员", phone="899139441",
                email="user2@example.com")
LUO_JIE = _person(("罗", "杰"), country="US", org="斯坦福大学", phone="7134761825", email="yuki.luo10@example.de")
SOREN = _person(latin=("Søren", "Tanaka"), country="HK", org="东京大学", phone="88768654",
                email="sren.tanaka14@example.org")
GB2312_CARD = _person(("冯", "强"), country="AU", org="多伦多大学", phone="483456714", email="user7@example.org")
BJORN = _person(latin=("Björn", "Novák"), country="US", org="斯坦福大学", title="首席科学家", field="合成生物学",
                source="海外引才联盟推荐", note=PREFERS_EMAIL, phone="2124836694", email="bjorn.novak1@example.com")
CHEN_FANG = _person(("陈", "芳"), country="HK", org="National University of Singapore", title="研究员",
                    field="海洋观测", source="高校推荐", note=MULTILINE_NOTE, phone="81512297",
                    email="felix.chen13@example.org")
SONG = _person(("宋", "天佑"), country="HK", org="东京大学", phone="59377119", email="user28@example.de")
ZOE = _person(latin=("Zoë", "Müller"), country="DE", org="CNRS", phone="17612345671", email="zoe.muller11@example.org")
LANDMARKS = (
    SUN_CHAO, CHENG_QIANG, LUKAS, LIU_ZIHAN, SIMA, ZHUGE, WANG_HAORAN, SOPHIE, MATEO, LIANG, LUO_JIE, SOREN,
    GB2312_CARD, BJORN, CHEN_FANG, SONG, ZOE,
)
# fmt: on


def _ascii(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if ch.isascii() and ch.isalpha()).lower()


def _mobile(rng: random.Random, code: str) -> str:
    """A valid mobile-looking national number of ``code``'s numbering plan (phonenumbers decides)."""
    country = COUNTRIES[code]
    for _ in range(1000):
        prefix = rng.choice(country.mobile)
        digits = prefix + "".join(rng.choice("0123456789") for _ in range(country.length - len(prefix)))
        number = phonenumbers.parse(f"+{country.calling}{digits}")
        if phonenumbers.is_valid_number_for_region(number, code):
            return digits
    raise AssertionError(f"no valid number drawn for {code}")


class _World:
    """Seeded synthetic people with unique emails, phones and WeChat ids."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.emails = {p.email for p in LANDMARKS}
        self.phones = {p.e164 for p in LANDMARKS}
        self.names = {p.native or p.latin for p in LANDMARKS}
        self.serial = 100

    def person(self, country: str | None = None) -> Person:
        rng = self.rng
        kind = rng.choice(["native", "native", "both", "both", "latin"])
        while True:
            surname, pinyin = rng.choice(_SURNAMES)
            given = rng.choice(_GIVEN)
            latin_given, latin_family = rng.choice(_LATIN_GIVEN), rng.choice(_LATIN_FAMILY)
            if kind == "both":
                latin_family = pinyin
            if kind == "native":
                latin_given = latin_family = ""
            if kind == "latin":
                surname = given = ""
            name = surname + given or f"{latin_given} {latin_family}"
            if name not in self.names:
                self.names.add(name)
                break
        code = country or rng.choice(sorted(set(COUNTRIES) - {"SG"}))
        while True:
            phone = _mobile(rng, code)
            if f"+{COUNTRIES[code].calling}{phone}" not in self.phones:
                self.phones.add(f"+{COUNTRIES[code].calling}{phone}")
                break
        local = f"{_ascii(latin_given)}.{_ascii(latin_family)}" if latin_given else "user"
        tld = rng.choice(_TLDS)
        email = ""
        while not email or email in self.emails:
            self.serial += 1
            email = f"{local}{self.serial}@example.{tld}"
        self.emails.add(email)
        wechat = rng.choice(["", "", f"wx_{self.serial:04d}", f"talent{self.serial}"])
        return Person(
            surname,
            given,
            latin_given,
            latin_family,
            rng.choice(["male", "female", ""]),
            code,
            rng.choice(_ORGS),
            rng.choice(_TITLES),
            rng.choice(_FIELDS),
            tuple(rng.sample(_CHAINS, rng.choice([1, 1, 2]))),
            rng.choice(_LEVELS),
            rng.choice(_SOURCES),
            rng.choice(_NOTES),
            phone,
            email,
            wechat,
        )

    def undialable(self) -> Person:
        """A Singapore contact whose number has a ninth digit."""
        person = self.person("SG")
        person = replace(person, phone=person.phone + self.rng.choice("0123456789"))
        assert not phonenumbers.is_possible_number(phonenumbers.parse(person.e164))
        return person


# Which people of the pool each file holds: overlaps are the same people in two files.
_FILE_PEOPLE = {
    GBK_CSV: [range(0, 55)],
    XLSX: [range(45, 92)],  # 45-54 also in the GBK file
    BOM_CSV: [range(50, 55), range(85, 115)],  # 50-54 in all three sheets, 85-91 also in the XLSX
    VCARD: [range(110, 138)],  # 110-114 also in the BOM file
}
_POOL_SIZE = 138
# file -> (pool index -> landmark): the people the tests name, each in one file only
_PLACED = {
    GBK_CSV: {0: SUN_CHAO, 1: CHENG_QIANG, 2: LUKAS, 3: LIU_ZIHAN, 4: SIMA, 5: ZHUGE},
    XLSX: {55: MATEO, 56: LIANG},
    BOM_CSV: {92: WANG_HAORAN, 93: SOPHIE},
    VCARD: {115: LUO_JIE, 116: SOREN, 117: GB2312_CARD, 118: BJORN, 119: CHEN_FANG, 120: SONG, 121: ZOE},
}


@cache
def _pool() -> tuple[Person, ...]:
    world = _World(seed=2023)
    placed = {i: p for by_index in _PLACED.values() for i, p in by_index.items()}
    return tuple(placed.get(i) or world.person() for i in range(_POOL_SIZE))


def _people(name: str) -> list[Person]:
    pool = _pool()
    return [pool[i] for r in _FILE_PEOPLE[name] for i in r]


# ------------------------------------------------------------------------------------------ phones

# How staff write a number: (+country, national number) -> text. "national" needs the country column.
PHONE_STYLES = {
    "e164": lambda cc, n: f"+{cc}{n}",
    "grouped": lambda cc, n: f"+{cc} {n[:3]} {n[3:6]} {n[6:]}",
    "dashed": lambda cc, n: f"+{cc} {n[:4]}-{n[4:]}",
    "parenthesised": lambda cc, n: f"(+{cc}) {n}",
    "full-width": lambda cc, n: f"（+{cc}）{n}",
    "00-prefix": lambda cc, n: f"00{cc}-{n}",
    "national": lambda cc, n: f"0{n[:3]} {n[3:]}",
}


def _phone(rng: random.Random, person: Person, styles: list[str]) -> str:
    usable = [s for s in styles if s != "national" or COUNTRIES[person.country].trunk]
    return PHONE_STYLES[rng.choice(usable)](person.calling, person.phone)


# -------------------------------------------------------------------------------------------- rows


def _arrange(
    rng: random.Random,
    people: list[Person],
    styles: list[str],
    *,
    repeats: int,
    refused: int,
    fixed: dict[int, Row],
    world: _World,
) -> list[Row]:
    """The rows of one sheet: each person once, some repeated later (same email written differently, a
    WeChat id added), rows with an undialable number scattered in, and ``fixed`` rows at their index."""
    landmarks = {row.person.email for row in fixed.values()}
    rows = [
        Row(p, _phone(rng, p, styles), p.email, p.wechat, p.note) for p in people if p.email not in landmarks
    ]
    for _ in range(repeats):
        at = rng.randrange(len(rows) // 2)
        person = rows[at].person
        rows[at] = replace(rows[at], wechat="")  # the WeChat id comes with the later row
        again = Row(person, _phone(rng, person, styles), person.email.upper(), person.wechat, person.note)
        rows.insert(rng.randrange(at + 1, len(rows) + 1), again)
    for _ in range(refused):
        person = world.undialable()
        rows.insert(
            rng.randrange(len(rows) + 1),
            Row(person, _phone(rng, person, styles), person.email, "", person.note, True),
        )
    out: list[Row] = []
    free = iter(rows)
    for index in range(len(rows) + len(fixed)):
        out.append(fixed[index] if index in fixed else next(free))
    return out


def _with_multiline_notes(rng: random.Random, rows: list[Row], count: int, keep: set[int]) -> list[Row]:
    """``count`` rows in all carry the note with a comma, a doubled quote and a line break."""
    have = sum(row.note == MULTILINE_NOTE for row in rows)
    choices = [i for i, row in enumerate(rows) if i not in keep and row.note != MULTILINE_NOTE]
    for i in rng.sample(choices, count - have):
        rows[i] = replace(rows[i], note=MULTILINE_NOTE)
    return rows


@cache
def rows(name: str) -> tuple[Row, ...]:
    """The rows (cards for the vCard file) of a good sample, as written, in file order."""
    world = _World(seed={GBK_CSV: 1, BOM_CSV: 2, XLSX: 3, VCARD: 4}[name])
    world.emails |= {p.email for p in _pool()}
    world.phones |= {p.e164 for p in _pool()}
    world.names |= {p.native or p.latin for p in _pool()}
    rng = random.Random(name)
    people = _people(name)
    sheet_styles = ["e164", "grouped", "dashed", "parenthesised", "00-prefix", "national"]
    if name == GBK_CSV:
        styles = [*sheet_styles, "full-width"]
        hu_tao = replace(world.undialable(), surname="胡", given="涛", note=MULTILINE_NOTE)
        fixed = {
            0: Row(SUN_CHAO, "(+886) 155244456", SUN_CHAO.email, "", SUN_CHAO.note),
            1: Row(CHENG_QIANG, "(+61) 438790093", CHENG_QIANG.email, "", CHENG_QIANG.note),
            3: Row(LUKAS, "+81 90-4141-2917", LUKAS.email.upper(), "", LUKAS.note),  # its WeChat comes later
            4: Row(hu_tao, "0065-826447447", hu_tao.email, "", MULTILINE_NOTE, True),
            6: Row(LIU_ZIHAN, "+852527911989", LIU_ZIHAN.email, "", ""),
            9: Row(LUKAS, "+81 9041412917", LUKAS.email, LUKAS.wechat, LUKAS.note),
            12: Row(SIMA, "0082-1035537757", SIMA.email, "", ""),
            65: Row(ZHUGE, "0151 12345670", ZHUGE.email, "", ""),
        }
        out = _arrange(rng, people, styles, repeats=4, refused=5, fixed=fixed, world=world)
        return tuple(_with_multiline_notes(rng, out, 6, set(fixed)))
    if name == BOM_CSV:
        fixed = {
            0: Row(WANG_HAORAN, "+61458513893", WANG_HAORAN.email, WANG_HAORAN.wechat, WANG_HAORAN.note),
            7: Row(SOPHIE, "+33 6 12 34 56 70", SOPHIE.email, "", PREFERS_EMAIL),
        }
        out = _arrange(rng, people, sheet_styles, repeats=2, refused=6, fixed=fixed, world=world)
        return tuple(_with_multiline_notes(rng, out, 2, set(fixed)))
    if name == XLSX:
        fixed = {
            0: Row(MATEO, "(+33) 069584830", MATEO.email, "", ""),
            20: Row(LIANG, "+46899139441", LIANG.email.upper(), "", "已参加2023千山峰会人工智能专场"),
        }
        out = _arrange(rng, people, sheet_styles, repeats=3, refused=4, fixed=fixed, world=world)
        out = _with_multiline_notes(rng, out, 3, set(fixed))
        start = dt.date(2023, 10, 24)
        return tuple(
            replace(row, registered=start + dt.timedelta(days=i * 3 // len(out))) for i, row in enumerate(out)
        )
    # vCards: phones only in international formats (a phone's contact has no country column)
    card_styles = ["e164", "grouped", "dashed", "parenthesised", "00-prefix"]
    refused = replace(world.undialable(), latin_given="Lukas", latin_family="Nielsen", surname="", given="")
    fixed = {
        0: Row(LUO_JIE, "001-7134761825", LUO_JIE.email, "", ""),
        2: Row(refused, "+65 3209-41663", refused.email, "", refused.note, True),
        3: Row(SOREN, "+852 8876 8654", SOREN.email, "", ""),
        6: Row(GB2312_CARD, "0061-483456714", GB2312_CARD.email, "", ""),
        19: Row(BJORN, "+1 212 483 6694", BJORN.email, "", BJORN.note),
        23: Row(CHEN_FANG, "+852 8151 2297", CHEN_FANG.email, "", MULTILINE_NOTE),
    }
    return tuple(_arrange(rng, people, card_styles, repeats=0, refused=1, fixed=fixed, world=world))


@dataclass(frozen=True)
class Expected:
    """What importing one good sample into an empty store gives, from the rows as written."""

    rows: int
    created: int  # distinct people among the dialable rows
    duplicates: int  # further rows of someone already in the file: combined
    failed: int  # rows with an undialable number
    multiline_notes: int


def expected(name: str) -> Expected:
    written = rows(name)
    good = [row for row in written if not row.refused]
    people = {row.person.email for row in good}
    return Expected(
        len(written),
        len(people),
        len(good) - len(people),
        len(written) - len(good),
        sum(row.note == MULTILINE_NOTE for row in written),
    )


def distinct_people() -> int:
    """How many contacts importing every good sample gives: the same person in two files is one."""
    return len({row.person.email for name in GOOD for row in rows(name) if not row.refused})


# ----------------------------------------------------------------------------------------- writing


def _sheet_cells(row: Row, rng: random.Random) -> list[str]:
    person = row.person
    country = COUNTRIES[person.country]
    gender = {"male": rng.choice(["男", "M"]), "female": rng.choice(["女", "F"]), "": ""}[person.gender]
    return [
        person.native,
        person.latin,
        gender,
        rng.choice([country.zh, country.en]),
        country.zh,
        person.org,
        person.title,
        person.field,
        "、".join(person.chains),
        person.level,
        row.phone,
        row.email,
        row.wechat,
        person.source,
        row.note,
    ]


@cache
def sheet_cells(name: str) -> tuple[tuple[str, ...], ...]:
    """The cells under the header of a CSV or XLSX sample, as written ("" for an empty cell)."""
    rng = random.Random(f"{name} cells")
    out = [_sheet_cells(row, rng) for row in rows(name)]
    if name == XLSX:
        out = [
            [*cells, row.registered.isoformat() if row.registered else ""]
            for cells, row in zip(out, rows(name), strict=True)
        ]
    return tuple(tuple(cells) for cells in out)


def _csv_text(name: str) -> str:
    out = io.StringIO(newline="")
    # Excel ends rows with CRLF; a line break typed inside a cell (Alt+Enter) stays a bare LF
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(sheet_cells(name))
    return out.getvalue()


def _xlsx(name: str) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "嘉宾名单"
    sheet.append([XLSX_TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(XLSX_HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(XLSX_HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    written = rows(name)
    for row, cells in zip(written, sheet_cells(name), strict=True):
        assert row.registered is not None
        sheet.append([*(cell or None for cell in cells[:-1]), dt.datetime.combine(row.registered, dt.time())])
        sheet.cell(sheet.max_row, len(XLSX_HEADERS)).number_format = "yyyy-mm-dd"
        sheet.cell(sheet.max_row, len(HEADERS)).alignment = Alignment(wrap_text=True)
    sheet.append([])
    sheet.append(["合计", len(written)])
    sheet.freeze_panes = "A3"
    return _workbook_bytes(workbook)


def _workbook_bytes(workbook: object) -> bytes:
    """The workbook saved with fixed timestamps, so the same rows give the same bytes every run."""
    from openpyxl.writer.excel import ExcelWriter

    fixed = dt.datetime(*_FIXED_TIME)
    workbook.properties.created = workbook.properties.modified = fixed  # type: ignore[attr-defined]
    saved = io.BytesIO()
    with zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    frozen = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(frozen, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(
                zipfile.ZipInfo(info.filename, _FIXED_TIME), source.read(info), zipfile.ZIP_DEFLATED
            )
    return frozen.getvalue()


def _qp(text: str, charset: str) -> str:
    """QUOTED-PRINTABLE as phones write it in vCard 2.1: every byte encoded."""
    return "".join(f"={byte:02X}" for byte in text.encode(charset))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """vCard 3.0 line folding: at most 75 octets a line, continuation lines start with a space."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    return [*parts, current]


def card_version(number: int) -> str:
    """Every third card comes from an old phone: vCard 2.1 with quoted-printable names and no ORG/NOTE."""
    return "2.1" if number % 3 == 1 else "3.0"


def card_name(row: Row) -> tuple[str, str, str]:
    """(FN, family, given): a phone keeps one name per contact, the Chinese one when there is one."""
    person = row.person
    if person.native:
        return person.native, person.surname, person.given
    return person.latin, person.latin_family, person.latin_given


def _card(number: int, row: Row) -> list[str]:
    person = row.person
    full, family, given = card_name(row)
    if card_version(number) == "2.1":
        charset = "GB2312" if person is GB2312_CARD else "UTF-8"
        params = f";CHARSET={charset};ENCODING=QUOTED-PRINTABLE:"
        return [
            "BEGIN:VCARD",
            "VERSION:2.1",
            f"N{params}{_qp(family, charset)};{_qp(given, charset)};;;",
            f"FN{params}{_qp(full, charset)}",
            f"TEL;CELL:{row.phone}",
            f"EMAIL;INTERNET:{row.email}",
            "END:VCARD",
        ]
    return [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{_escape(full)}",
        f"N:{_escape(family)};{_escape(given)};;;",
        f"ORG:{_escape(person.org)}",
        f"TITLE:{_escape(person.title)}",
        f"TEL;TYPE=CELL:{row.phone}",
        f"EMAIL;TYPE=INTERNET,WORK:{row.email}",
        *_fold(f"NOTE:{_escape(card_note(row))}"),
        "END:VCARD",
    ]


def card_note(row: Row) -> str:
    """The NOTE of a vCard 3.0 card: the note, the field and the source, as a phone's contact app joins them."""
    return " ".join(part for part in (row.note, row.person.field, row.person.source) if part)


def _vcard() -> str:
    return "".join(line + "\r\n" for number, row in enumerate(rows(VCARD), 1) for line in _card(number, row))


@cache
def sample_bytes(name: str) -> bytes:
    """The bytes of one sample file (good or broken)."""
    if name in (GBK_CSV, BOM_CSV):
        text = _csv_text(name)
        return text.encode("gb18030") if name == GBK_CSV else text.encode("utf-8-sig")
    if name == XLSX:
        return _xlsx(name)
    if name == VCARD:
        return _vcard().encode()
    if name == "empty.csv":
        return b""
    if name == "header_only.csv":
        return (",".join(HEADERS) + "\r\n").encode("gb18030")
    if name == "ragged.csv":
        return RAGGED.encode()
    if name == "truncated.xlsx":  # a download cut off: the start of a good workbook
        whole = sample_bytes(XLSX)
        return whole[: len(whole) // 3]
    if name == "binary_garbage.csv":  # e.g. a photo saved under a .csv name
        return random.Random(name).randbytes(4096)
    if name == "fill_pattern.csv":  # a disk block of fill bytes: decodes as GB18030 kana, no delimiter
        return b"\xa5" * 4096
    raise KeyError(name)


def all_samples() -> Iterator[tuple[str, bytes]]:
    for name in (*GOOD, *BROKEN):
        yield name, sample_bytes(name)


def write_samples(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in all_samples():
        (folder / name).write_bytes(data)
    return folder


if __name__ == "__main__":
    target = write_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "samples"))
    print(f"sample files written to {target}")
