"""A real 3-node cluster on loopback: shards and replicas as configured, and node kills.

One ``LocalCluster`` per session (``es_cluster``, marker ``cluster``), indices with
3 primary shards and 1 replica. The fault tests SIGKILL a node while searches run
through the app (every search must answer 200 with the full result: the client
retries on the other nodes, Elasticsearch serves the dead node's shards from their
replicas) and while the outbox sync runs (once the node is back and the cluster is
green again, every stored document is in the index, and nothing that the sync
acknowledged is missing even before it runs again). ``/healthz`` and ``/beheer``
show the colour and the number of nodes throughout. Each test leaves the cluster
with all three nodes and green.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient

from core.accounts import Accounts
from core.db import make_engine
from core.errors import IndexingError
from core.settings import REPO_ROOT, Settings
from core.store import DocumentStore
from indexer.client import make_client
from indexer.lifecycle import alias_targets, reindex
from indexer.sync import BulkOptions, sync_outbox
from localnode.cluster import LocalCluster
from search_ui.app import create_app
from tests.integration.indexer_support import fill_store, open_store

SHARDS, REPLICAS = 3, 1
PASSWORD = "een-goed-wachtwoord"
#: Bounds of the search loop: it stops by itself after this many searches or seconds.
MAX_SEARCHES = 4000
MAX_LOOP_SECONDS = 420.0
QUERIES = ("leesbevordering", "mediawijsheid", "bibliotheek leesclub", "collectie", "ICT")


@pytest.fixture
def settings(tmp_path: Path, es_cluster: LocalCluster) -> Settings:
    """All three nodes, 3 shards and 1 replica, an alias of the test's own."""
    return Settings.from_env(
        {}, home=tmp_path, es_url=es_cluster.es_url, index_shards=SHARDS,
        index_replicas=REPLICAS, index_alias=f"kbcluster-{secrets.token_hex(4)}",
        require_login=False, secret_key="k" * 40,
        sources_file=REPO_ROOT / "config" / "sources.toml",
    )  # fmt: skip


@pytest.fixture
def client(settings: Settings) -> Iterator[Elasticsearch]:
    es = make_client(settings)
    yield es
    for index in alias_targets(es, settings.index_alias):
        es.options(ignore_status=404).indices.delete(index=index)
    es.close()


def wait_green(client: Elasticsearch, index: str, timeout: float = 300) -> None:
    answer = client.options(ignore_status=408).cluster.health(
        index=index, wait_for_status="green", timeout=f"{timeout:g}s"
    )
    assert answer["status"] == "green", answer.body


def shard_table(client: Elasticsearch, index: str) -> list[dict[str, str]]:
    return list(client.cat.shards(index=index, format="json", h="shard,prirep,state,node").body)


def index_ids(client: Elasticsearch, alias: str) -> set[str]:
    client.indices.refresh(index=alias)
    found: set[str] = set()
    answer = client.search(index=alias, size=1000, source=False, sort=["_doc"], scroll="1m")
    while answer["hits"]["hits"]:
        found.update(hit["_id"] for hit in answer["hits"]["hits"])
        answer = client.scroll(scroll_id=answer["_scroll_id"], scroll="1m")
    client.clear_scroll(scroll_id=answer["_scroll_id"])
    return found


def master_index(cluster: LocalCluster, client: Elasticsearch) -> int:
    """Which member is the elected master right now."""
    rows = cast(list[dict[str, str]], client.cat.master(format="json").body)
    name = rows[0]["node"]
    return next(i for i, node in enumerate(cluster.nodes) if node.name == name)


def test_index_and_reindex_follow_shards_and_replicas_over_three_nodes(
    settings: Settings, client: Elasticsearch
) -> None:
    store = open_store(settings)
    docs = fill_store(store, 120)
    report = sync_outbox(store, client, settings)
    assert report.indexed == len(docs)
    for index in (report.index, reindex(store, client, settings).index):
        wait_green(client, index)
        values = client.indices.get_settings(index=index)[index]["settings"]["index"]
        assert (values["number_of_shards"], values["number_of_replicas"]) == ("3", "1")
        shards = shard_table(client, index)
        assert len(shards) == SHARDS * (1 + REPLICAS)
        assert {s["state"] for s in shards} == {"STARTED"}
        assert len({s["node"] for s in shards}) == 3  # spread over all three nodes
        for number in {s["shard"] for s in shards}:
            copies = [s["node"] for s in shards if s["shard"] == number]
            assert len(set(copies)) == 2  # a primary and its replica never share a node
    assert client.count(index=settings.index_alias)["count"] == len(docs)


def sign_in_admin(settings: Settings, app_client: TestClient) -> None:
    Accounts(make_engine(settings.database_url)).add_user("anne", PASSWORD, "admin")
    page = app_client.get("/aanmelden")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    form = {"gebruiker": "anne", "wachtwoord": PASSWORD, "csrf_token": found.group(1)}
    assert app_client.post("/aanmelden", data=form).status_code == 303


def cluster_on_dashboard(app_client: TestClient) -> tuple[str, str]:
    """(colour, number of nodes) as the /beheer dashboard shows them."""
    page = app_client.get("/beheer")
    assert page.status_code == 200
    colour = re.search(r'data-cluster-status="([a-z]+)"', page.text)
    nodes = re.search(r'data-field="cluster-nodes">(\d+)<', page.text)
    assert colour is not None and nodes is not None, page.text
    return colour.group(1), nodes.group(1)


