"""Query-log benchmark: does recording a typed search cost the searcher any time?

Not a test: it prints and writes ``bench/results/query_log.json``. In one run against
one node and one app process (``bench.search``'s loader and server) it times the same
HTML search pages two ways, alternating in short rounds:

* ``logged``: ``/zoeken?q=...&zoekvak=1``, a search typed in the search box, which the
  app hands to the query log (``core.query_log.QueryLogWriter``);
* ``unlogged``: the very same URL without ``zoekvak=1``, which is not recorded.

Everything else (page, query, facets, template) is identical, so the difference is
the query log's cost on the request path. The rows really are written: the run
checks the query log table afterwards. Anonymous-search limiting is switched off for
the app under test (as in ``bench.search``), so both sides do the same work.

Usage: ``.venv/bin/python -m bench.query_log [--docs 5000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import urllib3
from sqlalchemy import func, select

from bench.index import elasticsearch_url
from bench.search import QUERIES, Call, compare, drop, figures, load, median_of, serve, warm
from core.account_tables import query_log
from core.db import make_engine
from core.settings import REPO_ROOT
from indexer.client import make_client

RESULTS = REPO_ROOT / "bench" / "results" / "query_log.json"
WARMUP = 60
REQUESTS_C1 = 320
REQUESTS_PER_CLIENT_C8 = 40


def page_caller(base: str, *, typed: bool) -> Callable[[], Call]:
    # Only queries with text: an empty query is never logged, on either side.
    marker = [("zoekvak", "1")] if typed else []
    paths = [f"/zoeken?{urlencode([*q, *marker])}" for q in QUERIES if dict(q).get("q")]
    # Only pages answered directly (a typed filter such as bron: redirects to its facet).
    probe = urllib3.PoolManager()
    paths = [p for p in paths if probe.request("GET", base + p, redirect=False).status == 200]

    def make() -> Call:
        pool = urllib3.HTTPConnectionPool("127.0.0.1", int(base.rsplit(":", 1)[1]), maxsize=1)

        def call(i: int) -> None:
            response = pool.request("GET", paths[i % len(paths)], retries=False)
            assert response.status == 200, response.data[:200]

        return call

    return make


def run(count: int, url: str, home: Path) -> dict[str, Any]:
    settings = load(count, url, home, reuse=False)
    process, base = serve(settings)
    try:
        logged, unlogged = page_caller(base, typed=True), page_caller(base, typed=False)
        for make in (logged, unlogged):
            warm(make, WARMUP)
        sides = {"logged": logged, "unlogged": unlogged}
        c1 = figures(compare(sides, 1, REQUESTS_C1))
        print("c=1", c1["pooled"])
        c8 = figures(compare(sides, 8, REQUESTS_PER_CLIENT_C8))
        print("c=8", c8["pooled"])
        time.sleep(3)  # the writer's last batch
    finally:
        process.terminate()
        process.wait(timeout=30)
    with make_engine(settings.database_url).connect() as conn:
        rows = int(conn.execute(select(func.count()).select_from(query_log)).scalar_one())
    drop(make_client(settings))
    p1, p8 = c1["pooled"], c8["pooled"]
    return {
        "docs": count,
        "p50_ms_logged_c1": p1["logged"]["p50_ms"],
        "p50_ms_unlogged_c1": p1["unlogged"]["p50_ms"],
        # Median over the rounds of each round's difference: drift between rounds cancels.
        "p50_cost_ms_c1": round(
            median_of(c1["rounds"], lambda r: r["logged"]["p50_ms"] - r["unlogged"]["p50_ms"]), 2
        ),
        "p99_ms_logged_c8": p8["logged"]["p99_ms"],
        "p99_ms_unlogged_c8": p8["unlogged"]["p99_ms"],
        "rps_ratio_c8": round(p8["logged"]["rps"] / p8["unlogged"]["rps"], 3),
        "rows_written": rows,
        "logged_requests": p1["logged"]["requests"] + p8["logged"]["requests"] + WARMUP,
        "runs": {"c1": c1, "c8": c8},
        "load_average": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=5_000, help="documents to generate")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="kbbench-querylog-"))
    try:
        with elasticsearch_url() as url:
            figures = run(args.docs, url, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
