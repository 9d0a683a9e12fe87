"""The polite fetcher against real HTTP: the eKIC demo site (demo) and, for the
in-flight counter, a tiny stdlib server. Assertions are about behaviour read from the
server's own request log (order, spacing, counts), never about how fast we were."""

from __future__ import annotations

import contextlib
import itertools
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import trustme

from core.errors import BlockedError, FetchError, GoneError, TransientFetchError
from crawler.fetch import Fetcher
from demo.ekic import EkicSite
from demo.model import Entry
from demo.server import RunningSite, serve

UA = "KennisbrugBot/0.1 (+mailto:beheer@kennisbrug.example)"
ARTICLE = "/artikel.php?id=2"


def _entries() -> list[Entry]:
    return [
        Entry(
            key=str(i),
            kind="artikel",
            title=f"Leesclub organiseren, deel {i}",
            theme="leesbevordering",
            tags=("leesclub",),
            published=datetime(2010, 11, i),
            paragraphs=["Efficiënter samenwerken tussen Cubiss en Bibliotheekhuis."],
        )
        for i in range(1, 4)
    ]


def _serve(*, crawl_delay: float | None, politeness: bool) -> Iterator[RunningSite]:
    with serve(EkicSite(_entries(), crawl_delay=crawl_delay), politeness=politeness) as running:
        yield running


@pytest.fixture
def site() -> Iterator[RunningSite]:
    """The eKIC demo without Crawl-delay, so tests that are not about pacing run at once."""
    yield from _serve(crawl_delay=None, politeness=False)


@pytest.fixture
def slow_site() -> Iterator[RunningSite]:
    """The eKIC demo with its robots.txt Crawl-delay of 1 second."""
    yield from _serve(crawl_delay=1, politeness=True)


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(user_agent=UA, timeout=5, jitter=lambda: 0.0) as f:
        yield f


def _page_requests(running: RunningSite) -> list[Any]:
    return [r for r in list(running.requests) if r.path != "/robots.txt"]


def test_plain_fetch_sends_user_agent_everywhere(site: RunningSite, fetcher: Fetcher) -> None:
    page = fetcher.fetch(site.base_url + ARTICLE)
    assert page.status == 200
    assert page.url == page.requested_url == site.base_url + ARTICLE
    assert page.content_type == "text/html"
    assert page.charset == "windows-1252"
    assert "Efficiënter".encode("cp1252") in page.content
    assert page.etag and page.last_modified
    assert [r.path for r in site.requests] == ["/robots.txt", ARTICLE]
    assert {r.user_agent for r in site.requests} == {UA}


def test_robots_disallow_is_respected(site: RunningSite, fetcher: Fetcher) -> None:
    assert not fetcher.allowed(site.base_url + "/beheer/")
    assert fetcher.allowed(site.base_url + ARTICLE)
    with pytest.raises(BlockedError, match=r"robots\.txt"):
        fetcher.fetch(site.base_url + "/beheer/")
    assert _page_requests(site) == []  # never asked for the forbidden page
    assert len(site.requests_for("/robots.txt")) == 1  # fetched once, then cached


def test_crawl_delay_spaces_requests(slow_site: RunningSite, fetcher: Fetcher) -> None:
    for i in (1, 2, 3):
        fetcher.fetch(f"{slow_site.base_url}/artikel.php?id={i}")
    arrivals = [r.time for r in slow_site.requests]
    assert len(arrivals) == 4  # robots.txt + three pages
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert all(gap >= 1.0 for gap in gaps), gaps


def test_crawl_delay_holds_across_threads(slow_site: RunningSite, fetcher: Fetcher) -> None:
    urls = [f"{slow_site.base_url}/artikel.php?id={i}" for i in (1, 2, 3)]
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(fetcher.fetch, urls))
    arrivals = sorted(r.time for r in slow_site.requests)
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert all(gap >= 1.0 for gap in gaps), gaps


def test_429_retry_after_is_honoured_then_succeeds(site: RunningSite, fetcher: Fetcher) -> None:
    site.faults.throttle[ARTICLE] = 2
    site.faults.retry_after = 1
    page = fetcher.fetch(site.base_url + ARTICLE)
    assert page.status == 200
    hits = site.requests_for(ARTICLE)
    assert [r.status for r in hits] == [429, 429, 200]
    assert all(b.time - a.time >= 1.0 for a, b in itertools.pairwise(hits))
    assert fetcher.stats.retries == 2


