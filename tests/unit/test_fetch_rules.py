"""The fetcher's pure decisions: is this body a document, which X-Robots-Tag applies."""

from __future__ import annotations

import pytest

from crawler.fetch import sniff
from crawler.fetched import robots_directives


@pytest.mark.parametrize(
    ("content_type", "first"),
    [
        ("text/html", b"<!DOCTYPE html><html>"),
        ("application/pdf", b"%PDF-1.4"),
        ("application/octet-stream", b"%PDF-1.7 ..."),  # a PDF behind a vague type
        ("", b"\n  <html lang='nl'>"),
        ("application/octet-stream", b"\xef\xbb\xbf<!doctype html>"),
        ("text/plain", b"<html><body>"),  # a misconfigured server
    ],
)
def test_documents_are_read(content_type: str, first: bytes) -> None:
    assert sniff(content_type, first) is None


@pytest.mark.parametrize(
    ("content_type", "first"),
    [
        ("image/jpeg", b"\xff\xd8\xff\xe0"),
        ("application/zip", b"PK\x03\x04"),
        ("application/octet-stream", b"\x7fELF\x02\x01"),
        ("text/html", b"\x89PNG\r\n\x1a\n"),  # the header lies, the bytes do not
        ("", b"GIF89a"),
        ("text/plain", b"gewoon wat tekst"),
        ("application/vnd.ms-excel", b"\xd0\xcf\x11\xe0"),
    ],
)
def test_non_documents_are_skipped(content_type: str, first: bytes) -> None:
    assert sniff(content_type, first)


def test_x_robots_tag_for_us_and_for_everyone() -> None:
    agent = "KennisbrugBot"
    assert robots_directives("noindex, nofollow", agent) == {"noindex", "nofollow"}
    assert robots_directives("KennisbrugBot: noindex", agent) == {"noindex"}
    assert robots_directives("googlebot: noindex", agent) == frozenset()
    assert robots_directives("noarchive, googlebot: noindex, nofollow", agent) == {"noarchive"}
    assert robots_directives("unavailable_after: 25 Jun 2010 15:00:00 PST", agent) == {
        "unavailable_after"
    }
    assert robots_directives(None, agent) == frozenset()
