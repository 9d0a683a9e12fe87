"""Elasticsearch going away during a sync: a clear error, nothing lost, the next sync catches up.

The mid-sync test runs a second LocalNode of its own (own port and data folder) so
that killing it never disturbs the session node other tests use.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import IndexingError
from core.settings import Settings
from core.store import DocumentStore
from indexer.client import make_client
from indexer.sync import BulkOptions, SyncReport, sync_outbox
from localnode import plugin as esplugin
from localnode.node import LocalNode
from tests.integration.indexer_support import fill_store, index_ids, open_store

# Short waits: the node is really gone, retrying for long only slows the test down.
FAST_GIVE_UP = BulkOptions(page_size=500, chunk_size=100, initial_backoff=0.2, connection_retries=2)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pending(store: DocumentStore) -> int:
    return sum(n for n, _ in store.outbox_counts().values())


def test_sync_without_elasticsearch_fails_clearly_and_keeps_the_outbox(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, es_url=f"http://127.0.0.1:{_free_port()}", es_timeout=2)
    store = open_store(settings)
    fill_store(store, 5)
    with pytest.raises(IndexingError, match="not reachable") as caught:
        sync_outbox(store, make_client(settings, max_retries=0), settings, options=FAST_GIVE_UP)
    assert settings.es_url in str(caught.value)
    assert _pending(store) == 5


@pytest.fixture
def own_node() -> Iterator[LocalNode]:
    scratch = Path(tempfile.mkdtemp(prefix="kbtest-down-"))
    scratch.chmod(0o755)  # the node user (when we are root) must enter it
    node_settings = Settings.from_env(es_port=_free_port(), es_data_dir=str(scratch / "data"))
    node = LocalNode(node_settings, node_dir=scratch / "node")
    plugin = esplugin.ensure_plugin_zip(node_settings)
    try:
        node.start(plugins=[plugin])
        yield node
    finally:
        node.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def _kill(node: LocalNode) -> None:
    pid = node.pid()
    assert pid is not None
    os.killpg(pid, signal.SIGKILL)  # no clean shutdown: the harshest case
    while node.pid() is not None and node._group_alive(pid):
        time.sleep(0.1)


@pytest.mark.es
def test_killed_mid_sync_then_restarted_the_next_sync_makes_index_equal_store(
    own_node: LocalNode, tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path, es_url=own_node.url, index_alias="kennisbrug-down")
    store = open_store(settings)
    docs = fill_store(store, 3000)
    client = make_client(settings, max_retries=1)
    killed_after: list[int] = []

    def kill_after_the_first_page(_step: str, done: int, total: int | None) -> None:
        # Called by the sync between pages: the node dies exactly mid-sync, some pages
        # acknowledged and most still to go, however fast or slow the machine is.
        if 0 < done < 3000 and not killed_after:
            killed_after.append(done)
            _kill(own_node)

    with pytest.raises(IndexingError) as caught:
        sync_outbox(
            store, client, settings, options=FAST_GIVE_UP, progress=kill_after_the_first_page
        )
    assert killed_after == [500]
    message = str(caught.value)
    assert "could not be reached" in message and "next `kennisbrug sync`" in message
    left = _pending(store)
    assert 0 < left < 3000

    own_node.start(plugins=[esplugin.ensure_plugin_zip(own_node.settings)])
    report = sync_outbox(store, make_client(settings), settings)
    assert isinstance(report, SyncReport) and report.failed == 0
    assert report.indexed >= left
    assert _pending(store) == 0
    ids = index_ids(make_client(settings), settings.index_alias)
    assert len(ids) == len(set(ids)) == 3000  # no loss, no duplicates
    assert set(ids) == {d.id for d in docs}
