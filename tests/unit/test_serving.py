"""search_ui.serving: uvicorn's httptools protocol with each complete answer sent in one
write, on real sockets (127.0.0.1) with a real HTTP client; the writes that reach the
socket's transport are counted."""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.server import ServerState

from search_ui.serving import OneWriteProtocol

Scope = dict[str, Any]


async def json_app(scope: Scope, receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b'{"path":"%s"}' % scope["path"].encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", b"%d" % len(body)),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def stream_app(head_seen: asyncio.Event) -> Any:
    """Starts the answer and sends the body only once the client has read the head."""

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await answer_late(send, head_seen)

    return app


async def answer_late(send: Any, head_seen: asyncio.Event) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    await head_seen.wait()
    await send({"type": "http.response.body", "body": b"late", "more_body": False})


class Counting:
    """The real transport, with every write that reaches it recorded."""

    def __init__(self, transport: asyncio.Transport, writes: list[bytes]) -> None:
        self._transport = transport
        self.writes = writes

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))
        self._transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


async def serve(app: Any, protocol: type[Any], writes: list[bytes]) -> asyncio.Server:
    config = uvicorn.Config(app, lifespan="off", log_level="warning")
    config.load()
    state = ServerState()

    def make() -> Any:
        proto = protocol(config=config, server_state=state, app_state={})
        made = proto.connection_made
        proto.connection_made = lambda transport: made(Counting(transport, writes))
        return proto

    return await asyncio.get_running_loop().create_server(make, "127.0.0.1", 0)


async def exchange(port: int, paths: list[str]) -> list[bytes]:
    """GET each path on one kept-alive connection; the raw answers."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    answers = []
    for path in paths:
        writer.write(f"GET {path} HTTP/1.1\r\nhost: test\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        answers.append(head + await reader.readexactly(length))
    writer.close()
    return answers


def run_with(app: Any, protocol: type[Any], paths: list[str]) -> tuple[list[bytes], list[bytes]]:
    async def scenario() -> tuple[list[bytes], list[bytes]]:
        writes: list[bytes] = []
        server = await serve(app, protocol, writes)
        try:
            answers = await asyncio.wait_for(
                exchange(server.sockets[0].getsockname()[1], paths), 10
            )
        finally:
            server.close()
        return answers, writes

    return asyncio.run(scenario())


def test_each_answer_goes_out_in_one_write_on_a_kept_alive_connection() -> None:
    answers, writes = run_with(json_app, OneWriteProtocol, ["/a", "/bb"])
    assert [a.split(b"\r\n", 1)[0] for a in answers] == [b"HTTP/1.1 200 OK"] * 2
    assert [a.rsplit(b"\r\n\r\n", 1)[1] for a in answers] == [b'{"path":"/a"}', b'{"path":"/bb"}']
    assert writes == answers  # one write per answer, holding head and body


def test_uvicorns_own_protocol_writes_twice_per_answer() -> None:
    """What OneWriteProtocol changes (the reason it exists)."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    answers, writes = run_with(json_app, HttpToolsProtocol, ["/a"])
    assert len(writes) == 2 and b"".join(writes) == answers[0]


def test_a_head_whose_body_is_not_ready_is_sent_at_once() -> None:
    async def scenario() -> tuple[bytes, list[bytes]]:
        writes: list[bytes] = []
        head_seen = asyncio.Event()
        server = await serve(stream_app(head_seen), OneWriteProtocol, writes)
        try:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", server.sockets[0].getsockname()[1]
            )
            writer.write(b"GET / HTTP/1.1\r\nhost: test\r\n\r\n")
            # Were the head held back until the body, this would wait forever.
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            head_seen.set()
            body = await asyncio.wait_for(reader.readuntil(b"0\r\n\r\n"), 5)
            writer.close()
        finally:
            server.close()
        return head + body, writes

    answer, writes = asyncio.run(scenario())
    assert answer.startswith(b"HTTP/1.1 200 OK") and b"late" in answer
    assert writes[0].endswith(b"\r\n\r\n") and b"late" not in writes[0]


def test_the_served_app_collects_young_objects_less_often(monkeypatch: Any) -> None:
    """``serve`` raises the youngest generation's threshold before uvicorn runs (older
    generations keep theirs), so a search's short-lived objects are not walked mid-request."""
    import gc

    from search_ui import serving

    seen: list[tuple[int, int, int]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: seen.append(gc.get_threshold()))
    before = gc.get_threshold()
    try:
        serving.serve(json_app, host="127.0.0.1", port=0)
    finally:
        gc.set_threshold(*before)
    assert seen == [(serving.GC_YOUNG_THRESHOLD, before[1], before[2])]
    assert 10 * before[0] < serving.GC_YOUNG_THRESHOLD
