"""Bulk jobs pause the cyclic garbage collector together and give it back as they found it."""

from __future__ import annotations

import gc
import threading

from liaison_tui import gc_pause


def test_the_collector_resumes_when_the_last_job_ends_and_only_if_it_was_on() -> None:
    assert gc.isenabled()
    first_in, second_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other_job() -> None:
        with gc_pause.paused():
            first_in.set()
            second_done.wait(10)
            seen.append(gc.isenabled())

    thread = threading.Thread(target=other_job)
    thread.start()
    first_in.wait(10)
    with gc_pause.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's job still runs
    second_done.set()
    thread.join(10)
    assert seen == [False] and gc.isenabled()

    gc.disable()
    try:
        with gc_pause.paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_an_error_in_a_job_gives_the_collector_back() -> None:
    try:
        with gc_pause.paused():
            raise KeyError("x")
    except KeyError:
        pass
    assert gc.isenabled()
