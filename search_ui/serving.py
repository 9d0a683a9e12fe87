"""How the web app is served: uvicorn with httptools, each answer sent in one write.

uvicorn writes a response's head (status line and headers) as soon as the app starts
the response and the body when it comes, two ``send`` calls for a JSON answer that
is complete at once. On the search path that second system call and the extra wake-up
of the reader were a tenth of the web process's samples under py-spy (which counts a
runnable-but-preempted thread as busy; perf later put all kernel time at 9 % of the
process's CPU, bench/README.md): one call is cheaper either way.
``OneWriteProtocol`` is uvicorn's httptools protocol with the transport wrapped so
that a response head is held until the body's first write, and both go out as one.
A head that no body follows in the same step of the event loop (a streamed answer
whose body is not ready yet) is sent on the loop's next turn, so nothing waits on it.

``serve`` is the one place that starts the server: ``kennisbrug web`` and the search
benchmark both use it, so the benchmark measures the served form. It also makes the
cyclic garbage collector look at young objects less often (``tune_gc``): a search
allocates a few thousand containers (the decoded answer, view models, the JSON), nearly
all freed by reference counting when the request ends, but at CPython's default
threshold (700) the collector walks them mid-request. perf on the web process at 16
clients: the collector's functions were 4.2 % of its CPU samples at 700, none showed
at 20,000 (bench/README.md).
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any, Final, cast

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_HEAD: tuple[bytes, ...] = (b"HTTP/1.1 ", b"HTTP/1.0 ")
_INTERIM = b"HTTP/1.1 1"  # 100 Continue and friends: must go at once
#: Net allocations of container objects before the youngest generation is collected.
#: A few searches' worth: request-scoped objects are freed by reference counting
#: before the collector ever walks them; cycles are still collected, a little later.
GC_YOUNG_THRESHOLD: Final = 20_000


class _JoinedWrites:
    """A transport whose response head waits for the body's first write."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes) -> None:
        if self._held is not None:
            data, self._held = self._held + data, None
        elif data.startswith(_HEAD) and not data.startswith(_INTERIM):
            self._held = data
            self._loop.call_soon(self._flush)
            return
        self._transport.write(data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + len(self._held or b"")

    def _flush(self) -> None:
        if self._held is not None:
            data, self._held = self._held, None
            if not self._transport.is_closing():
                self._transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class OneWriteProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, each complete answer in one write."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        joined = _JoinedWrites(transport, self.loop)
        super().connection_made(cast(asyncio.Transport, joined))


def tune_gc() -> None:
    """Examine the cyclic collector's youngest generation less often (see GC_YOUNG_THRESHOLD)."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, older, oldest)


def serve(app: Any, *, host: str, port: int, access_log: bool = True, **options: Any) -> None:
    """Run ``app`` with uvicorn (httptools, uvloop where installed) until stopped."""
    tune_gc()
    uvicorn.run(app, host=host, port=port, http=OneWriteProtocol, access_log=access_log, **options)
