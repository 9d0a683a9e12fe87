"""Unit tests of the demo site models and PDF writer: rendering only, no sockets."""

from __future__ import annotations

import io

import pypdf

from demo.pdf import write_pdf
from demo.sites import HOSTILE_TITLE, build_bnbibliotheek, build_ekic

SAMENWERKING = "/2010/11/samenwerking-cubiss-en-bibliotheekhuis.html"


def test_base_sets_have_at_least_45_pages() -> None:
    assert len(build_ekic().page_urls()) >= 45
    assert len(build_bnbibliotheek().page_urls()) >= 45


def test_ekic_article_is_windows_1252_with_dutch_metadata() -> None:
    site = build_ekic()
    res = site.lookup("/artikel.php?id=39")
    assert res is not None and res.status == 200
    assert "charset=windows-1252" in res.content_type
    assert "efficiënter".encode("cp1252") in res.body
    text = res.body.decode("cp1252")
    assert 'http-equiv="Content-Type" content="text/html; charset=windows-1252"' in text
    assert "Gepubliceerd: 06-12-2010" in text
    assert "Trefwoorden:" in text and '<meta name="description"' in text
    assert "/bestanden/beleidsplan-2011.pdf" in text


def test_ekic_print_version_points_to_canonical() -> None:
    res = build_ekic().lookup("/artikel.php?id=2&print=1")
    assert res is not None
    assert b'<link rel="canonical" href="/artikel.php?id=2" />' in res.body


def test_ekic_sitemap_lists_every_article_with_lastmod() -> None:
    site = build_ekic()
    body = site.lookup("/sitemap.xml").body.decode()  # type: ignore[union-attr]
    for url in site.page_urls():
        assert url.replace("&", "&amp;") + "</loc><lastmod>" in body


def test_edit_changes_validators_and_sitemap() -> None:
    site = build_ekic()
    before = site.lookup("/artikel.php?id=2")
    assert before is not None
    site.edit_page("/artikel.php?id=2", "Nieuwe tekst over leesclubs.\n\nTweede alinea.")
    after = site.lookup("/artikel.php?id=2")
    assert after is not None and after.etag != before.etag
    assert after.last_modified is not None and before.last_modified is not None
    assert after.last_modified > before.last_modified
    assert b"Nieuwe tekst over leesclubs." in after.body


def test_delete_removes_page_from_listings_and_feed() -> None:
    site = build_bnbibliotheek()
    site.delete_page(SAMENWERKING, status=410)
    assert site.lookup(SAMENWERKING).status == 410  # type: ignore[union-attr]
    feed = site.lookup("/feeds/posts/default?max-results=500").body  # type: ignore[union-attr]
    assert b"samenwerking-cubiss-en-bibliotheekhuis" not in feed


def test_bnb_post_has_blogger_structure() -> None:
    res = build_bnbibliotheek().lookup(SAMENWERKING)
    assert res is not None
    text = res.body.decode("utf-8")
    assert "donderdag 11 november 2010" in text
    assert "Geplaatst door <span class='fn'>Marieke van Dijk</span>" in text
    assert "Labels: <a href='/search/label/samenwerking'" in text
    assert "opmerking" in text


def test_bnb_has_no_sitemap_and_a_paginated_feed() -> None:
    site = build_bnbibliotheek(pages=120)
    assert site.lookup("/sitemap.xml") is None
    first = site.lookup("/feeds/posts/default").body  # type: ignore[union-attr]
    assert first.count(b"<entry>") == 25 and b"rel='next'" in first


def test_hostile_post_only_when_switched_on() -> None:
    assert "/2011/05/gevaarlijke-titel.html" not in build_bnbibliotheek().page_urls()
    res = build_bnbibliotheek(hostile=True).lookup("/2011/05/gevaarlijke-titel.html")
    assert res is not None
    assert f"<title>bnbibliotheek: {HOSTILE_TITLE}</title>".encode() in res.body
    assert b'<img src=x onerror="alert(2)">' in res.body and b"xsstest" in res.body


def test_generator_is_deterministic_and_scales() -> None:
    a, b = build_ekic(pages=600, seed=3), build_ekic(pages=600, seed=3)
    assert len(a.page_urls()) == 600
    url = a.page_urls()[300]
    assert a.lookup(url).body == b.lookup(url).body  # type: ignore[union-attr]


def test_pdf_text_is_extractable_with_diacritics() -> None:
    data = write_pdf("Beleidsplan 2011", ["Wij werken efficiënter; ideeën uit België (café)."] * 80)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 1
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Beleidsplan 2011" in text and "efficiënter" in text and "(café)" in text
