"""The fault-matrix site itself: it logs every request, switches scenarios, refuses when down."""

from __future__ import annotations

import time

import pytest
import requests

from tests.faultsite import FaultSite, Request, Response, Scenario, page, redirect, status


def test_routes_log_and_switch() -> None:
    def by_run(request: Request) -> Response:
        return status(410) if request.run >= 1 else page("A")

    scenario = Scenario(routes={"/a": by_run, "/r?x=1": redirect("/a")})
    with FaultSite(scenario) as site:
        assert requests.get(site.url("/a"), timeout=5).status_code == 200
        assert requests.get(site.url("/nope"), timeout=5).status_code == 404
        assert requests.get(site.url("/r?x=1"), allow_redirects=False, timeout=5).status_code == 302
        assert requests.get(site.url("/r?x=2"), timeout=5).status_code == 404  # exact target only
        assert "Allow: /" in requests.get(site.url("/robots.txt"), timeout=5).text
        site.run = 1
        assert requests.get(site.url("/a"), timeout=5).status_code == 410
        site.scenario = Scenario(fallback=status(503, **{"Retry-After": "86400"}))
        answer = requests.get(site.url("/a"), timeout=5)
        assert (answer.status_code, answer.headers["Retry-After"]) == (503, "86400")
        assert [(h.run, h.target, h.status) for h in site.hits] == [
            (0, "/a", 200), (0, "/nope", 404), (0, "/r?x=1", 302), (0, "/r?x=2", 404),
            (0, "/robots.txt", 200), (1, "/a", 410), (1, "/a", 503),
        ]  # fmt: skip
        assert site.hits[0].host == f"127.0.0.1:{site.port}"
        assert len(site.hits_for("/a")) == 3


def test_etag_trickle_and_drop() -> None:
    body = b"x" * 40
    scenario = Scenario(
        routes={
            "/e": Response(body=b"<p>e</p>", etag='"v1"'),
            "/slow": Response(body=body, chunks=4, chunk_delay=0.05),
            "/drop": Response(drop=True),
        }
    )
    with FaultSite(scenario) as site:
        cached = requests.get(site.url("/e"), headers={"If-None-Match": '"v1"'}, timeout=5)
        assert cached.status_code == 304
        started = time.monotonic()
        slow = requests.get(site.url("/slow"), timeout=5)
        # three pauses between four chunks: the body trickles in after the headers
        assert slow.content == body and time.monotonic() - started >= 0.15
        with pytest.raises(requests.ConnectionError):
            requests.get(site.url("/drop"), timeout=5)
        assert site.hits[-1].status == 0


def test_stop_refuses_connections_and_start_reuses_the_port() -> None:
    with FaultSite(Scenario(routes={"/": page("Start")})) as site:
        port = site.port
        site.stop()
        with pytest.raises(requests.ConnectionError):
            requests.get(site.url("/"), timeout=2)
        site.start()
        assert site.port == port
        assert requests.get(site.url("/"), timeout=5).status_code == 200
