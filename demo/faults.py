"""Fault switches of the demo server: the ways a real site misbehaves.

Part of demo. ``Faults`` is a plain mutable value that tests flip while
a ``RunningSite`` serves; the server consults it before the site model. Paths match
the exact request target first ("/artikel.php?id=3"), then the path without query.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

#: Bytes that are not valid in windows-1252 nor UTF-8, plus NULs, as a broken
#: upload or a half-written cache file would leave them.
JUNK = b"\x00\x81\x8d\x8f\x90\x9d\xff\xfe\x00\xc3\x28\xa0\xa1\xe2\x28\xa1"


@dataclass
class Faults:
    """Mutable switches; sets hold request paths."""

    not_found: set[str] = field(default_factory=set)  # 404
    gone: set[str] = field(default_factory=set)  # 410
    server_error: set[str] = field(default_factory=set)  # 500
    throttle: dict[str, int] = field(default_factory=dict)  # path -> 429s still to serve
    retry_after: int = 1
    slow: set[str] = field(default_factory=set)
    slow_seconds: float = 2.0
    malformed: set[str] = field(default_factory=set)  # truncated, garbled HTML
    oversized: set[str] = field(default_factory=set)  # huge body, streamed
    oversized_bytes: int = 8 * 1024 * 1024
    redirects: dict[str, str] = field(default_factory=dict)  # path -> Location (loops allowed)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def take_throttle(self, *keys: str) -> bool:
        """True (and count one down) while a path still owes 429 answers."""
        with self._lock:
            for key in keys:
                if self.throttle.get(key, 0) > 0:
                    self.throttle[key] -= 1
                    return True
        return False

    def clear(self) -> None:
        with self._lock:
            for switch in (self.not_found, self.gone, self.server_error, self.slow, self.malformed):
                switch.clear()
            self.oversized.clear()
            self.throttle.clear()
            self.redirects.clear()


#: Always served, never linked: /redirect-loop/a -> /redirect-loop/b -> /redirect-loop/a.
LOOP = {"/redirect-loop/a": "/redirect-loop/b", "/redirect-loop/b": "/redirect-loop/a"}


def garble(body: bytes) -> bytes:
    """Truncate a page mid-tag, leave elements unclosed and splice in binary junk."""
    cut = body[: max(200, len(body) * 3 // 5)]
    middle = len(cut) // 2
    return (
        cut[:middle]
        + JUNK
        + b"<div><p><b>onafgesloten <table><tr><td>"
        + cut[middle:]
        + b"<p class="
    )


def oversized_chunks(total: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """An HTML page of exactly ``total`` bytes, produced lazily for streaming."""
    head = b"<html><head><title>Heel groot document</title></head><body>\n"
    tail = b"</body></html>\n"
    para = b"<p>Dit document is veel te groot voor een redelijke crawler. " * 8 + b"</p>\n"
    yield head
    remaining = total - len(head) - len(tail)
    block = (para * (chunk // len(para) + 1))[:chunk]
    while remaining > 0:
        piece = block[: min(chunk, remaining)]
        remaining -= len(piece)
        yield piece
    yield tail
