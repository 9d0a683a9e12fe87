"""The search API and pages against the real node, on both demo sites crawled for real."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import anyio
import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from core.settings import Settings
from search_ui.app import create_app
from tests.integration.search_corpus import build_search_index

TEMPLATES = Path(__file__).resolve().parents[2] / "search_ui" / "templates"

pytestmark = pytest.mark.es


@pytest.fixture(scope="module")
def client(
    es_url: str,
    es_client: Elasticsearch,
    index_prefix: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[TestClient]:
    home: Path = tmp_path_factory.mktemp("search-api")
    settings = Settings.from_env(home=home, es_url=es_url, index_alias=f"{index_prefix}search-api")
    assert build_search_index(settings, es_client) > 50
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def search(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def facet(data: dict[str, Any], name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for v in data["facets"][name]}


def test_one_search_finds_both_provinces(client: TestClient) -> None:
    data = search(client, q="bibliotheek")
    assert set(facet(data, "provincie")) == {"Limburg", "Noord-Brabant"}
    assert set(facet(data, "bron")) == {"ekic", "bnbibliotheek"}
    assert data["total"] == sum(facet(data, "provincie").values())


def test_facets_are_disjunctive_within_and_conjunctive_across(client: TestClient) -> None:
    both = search(client, q="bibliotheek")
    limburg = search(client, q="bibliotheek", provincie="Limburg")
    assert limburg["total"] == facet(both, "provincie")["Limburg"]
    # Selecting Limburg does not zero Noord-Brabant's count ...
    assert facet(limburg, "provincie") == facet(both, "provincie")
    # ... ticking both gives the union ...
    union = search(client, q="bibliotheek", provincie=["Limburg", "Noord-Brabant"])
    assert union["total"] == both["total"]
    # ... and different facets narrow each other: eKIC lives in Limburg only.
    none = search(client, q="bibliotheek", provincie="Noord-Brabant", bron="ekic")
    assert none["total"] == 0
    kinds = {a["kind"] for a in none["alternatives"]}
    assert {"both", "drop"} <= kinds
    assert all(a["count"] > 0 for a in none["alternatives"])


def test_staff_syntax(client: TestClient) -> None:
    ekic = search(client, q="bron:ekic bibliotheek")
    assert ekic["total"] > 0 and all(h["bron"] == "ekic" for h in ekic["hits"])
    years = search(client, q="jaar:2009..2010", per=50)
    assert years["total"] > 0
    assert all(h["published"][:4] in ("2009", "2010") for h in years["hits"])
    plain = search(client, q="leesclub")["total"]
    without = search(client, q="leesclub -mannen")["total"]
    assert 0 < without < plain
    either = search(client, q="leesclub OF mediawijsheid")["total"]
    assert either > plain
    titled = search(client, q="titel:leesclub")
    assert titled["total"] > 0 and all("<mark>" in h["title_html"] for h in titled["hits"])


def test_quoted_phrase_is_exact(client: TestClient) -> None:
    loose = search(client, q="samenwerking bibliotheekhuis")["total"]
    phrase = search(client, q='"samenwerking cubiss en bibliotheekhuis"')
    assert 0 < phrase["total"] <= loose


def test_hostile_page_is_found_and_inert(client: TestClient) -> None:
    data = search(client, q="xsstest")
    assert data["total"] >= 1
    for hit in data["hits"]:
        assert "<script" not in hit["title_html"] and "<script" not in hit["snippet_html"]
        assert "<img" not in hit["snippet_html"]
    assert any("<script>" in h["title"] for h in data["hits"])  # kept as text
    page = client.get("/zoeken", params={"q": "xsstest"}).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_typo_shows_the_corrected_results_once(client: TestClient) -> None:
    literal = search(client, q="Leesclb", letterlijk="1")
    assert literal["total"] == 0 and literal["correction"] is None
    data = search(client, q="Leesclb")
    assert data["query"]["q"] == "Leesclub"  # corrected, in the user's capitals
    assert data["total"] > 0 and data["suggestion"] is None
    assert data["correction"] == {
        "typed": "Leesclb",
        "literal_url": "/zoeken?q=Leesclb&letterlijk=1",
    }
    page = client.get("/zoeken", params={"q": "Leesclb"}).text
    assert page.count("Resultaten voor") == 1 and "Bedoelde u" not in page
    assert 'href="/zoeken?q=Leesclb&amp;letterlijk=1"' in page


@pytest.mark.parametrize("surname", ["Smits", "Jansen"])
def test_a_word_with_hits_of_its_own_is_never_corrected(client: TestClient, surname: str) -> None:
    # Authors of several posts; the suggester, reading body text only, would offer
    # "Site" and "Jaren" for them.
    data = search(client, q=surname)
    assert data["total"] > 0 and data["query"]["q"] == surname
    assert data["correction"] is None and data["suggestion"] is None


def test_typed_filters_are_facet_state(client: TestClient) -> None:
    data = search(client, q="leesclub provincie:Limburg type:artikel")
    assert data["query"] == {**data["query"], "q": "leesclub"}
    assert data["query"]["filters"] == {"provincie": ["Limburg"], "type": ["artikel"]}
    assert data["total"] > 0 and {p for h in data["hits"] for p in h["provincie"]} == {"Limburg"}
    page = client.get("/zoeken", params={"q": "leesclub jaar:2009-2011"}, follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/zoeken?q=leesclub&jaar=2009&jaar=2010&jaar=2011"


def test_an_unknown_typed_value_is_explained(client: TestClient) -> None:
    data = search(client, q="leesclub type:folder")
    assert data["notices"] == [
        {"facet": "type", "value": "folder",
         "choices": ["artikel", "nieuws", "dossier", "document", "bijlage"]}
    ]  # fmt: skip
    page = client.get("/zoeken", params={"q": "leesclub type:folder"}).text
    assert "type:folder</code> bestaat niet; kies uit" in page


HELP_CODES = re.compile(r"<code>([^<]+)</code>")


@pytest.mark.parametrize(
    "number", range(len(HELP_CODES.findall((TEMPLATES / "help.html").read_text())))
)
def test_every_help_example_finds_documents(client: TestClient, number: int) -> None:
    # Read from the rendered page: some examples come from configuration (the provinces).
    examples = HELP_CODES.findall(client.get("/help").text)
    q = html.unescape(examples[number])
    assert search(client, q=q)["total"] > 0, q


def test_sort_and_paging(client: TestClient) -> None:
    newest = search(client, q="bibliotheek", sorteer="nieuwste")
    dates = [h["published"] for h in newest["hits"] if h["published"]]
    assert dates == sorted(dates, reverse=True)
    oldest = search(client, q="bibliotheek", sorteer="oudste")
    dates = [h["published"] for h in oldest["hits"] if h["published"]]
    assert dates == sorted(dates)
    first = {h["id"] for h in search(client, q="bibliotheek")["hits"]}
    second = {h["id"] for h in search(client, q="bibliotheek", pagina=2)["hits"]}
    assert first and second and not first & second


def test_autocomplete_is_limited_to_the_chosen_provincie(client: TestClient) -> None:
    found = client.get("/api/suggest", params={"q": "lees"}).json()["completions"]
    assert found and all(s["text"].lower().startswith("lees") for s in found)
    limburg = client.get("/api/suggest", params={"q": "lees", "provincie": "Limburg"}).json()
    assert limburg["completions"] and limburg["documents"]
    for option in limburg["completions"]:
        total = search(client, q=option["text"], provincie="Limburg")["total"]
        assert total == option["count"] > 0, option
    for document in limburg["documents"]:
        page = client.get(document["url"]).text
        assert 'class="document__meta"><span class="badge badge--limburg">' in page


def test_formats_of_one_url(client: TestClient) -> None:
    csv = client.get("/zoeken", params={"q": "leesclub", "format": "csv"})
    assert csv.content.startswith(b"\xef\xbb\xbftitel;url;provincie")
    assert csv.headers["content-type"].startswith("text/csv")
    atom = client.get("/zoeken", params={"q": "leesclub", "format": "atom"})
    root = ET.fromstring(atom.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    published = [e.findtext("a:published", namespaces=ns) or "" for e in entries]
    dated = [p for p in published if p]
    assert dated and dated == sorted(dated, reverse=True)
    assert published[: len(dated)] == dated  # undated entries come last
    as_json = client.get("/zoeken", params={"q": "leesclub", "format": "json"}).json()
    assert as_json["total"] == search(client, q="leesclub")["total"]


def test_pages_health_metrics_and_errors(client: TestClient) -> None:
    assert client.get("/").status_code == 200
    assert "titel:" in client.get("/help").text
    assert "{searchTerms}" in client.get("/opensearch.xml").text
    assert client.get("/healthz").json()["status"] == "ok"
    # The module's other tests search too: compare the counters before and after.
    before = _metrics(client)
    search(client, q="qqqzzzxxx")
    search(client, q="leesclub")
    after = _metrics(client)
    zero = "kennisbrug_search_zero_results_total"
    assert after[zero, ()] - before.get((zero, ()), 0.0) == 1.0  # only the empty search
    assert after["kennisbrug_searches_total", ()] - before["kennisbrug_searches_total", ()] == 2
    ok = ("kennisbrug_http_requests_total", (("method", "GET"), ("route", "/api/search"), ("status", "200")))  # fmt: skip
    assert after[ok] - before.get(ok, 0.0) == 2.0
    missing = client.get("/api/bestaat-niet")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert "bestaat niet" in client.get("/bestaat-niet").text
    english = client.get("/zoeken", params={"q": "lezen", "lang": "en"}).text
    dutch = client.get("/zoeken", params={"q": "lezen", "lang": "nl"}).text  # lang sticks
    assert '<html lang="en">' in english and '<html lang="nl">' in dutch
    # The visible result count, in each language ("results" alone is also a CSS class).
    assert re.search(r"\b\d+ results\b", english) and not re.search(r"\d+ resultaten", english)
    assert re.search(r"\b\d+ resultaten\b", dutch) and not re.search(r"\d+ results\b", dutch)


def _metrics(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics by (name, sorted labels), read with Prometheus' own parser."""
    text = client.get("/metrics").text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_search_listeners_hear_staff_searches_but_not_exports(client: TestClient) -> None:
    heard: list[tuple[str, int]] = []
    listeners = client.app.state.search_listeners  # type: ignore[attr-defined]
    listeners.append(lambda request, params, hits: heard.append((params.q, hits)))
    try:
        client.get("/zoeken", params={"q": "leesclub"})
        search(client, q="mediawijsheid")
        client.get("/zoeken", params={"q": "leesclub", "format": "csv"})
        client.get("/zoeken", params={"q": "leesclub", "format": "atom"})
    finally:
        listeners.pop()
    assert [q for q, _ in heard] == ["leesclub", "mediawijsheid"]
    assert all(hits > 0 for _, hits in heard)


