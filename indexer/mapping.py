"""The Elasticsearch schema: the one module that knows field names, types and analyzers.

Sits between the document store and Elasticsearch: the indexer turns every stored
``core.models.Document`` into an index source with ``to_source`` and creates
indices with ``index_body``; the schema itself is the ``elasticsearch.dsl``
``IndexedDocument`` below. The search UI imports the field constants instead of
spelling field names itself, and ``tests/unit/test_schema_fields.py`` checks that
every field it queries, filters, sorts or highlights exists here.

Bump ``MAPPING_VERSION`` whenever the mapping or the analysis changes; the value
is stored in the index ``_meta`` and a sync refuses to write into an index built
with another version (a ``kennisbrug reindex`` builds a fresh one).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Final

from elasticsearch.dsl import Completion, Date, Document, Integer, Keyword, MetaField, Text

from core.models import Document as StoredDocument
from indexer.analysis import (
    NL_COMPOUND,
    NL_EXACT,
    NL_SHINGLE,
    NL_TEXT,
    analysis_settings,
)

MAPPING_VERSION: Final = 2
#: Version history: 2 = queries analysed without the plugin's synonym filter (the list
#: admins edit is the only source of synonyms) and offsets in the postings of the
#: highlighted fields (the highlighter no longer re-analyses the body per hit).

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
#: Title-only search (``titel:`` in the staff syntax).
TITLE_FIELDS: Final = ("title^2", "title.compound^0.3")
#: Where a typed phrase or the words close together rank a free-text hit up.
PHRASE_BOOST_FIELDS: Final = ("title^3", "headings^2", "body")
#: What a result list reads from ``_source``.
RESULT_FIELDS: Final = (
    "title", "url", "provincie", "source", "type", "published", "tags", "summary", "author",
)  # fmt: skip
#: Shingle field for "bedoelde u ...?" (phrase suggester).
DID_YOU_MEAN_FIELD: Final = "body.shingle"
#: Completion field for autocomplete, with its category context.
SUGGEST_FIELD: Final = "suggest"
SUGGEST_CONTEXT: Final = "provincie"
#: "nieuwste eerst" sorts on this date.
SORT_NEWEST: Final = "published"

# Completion inputs longer than this are cut; a title rarely needs more.
_SUGGEST_MAX_CHARS: Final = 100
_KEYWORD_IGNORE_ABOVE: Final = 512


def _text(
    *,
    exact: bool = True,
    compound: bool = False,
    shingle: bool = False,
    highlighted: bool = False,
    **subfields: Any,
) -> Text:
    """A Dutch text field with the subfields the contract asks for (plus ``subfields``).

    Queries are analysed with ``nl_text`` too (no ``search_analyzer``): synonyms are
    expanded by the query builder from the list admins edit (``search_ui.synonyms``),
    never by the plugin's built-in filter, in free text and staff syntax alike.
    ``highlighted`` fields keep offsets in their postings, so the unified highlighter
    reads the positions of the matches instead of analysing the text again per hit.
    """
    fields: dict[str, Any] = {}
    if exact:
        fields["exact"] = Text(analyzer=NL_EXACT)
    if compound:
        # Indexed with the parts of compounds; a query is not split (nl_text).
        fields["compound"] = Text(analyzer=NL_COMPOUND, search_analyzer=NL_TEXT)
    if shingle:
        fields["shingle"] = Text(analyzer=NL_SHINGLE)
    fields.update(subfields)
    params: dict[str, Any] = {"analyzer": NL_TEXT}
    if highlighted:
        params["index_options"] = "offsets"
    if fields:
        params["fields"] = fields
    return Text(**params)


def _keyword(**params: Any) -> Keyword:
    return Keyword(ignore_above=_KEYWORD_IGNORE_ABOVE, **params)


class IndexedDocument(Document):
    """One document as Elasticsearch stores it: the schema, written once.

    Only the mapping is used (``mappings()``); documents are written as plain
    dicts by ``to_source`` on the sync's hot path, and a unit test keeps the two
    in step. ``dynamic: strict`` so a stray field is an error, not a guess.
    """

    id = Keyword()
    url = Keyword(ignore_above=2048)
    source = Keyword()
    provincie = Keyword()
    type = Keyword()
    language = Keyword()
    parent = Keyword()
    content_hash = Keyword(index=False, doc_values=False)
    title = _text(compound=True, shingle=True, highlighted=True, keyword=Keyword(ignore_above=256))
    body = _text(compound=True, shingle=True, highlighted=True)
    summary = _text()
    headings = _text()
    author = _text(exact=False, keyword=_keyword())
    tags = _keyword(fields={"text": Text(analyzer=NL_TEXT)})
    published = Date()
    modified = Date()
    fetched_at = Date()
    year = Integer()
    suggest = Completion(
        analyzer=NL_EXACT, contexts=[{"name": SUGGEST_CONTEXT, "type": "category"}]
    )

    class Meta:
        dynamic = MetaField("strict")
        meta = MetaField({"mapping_version": MAPPING_VERSION})


def mappings() -> dict[str, Any]:
    """The index mapping as Elasticsearch takes it (a fresh copy: the DSL hands out
    the same dict on every call, and a caller changing it would change every index
    created after)."""
    body: dict[str, Any] = copy.deepcopy(IndexedDocument._doc_type.mapping.to_dict())
    return body


def index_settings(*, shards: int = 1, replicas: int = 0, loading: bool = False) -> dict[str, Any]:
    """Index settings; ``loading`` = the fast bulk-load variant used during a reindex.

    ``shards`` and ``replicas`` come from ``KENNISBRUG_INDEX_SHARDS`` / ``_REPLICAS``
    (see ``indexer.lifecycle.shard_layout``). While loading there are no replicas and
    no refresh; ``serving_settings`` restores both before the alias moves.
    """
    settings: dict[str, Any] = {
        "number_of_shards": shards,
        "analysis": analysis_settings(),
    }
    settings.update(loading_settings() if loading else serving_settings(replicas))
    return settings


def loading_settings() -> dict[str, Any]:
    return {"refresh_interval": "-1", "number_of_replicas": 0, "auto_expand_replicas": False}


def serving_settings(replicas: int = 0) -> dict[str, Any]:
    return {"refresh_interval": "1s", "number_of_replicas": replicas, "auto_expand_replicas": False}


def index_body(*, shards: int = 1, replicas: int = 0, loading: bool = False) -> dict[str, Any]:
    """Keyword arguments for ``indices.create``: settings and mappings."""
    settings = index_settings(shards=shards, replicas=replicas, loading=loading)
    return {"settings": settings, "mappings": mappings()}


def mapping_version(index_mapping: Mapping[str, Any]) -> int | None:
    """The ``_meta.mapping_version`` of a mapping as returned by ``indices.get_mapping``."""
    meta = index_mapping.get("mappings", index_mapping).get("_meta") or {}
    version = meta.get("mapping_version")
    return int(version) if version is not None else None


def to_source(doc: StoredDocument) -> dict[str, Any]:
    """The Elasticsearch source of ``doc``: its fields plus the derived ``year`` and suggest.

    Built field by field rather than with ``StoredDocument.to_json`` (``dataclasses.asdict``
    deep-copies and is the slowest step of a sync); a unit test keeps both in step.
    """
    published = doc.published
    return {
        "id": doc.id,
        "url": doc.url,
        "source": doc.source,
        "provincie": list(doc.provincie),
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


def suggest_input(doc: StoredDocument) -> dict[str, Any]:
    """Autocomplete entries: the title and the tags, labelled with the provincie."""
    inputs: list[str] = []
    for text in (doc.title, *doc.tags):
        text = " ".join(text.split())[:_SUGGEST_MAX_CHARS]
        if text and text not in inputs:
            inputs.append(text)
    return {"input": inputs, "contexts": {SUGGEST_CONTEXT: list(doc.provincie)}}
