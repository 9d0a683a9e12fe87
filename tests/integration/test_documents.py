"""Autocomplete in two groups, the document page and counterparts, on the crawled demo sites.

Issue #12 items 4, 6 and 7 through HTTP (the browser side is in test_search_browser.py):
completions are whole words that find what they promise, documents open their page,
the document page shows all metadata, and each document has counterparts in the
other province, the same publication in both systems marked once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient

from core.settings import Settings
from search_ui.app import create_app
from tests.integration.search_corpus import build_search_index, index_twin

pytestmark = pytest.mark.es
TWINNED = "Leesclubs organiseren in de bibliotheek"


@pytest.fixture(scope="module")
def setup(
    es_url: str,
    es_client: Elasticsearch,
    index_prefix: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[TestClient, Elasticsearch, str]]:
    home: Path = tmp_path_factory.mktemp("documents")
    settings = Settings.from_env(home=home, es_url=es_url, index_alias=f"{index_prefix}documents")
    assert build_search_index(settings, es_client) > 50
    index_twin(settings, es_client, TWINNED)
    with TestClient(create_app(settings)) as test_client:
        yield test_client, es_client, settings.index_alias


@pytest.fixture(scope="module")
def client(setup: tuple[TestClient, Elasticsearch, str]) -> TestClient:
    return setup[0]


def doc_id(setup: tuple[TestClient, Elasticsearch, str], **term: str) -> str:
    _, es, alias = setup
    hits = es.search(
        index=alias, query={"bool": {"filter": [{"term": {k: v}} for k, v in term.items()]}}
    )["hits"]["hits"]
    assert hits, term
    return str(hits[0]["_id"])


def words_of_entries(setup: tuple[TestClient, Elasticsearch, str]) -> list[list[str]]:
    _, es, alias = setup
    hits = es.search(index=alias, size=500, source_includes=["title", "tags"])["hits"]["hits"]
    entries = [h["_source"]["title"] for h in hits]
    entries += [t for h in hits for t in h["_source"].get("tags") or []]
    return [e.casefold().split() for e in entries]


def api(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_completions_are_whole_words_that_find_what_they_promise(
    client: TestClient, setup: tuple[TestClient, Elasticsearch, str]
) -> None:
    data = api(client, "/api/suggest", q="lees")
    completions = data["completions"]
    assert completions, data
    entries = words_of_entries(setup)
    for c in completions:
        typed = c["text"].casefold().split()
        assert typed[0].startswith("lees")
        # Never cut mid-word: the completion is the start of an indexed title or tag, word for word.
        assert any(e[: len(typed)] == typed for e in entries), c["text"]
        found = api(client, "/api/search", q=c["text"])
        assert found["total"] == c["count"] > 0, c


def test_a_badge_only_where_it_says_something(client: TestClient) -> None:
    both = api(client, "/api/suggest", q="lees")["completions"]
    for c in both:
        facet = {
            v["value"]: v["count"]
            for v in api(client, "/api/search", q=c["text"])["facets"]["provincie"]
            if v["count"]
        }
        assert c["provincie"] == (next(iter(facet)) if len(facet) == 1 else ""), (c, facet)
    assert both
    limburg = api(client, "/api/suggest", q="lees", provincie="Limburg")
    assert limburg["completions"] and all(c["provincie"] == "" for c in limburg["completions"])
    assert all(d["provincie"] == [] for d in limburg["documents"])


def test_document_options_open_their_document_page(client: TestClient) -> None:
    documents = api(client, "/api/suggest", q="leesclubs org")["documents"]
    titles = [d["title"] for d in documents]
    assert titles.count(TWINNED) == 2, titles
    assert all(re.search(r"\bleesclubs organiseren", t, re.I) for t in titles), titles
    for d in documents:
        assert d["url"] == f"/document/{d['id']}"
        page = client.get(d["url"])
        assert page.status_code == 200 and TWINNED in page.text


def test_opensearch_suggestions_are_the_completions(client: TestClient) -> None:
    data = client.get("/api/suggest", params={"q": "lees", "format": "opensearch"}).json()
    completions = [c["text"] for c in api(client, "/api/suggest", q="lees")["completions"]]
    assert data == ["lees", completions]


def test_document_page_shows_all_metadata_and_the_original(
    client: TestClient, setup: tuple[TestClient, Elasticsearch, str]
) -> None:
    attachment = doc_id(setup, type="bijlage")
    _, es, alias = setup
    body = es.get(index=alias, id=attachment)["_source"]["body"]
    word = re.findall(r"\b[A-Za-z]{8,}\b", body)[0].lower()
    page = client.get(f"/document/{attachment}", params={"q": word})
    assert page.status_code == 200
    text = page.text
    for label in ("Bron", "Provincie", "Type", "Gepubliceerd", "Gewijzigd", "Auteur"):
        assert f"<dt>{label}</dt>" in text, label
    assert "(PDF)" in text and "tekens tekst" in text
    assert "Open het origineel in eKIC" in text
    # An attachment names the page that offered it, and that page lists its attachments.
    match = re.search(r"<dt>Bijlage bij</dt><dd><a href=\"/document/([^\"]+)\">", text)
    assert match, "no parent link"
    parent = match.group(1)
    parent_page = client.get(f"/document/{parent}").text
    assert "<h2>Bijlagen</h2>" in parent_page and f"/document/{attachment}" in parent_page
    assert f"Passages met {word}" in text
    assert re.search(f"<mark>{word}</mark>", text, re.I), word


def test_document_page_counterparts_come_from_the_other_province(
    client: TestClient, setup: tuple[TestClient, Elasticsearch, str]
) -> None:
    limburg = doc_id(setup, **{"title.keyword": TWINNED, "source": "ekic"})
    text = client.get(f"/document/{limburg}").text
    assert "Vergelijkbaar in Noord-Brabant" in text
    assert "Ook in bnbibliotheek:" in text
    assert "hetzelfde document, ook in bnbibliotheek" in text


def test_counterparts_api_gives_the_other_province_and_marks_the_twin(
    client: TestClient, setup: tuple[TestClient, Elasticsearch, str]
) -> None:
    limburg = doc_id(setup, **{"title.keyword": TWINNED, "source": "ekic"})
    brabant = doc_id(setup, **{"title.keyword": TWINNED, "source": "bnbibliotheek"})
    other = doc_id(setup, **{"title.keyword": "Leesclub in Oss bestaat tien jaar"})
    response = client.get(
        "/api/counterparts", params=[("id", limburg), ("id", other), ("id", "x-y")]
    )
    data = response.json()["counterparts"]
    assert set(data) == {limburg, other}
    assert data[limburg][0]["id"] == brabant and data[limburg][0]["near_identical"] is True
    assert all(c["provincie"] == ["Noord-Brabant"] for c in data[limburg])
    assert data[other] and all(c["provincie"] == ["Limburg"] for c in data[other])
    assert not any(c["near_identical"] for c in data[other])


def test_near_identical_results_appear_once(client: TestClient) -> None:
    page = client.get("/zoeken", params={"q": "leesclubs organiseren"}).text
    assert page.count(f">{TWINNED}<") + page.count(f"{TWINNED}</a>") >= 1
    titles = re.findall(r'class="hit__title"[^>]*><a href="[^"]*">(.*?)</a>', page)
    assert [re.sub("<[^>]+>", "", t) for t in titles].count(TWINNED) == 1
    assert "Ook in bnbibliotheek:" in page


@pytest.mark.parametrize("bad", ["bestaat-niet", "..%2F..%2Fetc", "x" * 300, "%00"])
def test_unknown_documents_are_404_not_5xx(client: TestClient, bad: str) -> None:
    assert client.get(f"/document/{bad}").status_code == 404
    assert client.get("/api/counterparts", params={"id": bad}).json() == {"counterparts": {}}
