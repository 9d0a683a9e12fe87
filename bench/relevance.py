"""Relevance benchmark: nDCG@10 of our search against a plain baseline, on the judged collection.

Not a test: it prints and writes ``bench/results/relevance.json``. In one run
against one node it serves both demo sites on 127.0.0.1, crawls them with the
real crawler and syncs them into our index (Dutch analysis plugin, our query
builder, synonyms, spelling correction, typed filters), loads *the same stored
texts* (title and body) into a baseline index with Elasticsearch's ``standard``
analyzer, and runs every query of ``tests/relevance/collection.py`` through both:
ours as ``/zoeken`` runs it (``search_ui.searching.run_search``), the baseline as
``multi_match`` best_fields over ``title^2`` and ``body`` (``phrase`` for a quoted
query). Both sides get the same node, settings and documents.

Keys: ``queries``, ``ndcg10``, ``baseline_ndcg10``, ``zero_result_queries`` (ours
returns nothing while the baseline returns a judged-relevant document),
``by_type`` and ``per_query``. Goals: ndcg10 >= 0.90, >= 0.20 above the baseline,
no zero-result queries.

Usage: ``.venv/bin/python -m bench.relevance``. Without ``KENNISBRUG_ES_URL`` it
starts a LocalNode of its own and stops it at the end.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from elasticsearch import Elasticsearch

from bench.index import elasticsearch_url
from core.settings import REPO_ROOT, Settings
from indexer.client import make_client
from tests.relevance.harness import build, evaluate

RESULTS = REPO_ROOT / "bench" / "results" / "relevance.json"
GOAL_NDCG: float = 0.90
GOAL_MARGIN: float = 0.20


def run(url: str) -> dict[str, object]:
    home = Path(tempfile.mkdtemp(prefix="kbbench-rel-"))
    try:
        settings = Settings.from_env(home=home, es_url=url, index_alias="kbbench-relevance")
        client = make_client(settings)
        _drop(client, settings.index_alias)  # a run stopped half-way leaves its indices
        corpus = build(settings, client)
        figures = evaluate(client, corpus)
        _drop(client, corpus.index)
        return figures
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _drop(client: Elasticsearch, prefix: str) -> None:
    for name in client.indices.get(index=f"{prefix}*", expand_wildcards="all"):
        client.indices.delete(index=name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    with elasticsearch_url() as url:
        figures = run(url)
    ndcg, base = float(figures["ndcg10"]), float(figures["baseline_ndcg10"])  # type: ignore[arg-type]
    figures["goals"] = {
        "ndcg10": GOAL_NDCG,
        "above_baseline": GOAL_MARGIN,
        "met": ndcg >= GOAL_NDCG and ndcg - base >= GOAL_MARGIN
        and not figures["zero_result_queries"],
    }  # fmt: skip
    args.out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    for row in figures["per_query"]:  # type: ignore[attr-defined]
        print(f"{row['ndcg10']:.2f}  {row['baseline_ndcg10']:.2f}  {row['type']:<20} {row['q']}")
    print(f"ndcg10 {ndcg:.4f}  baseline {base:.4f}  zero-result {figures['zero_result_queries']}")


if __name__ == "__main__":
    main()
