"""``liaison sync`` (this laptop with the station server) and ``liaison serve`` (the station server)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
import platformdirs

from ..domain.i18n import register, t
from ..domain.text import inert
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
        "serve.token_row_kit": ("{row}  kit {kit}", "{row}  数据包 {kit}"),
        "serve.state.active": ("active", "有效"),
        "serve.state.revoked": ("revoked", "已吊销"),
        "serve.state.expired": ("expired", "已过期"),
        "serve.state.wipe_pending": ("revoked, wipe pending", "已吊销，待清除"),
        "serve.state.wiped": ("revoked, laptop wiped", "已吊销，电脑已清除"),
        "serve.role_set": ("{name} is now {role}.", "{name} 的角色已设为{role}。"),
        "serve.team_set": ("{name} is now in team {team}.", "{name} 已加入团队 {team}。"),
        "serve.team_cleared": ("{name} is in no team now.", "{name} 已不属于任何团队。"),
        "serve.active_set": ("{name}: {state}.", "{name}：{state}。"),
        "serve.staff_row": (
            "{name}  {display}  {role}  team {team}  {state}  {tokens} active token(s)",
            "{name}  {display}  {role}  团队 {team}  {state}  {tokens} 个有效令牌",
        ),
        "serve.staff_active": ("active", "在职"),
        "serve.staff_inactive": ("inactive", "已停用"),
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
@click.option(
    "--verify", is_flag=True, help="Also compare every record with the server and repair what differs."
)
@click.pass_obj
def sync(obj: CliContext, quiet: bool, page_size: int | None, batch_size: int | None, verify: bool) -> None:
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
        report = sync_once(
            store,
            settings.server_url,
            settings.token,
            progress=progress,
            allow_insecure_http=settings.allow_insecure_http,
            verify=True if verify else None,
            **sizes,
        )
    warning = report.warning()
    if warning:
        click.secho(warning, fg="yellow", err=True)
    if report.refused and not quiet:
        for item in outbox.rejected(store, limit=outbox.rejected_count(store) - before):
            click.secho(t("sync.rejected_item", message=item["message"]), fg="yellow")
    click.echo(report.summary())
    extra = report.details()
    if extra and not quiet:
        click.echo(extra)


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
@click.option(
    "--auth-free",
    type=click.IntRange(1, 1000),
    default=5,
    show_default=True,
    help="Failed sign-ins from one address before answers slow down.",
)
@click.option(
    "--auth-block-after",
    type=click.IntRange(1, 10000),
    default=20,
    show_default=True,
    help="Failed sign-ins from one address (in 10 minutes) before it is refused for a while.",
)
@click.option("--auth-block-seconds", type=click.IntRange(1, 86400), default=600, show_default=True)
@click.option(
    "--max-body-mb",
    type=click.IntRange(1, 256),
    default=8,
    show_default=True,
    help="Largest request body accepted.",
)
@click.option(
    "--starter-from",
    type=click.IntRange(0, None),
    default=None,
    help="Keep a ready store for new laptops once the station holds this many changes (default 50000).",
)
@_DB
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    ssl_keyfile: str | None,
    ssl_certfile: str | None,
    log_level: str,
    auth_free: int,
    auth_block_after: int,
    auth_block_seconds: int,
    max_body_mb: int,
    starter_from: int | None,
    db: Path | None,
) -> None:
    """Run the station's central sync service. 运行工作站同步服务。"""
    ctx.meta["server_db"] = db
    if ctx.invoked_subcommand is not None:
        return
    import uvicorn

    from ..server import logs
    from ..server.app import create_app
    from ..server.brake import Brake

    path = db or default_server_db()
    logs.configure(log_level)
    click.echo(
        t("serve.listening", scheme="https" if ssl_certfile else "http", host=host, port=port, db=path),
        err=True,
    )
    # One process: SQLite has one writer, and the sequence must follow commit order. No access log: it would
    # record client addresses; the app logs method, path, status and timing itself.
    uvicorn.run(
        create_app(
            path,
            passphrase=obj_passphrase(ctx),
            max_body=max_body_mb * 1024 * 1024,
            brake=Brake(free=auth_free, block_after=auth_block_after, block_s=auth_block_seconds),
            **({} if starter_from is None else {"starter_from": starter_from}),
        ),
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


def obj_passphrase(ctx: click.Context) -> str | None:
    obj = ctx.find_object(CliContext)
    return obj.passphrase if obj is not None else None


def _hub(ctx: click.Context, db: Path | None):  # type: ignore[no-untyped-def]
    from ..store.hub import Hub
    from ..store.store import Store

    path = db or ctx.meta.get("server_db") or default_server_db()
    store = Store.open(path, author="admin", passphrase=obj_passphrase(ctx), index=False)
    ctx.call_on_close(store.close)
    return Hub(store)


_ROLES = click.Choice(["admin", "supervisor", "officer", "viewer"])


@admin.command("add-staff")
@click.argument("name")
@click.option("--display-name", default=None, help="Full name shown in the app (default: NAME).")
@click.option(
    "--role", type=_ROLES, default="officer", show_default=True, help="What they may do (docs/SECURITY.md)."
)
@click.option("--team", default=None, help="Team whose records they share.")
@_DB
@click.pass_context
def add_staff(
    ctx: click.Context, name: str, display_name: str | None, role: str, team: str | None, db: Path | None
) -> None:
    """Add a staff member (NAME is their user name). 添加工作人员。"""
    staff_id = _hub(ctx, db).add_staff(name, display_name, role=role, team=team)
    click.echo(t("serve.staff_added", name=name, id=staff_id))


@admin.command("set-role")
@click.argument("name")
@click.argument("role", type=_ROLES)
@_DB
@click.pass_context
def set_role(ctx: click.Context, name: str, role: str, db: Path | None) -> None:
    """Change what a staff member may do. 设置工作人员角色。"""
    _hub(ctx, db).accounts.set_role(name, role)
    click.echo(t("serve.role_set", name=name, role=t(f"enum.StaffRole.{role}")))


@admin.command("set-team")
@click.argument("name")
@click.argument("team", required=False)
@_DB
@click.pass_context
def set_team(ctx: click.Context, name: str, team: str | None, db: Path | None) -> None:
    """Put a staff member in a team (no TEAM: in none). 设置工作人员团队。"""
    _hub(ctx, db).accounts.set_team(name, team)
    click.echo(t("serve.team_set", name=name, team=team) if team else t("serve.team_cleared", name=name))


@admin.command("deactivate-staff")
@click.argument("name")
@click.option("--reactivate", is_flag=True, help="Make the account active again.")
@_DB
@click.pass_context
def deactivate_staff(ctx: click.Context, name: str, reactivate: bool, db: Path | None) -> None:
    """Stop a staff member's tokens working at once (their records stay). 停用工作人员账号。"""
    _hub(ctx, db).accounts.set_active(name, reactivate)
    state = t("serve.staff_active") if reactivate else t("serve.staff_inactive")
    click.echo(t("serve.active_set", name=name, state=state))


@admin.command("list-staff")
@_DB
@click.pass_context
def list_staff(ctx: click.Context, db: Path | None) -> None:
    """Staff members, their roles, teams and active tokens. 工作人员列表。"""
    for row in _hub(ctx, db).accounts.staff():
        click.echo(
            inert(
                t(
                    "serve.staff_row",
                    name=row["username"],
                    display=row["display_name"],
                    role=t(f"enum.StaffRole.{row['role']}"),
                    team=row["team"] or "-",
                    state=t("serve.staff_active") if row["active"] else t("serve.staff_inactive"),
                    tokens=row["tokens"],
                )
            )
        )


@admin.command("issue-device-token")
@click.argument("name")
@click.option("--days", type=int, default=None, help="Expire after this many days, 1-3650 (default: never).")
@click.option(
    "--device", default=None, help="Bind to this laptop's device id now (`liaison db info` shows it)."
)
@click.option("--kit", default=None, help="Limit the laptop to this trip kit (default: the whole station).")
@_DB
@click.pass_context
def issue_device_token(
    ctx: click.Context, name: str, days: int | None, device: str | None, kit: str | None, db: Path | None
) -> None:
    """Issue a token for one of NAME's laptops; printed once, as the last word. 签发设备令牌。"""
    token_id, token = _hub(ctx, db).issue_token(name, days, device=device, kit=kit)
    click.echo(t("serve.token_issued", id=token_id, name=name))
    click.echo(token)


@admin.command("revoke-device-token")
@click.argument("name_or_id")
@click.option(
    "--wipe", is_flag=True, help="On its next contact the laptop sends what it has, then erases its store."
)
@_DB
@click.pass_context
def revoke_device_token(ctx: click.Context, name_or_id: str, wipe: bool, db: Path | None) -> None:
    """Revoke a token by id, or every token of a staff member. 吊销设备令牌。"""
    count = _hub(ctx, db).revoke(name_or_id, wipe=wipe)
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
        line = t(
            "serve.token_row",
            id=row["id"],
            name=row["username"],
            state=t(f"serve.state.{row['state']}"),
            device=row["client_device"] or "-",
            expires=row["expires_at"] or "-",
            seen=row["last_seen_at"] or "-",
        )
        if row["kit"]:
            line = t("serve.token_row_kit", row=line, kit=row["kit"])
        click.echo(inert(line))


register(
    {
        "serve.starter_built": (
            "Starter store ready: {records} records up to change {top}, {mb} MB, in {seconds:.1f} s. New "
            "laptops of the whole station start from it.",
            "现成数据库已备好：{records} 条记录，截至变更 {top}，{mb} MB，用时 {seconds:.1f} 秒。"
            "新的全站笔记本电脑将从它开始。",
        ),
        "serve.starter_failed": (
            "The starter store could not be built; new laptops fill record by record.",
            "现成数据库未能建立；新笔记本电脑将逐条下载记录。",
        ),
    }
)


@admin.command("build-starter")
@_DB
@click.pass_context
def build_starter(ctx: click.Context, db: Path | None) -> None:
    """Build the ready store new laptops start from, now (the service keeps one once the station is big).
    立即建立新笔记本电脑起步用的现成数据库。"""
    import time

    from ..server.starters import Starters

    started = time.perf_counter()
    info = Starters(_hub(ctx, db).store).build_now()
    if info is None:
        raise click.ClickException(t("serve.starter_failed"))
    seconds = time.perf_counter() - started
    click.echo(
        t("serve.starter_built", records=info.records, top=info.top, mb=info.size >> 20, seconds=seconds)
    )


# ------------------------------------------------------------------------------------------------ kits
register(
    {
        "kit.created": (
            "Kit {name}: {summary}; expires {expires}.",
            "数据包 {name}：{summary}；到期 {expires}。",
        ),
        "kit.never": ("never", "不过期"),
        "kit.deleted": ("Kit {name} deleted.", "数据包 {name} 已删除。"),
        "kit.none": ("No trip kits.", "没有出访数据包。"),
        "kit.row": (
            "{name}  {summary}  expires {expires}  {tokens} laptop(s)",
            "{name}  {summary}  到期 {expires}  {tokens} 台电脑",
        ),
        "kit.counts": ("It carries now:", "当前包含："),
        "kit.grace": (
            "A laptop that has not reached the server for {days} days locks itself.",
            "电脑超过 {days} 天未连接服务器将自动锁定。",
        ),
    }
)


@admin.group()
def kit() -> None:
    """Trip kits: what a laptop taken abroad carries. 出访数据包。"""


def _kit_options(function: Any) -> Any:
    options = [
        click.option(
            "--country", "countries", multiple=True, help="People living in this country (ISO code)."
        ),
        click.option("--city", "cities", multiple=True, help="People living in this city."),
        click.option("--event", "events", multiple=True, help="People registered for this event (id)."),
        click.option(
            "--owner", "owners", multiple=True, help="People and cases of this staff member (or team:NAME)."
        ),
        click.option("--chain", "chains", multiple=True, help="People in this industry chain (e.g. ai)."),
        click.option("--contact", "contacts", multiple=True, help="This contact (id); repeatable."),
        click.option(
            "--open-only", is_flag=True, help="Leave closed cases and finished follow-ups at the station."
        ),
        click.option("--expires", default=None, help="Last day (YYYY-MM-DD); the laptop is erased after it."),
        click.option(
            "--grace-days",
            type=click.IntRange(1, 365),
            default=None,
            help="Lock a laptop that has not reached the server for this many days.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _save_kit(ctx: click.Context, name: str, db: Path | None, replace: bool, **given: Any) -> None:
    from pydantic import ValidationError

    from ..domain.kits import KitSpec
    from ..domain.validation import ValidationFailed

    expires = given.pop("expires")
    grace = given.pop("grace_days")
    try:
        spec = KitSpec(**{k: list(v) if isinstance(v, tuple) else v for k, v in given.items()})
    except ValidationError as exc:
        raise ValidationFailed.from_pydantic(exc) from None
    expires_at = f"{expires}T23:59:59Z" if expires else None
    hub = _hub(ctx, db)
    hub.kits.create(name, spec, expires_at=expires_at, grace_days=grace, author="admin", replace=replace)
    click.echo(t("kit.created", name=name, summary=spec.summary(), expires=expires or t("kit.never")))


@kit.command("create")
@click.argument("name")
@_kit_options
@_DB
@click.pass_context
def kit_create(ctx: click.Context, name: str, db: Path | None, **given: Any) -> None:
    """Define a trip kit. 定义出访数据包。"""
    _save_kit(ctx, name, db, False, **given)


@kit.command("update")
@click.argument("name")
@_kit_options
@_DB
@click.pass_context
def kit_update(ctx: click.Context, name: str, db: Path | None, **given: Any) -> None:
    """Redefine a trip kit; its laptops take the difference at their next sync. 修改出访数据包。"""
    _hub(ctx, db).kits.get(name)
    _save_kit(ctx, name, db, True, **given)


@kit.command("show")
@click.argument("name")
@_DB
@click.pass_context
def kit_show(ctx: click.Context, name: str, db: Path | None) -> None:
    """A kit's selection, expiry and what it carries now. 查看出访数据包。"""
    hub = _hub(ctx, db)
    spec, expires, grace = hub.kits.get(name)
    click.echo(t("kit.created", name=name, summary=spec.summary(), expires=(expires or t("kit.never"))[:10]))
    if grace:
        click.echo(t("kit.grace", days=grace))
    click.echo(t("kit.counts"))
    for table, count in hub.kits.counts(name).items():
        if count:
            click.echo(f"  {t('table.' + table) if table != 'sync_conflicts' else table}: {count}")


@kit.command("list")
@_DB
@click.pass_context
def kit_list(ctx: click.Context, db: Path | None) -> None:
    """Trip kits. 出访数据包列表。"""
    from ..domain.kits import KitSpec

    rows = _hub(ctx, db).kits.list()
    if not rows:
        click.echo(t("kit.none"))
    for row in rows:
        spec = KitSpec.model_validate_json(row["spec"])
        expires = (row["expires_at"] or t("kit.never"))[:10]
        click.echo(
            inert(
                t("kit.row", name=row["name"], summary=spec.summary(), expires=expires, tokens=row["tokens"])
            )
        )


@kit.command("delete")
@click.argument("name")
@_DB
@click.pass_context
def kit_delete(ctx: click.Context, name: str, db: Path | None) -> None:
    """Delete a kit (revoke its tokens with --wipe first). 删除出访数据包。"""
    _hub(ctx, db).kits.delete(name)
    click.echo(t("kit.deleted", name=name))
