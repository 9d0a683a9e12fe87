"""Indexer benchmark: our outbox sync and reindex against a raw ``helpers.bulk``.

Not a test: it prints and writes measured figures to ``bench/results/index.json``.
In one run against one node it

1. generates N Dutch documents (seeded, via ``demo.generator``) and
   saves them into a fresh SQLite document store (so they are all in the outbox);
2. warms the node up, then bulk-loads the same documents pre-serialised to bytes
   with ``helpers.bulk`` (same chunking, same index settings) -> the raw baseline;
3. runs ``sync_outbox`` from the store into a fresh index, measuring wall time,
   our process CPU and the node's CPU (``process.cpu.total_in_millis``);
4. runs a full ``reindex`` from the store and compares its time to a raw load with
   the reindex's own index settings (refresh off, no replicas during the load, same
   chunking; serving settings restored and one refresh at the end, as the reindex does),
   run once before and once after the reindex.

Usage: ``.venv/bin/python -m bench.index [--docs 50000]``. Without
``KENNISBRUG_ES_URL`` it starts a LocalNode of its own (free port, temp folder,
our analysis plugin) and stops it at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from elasticsearch import Elasticsearch, helpers

from core.db import make_engine
from core.models import Document
from core.settings import REPO_ROOT, Settings
from core.store import DocumentStore
from demo.generator import generate_bnb, generate_ekic
from indexer.client import make_client
from indexer.lifecycle import (
    LOAD_CHUNK_BYTES,
    LOAD_CHUNK_DOCS,
    concrete_indices,
    create_index,
    reindex,
)
from indexer.mapping import serving_settings, to_source
from indexer.sync import BulkOptions, sync_outbox
from localnode import plugin as esplugin
from localnode.node import LocalNode

RESULTS = REPO_ROOT / "bench" / "results" / "index.json"
ALIAS = "kbbench-kennisbrug"
HEADINGS = ("Aanleiding", "Aanpak", "Resultaten")


def generate_documents(count: int, *, seed: int = 2010) -> list[Document]:
    """Half eKIC articles (Limburg), half bnbibliotheek posts (Noord-Brabant).

    A demo entry has about 900 characters; knowledge-base articles are longer, so
    each document also carries the text of its two neighbours (about 2,700 chars).
    """
    ekic = generate_ekic(count // 2, seed=seed, first_id=1000)
    bnb = generate_bnb(count - count // 2, seed=seed, taken=set())
    docs = [
        _document(ekic, i, "ekic", "Limburg", f"https://ekic.example/artikel.php?id={e.key}")
        for i, e in enumerate(ekic)
    ]
    docs += [
        _document(
            bnb,
            i,
            "bnbibliotheek",
            "Noord-Brabant",
            f"https://bnbibliotheek.example/{e.published:%Y/%m}/{e.key}.html",
        )
        for i, e in enumerate(bnb)
    ]
    return docs


def _document(entries: list[Any], i: int, source: str, provincie: str, url: str) -> Document:
    entry = entries[i]
    paragraphs = [p for k in range(3) for p in entries[(i + k) % len(entries)].paragraphs]
    body = "\n\n".join(paragraphs)
    return Document(
        url=url,
        source=source,
        provincie=(provincie,),
        type="nieuws" if entry.kind in ("nieuws", "post") else "artikel",
        title=entry.title,
        body=body,
        summary=paragraphs[0][:300],
        headings=HEADINGS,
        author=entry.author,
        tags=tuple(entry.tags),
        published=entry.published,
    )


def es_cpu_millis(client: Elasticsearch) -> int:
    nodes = client.nodes.stats(metric="process")["nodes"]
    return sum(int(n["process"]["cpu"]["total_in_millis"]) for n in nodes.values())


def raw_bulk(
    client: Elasticsearch,
    settings: Settings,
    docs: list[Document],
    options: BulkOptions,
    index: str,
) -> float:
    """Seconds for ``helpers.bulk`` of pre-serialised documents into a fresh ``index``."""
    lines = [(orjson.dumps({"index": {"_id": d.id}}), orjson.dumps(to_source(d))) for d in docs]
    create_index(client, index, settings=settings)
    started = time.perf_counter()
    helpers.bulk(
        client.options(request_timeout=options.request_timeout),
        lines,  # type: ignore[arg-type]  # (header, body) byte pairs, see expand below
        index=index,
        chunk_size=options.chunk_size,
        max_chunk_bytes=options.max_chunk_bytes,
        expand_action_callback=lambda pair: pair,
    )
    seconds = time.perf_counter() - started
    client.indices.refresh(index=index)
    assert client.count(index=index)["count"] == len(docs), "raw bulk lost documents"
    client.indices.delete(index=index)
    return seconds


def raw_load(client: Elasticsearch, settings: Settings, docs: list[Document], index: str) -> float:
    """Seconds for the reindex's baseline: ``helpers.bulk`` with the reindex's index settings.

    The index is created with the loading settings (refresh off, no replicas), loaded
    with the reindex's chunking, then given its serving settings back and refreshed:
    the same work ``indexer.lifecycle.reindex`` does, minus reading the store.
    """
    lines = [(orjson.dumps({"index": {"_id": d.id}}), orjson.dumps(to_source(d))) for d in docs]
    create_index(client, index, settings=settings, loading=True)
    started = time.perf_counter()
    helpers.bulk(
        client.options(request_timeout=120),
        lines,  # type: ignore[arg-type]  # (header, body) byte pairs
        index=index,
        chunk_size=LOAD_CHUNK_DOCS,
        max_chunk_bytes=LOAD_CHUNK_BYTES,
        expand_action_callback=lambda pair: pair,
    )
    client.indices.put_settings(index=index, settings=serving_settings(settings.index_replicas))
    client.indices.refresh(index=index)
    seconds = time.perf_counter() - started
    assert client.count(index=index)["count"] == len(docs), "raw load lost documents"
    client.indices.delete(index=index)
    return seconds


def our_sync(store: DocumentStore, client: Elasticsearch, settings: Settings) -> dict[str, float]:
    es_before, cpu_before = es_cpu_millis(client), time.process_time()
    started = time.perf_counter()
    report = sync_outbox(store, client, settings)
    seconds = time.perf_counter() - started
    python_cpu = time.process_time() - cpu_before
    es_cpu = (es_cpu_millis(client) - es_before) / 1000
    assert report.failed == 0 and report.indexed == store.count_live(), "sync incomplete"
    return {"seconds": seconds, "python_cpu": python_cpu, "es_cpu": es_cpu}


def fill_store(store: DocumentStore, docs: list[Document]) -> None:
    for doc in docs:
        store.save(doc)


@contextmanager
def elasticsearch_url() -> Iterator[str]:
    """KENNISBRUG_ES_URL, or a LocalNode of our own for the length of the run."""
    if os.environ.get("KENNISBRUG_ES_URL"):
        yield os.environ["KENNISBRUG_ES_URL"]
        return
    scratch = Path(tempfile.mkdtemp(prefix="kbbench-es-"))
    scratch.chmod(0o755)  # the node user (when we are root) must enter it
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    settings = Settings.from_env(es_port=port, es_data_dir=str(scratch / "data"))
    node = LocalNode(settings, node_dir=scratch / "node")
    try:
        node.start(plugins=[esplugin.ensure_plugin_zip(settings)])
        yield node.url
    finally:
        node.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def run(count: int, url: str, home: Path) -> dict[str, Any]:
    settings = Settings.from_env(home=home, es_url=url, index_alias=ALIAS)
    client = make_client(settings)
    options = BulkOptions()
    docs = generate_documents(count)
    print(f"{len(docs)} documents, {sum(len(d.body) for d in docs) / len(docs):.0f} body chars avg")
    store = DocumentStore(make_engine(settings.database_url))
    started = time.perf_counter()
    fill_store(store, docs)
    print(f"store filled in {time.perf_counter() - started:.1f}s")
    raw_bulk(client, settings, docs[: count // 10], options, f"{ALIAS}-warmup")
    # Raw load before and after our sync: the machine is shared, so drift is averaged out.
    raw_runs = [raw_bulk(client, settings, docs, options, f"{ALIAS}-raw1")]
    print(f"raw helpers.bulk: {raw_runs[0]:.1f}s")
    ours = our_sync(store, client, settings)
    print(
        f"our sync: {ours['seconds']:.1f}s, python cpu {ours['python_cpu']:.1f}s, "
        f"es cpu {ours['es_cpu']:.1f}s"
    )
    raw_runs.append(raw_bulk(client, settings, docs, options, f"{ALIAS}-raw2"))
    print(f"raw helpers.bulk again: {raw_runs[1]:.1f}s")
    raw = sum(raw_runs) / len(raw_runs)
    # The reindex against a raw load with its own settings, before and after it.
    load_runs = [raw_load(client, settings, docs, f"{ALIAS}-load1")]
    print(f"raw load (reindex settings): {load_runs[0]:.1f}s")
    started = time.perf_counter()
    reindex(store, client, settings)
    reindexed = time.perf_counter() - started
    print(f"reindex: {reindexed:.1f}s")
    load_runs.append(raw_load(client, settings, docs, f"{ALIAS}-load2"))
    print(f"raw load (reindex settings) again: {load_runs[1]:.1f}s")
    loaded = sum(load_runs) / len(load_runs)
    for name in concrete_indices(client, ALIAS):
        client.indices.delete(index=name)
    return {
        "docs": len(docs),
        "ours_docs_per_s": round(len(docs) / ours["seconds"], 1),
        "raw_docs_per_s": round(len(docs) / raw, 1),
        "ratio_vs_raw_bulk": round(ours["seconds"] / raw, 3),
        "client_cpu_share": round(ours["python_cpu"] / ours["es_cpu"], 3),
        "reindex_ratio": round(reindexed / loaded, 3),
        "seconds": {
            "raw_bulk": round(raw, 2),
            "raw_bulk_runs": [round(r, 2) for r in raw_runs],
            "raw_load": round(loaded, 2),
            "raw_load_runs": [round(r, 2) for r in load_runs],
            "sync": round(ours["seconds"], 2),
            "reindex": round(reindexed, 2),
        },
        "cpu_seconds": {
            "python": round(ours["python_cpu"], 2),
            "elasticsearch": round(ours["es_cpu"], 2),
        },
        "load_average": os.getloadavg(),
        "chunking": {"chunk_size": options.chunk_size, "max_chunk_bytes": options.max_chunk_bytes},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=50_000, help="documents to generate")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="kbbench-home-"))
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
