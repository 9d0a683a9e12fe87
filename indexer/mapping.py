"""The Elasticsearch schema: the one module that knows field names, types and analyzers.

Sits between the document store and Elasticsearch: the indexer turns every stored
``Document`` into an index source with ``to_source`` and creates indices with
``index_body``; the search UI imports the field constants below instead of
spelling field names itself, so a schema change happens here and nowhere else.

Bump ``MAPPING_VERSION`` whenever the mapping or the analysis changes; the value
is stored in the index ``_meta`` and a sync refuses to write into an index built
with another version (a ``kennisbrug reindex`` builds a fresh one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from core.models import Document
from indexer.analysis import (
    NL_COMPOUND,
    NL_EXACT,
    NL_SEARCH,
    NL_SHINGLE,
    NL_TEXT,
    analysis_settings,
)

MAPPING_VERSION: Final = 1

# -- what searches should use ------------------------------------------------------
#: Fields (with boosts) of the main relevance query. The compound subfields are
#: weighted low on purpose: "bevordering" must find a text that only says
#: "leesbevordering", but below a text that says "bevordering" itself.
SEARCH_FIELDS: Final = (
    "title^3",
    "summary^2",
    "headings^1.5",
    "tags.text^2",
    "author",
    "body",
    "title.compound^0.5",
    "body.compound^0.3",
)
#: Fields for quoted phrases: folded but unstemmed, so "de bieb" matches literally.
PHRASE_FIELDS: Final = ("title.exact^3", "summary.exact^2", "headings.exact", "body.exact")
#: Fields worth highlighting in a result list.
HIGHLIGHT_FIELDS: Final = ("title", "summary", "body")
#: Shingle field for "bedoelde u ...?" (phrase suggester).
DID_YOU_MEAN_FIELD: Final = "body.shingle"
#: Completion field for autocomplete, with its category context.
SUGGEST_FIELD: Final = "suggest"
SUGGEST_CONTEXT: Final = "provincie"
#: Keyword fields to facet and filter on (label -> field).
FACET_FIELDS: Final = {
    "provincie": "provincie",
    "bron": "source",
    "type": "type",
    "jaar": "year",
}
#: Sort orders: "nieuwste eerst" uses published; title sorting needs the keyword.
SORT_NEWEST: Final = "published"
SORT_TITLE: Final = "title.keyword"

# Completion inputs longer than this are cut; a title rarely needs more.
_SUGGEST_MAX_CHARS: Final = 100
_KEYWORD_IGNORE_ABOVE: Final = 512


def _text(*, exact: bool = True, compound: bool = False, shingle: bool = False) -> dict[str, Any]:
    """A Dutch text field with the subfields the contract asks for."""
    fields: dict[str, Any] = {}
    if exact:
        fields["exact"] = {"type": "text", "analyzer": NL_EXACT}
    if compound:
        fields["compound"] = {
            "type": "text",
            "analyzer": NL_COMPOUND,
            "search_analyzer": NL_SEARCH,
        }
    if shingle:
        fields["shingle"] = {"type": "text", "analyzer": NL_SHINGLE}
    field: dict[str, Any] = {"type": "text", "analyzer": NL_TEXT, "search_analyzer": NL_SEARCH}
    if fields:
        field["fields"] = fields
    return field


def _keyword() -> dict[str, Any]:
    return {"type": "keyword", "ignore_above": _KEYWORD_IGNORE_ABOVE}


def mappings() -> dict[str, Any]:
    """The index mapping; ``dynamic: strict`` so a stray field is an error, not a guess."""
    title = _text(compound=True, shingle=True)
    title["fields"]["keyword"] = {"type": "keyword", "ignore_above": 256}
    author = _text(exact=False)
    author["fields"] = {"keyword": _keyword()}
    properties: dict[str, Any] = {
        "id": {"type": "keyword"},
        "url": {"type": "keyword", "ignore_above": 2048},
        "source": {"type": "keyword"},
        "provincie": {"type": "keyword"},
        "type": {"type": "keyword"},
        "language": {"type": "keyword"},
        "parent": {"type": "keyword"},
        "content_hash": {"type": "keyword", "index": False, "doc_values": False},
        "title": title,
        "body": _text(compound=True, shingle=True),
        "summary": _text(),
        "headings": _text(),
        "author": author,
        "tags": {**_keyword(), "fields": {"text": {"type": "text", "analyzer": NL_TEXT}}},
        "published": {"type": "date"},
        "modified": {"type": "date"},
        "fetched_at": {"type": "date"},
        "year": {"type": "integer"},
        SUGGEST_FIELD: {
            "type": "completion",
            "analyzer": NL_EXACT,
            "contexts": [{"name": SUGGEST_CONTEXT, "type": "category"}],
        },
    }
    return {
        "dynamic": "strict",
        "_meta": {"mapping_version": MAPPING_VERSION},
        "properties": properties,
    }


def index_settings(*, loading: bool = False) -> dict[str, Any]:
    """Index settings; ``loading`` = the fast bulk-load variant used during a reindex.

    Replicas auto-expand to 0-1 so one node stays green and a cluster gets a copy;
    while loading there are none and no refresh, restored by ``serving_settings``.
    """
    settings: dict[str, Any] = {
        "number_of_shards": 1,
        "analysis": analysis_settings(),
    }
    settings.update(loading_settings() if loading else serving_settings())
    return settings


def loading_settings() -> dict[str, Any]:
    return {"refresh_interval": "-1", "number_of_replicas": 0, "auto_expand_replicas": False}


def serving_settings() -> dict[str, Any]:
    return {"refresh_interval": "1s", "auto_expand_replicas": "0-1"}


def index_body(*, loading: bool = False) -> dict[str, Any]:
    """Keyword arguments for ``indices.create``: settings and mappings."""
    return {"settings": index_settings(loading=loading), "mappings": mappings()}


def mapping_version(index_mapping: Mapping[str, Any]) -> int | None:
    """The ``_meta.mapping_version`` of a mapping as returned by ``indices.get_mapping``."""
    meta = index_mapping.get("mappings", index_mapping).get("_meta") or {}
    version = meta.get("mapping_version")
    return int(version) if version is not None else None


def to_source(doc: Document) -> dict[str, Any]:
    """The Elasticsearch source of ``doc``: its fields plus the derived ``year`` and suggest.

    Built field by field rather than with ``Document.to_json`` (``dataclasses.asdict``
    deep-copies and is the slowest step of a sync); a unit test keeps both in step.
    """
    published = doc.published
    return {
        "id": doc.id,
        "url": doc.url,
        "source": doc.source,
        "provincie": doc.provincie,
        "type": doc.type,
        "language": doc.language,
        "parent": doc.parent,
        "content_hash": doc.content_hash,
        "title": doc.title,
        "body": doc.body,
        "summary": doc.summary,
        "headings": list(doc.headings),
        "author": doc.author,
        "tags": list(doc.tags),
        "published": published.isoformat() if published else None,
        "modified": doc.modified.isoformat() if doc.modified else None,
        "fetched_at": doc.fetched_at.isoformat() if doc.fetched_at else None,
        "year": published.year if published else None,
        SUGGEST_FIELD: suggest_input(doc),
    }


def suggest_input(doc: Document) -> dict[str, Any]:
    """Autocomplete entries: the title and the tags, labelled with the provincie."""
    inputs: list[str] = []
    for text in (doc.title, *doc.tags):
        text = " ".join(text.split())[:_SUGGEST_MAX_CHARS]
        if text and text not in inputs:
            inputs.append(text)
    return {"input": inputs, "contexts": {SUGGEST_CONTEXT: [doc.provincie]}}
