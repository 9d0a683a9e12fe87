"""The search path's HTTP node (search_ui.esnode.StreamHttpNode) against a real HTTP
server on 127.0.0.1 whose every answer the test scripts: keep-alive, a connection the
server dropped, no answer, a garbled answer, a trickled chunked answer, HEAD, the
connection cap. (Against Elasticsearch itself the node is used by every search test.)
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import trustme
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, HttpHeaders, NodeConfig, TlsError

from search_ui.esnode import StreamHttpNode

#: What the server does once a request arrived; False closes the connection.
Plan = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[bool]]
OK = b'{"ok":true}'


@dataclass
class Seen:
    """What the server received: each request (connection number, request line,
    headers, body) and the largest number of connections open at once."""

    requests: list[tuple[int, str, dict[str, str], bytes]] = field(default_factory=list)
    connections: int = 0
    open_now: int = 0
    most_open: int = 0


async def read_request(
    reader: asyncio.StreamReader, seen: Seen, conn: int
) -> tuple[str, dict[str, str], bytes]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in head[1:] if line)
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    seen.requests.append((conn, head[0], headers, body))
    return head[0], headers, body


def answer(body: bytes = OK, status: str = "200 OK") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    ).encode() + body


async def reply(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    writer.write(answer())
    await writer.drain()
    return True  # keep the connection


async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    """Close without answering, as a server timing out an idle connection does."""
    return False


class Server:
    """Reads each request and plays the next of ``plans`` for it, on however many
    connections come."""

    def __init__(self, plans: list[Plan], *, tls: ssl.SSLContext | None = None) -> None:
        self.plans = list(plans)
        self.tls = tls
        self.seen = Seen()
        self.server: asyncio.Server | None = None
        self.port = 0

    async def __aenter__(self) -> Server:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls)
        self.port = int(self.server.sockets[0].getsockname()[1])
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen = self.seen
        seen.connections += 1
        conn = seen.connections
        seen.open_now += 1
        seen.most_open = max(seen.most_open, seen.open_now)
        try:
            while True:
                await read_request(reader, seen, conn)
                if not await self.plans.pop(0)(reader, writer):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            seen.open_now -= 1
            writer.close()


def node(port: int, scheme: str = "http", **options: object) -> StreamHttpNode:
    return StreamHttpNode(
        NodeConfig(scheme, "127.0.0.1", port, path_prefix="/es", **options)  # type: ignore[arg-type]
    )


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(scenario(), 20))


def test_requests_share_one_kept_alive_connection_and_arrive_whole() -> None:
    async def scenario() -> None:
        async with Server([reply, reply, reply]) as server:
            es = node(server.port)
            for i in range(3):
                response = await es.perform_request(
                    "POST", f"/idx/_search?n={i}", body=b'{"size":%d}' % i,
                    headers=HttpHeaders({"content-type": "application/json"}),
                )  # fmt: skip
                assert response.meta.status == 200
                assert response.meta.headers["Content-Type"] == "application/json"
                assert response.body == OK
            await es.close()
        assert server.seen.connections == 1
        assert [(r[0], r[1], r[3]) for r in server.seen.requests] == [
            (1, f"POST /es/idx/_search?n={i} HTTP/1.1", b'{"size":%d}' % i) for i in range(3)
        ]
        headers = server.seen.requests[0][2]
        assert headers["host"] == f"127.0.0.1:{server.port}"
        assert headers["content-type"] == "application/json"

    run(scenario)


def test_a_kept_alive_connection_the_server_dropped_is_replaced_once() -> None:
    async def scenario() -> None:
        async with Server([reply, drop, reply]) as server:
            es = node(server.port)
            assert (await es.perform_request("GET", "/a")).body == OK
            response = await es.perform_request("GET", "/b")
            assert (response.meta.status, response.body) == (200, OK)
            await es.close()
        assert server.seen.connections == 2
        assert [(r[0], r[1]) for r in server.seen.requests] == [
            (1, "GET /es/a HTTP/1.1"), (1, "GET /es/b HTTP/1.1"), (2, "GET /es/b HTTP/1.1")
        ]  # fmt: skip

    run(scenario)


def test_a_fresh_connection_dropped_before_the_answer_is_an_error_not_a_retry() -> None:
    async def scenario() -> None:
        async with Server([drop, reply]) as server:
            es = node(server.port)
            with pytest.raises(TransportConnectionError):
                await es.perform_request("GET", "/a")
            await es.close()
        assert len(server.seen.requests) == 1  # the transport decides about retries

    run(scenario)


def test_no_answer_is_a_timeout_and_that_connection_is_never_reused() -> None:
    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        await reader.read()  # until the client gives up and closes
        return False

    async def scenario() -> None:
        async with Server([hang, reply]) as server:
            es = node(server.port, request_timeout=0.3)
            with pytest.raises(ConnectionTimeout):
                await es.perform_request("GET", "/slow")
            assert (await es.perform_request("GET", "/next")).body == OK
            await es.close()
        assert [r[0] for r in server.seen.requests] == [1, 2]

    run(scenario)


def test_a_refused_connection_is_a_connection_error() -> None:
    async def scenario() -> None:
        async with Server([]) as server:
            port = server.port
        await asyncio.sleep(0.05)
        es = node(port)
        with pytest.raises(TransportConnectionError):
            await es.perform_request("GET", "/")
        await es.close()

    run(scenario)


def test_a_garbled_answer_is_a_connection_error() -> None:
    async def garble(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"NOT HTTP AT ALL\r\n\r\n")
        await writer.drain()
        return True

    async def scenario() -> None:
        async with Server([garble, reply]) as server:
            es = node(server.port)
            with pytest.raises(TransportConnectionError):
                await es.perform_request("GET", "/")
            assert (await es.perform_request("GET", "/again")).body == OK
            await es.close()
        assert [r[0] for r in server.seen.requests] == [1, 2]  # the garbled one is dropped

    run(scenario)


def test_a_chunked_answer_trickled_in_small_pieces_is_read_whole() -> None:
    body = b'{"hits":' + b"[" + b",".join(b'"%d"' % i for i in range(200)) + b"]}"

    async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        raw = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
        for start in range(0, len(body), 97):
            piece = body[start : start + 97]
            raw += b"%x\r\n%s\r\n" % (len(piece), piece)
        raw += b"0\r\n\r\n"
        for start in range(0, len(raw), 5):
            writer.write(raw[start : start + 5])
            await writer.drain()
            if start % 200 == 0:
                await asyncio.sleep(0.001)
        return True

    async def scenario() -> None:
        async with Server([trickle, reply]) as server:
            es = node(server.port)
            assert (await es.perform_request("GET", "/big")).body == body
            assert (await es.perform_request("GET", "/small")).body == OK
            await es.close()
        assert server.seen.connections == 1

    run(scenario)


def test_head_is_answered_without_waiting_for_a_body() -> None:
    async def head(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 99\r\n\r\n"
        )
        await writer.drain()
        return True

    async def scenario() -> None:
        async with Server([head, reply]) as server:
            es = node(server.port, request_timeout=2.0)
            response = await es.perform_request("HEAD", "/alias")
            assert (response.meta.status, response.body) == (200, b"")
            assert (await es.perform_request("GET", "/after")).body == OK
            await es.close()

    run(scenario)


def test_a_target_that_would_split_the_request_is_refused_before_sending() -> None:
    async def scenario() -> None:
        async with Server([reply]) as server:
            es = node(server.port)
            with pytest.raises(ValueError, match="request target"):
                await es.perform_request("GET", "/a\r\nx-injected: 1")
            await es.close()
        assert server.seen.requests == []

    run(scenario)


def test_no_more_connections_than_configured_even_under_a_burst() -> None:
    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(0.05)
        writer.write(answer())
        await writer.drain()
        return True

    async def scenario() -> None:
        async with Server([slow] * 8) as server:
            es = node(server.port, connections_per_node=2)
            answers = await asyncio.gather(*(es.perform_request("GET", f"/{i}") for i in range(8)))
            assert [a.body for a in answers] == [OK] * 8
            await es.close()
        assert server.seen.most_open == 2
        assert len(server.seen.requests) == 8

    run(scenario)


def test_the_exchange_is_in_the_transport_log_at_debug_and_not_above(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def scenario() -> None:
        async with Server([reply, reply]) as server:
            es = node(server.port)
            caplog.set_level(logging.INFO, logger="elastic_transport.node")
            await es.perform_request("GET", "/quiet")
            caplog.set_level(logging.DEBUG, logger="elastic_transport.node")
            await es.perform_request("GET", "/loud")
            await es.close()

    run(scenario)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "elastic_transport.node")
    assert "/loud" in logged and "/quiet" not in logged


def test_https_trusts_the_configured_ca_and_refuses_another(tmp_path: Path) -> None:
    """A KENNISBRUG_ES_URL of https: the TLS settings come from the node configuration."""
    ca, stranger = trustme.CA(), trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_tls)
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    stranger.cert_pem.write_to_path(str(tmp_path / "stranger.pem"))

    async def scenario() -> None:
        async with Server([reply, reply], tls=server_tls) as server:
            trusting = node(server.port, "https", ca_certs=str(tmp_path / "ca.pem"))
            response = await trusting.perform_request("GET", "/secure")
            assert (response.meta.status, response.body) == (200, OK)
            await trusting.close()
            doubting = node(server.port, "https", ca_certs=str(tmp_path / "stranger.pem"))
            with pytest.raises(TlsError, match="CERTIFICATE_VERIFY_FAILED"):
                await doubting.perform_request("GET", "/refused")
            await doubting.close()
        assert [r[1] for r in server.seen.requests] == ["GET /es/secure HTTP/1.1"]

    run(scenario)


def test_no_answer_on_a_warm_connection_times_out_on_time_and_it_is_not_reused() -> None:
    """A kept-alive connection's answer is awaited under the node's shared timer, not an
    ``asyncio.timeout`` of its own; it must expire as that would."""

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        await reader.read()
        return False

    async def scenario() -> None:
        async with Server([reply, reply, hang, reply]) as server:
            es = node(server.port, request_timeout=0.3)
            loop = asyncio.get_running_loop()
            assert (await es.perform_request("GET", "/warm")).body == OK
            assert (await es.perform_request("GET", "/in-time")).body == OK
            started = loop.time()
            with pytest.raises(ConnectionTimeout):
                await es.perform_request("GET", "/slow")
            assert 0.25 < loop.time() - started < 1.5
            assert (await es.perform_request("GET", "/next")).body == OK
            assert es._timed == set()  # nothing left waiting under the timer
            await es.close()
        assert [r[0] for r in server.seen.requests] == [1, 1, 1, 2]

    run(scenario)


def test_waiting_for_a_busy_connection_counts_against_the_deadline() -> None:
    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        await reader.read()
        return False

    async def scenario() -> None:
        async with Server([hang]) as server:
            es = node(server.port, request_timeout=1.5, connections_per_node=1)
            first = asyncio.ensure_future(es.perform_request("GET", "/hangs"))
            await asyncio.sleep(0.2)
            started = asyncio.get_running_loop().time()
            with pytest.raises(ConnectionTimeout):
                await es.perform_request("GET", "/queued", request_timeout=0.1)
            assert asyncio.get_running_loop().time() - started < 0.8
            with pytest.raises(ConnectionTimeout):
                await first
            await es.close()
        assert len(server.seen.requests) == 1

    run(scenario)
