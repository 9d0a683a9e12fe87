"""Run the judged collection against our search and a plain baseline, side by side.

Shared by ``bench/relevance.py`` (writes bench/results/relevance.json) and the CI
floor test (``test_relevance.py``). Both demo sites are served on port 0 and
crawled by the real crawler; the extracted documents reach our index through the
production sync, and *the same stored texts* are loaded into a baseline index
with Elasticsearch's ``standard`` analyzer (title and body), searched with
``multi_match`` best_fields over ``title^2`` and ``body`` (``phrase`` for a quoted
query). Our side runs ``search_ui.searching.run_search`` exactly as ``/zoeken``
does (synonyms from the starter list, typed filters lifted, spelling applied).
"""

from __future__ import annotations

import asyncio
import statistics
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final
from urllib.parse import urlsplit

from elasticsearch import AsyncElasticsearch, Elasticsearch, helpers

from core.db import make_engine
from core.provinces import Provinces
from core.settings import REPO_ROOT, Settings
from core.sources import load_provinces
from core.store import DocumentStore
from search_ui.backend import SearchBackend, node_url
from search_ui.params import parse_params
from search_ui.searching import run_search
from search_ui.synonyms import starter_set
from search_ui.typed import lift_typed_filters
from tests.integration.search_corpus import crawl_demo_sites
from tests.relevance.collection import QUERIES, Judged
from tests.relevance.scoring import K, ndcg

BASELINE_MAPPING: Final = {
    "properties": {
        "key": {"type": "keyword"},
        "title": {"type": "text", "analyzer": "standard"},
        "body": {"type": "text", "analyzer": "standard"},
    }
}


def doc_key(url: str) -> str:
    """The judged name of a document: its site and path, whatever port it was served on.

    eKIC paths look like ``/artikel/2`` and bnbibliotheek's like ``/2009/01/slug.html``;
    the two sources are told apart by the crawl (``ekic:``/``bnb:``).
    """
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True, kw_only=True)
class Corpus:
    index: str  # our alias
    baseline: str
    keys: dict[str, str]  # doc id -> judged key


def build(settings: Settings, client: Elasticsearch) -> Corpus:
    """Crawl both demo sites into our index and the same texts into the baseline index."""
    crawl_demo_sites(settings, client, hostile=False)
    store = DocumentStore(make_engine(settings.database_url))
    docs = list(store.iter_live())
    baseline = f"{settings.index_alias}-baseline"
    client.options(ignore_status=404).indices.delete(index=baseline)
    client.indices.create(
        index=baseline, mappings=BASELINE_MAPPING, settings={"number_of_shards": 1}
    )
    keys = {}
    actions = []
    for doc in docs:
        key = f"{source_prefix(doc.source)}{doc_key(doc.url)}"
        keys[doc.id] = key
        actions.append(
            {"_index": baseline, "_id": doc.id, "key": key, "title": doc.title, "body": doc.body}
        )
    helpers.bulk(client, actions, refresh="wait_for")
    return Corpus(index=settings.index_alias, baseline=baseline, keys=keys)


@lru_cache(maxsize=1)
def shipped_provinces() -> Provinces:
    """The provinces of config/sources.toml, as the app loads them."""
    return load_provinces(REPO_ROOT / "config" / "sources.toml")


def source_prefix(source: str) -> str:
    return "ekic:" if source == "ekic" else "bnb:"


async def ours(backend: SearchBackend, corpus: Corpus, q: str) -> list[str]:
    provinces = shipped_provinces()
    params = lift_typed_filters(parse_params([("q", q)], provinces), provinces)
    page = await run_search(
        backend, params, highlight=False, synonyms=starter_set(), provinces=provinces
    )
    return [corpus.keys.get(h.id, h.id) for h in page.hits[:K]]


async def _all_ours(client: Elasticsearch, corpus: Corpus) -> list[list[str]]:
    url = node_url(client)
    backend = SearchBackend(client, index=corpus.index, make_async=lambda: AsyncElasticsearch(url))
    try:
        return [await ours(backend, corpus, judged.q) for judged in QUERIES]
    finally:
        await backend.aclose()


def baseline(client: Elasticsearch, corpus: Corpus, q: str) -> list[str]:
    quoted = q.startswith('"') and q.endswith('"') and len(q) > 2
    query: dict[str, Any] = {
        "multi_match": {
            "query": q.strip('"'),
            "fields": ["title^2", "body"],
            "type": "phrase" if quoted else "best_fields",
        }
    }
    answer = client.search(index=corpus.baseline, query=query, size=K, source_includes=["key"])
    return [h["_source"]["key"] for h in answer["hits"]["hits"]]


def evaluate(client: Elasticsearch, corpus: Corpus) -> dict[str, Any]:
    """Every judged query through both sides: the figures of relevance.json."""
    known = set(corpus.keys.values())
    rows = []
    found = asyncio.run(_all_ours(client, corpus))
    for judged, mine in zip(QUERIES, found, strict=True):
        missing = sorted(set(judged.grades) - known)
        assert not missing, f"{judged.q!r} judges documents the crawl did not find: {missing}"
        base = baseline(client, corpus, judged.q)
        rows.append(_row(judged, mine, base))
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_type[row["type"]].append(row)
    return {
        "queries": len(rows),
        "documents": len(known),
        "k": K,
        "ndcg10": _mean(r["ndcg10"] for r in rows),
        "baseline_ndcg10": _mean(r["baseline_ndcg10"] for r in rows),
        "zero_result_queries": [r["q"] for r in rows if r["zero_result"]],
        "by_type": {
            kind: {
                "queries": len(found),
                "ndcg10": _mean(r["ndcg10"] for r in found),
                "baseline_ndcg10": _mean(r["baseline_ndcg10"] for r in found),
            }
            for kind, found in sorted(by_type.items())
        },
        "per_query": rows,
    }


def _row(judged: Judged, mine: list[str], base: list[str]) -> dict[str, Any]:
    relevant = {k for k, g in judged.grades.items() if g > 0}
    return {
        "q": judged.q,
        "type": judged.kind,
        "ndcg10": round(ndcg(mine, judged.grades), 4),
        "baseline_ndcg10": round(ndcg(base, judged.grades), 4),
        "zero_result": not mine and bool(relevant & set(base)),
        "ours_top": mine[:5],
        "baseline_top": base[:5],
    }


def _mean(values: Any) -> float:
    found = list(values)
    return round(statistics.fmean(found), 4) if found else 0.0
