"""URL canonicalisation and scope (crawler.urls): one page is one URL."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.urls import DEFAULT_DROP, canonicalize, host_of, resolve

CANONICAL = [
    # scheme, host, default port, fragment
    ("HTTP://WWW.EKIC.NL/Thema", "http://www.ekic.nl/Thema"),
    ("http://www.ekic.nl:80/a", "http://www.ekic.nl/a"),
    ("https://www.ekic.nl:443/a", "https://www.ekic.nl/a"),
    ("http://www.ekic.nl:8080/a", "http://www.ekic.nl:8080/a"),
    ("http://www.ekic.nl/a#reacties", "http://www.ekic.nl/a"),
    ("http://www.ekic.nl", "http://www.ekic.nl/"),
    ("http://www.ekic.nl.", "http://www.ekic.nl/"),
    # query: sorted, tracking and session parameters dropped, id kept
    ("http://e.nl/artikel.php?id=12&cat=3", "http://e.nl/artikel.php?cat=3&id=12"),
    (
        "http://e.nl/artikel.php?id=12&utm_source=nb&utm_medium=mail",
        "http://e.nl/artikel.php?id=12",
    ),
    ("http://e.nl/a?fbclid=X&gclid=Y&id=1", "http://e.nl/a?id=1"),
    ("http://e.nl/artikel.php?PHPSESSID=9f8e7d&id=12", "http://e.nl/artikel.php?id=12"),
    ("http://e.nl/artikel.php?id=12&sid=abc", "http://e.nl/artikel.php?id=12"),
    ("http://e.nl/a.jsp;jsessionid=0A1B2C?id=4", "http://e.nl/a.jsp?id=4"),
    ("http://e.nl/a?jsessionid=0A1B2C", "http://e.nl/a"),
    ("http://e.nl/a?ref=home", "http://e.nl/a?ref=home"),
    ("http://e.nl/zoek?q=lezen+en+schrijven", "http://e.nl/zoek?q=lezen%20en%20schrijven"),
    ("http://e.nl/a?b=&a=1", "http://e.nl/a?a=1&b="),
    # path: trailing slash, dot segments, escapes
    ("http://e.nl/thema/leesbevordering/", "http://e.nl/thema/leesbevordering"),
    ("http://e.nl/", "http://e.nl/"),
    ("http://e.nl/a/./b/../c", "http://e.nl/a/c"),
    ("http://e.nl/%7ebeheer/%e2%82%ac", "http://e.nl/~beheer/%E2%82%AC"),
    ("http://e.nl/caf\u00e9 lezen", "http://e.nl/caf%C3%A9%20lezen"),
    ("  http://e.nl/a\n  ", "http://e.nl/a"),
    # not ours to touch
    ("mailto:info@cubiss.nl", "mailto:info@cubiss.nl"),
]


@pytest.mark.parametrize(("raw", "expected"), CANONICAL)
def test_canonicalize(raw: str, expected: str) -> None:
    assert canonicalize(raw) == expected


@pytest.mark.parametrize(("raw", "_"), CANONICAL)
def test_canonicalize_is_idempotent(raw: str, _: str) -> None:
    once = canonicalize(raw)
    assert canonicalize(once) == once


def test_profile_can_drop_more_params() -> None:
    url = "http://e.nl/artikel.php?id=12&print=1&utm_campaign=x"
    assert (
        canonicalize(url, drop_params=DEFAULT_DROP | {"print"}) == "http://e.nl/artikel.php?id=12"
    )
    assert (
        canonicalize(url, drop_params=()) == "http://e.nl/artikel.php?id=12&print=1&utm_campaign=x"
    )


def test_session_variants_are_one_document() -> None:
    variants = [
        "http://www.ekic.nl/artikel.php?id=7",
        "http://WWW.ekic.nl:80/artikel.php?PHPSESSID=abc123&id=7#top",
        "http://www.ekic.nl/artikel.php?id=7&utm_source=nieuwsbrief",
    ]
    assert len({canonicalize(u) for u in variants}) == 1


@pytest.mark.parametrize(
    ("base", "href", "expected"),
    [
        ("http://e.nl/thema/lezen.html", "artikel.php?id=3", "http://e.nl/thema/artikel.php?id=3"),
        ("http://e.nl/thema/", "../over.html#team", "http://e.nl/over.html"),
        ("http://e.nl/a", "//cdn.e.nl/x.pdf", "http://cdn.e.nl/x.pdf"),
        ("http://e.nl/a", " /b\n/c ", "http://e.nl/b/c"),
        ("https://e.nl/a", "http://other.nl/", "http://other.nl/"),
    ],
)
def test_resolve(base: str, href: str, expected: str) -> None:
    assert resolve(base, href) == expected


def test_host_of_drops_default_port() -> None:
    assert host_of("http://E.nl:80/x") == "e.nl"
    assert host_of("http://127.0.0.1:8123/x") == "127.0.0.1:8123"


_HOSTS = st.sampled_from(
    [
        "ekic.nl",
        "WWW.Ekic.NL",
        "www.ekic.nl.",
        "127.0.0.1",
        "[::1]",
        "bücher.de",
        "user:pw@e.nl",
        "",
    ]
)
_PORTS = st.sampled_from(["", ":80", ":443", ":8080", ":0", ":bad"])


@given(
    scheme=st.sampled_from(["http", "https", "HTTP", "ftp", ""]),
    host=_HOSTS,
    port=_PORTS,
    rest=st.text(alphabet="/?&=#;.%aZ9 \t", max_size=12),
)
def test_host_of_is_the_netloc_of_the_canonical_url(
    scheme: str, host: str, port: str, rest: str
) -> None:
    # host_of computes the canonical authority once per origin (it runs several times
    # per request); it must stay what canonicalising the whole URL gives.
    url = f"{scheme}://{host}{port}{rest}" if scheme else f"{host}{port}{rest}"
    assert host_of(url) == urlsplit(canonicalize(url)).netloc
