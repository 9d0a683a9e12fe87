"""Integration tests: both demo sites served over real HTTP on port 0."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pypdf
import pytest
import requests

from demo import RunningSite, build_bnbibliotheek, build_ekic, serve


@pytest.fixture()
def ekic() -> Iterator[RunningSite]:
    with serve(build_ekic(crawl_delay=0.2)) as running:
        yield running


@pytest.fixture()
def bnb() -> Iterator[RunningSite]:
    with serve(build_bnbibliotheek()) as running:
        yield running


def get(site: RunningSite, path: str, **kw: object) -> requests.Response:
    return requests.get(site.base_url + path, timeout=10, **kw)  # type: ignore[arg-type]


def test_robots_txt(ekic: RunningSite, bnb: RunningSite) -> None:
    text = get(ekic, "/robots.txt").text
    assert "Disallow: /beheer/" in text and "Disallow: /zoeken.php" in text
    assert "Crawl-delay: 0.2" in text
    assert "Disallow: /search" in get(bnb, "/robots.txt").text


def test_sitemap_and_feed(ekic: RunningSite, bnb: RunningSite) -> None:
    sitemap = get(ekic, "/sitemap.xml").text
    assert f"<loc>{ekic.base_url}/artikel.php?id=2</loc><lastmod>" in sitemap
    assert get(bnb, "/sitemap.xml").status_code == 404
    feed = get(bnb, "/feeds/posts/default").text
    assert "<updated>" in feed and "rel='next'" in feed


def test_conditional_get_and_head(ekic: RunningSite) -> None:
    first = get(ekic, "/artikel.php?id=2")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert get(ekic, "/artikel.php?id=2", headers={"If-None-Match": etag}).status_code == 304
    assert (
        get(ekic, "/artikel.php?id=2", headers={"If-Modified-Since": modified}).status_code == 304
    )
    head = requests.head(ekic.base_url + "/artikel.php?id=2", timeout=10)
    assert head.status_code == 200 and head.headers["ETag"] == etag and head.content == b""
    ekic.site.edit_page("/artikel.php?id=2", "Gewijzigde tekst.")
    again = get(ekic, "/artikel.php?id=2", headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag
    records = ekic.requests_for("/artikel.php?id=2")
    assert [r.status for r in records] == [200, 304, 304, 200, 200]
    assert records[1].if_none_match == etag


def test_redirect_chain_and_loop(ekic: RunningSite) -> None:
    res = get(ekic, "/oud/artikel.asp?id=7")
    assert [r.status_code for r in res.history] == [301, 302]
    assert res.url == ekic.base_url + "/artikel.php?id=7"
    with pytest.raises(requests.TooManyRedirects):
        get(ekic, "/redirect-loop/a")


def test_windows_1252_bytes(ekic: RunningSite) -> None:
    res = get(ekic, "/artikel.php?id=39", headers={"Accept-Encoding": "identity"})
    assert res.headers["Content-Type"] == "text/html; charset=windows-1252"
    assert "efficiënter".encode("cp1252") in res.content
    assert "efficiënter".encode() not in res.content


def test_pdf_attachment_text(ekic: RunningSite) -> None:
    res = get(ekic, "/bestanden/beleidsplan-2011.pdf")
    assert res.headers["Content-Type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(res.content)).pages[0].extract_text()
    assert "Beleidsplan 2011" in text and "efficiënter" in text


def test_status_faults(bnb: RunningSite) -> None:
    path = "/2010/11/samenwerking-cubiss-en-bibliotheekhuis.html"
    assert get(bnb, path).status_code == 200
    for switch, status in (
        (bnb.faults.not_found, 404),
        (bnb.faults.gone, 410),
        (bnb.faults.server_error, 500),
    ):
        switch.add(path)
        assert get(bnb, path).status_code == status
        switch.clear()
    bnb.site.delete_page(path, status=410)
    assert get(bnb, path).status_code == 410


def test_throttle_then_ok(bnb: RunningSite) -> None:
    bnb.faults.throttle["/"] = 2
    statuses = [get(bnb, "/") for _ in range(3)]
    assert [r.status_code for r in statuses] == [429, 429, 200]
    assert statuses[0].headers["Retry-After"] == "1"


def test_slow_malformed_oversized(bnb: RunningSite) -> None:
    bnb.faults.slow_seconds = 0.3
    bnb.faults.slow.add("/2010/")
    assert get(bnb, "/2010/").status_code == 200  # answered, only late
    bnb.faults.malformed.add("/2010/11/")
    body = get(bnb, "/2010/11/").content
    assert b"\x00" in body and not body.rstrip().endswith(b"</html>")
    bnb.faults.oversized_bytes = 3 * 1024 * 1024
    bnb.faults.oversized.add("/groot.html")
    with get(bnb, "/groot.html", stream=True) as res:
        assert int(res.headers["Content-Length"]) == 3 * 1024 * 1024
        assert len(next(res.iter_content(65536))) > 0


def test_linked_malformed_page_on_ekic(ekic: RunningSite) -> None:
    assert b"/archief.php?jaar=2008" in get(ekic, "/").content
    body = get(ekic, "/archief.php?jaar=2008").content
    assert b"\x00" in body


def test_gzip_when_asked(ekic: RunningSite) -> None:
    res = get(ekic, "/artikel.php?id=2", headers={"Accept-Encoding": "gzip"})
    assert res.headers.get("Content-Encoding") == "gzip" and b"Gepubliceerd" in res.content
