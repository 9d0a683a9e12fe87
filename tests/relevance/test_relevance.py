"""The judged collection as a CI guard: nDCG@10 of our search may not drop below a floor.

The floor sits a little under the measured value (bench/results/relevance.json:
0.93 when it was set), so an honest ranking change that costs a point passes while
a regression fails. Runs the same harness as ``bench/relevance.py`` on the test
session's Elasticsearch node.
"""

from __future__ import annotations

from typing import Any

import pytest
from elasticsearch import Elasticsearch

from core.settings import Settings
from tests.relevance.collection import DOCUMENTS_READ, QUERIES, TYPES
from tests.relevance.harness import build, evaluate

NDCG_FLOOR = 0.90
#: Ours must stay this far above the plain standard-analyzer baseline.
MARGIN_FLOOR = 0.20


@pytest.fixture(scope="module")
def figures(
    tmp_path_factory: pytest.TempPathFactory, es_url: str, es_client: Elasticsearch,
    index_prefix: str,
) -> dict[str, Any]:  # fmt: skip
    home = tmp_path_factory.mktemp("relevance")
    settings = Settings.from_env(home=home, es_url=es_url, index_alias=f"{index_prefix}relevance")
    corpus = build(settings, es_client)
    assert len(set(corpus.keys.values())) == DOCUMENTS_READ, "the corpus changed: judge again"
    return evaluate(es_client, corpus)


def test_the_collection_covers_every_query_type() -> None:
    assert len(QUERIES) >= 40
    assert {q.kind for q in QUERIES} == set(TYPES)
    assert all(0 <= g <= 3 for q in QUERIES for g in q.grades.values())


def test_ndcg_stays_above_the_floor_and_the_baseline(figures: dict[str, Any]) -> None:
    assert figures["ndcg10"] >= NDCG_FLOOR, figures["by_type"]
    assert figures["ndcg10"] - figures["baseline_ndcg10"] >= MARGIN_FLOOR


def test_no_query_dead_ends_where_the_baseline_finds_something(figures: dict[str, Any]) -> None:
    assert figures["zero_result_queries"] == []
