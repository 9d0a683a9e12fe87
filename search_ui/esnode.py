"""The search path's HTTP/1.1 connection to an Elasticsearch node, on asyncio and httptools.

``AsyncElasticsearch`` talks to each node through a *node class*; the default is
aiohttp's. Measured on the search path (bench/README.md, "Where the UI's overhead
goes"), aiohttp's general-purpose client machinery (request and response objects,
cookie and redirect handling, its own timers, a stream reader per response) cost more
CPU per search than everything else the app does. ``StreamHttpNode`` plugs in at the
transport's documented extension point and does only what this path needs:

* one keep-alive connection per request at a time, at most ``connections_per_node``
  open, the most recently used reused first (a warm socket);
* the request written in one ``write``; the answer parsed by httptools (the C parser
  uvicorn uses, already a dependency) straight into status, headers and body bytes;
* the request timeout as one deadline over the whole exchange (waiting for a free
  connection, connecting, sending, the answer); a connection whose exchange did not
  finish cleanly is closed, never reused. The common case, a warm connection free at
  once, waits for its answer under one timer the node shares between its exchanges,
  not under an ``asyncio.timeout`` of its own: arming and cancelling a timer for every
  request (uvloop's timer handles) cost about as much Python as the rest of the
  exchange; the rare rest (every connection busy, a new connection) uses
  ``asyncio.timeout_at`` for what is left of the same deadline;
* a kept-alive connection that the server closed between two searches (seen only
  when the request meets a closed socket, before any answer byte) is retried once on
  a fresh connection, as aiohttp does; every other failure goes to the transport,
  which marks the node dead and retries elsewhere by its own rules.

Everything else is the transport's, unchanged: node pool, dead-node backoff, retries,
serialisation, and TLS settings (the context is built by the aiohttp node's own
constructor, which this class inherits). Configurations this class does not speak
(request compression, certificate fingerprint pinning) use aiohttp as before.

Besides the transport's ``perform_request``, the node offers the search path's first
attempt a shorter way in (``prepare`` once, then ``send``; see ``search_ui.backend``):
a request's head depends only on the node, the method, the target and the headers, so
it is encoded once and kept, and the answer comes back as status, raw headers and body
bytes, without the ``HttpHeaders`` and ``ApiResponseMeta`` objects nobody reads when
the answer is a success. Both ways share one exchange, error mapping and request log.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from dataclasses import dataclass
from typing import Any, cast

import httptools
from elastic_transport import (
    AiohttpHttpNode,
    ApiResponseMeta,
    ConnectionError,
    ConnectionTimeout,
    HttpHeaders,
    NodeConfig,
    TlsError,
)

# Not exported by the package, but the return type every node class must produce.
from elastic_transport._node._base import NodeApiResponse
from elastic_transport.client_utils import DEFAULT, DefaultType

#: elastic-transport's request/response log (the one ``_log_request`` writes to).
_NODE_LOG = logging.getLogger("elastic_transport.node")
#: (status, headers, body, whether the connection may carry another request)
Exchange = tuple[int, list[tuple[str, str]], bytes, bool]
#: (status, headers as received, body, seconds from sending to the whole answer)
Sent = tuple[int, list[tuple[str, str]], bytes, float]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A request encoded once for one node (``StreamHttpNode.prepare``), to ``send`` again
    with any body."""

    node: StreamHttpNode
    method: str
    target: str
    #: What the node sends: its own headers under the request's (for the request log).
    headers: HttpHeaders
    #: The request line and the header lines, without the content length and blank line.
    head: bytes
    #: Whether a content-length line goes with it even without a body (as in ``_encode``).
    sized: bool


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection; one request at a time."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self._waiter: asyncio.Future[Exchange] | None = None
        self._headers: list[tuple[str, str]] = []
        self._body: list[bytes] = []
        self._head = False
        self.closed = False
        #: Whether any byte of the current answer arrived (a retry is safe only before).
        self.answering = False
        #: When the current exchange times out (loop time; see StreamHttpNode._send_by).
        self.deadline = 0.0

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        # A clean close before the answer is still a reset from the caller's point of view.
        self._fail(
            exc if exc is not None else ConnectionResetError("the server closed the connection")
        )

    def data_received(self, data: bytes) -> None:
        self.answering = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(exc)
            self.close()

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        if self._head:  # no body follows; the connection is not reused (see send)
            self._finish(keep=False)

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        if not self._head:
            self._finish(keep=self._parser.should_keep_alive())

    # ours
    def send(self, data: bytes, *, head: bool) -> asyncio.Future[Exchange]:
        assert self.transport is not None
        self._headers, self._body, self._head, self.answering = [], [], head, False
        self._waiter = self._loop.create_future()
        self.transport.write(data)
        return self._waiter

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def expire(self) -> None:
        """The deadline passed: the exchange fails as ``asyncio.timeout`` would fail it."""
        self._fail(TimeoutError())
        self.close()

    def _finish(self, *, keep: bool) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            body = b"".join(self._body)
            waiter.set_result((self._parser.get_status_code(), self._headers, body, keep))

    def _fail(self, exc: BaseException) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)


