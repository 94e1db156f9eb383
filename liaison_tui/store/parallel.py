"""Bulk work spread over worker processes: an ordered map of a pure function over batches.

For the CPU-bound Python of a bulk job (an index build's search keys) while
this process does what only it can (SQLite writes). Processes, not threads: the work holds the GIL.
Not forked from this process: the app has threads running, and a forked child would inherit their locks.
Where the platform has it (Linux, macOS), workers are forked from a fork server: a clean single-threaded
process started once per program, which imports the worker functions' modules (:func:`preload`) once for
all the pools after it, where a spawned worker imports them again each time (half a second, per worker,
per pool). Elsewhere they are spawned. Either way the function must be a module-level function (or a
``functools.partial`` of one) of picklable arguments, and a worker imports the program's main module
again, so a program that starts a pool needs the usual ``if __name__ == "__main__":`` guard. If the
workers cannot start or die, the remaining batches are computed here: slower, never wrong.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

_B = TypeVar("_B")
_R = TypeVar("_R")

MAX_WORKERS = 3


_PRELOAD: list[str] = []


def preload(*modules: str) -> None:
    """Name the modules of worker functions: a fork server started afterwards imports them once for all
    the workers it forks (a worker still imports what is not named, at its first batch)."""
    _PRELOAD.extend(name for name in modules if name not in _PRELOAD)


def _start_method() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(_PRELOAD))  # taken when the server starts, at the first pool
        return context
    return multiprocessing.get_context("spawn")


def default_workers(idle: bool = False) -> int:
    """One worker per CPU but one (this process needs a CPU of its own for its share), at most a few;
    ``idle``: this process only waits for the results, so one per CPU (none on a single CPU)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    if cpus < 2:
        return 0
    return max(0, min(cpus if idle else cpus - 1, MAX_WORKERS))


class BatchPool(Generic[_B, _R]):
    """``map(fn, batches)`` in ``workers`` processes (0: here), results in the batches' order, with at
    most a few batches in flight so that memory stays flat however many there are."""

    def __init__(self, workers: int) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._window = 2 * workers + 2
        if workers > 0:
            try:
                self._pool = ProcessPoolExecutor(workers, mp_context=_start_method())
            except (OSError, ValueError, NotImplementedError):
                self._pool = None

    def __enter__(self) -> BatchPool[_B, _R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def map(self, fn: Callable[[_B], _R], batches: Iterable[_B]) -> Iterator[_R]:
        pending: deque[tuple[_B, Future[_R] | None]] = deque()

        def first() -> _R:
            batch, future = pending.popleft()
            if future is not None:
                try:
                    return future.result()
                except BrokenProcessPool:
                    self.close()
            return fn(batch)

        for batch in batches:
            pending.append((batch, self._submit(fn, batch)))
            if len(pending) >= (self._window if self._pool else 1):
                yield first()
        while pending:
            yield first()

    def _submit(self, fn: Callable[[_B], _R], batch: _B) -> Future[_R] | None:
        if self._pool is None:
            return None
        try:
            return self._pool.submit(fn, batch)
        except BrokenProcessPool:
            self.close()
            return None

    def close(self) -> None:
        """Stop the workers without waiting for them to exit (a few tenths of a second after a big job,
        for nothing): the executor joins them in the background; batches not started are dropped."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def pool_for(
    size: int, threshold: int, workers: int | None = None, *, idle: bool = False
) -> BatchPool[Any, Any]:
    """A pool for a job of ``size`` items: worker processes only from ``threshold`` items (starting them
    takes about half a second), unless ``workers`` says exactly how many (0: none). ``idle``: see
    :func:`default_workers`."""
    if workers is None:
        workers = default_workers(idle) if size >= threshold else 0
    return BatchPool(workers)
