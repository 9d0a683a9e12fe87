"""The search path's first attempt, made on a node of the transport's pool directly
(search_ui.backend.SearchBackend._first_attempt), against scripted HTTP servers on
127.0.0.1: what it sends is what the transport sends, and whatever calls for a retry
ends in the transport's hands with the node marked as the transport would mark it.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from elastic_transport import NodePool
from elasticsearch import AsyncElasticsearch, ConnectionError

from core.errors import SearchUnavailableError
from core.settings import Settings
from search_ui.backend import QueryRejectedError, SearchBackend, _options, search_client
from search_ui.esnode import StreamHttpNode
from tests.unit.test_search_connection import Plan, Server, answer, reply

BODY = {"query": {"match": {"title": "fiets"}}, "size": 3}
HITS = b'{"hits":{"total":{"value":1},"hits":[{"_id":"a"}]}}'


def status(code: str, body: bytes = b'{"error":{"type":"x","reason":"y"},"status":0}') -> Plan:
    async def plan(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        writer.write(answer(body, code))
        await writer.drain()
        return True

    return plan


def hits(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Awaitable[bool]:
    return status("200 OK", HITS)(reader, writer)


def refusing_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def backend(
    tmp_path: Path, ports: list[int], *, direct: bool = True, timeout: float = 5.0
) -> SearchBackend:
    """The app's backend for these nodes, tried in the order given (no shuffling)."""
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    settings = Settings.from_env({}, home=tmp_path, es_url=",".join(urls), es_timeout=timeout)

    def make() -> AsyncElasticsearch:
        options = {**_options(settings, urls), "randomize_nodes_in_pool": False}
        if not direct:  # a pool class of our own rules the direct attempt out
            options["node_pool_class"] = type("OtherPool", (NodePool,), {})
        return AsyncElasticsearch(urls, node_class=StreamHttpNode, **options)

    return SearchBackend(search_client(settings, urls=urls), index="kb", make_async=make)


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(scenario(), 20))


def dead(search: SearchBackend) -> dict[int, int]:
    """Failures on record in the transport's pool, by port."""
    pool: Any = search._async.transport.node_pool  # type: ignore[union-attr]
    return {config.port: n for config, n in pool._dead_consecutive_failures.items()}


