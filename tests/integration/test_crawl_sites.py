"""Crawling both demo sites over real HTTP into a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.models import doc_id
from core.runs import CrawlRuns
from core.store import DocumentStore
from demo import RunningSite, build_bnbibliotheek, build_ekic, serve
from demo.ekic import EkicSite
from tests.integration.crawlkit import crawl, profile_for, store_at

BOILERPLATE = ("Laatste nieuws", "Populaire trefwoorden", "Disclaimer", "Postbus", "U bent hier",
               "Blogarchief", "Over deze blog", "Mogelijk gemaakt door", "zei...")  # fmt: skip


@pytest.fixture
def ekic() -> Iterator[RunningSite]:
    with serve(build_ekic(crawl_delay=None), politeness=False) as running:
        yield running


@pytest.fixture
def bnb() -> Iterator[RunningSite]:
    with serve(build_bnbibliotheek(crawl_delay=None), politeness=False) as running:
        yield running


def _doc(store: DocumentStore, url: str):
    stored = store.get(doc_id(url))
    assert stored is not None, url
    return stored.document


def test_ekic_fields_pdf_and_diacritics(ekic: RunningSite, tmp_path: Path) -> None:
    store = store_at(tmp_path / "kb.db")
    report = crawl(profile_for(ekic, "ekic"), store)
    assert report.failed == 0 and report.healthy
    base = ekic.base_url
    assert isinstance(ekic.site, EkicSite)
    expected = {base + p for p in ekic.site.page_urls()} | {
        base + p for p in ekic.site.attachment_urls()
    }
    assert {d.url for d in store.iter_live("ekic")} == expected
    news = _doc(store, f"{base}/artikel.php?id=37")
    assert news.title == "Bibliotheekhuis en Cubiss gaan samenwerken"
    assert news.published is not None and news.published.date().isoformat() == "2010-11-11"
    assert news.provincie == ("Limburg",) and news.type == "nieuws"
    assert news.tags == ("samenwerking", "Cubiss", "Noord-Brabant", "samenwerkingsovereenkomst")
    assert "geïntegreerd" in news.body
    assert not any(b in news.body for b in BOILERPLATE)
    plan = _doc(store, f"{base}/artikel.php?id=39")
    assert "efficiënter georganiseerde" in plan.body and "Ã" not in plan.body
    pdf = _doc(store, f"{base}/bestanden/beleidsplan-2011.pdf")
    assert pdf.type == "bijlage" and pdf.parent == plan.id
    assert "efficiënter" in pdf.body
    assert _doc(store, f"{base}/dossier.php?id=1").type == "dossier"
    # one page = one document: no session-id or print variants stored
    assert not any("PHPSESSID" in d.url or "print=" in d.url for d in store.iter_live())


def test_bnb_fields(bnb: RunningSite, tmp_path: Path) -> None:
    store = store_at(tmp_path / "kb.db")
    report = crawl(profile_for(bnb, "bnbibliotheek"), store)
    assert report.failed == 0 and report.healthy
    assert {d.url for d in store.iter_live()} == {bnb.base_url + p for p in bnb.site.page_urls()}
    post = _doc(store, f"{bnb.base_url}/2010/11/samenwerking-cubiss-en-bibliotheekhuis.html")
    assert post.title == "Samenwerking Cubiss en Bibliotheekhuis"
    assert post.published is not None and post.published.date().isoformat() == "2010-11-11"
    assert post.provincie == ("Noord-Brabant",) and post.source == "bnbibliotheek"
    assert "eKIC" in post.tags and post.author
    assert "geïntegreerd" in post.body
    assert not any(b in post.body for b in BOILERPLATE)


@pytest.mark.parametrize("name", ["ekic", "bnbibliotheek"])
def test_unchanged_recrawl_downloads_no_bodies(name: str, tmp_path: Path) -> None:
    site = build_ekic(crawl_delay=None) if name == "ekic" else build_bnbibliotheek(crawl_delay=None)
    with serve(site, politeness=False) as running:
        profile = profile_for(running, name)
        store = store_at(tmp_path / "kb.db")
        crawl(profile, store)
        pending = len(store.outbox_pending(limit=100_000))
        before = len(running.requests)
        report = crawl(profile, store)
        later = running.requests[before:]
    discovery = ("/robots.txt", "/sitemap.xml", "/feeds/")
    assert all(r.status == 304 or r.path.startswith(discovery) for r in later), later
    assert report.written == 0 and report.new == report.changed == 0
    assert len(store.outbox_pending(limit=100_000)) == pending
    runs = CrawlRuns(store.engine).recent(name)
    assert [r.status for r in runs] == ["done", "done"]
    assert runs[0].report is not None and runs[0].report["skipped_by_lastmod"] > 0


def test_edit_and_delete_appear_exactly(bnb: RunningSite, tmp_path: Path) -> None:
    profile = profile_for(bnb, "bnbibliotheek")
    store = store_at(tmp_path / "kb.db")
    crawl(profile, store)
    pages = bnb.site.page_urls()
    edited, deleted = pages[3], pages[5]
    bnb.site.edit_page(edited, "Nieuwe tekst over laaggeletterdheid.\n\nTweede alinea.")
    bnb.site.delete_page(deleted, 410)
    first = crawl(profile, store)
    assert (first.new, first.changed, first.deleted, first.gone) == (0, 1, 0, 1)
    assert "laaggeletterdheid" in _doc(store, bnb.base_url + edited).body
    assert store.get(doc_id(bnb.base_url + deleted)).deleted_at is None  # type: ignore[union-attr]
    second = crawl(profile, store)  # the configured second confirmation
    assert (second.new, second.changed, second.deleted) == (0, 0, 1)
    assert store.get(doc_id(bnb.base_url + deleted)).deleted_at is not None  # type: ignore[union-attr]
    assert store.count_live("bnbibliotheek") == len(pages) - 1
    ops = {(i.doc_id, i.op) for i in store.outbox_pending(limit=100_000)}
    assert (doc_id(bnb.base_url + deleted), "delete") in ops