class StreamHttpNode(AiohttpHttpNode):
    """An ``AsyncElasticsearch`` node class: HTTP/1.1 keep-alive on asyncio + httptools."""

    def __init__(self, config: NodeConfig) -> None:
        super().__init__(config)
        self._idle: list[_Connection] = []
        self._slots: asyncio.Semaphore | None = None
        #: Connections whose answer is awaited under ``_timer`` (see ``_send_by``).
        self._timed: set[_Connection] = set()
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0
        self._host_header = f"{self.host}:{self.port}" if self.port is not None else self.host
        self._use_aiohttp = bool(self._http_compress or self._ssl_assert_fingerprint)
        self._base_url = super().base_url

    @property
    def base_url(self) -> str:
        # The transport reads it on every request (twice); the library's property joins
        # the string anew each time, from parts that never change after __init__.
        return self._base_url

    @property
    def direct(self) -> bool:
        """Whether ``prepare``/``send`` serve this node (else only ``perform_request``)."""
        return not self._use_aiohttp

    async def perform_request(  # type: ignore[override]
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        headers: HttpHeaders | None = None,
        request_timeout: DefaultType | float | None = DEFAULT,
    ) -> NodeApiResponse:
        if self._use_aiohttp:
            return await super().perform_request(method, target, body, headers, request_timeout)
        request_headers = self._headers.copy()
        if headers:
            request_headers.update(headers)
        data = self._encode(method, target, request_headers, body)
        status, raw_headers, raw, duration = await self._roundtrip(
            method, target, request_headers, body, data, request_timeout
        )
        return NodeApiResponse(self._meta(status, raw_headers, duration), raw)

    def prepare(self, method: str, target: str, headers: HttpHeaders) -> Prepared:
        """``method target`` with ``headers`` (under the node's own) encoded for ``send``:
        the same bytes ``perform_request`` would write, worked out once."""
        request_headers = self._headers.copy()
        request_headers.update(headers)
        head = self._head(method, target, request_headers)
        sized = method not in ("GET", "HEAD")
        return Prepared(self, method, target, request_headers, head, sized)

    async def send(
        self,
        prepared: Prepared,
        body: bytes | None,
        request_timeout: DefaultType | float | None = DEFAULT,
    ) -> Sent:
        """One exchange of a prepared request: status, headers as received, body bytes and
        duration; failures and the request log exactly as ``perform_request``."""
        if body is not None or prepared.sized:
            data = prepared.head + b"content-length: %d\r\n\r\n" % len(body or b"")
            if body:
                data += body
        else:
            data = prepared.head + b"\r\n"
        return await self._roundtrip(
            prepared.method, prepared.target, prepared.headers, body, data, request_timeout
        )

    def _meta(self, status: int, raw_headers: list[tuple[str, str]], duration: float) -> Any:
        return ApiResponseMeta(
            node=self.config,
            duration=duration,
            http_version="1.1",
            status=status,
            headers=HttpHeaders(raw_headers),
        )

    async def _roundtrip(
        self,
        method: str,
        target: str,
        headers: HttpHeaders,
        body: bytes | None,
        data: bytes,
        request_timeout: DefaultType | float | None,
    ) -> Sent:
        timeout = self.config.request_timeout if request_timeout is DEFAULT else request_timeout
        loop = asyncio.get_running_loop()
        start = loop.time()
        deadline = None if timeout is None else start + timeout
        try:
            status, raw_headers, raw, _ = await self._exchange(data, method == "HEAD", deadline)
        except (OSError, httptools.HttpParserError) as exc:
            # Only what a connection can fail with becomes the transport's error (and may
            # be retried on another node); anything else is a bug and propagates as it is.
            if isinstance(exc, TimeoutError):
                err: Exception = ConnectionTimeout(
                    "Connection timed out during request", errors=(exc,)
                )
            elif isinstance(exc, ssl.SSLError):
                err = TlsError(str(exc), errors=(exc,))
            else:
                err = ConnectionError(str(exc) or type(exc).__name__, errors=(exc,))
            if _NODE_LOG.isEnabledFor(logging.DEBUG):
                self._log_request(
                    method=method, target=target, headers=headers, body=body, exception=err
                )
            raise err from None
        duration = loop.time() - start
        # The transport's request log is DEBUG; it formats the whole exchange whenever any
        # handler exists (the root logger's included), so ask for the level first.
        if _NODE_LOG.isEnabledFor(logging.DEBUG):
            self._log_request(
                method=method, target=target, headers=headers, body=body,
                meta=self._meta(status, raw_headers, duration), response=raw,
            )  # fmt: skip
        return status, raw_headers, raw, duration

    async def close(self) -> None:  # type: ignore[override]
        while self._idle:
            self._idle.pop().close()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        await super().close()

    def _encode(self, method: str, target: str, headers: HttpHeaders, body: bytes | None) -> bytes:
        head = self._head(method, target, headers)
        if body is not None or method not in ("GET", "HEAD"):
            head += b"content-length: %d\r\n" % len(body or b"")
        head += b"\r\n"
        return head + body if body else head

    def _head(self, method: str, target: str, headers: HttpHeaders) -> bytes:
        """The request line and header lines (no content length, no blank line)."""
        if "\r" in target or "\n" in target or " " in target:
            raise ValueError(f"not a request target: {target!r}")
        lines = [f"{method} {self.path_prefix}{target} HTTP/1.1\r\nhost: {self._host_header}\r\n"]
        lines.extend(f"{name}: {value}\r\n" for name, value in headers.items())
        return "".join(lines).encode("latin-1")

    async def _exchange(self, data: bytes, head: bool, deadline: float | None) -> Exchange:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.config.connections_per_node)
        slots = self._slots
        if slots.locked():  # every connection busy: wait for one, within the deadline
            async with asyncio.timeout_at(deadline):
                await slots.acquire()
        else:
            await slots.acquire()  # free: returns at once
        try:
            conn = self._take()
            if conn is not None:
                try:
                    answer = await self._send_by(conn, data, head, deadline)
                except (ConnectionResetError, BrokenPipeError):
                    conn.close()
                    if conn.answering:
                        raise
                    conn = None  # The server closed this idle connection just before we used it.
                except BaseException:
                    conn.close()  # an unfinished exchange leaves it in an unknown state
                    raise
            if conn is None:
                async with asyncio.timeout_at(deadline):
                    conn = await self._open()
                    try:
                        answer = await conn.send(data, head=head)
                    except BaseException:
                        conn.close()
                        raise
            if answer[3] and not conn.closed:
                self._idle.append(conn)
            else:
                conn.close()
            return answer
        finally:
            slots.release()

    async def _send_by(
        self, conn: _Connection, data: bytes, head: bool, deadline: float | None
    ) -> Exchange:
        """Send on a warm connection and await the answer until ``deadline``, under the
        node's one timer (armed for the soonest deadline; an answer that comes in time
        only leaves the set, the timer stays)."""
        waiter = conn.send(data, head=head)
        if deadline is None:
            return await waiter
        conn.deadline = deadline
        self._timed.add(conn)
        if self._timer is None or deadline < self._timer_at:
            self._arm(conn._loop, deadline)
        try:
            return await waiter
        finally:
            self._timed.discard(conn)

    def _arm(self, loop: asyncio.AbstractEventLoop, when: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer_at = when
        self._timer = loop.call_at(when, self._expire, loop)

    def _expire(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        now = loop.time()
        soonest: float | None = None
        for conn in list(self._timed):
            if conn.deadline <= now:
                self._timed.discard(conn)
                conn.expire()
            elif soonest is None or conn.deadline < soonest:
                soonest = conn.deadline
        if soonest is not None:
            self._arm(loop, soonest)

    def _take(self) -> _Connection | None:
        while self._idle:
            conn = self._idle.pop()
            if not conn.closed and conn.transport is not None and not conn.transport.is_closing():
                return conn
        return None

    async def _open(self) -> _Connection:
        loop = asyncio.get_running_loop()
        kwargs: dict[str, Any] = {}
        if self.scheme == "https":
            kwargs["ssl"] = self._ssl_context
        _, conn = await loop.create_connection(
            lambda: _Connection(loop), self.host, self.port, **kwargs
        )
        return conn
