"""Fault matrix, deletion side: faults that must never cost a live document (issue #9).

Each scenario crawls a real local site (tests.faultsite) over at least three runs and
checks the four promises of ``Matrix.assert_safe``.
"""

from __future__ import annotations

from pathlib import Path

from tests.faultsite import (
    FaultSite,
    Scenario,
    crawl_runs,
    fault_profile,
    fault_store,
    page,
    status,
)

ARTICLES = [f"/artikel/{n}" for n in range(1, 9)]


def _site(*extra: str) -> Scenario:
    """A start page linking eight articles (plus ``extra`` paths), all answering 200."""
    links = [*ARTICLES, *extra]
    routes = {"/": page("Start", links=links)}
    routes.update({p: page(f"Artikel {p}") for p in links})
    return Scenario(routes=routes)


def test_a_page_gone_twice_in_healthy_runs_is_deleted(tmp_path: Path) -> None:
    healthy = _site("/weg")
    gone = healthy.replace(routes={"/weg": status(410)})
    with FaultSite(healthy) as site, FaultSite(name="elders") as elsewhere:
        m = crawl_runs(
            fault_profile(site), fault_store(tmp_path / "kb.db"), site,
            [healthy, gone, gone, gone], off_scope=[elsewhere],
        )  # fmt: skip
    assert "/weg" in m.runs[0].added
    assert m.runs[1].deleted == set() and m.runs[2].deleted == {"/weg"}
    assert set(m.live()) == {"/", *ARTICLES}
    m.assert_safe(max_requests=4 * 11, gone={"/weg"})
