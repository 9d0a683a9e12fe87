"""The local Elasticsearch node is a real node: it stores, finds and manages itself.

Uses the session node from tests/conftest.py; the stop test restarts it, so the
same node also proves that a restart keeps the data.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from core.errors import NodeError
from core.settings import ES_VERSION
from localnode.node import LocalNode
from localnode.user import ES_USER, ensure_es_user

pytestmark = pytest.mark.es


def _uid_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError(f"no Uid line for pid {pid}")


def _require_local(node: LocalNode | None) -> LocalNode:
    if node is None:
        pytest.skip("KENNISBRUG_ES_URL points at an external cluster; no local node here")
    return node


def test_documents_are_indexed_and_found(es_client: Elasticsearch, index_prefix: str) -> None:
    index = f"{index_prefix}node-smoke"
    es_client.indices.create(index=index, mappings={"properties": {"title": {"type": "text"}}})
    titles = ["Samenwerking Cubiss en Bibliotheekhuis", "Leesclub organiseren in de bieb"]
    for number, title in enumerate(titles):
        es_client.index(index=index, id=str(number), document={"title": title})
    es_client.indices.refresh(index=index)

    found = es_client.search(index=index, query={"match": {"title": "leesclub"}})

    assert [hit["_id"] for hit in found["hits"]["hits"]] == ["1"]
    assert es_client.count(index=index)["count"] == 2


def test_cluster_reports_the_pinned_version(es_client: Elasticsearch) -> None:
    nodes = es_client.nodes.info(node_id="_local")["nodes"]
    assert [node["version"] for node in nodes.values()] == [ES_VERSION]


def test_second_start_is_a_no_op(es_node: LocalNode | None) -> None:
    node = _require_local(es_node)
    before = node.status()

    assert node.start() is False

    after = node.status()
    assert after.running and after.pid == before.pid
    assert after.health in ("yellow", "green")


@pytest.mark.skipif(os.geteuid() != 0, reason="only root has to switch users")
def test_node_runs_as_unprivileged_user_when_root(es_node: LocalNode | None) -> None:
    node = _require_local(es_node)
    state = node.status()
    es_uid = ensure_es_user(ES_USER).uid
    assert state.pid is not None and state.server_pid is not None
    assert _uid_of(state.pid) == es_uid
    assert _uid_of(state.server_pid) == es_uid != 0


def test_stale_pid_file_is_not_a_running_node(es_node: LocalNode | None) -> None:
    node = _require_local(es_node)
    other = LocalNode(node.settings, node_dir=node.layout.root.parent / "never-started")
    other.layout.pid_file.parent.mkdir(parents=True)
    # Our own pid is alive but is no Elasticsearch of that folder.
    other.layout.pid_file.write_text(f"{os.getpid()}\n")

    assert other.status().running is False
    assert other.stop() is False
    assert not other.layout.pid_file.exists()


def test_stop_is_idempotent_and_data_survives_restart(
    es_node: LocalNode | None, es_client: Elasticsearch, index_prefix: str
) -> None:
    # Restarting the session node costs one start (~20 s) instead of a second JVM
    # competing for the two cores; the data folder stays, so other tests are unaffected.
    node = _require_local(es_node)
    index = f"{index_prefix}node-restart"
    es_client.index(index=index, id="1", document={"title": "bieb"}, refresh=True)

    assert node.stop() is True
    assert node.stop() is False
    assert node.status().running is False
    assert node.pid() is None

    assert node.start() is True
    assert es_client.get(index=index, id="1")["_source"] == {"title": "bieb"}


def _write_plugin_zip(path: Path, description: str) -> Path:
    # A stable plugin without code: enough for the plugin tool, no Maven build needed.
    descriptor = (
        "name=kbtest-empty\n"
        f"description={description}\n"
        "version=0.0.1\n"
        f"elasticsearch.version={ES_VERSION}\n"
        "java.version=21\n"
        "modular=false\n"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("stable-plugin-descriptor.properties", descriptor)
        archive.writestr("named_components.json", "{}")
    return path


def test_plugin_installs_once_and_again_when_the_zip_changes(
    es_node: LocalNode | None, tmp_path: Path
) -> None:
    base = _require_local(es_node)
    # A second, never-started node folder: plugins install only into a stopped node.
    node = LocalNode(base.settings, node_dir=base.layout.root.parent / "plugin-node")
    zip_path = _write_plugin_zip(tmp_path / "plugin.zip", "first build")
    installed = node.layout.home / "plugins" / "kbtest-empty"

    assert node.install_plugin(zip_path) is True
    assert node.install_plugin(zip_path) is False

    _write_plugin_zip(zip_path, "second build")
    assert node.install_plugin(zip_path) is True
    descriptor = (installed / "stable-plugin-descriptor.properties").read_text()
    assert "description=second build" in descriptor


def test_plugin_install_refused_while_running(es_node: LocalNode | None, tmp_path: Path) -> None:
    node = _require_local(es_node)
    with pytest.raises(NodeError, match="stop the node"):
        node.install_plugin(_write_plugin_zip(tmp_path / "plugin.zip", "x"))
