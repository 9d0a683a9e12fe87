"""Blue/green reindex against the real node: searches never fail, the alias moves atomically."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from elasticsearch import Elasticsearch

from core.errors import IndexingError
from core.settings import Settings
from core.store import DocumentStore
from indexer.analysis import NL_SEARCH
from indexer.client import make_client
from indexer.lifecycle import (
    alias_targets,
    concrete_indices,
    create_index,
    index_mapping_version,
    reindex,
    rollback,
)
from indexer.mapping import MAPPING_VERSION, index_body
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


class SearchLoop(threading.Thread):
    """Searches the alias and looks at its targets until stopped; records what it saw."""

    def __init__(self, client: Elasticsearch, alias: str) -> None:
        super().__init__(daemon=True)
        self.client, self.alias = client, alias
        self.stopping = threading.Event()
        self.errors: list[str] = []
        self.totals: Counter[int] = Counter()
        self.targets: Counter[int] = Counter()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                answer = self.client.search(index=self.alias, query={"match": {"body": "leesclub"}})
                self.totals[answer["hits"]["total"]["value"]] += 1
                self.targets[len(self.client.indices.get_alias(name=self.alias).body)] += 1
            except Exception as exc:  # every kind of failure is what this test counts
                self.errors.append(repr(exc))


def test_reindex_under_searches_has_no_failed_search_and_one_index_behind_the_alias(
    settings: Settings, client: Elasticsearch
) -> None:
    store = open_store(settings)
    docs = fill_store(store, 300)
    first = sync_outbox(store, client, settings).index
    client.indices.refresh(index=settings.index_alias)
    loop = SearchLoop(client, settings.index_alias)
    loop.start()
    try:
        reports = [reindex(store, client, settings) for _ in range(3)]
    finally:
        loop.stopping.set()
        loop.join(timeout=30)
    assert loop.errors == []
    assert sum(loop.totals.values()) > 10  # the loop really ran during the reindexes
    assert set(loop.totals) == {300}  # every search saw the whole collection
    assert set(loop.targets) == {1}  # never zero, never two indices behind the alias
    assert [r.previous for r in reports] == [first, reports[0].index, reports[1].index]
    assert alias_targets(client, settings.index_alias) == [reports[-1].index]
    # The previous index is kept for rollback, the older ones are gone.
    assert concrete_indices(client, settings.index_alias) == [reports[1].index, reports[2].index]
    assert sorted(index_ids(client, settings.index_alias)) == sorted(d.id for d in docs)


def test_reindex_takes_only_live_documents_and_restores_serving_settings(
    settings: Settings, client: Elasticsearch
) -> None:
    store = open_store(settings)
    docs = fill_store(store, 10)
    store.delete(docs[0].id)
    report = reindex(store, client, settings)  # also creates the alias the first time
    assert (report.previous, report.docs) == (None, 9)
    assert sorted(index_ids(client, settings.index_alias)) == sorted(d.id for d in docs[1:])
    index_settings = client.indices.get_settings(index=report.index)[report.index]["settings"]
    assert index_settings["index"]["refresh_interval"] == "1s"
    assert index_settings["index"]["number_of_replicas"] == str(settings.index_replicas)
    assert index_settings["index"]["auto_expand_replicas"] == "false"


def test_rollback_points_the_alias_back_at_the_previous_index(
    settings: Settings, client: Elasticsearch
) -> None:
    store = open_store(settings)
    fill_store(store, 5)
    first = reindex(store, client, settings)
    fill_store(store, 5, start=5)
    second = reindex(store, client, settings)
    assert rollback(client, settings) == (second.index, first.index)
    assert alias_targets(client, settings.index_alias) == [first.index]
    assert len(index_ids(client, settings.index_alias)) == 5
    with pytest.raises(IndexingError, match="nothing to roll back"):
        rollback(client, settings)


def test_a_failed_reindex_leaves_the_alias_and_drops_the_half_built_index(
    settings: Settings, client: Elasticsearch
) -> None:
    store = open_store(settings)
    fill_store(store, 20)
    good = reindex(store, client, settings)
    store.save(sample_document(50, parent="x" * 40_000))  # Elasticsearch refuses this one
    with pytest.raises(IndexingError, match="refused"):
        reindex(store, client, settings)
    assert alias_targets(client, settings.index_alias) == [good.index]
    assert concrete_indices(client, settings.index_alias) == [good.index]
    assert len(index_ids(client, settings.index_alias)) == 20


def test_a_create_that_timed_out_but_went_through_counts_as_created(
    settings: Settings, client: Elasticsearch
) -> None:
    # The client retries a create whose answer came too late; the retry then meets the
    # index its first attempt made. Names carry the microsecond, so it is that one.
    name = f"{settings.index_alias}-20260101-000000-000001"
    create_index(client, name, settings=settings, alias=settings.index_alias)
    create_index(client, name, settings=settings, alias=settings.index_alias)  # the retry
    assert alias_targets(client, settings.index_alias) == [name]
    other = f"{settings.index_alias}-20260101-000000-000002"
    create_index(client, other, settings=settings)
    with pytest.raises(IndexingError, match="already exists"):
        # Without the alias on it, an existing index is somebody else's: refused.
        create_index(client, other, settings=settings, alias=settings.index_alias)


def _previous_mapping_world(settings: Settings, client: Elasticsearch) -> tuple[str, DocumentStore]:
    """An index as mapping version 1 built it, behind the alias, and a store of 3 documents."""
    old = f"{settings.index_alias}-v1"
    body = index_body()
    body["mappings"]["_meta"] = {"mapping_version": MAPPING_VERSION - 1}
    for name in ("title", "body"):
        body["mappings"]["properties"][name].pop("index_options")
        body["mappings"]["properties"][name]["search_analyzer"] = NL_SEARCH
    client.indices.create(index=old, aliases={settings.index_alias: {}}, **body)
    store = open_store(settings)
    fill_store(store, 3)
    return old, store


def test_an_index_of_the_previous_mapping_refuses_a_sync_until_a_reindex(
    settings: Settings, client: Elasticsearch
) -> None:
    # Mapping version 2 (offsets for the highlighter, no synonym search analyzer) is
    # not applied to an index in place: the sync says so, the reindex builds it.
    old, store = _previous_mapping_world(settings, client)
    with pytest.raises(IndexingError, match="kennisbrug reindex"):
        sync_outbox(store, client, settings)
    report = reindex(store, client, settings)
    assert report.previous == old and report.docs == 3
    mapping = client.indices.get_mapping(index=report.index)[report.index]["mappings"]
    assert mapping["_meta"]["mapping_version"] == MAPPING_VERSION
    assert mapping["properties"]["body"]["index_options"] == "offsets"
    assert "search_analyzer" not in mapping["properties"]["body"]
    sync_outbox(store, client, settings)  # the rebuilt index takes syncs again


def test_make_run_rebuilds_an_index_of_the_previous_mapping(
    settings: Settings, client: Elasticsearch
) -> None:
    # A returning `make run`: the node and the store outlive the demo, the index was
    # built by an earlier Kennisbrug. The demo rebuilds it instead of stopping.
    from demo.full import ready_index

    alias = settings.index_alias
    old, store = _previous_mapping_world(settings, client)
    current = ready_index(store, client, settings)
    assert current != old and alias_targets(client, alias) == [current]
    assert index_mapping_version(client, current) == MAPPING_VERSION
    client.indices.refresh(index=alias)
    assert client.count(index=alias)["count"] == 3
    assert ready_index(store, client, settings) == current  # up to date: left alone
