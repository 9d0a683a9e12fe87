"""Shared pytest fixtures: one real Elasticsearch node per test session (and a 3-node
cluster for the tests that ask for ``es_cluster``, marked ``cluster``).

Integration tests ask for ``es_url``, ``es_client``, ``index_prefix`` or
``settings``; any test that uses ``es_url`` (directly or through the others) is
marked ``es`` automatically. With ``KENNISBRUG_ES_URL`` set the tests use that
cluster; otherwise a ``LocalNode`` starts once per session on a free port, with
its own node and data folder in a temp folder (the cached distribution in
``Settings.home`` is reused), and stops at the end. When it cannot start, the
tests skip with the reason, except under ``CI=true`` where they fail.

PostgreSQL works the same way: ``pg_server`` starts one server per session (only
when a test asks for it), ``pg_url`` gives a test its own empty schema on it, and
``db_url`` runs a test twice, on a SQLite file and on PostgreSQL (marked ``pg``).

Note: the integ-test distribution has no handler for ``GET /``, so
``es_client.info()`` answers 405; use ``es_client.nodes.info(node_id="_local")``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from core.errors import NodeError
from core.settings import Settings
from localnode import plugin as esplugin
from localnode.cluster import LocalCluster
from localnode.node import LocalNode
from tests.pgserver import PostgresServer, PostgresUnavailableError


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "es_url" in names:
            item.add_marker(pytest.mark.es)
        if "pg_server" in names:
            item.add_marker(pytest.mark.pg)
        if "es_cluster" in names:
            item.add_marker(pytest.mark.cluster)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def session_plugins(settings: Settings) -> list[Path]:
    """Plugin zips the session node carries: the Dutch analysis plugin (built once, cached)."""
    return [esplugin.ensure_plugin_zip(settings)]


def _cannot_start(reason: str, what: str = "local Elasticsearch node") -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} could not start: {reason}", pytrace=False)
    pytest.skip(f"{what} could not start: {reason}")


@pytest.fixture(scope="session")
def es_node() -> Iterator[LocalNode | None]:
    """The session's LocalNode, or None when KENNISBRUG_ES_URL points elsewhere."""
    if os.environ.get("KENNISBRUG_ES_URL"):
        yield None
        return
    # mkdtemp under /tmp rather than tmp_path_factory: pytest's folders are mode 700,
    # which the unprivileged node user (when we are root) could not enter.
    scratch = Path(tempfile.mkdtemp(prefix="kbtest-es-"))
    scratch.chmod(0o755)
    node_settings = Settings.from_env(es_port=free_port(), es_data_dir=str(scratch / "data"))
    node = LocalNode(node_settings, node_dir=scratch / "node")
    try:
        try:
            node.start(plugins=session_plugins(node_settings))
        except NodeError as exc:
            _cannot_start(str(exc))
        yield node
    finally:
        node.stop()
        shutil.rmtree(scratch, ignore_errors=True)


#: Heap of each node of the test cluster: three of them share the machine with
#: the session node and other work (mind 2 cores and 24 GiB for up to 9 sessions).
CLUSTER_HEAP = "384m"


@pytest.fixture(scope="module")
def es_cluster() -> Iterator[LocalCluster]:
    """A 3-node LocalCluster on loopback (free ports, temp folders).

    Module scope: one module (``test_es_cluster``) uses it, so there is one cluster per
    session, and its three JVMs stop as soon as that module is done instead of idling
    beside the session node for the rest of the run. Fault tests kill and restart its
    members; every test that uses it gets it back with all three nodes joined (the
    restart is the killing test's own business).
    """
    scratch = Path(tempfile.mkdtemp(prefix="kbtest-cluster-"))
    scratch.chmod(0o755)
    ports = [free_port() for _ in range(6)]
    # Settings.home stays the usual cache: the distribution and plugin build are reused.
    cluster_settings = Settings.from_env(es_heap=CLUSTER_HEAP, es_data_dir="")
    cluster = LocalCluster(
        cluster_settings, nodes=3, root=scratch, http_ports=ports[:3], transport_ports=ports[3:]
    )
    try:
        try:
            cluster.start(plugins=session_plugins(cluster_settings), timeout=420)
        except NodeError as exc:
            _cannot_start(str(exc))
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="session")
def es_url(es_node: LocalNode | None) -> str:
    """Base URL of the Elasticsearch the tests use."""
    return es_node.url if es_node is not None else os.environ["KENNISBRUG_ES_URL"]


@pytest.fixture(scope="session")
def es_client(es_url: str) -> Iterator[Elasticsearch]:
    client = Elasticsearch(es_url, request_timeout=30)
    yield client
    client.close()


@pytest.fixture(scope="session")
def index_prefix(es_client: Elasticsearch) -> Iterator[str]:
    """Session-unique prefix (``kbtest-<hex>-``); its indices, aliases, templates go at the end."""
    prefix = f"kbtest-{secrets.token_hex(4)}-"
    yield prefix
    # action.destructive_requires_name forbids wildcard deletes: resolve the names first.
    lenient = es_client.options(ignore_status=404)
    found = lenient.indices.get_alias(name=f"{prefix}*")
    if found.meta.status == 200:
        for index, body in found.body.items():
            for alias in body.get("aliases", {}):
                es_client.indices.delete_alias(index=index, name=alias)
    indices = list(es_client.indices.get(index=f"{prefix}*", expand_wildcards="all").body)
    if indices:
        es_client.indices.delete(index=",".join(indices))
    templates = lenient.indices.get_index_template(name=f"{prefix}*")
    for template in templates.body.get("index_templates", []):
        es_client.indices.delete_index_template(name=template["name"])


@pytest.fixture
def settings(tmp_path: Path, es_url: str, index_prefix: str) -> Settings:
    """Settings for one test: its own home (database), the test cluster, a prefixed alias."""
    return Settings.from_env(home=tmp_path, es_url=es_url, index_alias=f"{index_prefix}kennisbrug")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One real PostgreSQL server for the session (see tests/pgserver.py)."""
    server: PostgresServer | None = None
    try:
        try:
            server = PostgresServer(free_port())
            server.start()
        except PostgresUnavailableError as exc:
            _cannot_start(str(exc), "test PostgreSQL server")
        assert server is not None
        yield server
    finally:
        if server is not None:
            server.stop()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> Iterator[str]:
    """URL of a new, empty PostgreSQL schema for one test (dropped afterwards)."""
    url = pg_server.fresh_schema()
    yield url
    pg_server.drop_schema(url)


@pytest.fixture
def pg_database_url(pg_server: PostgresServer) -> Iterator[str]:
    """URL of a whole new PostgreSQL database (for tests that restore dumps into it)."""
    name = pg_server.fresh_database()
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The state database of one test, once on a SQLite file and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url
