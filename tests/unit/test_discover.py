"""Discovery from sitemaps and feeds (crawler.discover): pure parsing, no I/O."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone

from crawler.discover import parse_date, parse_feed, parse_sitemap

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
