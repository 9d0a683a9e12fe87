"""Link extraction rules of crawler.extract: which hrefs of a page become links to follow.

One rule per test, each on a small page of its own (no demo site): what counts as a
link, rel=nofollow on a link and for the whole page, ``<base href>``, non-web schemes,
fragments and href noise, duplicates and their order, and rel=canonical.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from core.sources import SourceProfile
from crawler.extract import extract_page
from tests.faultsite import FaultSite, fault_profile

PAGE_URL = "http://www.ekic.nl/thema/lezen.php?id=3"


@dataclass(frozen=True)
class Page:
    url: str
    content: bytes
    content_type: str = "text/html"
    charset: str | None = "utf-8"
    robots: frozenset[str] = frozenset()  # X-Robots-Tag directives (crawler.fetched)
    agent: str = ""


@pytest.fixture(scope="module")
def profile() -> SourceProfile:
    with FaultSite() as site:  # only its address is used: no request is made
        return fault_profile(site)


def _page(head: str = "", body: str = "", **page: object) -> Page:
    html = f"<html><head><title>T</title>{head}</head><body><h1>T</h1><p>x</p>{body}</body></html>"
    return Page(url=str(page.pop("url", PAGE_URL)), content=html.encode(), **page)  # type: ignore[arg-type]


def _links(profile: SourceProfile, head: str = "", body: str = "", **page: object) -> list[str]:
    return list(extract_page(_page(head, body, **page), profile, as_document=False).links)


def test_anchors_and_image_map_areas_with_an_href_are_links(profile: SourceProfile) -> None:
    body = (
        "<a href='/a.php'>a</a><map><area href='/kaart.php?regio=noord'></map>"
        "<a>no href</a><a name='anker'>anchor</a><img src='/foto.jpg'>"
        "<form action='/zoek.php'></form><iframe src='/ingebed.php'></iframe>"
    )
    head = "<link rel='next' href='/volgende.php'><link rel='stylesheet' href='/stijl.css'>"
    assert _links(profile, head, body) == [
        "http://www.ekic.nl/a.php",
        "http://www.ekic.nl/kaart.php?regio=noord",
    ]


def test_relative_hrefs_resolve_against_the_page_url(profile: SourceProfile) -> None:
    body = (
        "<a href='artikel.php?id=12'>same folder</a><a href='../over.php'>up</a>"
        "<a href='?id=4'>query only</a><a href='//www.cubiss.nl/x'>scheme-relative</a>"
    )
    assert _links(profile, body=body) == [
        "http://www.ekic.nl/thema/artikel.php?id=12",
        "http://www.ekic.nl/over.php",
        "http://www.ekic.nl/thema/lezen.php?id=4",
        "http://www.cubiss.nl/x",
    ]


def test_a_link_with_rel_nofollow_is_not_followed(profile: SourceProfile) -> None:
    body = (
        "<a href='/volgen.php'>follow</a><a rel='nofollow' href='/inloggen.php'>log in</a>"
        "<a rel='external nofollow' href='/reactie.php'>reply</a>"
        "<a rel='NoFollow' href='/hoofdletters.php'>upper case</a>"
        "<area rel='nofollow' href='/kaart.php'><a rel='noopener' href='/gewoon.php'>plain</a>"
    )
    assert _links(profile, body=body) == [
        "http://www.ekic.nl/volgen.php",
        "http://www.ekic.nl/gewoon.php",
    ]


def test_base_href_decides_what_relative_links_mean(profile: SourceProfile) -> None:
    head = "<base href='http://www.ekic.nl/archief/2010/'>"
    body = "<a href='a.php'>a</a><a href='/b.php'>b</a><a href='?p=2'>c</a>"
    assert _links(profile, head, body) == [
        "http://www.ekic.nl/archief/2010/a.php",
        "http://www.ekic.nl/b.php",
        "http://www.ekic.nl/archief/2010/?p=2",
    ]


def test_a_relative_base_href_resolves_against_the_page_and_only_the_first_counts(
    profile: SourceProfile,
) -> None:
    head = "<base target='_blank'><base href='../archief/'><base href='http://elders.nl/'>"
    assert _links(profile, head, "<a href='a.php'>a</a>") == ["http://www.ekic.nl/archief/a.php"]


def test_only_http_and_https_links_are_kept(profile: SourceProfile) -> None:
    body = (
        "<a href='mailto:info@ekic.nl'>mail</a><a href='javascript:window.print()'>print</a>"
        "<a href='  JavaScript:void(0)'>x</a><a href='tel:+31131234567'>bel</a>"
        "<a href='ftp://ftp.ekic.nl/a'>ftp</a><a href='data:text/html,hoi'>data</a>"
        "<a href='https://veilig.ekic.nl/'>https</a><a href='HTTP://WWW.EKIC.NL/Groot'>caps</a>"
    )
    assert _links(profile, body=body) == ["https://veilig.ekic.nl/", "http://WWW.EKIC.NL/Groot"]


def test_fragments_and_href_noise_are_removed(profile: SourceProfile) -> None:
    body = (
        "<a href='artikel.php?id=12#reacties'>comments</a>"
        "<a href='#top'>top of this page</a>"
        "<a href='  /met\nregel\teinde.php '>noise</a>"
    )
    assert _links(profile, body=body) == [
        "http://www.ekic.nl/thema/artikel.php?id=12",
        PAGE_URL,
        "http://www.ekic.nl/metregeleinde.php",  # tabs and newlines go (HTML's URL parser)
    ]


def test_duplicates_collapse_in_the_order_first_seen(profile: SourceProfile) -> None:
    body = (
        "<a href='/b.php'>b</a><a href='/a.php'>a</a><a href='/b.php#x'>b again</a>"
        "<area href='/a.php'><a href='http://www.ekic.nl/b.php'>b absolute</a>"
    )
    assert _links(profile, body=body) == ["http://www.ekic.nl/b.php", "http://www.ekic.nl/a.php"]


@pytest.mark.parametrize(
    ("head", "page"),
    [
        ("<meta name='robots' content='noindex, NOFOLLOW'>", {}),
        ("<meta name='robots' content='none'>", {}),
        ("<meta name='KennisbrugBot' content='nofollow'>", {"agent": "kennisbrugbot"}),
        ("", {"robots": frozenset({"nofollow"})}),  # X-Robots-Tag, already parsed
    ],
)
def test_a_nofollow_page_gives_no_links(
    profile: SourceProfile, head: str, page: dict[str, object]
) -> None:
    assert _links(profile, head, "<a href='/a.php'>a</a>", **page) == []


def test_nofollow_meant_for_another_robot_is_ignored(profile: SourceProfile) -> None:
    head = "<meta name='googlebot' content='nofollow'><meta name='robots' content='noarchive'>"
    assert _links(profile, head, "<a href='/a.php'>a</a>", agent="kennisbrugbot") == [
        "http://www.ekic.nl/a.php"
    ]


def test_malformed_html_still_gives_its_links(profile: SourceProfile) -> None:
    junk = b"<html><body><div><p><b>unclosed <a href='/a.php?id=1'>a</a><table><tr><td><a href=/b.php>b"
    result = extract_page(Page(url=PAGE_URL, content=junk), profile, as_document=False)
    assert result.links == ("http://www.ekic.nl/a.php?id=1", "http://www.ekic.nl/b.php")


def _canonical(profile: SourceProfile, head: str) -> str | None:
    return extract_page(_page(head), profile, as_document=False).canonical


def test_rel_canonical_resolves_against_base_and_is_canonicalised(profile: SourceProfile) -> None:
    base = "<base href='http://www.ekic.nl/archief/'>"
    assert _canonical(profile, base + "<link rel='canonical' href='c.php?sid=9&b=2&a=1'>") == (
        "http://www.ekic.nl/archief/c.php?a=1&b=2"  # session id dropped, query sorted
    )
    first = "<link rel='Canonical' href='/een.php'><link rel='canonical' href='/twee.php'>"
    assert _canonical(profile, first) == "http://www.ekic.nl/een.php"


def test_no_or_a_non_web_canonical_is_none(profile: SourceProfile) -> None:
    assert _canonical(profile, "<link rel='stylesheet' href='/s.css'>") is None
    assert _canonical(profile, "<link rel='canonical' href='mailto:x@ekic.nl'>") is None
    assert _canonical(profile, "<a rel='canonical' href='/a.php'>a</a>") is None
