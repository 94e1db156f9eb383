"""The help (F1 / ?) and the command palette (ctrl+p) tell a newcomer every key and action, in their
language."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from liaison_tui.tui.screens.cases import CasesScreen
from liaison_tui.tui.screens.duplicates import DuplicatesScreen
from liaison_tui.tui.screens.help import HelpScreen
from liaison_tui.tui.screens.import_screen import ImportScreen
from liaison_tui.tui.testing import copy_store, make_app, settle

pytestmark = pytest.mark.anyio
SIZE = (120, 36)


@pytest.fixture
def db(small_demo_source: Path, tmp_path: Path) -> Path:
    return copy_store(small_demo_source, tmp_path / "help.db")


def footer_labels(app) -> list[str]:  # type: ignore[no-untyped-def]
    from textual.widgets._footer import FooterKey

    return [key.description for key in app.screen.query(FooterKey)]


def help_rows(app) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one(DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_help_lists_every_key_of_an_action_once_screen_keys_first(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = help_rows(app)
        by_id = {row[2]: row for row in rows if row[2]}
        assert by_id["app.lookup"][0] == "/ ^k"
        assert by_id["app.help"][0] == "F1 ?"
        assert by_id["cases.reverse"][0] == "R"
        quits = [row for row in rows if row[1] == "Quit"]
        assert len(quits) == 1 and set(quits[0][0].split()) == {"q", "^q"}
        assert rows[0][2] == "cases.status"  # the screen's own keys come first
        await pilot.press("escape", "I", "f1")  # the import screen: its keys, not the text box's, first
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert [row[2] for row in help_rows(app)[:4]] == [
            "import.preview",
            "import.apply",
            "import.save_mapping",
            "import.cancel",
        ]


async def test_help_and_footer_speak_chinese(db: Path) -> None:
    app = make_app(db, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "f1")
        await settle(pilot)
        descriptions = {row[1] for row in help_rows(app)}
        assert {"退出", "下一个控件", "复制选中的文字"} <= descriptions
        assert not {"Quit", "Focus Next", "Copy selected text"} & descriptions
        await pilot.press("escape")
        await settle(pilot)
        labels = footer_labels(app)
        assert "命令面板" in labels and "palette" not in labels


async def test_the_footer_keeps_its_keys_until_what_it_shows_changes(db: Path) -> None:
    from textual.widgets._footer import FooterKey

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        keys = list(app.screen.query(FooterKey))
        assert "palette" in [key.description for key in keys]
        app.screen.refresh_bindings()  # the same bindings again: nothing to redraw
        await settle(pilot)
        assert list(app.screen.query(FooterKey)) == keys
        await pilot.press("f2")  # the language: every label changes
        await settle(pilot)
        labels = footer_labels(app)
        assert "命令面板" in labels and "palette" not in labels
        await pilot.press("f2", "1")  # back to English, on another screen
        await settle(pilot)
        labels = footer_labels(app)
        assert "palette" in labels and "命令面板" not in labels


async def test_palette_finds_the_data_and_sync_actions_in_both_languages(db: Path) -> None:
    app = make_app(db, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "退出" in titles and "Quit" not in titles
        assert [app.key_of(i) for i in ("app.lookup", "app.help", "app.sync")] == ["/ ^k", "F1 ?", "F5"]
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"重复")
        await settle(pilot)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        await pilot.press("escape", "ctrl+p")
        await settle(pilot)
        await pilot.press(*"导入")
        await settle(pilot)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)


async def test_palette_finds_a_command_by_its_english_name_in_a_chinese_ui(db: Path) -> None:
    app = make_app(db, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"duplicate")
        await settle(pilot)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen)


async def test_badge_says_local_only_or_demo_and_f5_names_the_config_file(
    db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "liaison-config.toml"
    monkeypatch.setenv("LIAISON_CONFIG", str(config))
    app = make_app(db)  # no server_url, no token
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.refresh_sync_state()
        await settle(pilot)
        text = str(app.screen.query_one("#sync-badge").render())
        assert "local only" in text and "offline" not in text and "waiting" not in text
        await pilot.press("f5")
        await settle(pilot)
        assert any(str(config) in n.message for n in app._notifications)

    from liaison_tui.store import Store

    with Store.open(db, author="tester") as store:
        store.set_meta("demo_data", "1")
    app = make_app(db, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.refresh_sync_state()
        await settle(pilot)
        assert "演示数据" in str(app.screen.query_one("#sync-badge").render())
        await pilot.press("f5")
        await settle(pilot)
        assert any("演示数据" in n.message for n in app._notifications)
