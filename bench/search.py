"""Search benchmark: ``/api/search`` against the same requests sent straight to Elasticsearch.

Not a test: it prints and writes measured figures to ``bench/results/search.json``.
In one run against one node it

1. generates N Dutch documents with ``bench.index.generate_documents`` (seeded,
   both provinces), saves them into a fresh store and syncs them with the indexer;
2. serves the app in a subprocess through ``search_ui.serving.serve`` (as ``kennisbrug web``;
   one worker, no access log);
3. records, for every URL of the query mix, the Elasticsearch requests the app's own
   search orchestrator (``search_ui.searching.run_search``) sends for it: the main
   search and, for zero-result, typo and relaxed queries, the follow-up ``_msearch``;
4. measures ``GET /api/search?...`` (the whole app) and the replay of exactly those
   recorded requests straight to Elasticsearch, at 1 and at 16 concurrent clients;
5. measures the direct main search with its ``highlight`` section over without it;
6. times the app's in-process stages (µs per request: parse, build, read, JSON).

Like with like: both sides are raw HTTP from urllib3, one keep-alive connection per
client thread, request sent -> JSON parsed with orjson. The sides alternate in sixteen
rounds (the machine is shared, so load drift must hit both alike); per-round figures
are kept and the headline figures are medians over the rounds; the load average is
recorded before and after.

Usage: ``.venv/bin/python -m bench.search [--docs 50000]``. Without
``KENNISBRUG_ES_URL`` it starts a LocalNode of its own and stops it at the end.
"""

from __future__ import annotations

import argparse
import asyncio
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson
import urllib3
from elasticsearch import Elasticsearch

from bench.index import elasticsearch_url, fill_store, generate_documents
from core.db import make_engine
from core.settings import REPO_ROOT, Settings
from core.sources import load_provinces
from core.store import DocumentStore
from indexer.client import make_client
from indexer.sync import sync_outbox
from search_ui.backend import SearchBackend, async_search_client, search_client
from search_ui.formats import page_json
from search_ui.params import parse_params
from search_ui.results import read_page
from search_ui.searching import run_search
from search_ui.synonyms import starter_set
from search_ui.syntax import parse_query
from search_ui.typed import lift_typed_filters

RESULTS = REPO_ROOT / "bench" / "results" / "search.json"
ALIAS = "kbbench-search"
#: The app parses provincie values with the configured provinces; so does the recording.
PROVINCES = load_provinces(REPO_ROOT / "config" / "sources.toml")
#: Staff-like queries: plain words, phrase, exclusion, OR, field and typed filters, facet
#: filters, sorting, paging -- and the paths that need a second request: a query that
#: finds nothing, typos ("bedoelde u"), and a natural multi-word question.
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
    [("q", "bibliotheek"), ("pagina", "3")],
    [("q", "leesbevordering"), ("sorteer", "oudste"), ("pagina", "2")],
    [("q", "mediawijshied")],
    [("q", "leesclbu volwasenen")],
    [("q", "hoe organiseer ik een leesclub voor volwassenen in de bibliotheek")],
    [("q", "zwembadrooster kermisattractie")],
]
#: Requests per side before anything is timed. Elasticsearch's JIT compiler is still
#: warming for the first ~1,500 searches after a node starts (on a restarted node the
#: direct p50 fell from 22 to 11 ms over them), and the benchmark starts its own node;
#: 600 per side (about 2,700 searches in all) measures the node in the state it serves in.
WARMUP = 600
#: 16 rounds of 60 requests per side at 1 client, of 40 per client at 16 clients (10,240
#: requests per side: the pooled p99 is the 103rd slowest). Single rounds move a lot on
#: this machine (throughput ratios 0.84 to 1.02 within one run of 8 rounds), so a median
#: of 8 could land 0.03 either way; 16 rounds halve the odds of that.
REQUESTS_C1 = 960
REQUESTS_PER_CLIENT_C16 = 640
ROUNDS = 16


