"""The consent ledger: withdrawal always wins over earlier consent, expiry ends it, sharing with one employer
follows both its own and general events; warnings appear exactly when consent is missing; the ledger is
append-only and synced."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from liaison_tui.domain.consent import Event, state
from liaison_tui.store import Store
from liaison_tui.store.consent import has_consent, missing, record, without_consent

PURPOSE = "share_with_employer"
DAY0 = date(2026, 1, 1)
days = st.integers(0, 400).map(lambda n: DAY0 + timedelta(days=n))
events = st.builds(
    Event,
    action=st.sampled_from(["given", "withdrawn"]),
    purpose=st.sampled_from([PURPOSE, "recruitment_contact"]),
    occurred_on=days,
    org_id=st.sampled_from([None, "org-a", "org-b"]),
    expires_on=st.one_of(st.none(), days),
    order=st.text(alphabet="0123456789", min_size=4, max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(history=st.lists(events, max_size=12), withdrawal_day=days, org=st.sampled_from([None, "org-a"]))
def test_a_withdrawal_always_wins_over_earlier_consent(
    history: list[Event], withdrawal_day: date, org: str | None
) -> None:
    before = [e for e in history if e.occurred_on <= withdrawal_day]  # consent given before (or that day)
    withdrawn = Event("withdrawn", PURPOSE, withdrawal_day, None, None, "9999")
    now = withdrawal_day + timedelta(days=1)
    assert not state([*before, withdrawn], PURPOSE, now, org).valid


@settings(max_examples=300, deadline=None)
@given(history=st.lists(events, max_size=12), today=days, org=st.sampled_from([None, "org-a", "org-b"]))
def test_valid_exactly_when_the_latest_relevant_event_gives_unexpired_consent(
    history: list[Event], today: date, org: str | None
) -> None:
    relevant = [
        e
        for e in history
        if e.purpose == PURPOSE
        and e.occurred_on <= today
        and (e.org_id is None or (org is not None and e.org_id == org))
    ]
    expected = False
    if relevant:
        last = max(relevant, key=lambda e: (e.occurred_on, e.action == "withdrawn", e.order))
        expected = last.action == "given" and (last.expires_on is None or last.expires_on >= today)
    assert state(history, PURPOSE, today, org).valid == expected


def test_a_general_withdrawal_stops_sharing_with_every_employer_a_specific_one_only_that_one() -> None:
    given_all = Event("given", PURPOSE, DAY0)
    only_a = Event("withdrawn", PURPOSE, DAY0 + timedelta(days=5), "org-a")
    on = DAY0 + timedelta(days=10)
    assert not state([given_all, only_a], PURPOSE, on, "org-a").valid
    assert state([given_all, only_a], PURPOSE, on, "org-b").valid
    everyone = Event("withdrawn", PURPOSE, DAY0 + timedelta(days=6))
    assert not state([given_all, only_a, everyone], PURPOSE, on, "org-b").valid


def test_the_store_ledger_and_who_lacks_consent(store: Store) -> None:
    org = store.organizations.create({"name_en": "Haier"})
    a = store.contacts.create({"native_name": "同意甲"})
    b = store.contacts.create({"native_name": "撤回乙"})
    c = store.contacts.create({"native_name": "无记录丙"})
    today = date.today()
    for person in (a, b):
        record(
            store,
            {
                "contact_id": person.id,
                "action": "given",
                "purpose": "recruitment_contact",
                "channel": "paper",
                "occurred_on": (today - timedelta(days=30)).isoformat(),
            },
        )
    record(
        store,
        {
            "contact_id": b.id,
            "action": "withdrawn",
            "purpose": "recruitment_contact",
            "channel": "email",
            "occurred_on": today.isoformat(),
        },
    )
    record(
        store,
        {
            "contact_id": a.id,
            "action": "given",
            "purpose": PURPOSE,
            "org_id": org.id,
            "channel": "wechat",
            "occurred_on": today.isoformat(),
        },
    )
    assert has_consent(store, a.id, "recruitment_contact") and not has_consent(
        store, b.id, "recruitment_contact"
    )
    assert has_consent(store, a.id, PURPOSE, org.id) and not has_consent(store, a.id, PURPOSE)
    assert missing(store, [a.id, b.id, c.id], "recruitment_contact") == [b.id, c.id]
    lacking = {r["id"]: r["state"] for r in without_consent(store, "recruitment_contact")}
    assert lacking == {b.id: "withdrawn", c.id: "never"}


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIAISON_DB": str(db), "LIAISON_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "liaison_tui.cli.main", *args], env=env, capture_output=True, text=True
    )


def test_cli_records_lists_and_warns_on_export_exactly_when_consent_is_missing(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store.open(db, author="t") as store:
        person = store.contacts.create({"native_name": "导出", "latin_name": "Export Person"})
    assert (
        run(
            db, "consent", "add", person.id, "--purpose", "recruitment_contact", "--channel", "paper"
        ).returncode
        == 0
    )
    shown = run(db, "consent", "list", person.id).stdout
    assert "Given" in shown and "Contact about recruitment" in shown and "contact: yes since" in shown
    out = run(db, "export", "contacts", "-o", str(tmp_path / "a.csv"))
    assert out.returncode == 0 and "no valid consent" not in out.stderr
    assert (
        run(
            db, "consent", "withdraw", person.id, "--purpose", "recruitment_contact", "--channel", "email"
        ).returncode
        == 0
    )
    out = run(db, "export", "contacts", "-o", str(tmp_path / "b.csv"))
    assert (
        out.returncode == 0
        and "1 of these people have no valid consent" in out.stderr
        and "导出" in out.stderr
    )
    assert person.id in run(db, "consent", "missing").stdout
