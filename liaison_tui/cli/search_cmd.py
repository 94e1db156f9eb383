"""``liaison search QUERY`` and ``liaison db reindex``."""

from __future__ import annotations

import json
import time
from dataclasses import asdict

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..domain.display import match_label, subtitle_labels
from ..domain.i18n import register, t
from .context import CliContext

register(
    {
        "search.none": ("Nothing found for “{query}”.", "没有找到“{query}”。"),
        "search.total": ("{shown} of {total} matches", "共 {total} 条匹配，显示 {shown} 条"),
        "search.col.kind": ("Type", "类型"),
        "search.col.title": ("Name / number", "名称 / 编号"),
        "search.col.subtitle": ("Details", "详情"),
        "search.col.match": ("Matched", "匹配"),
        "search.kind.contact": ("contact", "联系人"),
        "search.kind.org": ("organization", "机构"),
        "search.kind.case": ("case", "服务事项"),
        "search.reindexed": (
            "Search index rebuilt: {docs} records in {seconds:.1f} s.",
            "搜索索引已重建：{docs} 条记录，用时 {seconds:.1f} 秒。",
        ),
        "search.reindexing": ("Rebuilding the search index", "正在重建搜索索引"),
    }
)

_TYPES = {"contact": "contact", "org": "org", "organization": "org", "case": "case"}


@click.command()
@click.argument("query")
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(sorted(_TYPES)),
    help="Only this kind of record (repeatable). 只查此类记录。",
)
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(1, 500), help="How many results to show."
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def search(obj: CliContext, query: str, types: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Find contacts, organizations and cases by any name, pinyin, phone, email or case number.
    按姓名、拼音、电话、邮箱或编号查找。"""
    from ..store import search as engine

    store = obj.open_store()
    kinds = sorted({_TYPES[x] for x in types}) or None
    hits = engine.search(store.conn, query, types=kinds, limit=limit)
    if as_json:
        click.echo(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo(t("search.none", query=query))
        return
    table = Table(show_edge=False, pad_edge=False)
    for key in ("search.col.kind", "search.col.title", "search.col.subtitle", "search.col.match"):
        table.add_column(t(key), overflow="fold")
    for hit in hits:
        matched = Text(hit.matched_text)
        if hit.span:
            matched.stylize("bold reverse", *hit.span)
        table.add_row(
            t(f"search.kind.{hit.kind}"),
            hit.title,
            subtitle_labels(hit.subtitle),
            Text.assemble(matched, Text(f"  {match_label(hit.field)}", style="dim")),
        )
    console = Console()
    console.print(table)
    if len(hits) == limit:
        total = engine.count(store.conn, query, types=kinds)
        console.print(t("search.total", shown=len(hits), total=total), style="dim")


@click.command()
@click.pass_obj
def reindex(obj: CliContext) -> None:
    """Rebuild the search index from the records. 重建搜索索引。"""
    from ..store import search as engine

    store = obj.open_store()
    started = time.perf_counter()
    with click.progressbar(length=1, label=t("search.reindexing"), file=None) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        with store.transaction() as conn:
            engine.rebuild(conn, progress=progress)
    docs = engine.doc_count(store.conn)
    click.echo(t("search.reindexed", docs=docs, seconds=time.perf_counter() - started))
