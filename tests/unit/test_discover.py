"""Discovery from sitemaps, feeds and HTML (crawler.discover): pure parsing, no I/O."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone

from bs4 import BeautifulSoup

from crawler.discover import (
    extract_links,
    find_canonical,
    parse_date,
    parse_feed,
    parse_sitemap,
)

BASE = "http://www.ekic.nl/"

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>http://www.ekic.nl/artikel.php?id=1</loc><lastmod>2010-11-11</lastmod></url>
  <url><loc> http://www.ekic.nl/artikel.php?id=2 </loc>
       <lastmod>2010-11-12T09:30:00+01:00</lastmod><changefreq>monthly</changefreq></url>
  <url><loc>http://www.ekic.nl/dossier.php?id=3</loc><lastmod>gisteren</lastmod></url>
  <url><lastmod>2010-01-01</lastmod></url>
  <url><loc>mailto:info@ekic.nl</loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>/sitemap-artikelen.xml</loc><lastmod>2010-11-11T00:00:00Z</lastmod></sitemap>
  <sitemap><loc>http://www.ekic.nl/sitemap-dossiers.xml.gz</loc></sitemap>
</sitemapindex>"""


def test_sitemap_urls_with_lastmod() -> None:
    sitemap = parse_sitemap(SITEMAP, BASE + "sitemap.xml")
    assert [e.url for e in sitemap.urls] == [
        "http://www.ekic.nl/artikel.php?id=1",
        "http://www.ekic.nl/artikel.php?id=2",
        "http://www.ekic.nl/dossier.php?id=3",
    ]
    assert sitemap.urls[0].lastmod == datetime(2010, 11, 11, tzinfo=UTC)
    assert sitemap.urls[1].lastmod == datetime(2010, 11, 12, 8, 30, tzinfo=UTC)
    assert sitemap.urls[2].lastmod is None  # unreadable date: no date, not an error
    assert sitemap.sitemaps == []


def test_sitemap_index_lists_children_separately() -> None:
    sitemap = parse_sitemap(INDEX, BASE + "sitemap.xml")
    assert sitemap.urls == []
    assert [e.url for e in sitemap.sitemaps] == [
        "http://www.ekic.nl/sitemap-artikelen.xml",
        "http://www.ekic.nl/sitemap-dossiers.xml.gz",
    ]
    assert sitemap.sitemaps[0].lastmod == datetime(2010, 11, 11, tzinfo=UTC)


def test_gzipped_and_plain_text_sitemaps() -> None:
    assert len(parse_sitemap(gzip.compress(SITEMAP), BASE).urls) == 3
    text = b"http://www.ekic.nl/a\n\nhttp://www.ekic.nl/b\nnot a url\n"
    assert [e.url for e in parse_sitemap(text, BASE).urls] == [BASE + "a", BASE + "b"]


def test_broken_sitemaps_give_nothing_not_errors() -> None:
    assert parse_sitemap(b"", BASE).urls == []
    assert parse_sitemap(b"\x00\x81<urlset><url><loc>", BASE).urls == []
    assert parse_sitemap(b"\x1f\x8bnot really gzip", BASE).urls == []


def test_sitemap_does_not_expand_entities() -> None:
    evil = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<urlset><url><loc>http://www.ekic.nl/&e;</loc></url></urlset>"""
    urls = [e.url for e in parse_sitemap(evil, BASE).urls]
    assert all("root:" not in u for u in urls)


ATOM = b"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom'>
  <title type='text'>bnbibliotheek</title>
  <link rel='alternate' type='text/html' href='http://bnbibliotheek.example/'/>
  <link rel='next' href='http://bnbibliotheek.example/feeds/posts/default?start-index=26'/>
  <entry>
    <published>2010-11-11T14:03:00.000+01:00</published>
    <updated>2010-11-12T10:00:00.000+01:00</updated>
    <title type='text'>Samenwerking Cubiss en Bibliotheekhuis</title>
    <link rel='replies' type='text/html' href='http://bnbibliotheek.example/2010/11/x.html#comment-form'/>
    <link rel='edit' type='application/atom+xml' href='http://www.blogger.com/feeds/1/posts/2'/>
    <link rel='alternate' type='text/html' href='/2010/11/samenwerking-cubiss-en-bibliotheekhuis.html'/>
  </entry>
  <entry>
    <published>2010-11-02T09:00:00Z</published>
    <title>Leesclub in de bieb</title>
    <link href='http://bnbibliotheek.example/2010/11/leesclub.html'/>
  </entry>
</feed>"""

RSS = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
 <channel><title>eKIC nieuws</title><link>http://www.ekic.nl/</link>
  <item><title>Effici\xebnter werken</title><link>http://www.ekic.nl/nieuws.php?id=5</link>
        <pubDate>Thu, 11 Nov 2010 10:00:00 +0100</pubDate></item>
  <item><title>Zonder link</title><guid isPermaLink="true">http://www.ekic.nl/nieuws.php?id=6</guid>
        <dc:date>2010-11-10</dc:date></item>
  <item><title>Geen URL</title><guid isPermaLink="false">urn:x</guid></item>
 </channel></rss>"""