def wait_for_health(
    app_client: TestClient, *, nodes: int, status: str, timeout: float = 180
) -> dict[str, object]:
    """Poll /healthz until it reports ``nodes`` nodes and ``status``; its last answer."""
    deadline = time.monotonic() + timeout
    while True:
        answer = app_client.get("/healthz")
        body = answer.json()["elasticsearch"]
        if (body.get("nodes"), body.get("status")) == (nodes, status):
            assert answer.status_code == 200
            return dict(body)
        assert time.monotonic() < deadline, f"/healthz still says {answer.status_code} {body}"
        time.sleep(0.5)


class SearchLoop:
    """Searches through the app in two threads until stopped (bounded in count and time).

    A search fails when it does not answer 200 or finds another number of documents
    than before the fault (shard failures would show as fewer hits).
    """

    def __init__(self, app_client: TestClient, expected: dict[str, int]) -> None:
        self.app_client, self.expected = app_client, expected
        self.done = 0
        self.failures: list[str] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(n,)) for n in range(2)]
        self.deadline = time.monotonic() + MAX_LOOP_SECONDS

    def __enter__(self) -> SearchLoop:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def _run(self, n: int) -> None:
        i = n
        while not self.stopping.is_set() and self.done < MAX_SEARCHES:
            if time.monotonic() > self.deadline:
                return
            query = QUERIES[i % len(QUERIES)]
            i += 1
            answer = self.app_client.get("/api/search", params={"q": query})
            problem = ""
            if answer.status_code != 200:
                problem = f"{query}: HTTP {answer.status_code} {answer.text[:200]}"
            elif answer.json()["total"] != self.expected[query]:
                problem = f"{query}: {answer.json()['total']} hits, {self.expected[query]} before"
            with self.lock:
                self.done += 1
                if problem:
                    self.failures.append(problem)
            time.sleep(0.01)

    def wait_for(self, more: int) -> None:
        """Block until ``more`` further searches have been answered."""
        target = self.done + more
        while self.done < target and self.done < MAX_SEARCHES:
            assert all(t.is_alive() for t in self.threads), "the search loop stopped early"
            time.sleep(0.05)


def test_searches_survive_a_killed_node_and_health_shows_it(
    settings: Settings, client: Elasticsearch, es_cluster: LocalCluster
) -> None:
    store = open_store(settings)
    fill_store(store, 400)
    sync_outbox(store, client, settings)
    wait_green(client, settings.index_alias)
    app = create_app(settings)
    with TestClient(app, follow_redirects=False) as app_client:
        sign_in_admin(settings, app_client)
        health = wait_for_health(app_client, nodes=3, status="green")
        assert health["unassigned_shards"] == 0
        assert cluster_on_dashboard(app_client) == ("green", "3")
        expected = {
            q: app_client.get("/api/search", params={"q": q}).json()["total"] for q in QUERIES
        }
        assert all(expected.values())

        with SearchLoop(app_client, expected) as loop:
            loop.wait_for(40)
            # Node 0 is the first URL the app knows: the client must route around it.
            es_cluster.kill(0)
            killed_after = loop.done
            health = wait_for_health(app_client, nodes=2, status="yellow")
            assert cluster_on_dashboard(app_client) == ("yellow", "2")
            loop.wait_for(100)  # well after the cluster noticed and promoted replicas
            es_cluster.start_node(0)
            es_cluster.wait_for(3, status="green")
            loop.wait_for(40)
        assert loop.failures == [], loop.failures[:10]
        assert loop.done - killed_after >= 140

        health = wait_for_health(app_client, nodes=3, status="green")
        assert cluster_on_dashboard(app_client) == ("green", "3")


def test_a_sync_while_the_master_is_killed_loses_no_document(
    settings: Settings, client: Elasticsearch, es_cluster: LocalCluster
) -> None:
    store: DocumentStore = open_store(settings)
    docs = fill_store(store, 3000)
    victim = master_index(es_cluster, client)
    killed: list[float] = []

    def kill_midway(what: str, done: int, total: int) -> None:
        if done >= 600 and not killed:
            es_cluster.kill(victim)
            killed.append(time.monotonic())

    # Small pages and bulk requests: the sync is many round trips, the kill lands between.
    options = BulkOptions(page_size=300, chunk_size=100, initial_backoff=0.5, max_backoff=5)
    try:
        first = sync_outbox(store, client, settings, progress=kill_midway, options=options)
        print(f"first sync finished despite the kill: {first.done} done, {first.failed} failed")
    except IndexingError as exc:
        print(f"first sync stopped: {exc}")
    assert killed, "the node was not killed during the sync"

    es_cluster.start_node(victim)
    es_cluster.wait_for(3, status="green")
    wait_green(client, settings.index_alias)
    # Nothing acknowledged was lost: every document without an outbox row is indexed.
    pending = {row.doc_id for row in store.outbox_pending(limit=len(docs) + 1)}
    in_index = index_ids(client, settings.index_alias)
    acknowledged = {d.id for d in docs} - pending
    assert acknowledged <= in_index, f"{len(acknowledged - in_index)} acknowledged but missing"

    # The next sync (the worker runs one after every crawl) sends the rest.
    sync_outbox(store, client, settings)
    assert store.outbox_pending(limit=10) == []
    assert index_ids(client, settings.index_alias) == {d.id for d in docs}
