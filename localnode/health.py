"""Ask a local Elasticsearch node over HTTP how it is (stdlib only, no client).

Used by ``esnode`` while starting (wait for health yellow) and for ``status``.
Plain ``urllib`` on purpose: these calls must work while the node is half up,
where any failure simply means "not yet", and they need no client configuration.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class NodeStatus:
    """What ``LocalNode.status()`` reports; version/health None when HTTP does not answer."""

    running: bool
    pid: int | None
    url: str
    version: str | None = None
    health: str | None = None
    server_pid: int | None = None


def get_json(url: str, timeout: float = 5.0) -> dict[str, Any] | None:
    """The JSON object at ``url``, or None on any connection, HTTP or parse failure."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            body = json.loads(resp.read())
    except (OSError, ValueError, urllib.error.URLError):
        return None
    return body if isinstance(body, dict) else None


def is_healthy(base_url: str) -> bool:
    """True once the cluster reports yellow or green (waits up to 1 s server-side)."""
    health = get_json(f"{base_url}/_cluster/health?wait_for_status=yellow&timeout=1s")
    return health is not None and health.get("status") in ("yellow", "green")


def cluster_health(
    base_url: str, *, wait_for_status: str = "", timeout: float = 1.0
) -> dict[str, Any] | None:
    """``_cluster/health`` of the node at ``base_url``; None while it cannot answer.

    With ``wait_for_status`` the node waits up to ``timeout`` seconds for it and
    answers 408 when it is not reached: that answer still counts (it says how far
    the cluster got), a node without an elected master (503) does not.
    """
    query = f"timeout={timeout:g}s"
    if wait_for_status:
        query += f"&wait_for_status={wait_for_status}"
    try:
        with urllib.request.urlopen(
            f"{base_url}/_cluster/health?{query}", timeout=timeout + 5
        ) as resp:
            body = json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        if exc.code != 408:
            return None
        try:
            body = json.loads(exc.read())
        except ValueError:
            return None
    except (OSError, ValueError):
        return None
    return body if isinstance(body, dict) else None


def read_status(base_url: str, pid: int) -> NodeStatus:
    """Status of a node whose launcher runs as ``pid``."""
    health = get_json(f"{base_url}/_cluster/health") or {}
    # The integ-test distribution has no handler for GET / (no rest-root module),
    # so version and server pid come from the local node's info instead.
    local = get_json(f"{base_url}/_nodes/_local/process") or {}
    nodes = local.get("nodes")
    node: dict[str, Any] = next(iter(nodes.values())) if isinstance(nodes, dict) and nodes else {}
    version = node.get("version")
    server_pid = node.get("process", {}).get("id")
    return NodeStatus(
        running=True,
        pid=pid,
        url=base_url,
        version=str(version) if version else None,
        health=str(health["status"]) if "status" in health else None,
        server_pid=int(server_pid) if server_pid else None,
    )


def port_is_free(port: int) -> bool:
    """Whether 127.0.0.1:``port`` can be bound right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
