"""Mutated CSV, XLSX and vCard bytes through the whole import (read, plan, apply): never an uncaught
exception, never a partial write."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison_tui.domain.errors import LiaisonError
from liaison_tui.store import Store

from .importing import import_bytes, snapshot
from .samples import GBK_CSV, VCARD, XLSX, sample_bytes

SOURCES = {name: sample_bytes(name) for name in (GBK_CSV, XLSX, VCARD)}


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete", "splice"]))
        pos = draw(st.integers(0, max(len(out) - 1, 0)))
        if op == "flip" and out:
            out[pos] = draw(st.integers(0, 255))
        elif op == "cut":
            del out[pos:]
        elif op == "insert":
            out[pos:pos] = draw(
                st.sampled_from(
                    [
                        b'"',
                        b",",
                        b"\n",
                        b"\x00",
                        b"\xff\xfe",
                        "张".encode(),
                        b";",
                        b"=cmd|' /C calc'!A0",
                        b"BEGIN:VCARD\r\n",
                        b"+86 138",
                    ]
                )
            )
        elif op == "delete":
            del out[pos : pos + draw(st.integers(1, 64))]
        else:
            size = draw(st.integers(1, 200))
            out[pos:pos] = out[max(0, pos - size) : pos]
    return bytes(out)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_mutated_files_import_whole_or_not_at_all(tmp_path: Path, name: str) -> None:
    store = Store.open(tmp_path / "fuzz.db", author="fuzz")
    data = SOURCES[name]

    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutated(data))
    def run(blob: bytes) -> None:
        before = snapshot(store)
        contacts = store.contacts.count()
        try:
            _plan, result = import_bytes(store, blob, name)
        except LiaisonError as exc:
            assert exc.message("zh") and exc.message("en")
            assert snapshot(store) == before  # refused: not one byte written
            return
        # applied: exactly what it reported, all of it
        assert store.contacts.count() == contacts + result.counts["create"]
        assert len(result.created) == result.counts["create"]

    try:
        run()
    finally:
        store.close()
