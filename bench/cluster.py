"""Cluster benchmark: the search mix on a 3-node cluster and on one node, then a node kill.

Not a test: it prints and writes measured figures to ``bench/results/cluster.json``.
In one run on this machine it

1. starts one ``LocalNode`` and a 3-node ``LocalCluster`` (free loopback ports, temp
   folders, our Dutch analysis plugin, the same heap per node) side by side;
2. generates N Dutch documents with ``bench.index.generate_documents`` and syncs the
   same documents into both: the one node with the one-node defaults (1 shard, 0
   replicas), the cluster with 3 shards and 1 replica;
3. serves the app for each with uvicorn (one worker each; the cluster's app gets all
   three node URLs) and runs ``bench.search``'s query mix through ``/api/search``
   and straight to Elasticsearch, alternating the sides in short rounds, at 1 and
   at 8 concurrent clients;
4. kills one cluster node with SIGKILL while 4 clients keep searching through the
   cluster's app, restarts it after the outage, and counts failed requests (goal 0)
   from the kill until the cluster is green again, with the times to yellow (the
   cluster noticed), and from the restart to green.

Everything runs on the same (shared, 2-core) machine: the three nodes do not get
more CPU than the one node, so the comparison shows what the cluster's extra
work (more shards to fan out to and merge, a replica for every write) costs here,
not what more machines would gain. The load average is recorded.

Usage: ``.venv/bin/python -m bench.cluster [--docs 20000]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import shutil
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import urllib3
from elasticsearch import Elasticsearch

from bench import search as search_bench
from bench.index import fill_store, generate_documents
from bench.search import (
    QUERIES,
    ROUNDS,
    Recorded,
    compare,
    figures,
    median_of,
    record,
    serve,
    ui_caller,
    warm,
)
from core.db import make_engine
from core.settings import REPO_ROOT, Settings
from core.store import DocumentStore
from indexer.client import make_client
from indexer.sync import sync_outbox
from localnode import plugin as esplugin
from localnode.cluster import LocalCluster
from localnode.node import LocalNode

RESULTS = REPO_ROOT / "bench" / "results" / "cluster.json"
ALIAS = "kbbench-cluster"
HEAP = "384m"
WARMUP = 60
REQUESTS_C1 = 240
REQUESTS_PER_CLIENT_C8 = 32
KILL_CLIENTS = 4
#: Searching goes on this long with the node dead before it is restarted.
OUTAGE_SECONDS = 20.0

Call = Callable[[int], None]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_both(scratch: Path) -> tuple[LocalNode, LocalCluster]:
    # Settings.home stays the usual cache: the distribution and plugin build are reused.
    base = Settings.from_env(es_heap=HEAP, es_data_dir="")
    plugins = [esplugin.ensure_plugin_zip(base)]
    one = LocalNode(
        dataclasses.replace(base, es_port=free_port(), es_data_dir=str(scratch / "one" / "data")),
        node_dir=scratch / "one" / "node",
    )
    ports = [free_port() for _ in range(6)]
    three = LocalCluster(
        base, nodes=3, root=scratch / "three", http_ports=ports[:3], transport_ports=ports[3:]
    )
    one.launch(plugins)
    try:
        three.start(plugins, timeout=600)
        one.wait_healthy(600)
    except BaseException:
        one.stop()
        three.stop()
        raise
    return one, three


def load(settings: Settings, docs: list[Any]) -> float:
    """Sync ``docs`` into the alias from a fresh store; seconds; waits for green."""
    client = make_client(settings)
    store = DocumentStore(make_engine(settings.database_url))
    fill_store(store, docs)
    started = time.perf_counter()
    report = sync_outbox(store, client, settings)
    seconds = time.perf_counter() - started
    assert report.indexed == len(docs) and report.failed == 0, "sync incomplete"
    client.indices.forcemerge(index=settings.index_alias, max_num_segments=1)
    client.cluster.health(index=settings.index_alias, wait_for_status="green", timeout="300s")
    assert client.count(index=settings.index_alias)["count"] == len(docs)
    return seconds


def es_caller(urls: list[str], recorded: list[list[Recorded]]) -> Callable[[], Call]:
    """``bench.search``'s direct side (the app's recorded requests replayed over raw
    HTTP), its client threads spread over ``urls`` as the app's client spreads requests."""
    makers = [search_bench.es_caller(url, recorded) for url in urls]
    made = itertools.count()

    def make() -> Call:
        return makers[next(made) % len(makers)]()

    return make


def cluster_health(client: Elasticsearch) -> dict[str, Any]:
    try:
        return dict(client.cluster.health(index=ALIAS).body)
    except Exception:
        return {}


