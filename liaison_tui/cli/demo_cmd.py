"""``liaison demo``: fill the store with synthetic demo data."""

from __future__ import annotations

import time

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..domain.i18n import register, t
from .context import CliContext

register(
    {
        "demo.progress": ("Creating demo contacts", "正在生成演示联系人"),
        "demo.indexing": ("Building the search index", "正在建立搜索索引"),
        "demo.done": (
            "Created {contacts} contacts, {cases} cases, {followups} follow-ups and {activities} activities "
            "in {seconds:.1f} s.",
            "已生成 {contacts} 位联系人、{cases} 个服务事项、{followups} 条待办、"
            "{activities} 条动态，用时 {seconds:.1f} 秒。",
        ),
        "demo.skipped": (
            "The store already holds {count} contacts; nothing added (--if-empty).",
            "数据库中已有 {count} 位联系人，未添加演示数据（--if-empty）。",
        ),
        "demo.bad_count": (
            "--contacts must be between 1 and 5,000,000.",
            "--contacts 必须在 1 到 5,000,000 之间。",
        ),
    }
)


@click.command()
@click.option("--contacts", "count", type=int, default=5000, show_default=True, help="How many contacts.")
@click.option("--seed", type=int, default=42, show_default=True, help="Same seed, same data.")
@click.option("--if-empty", is_flag=True, help="Do nothing if the store already has contacts.")
@click.option("--batch", type=int, default=5000, hidden=True)
@click.pass_obj
def demo(obj: CliContext, count: int, seed: int, if_empty: bool, batch: int) -> None:
    """Fill the store with realistic synthetic demo data. 生成演示数据。"""
    from ..domain.errors import LiaisonError
    from ..store import demo as demo_data

    if not 1 <= count <= 5_000_000:
        raise LiaisonError("demo.bad_count")
    store = obj.open_store()
    existing = store.contacts.count()
    if if_empty and existing:
        click.echo(t("demo.skipped", count=existing))
        return
    # Invented people must never be pushed to the station's server: sync refuses a store marked so.
    store.set_meta("demo_data", "1")
    console = Console(stderr=True)
    started = time.perf_counter()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(t("demo.progress"), total=count)
        counts = demo_data.generate(
            store,
            count,
            seed=seed,
            batch=batch,
            index=False,
            progress=lambda done, total: bar.update(task, completed=done),
        )
        index_task = bar.add_task(t("demo.indexing"), total=None)
        demo_data.rebuild_index(
            store, progress=lambda done, total: bar.update(index_task, completed=done, total=total)
        )
    click.echo(
        t(
            "demo.done",
            contacts=counts["contacts"],
            cases=counts["cases"],
            followups=counts["followups"],
            activities=counts["activities"],
            seconds=time.perf_counter() - started,
        )
    )
