"""Search benchmark: ``/api/search`` against the same request sent straight to Elasticsearch.

Not a test: it prints and writes measured figures to ``bench/results/search.json``.
In one run against one node it

1. generates N Dutch documents with ``bench.index.generate_documents`` (seeded,
   both provinces), saves them into a fresh store and syncs them with the indexer;
2. serves the app with uvicorn in a subprocess (one worker, no access log);
3. for a fixed mix of staff queries (with and without filters), measures latency
   of ``GET /api/search`` (query + all five facets + highlight + suggester) and of
   the very body ``search_ui.query.build_search`` makes, sent with the client,
   at 1 and at 16 concurrent clients; p50, p99 and requests per second;
4. measures p50 of the direct request with the highlight over without it.

The sides alternate in eight short rounds (the machine is shared with other work,
so load drift must hit both sides alike); the load average is recorded.

Both sides are timed the same way: request sent -> JSON parsed, one keep-alive
connection per client thread (urllib3 for the app, the ES client for ES).

Usage: ``.venv/bin/python -m bench.search [--docs 50000]``. Without
``KENNISBRUG_ES_URL`` it starts a LocalNode of its own and stops it at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import orjson
import urllib3
from elasticsearch import Elasticsearch
from elasticsearch.serializer import OrjsonSerializer

from bench.index import elasticsearch_url, fill_store, generate_documents
from core.db import make_engine
from core.settings import REPO_ROOT, Settings
from core.store import DocumentStore
from indexer.client import make_client
from indexer.sync import sync_outbox
from search_ui.params import parse_params
from search_ui.query import build_search
from search_ui.synonyms import starter_set
from search_ui.syntax import parse_query
from search_ui.typed import lift_typed_filters

RESULTS = REPO_ROOT / "bench" / "results" / "search.json"
ALIAS = "kbbench-search"
#: Staff-like queries that all find something in the generated corpus (the zero-results
#: help would add its own requests, which is not what is measured here).
QUERIES: list[list[tuple[str, str]]] = [
    [("q", "leesclub volwassenen")],
    [("q", "mediawijsheid ouderavond")],
    [("q", "beleidsplan bibliotheekvernieuwing")],
    [("q", "laaggeletterdheid")],
    [("q", "bieb Maastricht")],
    [("q", "bibliotheek"), ("provincie", "Limburg")],
    [("q", "leesbevordering taalpunt"), ("provincie", "Limburg"), ("provincie", "Noord-Brabant")],
    [("q", '"bibliotheek op school"')],
    [("q", "collectie -e-books"), ("sorteer", "nieuwste")],
    [("q", "e-readers OF webcatalogus"), ("provincie", "Noord-Brabant")],
    [("q", "titel:mediawijsheid")],
    [("q", "Hyves bron:ekic jaar:2009..2011")],
]
WARMUP = 120
REQUESTS_C1 = 480
REQUESTS_PER_CLIENT_C16 = 64
ROUNDS = 8


def app_from_env() -> Any:
    """uvicorn ``--factory`` entry point: the app for ``KENNISBRUG_*`` settings."""
    from search_ui.app import create_app

    return create_app(Settings.from_env())


def load(count: int, url: str, home: Path, *, reuse: bool) -> Settings:
    settings = Settings.from_env(home=home, es_url=url, index_alias=ALIAS)
    client = make_client(settings)
    exists = client.indices.exists_alias(name=ALIAS)
    if reuse and exists and client.count(index=ALIAS)["count"] == count:
        print(f"reusing the {count} documents behind {ALIAS}")
        return settings
    if exists:
        drop(client)
    docs = generate_documents(count)
    store = DocumentStore(make_engine(settings.database_url))
    fill_store(store, docs)
    started = time.perf_counter()
    report = sync_outbox(store, client, settings)
    client.indices.refresh(index=ALIAS)
    client.indices.forcemerge(index=ALIAS, max_num_segments=1)
    print(f"indexed {report.done} documents in {time.perf_counter() - started:.1f}s")
    return settings


def drop(client: Elasticsearch) -> None:
    for name in client.indices.get_alias(name=ALIAS).body:
        client.indices.delete(index=name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(settings: Settings) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KENNISBRUG_")},
        "KENNISBRUG_HOME": str(settings.home),
        "KENNISBRUG_ES_URL": settings.es_url,
        "KENNISBRUG_INDEX_ALIAS": settings.index_alias,
    }
    command = [sys.executable, "-m", "uvicorn", "bench.search:app_from_env", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
               "--timeout-keep-alive", "300"]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    http = urllib3.PoolManager()
    for _ in range(300):
        try:
            if http.request("GET", base + "/healthz", retries=False).status == 200:
                return process, base
        except urllib3.exceptions.HTTPError:
            pass
        time.sleep(0.1)
    process.terminate()
    raise SystemExit("the app did not start")


Call = Callable[[int], None]


def ui_caller(base: str) -> Callable[[], Call]:
    paths = [f"/api/search?{urlencode(q)}" for q in QUERIES]

    def make() -> Call:
        pool = urllib3.HTTPConnectionPool("127.0.0.1", int(base.rsplit(":", 1)[1]), maxsize=1)

        def call(i: int) -> None:
            response = pool.request("GET", paths[i % len(paths)], retries=False)
            assert response.status == 200, response.data[:200]
            orjson.loads(response.data)

        return call

    return make


def es_caller(url: str, *, highlight: bool = True) -> Callable[[], Call]:
    bodies = []
    synonyms = starter_set()  # the app expands with the same list
    for query in QUERIES:
        params = lift_typed_filters(parse_params(query))
        search = build_search(
            params, parse_query(params.q), index=ALIAS, highlight=highlight, synonyms=synonyms
        )
        bodies.append(search.to_dict())

    def make() -> Call:
        # orjson, as in the app: the comparison is about the app, not the JSON library.
        client = Elasticsearch(url, request_timeout=30, serializer=OrjsonSerializer())

        def call(i: int) -> None:
            client.search(index=ALIAS, body=bodies[i % len(bodies)])

        return call

    return make


def warm(make: Callable[[], Call], count: int) -> None:
    call = make()
    for i in range(count):
        call(i)


def timed(callers: list[Call], per_client: int) -> tuple[list[float], float]:
    """Every caller in its own thread, ``per_client`` calls each; latencies and wall time."""
    latencies: list[list[float]] = [[] for _ in callers]

    def worker(n: int) -> None:
        for i in range(per_client):
            started = time.perf_counter()
            callers[n](i + n)
            latencies[n].append(time.perf_counter() - started)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(len(callers))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [x for row in latencies for x in row], time.perf_counter() - started


def compare(
    sides: dict[str, Callable[[], Call]], clients: int, per_client: int
) -> dict[str, dict[str, float]]:
    """Alternate the sides in short rounds so that load from other processes hits all alike."""
    callers = {name: [make() for _ in range(clients)] for name, make in sides.items()}
    samples: dict[str, list[float]] = {name: [] for name in sides}
    walls = dict.fromkeys(sides, 0.0)
    per_round = max(1, per_client // ROUNDS)
    for _ in range(ROUNDS):
        for name, group in callers.items():
            latencies, wall = timed(group, per_round)
            samples[name] += latencies
            walls[name] += wall
    return {name: summary(samples[name], walls[name]) for name in sides}


def summary(latencies: list[float], wall: float) -> dict[str, float]:
    flat = sorted(latencies)
    return {
        "p50_ms": round(statistics.median(flat) * 1000, 2),
        "p99_ms": round(flat[min(len(flat) - 1, int(len(flat) * 0.99))] * 1000, 2),
        "rps": round(len(flat) / wall, 1),
        "requests": len(flat),
    }


def run(count: int, url: str, home: Path, *, reuse: bool = False) -> dict[str, Any]:
    settings = load(count, url, home, reuse=reuse)
    process, base = serve(settings)
    try:
        ui, es, plain = ui_caller(base), es_caller(url), es_caller(url, highlight=False)
        for make in (ui, es, plain):
            warm(make, WARMUP)
        c1 = compare({"ui": ui, "es": es, "es_plain": plain}, 1, REQUESTS_C1)
        print("c=1", c1)
        c16 = compare({"ui": ui, "es": es}, 16, REQUESTS_PER_CLIENT_C16)
        print("c=16", c16)
    finally:
        process.terminate()
        process.wait(timeout=30)
    if not reuse:
        drop(make_client(settings))
    return {
        "docs": count,
        "p50_ms_ui_c1": c1["ui"]["p50_ms"],
        "p50_ms_es_c1": c1["es"]["p50_ms"],
        "p99_ms_ui_c16": c16["ui"]["p99_ms"],
        "p99_ms_es_c16": c16["es"]["p99_ms"],
        "rps_ratio_c16": round(c16["ui"]["rps"] / c16["es"]["rps"], 3),
        "highlight_ratio": round(c1["es"]["p50_ms"] / c1["es_plain"]["p50_ms"], 3),
        "p50_overhead_ms_c1": round(c1["ui"]["p50_ms"] - c1["es"]["p50_ms"], 2),
        "p99_overhead_ms_c16": round(c16["ui"]["p99_ms"] - c16["es"]["p99_ms"], 2),
        "runs": {"c1": c1, "c16": c16},
        "load_average": os.getloadavg()[0],
        "queries": [urlencode(q) for q in QUERIES],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=50_000, help="documents to generate")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the index for the next run, reuse a kept one"
    )
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="kbbench-search-"))
    try:
        with elasticsearch_url() as url:
            figures = run(args.docs, url, home, reuse=args.reuse)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
