"""A cluster from the configuration side: node URL lists, member configs, ports, folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from core.settings import Settings
from indexer.client import client_url, es_urls, make_client
from localnode.cluster import LocalCluster
from localnode.config import NodeConfig, render_elasticsearch_yml
from search_ui.backend import search_client


def _yml(cfg: NodeConfig) -> dict[str, str]:
    text = render_elasticsearch_yml(cfg)
    return dict(line.split(": ", 1) for line in text.splitlines() if line and line[0] != "#")


def test_a_comma_separated_url_list_gives_the_client_every_node() -> None:
    settings = Settings.from_env(
        {"KENNISBRUG_ES_URL": "http://es01:9200, http://es02:9200/,https://es03:9243"}
    )
    assert es_urls(settings) == ["http://es01:9200", "http://es02:9200", "https://es03:9243"]
    indexer, search = make_client(settings), search_client(settings)
    for client in (indexer, search):
        hosts = [node.base_url for node in client.transport.node_pool.all()]
        assert sorted(hosts) == ["http://es01:9200", "http://es02:9200", "https://es03:9243"]
        # Enough retries to try each other node once after a failure (the client
        # keeps its request options in these attributes; the cluster test proves them).
        assert isinstance(client._max_retries, int) and client._max_retries >= 2
        assert client._retry_on_timeout
    assert "es02" in client_url(indexer)  # messages name every node, not just the first


def test_without_a_url_the_client_talks_to_every_local_node() -> None:
    settings = Settings.from_env({}, es_port=9400, es_nodes=3)
    assert es_urls(settings) == [f"http://127.0.0.1:{p}" for p in (9400, 9401, 9402)]
    assert es_urls(Settings.from_env({}, es_port=9400)) == ["http://127.0.0.1:9400"]


@pytest.mark.parametrize("value", ["es01:9200", "http://a:9200,,http://b:9200", "ftp://x"])
def test_a_bad_url_list_names_the_setting(value: str) -> None:
    with pytest.raises(ConfigError, match="KENNISBRUG_ES_URL"):
        es_urls(Settings.from_env({"KENNISBRUG_ES_URL": value}))


def test_a_one_node_search_client_keeps_a_single_retry() -> None:
    client = search_client(Settings.from_env({}, es_url="http://127.0.0.1:9200"))
    assert client._max_retries == 1


def test_member_config_seeds_the_others_and_bootstraps_only_once(tmp_path: Path) -> None:
    common: dict[str, object] = {
        "cluster_name": "kennisbrug-cluster-9200", "node_name": "kennisbrug-9201",
        "http_port": 9201, "data_path": tmp_path, "logs_path": tmp_path, "heap": "384m",
        "transport_port": 9301, "seed_hosts": ("127.0.0.1:9300", "127.0.0.1:9301"),
        "initial_masters": ("kennisbrug-9200", "kennisbrug-9201"),
    }  # fmt: skip
    first = _yml(NodeConfig(bootstrap=True, **common))  # type: ignore[arg-type]
    assert "discovery.type" not in first
    assert first["transport.port"] == "9301"
    assert first["discovery.seed_hosts"] == '["127.0.0.1:9300", "127.0.0.1:9301"]'
    assert first["cluster.initial_master_nodes"] == '["kennisbrug-9200", "kennisbrug-9201"]'
    assert first["network.host"] == "127.0.0.1"
    later = _yml(NodeConfig(bootstrap=False, **common))  # type: ignore[arg-type]
    assert "cluster.initial_master_nodes" not in later


def test_cluster_members_get_distinct_ports_and_folders(tmp_path: Path) -> None:
    settings = Settings.from_env({}, home=tmp_path, es_port=9200, es_heap="256m")
    cluster = LocalCluster(settings, nodes=3, root=tmp_path / "c")
    assert cluster.urls == [f"http://127.0.0.1:{p}" for p in (9200, 9201, 9202)]
    assert cluster.es_url == ",".join(cluster.urls)
    members = [node.member for node in cluster.nodes]
    assert [m.transport_port for m in members if m] == [9300, 9301, 9302]
    assert len({node.data_path for node in cluster.nodes}) == 3
    assert len({node.layout.root for node in cluster.nodes}) == 3
    assert {node.settings.es_heap for node in cluster.nodes} == {"256m"}
    # One snapshot folder for the whole cluster (an fs repository is shared by all nodes).
    assert {node.repo_path for node in cluster.nodes} == {tmp_path / "c" / "snapshots"}
    single = LocalCluster(settings, nodes=1)
    assert single.nodes[0].member is None and single.urls == ["http://127.0.0.1:9200"]


def test_data_dir_setting_holds_one_folder_per_member(tmp_path: Path) -> None:
    settings = Settings.from_env({}, home=tmp_path, es_data_dir=str(tmp_path / "data"))
    cluster = LocalCluster(settings, nodes=2, root=tmp_path / "c")
    assert [n.data_path for n in cluster.nodes] == [tmp_path / "data" / f"node-{i}" for i in (0, 1)]


@pytest.mark.parametrize("nodes", [0, 10])
def test_impossible_node_counts_are_refused(nodes: int) -> None:
    with pytest.raises(ConfigError, match="1 to 9 nodes"):
        LocalCluster(Settings.from_env({}), nodes=nodes)
