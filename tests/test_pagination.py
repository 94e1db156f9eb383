"""Keyset pagination agrees with a brute-force reference, whatever the data and page size."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison_tui.domain.ids import new_id
from liaison_tui.store import Store

STAGES = ["lead", "contacted", "engaged", "signed"]
records = st.lists(
    st.tuples(
        st.sampled_from(STAGES),
        st.sampled_from(["DE", "US", "CN", None]),
        st.sampled_from(["a", "b", "c", None]),
    ),
    min_size=0,
    max_size=40,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=records,
    limit=st.integers(1, 7),
    order_by=st.sampled_from(["stage", "country", "title", "id"]),
    desc=st.booleans(),
    only=st.sampled_from([None, "DE"]),
)
def test_pages_concatenate_to_the_sorted_table(rows, limit, order_by, desc, only) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "p.db")
        data = [
            {"id": new_id(), "native_name": f"人{i}", "stage": s, "country": c, "title": t}
            for i, (s, c, t) in enumerate(rows)
        ]
        with store.transaction():
            store.bulk_insert("contacts", [store.contacts.validate(d).storable() for d in data])
        where = {"country": only} if only else None
        seen: list[str] = []
        after = None
        while True:
            page = store.contacts.list(where=where, order_by=order_by, desc=desc, after=after, limit=limit)
            assert len(page.items) <= limit
            seen += [c.id for c in page.items]
            if page.next_cursor is None:
                break
            after = page.next_cursor
        expected = sorted(
            (d for d in data if not only or d["country"] == only),
            key=lambda d: ((d[order_by] or ""), d["id"]),
            reverse=desc,
        )
        assert seen == [d["id"] for d in expected]
        store.close()
