"""Stored codes shown as people read them: labels, country and language names, in both languages."""

from __future__ import annotations

from liaison_tui.domain.display import country_name, language_name, model_value_label, value_label
from liaison_tui.domain.enums import Gender, IndustryChain
from liaison_tui.domain.models import Contact
from liaison_tui.domain.values import language_code


def test_language_codes_are_read_as_codes_first() -> None:
    # "en" and "ko" are also names of two small languages in ISO 639-3 ("enc", "ko")
    assert [language_code(v) for v in ("en", "EN", "ko", "zh", "deu", "German", "Chinese")] == [
        "en",
        "en",
        "ko",
        "zh",
        "de",
        "de",
        "zh",
    ]
    assert Contact.model_validate({"latin_name": "A B", "languages": ["en"]}).languages == ["en"]


def test_country_and_language_names_in_both_languages() -> None:
    assert (country_name("US", "en"), country_name("US", "zh")) == ("United States", "美国")
    assert (country_name("KR", "en"), country_name("KR", "zh")) == ("South Korea", "韩国")
    assert country_name("TW", "zh") == "中国台湾"
    assert country_name("XX", "en") == "XX"  # not a code: shown as it is
    assert (language_name("en", "en"), language_name("en", "zh")) == ("English", "英语")
    assert language_name("zh", "zh") == "中文"


def test_values_of_model_fields_become_labels() -> None:
    assert model_value_label(Contact, "gender", "female", "zh") == "女"
    assert model_value_label(Contact, "industry_chains", ["ai", "new_materials"], "en") == (
        "Artificial intelligence, New materials"
    )
    assert model_value_label(Contact, "industry_chains", ["ai", "new_materials"], "zh") == "人工智能、新材料"
    assert model_value_label(Contact, "nationalities", ["GB", "CN"], "en") == "United Kingdom, China"
    assert model_value_label(Contact, "name_order", "family_first", "en") == "Family name first"
    assert model_value_label(Contact, "title", "Professor", "zh") == "Professor"
    assert value_label("gender", Gender.MALE, Gender, "en") == "Male"
    assert value_label("industry_chains", "unknown", IndustryChain, "en") == "unknown"
