"""Read ahead on a helper thread, so reading the store overlaps with Elasticsearch's work.

Used by the full reindex: while the bulk helper waits for Elasticsearch to index one
chunk, the next batches of documents are already read from the store, decoded and
serialised. Bounded (``depth`` batches), and the helper thread stops when the
consumer does, so an aborted reindex leaves no thread behind.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterable
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def read_ahead(items: Iterable[T], *, batch: int = 500, depth: int = 4) -> Generator[T, None, None]:
    """Yield ``items`` in order, produced ``depth`` batches ahead on a helper thread."""
    buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(entry: object) -> bool:
        while not stop.is_set():
            try:
                buffer.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        chunk: list[T] = []
        try:
            for item in items:
                chunk.append(item)
                if len(chunk) >= batch:
                    if not offer(chunk):
                        return
                    chunk = []
            if chunk and not offer(chunk):
                return
            offer(_DONE)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            offer(exc)

    thread = threading.Thread(target=produce, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            entry = buffer.get()
            if entry is _DONE:
                return
            if isinstance(entry, BaseException):
                raise entry
            yield from entry  # type: ignore[misc]
    finally:
        stop.set()
        thread.join(timeout=5)
