"""Arbitrary strings and parameters at the pages and the API: never a 5xx.

Hypothesis throws any text (control characters, quotes, operators, huge inputs,
field syntax) as queries, filters, sort, paging and formats at a real app over
the real node; whatever comes in, the answer is a page or a clear 4xx.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.settings import Settings
from search_ui.app import create_app
from tests.integration.search_corpus import demo_documents, index_documents

pytestmark = pytest.mark.es

KEYS = [
    "q",
    "provincie",
    "bron",
    "type",
    "trefwoord",
    "jaar",
    "sorteer",
    "pagina",
    "per",
    "format",
    "lang",
]
# Surrogates cannot travel in a URL at all, so the client could not send them.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
SYNTAX = st.lists(
    st.sampled_from(
        ['"', "-", "*", "(", ")", "|", "+", "~", "\\", "OF", "NIET", "EN", "AND", "titel:", "tag:",
         "jaar:", "bron:", "provincie:", "..", "2010", "lezen", "bieb", "<script>", " ", ":", "/"]
    ),
    max_size=40,
).map("".join)  # fmt: skip
VALUES = st.one_of(TEXT, SYNTAX, st.integers(-(10**12), 10**12).map(str))
PARAMS = st.lists(st.tuples(st.one_of(st.sampled_from(KEYS), TEXT), VALUES), max_size=12)
PATHS = st.sampled_from(["/zoeken", "/", "/api/search", "/api/suggest"])


@pytest.fixture(scope="module")
def client(
    es_url: str,
    es_client: Elasticsearch,
    index_prefix: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[TestClient]:
    home = tmp_path_factory.mktemp("search-fuzz")
    app_settings = Settings.from_env(home=home, es_url=es_url, index_alias=f"{index_prefix}fuzz")
    index_documents(app_settings, es_client, demo_documents(hostile=True))
    with TestClient(create_app(app_settings), raise_server_exceptions=False) as test_client:
        yield test_client


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=PATHS, params=PARAMS)
def test_no_parameters_give_a_server_error(
    client: TestClient, path: str, params: list[tuple[str, str]]
) -> None:
    response = client.get(path, params=params)
    assert response.status_code < 500, (path, params, response.text[:500])
    # Odd parameters are clamped, never passed on for Elasticsearch to refuse.
    assert "query_rejected" not in response.text, (path, params)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.one_of(TEXT, SYNTAX, st.text(min_size=400, max_size=5000)))
def test_every_query_is_answered(client: TestClient, q: str) -> None:
    # The syntax module promises that no input makes the query fail: not a 5xx, and
    # not a 400 "query_rejected" from Elasticsearch either.
    for path in ("/zoeken", "/api/search"):
        response = client.get(path, params={"q": q})
        assert response.status_code == 200, (path, q, response.text[:500])


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=200))
def test_raw_query_strings(client: TestClient, raw: str) -> None:
    response = client.get("/zoeken?" + raw.replace("#", "%23"))
    assert response.status_code < 500, (raw, response.text[:500])
    assert "query_rejected" not in response.text, raw
