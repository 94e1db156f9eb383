"""``liaison``: starts the terminal app; subcommands for demo data, the database, contacts and more.

Every failure a staff member can cause ends with one line in their language and a non-zero exit, never a
traceback. Unexpected failures are written to a log file (without personal data in the message).
"""

from __future__ import annotations

import sys
import traceback
from datetime import datetime
from pathlib import Path

import click
from pydantic import ValidationError

from ..domain.errors import LiaisonError
from ..domain.i18n import get_lang, register, t
from ..settings import config_path, load_settings, log_dir
from .context import CliContext
from .help_i18n import set_lang_early
from .lazy_group import LazyGroup

register(
    {
        "cli.err.prefix": ("Error", "错误"),
        "cli.err.config": ("The config file has a problem: {detail}", "配置文件有误：{detail}"),
        "cli.err.unexpected": (
            "Something went wrong inside Liaison; the details are in {path}. Your data is safe.",
            "Liaison 内部出错，详情已记录在 {path}。您的数据没有受到影响。",
        ),
        "cli.interrupted": ("Stopped; nothing half-written was kept.", "已中止；未保存任何不完整的数据。"),
        "cli.warn.config_readable": (
            "Warning: {path} holds this laptop's sync token and other users can read it. Run: chmod 600 {path}",
            "警告：{path} 保存着本机的同步令牌，且其他用户可以读取。请运行：chmod 600 {path}",
        ),
    }
)


_CLI = "liaison_tui.cli"
COMMANDS = {
    "demo": f"{_CLI}.demo_cmd:demo",
    "db": f"{_CLI}.db_cmd:db",
    "contact": f"{_CLI}.contact_cmd:contact",
    "search": f"{_CLI}.search_cmd:search",
    "sync": f"{_CLI}.sync_cmd:sync",
    "serve": f"{_CLI}.sync_cmd:serve",
    "import": f"{_CLI}.data_cmd:import_",
    "export": f"{_CLI}.data_cmd:export",
    "dedupe": f"{_CLI}.data_cmd:dedupe",
    "person": f"{_CLI}.data_cmd:person",
    "org": f"{_CLI}.org_cmd:org",
    "demand": f"{_CLI}.demand_cmd:demand",
    "match": f"{_CLI}.demand_cmd:match",
    "event": f"{_CLI}.event_cmd:event",
    "talent": f"{_CLI}.talent_cmd:talent",
    "skill": f"{_CLI}.talent_cmd:skill",
    "report": f"{_CLI}.report_cmd:report",
    "consent": f"{_CLI}.consent_cmd:consent",
}


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    is_eager=True,
    callback=set_lang_early,
    help="Language / 界面语言 (zh, en).",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Database file (default: $LIAISON_DB or the user data folder).",
)
@click.option(
    "--passphrase-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File whose first line is the passphrase of an encrypted database (else $LIAISON_PASSPHRASE).",
)
@click.version_option(package_name="liaison-tui")
@click.pass_context
def cli(ctx: click.Context, lang: str | None, db_path: Path | None, passphrase_file: Path | None) -> None:
    """Liaison — the talent liaison station's terminal. 人才工作站终端。"""
    try:
        settings = load_settings(db=db_path)
    except ValidationError as exc:
        raise LiaisonError("cli.err.config", detail=exc.errors()[0].get("msg", "")) from None
    from ..tui.inert import install

    # Names and notes from other laptops never reach the terminal as control codes.
    install(with_textual=False)
    obj = CliContext.create(settings, lang, passphrase_file)
    warn_if_token_exposed()
    ctx.obj = obj
    ctx.call_on_close(obj.close)
    if ctx.invoked_subcommand is None:
        from ..tui.app import run_app

        run_app(settings, obj.lang)


def warn_if_token_exposed() -> None:
    from ..private_files import readable_by_others

    path = config_path()
    if readable_by_others(path):
        try:
            holds_token = any(
                line.strip().startswith("token") for line in path.read_text("utf-8").splitlines()
            )
        except (OSError, UnicodeDecodeError):
            holds_token = False
        if holds_token:
            click.secho(t("cli.warn.config_readable", path=path), fg="yellow", err=True)


def _log_unexpected(exc: BaseException) -> Path:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"error-{datetime.now():%Y%m%d-%H%M%S}.log"
    # Only the stack (file, line, exception type): exception messages can quote personal data.
    frames = traceback.format_tb(exc.__traceback__)
    path.write_text("".join(frames) + f"{type(exc).__name__}\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="liaison", standalone_mode=False)
    except LiaisonError as exc:
        click.secho(f"{t('cli.err.prefix')}: {exc.message(get_lang())}", fg="red", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo(t("cli.interrupted"), err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo(t("cli.interrupted"), err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:
        path = _log_unexpected(exc)
        click.secho(f"{t('cli.err.prefix')}: {t('cli.err.unexpected', path=path)}", fg="red", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
