"""``--help`` in the user's language. Click renders help when it is asked for, through the context's
formatter: :class:`LocalizedFormatter` translates each piece as it is written, so command and option help
stays written once, in English (or as "English. 中文。", of which the part in the user's language is
shown), with the Chinese for English-only option help in :data:`HELP_ZH`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import click

from ..domain.i18n import get_lang, has, register, t

# Option help written in English only: its Chinese.
HELP_ZH = {
    "Native name (e.g. 张伟).": "中文姓名（如 张伟）。",
    "Name in Latin script (e.g. Zhang Wei).": "拉丁字母姓名（如 Zhang Wei）。",
    "Email (repeatable).": "邮箱（可重复）。",
    "Phone in any format (repeatable).": "电话，任意格式（可重复）。",
    "WeChat ID (repeatable).": "微信号（可重复）。",
    "Any other field.": "其他任一字段。",
    "Continue after this page position.": "从此分页位置之后继续。",
    "Only this pipeline stage.": "只列出此引才阶段。",
    "Only this owner's contacts (staff id).": "只列出此负责人的联系人（工作人员编号）。",
    "Map a column (repeatable).": "指定某列的对应字段（可重复）。",
    "Rows to list in the preview.": "预览中列出的行数。",
    "Print the plan/result as JSON.": "以 JSON 输出预览或结果。",
    "Default: from the file extension.": "默认：按文件扩展名。",
    "Which record's value a field takes.": "某字段采用哪条记录的值。",
    "Machine-readable output.": "机器可读的输出（JSON）。",
    "How many results to show.": "显示多少条结果。",
    "How many contacts.": "生成多少位联系人。",
    "Same seed, same data.": "相同的种子生成相同的数据。",
    "Do nothing if the store already has contacts.": "数据库中已有联系人时不做任何事。",
    "Database file (default: $LIAISON_DB or the user data folder).": "数据库文件（默认：$LIAISON_DB 或用户数据目录）。",
    "Only the summary line.": "只输出汇总行。",
    "Keep a ready store for new laptops once the station holds this many changes (default 50000).": (
        "工作站的变更数达到此数后，为新笔记本电脑备好一份现成的数据库（默认 50000）。"
    ),
    "Server database (default: $LIAISON_SERVER_DB or server.db in the user data folder).": (
        "服务器数据库（默认：$LIAISON_SERVER_DB 或用户数据目录下的 server.db）。"
    ),
    "Address to listen on.": "监听地址。",
    "TLS private key.": "TLS 私钥。",
    "TLS certificate.": "TLS 证书。",
    "Full name shown in the app (default: NAME).": "在应用中显示的姓名（默认：NAME）。",
    "Expire after this many days (default: never).": "多少天后过期（默认：永不过期）。",
    # click's own
    "Show this message and exit.": "显示此帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
}
register({f"clihelp.{en}": (en, zh) for en, zh in HELP_ZH.items()})
register(
    {
        "clihelp.usage": ("Usage: ", "用法："),
        "clihelp.options": ("Options", "选项"),
        "clihelp.commands": ("Commands", "命令"),
        "clihelp.arguments": ("Arguments", "参数"),
        "clihelp.OPTIONS": ("OPTIONS", "选项"),
        "clihelp.COMMAND": ("COMMAND", "命令"),
        "clihelp.ARGS": ("ARGS", "参数"),
        "clihelp.default": ("default", "默认"),
        "clihelp.required": ("required", "必填"),
    }
)

_CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
_EXTRA = re.compile(r"\s*\[(default: [^\]]*|required)\]$")


def localized(text: str, lang: str | None = None) -> str:
    """``text`` in the user's language: the matching half of "English. 中文。", the Chinese of an
    English-only option help, or the text as it is."""
    lang = lang or get_lang()
    stripped = text.strip()
    split = _bilingual_split(stripped)
    if split is not None:
        english, chinese = split
        return chinese if lang == "zh" else english
    key = f"clihelp.{stripped}"
    return t(key, lang) if has(key) else text


def _bilingual_split(text: str) -> tuple[str, str] | None:
    """("English.", "中文。") for "English. 中文。" (the English may quote Chinese: "e.g. 张伟")."""
    for match in re.finditer(r"(?<=[.)!?])\s+", text):
        english, chinese = text[: match.start()], text[match.end() :]
        if chinese and _CJK.match(chinese) and _CJK.search(chinese[:4]):
            return english.strip(), chinese.strip()
    return None


def _localized_help(help_text: str) -> str:
    """An option's help with click's "[default: 20]" suffix, each part translated."""
    extra = _EXTRA.search(help_text)
    if extra is None:
        return localized(help_text)
    head, tail = help_text[: extra.start()], extra.group(1)
    tail = t("clihelp.required") if tail == "required" else tail.replace("default", t("clihelp.default"), 1)
    return f"{localized(head)}  [{tail}]" if head else f"[{tail}]"


class LocalizedFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for word in ("OPTIONS", "COMMAND", "ARGS"):
            args = re.sub(rf"\b{word}\b", t(f"clihelp.{word}"), args)
        super().write_usage(prog, args, t("clihelp.usage"))

    def write_heading(self, heading: str) -> None:
        key = f"clihelp.{heading.lower()}"
        super().write_heading(t(key) if has(key) else heading)

    def write_text(self, text: str) -> None:
        super().write_text(localized(text))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl(
            [(term, _localized_help(help_text)) for term, help_text in rows], col_max, col_spacing
        )


class LocalizedContext(click.Context):
    formatter_class = LocalizedFormatter


class LocalizedGroup(click.Group):
    """A group whose help lists its commands' one-line help in the user's language (click would cut the
    "English. 中文。" docstring to its first 45 characters, losing the Chinese)."""

    context_class = LocalizedContext

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        localize_command(cmd)
        super().add_command(cmd, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            first = localized(cmd.help or cmd.short_help or "").strip().split("\n")[0]
            rows.append((name, first))
        if rows:
            with formatter.section(t("clihelp.commands")):
                formatter.write_dl(rows)


def localize_command(cmd: click.Command) -> None:
    """Give ``cmd`` (and its subcommands) the translating context."""
    cmd.context_class = LocalizedContext
    for sub in getattr(cmd, "commands", {}).values():
        localize_command(sub)


def set_lang_early(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """``--lang`` is read before ``--help`` is acted on, so that ``liaison --lang zh --help`` is Chinese."""
    if value:
        from ..domain.i18n import set_lang

        set_lang(value)
    return value
