"""Dutch analysis in a real Elasticsearch node with Kennisbrug's plugin installed.

Creates one index with ``indexer.analysis.analysis_settings()`` and checks, with
``_analyze`` and a few real searches, the Dutch cases that ``indexer.analysis`` lists
(docs/architecture.md, "Data flow" step 3): plurals and verb forms, diacritics,
apostrophe plurals, compounds and everyday synonyms.

Note on lezen/leest: Snowball alone stems them apart ("lez" vs "leest"); they meet
because es/wordlists/stem_overrides.txt lists the forms of the library verbs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from elasticsearch import BadRequestError, Elasticsearch

from core.settings import ES_VERSION
from indexer.analysis import (
    NL_COMPOUND,
    NL_EXACT,
    NL_SEARCH,
    NL_SHINGLE,
    NL_TEXT,
    analysis_settings,
)
from localnode.plugin import PLUGIN_NAME, PLUGIN_VERSION

pytestmark = pytest.mark.es


@pytest.fixture(scope="module")
def index(es_client: Elasticsearch, index_prefix: str) -> Iterator[str]:
    name = f"{index_prefix}analysis"
    es_client.indices.create(
        index=name,
        settings={"number_of_shards": 1, "number_of_replicas": 0, "analysis": analysis_settings()},
        mappings={
            "properties": {
                "body": {
                    "type": "text",
                    "analyzer": NL_TEXT,
                    "search_analyzer": NL_SEARCH,
                    "fields": {
                        "compound": {
                            "type": "text",
                            "analyzer": NL_COMPOUND,
                            "search_analyzer": NL_SEARCH,
                        }
                    },
                }
            }
        },
    )
    yield name
    es_client.indices.delete(index=name)


def tokens(es: Elasticsearch, index: str, analyzer: str, text: str) -> list[str]:
    answer = es.indices.analyze(index=index, analyzer=analyzer, text=text)
    return [t["token"] for t in answer["tokens"]]


def test_node_lists_our_plugin_with_its_version(es_client: Elasticsearch) -> None:
    nodes = es_client.nodes.info(metric="plugins")["nodes"]
    for node in nodes.values():
        ours = [p for p in node["plugins"] if p["name"] == PLUGIN_NAME]
        assert len(ours) == 1, node["plugins"]
        assert ours[0]["version"] == PLUGIN_VERSION
        assert ours[0]["elasticsearch_version"] == ES_VERSION


def test_plugin_filters_work_in_a_custom_chain(es_client: Elasticsearch) -> None:
    # Without an index: the filters are available node-wide, by name.
    answer = es_client.indices.analyze(
        tokenizer="standard", filter=["lowercase", "kennisbrug_stem"], text="bibliotheken"
    )
    assert [t["token"] for t in answer["tokens"]] == ["bibliothek"]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("bibliotheken", "bibliotheek"),
        ("provincies", "provincie"),
        ("fietsen", "fiets"),
        ("efficiënter", "efficienter"),
        ("ideeën", "ideeen"),
        ("ideeën", "idee"),
        ("België", "Belgie"),
        ("cd's", "cd"),
        ("foto's", "foto"),
        ("auto’s", "auto"),
        ("lezen", "leest"),
        ("lezen", "las"),
        ("organiseren", "organiseert"),
        ("Leesclubs", "leesclub"),
    ],
)
def test_forms_meet_in_the_text_analyzer(
    es_client: Elasticsearch, index: str, one: str, other: str
) -> None:
    assert tokens(es_client, index, NL_TEXT, one) == tokens(es_client, index, NL_TEXT, other)


def test_fiets_is_not_cut(es_client: Elasticsearch, index: str) -> None:
    assert tokens(es_client, index, NL_TEXT, "fiets") == ["fiets"]


def test_stop_words_go(es_client: Elasticsearch, index: str) -> None:
    assert tokens(es_client, index, NL_TEXT, "de bieb van de toekomst") == ["bieb", "toekomst"]


@pytest.mark.parametrize(
    ("query", "indexed"),
    [
        ("bieb", "bibliotheek"),
        ("bibliotheek", "bieb"),
        ("Den Bosch", "'s-Hertogenbosch"),
        ("'s-Hertogenbosch", "Den Bosch"),
        ("mediawijs", "mediawijsheid"),
        ("e-book", "ebook"),
    ],
)
def test_search_synonyms_reach_the_indexed_form(
    es_client: Elasticsearch, index: str, query: str, indexed: str
) -> None:
    searched = set(tokens(es_client, index, NL_SEARCH, query))
    assert set(tokens(es_client, index, NL_TEXT, indexed)) <= searched


@pytest.mark.parametrize(
    ("compound", "parts"),
    [
        ("leesbevordering", ("lees", "bevordering")),
        ("bibliotheekvernieuwing", ("bibliotheek", "vernieuwing")),
        ("samenwerkingsovereenkomst", ("samenwerking", "overeenkomst")),
        ("openingstijden", ("opening", "tijden")),
    ],
)
def test_compounds_are_split(
    es_client: Elasticsearch, index: str, compound: str, parts: tuple[str, ...]
) -> None:
    found = tokens(es_client, index, NL_COMPOUND, compound)
    assert tokens(es_client, index, NL_TEXT, compound)[0] in found, "the whole word stays"
    for part in parts:
        assert set(tokens(es_client, index, NL_SEARCH, part)) & set(found), (part, found)


def test_exact_only_folds(es_client: Elasticsearch, index: str) -> None:
    assert tokens(es_client, index, NL_EXACT, "De Ideeën van bibliotheken") == [
        "de",
        "ideeen",
        "van",
        "bibliotheken",
    ]


def test_shingles_for_the_phrase_suggester(es_client: Elasticsearch, index: str) -> None:
    found = tokens(es_client, index, NL_SHINGLE, "Leesclub organiseren nu")
    assert {"leesclub", "leesclub organiseren", "leesclub organiseren nu"} <= set(found)


def test_synonyms_are_refused_at_index_time(es_client: Elasticsearch, index_prefix: str) -> None:
    with pytest.raises(BadRequestError, match="kennisbrug_synonyms"):
        es_client.indices.create(
            index=f"{index_prefix}bad-synonyms",
            settings={"analysis": analysis_settings()},
            mappings={"properties": {"t": {"type": "text", "analyzer": NL_SEARCH}}},
        )


def test_searches_find_dutch_variants(es_client: Elasticsearch, index: str) -> None:
    docs = {
        "bosch": "De bibliotheken van 's-Hertogenbosch werken samen.",
        "foto": "Foto's van de nieuwe bieb in Maastricht.",
        "lees": "Een plan voor leesbevordering op de basisschool.",
    }
    for doc_id, body in docs.items():
        es_client.index(index=index, id=doc_id, document={"body": body})
    es_client.indices.refresh(index=index)

    def hits(query: str, field: str = "body") -> set[str]:
        found = es_client.search(index=index, query={"match": {field: query}})
        return {h["_id"] for h in found["hits"]["hits"]}

    assert hits("Den Bosch bibliotheek") >= {"bosch"}
    assert hits("foto bibliotheek") >= {"foto", "bosch"}
    assert hits("werkt") == {"bosch"}  # werken/werkt meet through the stem overrides
    assert hits("bevordering") == set()
    assert hits("bevordering", "body.compound") == {"lees"}