def test_429_gives_up_after_max_retries(site: RunningSite) -> None:
    site.faults.throttle[ARTICLE] = 10
    site.faults.retry_after = 0
    fetcher = Fetcher(user_agent=UA, max_retries=1, backoff_base=0.05, jitter=lambda: 0.0)
    with fetcher as f, pytest.raises(TransientFetchError) as caught:
        f.fetch(site.base_url + ARTICLE)
    assert caught.value.status == 429
    assert len(site.requests_for(ARTICLE)) == 2


def test_slow_page_times_out(site: RunningSite) -> None:
    site.faults.slow.add(ARTICLE)
    site.faults.slow_seconds = 2.0
    with Fetcher(user_agent=UA, timeout=0.3) as f:
        with pytest.raises(TransientFetchError, match="timed out") as failed:
            f.fetch(site.base_url + ARTICLE)
        assert f.stats.timeouts == 1
    assert failed.value.code == {"code": "fetch_timeout", "seconds": 0.3}


def test_redirect_chain_is_followed_and_recorded(site: RunningSite, fetcher: Fetcher) -> None:
    page = fetcher.fetch(site.base_url + "/oud/artikel.asp?id=2")
    assert page.url == site.base_url + ARTICLE
    assert page.requested_url == site.base_url + "/oud/artikel.asp?id=2"
    assert page.redirects == (site.base_url + "/artikel.php?id=2&ref=oud", page.url)
    assert [r.status for r in _page_requests(site)] == [301, 302, 200]


def test_redirect_loop_is_blocked(site: RunningSite, fetcher: Fetcher) -> None:
    with pytest.raises(BlockedError, match="redirect loop"):
        fetcher.fetch(site.base_url + "/redirect-loop/a")
    assert len(_page_requests(site)) == 2  # a -> b, then b -> a is recognised


def test_too_many_hops_is_blocked(site: RunningSite) -> None:
    site.faults.redirects.update({f"/hop{i}": f"/hop{i + 1}" for i in range(10)})
    with (
        Fetcher(user_agent=UA, max_redirects=3) as f,
        pytest.raises(BlockedError, match="more than 3 redirects"),
    ):
        f.fetch(site.base_url + "/hop0")
    assert len(_page_requests(site)) == 4


def test_redirect_to_disallowed_page_is_blocked(site: RunningSite, fetcher: Fetcher) -> None:
    site.faults.redirects["/naar-beheer"] = "/beheer/"
    with pytest.raises(BlockedError, match=r"robots\.txt"):
        fetcher.fetch(site.base_url + "/naar-beheer")
    assert [r.path for r in _page_requests(site)] == ["/naar-beheer"]


def test_oversized_page_is_blocked_without_reading_it(site: RunningSite) -> None:
    site.faults.oversized.add("/groot.php")
    with Fetcher(user_agent=UA, max_bytes=1_000_000) as f:
        with pytest.raises(BlockedError, match="exceeds the cap"):
            f.fetch(site.base_url + "/groot.php")
        assert f.stats.bytes < 1_000_000


def test_oversized_page_without_length_stops_at_the_cap() -> None:
    with (
        _counting_server(body_size=8 * 1024 * 1024, send_length=False) as server,
        Fetcher(user_agent=UA, max_bytes=200_000, respect_robots=False) as f,
    ):
        with pytest.raises(BlockedError, match="exceeds the cap"):
            f.fetch(server.url("/groot"))
        assert f.stats.bytes < 8 * 1024 * 1024


def test_malformed_page_still_returns_bytes(site: RunningSite, fetcher: Fetcher) -> None:
    site.faults.malformed.add(ARTICLE)
    page = fetcher.fetch(site.base_url + ARTICLE)
    assert page.status == 200
    assert b"\x00" in page.content  # the junk comes through; extraction decides what to keep


def test_conditional_get_gives_304(site: RunningSite, fetcher: Fetcher) -> None:
    first = fetcher.fetch(site.base_url + ARTICLE)
    again = fetcher.fetch(site.base_url + ARTICLE, etag=first.etag)
    assert again.status == 304 and again.not_modified
    assert again.content == b""
    assert again.etag == first.etag
    by_date = fetcher.fetch(site.base_url + ARTICLE, last_modified=first.last_modified)
    assert by_date.status == 304
    hits = site.requests_for(ARTICLE)
    assert hits[1].if_none_match == first.etag
    assert hits[2].if_modified_since == first.last_modified
    assert fetcher.stats.not_modified == 2