def test_search_path_never_hops_to_the_thread_pool(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search endpoints run on the event loop: a sync endpoint would need a worker thread."""

    async def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a thread-pool hop on the search path")

    monkeypatch.setattr(anyio.to_thread, "run_sync", refuse)
    for path in ("/", "/zoeken?q=leesclub", "/api/search?q=leesclub", "/api/suggest?q=lee"):
        assert client.get(path).status_code == 200, path
    assert client.get("/zoeken?q=leesclub&format=csv").status_code == 200


@pytest.mark.parametrize("joiner", [" ", " OF "])
def test_a_long_query_full_of_synonyms_is_never_refused(client: TestClient, joiner: str) -> None:
    # Each of these words has synonyms; repeated, they once made Elasticsearch refuse
    # the query (too many clauses). Expansion is bounded, so the search just runs.
    words = ["bieb", "den", "bosch", "e-book", "cd", "pc", "leesclub", "ict", "krant"] * 8
    response = client.get("/api/search", params={"q": joiner.join(words)})
    assert response.status_code == 200, response.text


def test_the_api_search_is_answered_before_the_router(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``api.DirectSearch`` answers ``/api/search`` itself, with what the route would say."""
    routed: list[str] = []
    router = client.app.router  # type: ignore[attr-defined]
    inner = router.middleware_stack

    async def counting(scope: Any, receive: Any, send: Any) -> None:
        routed.append(scope["path"])
        await inner(scope, receive, send)

    monkeypatch.setattr(router, "middleware_stack", counting)
    query = {"q": "leesclub", "provincie": "Limburg", "sorteer": "nieuwste"}
    direct = client.get("/api/search", params=query)
    assert routed == []
    routed_json = client.get("/zoeken", params={**query, "format": "json"})
    assert routed == ["/zoeken"]  # the same search, by the router, to the same JSON
    assert direct.status_code == routed_json.status_code == 200
    assert {**direct.json(), "took_ms": 0} == {**routed_json.json(), "took_ms": 0}
    assert direct.headers["content-type"] == routed_json.headers["content-type"]
    assert direct.headers["content-security-policy"]  # our middlewares still wrap it
    head = client.head("/api/search", params=query)
    assert head.status_code == 200 and head.content == b"" and routed == ["/zoeken"]
    # POST is not the direct path's: the router answers 405 as before.
    refused = client.post("/api/search", params=query)
    assert refused.status_code == 405 and refused.json()["error"]["code"] == "method_not_allowed"
