"""Elasticsearch down or slow: a Dutch 503 page, a JSON 503, /healthz says why, and recovery.

The shared session node is never stopped: the app is pointed at a closed port, at a
socket that accepts but never answers, and at a port where a forwarder to the real
node appears later (recovery without restarting the app).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient

from core.settings import Settings
from search_ui.app import create_app
from tests.integration.search_corpus import hostile_document, index_documents


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_for(
    tmp_path: Path, url: str, *, timeout: float = 2.0, alias: str = "kennisbrug"
) -> TestClient:
    settings = Settings.from_env(home=tmp_path, es_url=url, es_timeout=timeout, index_alias=alias)
    return TestClient(create_app(settings))


def assert_unavailable(client: TestClient, reason_part: str) -> None:
    page = client.get("/zoeken", params={"q": "leesclub"})
    assert page.status_code == 503
    assert "Zoeken is tijdelijk niet beschikbaar" in page.text
    assert "Traceback" not in page.text and "elasticsearch" not in page.text.lower()
    assert page.headers["retry-after"]
    api = client.get("/api/search", params={"q": "leesclub"})
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "search_unavailable"
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["status"] == "unavailable"
    assert reason_part in health.json()["elasticsearch"]["reason"]
    assert "kennisbrug_search_unavailable_total 2.0" in client.get("/metrics").text


def test_node_not_running(tmp_path: Path) -> None:
    assert_unavailable(app_for(tmp_path, f"http://127.0.0.1:{closed_port()}"), "not reachable")


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers: a node too slow to be useful."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_node_too_slow(tmp_path: Path, silent_server: str) -> None:
    assert_unavailable(app_for(tmp_path, silent_server, timeout=0.5), "did not answer in time")


class Forwarder:
    """A TCP forwarder from a fixed local port to the real node, started on demand."""

    def __init__(self, port: int, target: tuple[str, int]) -> None:
        self.port, self.target = port, target
        self.server = socket.socket()
        self.stopped = threading.Event()

    def start(self) -> None:
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", self.port))
        self.server.listen(16)
        self.server.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn = self.server.accept()[0]
            except OSError:
                continue
            upstream = socket.create_connection(self.target)
            for a, b in ((conn, upstream), (upstream, conn)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            dst.close()

    def stop(self) -> None:
        self.stopped.set()
        self.server.close()


@pytest.mark.es
def test_recovers_when_the_node_comes_back(
    tmp_path: Path, es_url: str, es_client: Elasticsearch, index_prefix: str
) -> None:
    alias = f"{index_prefix}recover"
    settings = Settings.from_env(home=tmp_path, es_url=es_url, index_alias=alias)
    index_documents(settings, es_client, [hostile_document()])
    port = closed_port()
    client = app_for(tmp_path, f"http://127.0.0.1:{port}", alias=alias)
    assert client.get("/api/search", params={"q": "xsstest"}).status_code == 503
    target = urlsplit(es_url)
    forwarder = Forwarder(port, (target.hostname or "127.0.0.1", target.port or 9200))
    forwarder.start()
    try:
        recovered = client.get("/api/search", params={"q": "xsstest"})
        assert recovered.status_code == 200 and recovered.json()["total"] == 1
        assert client.get("/healthz").json()["status"] == "ok"
    finally:
        forwarder.stop()
