"""One phone rule (``domain.values.normalize_phone``) gives the same answer on every path: the contact form,
``liaison contact add`` and an import. Synthetic numbers only."""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError
from textual.widgets import Input

from liaison_tui.cli.main import main as cli_main
from liaison_tui.domain.i18n import set_lang
from liaison_tui.domain.values import _international, dialing_region, normalize_phone
from liaison_tui.importer.apply import apply_import
from liaison_tui.store import Store
from liaison_tui.tui.screens.contact_form import ContactForm
from liaison_tui.tui.testing import build_store, make_app, settle

from .importing import plan_bytes

# (typed, country of residence or "", E.164 value or None when refused)
TABLE: list[tuple[str, str, str | None]] = [
    ("+49 151 23456789", "", "+4915123456789"),
    ("0049 151 23456789", "", "+4915123456789"),
    ("+49 (0)151 23456789", "", "+4915123456789"),
    ("0151 2345 6789", "DE", "+4915123456789"),  # national format, read in the contact's country
    ("0151 2345 6789", "", "+8615123456789"),  # no country: the station's own region (CN)
    ("138 1234 5678", "", "+8613812345678"),
    ("0532-8888 6666", "", "+8653288886666"),
    ("(+886) 155244456", "", "+886155244456"),
    ("+65 8123 4567", "", "+6581234567"),
    ("+1 415 555 0100 ext. 12", "", "+14155550100"),
    ("tel:+44-7700-900123", "", "+447700900123"),
    ("＋86 138 1234 5678", "", "+8613812345678"),  # full-width plus sign and digits from a Chinese IME
    ("+39 06 1234 5678", "", "+390612345678"),  # Italy keeps its leading zero
    ("12345", "", None),  # only dialable locally, if at all
    ("+49 151", "", None),  # a fragment
    ("+86 123", "", None),
    ("+65 3209-41663", "", None),  # Singapore numbers have 8 digits
    ("0151 2345 67xx", "DE", None),  # letters are not digits
    ("call me", "", None),
    ("电话 138 1234 5678", "", None),
    ("+999 1234567", "", None),  # no such country code
]
_IDS = [f"{raw}|{country}" for raw, country, _ in TABLE]


@pytest.mark.parametrize(("raw", "country", "value"), TABLE, ids=_IDS)
def test_domain_rule(raw: str, country: str, value: str | None) -> None:
    region = dialing_region(country or None)
    if value is None:
        with pytest.raises(PydanticCustomError) as refused:
            normalize_phone(raw, region)
        assert refused.value.type == "err.phone"
    else:
        assert normalize_phone(raw, region) == value


def _cli(tmp_path: Path, raw: str, country: str, lang: str = "en") -> tuple[int, str]:
    """``liaison contact add`` in this process (the real click entry point, as the shell runs it)."""
    args = ["--lang", lang, "--db", str(tmp_path / "cli.db"), "contact", "add", "--latin", "Test Person"]
    args += ["--phone", raw, "--json"] + (["--set", f"country={country}"] if country else [])
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli_main(args)
        except SystemExit as exc:
            code = int(exc.code or 0)
    set_lang("en")
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(autouse=True)
def _no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIAISON_CONFIG", str(tmp_path / "none.toml"))


@pytest.mark.parametrize(("raw", "country", "value"), TABLE, ids=_IDS)
def test_cli_contact_add(tmp_path: Path, raw: str, country: str, value: str | None) -> None:
    code, output = _cli(tmp_path, raw, country)
    if value is None:
        assert code == 1
        assert f"Phone: '{raw}' is not a phone number" in output and "in the form" not in output
    else:
        assert code == 0, output
        assert f'"value": "{value}"' in output


def test_cli_error_names_the_field_in_chinese(tmp_path: Path) -> None:
    code, output = _cli(tmp_path, "12345", "", lang="zh")
    assert code == 1 and "电话: “12345”不是可拨打的电话号码" in output


@pytest.mark.parametrize(("raw", "country", "value"), TABLE, ids=_IDS)
def test_import(tmp_path: Path, raw: str, country: str, value: str | None) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["姓名", "现居国家", "手机"], ["测试人", country, raw]])
    with Store.open(tmp_path / "import.db") as store:
        plan = plan_bytes(store, buffer.getvalue().encode(), "phones.csv")
        if value is None:
            assert plan.rows[0].action == "failed"
            assert f"Phone: '{raw}' is not a phone number" in plan.rows[0].describe("en")
            return
        assert plan.rows[0].action == "create", plan.rows[0].describe("en")
        apply_import(store, plan)
        stored = store.conn.execute("SELECT raw, value FROM contact_points WHERE kind = 'phone'").fetchall()
    assert stored == [(raw, value)]


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("phones") / "demo-20.db", 20)


@pytest.mark.anyio
async def test_contact_form(small_store: Path) -> None:
    app = make_app(small_store)

    async def fill(form: ContactForm, i: int, raw: str, country: str) -> None:
        form.query_one("#f-native_name", Input).value = f"表格{i}"
        form.query_one("#f-country", Input).value = country
        form.query_one("#f-phone", Input).value = raw
        await pilot.press("ctrl+s")
        await settle(pilot)

    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for i, (raw, country, value) in enumerate(TABLE):
            if value is None:
                continue
            await pilot.press("N")  # saving closes the form and opens the contact: a new form each time
            await settle(pilot)
            form = app.screen
            assert isinstance(form, ContactForm)
            await fill(form, i, raw, country)
            assert app.screen is not form, raw
        # A refused number keeps the form open with that number's problem: one form takes them in turn
        await pilot.press("N")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        for i, (raw, country, value) in enumerate(TABLE):
            if value is not None:
                continue
            await fill(form, i, raw, country)
            assert app.screen is form, raw
            assert f"'{raw}' is not a phone number" in str(form.query_one("#err-phone").render()), raw
        await pilot.press("escape")
        await settle(pilot)
    check = Store.open(small_store)
    try:
        saved = dict(
            check.conn.execute(
                "SELECT c.native_name, p.value FROM contacts c JOIN contact_points p ON p.contact_id = c.id "
                "WHERE c.native_name LIKE '表格%' AND p.kind = 'phone'"
            ).fetchall()
        )
    finally:
        check.close()
    assert saved == {f"表格{i}": value for i, (_, _, value) in enumerate(TABLE) if value is not None}


# The shortcut for "+<country code><national number>" must agree with phonenumbers' own parser.
_CODES = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)


@settings(max_examples=3000, deadline=None)
@given(code=st.sampled_from(_CODES), national=st.text(alphabet="0123456789", min_size=1, max_size=18))
def test_international_shortcut_agrees_with_phonenumbers(code: int, national: str) -> None:
    body = f"{code}{national}"
    fast = _international(body)
    if fast is None:
        return  # the full parser decides these
    try:
        number = phonenumbers.parse("+" + body, None)
        possible = (
            phonenumbers.is_possible_number_with_reason(number) == phonenumbers.ValidationResult.IS_POSSIBLE
        )
        slow = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if possible else ""
    except phonenumbers.NumberParseException:
        slow = ""
    assert fast == slow
