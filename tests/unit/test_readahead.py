"""read_ahead keeps order, passes errors on, and stops its thread when the reader stops."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from indexer.readahead import read_ahead


def test_order_and_completeness() -> None:
    assert list(read_ahead(range(1234), batch=100, depth=2)) == list(range(1234))
    assert list(read_ahead([], batch=10)) == []


def test_an_error_in_the_source_reaches_the_reader() -> None:
    def broken() -> Iterator[int]:
        yield 1
        raise RuntimeError("opslag onbereikbaar")

    with pytest.raises(RuntimeError, match="opslag onbereikbaar"):
        list(read_ahead(broken(), batch=1))


def test_stopping_early_ends_the_helper_thread() -> None:
    def endless() -> Iterator[int]:
        n = 0
        while True:
            yield n
            n += 1

    reader = read_ahead(endless(), batch=10, depth=1)
    assert next(reader) == 0
    reader.close()  # what a failing bulk load does to its action generator
    assert not any(t.name == "read-ahead" and t.is_alive() for t in threading.enumerate())
