"""Document store and outbox rules, on SQLite and on PostgreSQL (the ``db_url`` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from core.db import make_engine, reading
from core.errors import StoreError
from core.models import Document
from core.store import Change, DocumentStore


def _doc(url: str = "http://ekic.test/artikel.php?id=1", body: str = "Leesbevordering") -> Document:
    return Document(
        url=url, source="ekic", provincie=("Limburg",), type="artikel", title="T", body=body
    )


@pytest.fixture
def store(db_url: str) -> DocumentStore:
    return DocumentStore(make_engine(db_url))


def test_new_changed_unchanged_and_outbox(store: DocumentStore) -> None:
    assert store.save(_doc()) is Change.NEW
    assert store.save(_doc()) is Change.UNCHANGED
    assert store.save(_doc(body="Mediawijsheid")) is Change.CHANGED
    pending = store.outbox_pending()
    assert [(p.op, p.version) for p in pending] == [("index", 2)]
    assert pending[0].document is not None and pending[0].document.body == "Mediawijsheid"


def test_ack_of_an_older_version_keeps_the_newer_change(store: DocumentStore) -> None:
    store.save(_doc())
    first = store.outbox_pending()[0]
    store.save(_doc(body="nieuw"))  # changed while the indexer was busy
    assert store.outbox_ack([(first.doc_id, first.version)]) == 0
    assert store.outbox_pending()[0].version == 2


def test_gone_needs_two_confirmations(store: DocumentStore) -> None:
    doc = _doc()
    store.save(doc)
    store.outbox_ack([(doc.id, 1)])
    assert store.record_gone(doc.id) is False
    assert store.record_gone(doc.id) is True
    assert store.count_live() == 0
    assert [p.op for p in store.outbox_pending()] == ["delete"]


def test_missing_runs_delete_only_at_the_limit(store: DocumentStore) -> None:
    a, b = _doc(), _doc(url="http://ekic.test/artikel.php?id=2")
    store.save(a)
    store.save(b)
    assert store.record_missing("ekic", {a.id}, confirmations=2) == []
    assert store.record_missing("ekic", {a.id}, confirmations=2) == [b.id]
    assert store.get(b.id) is not None and store.get(b.id).deleted  # type: ignore[union-attr]


def test_counts_and_iteration(store: DocumentStore) -> None:
    for i in range(5):
        store.save(_doc(url=f"http://ekic.test/artikel.php?id={i}"))
    store.delete(_doc(url="http://ekic.test/artikel.php?id=0").id)
    assert len(list(store.iter_live(batch=2))) == 4
    (row,) = store.counts()
    assert (row.source, row.provincie, row.live, row.deleted) == ("ekic", "Limburg", 4, 1)
    assert store.outbox_counts() == {"ekic": (5, 0)}


def test_document_json_round_trip() -> None:
    doc = _doc().with_fetched_at(datetime(2010, 11, 11, tzinfo=UTC))
    assert Document.from_json(doc.to_json()) == doc


def test_touch_many_bumps_last_seen_only(store: DocumentStore) -> None:
    times = iter([datetime(2010, 11, 11, tzinfo=UTC), datetime(2010, 11, 12, tzinfo=UTC)])
    clocked = DocumentStore(store.engine, clock=lambda: next(times))
    doc = _doc()
    clocked.save(doc)
    clocked.touch_many([doc.id])
    stored = clocked.get(doc.id)
    assert stored is not None
    assert stored.last_seen.day == 12 and stored.first_seen.day == 11
    assert len(store.outbox_pending()) == 1  # no new outbox row for a mere sighting


def test_ack_and_fail_in_bulk(store: DocumentStore) -> None:
    docs = [_doc(url=f"http://ekic.test/artikel.php?id={i}") for i in range(3)]
    for doc in docs:
        store.save(doc)
    store.outbox_fail([(docs[0].id, 1, "mapper_parsing_exception: kapot veld")])
    assert store.outbox_ack([(docs[1].id, 1), (docs[2].id, 1), (docs[2].id, 1)]) == 2
    (left,) = store.outbox_pending()
    assert (left.doc_id, left.attempts, left.last_error) == (
        docs[0].id,
        1,
        "mapper_parsing_exception: kapot veld",
    )
    assert store.outbox_counts() == {"ekic": (1, 1)}


def test_an_unusable_database_is_a_clear_store_error(tmp_path: Path) -> None:
    # A folder where the database file should be: SQLite cannot open it.
    with pytest.raises(StoreError, match="cannot be opened"):
        make_engine(f"sqlite:///{tmp_path}")
    with (
        pytest.raises(StoreError, match="state database unavailable"),
        reading(create_engine(f"sqlite:///{tmp_path}")) as conn,
    ):
        conn.exec_driver_sql("select 1")


def test_a_joint_document_counts_under_each_of_its_provinces(store: DocumentStore) -> None:
    from dataclasses import replace

    joint = replace(
        _doc("http://wiki.test/wiki/Samen"),
        source="wiki",
        provincie=("Limburg", "Noord-Brabant"),
        content_hash="",  # derived fields are computed again
        id="",
    )
    store.save(joint)
    store.save(replace(_doc("http://wiki.test/wiki/Venlo"), source="wiki", content_hash="", id=""))
    counts = {(c.source, c.provincie): c.live for c in store.counts()}
    assert counts == {("wiki", "Limburg"): 2, ("wiki", "Noord-Brabant"): 1}
    stored = store.get(joint.id)
    assert stored is not None and stored.document.provincie == ("Limburg", "Noord-Brabant")
    # Moving a page to another province is a change like any other (it reaches the index).
    moved = Document.from_json({**joint.to_json(), "provincie": ["Limburg"], "content_hash": ""})
    assert store.save(moved) is Change.CHANGED


def test_an_older_stored_version_with_one_province_string_still_reads() -> None:
    old = _doc().to_json() | {"provincie": "Limburg"}
    assert Document.from_json(old).provincie == ("Limburg",)
