"""A sudden drop waits for an admin: the /beheer card, the URL list, confirm and reject.

Over HTTP with the in-process client (Elasticsearch deliberately unreachable: the
dashboard shows its index count as unknown). The holds themselves come from a real
crawl in tests/integration/test_fault_matrix_deletion.py; here they are made directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient

from core.accounts import Accounts
from core.db import make_engine
from core.deletion_holds import DeletionHolds, HeldItem
from core.jobs import JobQueue
from core.models import Document
from core.settings import REPO_ROOT, Settings
from core.store import DocumentStore
from search_ui.app import create_app
from tests.faultsite import FakeClock

PASSWORD = "een-goed-wachtwoord"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env(
        {}, home=tmp_path, require_login=True, secret_key="k" * 40,
        sources_file=REPO_ROOT / "config" / "sources.toml",
    )  # fmt: skip


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    accounts = Accounts(make_engine(settings.database_url))
    accounts.add_user("anne", PASSWORD, "admin")
    accounts.add_user("sam", PASSWORD, "staff")
    app = create_app(settings, es=Elasticsearch("http://127.0.0.1:9", max_retries=0))
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _csrf(page_text: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page_text)
    assert found is not None
    return found.group(1)


def _sign_in(client: TestClient, user: str) -> None:
    token = _csrf(client.get("/aanmelden").text)
    form = {"gebruiker": user, "wachtwoord": PASSWORD, "csrf_token": token}
    assert client.post("/aanmelden", data=form).status_code == 303


def _held(settings: Settings, clock: FakeClock, n: int = 3) -> tuple[DocumentStore, int]:
    store = DocumentStore(make_engine(settings.database_url), clock=clock)
    items = []
    for i in range(n):
        url = f"http://127.0.0.1:8101/artikel.php?id={i}"
        doc = Document(url=url, source="ekic", provincie=("Limburg",), type="artikel",
                       title=f"T{i}", body="tekst")  # fmt: skip
        store.save(doc)
        store.record_gone(doc.id, confirmations=99)
        items.append(HeldItem(id=doc.id, url=url, why="gone"))
    clock.advance(timedelta(minutes=1))
    hold = DeletionHolds(store.engine, clock=clock).hold(
        "ekic", items, reason=f"{n} of {n} live documents would be deleted", live=n, run_id=None
    )
    return store, hold.id


def test_the_card_lists_the_held_urls_and_confirm_deletes_them(
    client: TestClient, settings: Settings
) -> None:
    clock = FakeClock()
    store, hold_id = _held(settings, clock)
    _sign_in(client, "anne")
    dashboard = client.get("/beheer").text
    link = f"/beheer/bronnen/ekic/verwijderingen/{hold_id}"
    assert "Verwijderen wacht op bevestiging: 3 van 3" in dashboard and link in dashboard
    page = client.get(link)
    assert page.status_code == 200
    assert all(f"artikel.php?id={i}" in page.text for i in range(3))
    # without the CSRF token nothing happens
    assert client.post(link + "/bevestigen", data={}).status_code == 403
    assert store.count_live("ekic") == 3
    answer = client.post(link + "/bevestigen", data={"csrf_token": _csrf(page.text)})
    assert answer.status_code == 303
    assert store.count_live("ekic") == 0
    assert {p.op for p in store.outbox_pending()} == {"delete"}
    assert JobQueue(store.engine).find(kind="sync", limit=5)  # the index follows
    assert "Verwijderen wacht" not in client.get("/beheer").text
    decided = client.get(link).text
    assert "Besluit: bevestigd door" in decided and "/bevestigen" not in decided
    # a decided hold cannot be confirmed twice
    client.post(link + "/afwijzen", data={"csrf_token": _csrf(page.text)})
    assert DeletionHolds(store.engine).get(hold_id).status == "confirmed"  # type: ignore[union-attr]


def test_reject_keeps_everything_and_forgets_the_evidence(
    client: TestClient, settings: Settings
) -> None:
    store, hold_id = _held(settings, FakeClock())
    _sign_in(client, "anne")
    link = f"/beheer/bronnen/ekic/verwijderingen/{hold_id}"
    answer = client.post(link + "/afwijzen", data={"csrf_token": _csrf(client.get(link).text)})
    assert answer.status_code == 303
    assert store.count_live("ekic") == 3
    assert all(s.gone_count == 0 for s in store.by_source("ekic").values())
    other = f"/beheer/bronnen/bnbibliotheek/verwijderingen/{hold_id}"
    assert client.get(other).status_code == 404  # a hold is reached only through its source


def test_confirm_skips_a_page_seen_alive_after_the_hold(settings: Settings) -> None:
    clock = FakeClock()
    store, hold_id = _held(settings, clock)
    alive = next(iter(store.by_source("ekic").values()))
    clock.advance(timedelta(hours=1))
    store.mark_seen(alive.document.id)  # a later run found it again
    deleted = DeletionHolds(store.engine).confirm(hold_id, store, by="anne")
    assert len(deleted) == 2 and alive.document.id not in deleted
    assert store.get(alive.document.id).deleted is False  # type: ignore[union-attr]


def test_staff_cannot_see_or_decide_holds(client: TestClient, settings: Settings) -> None:
    store, hold_id = _held(settings, FakeClock())
    _sign_in(client, "sam")
    link = f"/beheer/bronnen/ekic/verwijderingen/{hold_id}"
    assert client.get(link).status_code == 403
    assert client.post(link + "/bevestigen", data={}).status_code == 403
    assert store.count_live("ekic") == 3
