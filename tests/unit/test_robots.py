"""robots.txt policy (crawler.robots): status handling, agent matching, caching."""

from __future__ import annotations

import pytest

from crawler.robots import RobotsCache, RobotsState, agent_token, rules_from_response

ROBOTS = b"User-agent: *\nDisallow: /beheer/\nCrawl-delay: 2\nSitemap: http://e.nl/sitemap.xml\n"


def test_agent_token() -> None:
    assert agent_token("KennisbrugBot/0.1 (+mailto:beheer@kennisbrug.example)") == "KennisbrugBot"


@pytest.mark.parametrize(
    ("status", "state", "allowed"),
    [
        (200, RobotsState.PARSED, False),
        (404, RobotsState.ALLOW_ALL, True),
        (410, RobotsState.ALLOW_ALL, True),
        (403, RobotsState.ALLOW_ALL, True),
        (429, RobotsState.UNREACHABLE, False),
        (500, RobotsState.UNREACHABLE, False),
        (503, RobotsState.UNREACHABLE, False),
    ],
)
def test_status_policy(status: int, state: RobotsState, allowed: bool) -> None:
    rules = rules_from_response(status, ROBOTS, now=0.0)
    assert rules.state is state
    assert rules.allows("http://e.nl/beheer/x", "KennisbrugBot") is allowed


def test_parsed_rules_give_delay_and_sitemaps() -> None:
    rules = rules_from_response(200, ROBOTS, now=0.0)
    assert rules.allows("http://e.nl/artikel.php?id=1", "KennisbrugBot")
    assert rules.crawl_delay("KennisbrugBot") == 2.0
    assert rules.sitemaps() == ["http://e.nl/sitemap.xml"]


def test_cache_downloads_once_and_retries_unreachable_later() -> None:
    now = [0.0]
    answers = [(503, b""), (200, ROBOTS)]
    asked: list[str] = []

    def download(url: str) -> tuple[int, bytes]:
        asked.append(url)
        return answers.pop(0)

    cache = RobotsCache("KennisbrugBot/0.1", download, clock=lambda: now[0], unreachable_ttl=60)
    assert not cache.allowed("http://e.nl/a")
    assert not cache.allowed("http://e.nl/b")  # still unreachable, not asked again
    now[0] = 61.0
    assert cache.allowed("http://e.nl/a")
    assert not cache.allowed("http://e.nl/beheer/")
    assert asked == ["http://e.nl/robots.txt"] * 2


def test_network_error_means_unreachable() -> None:
    def download(url: str) -> tuple[int, bytes]:
        raise ConnectionRefusedError("nobody home")

    cache = RobotsCache("KennisbrugBot/0.1", download)
    rules = cache.rules_for("http://e.nl/")
    assert rules.state is RobotsState.UNREACHABLE
    assert "ConnectionRefusedError" in rules.reason
