"""``liaison sync`` (this laptop with the station server) and ``liaison serve`` (the station server)."""

from __future__ import annotations

import os
from pathlib import Path

import click
import platformdirs

from ..domain.i18n import register, t
from ..settings import APP
from .context import CliContext
from .help_i18n import LocalizedGroup

register(
    {
        "serve.listening": (
            "Station sync service on {scheme}://{host}:{port} (database {db}).",
            "工作站同步服务已在 {scheme}://{host}:{port} 启动（数据库 {db}）。",
        ),
        "serve.staff_added": ("Added staff member {name} ({id}).", "已添加工作人员 {name}（{id}）。"),
        "serve.token_issued": (
            "Device token {id} for {name} (shown only once; give it to the laptop as LIAISON_TOKEN "
            "or token in its config file):",
            "已为 {name} 签发设备令牌 {id}（仅显示一次；请在该电脑上设为 LIAISON_TOKEN 或配置文件中的 "
            "token）：",
        ),
        "serve.revoked": ("Revoked {count} token(s).", "已吊销 {count} 个令牌。"),
        "serve.no_tokens": ("No device tokens.", "没有设备令牌。"),
        "serve.token_row": (
            "{id}  {name}  {state}  laptop {device}  expires {expires}  last seen {seen}",
            "{id}  {name}  {state}  电脑 {device}  到期 {expires}  最近使用 {seen}",
        ),
        "serve.token_active": ("active", "有效"),
        "serve.token_revoked": ("revoked", "已吊销"),
        "sync.none_to_do": ("Nothing to send or receive.", "没有需要发送或接收的内容。"),
        "sync.rejected_item": ("Refused: {message}", "被拒绝：{message}"),
    }
)


def default_server_db() -> Path:
    explicit = os.environ.get("LIAISON_SERVER_DB")
    return Path(explicit).expanduser() if explicit else Path(platformdirs.user_data_dir(APP)) / "server.db"


# ------------------------------------------------------------------------------------------------ sync
@click.command()
@click.option("--quiet", "-q", is_flag=True, help="Only the summary line.")
@click.option("--page-size", type=click.IntRange(1, 20_000), default=None, hidden=True)
@click.option("--batch-size", type=click.IntRange(1, 5_000), default=None, hidden=True)
@click.pass_obj
def sync(obj: CliContext, quiet: bool, page_size: int | None, batch_size: int | None) -> None:
    """Send this laptop's changes to the station server and receive everyone else's. 与工作站服务器同步。"""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..store import outbox
    from ..sync import sync_once

    store = obj.open_store()
    settings = obj.settings
    before = outbox.rejected_count(store)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        disable=quiet,
    ) as bar:
        tasks: dict[str, int] = {}

        def progress(phase: str, done: int, total: int | None) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(t(f"sync.phase.{phase}"), total=total)
            bar.update(tasks[phase], completed=done, total=total)

        sizes = {k: v for k, v in (("pull_page", page_size), ("push_batch", batch_size)) if v}
        report = sync_once(store, settings.server_url, settings.token, progress=progress, **sizes)
    warning = report.warning()
    if warning:
        click.secho(warning, fg="yellow", err=True)
    if report.refused and not quiet:
        for item in outbox.rejected(store, limit=outbox.rejected_count(store) - before):
            click.secho(t("sync.rejected_item", message=item["message"]), fg="yellow")
    click.echo(report.summary())


# ------------------------------------------------------------------------------------------------ serve
_DB = click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Server database (default: $LIAISON_SERVER_DB or server.db in the user data folder).",
)


@click.group(cls=LocalizedGroup, invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=int)
@click.option(
    "--ssl-keyfile", type=click.Path(exists=True, dir_okay=False), default=None, help="TLS private key."
)
@click.option(
    "--ssl-certfile", type=click.Path(exists=True, dir_okay=False), default=None, help="TLS certificate."
)
@click.option("--log-level", default="info", type=click.Choice(["debug", "info", "warning", "error"]))
@_DB
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    ssl_keyfile: str | None,
    ssl_certfile: str | None,
    log_level: str,
    db: Path | None,
) -> None:
    """Run the station's central sync service. 运行工作站同步服务。"""
    ctx.meta["server_db"] = db
    if ctx.invoked_subcommand is not None:
        return
    import uvicorn

    from ..server import logs
    from ..server.app import create_app

    path = db or default_server_db()
    logs.configure(log_level)
    click.echo(
        t("serve.listening", scheme="https" if ssl_certfile else "http", host=host, port=port, db=path),
        err=True,
    )
    # One process: SQLite has one writer, and the sequence must follow commit order. No access log: it would
    # record client addresses; the app logs method, path, status and timing itself.
    uvicorn.run(
        create_app(path),
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        ssl_keyfile=ssl_keyfile,
        ssl_certfile=ssl_certfile,
        timeout_graceful_shutdown=5,
    )


@serve.group(cls=LocalizedGroup)
def admin() -> None:
    """Staff accounts and device tokens. 工作人员账号与设备令牌。"""


def _hub(ctx: click.Context, db: Path | None):  # type: ignore[no-untyped-def]
    from ..store.hub import Hub
    from ..store.store import Store

    path = db or ctx.meta.get("server_db") or default_server_db()
    store = Store.open(path, author="admin")
    ctx.call_on_close(store.close)
    return Hub(store)


@admin.command("add-staff")
@click.argument("name")
@click.option("--display-name", default=None, help="Full name shown in the app (default: NAME).")
@_DB
@click.pass_context
def add_staff(ctx: click.Context, name: str, display_name: str | None, db: Path | None) -> None:
    """Add a staff member (NAME is their user name). 添加工作人员。"""
    staff_id = _hub(ctx, db).add_staff(name, display_name)
    click.echo(t("serve.staff_added", name=name, id=staff_id))


@admin.command("issue-device-token")
@click.argument("name")
@click.option("--days", type=int, default=None, help="Expire after this many days (default: never).")
@_DB
@click.pass_context
def issue_device_token(ctx: click.Context, name: str, days: int | None, db: Path | None) -> None:
    """Issue a token for one of NAME's laptops; printed once, as the last word. 签发设备令牌。"""
    token_id, token = _hub(ctx, db).issue_token(name, days)
    click.echo(t("serve.token_issued", id=token_id, name=name))
    click.echo(token)


@admin.command("revoke-device-token")
@click.argument("name_or_id")
@_DB
@click.pass_context
def revoke_device_token(ctx: click.Context, name_or_id: str, db: Path | None) -> None:
    """Revoke a token by id, or every token of a staff member. 吊销设备令牌。"""
    count = _hub(ctx, db).revoke(name_or_id)
    click.echo(t("serve.revoked", count=count))


@admin.command("list-tokens")
@_DB
@click.pass_context
def list_tokens(ctx: click.Context, db: Path | None) -> None:
    """Device tokens (never the tokens themselves). 设备令牌列表。"""
    rows = _hub(ctx, db).tokens()
    if not rows:
        click.echo(t("serve.no_tokens"))
    for row in rows:
        state = t("serve.token_revoked") if row["revoked_at"] else t("serve.token_active")
        click.echo(
            t(
                "serve.token_row",
                id=row["id"],
                name=row["username"],
                state=state,
                device=row["client_device"] or "-",
                expires=row["expires_at"] or "-",
                seen=row["last_seen_at"] or "-",
            )
        )
