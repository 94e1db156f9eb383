"""Bulk jobs pause Python's cyclic garbage collector.

An import or an index build makes millions of small objects that live until it ends (rows, dicts, lists,
strings) and no reference cycles. The collector's passes over the oldest generation walk all of them
again and again and free nothing: at 100k rows, a third of an import's time, growing with the square of
its size. Reference counting still frees everything as the job goes; cycles the rest of the program makes
meanwhile (the terminal app's, say) are collected when the last job running ends. Jobs in several threads
share one pause.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_jobs = 0
_resume = False  # whether the collector was on when the first job paused it


@contextmanager
def paused() -> Iterator[None]:
    global _jobs, _resume
    with _lock:
        if _jobs == 0:
            _resume = gc.isenabled()
            gc.disable()
        _jobs += 1
    try:
        yield
    finally:
        with _lock:
            _jobs -= 1
            if _jobs == 0 and _resume:
                gc.enable()
