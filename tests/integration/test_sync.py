"""Outbox sync against the real node: searchable, deletions, refusals, ranking."""

from __future__ import annotations

from typing import Any

import pytest
from elasticsearch import Elasticsearch

from core.settings import Settings
from indexer.client import make_client
from indexer.lifecycle import current_index
from indexer.mapping import SEARCH_FIELDS
from indexer.sync import sync_outbox
from tests.integration.indexer_support import (
    fill_store,
    index_ids,
    open_store,
    own_alias,
    sample_document,
)

pytestmark = pytest.mark.es


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return own_alias(settings)


@pytest.fixture
def client(settings: Settings) -> Elasticsearch:
    return make_client(settings)


def _search(client: Elasticsearch, alias: str, query: dict[str, Any]) -> list[dict[str, Any]]:
    client.indices.refresh(index=alias)
    return list(client.search(index=alias, query=query, size=100)["hits"]["hits"])


def test_sync_makes_every_stored_document_searchable_with_its_provincie(
    settings: Settings, client: Elasticsearch
) -> None:
    store = open_store(settings)
    docs = fill_store(store, 40)
    report = sync_outbox(store, client, settings)
    assert (report.indexed, report.failed) == (40, 0)
    assert store.outbox_counts() == {}
    assert current_index(client, settings.index_alias) == report.index
    assert sorted(index_ids(client, settings.index_alias)) == sorted(d.id for d in docs)
    for doc in docs:
        hits = _search(client, settings.index_alias, {"term": {"id": doc.id}})
        assert [h["_source"]["provincie"] for h in hits] == [list(doc.provincie)]
    # Dutch analysis: the plural finds the singular through the stemmer. The bodies
    # hold only the singular, so a hit can only come from the stemmer.
    assert not any("bibliotheken" in d.body.lower() for d in docs)
    assert all("bibliotheek " in d.body.lower() for d in docs)
    hits = _search(client, settings.index_alias, {"match": {"body": "bibliotheken"}})
    assert len(hits) == 40
    limburg = {"bool": {"filter": [{"term": {"provincie": "Limburg"}}]}}
    assert len(_search(client, settings.index_alias, limburg)) == 20


def test_a_deleted_document_disappears_from_the_index(
    settings: Settings, client: Elasticsearch
) -> None:
    store = open_store(settings)
    docs = fill_store(store, 6)
    sync_outbox(store, client, settings)
    assert store.delete(docs[2].id)
    report = sync_outbox(store, client, settings)
    assert (report.deleted, report.indexed, report.failed) == (1, 0, 0)
    assert docs[2].id not in index_ids(client, settings.index_alias)
    assert len(index_ids(client, settings.index_alias)) == 5


def test_deleting_what_the_index_never_had_counts_as_done(
    settings: Settings, client: Elasticsearch
) -> None:
    store = open_store(settings)
    doc = fill_store(store, 1)[0]
    store.delete(doc.id)  # the index op never reached ES; only the delete is queued
    report = sync_outbox(store, client, settings)
    assert (report.deleted, report.failed) == (1, 0)
    assert store.outbox_counts() == {}


def test_a_changed_document_is_replaced_not_duplicated(
    settings: Settings, client: Elasticsearch
) -> None:
    store = open_store(settings)
    fill_store(store, 3)
    sync_outbox(store, client, settings)
    store.save(sample_document(1, title="Nieuwe titel over mediawijsheid"))
    assert sync_outbox(store, client, settings).indexed == 1
    assert len(index_ids(client, settings.index_alias)) == 3
    hits = _search(client, settings.index_alias, {"match": {"title": "mediawijsheid"}})
    assert [h["_id"] for h in hits] == [sample_document(1).id]


def test_a_refused_document_keeps_its_row_with_the_reason(
    settings: Settings, client: Elasticsearch
) -> None:
    store = open_store(settings)
    fill_store(store, 4)
    # A keyword term above Lucene's 32 KiB limit: Elasticsearch refuses this one document.
    bad = sample_document(99, parent="x" * 40_000)
    store.save(bad)
    report = sync_outbox(store, client, settings)
    assert (report.indexed, report.failed) == (4, 1)
    assert report.failures[0][0] == bad.id
    pending = store.outbox_pending()
    assert [(p.doc_id, p.attempts) for p in pending] == [(bad.id, 1)]
    assert pending[0].last_error and "immense term" in pending[0].last_error
    assert store.outbox_counts()[bad.source] == (1, 1)
    # Fixed by the crawler later: the next sync sends it and clears the row.
    store.save(sample_document(99))
    assert sync_outbox(store, client, settings).indexed == 1
    assert store.outbox_counts() == {}


@pytest.mark.parametrize(
    "fields", [("title^3", "body", "body.compound^0.3"), SEARCH_FIELDS], ids=["brief", "ui"]
)
def test_a_compound_matches_below_the_word_itself(
    settings: Settings, client: Elasticsearch, fields: tuple[str, ...]
) -> None:
    store = open_store(settings)
    whole = sample_document(1, title="Nieuws", body="Over bevordering van het lezen in de regio.")
    part = sample_document(3, title="Nieuws", body="Over leesbevordering in de regio.")
    other = sample_document(5, title="Nieuws", body="Over mediawijsheid in de regio.")
    for doc in (whole, part, other):
        store.save(doc)
    sync_outbox(store, client, settings)
    query = {"multi_match": {"query": "bevordering", "fields": list(fields)}}
    hits = _search(client, settings.index_alias, query)
    assert [h["_id"] for h in hits] == [whole.id, part.id]
