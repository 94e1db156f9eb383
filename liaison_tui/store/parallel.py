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


def default_workers() -> int:
    """One worker per CPU but one (this process needs a CPU of its own for its share), at most a few."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    if cpus < 2:
        return 0
    return max(0, min(cpus - 1, MAX_WORKERS))


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

    def map(self, fn: Callable[[_B], _R], batches: Iterable[_B]) -> Iterator[_R]:
        pending: deque[Pending[_B, _R]] = deque()
        for batch in batches:
            pending.append(self.submit(fn, batch))
            if len(pending) >= self.window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    @property
    def window(self) -> int:
        """Batches worth having in flight: enough to keep the workers busy, few enough to keep memory flat."""
        return self._window if self._pool else 1

    def submit(self, fn: Callable[[_B], _R], batch: _B) -> Pending[_B, _R]:
        """Start ``fn(batch)`` in a worker; without workers it runs here when its result is asked for."""
        future = None
        if self._pool is not None:
            try:
                future = self._pool.submit(fn, batch)
            except BrokenProcessPool:
                self.close()
        return Pending(self, fn, batch, future)

    def close(self) -> None:
        """Stop the workers without waiting for them to exit (a few tenths of a second after a big job,
        for nothing): the executor joins them in the background; batches not started are dropped."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


class Pending(Generic[_B, _R]):
    """One batch submitted to a :class:`BatchPool`."""

    def __init__(
        self, pool: BatchPool[_B, _R], fn: Callable[[_B], _R], batch: _B, future: Future[_R] | None
    ) -> None:
        self._pool, self._fn, self._batch, self._future = pool, fn, batch, future

    def ready(self) -> bool:
        """Its result is there (or will be computed here at once: there is no worker to wait for)."""
        return self._future is None or self._future.done()

    def result(self) -> _R:
        if self._future is not None:
            try:
                return self._future.result()
            except BrokenProcessPool:
                self._pool.close()
        return self._fn(self._batch)


def pool_for(size: int, threshold: int, workers: int | None = None) -> BatchPool[Any, Any]:
    """A pool for a job of ``size`` items: worker processes only from ``threshold`` items (starting them
    takes about half a second), unless ``workers`` says exactly how many (0: none)."""
    if workers is None:
        workers = default_workers() if size >= threshold else 0
    return BatchPool(workers)
