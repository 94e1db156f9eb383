"""How many worker processes a bulk job starts by default (store/parallel.py): one per free CPU."""

from __future__ import annotations

import os

from liaison_tui.store import parallel


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def test_no_workers_while_other_programs_keep_every_cpu_busy() -> None:
    busy = _cpus() + 1.0  # this process and one more runnable process per CPU
    assert parallel.default_workers(load=busy) == 0
    assert parallel.default_workers(idle=True, load=busy) == 0


def test_one_worker_per_free_cpu_when_only_this_process_runs() -> None:
    cpus = _cpus()
    expected_idle = min(cpus, parallel.MAX_WORKERS) if cpus >= 2 else 0
    assert parallel.default_workers(idle=True, load=1.0) == expected_idle
    assert parallel.default_workers(load=0.0) == (min(cpus - 1, parallel.MAX_WORKERS) if cpus >= 2 else 0)
