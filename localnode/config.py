"""Render the configuration files of the local Elasticsearch node (pure functions).

Part of the local-node flow: ``esnode`` writes what these functions return into
the node's ``config/`` folder before each start, so a changed setting (port, heap,
data folder) takes effect on the next start. Kept free of I/O for unit tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from core.errors import ConfigError

_HEAP_RE = re.compile(r"^[1-9][0-9]*[kmgKMG]$")

#: A single node uses transport only inside itself, but the port must not clash with
#: another node on this machine; ES takes the first free port of this range.
TRANSPORT_PORTS = "9300-9399"


@dataclass(frozen=True, kw_only=True)
class NodeConfig:
    """Everything that differs between local nodes.

    ``seed_hosts`` empty = a single node (``discovery.type: single-node``); otherwise
    the node is a member of a loopback cluster: it finds the others at those
    ``127.0.0.1:<transport port>`` addresses, listens on its own fixed
    ``transport_port`` and, on its first start only, votes the ``initial_masters``
    into the first master election (``bootstrap``).
    """

    cluster_name: str
    node_name: str
    http_port: int
    data_path: Path
    logs_path: Path
    heap: str
    #: The snapshot repository folder (``path.repo``); one folder for every member of
    #: a cluster, since an fs repository must be the same folder on all nodes.
    repo_path: Path | None = None
    transport_port: int | None = None
    seed_hosts: tuple[str, ...] = ()
    initial_masters: tuple[str, ...] = ()
    bootstrap: bool = False


def check_heap(heap: str) -> str:
    """Accept JVM sizes like 512m or 1g; ConfigError naming the setting otherwise."""
    if not _HEAP_RE.match(heap):
        raise ConfigError(
            f"KENNISBRUG_ES_HEAP={heap!r} is not valid: expected a JVM size such as 512m or 1g"
        )
    return heap


def _yaml_str(value: str) -> str:
    # JSON string syntax is valid YAML and escapes whatever a path may contain.
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _yaml_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(_yaml_str(v) for v in values) + "]"


def discovery_lines(cfg: NodeConfig) -> list[str]:
    """How the node finds its cluster: alone, or through the other loopback members."""
    if not cfg.seed_hosts:
        # One node, loopback only: development mode, so no production bootstrap checks.
        return ["discovery.type: single-node", f"transport.port: {TRANSPORT_PORTS}"]
    if cfg.transport_port is None:
        raise ConfigError(f"cluster node {cfg.node_name} needs a fixed transport port")
    lines = [
        # Still loopback only, so Elasticsearch stays in development mode here too.
        f"transport.port: {cfg.transport_port}",
        f"discovery.seed_hosts: {_yaml_list(cfg.seed_hosts)}",
    ]
    if cfg.bootstrap:
        # Only for the very first election: Elasticsearch warns about (and must never
        # act on) this setting once the cluster has formed, so restarts leave it out.
        lines.append(f"cluster.initial_master_nodes: {_yaml_list(cfg.initial_masters)}")
    return lines


def render_elasticsearch_yml(cfg: NodeConfig) -> str:
    lines = [
        "# Written by kennisbrug (localnode/config.py); rewritten on every start.",
        f"cluster.name: {_yaml_str(cfg.cluster_name)}",
        f"node.name: {_yaml_str(cfg.node_name)}",
        *discovery_lines(cfg),
        "network.host: 127.0.0.1",
        f"http.port: {cfg.http_port}",
        f"path.data: {_yaml_str(str(cfg.data_path))}",
        f"path.logs: {_yaml_str(str(cfg.logs_path))}",
        *([f"path.repo: {_yaml_list((str(cfg.repo_path),))}"] if cfg.repo_path else []),
        # The integ-test zip carries x-pack-security; a local dev node runs without TLS/auth.
        "xpack.security.enabled: false",
        # Laptops and CI disks are often >90% full; the node must still accept writes.
        "cluster.routing.allocation.disk.threshold_enabled: false",
        "",
    ]
    return "\n".join(lines)


def render_jvm_options(cfg: NodeConfig) -> str:
    heap = check_heap(cfg.heap)
    # Equal min and max avoid heap resizing pauses; ES itself recommends it.
    return f"# Written by kennisbrug.\n-Xms{heap}\n-Xmx{heap}\n"
