"""Rendering the local node's configuration files (pure functions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from core.settings import Settings
from localnode.config import (
    NodeConfig,
    check_heap,
    render_elasticsearch_yml,
    render_jvm_options,
)
from localnode.node import LocalNode


def _config(**overrides: object) -> NodeConfig:
    values: dict[str, object] = {
        "cluster_name": "kennisbrug-local",
        "node_name": "kennisbrug-9200",
        "http_port": 9200,
        "data_path": Path("/var/lib/kennisbrug/data"),
        "logs_path": Path("/var/lib/kennisbrug/logs"),
        "heap": "512m",
    }
    values.update(overrides)
    return NodeConfig(**values)  # type: ignore[arg-type]


def _settings_of(yml: str) -> dict[str, str]:
    pairs = (line.split(": ", 1) for line in yml.splitlines() if line and line[0] != "#")
    return dict(pairs)


def test_single_node_on_loopback_without_security() -> None:
    rendered = _settings_of(render_elasticsearch_yml(_config(http_port=9311)))
    assert rendered["discovery.type"] == "single-node"
    assert rendered["network.host"] == "127.0.0.1"
    assert rendered["http.port"] == "9311"
    assert rendered["xpack.security.enabled"] == "false"
    assert rendered["cluster.routing.allocation.disk.threshold_enabled"] == "false"
    assert rendered["path.data"] == '"/var/lib/kennisbrug/data"'
    assert rendered["transport.port"] != rendered["http.port"]


def test_the_snapshot_folder_is_the_nodes_path_repo(tmp_path: Path) -> None:
    rendered = _settings_of(render_elasticsearch_yml(_config(repo_path=Path("/srv/kb/snapshots"))))
    assert rendered["path.repo"] == '["/srv/kb/snapshots"]'
    assert "path.repo" not in _settings_of(render_elasticsearch_yml(_config()))
    # A single local node keeps its snapshots in its own folder.
    node = LocalNode(Settings.from_env({}, home=tmp_path), node_dir=tmp_path / "node")
    assert node.repo_path == tmp_path / "node" / "snapshots"


def test_paths_with_quotes_stay_one_yaml_string() -> None:
    rendered = _settings_of(render_elasticsearch_yml(_config(data_path=Path('/tmp/a "b"'))))
    assert rendered["path.data"] == '"/tmp/a \\"b\\""'


def test_heap_sets_min_and_max_alike() -> None:
    lines = render_jvm_options(_config(heap="1g")).splitlines()
    assert "-Xms1g" in lines and "-Xmx1g" in lines


@pytest.mark.parametrize("heap", ["512m", "1g", "2048M", "300k"])
def test_valid_heaps(heap: str) -> None:
    assert check_heap(heap) == heap


@pytest.mark.parametrize("heap", ["", "lots", "512", "0m", "1.5g", "-1g"])
def test_invalid_heap_names_the_setting(heap: str) -> None:
    with pytest.raises(ConfigError, match="KENNISBRUG_ES_HEAP"):
        check_heap(heap)