def test_atom_feed_entries_and_next_page() -> None:
    feed = parse_feed(ATOM, "http://bnbibliotheek.example/feeds/posts/default")
    assert feed.title == "bnbibliotheek"
    assert [e.url for e in feed.entries] == [
        "http://bnbibliotheek.example/2010/11/samenwerking-cubiss-en-bibliotheekhuis.html",
        "http://bnbibliotheek.example/2010/11/leesclub.html",
    ]
    first = feed.entries[0]
    assert first.title == "Samenwerking Cubiss en Bibliotheekhuis"
    assert first.updated == datetime(2010, 11, 12, 10, tzinfo=timezone(timedelta(hours=1)))
    assert feed.entries[1].updated == datetime(2010, 11, 2, 9, tzinfo=UTC)  # published fallback
    assert feed.next_url == "http://bnbibliotheek.example/feeds/posts/default?start-index=26"


def test_rss_feed_entries() -> None:
    feed = parse_feed(RSS, "http://www.ekic.nl/rss.xml")
    assert [e.url for e in feed.entries] == [
        "http://www.ekic.nl/nieuws.php?id=5",
        "http://www.ekic.nl/nieuws.php?id=6",
    ]
    assert feed.entries[0].title == "Efficiënter werken"
    assert feed.entries[0].updated == datetime(2010, 11, 11, 9, tzinfo=UTC)
    assert feed.entries[1].updated == datetime(2010, 11, 10, tzinfo=UTC)
    assert feed.next_url is None


def test_broken_feed_gives_nothing() -> None:
    assert parse_feed(b"<html><body>geen feed</body></html>", BASE).entries == []
    assert parse_feed(b"", BASE).entries == []


def test_parse_date_formats() -> None:
    assert parse_date("2010-11-11") == datetime(2010, 11, 11, tzinfo=UTC)
    assert parse_date("2010-11-11T10:00Z") == datetime(2010, 11, 11, 10, tzinfo=UTC)
    assert parse_date("Thu, 11 Nov 2010 10:00:00 GMT") == datetime(2010, 11, 11, 10, tzinfo=UTC)
    assert parse_date("11-11-2010") is None
    assert parse_date(None) is None


PAGE = b"""<!DOCTYPE html><html><head>
<title>Leesbevordering</title>
<link rel="stylesheet" href="/stijl.css">
<link rel="canonical" href="artikel.php?id=12">
<link rel="next" href="thema.php?cat=2&amp;pagina=2">
</head><body>
<a href="artikel.php?id=12#reacties">Lees meer</a>
<a href="artikel.php?id=12">nog eens</a>
<a href="/artikel.php?id=13&amp;print=1">printversie</a>
<a href="mailto:info@ekic.nl">mail</a>
<a href="javascript:window.print()">print</a>
<a href="  JavaScript:void(0)">x</a>
<a href="#top">boven</a>
<a rel="nofollow" href="/inloggen.php">inloggen</a>
<a href="http://www.cubiss.nl/">Cubiss</a>
<map><area href="/kaart.php?regio=noord"></map>
<a>geen href</a>
</body></html>"""

EXPECTED_LINKS = [
    "http://www.ekic.nl/thema/thema.php?cat=2&pagina=2",
    "http://www.ekic.nl/thema/artikel.php?id=12",
    "http://www.ekic.nl/artikel.php?id=13&print=1",
    "http://www.ekic.nl/thema/",  # "#top" is the page itself
    "http://www.cubiss.nl/",
    "http://www.ekic.nl/kaart.php?regio=noord",
]


def test_extract_links_from_bytes_and_soup() -> None:
    base = "http://www.ekic.nl/thema/"
    assert extract_links(PAGE, base) == EXPECTED_LINKS
    assert extract_links(BeautifulSoup(PAGE, "lxml"), base) == EXPECTED_LINKS


def test_extract_links_nofollow_can_be_followed() -> None:
    links = extract_links(PAGE, "http://www.ekic.nl/thema/", follow_nofollow=True)
    assert "http://www.ekic.nl/inloggen.php" in links


def test_base_href_is_honoured() -> None:
    html = b'<html><head><base href="http://www.ekic.nl/archief/"></head><body><a href="a.html">a</a><link rel="canonical" href="c.html"></body></html>'
    assert extract_links(html, "http://www.ekic.nl/elders/x") == [
        "http://www.ekic.nl/archief/a.html"
    ]
    assert (
        find_canonical(html, "http://www.ekic.nl/elders/x") == "http://www.ekic.nl/archief/c.html"
    )


def test_malformed_html_still_gives_links() -> None:
    junk = b"<html><body>\x00\x81\x8d<div><p><b>onafgesloten <a href='/a.php?id=1'>a</a><table><tr><td><a href=/b.php"
    assert extract_links(junk, BASE)[0] == "http://www.ekic.nl/a.php?id=1"
    assert extract_links(b"", BASE) == []
    assert extract_links(b"   ", BASE) == []


def test_find_canonical() -> None:
    assert (
        find_canonical(PAGE, "http://www.ekic.nl/thema/")
        == "http://www.ekic.nl/thema/artikel.php?id=12"
    )
    soup = BeautifulSoup(PAGE, "lxml")
    assert (
        find_canonical(soup, "http://www.ekic.nl/thema/")
        == "http://www.ekic.nl/thema/artikel.php?id=12"
    )
    assert find_canonical(b"<html><head><title>x</title></head></html>", BASE) is None
    assert find_canonical(b'<link rel="canonical" href="mailto:x@y">', BASE) is None
