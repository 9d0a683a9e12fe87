"""/healthz tells "can serve" (200) from "cannot serve" (503), against the real node.

A fresh install has no index until its first crawl and sync: the process can serve
(Elasticsearch and the database answer), so /healthz is 200 with ``"index": "missing"``
(compose must not mark ``web`` unhealthy for it) and /beheer warns. A database that
refuses connections, like an unreachable Elasticsearch (test_search_es_down), is a 503.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from core.accounts import Accounts
from core.db import make_engine
from core.settings import REPO_ROOT, Settings
from search_ui.app import create_app
from tests.integration.search_corpus import hostile_document, index_documents

PASSWORD = "een-goed-wachtwoord"


@pytest.fixture
def fresh(tmp_path: Path, es_url: str, index_prefix: str) -> Iterator[tuple[Settings, TestClient]]:
    """An app on the real node whose alias does not exist yet, with an admin account."""
    settings = Settings.from_env(
        {}, home=tmp_path, es_url=es_url, index_alias=f"{index_prefix}fresh",
        secret_key="k" * 40, sources_file=REPO_ROOT / "config" / "sources.toml",
    )  # fmt: skip
    Accounts(make_engine(settings.database_url)).add_user("anne", PASSWORD, "admin")
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield settings, client


def _sign_in(client: TestClient) -> None:
    page = client.get("/aanmelden")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    form = {"gebruiker": "anne", "wachtwoord": PASSWORD, "csrf_token": found.group(1)}
    assert client.post("/aanmelden", data=form).status_code == 303


def test_a_fresh_install_is_healthy_and_says_the_index_is_missing(
    fresh: tuple[Settings, TestClient], es_client: Elasticsearch
) -> None:
    settings, client = fresh
    health = client.get("/healthz")
    assert health.status_code == 200, health.text
    body = health.json()
    assert (body["status"], body["index"]) == ("no_index", "missing")
    assert body["database"] == {"status": "ok"}
    es = body["elasticsearch"]
    assert es["status"] in {"green", "yellow"} and es["nodes"] >= 1  # the cluster's colour
    assert "does not exist yet" in es["reason"]
    # Searching has nothing to search yet: a clear 503, not a 500.
    assert client.get("/api/search", params={"q": "xsstest"}).status_code == 503
    _sign_in(client)
    assert 'data-field="index-missing"' in client.get("/beheer").text

    # The first sync creates the index: the same process now reports it ready.
    index_documents(settings, es_client, [hostile_document()])
    health = client.get("/healthz")
    assert health.status_code == 200
    assert (health.json()["status"], health.json()["index"]) == ("ok", "ready")
    assert health.json()["elasticsearch"]["reason"] == ""
    assert 'data-field="index-missing"' not in client.get("/beheer").text
    assert client.get("/api/search", params={"q": "xsstest"}).json()["total"] == 1


def test_a_database_that_refuses_connections_is_a_503(fresh: tuple[Settings, TestClient]) -> None:
    _, client = fresh
    app = client.app
    working = app.state.db_engine  # type: ignore[attr-defined]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    # A real PostgreSQL URL on a port nobody listens on: the driver's connect is refused.
    refused = create_engine(f"postgresql+psycopg://kennisbrug:x@127.0.0.1:{closed}/kennisbrug")
    app.state.db_engine = refused  # type: ignore[attr-defined]
    try:
        health = client.get("/healthz")
        assert health.status_code == 503
        body = health.json()
        assert body["status"] == "unavailable"
        assert body["database"]["status"] == "unreachable" and body["database"]["reason"]
        assert body["elasticsearch"]["nodes"] >= 1  # Elasticsearch itself is fine
    finally:
        app.state.db_engine = working  # type: ignore[attr-defined]
        refused.dispose()
    assert client.get("/healthz").status_code == 200