def test_the_direct_attempt_sends_what_the_transport_sends(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with Server([hits] * 4) as server:
            for direct in (True, False):
                search = backend(tmp_path, [server.port], direct=direct)
                assert (await search.search(BODY)).body == orjson.loads(HITS)
                assert await search.msearch([BODY, BODY]) == []
                assert (search._routes is not None) is direct
                await search.aclose()
        (direct_search, direct_msearch, search_, msearch) = server.seen.requests
        for ours, theirs in ((direct_search, search_), (direct_msearch, msearch)):
            assert ours[1:] == theirs[1:]  # request line, headers and their order, body
            assert list(ours[2]) == list(theirs[2])
        assert direct_search[1] == "POST /kb/_search HTTP/1.1"
        assert "x-elastic-client-meta" in direct_search[2]

    run(scenario)


def test_a_refused_first_node_is_marked_dead_and_the_transport_retries_elsewhere(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        gone = refusing_port()
        async with Server([hits, hits]) as server:
            search = backend(tmp_path, [gone, server.port])
            assert (await search.search(BODY)).body == orjson.loads(HITS)
            assert dead(search) == {gone: 1}
            # The pool now leaves the dead node out: the next search goes straight on.
            assert (await search.search(BODY)).body == orjson.loads(HITS)
            assert dead(search) == {gone: 1}
            await search.aclose()
        assert len(server.seen.requests) == 2

    run(scenario)


def test_every_node_down_is_unavailable_with_every_failure_on_record(tmp_path: Path) -> None:
    async def scenario() -> None:
        first, second = refusing_port(), refusing_port()
        search = backend(tmp_path, [first, second])
        with pytest.raises(SearchUnavailableError, match="not reachable") as raised:
            await search.search(BODY)
        cause = raised.value.__cause__
        assert isinstance(cause, ConnectionError)
        # As the transport reports it: the last failure, the earlier one in .errors (one
        # retry per other node).
        assert [type(e) for e in cause.errors] == [ConnectionError]
        assert set(dead(search)) == {first, second}
        await search.aclose()

    run(scenario)


def test_a_busy_node_is_marked_dead_and_the_search_retried_on_another(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with Server([status("503 Service Unavailable")]) as busy, Server([hits]) as other:
            search = backend(tmp_path, [busy.port, other.port])
            assert (await search.search(BODY)).body == orjson.loads(HITS)
            assert dead(search) == {busy.port: 1}
            await search.aclose()

    run(scenario)


def test_a_single_busy_node_is_asked_once_more_then_its_answer_stands(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with Server([status("503 Service Unavailable"), hits]) as server:
            search = backend(tmp_path, [server.port])
            assert (await search.search(BODY)).body == orjson.loads(HITS)
            # The pool hands its only node back even while marked dead; a success clears it.
            assert dead(search) == {}
        async with Server([status("429 Too Many Requests")] * 2) as server:
            search = backend(tmp_path, [server.port])
            with pytest.raises(SearchUnavailableError, match="answered 429"):
                await search.search(BODY)
            assert len(server.seen.requests) == 2  # one retry on a single node

            await search.aclose()

    run(scenario)


@pytest.mark.parametrize(
    ("code", "error", "message", "marked"),
    [
        ("400 Bad Request", QueryRejectedError, "refused the search", False),
        ("404 Not Found", SearchUnavailableError, "does not exist yet", False),
        ("500 Internal Server Error", SearchUnavailableError, "answered 500", True),
    ],
)
def test_an_answer_that_is_not_retried_maps_as_before(
    tmp_path: Path, code: str, error: type[Exception], message: str, marked: bool
) -> None:
    async def scenario() -> None:
        async with Server([status(code), reply]) as server:
            search = backend(tmp_path, [server.port])
            with pytest.raises(error, match=message):
                await search.search(BODY)
            assert len(server.seen.requests) == 1
            # As the transport: 4xx says nothing about the node, a 500 marks it dead.
            assert dead(search) == ({server.port: 1} if marked else {})
            await search.aclose()

    run(scenario)


def test_the_direct_attempt_writes_the_transport_and_node_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        async with Server([hits]) as server:
            search = backend(tmp_path, [server.port])
            # (the capture handler takes the last level set: DEBUG last)
            caplog.set_level(logging.INFO, logger="elastic_transport.transport")
            caplog.set_level(logging.DEBUG, logger="elastic_transport.node")
            await search.search(BODY)
            await search.aclose()

    run(scenario)
    node = "\n".join(r.getMessage() for r in caplog.records if r.name == "elastic_transport.node")
    assert "> POST /kb/_search HTTP/1.1" in node and '"fiets"' in node and "< HTTP/1.1 200" in node
    (line,) = [r.getMessage() for r in caplog.records if r.name == "elastic_transport.transport"]
    assert line.startswith("POST http://127.0.0.1:") and "/kb/_search [status:200 duration:" in line


def test_a_node_marked_dead_is_marked_live_by_its_next_answer(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with Server([status("500 Internal Server Error"), hits]) as server:
            search = backend(tmp_path, [server.port])
            with pytest.raises(SearchUnavailableError):
                await search.search(BODY)
            assert dead(search) == {server.port: 1}
            assert (await search.search(BODY)).body == orjson.loads(HITS)
            assert dead(search) == {}
            await search.aclose()

    run(scenario)


@pytest.mark.parametrize("direct", [True, False])
def test_the_configured_timeout_and_retries_apply_to_searches(tmp_path: Path, direct: bool) -> None:
    """``_options``: ``es_timeout`` per request, a timed-out search retried, one retry on a
    single node. The client hands these to the transport with every request of its own;
    the search path, which calls the transport itself, must too."""

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        await reader.read()  # until the client gives up and closes
        return False

    async def scenario() -> None:
        async with Server([hang, hits]) as server:
            search = backend(tmp_path, [server.port], direct=direct, timeout=0.3)
            started = asyncio.get_running_loop().time()
            assert (await search.search(BODY)).body == orjson.loads(HITS)
            assert asyncio.get_running_loop().time() - started < 2
            await search.aclose()
        async with Server([hang, hang, hits]) as server:
            search = backend(tmp_path, [server.port], direct=direct, timeout=0.3)
            with pytest.raises(SearchUnavailableError, match="did not answer in time"):
                await search.search(BODY)
            await search.aclose()
        assert len(server.seen.requests) == 2

    run(scenario)