def kill_and_recover(cluster: LocalCluster, settings: Settings, base: str) -> dict[str, Any]:
    """Searches through the app while node 0 is killed, out, restarted and recovering."""
    port = int(base.rsplit(":", 1)[1])
    paths = [f"/api/search?{urlencode(q)}" for q in QUERIES]
    watcher = make_client(settings)
    stop = threading.Event()
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []

    def client_loop(n: int) -> None:
        pool = urllib3.HTTPConnectionPool("127.0.0.1", port, maxsize=1)
        i = n
        while not stop.is_set():
            started = time.perf_counter()
            try:
                response = pool.request("GET", paths[i % len(paths)], retries=False)
                problem = "" if response.status == 200 else f"HTTP {response.status}"
            except urllib3.exceptions.HTTPError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            with lock:
                latencies.append(time.perf_counter() - started)
                if problem:
                    failures.append(problem)
            i += 1

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(KILL_CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    before = len(latencies)
    killed_at = time.monotonic()
    cluster.kill(0)
    noticed_at = None
    while time.monotonic() - killed_at < OUTAGE_SECONDS or noticed_at is None:
        health = cluster_health(watcher)
        if noticed_at is None and health.get("number_of_nodes") == 2:
            noticed_at = time.monotonic()
        if time.monotonic() - killed_at > 300:
            break
        time.sleep(0.25)
    restarted_at = time.monotonic()
    cluster.start_node(0, timeout=600)
    cluster.wait_for(3, status="green", timeout=600)
    green_at = time.monotonic()
    stop.set()
    for thread in threads:
        thread.join()
    during = latencies[before:]
    return {
        "requests_during": len(during),
        "failed_requests": len(failures),
        "failures": failures[:10],
        "seconds_kill_to_yellow_2_nodes": round((noticed_at or green_at) - killed_at, 2),
        "seconds_outage_before_restart": round(restarted_at - killed_at, 2),
        "seconds_restart_to_green": round(green_at - restarted_at, 2),
        "seconds_kill_to_green": round(green_at - killed_at, 2),
        "p50_ms_during": round(statistics.median(during) * 1000, 2),
        "p99_ms_during": round(sorted(during)[int(len(during) * 0.99)] * 1000, 2),
        "clients": KILL_CLIENTS,
    }


def run(count: int, scratch: Path) -> dict[str, Any]:
    load_start = os.getloadavg()[0]
    one, three = start_both(scratch)
    processes = []
    try:
        single = Settings.from_env(
            home=scratch / "h1", es_url=one.url, index_alias=ALIAS, index_shards=1,
            index_replicas=0,
        )  # fmt: skip
        multi = Settings.from_env(
            home=scratch / "h3", es_url=three.es_url, index_alias=ALIAS, index_shards=3,
            index_replicas=1,
        )  # fmt: skip
        docs = generate_documents(count)
        sync_seconds = {"one": load(single, docs), "three": load(multi, docs)}
        print("synced", sync_seconds)
        process_one, base_one = serve(single)
        processes.append(process_one)
        process_three, base_three = serve(multi)
        processes.append(process_three)
        sides = {
            "ui_one": ui_caller(base_one),
            "ui_three": ui_caller(base_three),
            "es_one": es_caller([one.url], record(single)),
            "es_three": es_caller(three.urls, record(multi)),
        }
        for make in sides.values():
            warm(make, WARMUP)
        c1 = figures(compare(sides, 1, REQUESTS_C1))
        print("c=1", c1["pooled"])
        c8 = figures(compare(sides, 8, REQUESTS_PER_CLIENT_C8))
        print("c=8", c8["pooled"])
        load_before_kill = os.getloadavg()[0]
        kill = kill_and_recover(three, multi, base_three)
        print("kill", kill)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        one.stop()
        three.stop()
    return {
        "docs": count,
        "heap_per_node": HEAP,
        "one_node": {"shards": 1, "replicas": 0},
        "three_nodes": {"shards": 3, "replicas": 1},
        "p50_ms_ui_c1": {side: _median(c1, f"ui_{side}", "p50_ms") for side in SIDES},
        "p50_ms_es_c1": {side: _median(c1, f"es_{side}", "p50_ms") for side in SIDES},
        "p99_ms_ui_c8": {side: c8["pooled"][f"ui_{side}"]["p99_ms"] for side in SIDES},
        "rps_ui_c8": {side: _median(c8, f"ui_{side}", "rps") for side in SIDES},
        "rps_ratio_three_vs_one_ui_c8": _ratio(c8, "ui"),
        "rps_ratio_three_vs_one_es_c8": _ratio(c8, "es"),
        "sync_seconds": {k: round(v, 1) for k, v in sync_seconds.items()},
        "kill": kill,
        "failed_requests_during_kill": kill["failed_requests"],
        "seconds_restart_to_green": kill["seconds_restart_to_green"],
        "runs": {"c1": c1["pooled"], "c8": c8["pooled"]},
        "rounds": ROUNDS,
        "load_average": {
            "start": load_start,
            "before_kill": load_before_kill,
            "end": os.getloadavg()[0],
        },
        "cpus": os.cpu_count(),
        "queries": [urlencode(q) for q in QUERIES],
    }


SIDES = ("one", "three")


def _median(found: dict[str, Any], side: str, value: str) -> float:
    """The median over the rounds of one side's figure (rounds alternate the sides)."""
    return round(median_of(found["rounds"], lambda r: r[side][value]), 2)


def _ratio(found: dict[str, Any], kind: str) -> float:
    """Median over the rounds of the three nodes' throughput over the one node's."""
    return round(
        median_of(found["rounds"], lambda r: r[f"{kind}_three"]["rps"] / r[f"{kind}_one"]["rps"]),
        3,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000, help="documents to generate")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="kbbench-cluster-"))
    scratch.chmod(0o755)  # the node user (when we are root) must enter it
    try:
        figures = run(args.docs, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
