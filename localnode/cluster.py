"""A local Elasticsearch cluster of N nodes on 127.0.0.1: start, stop, status, kill one.

Built on ``LocalNode``: every member is a complete local node (own ES home with the
same Dutch analysis plugin, own logs, own data folder) that finds the others on
loopback through ``discovery.seed_hosts`` and forms one cluster with them. Used by
``kennisbrug es start --nodes 3``, the ``cluster`` tests and ``bench/cluster.py``.

Ports: HTTP ``es_port + i`` and transport ``es_port + 100 + i`` for member ``i``
(9200-9202 and 9300-9302 by default), or explicit lists (tests pick free ports).
Folders: ``<nodes root>/cluster-<first HTTP port>/node-<i>`` for each member, its
data in ``<that folder>/data`` or, with ``KENNISBRUG_ES_DATA_DIR``, in
``<data dir>/node-<i>``. A single node (``nodes=1``) is the plain ``LocalNode`` with
its usual folders, so ``kennisbrug es start`` behaves as it always did.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from pathlib import Path

from core.errors import ConfigError, NodeError
from core.settings import Settings
from localnode.dist import Progress
from localnode.health import cluster_health
from localnode.node import LocalNode, Membership, nodes_root

#: Transport port of member i = HTTP port of member 0 + this + i.
TRANSPORT_OFFSET = 100
MAX_NODES = 9


def _silent(what: str, done: int, total: int) -> None:
    """Default progress sink."""


def cluster_dir(settings: Settings) -> Path:
    return nodes_root(settings) / f"cluster-{settings.es_port}"


class LocalCluster:
    """``nodes`` local nodes forming one cluster (or the single local node when 1)."""

    def __init__(
        self,
        settings: Settings,
        *,
        nodes: int | None = None,
        root: Path | None = None,
        http_ports: Sequence[int] | None = None,
        transport_ports: Sequence[int] | None = None,
        progress: Progress = _silent,
    ) -> None:
        count = settings.es_nodes if nodes is None else nodes
        if not 1 <= count <= MAX_NODES:
            raise ConfigError(
                f"a local cluster has 1 to {MAX_NODES} nodes, not {count} "
                "(KENNISBRUG_ES_NODES or --nodes)"
            )
        base = settings.es_port
        http = list(http_ports or [base + i for i in range(count)])
        transport = list(transport_ports or [base + TRANSPORT_OFFSET + i for i in range(count)])
        if len(http) != count or len(transport) != count:
            raise ConfigError(f"a cluster of {count} nodes needs {count} HTTP and transport ports")
        self.settings = settings
        self.progress = progress
        if count == 1 and root is None:
            self.nodes = [LocalNode(settings, progress=progress)]
            return
        self.root = root or cluster_dir(settings)
        names = tuple(f"kennisbrug-{port}" for port in http)
        seeds = tuple(f"127.0.0.1:{port}" for port in transport)
        data_root = Path(settings.es_data_dir) if settings.es_data_dir else None
        self.nodes = []
        for i, (http_port, transport_port) in enumerate(zip(http, transport, strict=True)):
            node_dir = self.root / f"node-{i}"
            member = Membership(
                cluster_name=f"kennisbrug-cluster-{http[0]}",
                transport_port=transport_port,
                seed_hosts=seeds,
                initial_masters=names,
                data_path=(data_root / f"node-{i}") if data_root else node_dir / "data",
                repo_path=self.root / "snapshots",
            )
            node_settings = dataclasses.replace(settings, es_port=http_port)
            self.nodes.append(
                LocalNode(node_settings, node_dir=node_dir, progress=progress, member=member)
            )

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    @property
    def es_url(self) -> str:
        """The value for ``KENNISBRUG_ES_URL``: every node, comma-separated."""
        return ",".join(self.urls)

    # -- start / stop ----------------------------------------------------------------

    def start(self, plugins: Sequence[Path] = (), timeout: float = 300.0) -> bool:
        """Start every node that is not running and wait until all have joined.

        True when at least one node was started. On failure the nodes this call
        started are stopped again and the first failing node's log is in the error.
        """
        started = [node for node in self.nodes if node.launch(plugins)]
        try:
            self.wait_for(len(self.nodes), timeout=timeout)
        except NodeError:
            for node in started:
                node.stop()
            raise
        return bool(started)

    def start_node(self, index: int, plugins: Sequence[Path] = (), timeout: float = 300.0) -> None:
        """(Re)start one member, e.g. after ``kill``, and wait until all have joined."""
        self.nodes[index].launch(plugins)
        self.wait_for(len(self.nodes), timeout=timeout)

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop every node; False when none was running."""
        stopped = [node.stop(timeout=timeout) for node in self.nodes]
        return any(stopped)

    def kill(self, index: int) -> None:
        """SIGKILL member ``index`` (the crash of a fault test)."""
        if not self.nodes[index].kill():
            raise NodeError(f"node {self.nodes[index].name} was not running")

    # -- health ----------------------------------------------------------------------

    def health(self, *, wait_for_status: str = "", timeout: float = 1.0) -> dict[str, object]:
        """Cluster health from the first node that answers ({} when none does)."""
        for node in self.nodes:
            if node.pid() is None:
                continue
            answer = cluster_health(node.url, wait_for_status=wait_for_status, timeout=timeout)
            if answer is not None:
                return answer
        return {}

    def wait_for(self, nodes: int, *, status: str = "yellow", timeout: float = 300.0) -> None:
        """Wait until ``nodes`` nodes have joined and health is at least ``status``."""
        rank = {"yellow": 1, "green": 2}
        deadline = time.monotonic() + timeout
        self.progress(f"waiting for {nodes} nodes and cluster health {status}", 0, nodes)
        while True:
            for node in self.nodes:
                node.check_alive()
            health = self.health(wait_for_status=status, timeout=1.0)
            joined = int(str(health.get("number_of_nodes", 0)))
            self.progress(f"waiting for {nodes} nodes and cluster health {status}", joined, nodes)
            if joined >= nodes and rank.get(str(health.get("status")), 0) >= rank[status]:
                return
            if time.monotonic() >= deadline:
                first = next((n for n in self.nodes if n.pid() is not None), self.nodes[0])
                first.fail_with_log(
                    f"the cluster did not reach {nodes} nodes and health {status} in time "
                    f"(now {joined} nodes, {health.get('status', 'no answer')})"
                )
            time.sleep(0.5)
