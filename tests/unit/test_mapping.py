"""The index schema and the document -> source conversion, without Elasticsearch."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import ConnectionError as ESConnectionError

from core.errors import ConfigError, IndexingError, SearchUnavailableError
from core.models import Document
from core.settings import Settings
from indexer import analysis
from indexer.client import describe_item_error, es_error
from indexer.lifecycle import index_name, shard_layout
from indexer.mapping import (
    MAPPING_VERSION,
    SEARCH_FIELDS,
    SUGGEST_CONTEXT,
    SUGGEST_FIELD,
    index_body,
    mapping_version,
    mappings,
    to_source,
)


def _doc(**overrides: Any) -> Document:
    values: dict[str, Any] = {
        "url": "https://ekic.example/artikel.php?id=7",
        "source": "ekic",
        "provincie": "Limburg",
        "type": "artikel",
        "title": "Leesbevordering in de bibliotheek",
        "body": "Een leesclub organiseren met de bieb.",
        "summary": "Over leesclubs.",
        "headings": ("Aanpak", "Resultaten"),
        "author": "J. Jansen",
        "tags": ("leesbevordering", "leesclub"),
        "published": datetime(2010, 11, 11, 9, 30),
        "modified": datetime(2010, 11, 12, 10, 0, tzinfo=UTC),
        "fetched_at": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    }
    values.update(overrides)
    return Document(**values)


def _field(path: str) -> dict[str, Any]:
    """Resolve ``title.exact`` style paths in the mapping (boosts stripped)."""
    name, *sub = path.split("^")[0].split(".")
    field = mappings()["properties"][name]
    for part in sub:
        field = field["fields"][part]
    return dict(field)


def test_the_dsl_mapping_is_the_json_the_index_was_built_with() -> None:
    # The mapping became an elasticsearch.dsl Document; this is the JSON it had as
    # a hand-written dict. A deliberate change updates the file and MAPPING_VERSION.
    expected = json.loads((Path(__file__).parent / "data" / "mapping.json").read_text())
    assert mappings() == expected


def test_mapping_is_strict_and_versioned() -> None:
    body = mappings()
    assert body["dynamic"] == "strict"
    assert body["_meta"] == {"mapping_version": MAPPING_VERSION}
    assert mapping_version({"mappings": body}) == MAPPING_VERSION
    assert mapping_version({"mappings": {}}) is None


@pytest.mark.parametrize(
    "name", ["id", "url", "source", "provincie", "type", "language", "parent", "content_hash"]
)
def test_identity_fields_are_keywords(name: str) -> None:
    assert _field(name)["type"] == "keyword"


@pytest.mark.parametrize("name", ["title", "body"])
def test_main_text_fields_carry_every_subfield(name: str) -> None:
    field = _field(name)
    # Queries are analysed like the text, without the plugin's synonym filter (the
    # admin-edited list is expanded by the query builder); offsets for the highlighter.
    assert field["analyzer"] == analysis.NL_TEXT and "search_analyzer" not in field
    assert field["index_options"] == "offsets"
    assert _field(f"{name}.compound")["search_analyzer"] == analysis.NL_TEXT
    assert _field(f"{name}.exact")["analyzer"] == analysis.NL_EXACT
    assert _field(f"{name}.compound")["analyzer"] == analysis.NL_COMPOUND
    assert _field(f"{name}.shingle")["analyzer"] == analysis.NL_SHINGLE


def test_other_fields_follow_the_contract() -> None:
    assert _field("title.keyword")["type"] == "keyword"
    assert _field("summary.exact")["analyzer"] == analysis.NL_EXACT
    assert _field("headings.exact")["analyzer"] == analysis.NL_EXACT
    assert _field("author.keyword")["type"] == "keyword"
    assert _field("tags")["type"] == "keyword"
    assert _field("tags.text")["analyzer"] == analysis.NL_TEXT
    assert {_field(n)["type"] for n in ("published", "modified", "fetched_at")} == {"date"}
    assert _field("year")["type"] == "integer"
    suggest = _field(SUGGEST_FIELD)
    assert suggest["type"] == "completion"
    assert suggest["contexts"] == [{"name": SUGGEST_CONTEXT, "type": "category"}]


def test_compound_is_weighted_below_the_main_field() -> None:
    boosts = {f.split("^")[0]: float(f.split("^")[1]) if "^" in f else 1.0 for f in SEARCH_FIELDS}
    assert boosts["body.compound"] < boosts["body"]
    assert boosts["title.compound"] < boosts["title"]


def test_the_source_has_every_document_field_and_only_mapped_fields() -> None:
    source = to_source(_doc())
    document_fields = {f.name for f in dataclasses.fields(Document)}
    assert set(source) == document_fields | {"year", SUGGEST_FIELD}
    assert set(source) <= set(mappings()["properties"])


def test_the_source_agrees_with_the_stored_json() -> None:
    doc = _doc()
    source = to_source(doc)
    for key, value in doc.to_json().items():
        assert source[key] == value, key


def test_year_comes_from_published_and_is_empty_without_it() -> None:
    assert to_source(_doc())["year"] == 2010
    assert to_source(_doc(published=None))["year"] is None


def test_suggest_uses_title_and_tags_with_the_provincie_context() -> None:
    doc = _doc(
        provincie="Noord-Brabant",
        title="  Bieb   van de toekomst ",
        tags=("bieb van de toekomst", "innovatie", ""),
    )
    suggest = to_source(doc)[SUGGEST_FIELD]
    assert suggest["input"] == ["Bieb van de toekomst", "bieb van de toekomst", "innovatie"]
    assert suggest["contexts"] == {SUGGEST_CONTEXT: ["Noord-Brabant"]}


def test_a_long_title_is_cut_for_autocomplete() -> None:
    suggest = to_source(_doc(title="woord " * 100))[SUGGEST_FIELD]
    assert max(len(s) for s in suggest["input"]) <= 100


def test_loading_settings_turn_refresh_and_replicas_off() -> None:
    loading = index_body(shards=3, replicas=2, loading=True)["settings"]
    serving = index_body(shards=3, replicas=2)["settings"]
    assert (loading["refresh_interval"], loading["number_of_replicas"]) == ("-1", 0)
    assert serving["refresh_interval"] == "1s"
    assert (serving["number_of_replicas"], serving["auto_expand_replicas"]) == (2, False)
    assert loading["number_of_shards"] == serving["number_of_shards"] == 3
    assert loading["analysis"] == serving["analysis"] == analysis.analysis_settings()


@pytest.mark.parametrize(
    ("shards", "replicas", "bad"),
    [(0, 0, "KENNISBRUG_INDEX_SHARDS=0"), (1, -1, "KENNISBRUG_INDEX_REPLICAS=-1")],
)
def test_shard_layout_refuses_impossible_values(shards: int, replicas: int, bad: str) -> None:
    settings = Settings.from_env({}, index_shards=shards, index_replicas=replicas)
    with pytest.raises(ConfigError, match=bad):
        shard_layout(settings)
    good = Settings.from_env({"KENNISBRUG_INDEX_SHARDS": "3", "KENNISBRUG_INDEX_REPLICAS": "1"})
    assert shard_layout(good) == (3, 1)


def test_index_names_are_lowercase_and_sort_by_time() -> None:
    early = index_name("kennisbrug", datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC))
    late = index_name("kennisbrug", datetime(2024, 1, 2, 3, 4, 5, 7, tzinfo=UTC))
    assert early == "kennisbrug-20240102-030405-000006"
    assert early < late and early == early.lower()


def test_es_errors_become_one_clear_sentence() -> None:
    down = es_error(ESConnectionError("refused"), "sync", unavailable=True)
    assert isinstance(down, SearchUnavailableError)
    assert "not reachable" in str(down) and "kennisbrug es start" in str(down)
    assert type(es_error(ESConnectionError("refused"), "sync")) is IndexingError
    cause = {"type": "x", "reason": "inner"}
    error = {"type": "mapper_parsing_exception", "reason": "bad", "caused_by": cause}
    assert describe_item_error(error) == "mapper_parsing_exception: bad (caused by x: inner)"
