"""One source of truth for the schema: every field the search UI uses exists in the mapping.

The search UI names index fields in two ways: constants it exports (imported from
``indexer.mapping`` or its own, such as ``params.FACETS`` and ``query.SOURCE_FIELDS``)
and the requests it builds from them. Both are checked here against
``indexer.mapping.mappings()``, so a misspelt or removed field fails a unit test
instead of silently matching nothing in Elasticsearch (see docs/architecture.md).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from indexer import mapping
from indexer.mapping import mappings
from search_ui import backend, completion, documents, params, query, related
from search_ui.params import FACETS, SORTS, SearchParams
from search_ui.synonyms import starter_set
from search_ui.syntax import parse_query

# Query clauses whose keys are field names (the values are the match options);
# the aggregations of the same name carry a "field" instead.
_FIELD_KEYED = frozenset({"term", "terms", "range", "match", "match_phrase", "prefix", "exists"})
# Keys inside those clauses that are options, not fields.
_OPTIONS = frozenset({"boost", "_name"})


def _mapped_paths() -> set[str]:
    """Every field path of the mapping: ``title``, ``title.exact``, ``tags.text`` ..."""
    paths: set[str] = set()

    def walk(prefix: str, properties: dict[str, Any]) -> None:
        for name, spec in properties.items():
            path = f"{prefix}{name}"
            paths.add(path)
            walk(f"{path}.", spec.get("fields", {}))
            walk(f"{path}.", spec.get("properties", {}))

    walk("", mappings()["properties"])
    return paths


def _bare(field: str) -> str:
    return field.split("^")[0]


def _fields_in(body: Any) -> Iterator[str]:
    """The field names an Elasticsearch request body refers to."""
    if isinstance(body, list):
        for item in body:
            yield from _fields_in(item)
        return
    if not isinstance(body, dict):
        return
    for key, value in body.items():
        if key in _FIELD_KEYED and isinstance(value, dict) and "field" not in value:
            yield from (k for k in value if k not in _OPTIONS)
            yield from _fields_in(list(value.values()))
        elif key == "fields" and isinstance(value, list):
            yield from (_bare(f) for f in value)
        elif key == "fields" and isinstance(value, dict):  # highlight
            yield from value
        elif key == "field" and isinstance(value, str):
            yield value
        elif key == "sort":
            for order in value:
                yield from ([order] if isinstance(order, str) else order)
        elif key == "_source":
            yield from (value if isinstance(value, list) else value.get("includes", []))
        else:
            yield from _fields_in(value)


def _exported_fields() -> list[str]:
    """Every field name the mapping exports as a ``*_FIELD``/``*_FIELDS`` constant (which
    search_ui imports), plus the facet fields and highlighted fields search_ui names."""
    names: list[str] = []
    for name, value in vars(mapping).items():
        if name.isupper() and name.endswith(("_FIELD", "_FIELDS")):
            names += [value] if isinstance(value, str) else list(value)
    names += [mapping.SORT_NEWEST, *FACETS.values(), *query.SOURCE_FIELDS]
    names += [*query.HIGHLIGHT["fields"]]
    return [_bare(n) for n in names]


def test_the_exported_constants_are_found() -> None:
    # So that a renamed constant cannot silently drop out of the check above.
    assert {"body.shingle", "suggest", "title.compound", "tags.text"} <= set(_exported_fields())


def _every_selection() -> SearchParams:
    values = {"provincie": ("Limburg",), "bron": ("ekic",), "type": ("artikel",)}
    values |= {"trefwoord": ("ICT",), "jaar": ("2010",)}
    assert set(values) == set(params.FACETS), "a new facet needs a value here"
    return SearchParams(q="x", filters=values)


# Every kind of query the syntax can produce: text, phrase, title, each typed
# filter and exclusion, a year range.
_QUERIES = [
    "bieb",
    "bieb open zonder personeel in den bosch",
    'leesclub "de bieb" titel:ontmoeting -ruis',
    "bron:ekic tag:ict -type:nieuws provincie:limburg jaar:2001..2010 lezen",
]


class _RecordingBackend(backend.SearchBackend):
    """The search backend without Elasticsearch: keeps the bodies it is handed."""

    def __init__(self) -> None:
        super().__init__(None, index="i", make_async=None)  # type: ignore[arg-type]
        self.bodies: list[Any] = []

    async def request(
        self, action: str, method: str, path: str, body: Any, headers: dict[str, str]
    ) -> dict[str, Any]:
        self.bodies.append(body)
        return {}


def _request_bodies() -> Iterator[dict[str, Any]]:
    selection = _every_selection()
    for text, sort in itertools.product(_QUERIES, SORTS):
        parsed = parse_query(text)
        search_params = selection.with_(q=text, sort=sort)
        yield query.build_search(search_params, parsed, index="i", synonyms=starter_set()).to_dict()
        yield query.count_search(search_params, parsed, index="i").to_dict()
    recording = _RecordingBackend()
    asyncio.run(related.suggest(recording, "lees", ["Limburg"]))
    asyncio.run(related.document(recording, "abc", "lees"))
    yield from recording.bodies
    yield completion.suggest_body("lees cl", ["Limburg"])
    yield from completion.count_bodies(["leesclub"], ["Limburg"], "i")
    yield documents.document_body("abc", "leesclub")
    yield documents.counterparts_body("abc", "i", "Limburg")
    yield documents.attachments_body("abc")
    yield documents.parent_body("abc")


def test_every_exported_field_exists_in_the_mapping() -> None:
    missing = sorted(set(_exported_fields()) - _mapped_paths())
    assert not missing, f"search_ui names fields the mapping lacks: {missing}"


def test_every_field_in_a_built_request_exists_in_the_mapping() -> None:
    used = {f for body in _request_bodies() for f in _fields_in(body)} - {"_score"}
    # The walk must actually see the fields, or this test could never fail.
    assert {"title", "body.shingle", "provincie", "year", "published", "suggest"} <= used
    missing = sorted(used - _mapped_paths())
    assert not missing, f"search_ui queries fields the mapping lacks: {missing}"


@pytest.mark.parametrize("misspelt", ["titel", "body.shingles", "tags.txt"])
def test_a_misspelt_field_is_caught(misspelt: str) -> None:
    body = {"query": {"simple_query_string": {"fields": [f"{misspelt}^2"]}}}
    assert set(_fields_in(body)) - _mapped_paths() == {misspelt}
