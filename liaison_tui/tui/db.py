"""Running store work off the event loop: ``run_db(node, fn, apply)`` calls ``fn(store)`` in a thread worker
under the store lock and hands the result back as a :class:`DbDone` message, which the app turns into a
call of ``apply`` on the event loop. A result for a node that has gone (a closed screen) is dropped."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from .messages import DbDone

if TYPE_CHECKING:
    from ..store.store import Store

T = TypeVar("T")


def run_db(
    node: DOMNode,
    fn: Callable[[Store], T],
    apply: Callable[[T], None],
    *,
    on_error: Callable[[BaseException], None] | None = None,
    group: str = "db",
    exclusive: bool = False,
    store_lock: bool = True,
    read_only: bool = False,
) -> Worker[None]:
    """``store_lock=False`` for work that does not touch the store's connection (e.g. lookup, which has
    its own). ``read_only=True`` for plain SQL reads that may run on the read-only view while the store
    proper is still opening; everything else waits for the store."""
    app = node.app

    def work() -> None:
        try:
            store: Store = (app.store or app.reader) if read_only else app.wait_for_store()  # type: ignore[attr-defined]
            if store_lock:
                with store.lock:
                    result = fn(store)
            else:
                result = fn(store)
        except Exception as exc:  # every failure reaches the UI as a message, never a silent dead worker
            if not get_current_worker().is_cancelled:
                node.post_message(DbDone(apply, error=exc, on_error=on_error))
            return
        # An exclusive worker replaced by a newer one: its result is stale.
        if not get_current_worker().is_cancelled:
            node.post_message(DbDone(apply, result))

    return node.run_worker(
        work,
        thread=True,
        group=group,
        exclusive=exclusive,
        exit_on_error=False,
        name=getattr(fn, "__name__", "db"),
    )