@pytest.mark.parametrize(("status", "switch"), [(404, "not_found"), (410, "gone")])
def test_404_and_410_are_gone(
    site: RunningSite, fetcher: Fetcher, status: int, switch: str
) -> None:
    getattr(site.faults, switch).add(ARTICLE)
    with pytest.raises(GoneError) as caught:
        fetcher.fetch(site.base_url + ARTICLE)
    assert caught.value.status == status
    assert caught.value.url == site.base_url + ARTICLE


def test_500_is_transient_and_not_retried(site: RunningSite, fetcher: Fetcher) -> None:
    site.faults.server_error.add(ARTICLE)
    with pytest.raises(TransientFetchError) as caught:
        fetcher.fetch(site.base_url + ARTICLE)
    assert caught.value.status == 500
    assert len(site.requests_for(ARTICLE)) == 1


def test_robots_unreachable_means_not_now(site: RunningSite, fetcher: Fetcher) -> None:
    site.faults.server_error.add("/robots.txt")
    assert not fetcher.allowed(site.base_url + ARTICLE)
    with pytest.raises(TransientFetchError, match=r"robots\.txt unreachable"):
        fetcher.fetch(site.base_url + ARTICLE)
    assert _page_requests(site) == []


def test_robots_missing_means_allow_all(site: RunningSite, fetcher: Fetcher) -> None:
    site.faults.not_found.add("/robots.txt")
    assert fetcher.fetch(site.base_url + "/beheer/").status == 200


def test_non_http_url_is_blocked(fetcher: Fetcher) -> None:
    with pytest.raises(BlockedError, match="not an http"):
        fetcher.fetch("ftp://127.0.0.1/bestand.pdf")


def test_connection_refused_is_transient() -> None:
    with Fetcher(user_agent=UA, respect_robots=False) as f, pytest.raises(TransientFetchError):
        f.fetch("http://127.0.0.1:9/")  # discard port: nothing listens


@contextmanager
def _hanging_up_server() -> Iterator[str]:
    """Accepts each connection, reads the request, and closes without a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/pagina"
    finally:
        stop.set()
        listener.close()


def test_an_unreachable_robots_txt_says_why_in_a_code() -> None:
    with Fetcher(user_agent=UA) as f, pytest.raises(TransientFetchError) as failed:
        f.fetch("http://127.0.0.1:9/pagina")  # robots.txt first: nothing listens
    assert failed.value.code == {
        "code": "robots_unreachable", "detail": {"code": "fetch_refused"}
    }  # fmt: skip


@pytest.mark.parametrize("kind", ["fetch_refused", "fetch_name", "fetch_dropped"])
def test_network_failures_carry_a_code_the_admin_pages_translate(kind: str) -> None:
    """The job page shows why a URL failed in the admin's language, not urllib3's English."""
    with contextlib.ExitStack() as stack:
        url = {
            "fetch_refused": lambda: "http://127.0.0.1:9/pagina",  # nothing listens
            "fetch_name": lambda: "http://kennisbrug-test.invalid/pagina",  # never resolves
            "fetch_dropped": lambda: stack.enter_context(_hanging_up_server()),
        }[kind]()
        f = stack.enter_context(Fetcher(user_agent=UA, respect_robots=False, timeout=5))
        with pytest.raises(TransientFetchError) as failed:
            f.fetch(url)
        assert f.stats.timeouts == 0  # none of these is a timeout (urllib3 says so for two)
    assert failed.value.code == {"code": kind}
    assert str(failed.value)  # the English detail stays for the CLI and the logs


def test_other_4xx_is_a_plain_fetch_error() -> None:
    with (
        _counting_server(status=403) as server,
        Fetcher(user_agent=UA, respect_robots=False) as f,
        pytest.raises(FetchError) as caught,
    ):
        f.fetch(server.url("/geheim"))
    assert type(caught.value) is FetchError and caught.value.status == 403


# -- per-host concurrency, counted by the server itself ------------------------------


class _CountingServer:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}{path}"


class _counting_server:
    """A stdlib server that counts requests in flight; each answer takes ``hold`` seconds."""

    def __init__(
        self, *, hold: float = 0.0, status: int = 200, body_size: int = 10, send_length: bool = True
    ) -> None:
        self.hold, self.status, self.body_size, self.send_length = (
            hold,
            status,
            body_size,
            send_length,
        )

    def __enter__(self) -> _CountingServer:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                with state.lock:
                    state.in_flight += 1
                    state.max_in_flight = max(state.max_in_flight, state.in_flight)
                try:
                    time.sleep(outer.hold)
                    self.send_response(outer.status)
                    self.send_header("Content-Type", "text/html")
                    if outer.send_length:
                        self.send_header("Content-Length", str(outer.body_size))
                    self.end_headers()
                    self._write_body()
                finally:
                    with state.lock:
                        state.in_flight -= 1

            def _write_body(self) -> None:
                chunk = b"x" * 65536
                left = outer.body_size
                try:
                    while left > 0:
                        self.wfile.write(chunk[: min(left, len(chunk))])
                        left -= len(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading at its cap

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        state = _CountingServer(server)
        self.state = state
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()
        return state

    def __exit__(self, *exc: object) -> None:
        self.state.server.shutdown()
        self.state.server.server_close()
        self.thread.join(timeout=5)


@pytest.mark.parametrize("limit", [1, 2])
def test_per_host_concurrency_is_bounded(limit: int) -> None:
    with _counting_server(hold=0.2) as server:
        with Fetcher(user_agent=UA, per_host_concurrency=limit, respect_robots=False) as f:
            urls = [server.url(f"/pagina/{i}") for i in range(8)]
            with ThreadPoolExecutor(8) as pool:
                pages = list(pool.map(f.fetch, urls))
        assert all(p.status == 200 for p in pages)
        assert server.max_in_flight <= limit
        assert server.max_in_flight == limit  # the limit is used, not just respected


def test_proxy_from_the_environment_is_used_and_no_proxy_honoured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The session does not re-read the environment per request (trust_env off, for
    # speed); the proxy settings still apply, read once per origin.
    from tests.faultsite import FaultSite, Scenario, page

    with FaultSite(Scenario(fallback=page("Via de proxy"))) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.base_url)
        monkeypatch.setenv("NO_PROXY", "direct.kennis.example")
        with Fetcher(user_agent=UA, respect_robots=False, max_retries=0) as f:
            page_ = f.fetch("http://proxied.kennis.example/artikel")
            with pytest.raises(TransientFetchError):
                f.fetch("http://direct.kennis.example/artikel")  # no such host: not proxied
    assert b"Via de proxy" in page_.content
    assert [h.target for h in proxy.hits] == ["http://proxied.kennis.example/artikel"]


class _TrickleHandler(BaseHTTPRequestHandler):
    """Sends a page one small piece every 0.05 s for ten minutes, in the transfer mode
    named by the path: /length (Content-Length), /chunked, /close (until EOF)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        pieces = 12_000
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if self.path == "/length":
            self.send_header("Content-Length", str(pieces * 8))
        elif self.path == "/chunked":
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        try:
            for _ in range(pieces):
                piece = b"<p>x</p>"
                if self.path == "/chunked":
                    piece = b"8\r\n" + piece + b"\r\n"
                self.wfile.write(piece)
                self.wfile.flush()
                time.sleep(0.05)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the fetcher hung up at its deadline


