"""Outbox pages turned into bulk actions (in-memory store, no Elasticsearch)."""

from __future__ import annotations

import orjson
from sqlalchemy import delete

from core.db import documents, make_engine
from core.models import Document
from core.store import DocumentStore
from indexer.mapping import to_source
from indexer.sync import BulkOptions, _read_page


def _doc(n: int) -> Document:
    return Document(
        url=f"https://ekic.example/artikel.php?id={n}",
        source="ekic",
        provincie=("Limburg",),
        type="artikel",
        title=f"Artikel {n}",
        body="Leesbevordering in de bibliotheek.",
    )


def test_pages_cover_the_outbox_once_with_index_delete_and_broken_rows(db_url: str) -> None:
    store = DocumentStore(make_engine(db_url))
    docs = [_doc(n) for n in range(7)]
    for doc in docs:
        store.save(doc)
    store.delete(docs[0].id)
    with store.engine.begin() as conn:  # an outbox row whose document row vanished
        conn.execute(delete(documents).where(documents.c.id == docs[1].id))
    seen: list[str] = []
    after, broken, deletes = "", [], []
    while True:
        page = _read_page(store, after, BulkOptions(page_size=3))
        if not page.items and not page.broken:
            break
        for header, body in page.actions:
            op, meta = next(iter(header.items()))
            seen.append(meta["_id"])
            if op == "delete":
                deletes.append(meta["_id"])
                assert body is None
            else:
                doc = next(d for d in docs if d.id == meta["_id"])
                assert orjson.loads(body) == orjson.loads(orjson.dumps(to_source(doc)))
        broken += [b[0] for b in page.broken]
        after = page.last_id
    assert sorted(seen) == sorted(d.id for d in docs if d.id != docs[1].id)
    assert deletes == [docs[0].id]
    assert broken == [docs[1].id]
