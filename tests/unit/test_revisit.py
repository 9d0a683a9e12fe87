"""The adaptive revisit interval and which due pages a run verifies (crawler.revisit)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.sources import RevisitPolicy
from core.url_state import UrlState
from crawler.revisit import DAY, must_verify, next_interval, verified

POLICY = RevisitPolicy(max_days=8, min_days=1, budget=2)
NOW = datetime(2026, 1, 10, tzinfo=UTC)


def test_new_pages_start_at_half_the_maximum_spread_by_url() -> None:
    firsts = {next_interval(None, "new", f"http://h/{n}", POLICY) for n in range(50)}
    assert all(3 * DAY <= s < 5 * DAY for s in firsts)  # 4 days ± 25 %
    assert len(firsts) > 40  # spread, not one instant


def test_the_interval_halves_on_change_and_grows_when_stable_within_bounds() -> None:
    assert next_interval(4 * DAY, "changed", "u", POLICY) == 2 * DAY
    assert next_interval(4 * DAY, "unchanged", "u", POLICY) == 6 * DAY
    assert next_interval(int(1.5 * DAY), "changed", "u", POLICY) == DAY  # min_revisit
    assert next_interval(7 * DAY, "unchanged", "u", POLICY) == 8 * DAY  # max_revisit


def test_verification_sets_the_next_due_time_and_keeps_the_smallest_depth() -> None:
    before = UrlState(url="u", depth=2, interval_s=4 * DAY, verified_at=NOW, due_at=NOW)
    after = verified(before, "u", 5, "changed", NOW, POLICY)
    assert (after.depth, after.interval_s, after.due_at) == (2, 2 * DAY, NOW + timedelta(days=2))


def _state(url: str, verified_days_ago: float, due_days_ago: float) -> UrlState:
    return UrlState(
        url=url, depth=0, interval_s=DAY,
        verified_at=NOW - timedelta(days=verified_days_ago),
        due_at=NOW - timedelta(days=due_days_ago),
    )  # fmt: skip


def test_budget_takes_the_most_overdue_and_never_skips_past_the_maximum() -> None:
    states = {
        "late": _state("late", 9, 1),  # verified 9 days ago > max_revisit 8: always
        "a": _state("a", 3, 2),
        "b": _state("b", 3, 1),
        "c": _state("c", 3, 0.5),
        "fresh": _state("fresh", 0.1, -1),  # not due
    }
    known = set(states) | {"legacy"}  # no schedule yet: due first
    assert must_verify(states, known, NOW, POLICY) == {"late", "legacy", "a"}
    naive = {k: UrlState(url=k, depth=0, interval_s=DAY,
                         verified_at=v.verified_at.replace(tzinfo=None) if v.verified_at else None,
                         due_at=v.due_at.replace(tzinfo=None) if v.due_at else None)
             for k, v in states.items()}  # fmt: skip
    assert must_verify(naive, known, NOW, POLICY) == {"late", "legacy", "a"}  # SQLite's form
