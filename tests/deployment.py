"""What production runs, read from docker-compose.yml, for the tests that run it here.

There is no container engine on these machines, so every process compose starts is
started the same way by the tests: the same commands (``SMOKE_COMMANDS``) with the
same environment variables (``compose_environment``), pointed at the test session's
PostgreSQL and Elasticsearch instead of the compose services. tests/unit/test_compose.py
checks the file's structure and that it still runs exactly these commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from core.settings import REPO_ROOT

COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
#: The override that turns on the three-node cluster (``-f docker-compose.yml -f this``).
CLUSTER_FILE = REPO_ROOT / "docker-compose.cluster.yml"

#: The web and worker commands the installed-wheel smoke test runs.
SMOKE_COMMANDS = {"web": ["kennisbrug", "web"], "worker": ["kennisbrug", "worker"]}


def load_compose(path: Path = COMPOSE_FILE) -> dict[str, Any]:
    """The parsed file (anchors and ``<<`` merges resolved by the YAML loader)."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _merged(base: Any, override: Any) -> Any:
    """Compose's merge of two files for the keys these files use: mappings merge key by
    key (the override's value wins), anything else is replaced by the override."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merged(base[key], value) if key in base else value
        return merged
    return override


def load_cluster_compose() -> dict[str, Any]:
    """docker-compose.yml with docker-compose.cluster.yml on top, as compose merges them."""
    merged: dict[str, Any] = _merged(load_compose(), load_compose(CLUSTER_FILE))
    return merged


def compose_environment(service: str = "web") -> dict[str, str]:
    """The environment compose gives ``service``, with its ``${…}`` references unexpanded."""
    env = load_compose()["services"][service]["environment"]
    return {str(k): str(v) for k, v in env.items()}


def smoke_environment(values: dict[str, str], service: str = "web") -> dict[str, str]:
    """Compose's environment for ``service`` with every variable given a local value.

    ``values`` must name exactly the variables compose sets: one more or one fewer is
    an error, so the smoke test cannot drift from the file.
    """
    wanted = set(compose_environment(service))
    if set(values) != wanted:
        raise AssertionError(
            f"smoke environment differs from compose's: missing {sorted(wanted - set(values))}, "
            f"extra {sorted(set(values) - wanted)}"
        )
    return dict(values)
