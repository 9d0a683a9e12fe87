"""Provinces and sources are data (docs/decisions.md, issue #10).

* The joint wiki (demo/wiki.py) is crawled with only its profile: each page gets the
  province(s) its infobox names, a misspelled value is reported and falls back, a
  joint page counts once under each province and once in "Beide", and an edited
  infobox reaches the index on the next crawl.
* A third province is added with configuration only (a copy of config/sources.toml
  with one more [provinces] table and one more source): crawled, searchable,
  filterable and badged in its own colour, in chromium.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect, sync_playwright

from core.db import make_engine, metadata
from core.settings import REPO_ROOT, Settings
from core.sources import load_profiles
from core.store import DocumentStore
from crawler.run import crawl_source, make_fetcher
from demo import build_bnbibliotheek, build_wiki, serve
from demo.wiki import WikiSite
from indexer.sync import sync_outbox
from search_ui.app import create_app

pytestmark = [pytest.mark.es]
SOURCES = REPO_ROOT / "config" / "sources.toml"
CHROMIUM = "/usr/bin/chromium"
UA = "KennisbrugBot/0.1 (+mailto:test@kennisbrug.example)"
FAST = {"delay": 0.0, "timeout": 5.0, "concurrency": 4}
BOTH = ("Limburg", "Noord-Brabant")


def _crawl(
    settings: Settings, sources: Path, sites: dict[str, Any], store: DocumentStore
) -> list[str]:
    profiles = load_profiles(
        sources,
        base_urls={name: site.base_url for name, site in sites.items()},
        politeness={name: FAST for name in sites},
    )
    warnings: list[str] = []
    for name in sites:
        profile = profiles[name]
        with make_fetcher(profile, UA, max_retry_after=2.0) as fetcher:
            report = crawl_source(profile, store=store, fetcher=fetcher)
        warnings += report.profile_warnings
    return warnings


@pytest.fixture
def wiki_world(
    tmp_path: Path, es_url: str, es_client: Elasticsearch, index_prefix: str
) -> Iterator[tuple[Settings, Any, DocumentStore]]:
    settings = Settings.from_env(
        home=tmp_path, es_url=es_url, index_alias=f"{index_prefix}wiki{time.monotonic_ns()}"
    )
    engine = make_engine(settings.database_url)
    metadata.create_all(engine)
    site = serve(build_wiki(crawl_delay=None), politeness=False)
    try:
        yield settings, site, DocumentStore(engine)
    finally:
        site.close()
        engine.dispose()


def _by_title(store: DocumentStore, source: str) -> dict[str, tuple[str, ...]]:
    return {d.title: d.provincie for d in store.iter_live(source)}


def test_the_joint_wiki_files_each_page_under_the_provinces_it_names(
    wiki_world: tuple[Settings, Any, DocumentStore], es_client: Elasticsearch
) -> None:
    settings, site, store = wiki_world
    warnings = _crawl(settings, SOURCES, {"wiki": site}, store)
    found = _by_title(store, "wiki")
    wiki: WikiSite = site.site
    # Every live page once: the printer copy (rel=canonical) is not a second document.
    assert sorted(found) == sorted(e.title for e in wiki.live_entries())
    assert found["Leesbevordering samen aanpakken"] == BOTH  # "Limburg en Noord-Brabant"
    assert found["De Bibliotheek op school in Maastricht"] == ("Limburg",)
    assert found["Makerspace in de bibliotheek van Tilburg"] == ("Noord-Brabant",)  # N-Brabant
    assert found["Laaggeletterdheid aanpakken met het Taalhuis"] == ("Noord-Brabant",)  # Brabant
    assert found["Regionale collectie Venlo en Noord-Limburg"] == ("Limburg",)  # Limburg (NL)
    assert found["Digitale inclusie: Klik & Tik in de bibliotheek"] == BOTH  # profile's own map
    assert found["BoekStart: voorlezen aan baby's"] == BOTH  # the deeply nested page
    assert found["Geschiedenis van de bibliobus"] == ("Limburg",)  # windows-1252 archive page
    # The misspelled value is reported, not guessed: the page gets the profile's fallback.
    assert found["Zomerlezen tegen de zomerdip"] == ("Noord-Brabant",)
    assert any("'Lmburg'" in w for w in warnings), warnings

    sync_outbox(store, es_client, settings)
    es_client.indices.refresh(index=settings.index_alias)
    app = create_app(settings, es=es_client)
    with TestClient(app) as client:
        data = client.get("/api/search", params={"q": "leesbevordering"}).json()
        buckets = {v["value"]: v["count"] for v in data["facets"]["provincie"]}
        joint = [h for h in data["hits"] if h["title"] == "Leesbevordering samen aanpakken"]
        assert joint and joint[0]["provincie"] == list(BOTH)
        # A joint page counts once under each province and once in "Beide" (the total).
        per_province = {p: sum(1 for h in data["hits"] if p in h["provincie"]) for p in BOTH}
        assert buckets == {p: n for p, n in per_province.items() if n}
        assert data["total"] == len(data["hits"]) < sum(buckets.values())
        only_limburg = client.get(
            "/api/search", params={"q": "leesbevordering", "provincie": "li"}
        ).json()
        assert {h["title"] for h in only_limburg["hits"]} == {
            h["title"] for h in data["hits"] if "Limburg" in h["provincie"]
        }


def test_an_edited_infobox_moves_the_page_on_the_next_crawl(
    wiki_world: tuple[Settings, Any, DocumentStore], es_client: Elasticsearch
) -> None:
    settings, site, store = wiki_world
    _crawl(settings, SOURCES, {"wiki": site}, store)
    sync_outbox(store, es_client, settings)
    site.site.set_provincie("/wiki/Bibliotheek_op_school_Maastricht", "Noord-Brabant")
    _crawl(settings, SOURCES, {"wiki": site}, store)
    assert _by_title(store, "wiki")["De Bibliotheek op school in Maastricht"] == ("Noord-Brabant",)
    sync_outbox(store, es_client, settings)
    es_client.indices.refresh(index=settings.index_alias)
    hits = es_client.search(
        index=settings.index_alias,
        query={"match_phrase": {"title": "Bibliotheek op school in Maastricht"}},
    )["hits"]["hits"]
    assert [h["_source"]["provincie"] for h in hits] == [["Noord-Brabant"]]


THIRD = """
[provinces.zeeland]
label = "Zeeland"
code = "ZL"
colour = "#0f4c81"
aliases = ["Zeeuws"]
"""


def _third_province_sources(tmp: Path) -> Path:
    """config/sources.toml plus a third province and a source in it: configuration only."""
    text = SOURCES.read_text(encoding="utf-8")
    bnb = text[text.index("[sources.bnbibliotheek]") : text.index("[sources.wiki]")]
    zeeuws = (
        bnb.replace("[sources.bnbibliotheek", "[sources.zeeuws")
        .replace('label = "bnbibliotheek"', 'label = "Zeeuwse kennisbank"')
        .replace('provincie = "Noord-Brabant"', 'provincie = "Zeeland"')
    )
    path = tmp / "sources.toml"
    path.write_text(THIRD + text + "\n" + zeeuws, encoding="utf-8")
    return path


@pytest.mark.browser
def test_a_third_province_needs_only_configuration(
    tmp_path: Path, es_url: str, es_client: Elasticsearch, index_prefix: str
) -> None:
    sources = _third_province_sources(tmp_path)
    settings = Settings.from_env(
        home=tmp_path,
        es_url=es_url,
        index_alias=f"{index_prefix}third",
        sources_file=str(sources),
    )
    engine = make_engine(settings.database_url)
    metadata.create_all(engine)
    store = DocumentStore(engine)
    site = serve(build_bnbibliotheek(crawl_delay=None), politeness=False)
    try:
        _crawl(settings, sources, {"zeeuws": site}, store)
    finally:
        site.close()
    assert store.count_live("zeeuws") > 10
    sync_outbox(store, es_client, settings)
    es_client.indices.refresh(index=settings.index_alias)

    app = create_app(settings, es=es_client)
    with TestClient(app) as client:
        css = client.get("/provinces.css").text
        assert ".badge--zeeland { background: #0f4c81; }" in css
        schema = client.get("/api/openapi.json").json()
        param = next(
            p
            for p in schema["paths"]["/api/search"]["get"]["parameters"]
            if p["name"] == "provincie"
        )
        assert param["schema"]["items"]["enum"] == ["Zeeland", "Limburg", "Noord-Brabant"]
        filtered = client.get("/api/search", params={"q": "bibliotheek", "provincie": "zeeuws"})
        assert filtered.status_code == 200
        hits = filtered.json()["hits"]
        assert hits and all(h["provincie"] == ["Zeeland"] for h in hits)

    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        with sync_playwright() as p:
            browser: Browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(base_url=f"http://127.0.0.1:{port}")
            page.goto("/zoeken?q=bibliotheek")
            toggle = page.get_by_role("link", name=re.compile(r"^Zeeland"))
            expect(toggle).to_be_visible()
            toggle.click()
            expect(page).to_have_url(re.compile(r"provincie=Zeeland"))
            badges = page.locator(".hit .badge")
            expect(badges.first).to_have_text("Zeeland")
            assert set(badges.all_inner_texts()) == {"Zeeland"}
            colour = badges.first.evaluate("e => getComputedStyle(e).backgroundColor")
            assert colour == "rgb(15, 76, 129)"
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


def test_the_admin_preview_shows_the_provincie_a_page_would_get(tmp_path: Path) -> None:
    """/beheer's preview (scope-checked, through the job queue) names the page's provinces."""
    from core.accounts import Accounts
    from core.jobs import JobState
    from kennisbrug.job_handlers import Runtime, make_handlers
    from kennisbrug.worker import Worker

    site = serve(build_wiki(crawl_delay=None), politeness=False)
    outside = serve(build_wiki(crawl_delay=None), politeness=False)  # live, but not the source
    try:
        text = SOURCES.read_text(encoding="utf-8").replace(
            'base_url = "http://127.0.0.1:8103"', f'base_url = "{site.base_url}"'
        )
        sources = tmp_path / "sources.toml"
        sources.write_text(re.sub(r"(?m)^delay = [0-9.]+$", "delay = 0.0", text), encoding="utf-8")
        settings = Settings.from_env(
            {}, home=tmp_path, sources_file=str(sources), es_url="http://127.0.0.1:9",
            secret_key="k" * 40,
        )  # fmt: skip
        runtime = Runtime(settings=settings)
        metadata.create_all(runtime.store.engine)
        Accounts(runtime.store.engine).add_user("anne", "een-goed-wachtwoord", "admin")
        app = create_app(settings, es=Elasticsearch("http://127.0.0.1:9", max_retries=0))
        with TestClient(app, follow_redirects=False) as client:
            form = client.get("/aanmelden").text
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
            assert csrf is not None
            client.post(
                "/aanmelden",
                data={"gebruiker": "anne", "wachtwoord": "een-goed-wachtwoord",
                      "csrf_token": csrf.group(1)},
            )  # fmt: skip
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/beheer").text)
            assert token is not None
            refused = client.post(
                "/beheer/bronnen/wiki/voorbeeld",
                data={"url": outside.base_url + "/wiki/Makerspace_Tilburg",
                      "csrf_token": token.group(1)},
            )  # fmt: skip
            assert refused.status_code == 400 and "hoort niet bij" in refused.text
            answer = client.post(
                "/beheer/bronnen/wiki/voorbeeld",
                data={"url": site.base_url + "/wiki/Leesbevordering_samen",
                      "csrf_token": token.group(1)},
            )  # fmt: skip
            assert answer.status_code == 303
            job_id = int(answer.headers["location"].rsplit("/", 1)[1])
            worker = Worker(queue=runtime.queue, handlers=make_handlers(runtime))
            done = worker.run_one(runtime.queue.claim(job_id, worker.identity))
            assert done.state == JobState.DONE, done.error
            page = client.get(f"/beheer/taken/{job_id}").text
            shown = re.search(r'data-field="provincie">([^<]*)<', page)
            assert shown is not None and shown.group(1) == "Limburg, Noord-Brabant"
        assert outside.requests == []  # the refused preview fetched nothing
        assert runtime.store.count_live() == 0  # a preview stores nothing
    finally:
        site.close()
        outside.close()
