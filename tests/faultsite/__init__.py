"""The fault-matrix test site: real HTTP servers on 127.0.0.1 that misbehave on purpose.

Used by tests/integration/test_fault_matrix_*.py. Each scenario is crawled over >= 3
consecutive runs and must keep four promises (``Matrix.assert_safe``): no live
document deleted; documents that are really gone (410/404 twice, healthy runs)
deleted; zero requests to off-scope servers; total requests bounded.

API (everything importable from ``tests.faultsite``)::

    with FaultSite(scenario) as site, FaultSite(name="elders") as elsewhere:
        profile = fault_profile(site, scope={"max_pages": 5})   # TOML keys, nested merge
        store = fault_store(tmp_path / "kb.db")                 # sqlite state DB
        m = crawl_runs(profile, store, site, 3, off_scope=[elsewhere])
        m.assert_safe(max_requests=40, gone={"/weg"})
        m.runs[1].report.healthy, m.runs[2].deleted, m.live(), site.hits_for("/a")

Scenario: ``Scenario(routes={"/": page("Start", links=["/a"]), "/a": page("A")},
fallback=status(404), robots=ROBOTS_ALLOW_ALL)``. A route is a ``Response`` or a
function ``Request -> Response`` (``Request.run`` is the 0-based run number, so one
route can change behaviour between runs). Routes match the exact target (path+query)
first, then the path. Builders: ``page(title, text, links=, canonical=, head=, status=,
etag=, content_type=, headers=)``, ``status(code, **headers)`` (e.g.
``status(503, **{"Retry-After": "86400"})``), ``redirect(location, code=302)``,
``Response(body=, content_type=, headers=, delay=, chunks=, chunk_delay=, drop=, etag=)``
(``chunks``/``chunk_delay`` trickle a body that has a Content-Length; ``drop`` closes
the connection unanswered; ``etag`` makes the server answer 304 to a matching
If-None-Match). ``scenario.replace(routes={...}, fallback=...)`` copies with changes.

FaultSite: ``base_url``, ``url(path)``, ``scenario`` (swap any time), ``hits`` (every
request: ``Hit(run, host, method, target, status, time)``; status 0 = dropped),
``hits_in(run)``, ``hits_for(target)``, ``errors`` (routes that raised),
``stop()``/``start()`` (connection refused in between; same port).

crawl_runs(profile, store, site, runs, off_scope=, clock=, fetch=, matrix=): ``runs``
is an int (repeat the current scenario), or a list of ``Scenario`` / ``RunSpec(scenario=,
full=, profile=, server_down=, cancel_after=, advance=, recrawl=)``; ``recrawl="/a"`` makes
that entry the admin's one-URL recrawl of "/a" instead of a crawl. ``fetch`` overrides Fetcher
arguments (defaults ``FAST_FETCH``: 1 retry, Retry-After cap 1 s). With a ``FakeClock``
(give the same one to ``fault_store``) ``RunSpec.advance`` moves time before a run.
Returns ``Matrix``: ``runs`` (``RunResult``: ``report``, ``hits``, ``off_scope_hits``,
``live_before``/``live_after`` by id, ``deleted``/``added`` as paths, ``error``),
``reports``, ``deleted``, ``hits``, ``off_scope_hits``, ``live()``, ``assert_safe()``.
"""

from tests.faultsite.matrix import (
    FAST_FETCH,
    UA,
    FakeClock,
    Matrix,
    RunResult,
    RunSpec,
    crawl_runs,
    fault_profile,
    fault_profiles,
    fault_store,
    profile_table,
)
from tests.faultsite.server import (
    NOT_FOUND,
    ROBOTS_ALLOW_ALL,
    FaultSite,
    Hit,
    Request,
    Response,
    Route,
    Scenario,
    page,
    redirect,
    status,
)

__all__ = [
    "FAST_FETCH",
    "NOT_FOUND",
    "ROBOTS_ALLOW_ALL",
    "UA",
    "FakeClock",
    "FaultSite",
    "Hit",
    "Matrix",
    "Request",
    "Response",
    "Route",
    "RunResult",
    "RunSpec",
    "Scenario",
    "crawl_runs",
    "fault_profile",
    "fault_profiles",
    "fault_store",
    "page",
    "profile_table",
    "redirect",
    "status",
]
