"""The fault-matrix HTTP server: a real ThreadingHTTPServer on 127.0.0.1 driven by a Scenario.

See the package docstring (tests.faultsite) for the API. Every request is logged
(run number, Host header, method, path, status, arrival time) before it is answered,
so an off-scope server's log proves that nothing reached it.
"""

from __future__ import annotations

import html
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True, kw_only=True)
class Request:
    """What a route sees: the request and the run it belongs to (0-based)."""

    run: int
    method: str
    path: str  # without the query
    target: str  # path plus query, as sent
    headers: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class Response:
    """One answer. ``chunks``/``chunk_delay`` trickle the body (with its full Content-Length);
    ``drop=True`` closes the connection without answering; ``delay`` waits before answering."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunks: int = 1
    chunk_delay: float = 0.0
    drop: bool = False
    etag: str | None = None  # answered with 304 when the request's If-None-Match matches


Route = Response | Callable[[Request], Response]


def page(
    title: str,
    text: str = "",
    *,
    links: tuple[str, ...] | list[str] = (),
    canonical: str | None = None,
    head: str = "",
    status: int = 200,
    etag: str | None = None,
    content_type: str = "text/html; charset=utf-8",
    headers: Mapping[str, str] | None = None,
) -> Response:
    """An HTML page the default profile reads: ``<main>`` holds the text, ``<nav>`` the links."""
    body_text = text or f"{title}: een pagina met genoeg tekst om als document te tellen."
    anchors = "".join(f'<li><a href="{html.escape(u)}">{html.escape(u)}</a></li>' for u in links)
    canon = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    doc = (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>{canon}{head}</head><body>"
        f'<nav id="menu"><ul>{anchors}</ul></nav>'
        f"<main><h1>{html.escape(title)}</h1><p>{html.escape(body_text)}</p></main>"
        f"</body></html>"
    )
    return Response(
        status=status,
        body=doc.encode("utf-8"),
        content_type=content_type,
        etag=etag,
        headers=dict(headers or {}),
    )


def status(code: int, **headers: str) -> Response:
    """A bare status answer (404, 410, 500, 503 with Retry-After ...)."""
    return Response(status=code, body=f"<html><body>{code}</body></html>".encode(), headers=headers)


def redirect(location: str, code: int = 302) -> Response:
    return Response(status=code, headers={"Location": location})


ROBOTS_ALLOW_ALL = Response(body=b"User-agent: *\nAllow: /\n", content_type="text/plain")
NOT_FOUND = status(404)


@dataclass
class Scenario:
    """Per-path routes (path without query, or the exact target with query, which wins);
    ``fallback`` answers everything else; ``robots`` answers /robots.txt unless a route does."""

    routes: Mapping[str, Route] = field(default_factory=dict)
    fallback: Route = NOT_FOUND
    robots: Route = ROBOTS_ALLOW_ALL

    def answer(self, request: Request) -> Response:
        route = self.routes.get(request.target) or self.routes.get(request.path)
        if route is None:
            route = self.robots if request.path == "/robots.txt" else self.fallback
        return route(request) if callable(route) else route

    def replace(self, routes: Mapping[str, Route] | None = None, **changes: Any) -> Scenario:
        """A copy with some routes replaced/added (and optionally fallback/robots)."""
        merged = {**self.routes, **(routes or {})}
        return Scenario(
            routes=merged,
            fallback=changes.get("fallback", self.fallback),
            robots=changes.get("robots", self.robots),
        )


@dataclass(frozen=True, kw_only=True)
class Hit:
    """One logged request."""

    run: int
    host: str  # the Host header as sent
    method: str
    target: str
    status: int  # 0 when the connection was dropped without an answer
    time: float  # time.monotonic() at arrival


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: FaultSite

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, *, head: bool) -> None:
        arrived = time.monotonic()
        site = self.site
        parts = urlsplit(self.path)
        request = Request(
            run=site.run,
            method=self.command,
            path=parts.path or "/",
            target=self.path,
            headers={k: v for k, v in self.headers.items()},
        )
        try:
            response = site.scenario.answer(request)
        except Exception as exc:  # a broken route is a test bug: make it loud, not a hang
            response = status(599)
            site.errors.append(f"{self.path}: {type(exc).__name__}: {exc}")
        code = response.status
        if response.etag and code == 200:
            inm = self.headers.get("If-None-Match", "")
            if response.etag in [t.strip() for t in inm.split(",")]:
                code = 304
        site.hits.append(
            Hit(
                run=site.run,
                host=self.headers.get("Host", ""),
                method=self.command,
                target=self.path,
                status=0 if response.drop else code,
                time=arrived,
            )
        )
        if response.delay:
            time.sleep(response.delay)
        if response.drop:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        body = b"" if code == 304 else response.body
        self.send_response(code)
        self.send_header("Content-Type", response.content_type)
        if response.etag:
            self.send_header("ETag", response.etag)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if head or not body:
            return
        try:
            self._write(body, response.chunks, response.chunk_delay)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the crawler gave up (deadline, cap): expected

    def _write(self, body: bytes, chunks: int, delay: float) -> None:
        size = max(1, -(-len(body) // max(1, chunks)))
        for start in range(0, len(body), size):
            if start and delay:
                time.sleep(delay)
            self.wfile.write(body[start : start + size])
            self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FaultSite:
    """A scenario served over real HTTP on 127.0.0.1 (port 0); a context manager.

    ``scenario`` may be swapped at any time (between runs); ``run`` is stamped on
    every logged hit; ``stop()``/``start()`` take the listener down and bring it back
    on the same port (connection refused in between)."""

    def __init__(self, scenario: Scenario | None = None, *, name: str = "site") -> None:
        self.scenario = scenario or Scenario()
        self.name = name
        self.run = 0
        self.hits: list[Hit] = []
        self.errors: list[str] = []  # exceptions raised by routes (a test bug)
        self.port = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> None:
        if self._server is not None:
            return
        handler = type(f"FaultHandler_{self.name}", (_Handler,), {"site": self})
        server = _Server(("127.0.0.1", self.port), handler)
        self.port = int(server.server_address[1])
        thread = threading.Thread(
            target=server.serve_forever, name=f"faultsite-{self.name}", daemon=True
        )
        self._server, self._thread = server, thread
        thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._server is not None

    def hits_in(self, run: int) -> list[Hit]:
        return [h for h in list(self.hits) if h.run == run]

    def hits_for(self, target: str) -> list[Hit]:
        """Hits whose target (path+query) or path equals ``target``."""
        return [
            h for h in list(self.hits) if h.target == target or h.target.split("?")[0] == target
        ]

    def __enter__(self) -> FaultSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
