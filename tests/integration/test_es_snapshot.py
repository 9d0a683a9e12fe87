"""The runbook's Elasticsearch backup, for real: an ``fs`` snapshot repository in the
node's ``path.repo`` (the local node manager sets it, as compose does), a snapshot of
the index, the index lost, a restore, and every document back and searchable through
the app with its alias (docs/deployment.md, "Backups and restore")."""

from __future__ import annotations

import contextlib
from pathlib import Path

from elasticsearch import Elasticsearch, NotFoundError
from fastapi.testclient import TestClient

from core.models import Document
from core.settings import Settings
from indexer.lifecycle import alias_targets
from search_ui.app import create_app
from tests.integration.search_corpus import index_documents

DOCUMENTS = 12


def _documents() -> list[Document]:
    return [
        Document(url=f"http://ekic.test/artikel.php?id={n}", source="ekic", provincie=("Limburg",),
                 type="artikel", title=f"Voorleesochtend {n}", body="Voorlezen in de bibliotheek")
        for n in range(DOCUMENTS)
    ]  # fmt: skip


def _repo_folders(es_client: Elasticsearch) -> set[str]:
    """``path.repo`` of every node (one shared folder for a cluster)."""
    nodes = es_client.nodes.info(metric="settings").body["nodes"]
    folders: set[str] = set()
    for node in nodes.values():
        repo = node["settings"].get("path", {}).get("repo")
        assert repo, f"node {node['name']} has no path.repo: snapshots are impossible"
        folders.update([repo] if isinstance(repo, str) else repo)
    return folders


def test_a_snapshot_restores_a_lost_index_with_every_document(
    tmp_path: Path, es_url: str, es_client: Elasticsearch, index_prefix: str
) -> None:
    settings = Settings.from_env(
        {}, home=tmp_path, es_url=es_url, index_alias=f"{index_prefix}snapshot"
    )
    assert index_documents(settings, es_client, _documents()) == DOCUMENTS
    (index,) = alias_targets(es_client, settings.index_alias)
    assert len(_repo_folders(es_client)) == 1
    repository = f"{index_prefix}backups"
    # Relative location: a folder inside path.repo (the runbook registers path.repo itself).
    es_client.snapshot.create_repository(
        name=repository, repository={"type": "fs", "settings": {"location": repository}}
    )
    try:
        taken = es_client.snapshot.create(
            repository=repository, snapshot="kb-1", indices=index,
            include_global_state=False, wait_for_completion=True,
        )  # fmt: skip
        assert taken["snapshot"]["state"] == "SUCCESS", taken
        assert taken["snapshot"]["shards"]["failed"] == 0

        # Lose documents (one by one: the minimal distribution has no delete-by-query),
        # then the whole index, and with it the alias.
        hits = es_client.search(index=index, size=DOCUMENTS // 2, source=False)["hits"]["hits"]
        for hit in hits:
            es_client.delete(index=index, id=hit["_id"])
        es_client.indices.refresh(index=index)
        assert es_client.count(index=index)["count"] == DOCUMENTS - len(hits)
        es_client.indices.delete(index=index)
        assert alias_targets(es_client, settings.index_alias) == []
        with TestClient(create_app(settings)) as client:
            assert client.get("/api/search", params={"q": "voorleesochtend"}).status_code == 503

        restored = es_client.snapshot.restore(
            repository=repository, snapshot="kb-1", indices=index, wait_for_completion=True
        )
        assert restored["snapshot"]["shards"]["failed"] == 0
        es_client.cluster.health(index=index, wait_for_status="yellow", timeout="60s")
        # The alias came back with the index: the app searches it unchanged.
        assert alias_targets(es_client, settings.index_alias) == [index]
        assert es_client.count(index=settings.index_alias)["count"] == DOCUMENTS
        with TestClient(create_app(settings)) as client:
            found = client.get("/api/search", params={"q": "voorleesochtend", "per_page": 50})
            assert found.status_code == 200
            assert found.json()["total"] == DOCUMENTS
            assert client.get("/healthz").json()["index"] == "ready"
    finally:
        with contextlib.suppress(NotFoundError):  # when the snapshot itself failed
            es_client.snapshot.delete(repository=repository, snapshot="kb-1")
        es_client.snapshot.delete_repository(name=repository)