@pytest.mark.timeout(60)  # without the deadline each fetch would take ten minutes
@pytest.mark.parametrize("mode", ["length", "chunked", "close"])
def test_body_deadline_holds_in_every_transfer_mode(mode: str) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TrickleHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        with (
            Fetcher(user_agent=UA, timeout=0.5, respect_robots=False) as f,
            pytest.raises(TransientFetchError, match=r"still arriving after 1\.5s"),
        ):
            f.fetch(f"http://{host!s}:{port}/{mode}")
    finally:
        server.shutdown()
        server.server_close()


class _TlsHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    paths: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        type(self).paths.append(self.path)
        body = b"<html><body><p>Over TLS</p></body></html>" if self.path == "/pagina" else b""
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_tls_certificates_are_verified_against_the_configured_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Pages go through urllib3's pools and robots.txt through a requests session: both
    # refuse a certificate no trusted CA signed, and both trust REQUESTS_CA_BUNDLE.
    ca = trustme.CA()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TlsHandler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"https://127.0.0.1:{server.server_address[1]}/pagina"
    try:
        monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
        monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
        with (
            Fetcher(user_agent=UA, respect_robots=False) as f,
            pytest.raises(TransientFetchError, match="CERTIFICATE_VERIFY_FAILED") as failed,
        ):
            f.fetch(url)
        assert failed.value.code == {"code": "fetch_tls"}
        assert _TlsHandler.paths == []  # refused at the handshake
        bundle = tmp_path / "ca.pem"
        ca.cert_pem.write_to_path(str(bundle))
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
        with Fetcher(user_agent=UA) as f:
            page = f.fetch(url)
        assert page.status == 200 and b"Over TLS" in page.content
        assert _TlsHandler.paths == ["/robots.txt", "/pagina"]
    finally:
        server.shutdown()
        server.server_close()