def serve_app(port: int) -> None:
    """The app subprocess: served as ``kennisbrug web`` serves it (search_ui.serving), but
    without the access log and with a long keep-alive (the clients reuse connections)."""
    from search_ui.app import create_app
    from search_ui.serving import serve as run_server

    app = create_app(Settings.from_env())
    run_server(
        app, host="127.0.0.1", port=port, access_log=False, log_level="warning",
        timeout_keep_alive=300,
    )  # fmt: skip


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
        # One client address sends thousands of anonymous searches a minute here: the
        # per-address flood brake (issue #13) would answer 429 and measure nothing.
        "KENNISBRUG_SEARCH_RATE_PER_MINUTE": "0",
    }
    command = [sys.executable, "-m", "bench.search", "--serve", str(port)]
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


@dataclass(frozen=True)
class Recorded:
    """One request of the app to Elasticsearch, ready to send again as raw HTTP."""

    method: str
    path: str
    body: bytes
    content_type: str
    accept: str


class RecordingBackend(SearchBackend):
    """The app's backend, keeping a copy of every request it sends."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            search_client(settings),
            index=settings.index_alias,
            make_async=lambda: async_search_client(settings),
        )
        self.sent: list[Recorded] = []

    async def request(
        self, action: str, method: str, path: str, body: Any, headers: dict[str, str]
    ) -> dict[str, Any]:
        if isinstance(body, list):  # _msearch: NDJSON, as the client serialises it
            raw = b"".join(orjson.dumps(line) + b"\n" for line in body)
        else:
            raw = orjson.dumps(body)
        self.sent.append(Recorded(method, path, raw, headers["content-type"], headers["accept"]))
        return await super().request(action, method, path, body, headers)


def record(settings: Settings) -> list[list[Recorded]]:
    """Per query, the requests ``run_search`` sends (what a direct client must send too)."""

    async def all_queries() -> list[list[Recorded]]:
        backend = RecordingBackend(settings)
        found = []
        for query in QUERIES:
            backend.sent = []
            # As pages.search_page does: typed filters lifted, the app's synonym list.
            params = lift_typed_filters(parse_params(query, PROVINCES), PROVINCES)
            await run_search(backend, params, synonyms=starter_set(), provinces=PROVINCES)
            found.append(backend.sent)
        await backend.aclose()
        return found

    return asyncio.run(all_queries())


def without_highlight(request: Recorded) -> Recorded:
    body = orjson.loads(request.body)
    body.pop("highlight", None)
    return Recorded(
        request.method, request.path, orjson.dumps(body), request.content_type, request.accept
    )


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


def page_caller(base: str) -> Callable[[], Call]:
    """The results page staff see (``/zoeken``, HTML), read to its last byte. A URL the page
    redirects (typed filters such as ``bron:ekic`` become facets) is asked for at the
    address it redirects to, so every call renders a page."""
    port = int(base.rsplit(":", 1)[1])
    first = urllib3.HTTPConnectionPool("127.0.0.1", port, maxsize=1)
    paths = []
    for q in QUERIES:
        path = f"/zoeken?{urlencode(q)}"
        answer = first.request("GET", path, retries=False, redirect=False)
        paths.append(answer.headers["location"] if answer.status == 303 else path)

    def make() -> Call:
        pool = urllib3.HTTPConnectionPool("127.0.0.1", port, maxsize=1)

        def call(i: int) -> None:
            response = pool.request("GET", paths[i % len(paths)], retries=False)
            assert response.status == 200, response.data[:200]
            assert response.data.rstrip().endswith(b"</html>")

        return call

    return make


def es_caller(url: str, recorded: list[list[Recorded]]) -> Callable[[], Call]:
    """Replays each query's recorded requests in order, raw HTTP like the ui side."""
    parts = urlsplit(url)

    def make() -> Call:
        pool = urllib3.HTTPConnectionPool(parts.hostname or "127.0.0.1", parts.port, maxsize=1)

        def call(i: int) -> None:
            for request in recorded[i % len(recorded)]:
                response = pool.request(
                    request.method,
                    request.path,
                    body=request.body,
                    headers={"content-type": request.content_type, "accept": request.accept},
                    retries=False,
                )
                assert response.status == 200, response.data[:200]
                orjson.loads(response.data)

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
) -> list[dict[str, dict[str, float]]]:
    """Alternate the sides in short rounds so that load from other processes hits all alike."""
    callers = {name: [make() for _ in range(clients)] for name, make in sides.items()}
    per_round = max(1, per_client // ROUNDS)
    rounds = []
    for _ in range(ROUNDS):
        found = {}
        for name, group in callers.items():
            latencies, wall = timed(group, per_round)
            found[name] = {"latencies": latencies, "wall": wall}
        rounds.append(found)
    return rounds  # type: ignore[return-value]


def summary(latencies: list[float], wall: float) -> dict[str, float]:
    flat = sorted(latencies)
    return {
        "p50_ms": round(statistics.median(flat) * 1000, 2),
        "p99_ms": round(flat[min(len(flat) - 1, int(len(flat) * 0.99))] * 1000, 2),
        "rps": round(len(flat) / wall, 1),
        "requests": len(flat),
    }


def figures(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Every side pooled over the rounds, plus each round's own summary."""
    names = list(rounds[0])
    pooled = {
        name: summary(
            [x for r in rounds for x in r[name]["latencies"]], sum(r[name]["wall"] for r in rounds)
        )
        for name in names
    }
    per_round = [
        {name: summary(r[name]["latencies"], r[name]["wall"]) for name in names} for r in rounds
    ]
    return {"pooled": pooled, "rounds": per_round}


def median_of(rounds: list[dict[str, dict[str, float]]], value: Callable[[Any], float]) -> float:
    return float(statistics.median(value(r) for r in rounds))


def app_stages(settings: Settings, repeat: int = 300) -> dict[str, float]:
    """Median µs per request of the app's own in-process stages (the same query mix).

    ``es_round_trip`` is the async client's round trip of the main search (Elasticsearch's
    own time included); the others are pure Python and are what the app adds.
    """
    from search_ui.query import build_search

    backend = SearchBackend(
        Elasticsearch(settings.es_url),
        index=settings.index_alias,
        make_async=lambda: async_search_client(settings),
    )
    stages: dict[str, list[float]] = {
        k: [] for k in ("parse", "build_body", "es_round_trip", "read_answer", "to_json")
    }

    synonyms = starter_set()

    async def measure() -> None:
        for i in range(repeat):
            query = QUERIES[i % len(QUERIES)]
            t0 = time.perf_counter()
            params = lift_typed_filters(parse_params(query, PROVINCES), PROVINCES)
            parsed = parse_query(params.q, PROVINCES)
            t1 = time.perf_counter()
            body = build_search(params, parsed, index=backend.index, synonyms=synonyms).to_dict()
            t2 = time.perf_counter()
            answer = await backend.search(body)
            t3 = time.perf_counter()
            page = read_page(answer.body, params, parsed, answer.seconds)
            t4 = time.perf_counter()
            orjson.dumps(page_json(page))
            t5 = time.perf_counter()
            for name, took in zip(
                stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True
            ):
                stages[name].append(took)
        await backend.aclose()

    asyncio.run(measure())
    return {name: round(statistics.median(v) * 1e6, 1) for name, v in stages.items()}


def profile(pid: int, seconds: int, out: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling the app's process (collapsed stacks, idle time left out)."""
    command = [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid),
               "--duration", str(seconds), "--rate", "500", "--format", "raw",
               "--output", str(out), "--nonblocking"]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run(
    count: int, url: str, home: Path, *, reuse: bool = False, profile_to: Path | None = None
) -> dict[str, Any]:
    settings = load(count, url, home, reuse=reuse)
    recorded = record(settings)
    load_before = os.getloadavg()
    process, base = serve(settings)
    try:
        ui, es = ui_caller(base), es_caller(url, recorded)
        page = page_caller(base)
        plain = es_caller(url, [[without_highlight(r[0])] for r in recorded])
        main_only = es_caller(url, [[r[0]] for r in recorded])
        for make in (ui, es, plain, page):
            warm(make, WARMUP)
        if profile_to is not None:  # a separate c=1 ui run under py-spy, not in the figures
            spy = profile(process.pid, 20, profile_to)
            time.sleep(1)
            call, deadline = ui(), time.monotonic() + 18
            i = 0
            while time.monotonic() < deadline:
                call(i)
                i += 1
            spy.wait(timeout=60)
        c1 = figures(
            compare(
                {"ui": ui, "es": es, "es_main": main_only, "es_plain": plain, "page": page},
                1,
                REQUESTS_C1,
            )
        )
        print("c=1", c1["pooled"])
        c16 = figures(compare({"ui": ui, "es": es}, 16, REQUESTS_PER_CLIENT_C16))
        print("c=16", c16["pooled"])
    finally:
        process.terminate()
        process.wait(timeout=30)
    stages = app_stages(settings)
    print("stages (µs)", stages)
    load_after = os.getloadavg()
    if not reuse:
        drop(make_client(settings))
    p1, p16 = c1["pooled"], c16["pooled"]
    return {
        "docs": count,
        "p50_ms_ui_c1": median_of(c1["rounds"], lambda r: r["ui"]["p50_ms"]),
        "p50_ms_es_c1": median_of(c1["rounds"], lambda r: r["es"]["p50_ms"]),
        "p99_ms_ui_c16": p16["ui"]["p99_ms"],
        "p99_ms_es_c16": p16["es"]["p99_ms"],
        "rps_ratio_c16": round(
            median_of(c16["rounds"], lambda r: r["ui"]["rps"] / r["es"]["rps"]), 3
        ),
        "highlight_ratio": round(
            median_of(c1["rounds"], lambda r: r["es_main"]["p50_ms"] / r["es_plain"]["p50_ms"]), 3
        ),
        "p50_overhead_ms_c1": round(
            median_of(c1["rounds"], lambda r: r["ui"]["p50_ms"] - r["es"]["p50_ms"]), 2
        ),
        "p99_overhead_ms_c16": round(p16["ui"]["p99_ms"] - p16["es"]["p99_ms"], 2),
        # The HTML results page at 1 client, over the same direct requests (information:
        # the goals are set on the API; the page renders the same search into HTML).
        "p50_overhead_ms_c1_page": round(
            median_of(c1["rounds"], lambda r: r["page"]["p50_ms"] - r["es"]["p50_ms"]), 2
        ),
        "runs": {"c1": p1, "c16": p16},
        "rounds": {"c1": c1["rounds"], "c16": c16["rounds"]},
        "stages_us": stages,
        "es_requests_per_query": {
            urlencode(q): len(r) for q, r in zip(QUERIES, recorded, strict=True)
        },
        "load_average": {"before": load_before, "after": load_after},
        "cpu_count": os.cpu_count(),
        "shared_machine": True,
        "queries": [urlencode(q) for q in QUERIES],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=50_000, help="documents to generate")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the index for the next run, reuse a kept one"
    )
    parser.add_argument(
        "--profile", type=Path, help="also sample the app with py-spy into this file (raw)"
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # the app subprocess
    args = parser.parse_args()
    if args.serve:
        serve_app(args.serve)
        return
    home = Path(tempfile.mkdtemp(prefix="kbbench-search-"))
    try:
        with elasticsearch_url() as url:
            figures = run(args.docs, url, home, reuse=args.reuse, profile_to=args.profile)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
