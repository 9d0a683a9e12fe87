"""Pure pieces of issue #13's hardening: client address, CSV cells, result links, backoff."""

from __future__ import annotations

import pytest

from search_ui.formats import _cell
from search_ui.results import is_web_url
from search_ui.security import client_address, parse_networks


def scope(peer: str, forwarded: str | None = None) -> dict[str, object]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return {"client": (peer, 1234), "headers": headers}


def test_forwarded_for_counts_only_from_trusted_proxies() -> None:
    trusted = parse_networks("10.0.0.1, 192.168.0.0/16")
    assert client_address(scope("203.0.113.5", "1.2.3.4"), trusted) == "203.0.113.5"
    assert client_address(scope("10.0.0.1", "1.2.3.4"), trusted) == "1.2.3.4"
    # A client-written prefix is skipped: the first untrusted hop from the right counts.
    assert client_address(scope("10.0.0.1", "6.6.6.6, 1.2.3.4, 192.168.1.2"), trusted) == "1.2.3.4"
    assert client_address(scope("10.0.0.1", "not-an-ip"), trusted) == "10.0.0.1"
    assert client_address(scope("10.0.0.1"), trusted) == "10.0.0.1"
    assert client_address(scope("127.0.0.1", "1.2.3.4"), parse_networks("")) == "127.0.0.1"


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", " =1", "\u00a0=1", "＝1+1",
     "＋1", "－1", "＠x", "\u3000=1", "\x00=1"],
)  # fmt: skip
def test_every_formula_starting_form_is_neutralised(value: str) -> None:
    assert _cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Leesclub", "2010 jaarverslag", "", "€ 5", "'al"])
def test_ordinary_cells_stay_as_they_are(value: str) -> None:
    assert _cell(value) == value


def test_only_http_and_https_urls_become_links() -> None:
    assert is_web_url("https://ekic.example/a") and is_web_url("HTTP://x.example/")
    for bad in ("javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:x", "data:text/html,x",
                "vbscript:x", "//evil.example", "/relatief", "", " http://x"):  # fmt: skip
        assert not is_web_url(bad), bad
