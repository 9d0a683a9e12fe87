"""Per-host pacing and Retry-After arithmetic (crawler.politeness), on a fake clock."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from crawler.politeness import HostPacer, parse_retry_after, retry_wait


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_starts_are_spaced_by_the_larger_delay() -> None:
    t = FakeTime()
    pacer = HostPacer(concurrency=2, min_delay=1.0, sleep=t.sleep, clock=t.clock)
    starts = []
    for _ in range(3):
        with pacer.slot("e.nl"):
            starts.append(t.now)
    assert [b - a for a, b in itertools.pairwise(starts)] == [1.0, 1.0]
    pacer.set_crawl_delay("e.nl", 3.0)  # robots.txt asks for more
    with pacer.slot("e.nl"):
        starts.append(t.now)
    assert starts[-1] - starts[-2] >= 3.0
    pacer.set_crawl_delay("other.nl", 0.5)  # the profile minimum wins
    assert pacer.delay_for("other.nl") == 1.0


def test_hosts_are_paced_independently() -> None:
    t = FakeTime()
    pacer = HostPacer(min_delay=5.0, sleep=t.sleep, clock=t.clock)
    with pacer.slot("a.nl"):
        pass
    with pacer.slot("b.nl"):
        pass
    assert t.sleeps == []


def test_pause_holds_back_the_next_request() -> None:
    t = FakeTime()
    pacer = HostPacer(sleep=t.sleep, clock=t.clock)
    pacer.pause("e.nl", 7.0)
    with pacer.slot("e.nl"):
        assert t.now >= 107.0


def test_bad_values_refused() -> None:
    with pytest.raises(ValueError):
        HostPacer(concurrency=0)
    with pytest.raises(ValueError):
        HostPacer(min_delay=-1)


def test_parse_retry_after() -> None:
    now = datetime(2010, 11, 11, 10, 0, tzinfo=UTC)
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after("Thu, 11 Nov 2010 10:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Thu, 11 Nov 2010 09:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_retry_wait_backs_off_honours_and_caps() -> None:
    assert [retry_wait(a, retry_after=None, base=1, cap=30, jitter=0) for a in range(4)] == [
        1,
        2,
        4,
        8,
    ]
    assert retry_wait(0, retry_after=10, base=1, cap=30, jitter=0) == 10
    assert retry_wait(0, retry_after=3600, base=1, cap=30, jitter=0) == 30
    assert retry_wait(0, retry_after=None, base=1, cap=30, jitter=1.0) == 1.5
