"""The demo HTTP server: a real stdlib ThreadingHTTPServer in front of a DemoSite.

Part of demo (composition root side). The demo command, the integration
tests and the benchmarks crawl it over real HTTP. It adds what a site model does
not know: robots.txt, conditional GET (strong ETag + Last-Modified → 304), HEAD,
optional gzip, fault switches and a thread-safe log of every request so tests can
count requests and check crawl politeness.
"""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from demo.faults import LOOP, Faults, garble, oversized_chunks
from demo.model import DemoSite, Resource, split_target

GZIP_MIN = 1024


@dataclass(frozen=True, kw_only=True)
class RequestRecord:
    method: str
    path: str  # the request target, query included
    status: int
    if_none_match: str | None
    if_modified_since: str | None
    user_agent: str | None
    time: float  # time.monotonic() when the request arrived


@dataclass(kw_only=True)
class RunningSite:
    """A site being served; a context manager that stops the server on exit."""

    base_url: str
    site: DemoSite
    faults: Faults
    requests: list[RequestRecord] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def requests_for(self, path: str) -> list[RequestRecord]:
        return [r for r in list(self.requests) if r.path == path]

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> RunningSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the server must not be the benchmark's bottleneck
    disable_nagle_algorithm = True  # headers and body are separate writes: avoid 40 ms ACK stalls
    server_version = "Apache/2.2.16 (Debian)"
    sys_version = ""
    running: RunningSite
    politeness: bool

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests read RunningSite.requests instead of stderr noise

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _record(self, status: int) -> None:
        self.running.requests.append(  # list.append is atomic under the GIL
            RequestRecord(
                method=self.command,
                path=self.path,
                status=status,
                if_none_match=self.headers.get("If-None-Match"),
                if_modified_since=self.headers.get("If-Modified-Since"),
                user_agent=self.headers.get("User-Agent"),
                time=self._arrived,
            )
        )

    def _serve(self, *, head: bool) -> None:
        self._arrived = time.monotonic()
        faults = self.running.faults
        target = self.path
        keys = (target, split_target(target)[0])
        if any(k in faults.slow for k in keys):
            time.sleep(faults.slow_seconds)
        if faults.take_throttle(*keys):
            return self._simple(429, head, {"Retry-After": str(faults.retry_after)})
        for switch, status in (
            (faults.not_found, 404),
            (faults.gone, 410),
            (faults.server_error, 500),
        ):
            if any(k in switch for k in keys):
                return self._simple(status, head)
        location = next(
            (faults.redirects[k] for k in keys if k in faults.redirects), None
        ) or LOOP.get(keys[1])
        if location:
            return self._simple(302, head, {"Location": location})
        if any(k in faults.oversized for k in keys):
            return self._oversized(head, faults.oversized_bytes)
        site = self.running.site
        if keys[1] == "/robots.txt":
            resource: Resource | None = Resource(
                content_type="text/plain", body=site.robots_txt(politeness=self.politeness).encode()
            )
        else:
            resource = site.lookup(target)
        if resource is None:
            return self._simple(404, head)
        if any(k in faults.malformed for k in keys):
            resource = Resource(status=resource.status, content_type=resource.content_type,
                                body=garble(resource.body), cacheable=False)  # fmt: skip
        self._send(resource, head)

    def _send(self, res: Resource, head: bool) -> None:
        headers = dict(res.headers)
        headers["Content-Type"] = res.content_type
        body = res.body
        if res.cacheable and res.status == 200:
            etag = res.etag
            headers["ETag"] = etag
            modified = res.last_modified_utc()
            if modified is not None:
                headers["Last-Modified"] = format_datetime(modified, usegmt=True)
            if self._not_modified(etag, modified):
                self._record(304)
                self.send_response(304)
                for name in ("ETag", "Last-Modified"):
                    if name in headers:
                        self.send_header(name, headers[name])
                self.end_headers()
                return
        if self._wants_gzip(res):
            body = _gzipped(res)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        self._record(res.status)
        self.send_response(res.status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _not_modified(self, etag: str, modified: Any) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return "*" in tags or etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims is None or modified is None:
            return False
        try:
            return bool(modified <= parsedate_to_datetime(ims))
        except (TypeError, ValueError):
            return False

    def _wants_gzip(self, res: Resource) -> bool:
        accept = self.headers.get("Accept-Encoding", "")
        textual = res.content_type.startswith(("text/", "application/xml", "application/atom"))
        return "gzip" in accept and textual and len(res.body) >= GZIP_MIN

    def _simple(self, status: int, head: bool, headers: dict[str, str] | None = None) -> None:
        body = f"<html><body><h1>{status}</h1></body></html>".encode()
        self._record(status)
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _oversized(self, head: bool, total: int) -> None:
        self._record(200)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(total))
        self.end_headers()
        if head:
            return
        try:
            for chunk in oversized_chunks(total):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the crawler gave up at its size cap: expected


def _gzipped(res: Resource) -> bytes:
    # Compressed once per cached resource; a benign race may compress twice.
    if res.gzipped is None:
        res.gzipped = gzip.compress(res.body, compresslevel=5, mtime=0)
    return res.gzipped


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def serve(
    site: DemoSite, *, host: str = "127.0.0.1", port: int = 0, politeness: bool = True
) -> RunningSite:
    """Start serving ``site`` in a background thread; ``politeness=False`` drops Crawl-delay."""
    handler: type[_Handler] = type("DemoHandler", (_Handler,), {"politeness": politeness})
    server = _Server((host, port), handler)
    bound_host, bound_port = server.server_address[:2]
    base_url = f"http://{bound_host!s}:{bound_port}"
    running = RunningSite(base_url=base_url, site=site, faults=Faults())
    handler.running = running
    site.set_base_url(running.base_url)
    thread = threading.Thread(target=server.serve_forever, name=f"demo-{site.name}", daemon=True)
    running._server, running._thread = server, thread
    thread.start()
    return running
