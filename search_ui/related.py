"""The round trips around a search: autocomplete, a document page, counterparts.

Sits between the routes and the backend, as ``searching`` does for a search: it
orders the requests (asynchronously, on the event loop) and leaves bodies and
answers to the pure modules ``completion`` and ``documents``. Counterparts are not
fetched with the results (``more_like_this`` for a page of hits costs more than the
search itself): the results page asks ``/api/counterparts`` afterwards, in one
``_msearch``, and without JavaScript every hit links to its document page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from search_ui import completion, documents
from search_ui.backend import SearchBackend
from search_ui.completion import Completion, DocumentOption
from search_ui.documents import Brief, DocumentView
from search_ui.results import provincie_labels
from search_ui.synonyms import EMPTY, SynonymSet

MAX_COUNTERPART_IDS: Final = 50


@dataclass(frozen=True, kw_only=True)
class Suggestions:
    prefix: str
    completions: list[Completion]
    documents: list[DocumentOption]


async def suggest(
    backend: SearchBackend, raw: str, provincies: Sequence[str], synonyms: SynonymSet = EMPTY
) -> Suggestions:
    prefix = completion.clean_prefix(raw)
    if not prefix.strip():
        return Suggestions(prefix="", completions=[], documents=[])
    answer = await backend.search_body(completion.suggest_body(prefix, provincies))
    texts, found = completion.read_suggest(answer, prefix)
    counted: list[Completion] = []
    if texts:
        bodies = completion.count_bodies(texts, provincies, backend.index, synonyms)
        counted = completion.read_counts(texts, await backend.msearch(bodies))
    return Suggestions(prefix=prefix.strip(), completions=counted, documents=found)


async def document(
    backend: SearchBackend, doc_id: str, q: str = "", *, provinces: Sequence[str] = ()
) -> DocumentView | None:
    """The document page's data in two round trips; ``None`` for an unknown id.

    ``provinces`` are the configured labels: counterparts come from the ones the
    document does not belong to.
    """
    if not documents.valid_id(doc_id):
        return None
    answer = await backend.search_body(documents.document_body(doc_id, q))
    hits = answer.get("hits", {}).get("hits", [])
    if not hits:
        return None
    raw = hits[0]
    source = raw.get("_source", {})
    others = documents.other_provinces(provincie_labels(source.get("provincie")), provinces)
    bodies = [
        documents.counterparts_body(
            doc_id, _index(raw, backend), others, size=documents.COUNTERPARTS_PER_DOCUMENT,
        ),
        documents.attachments_body(doc_id),
    ]  # fmt: skip
    if source.get("parent"):
        bodies.append(documents.parent_body(str(source["parent"])))
    responses = await backend.msearch(bodies)
    counterparts = documents.read_counterparts(responses[0], source)
    attachments = responses[1].get("hits", {}).get("hits", []) if len(responses) > 1 else []
    parents = responses[2].get("hits", {}).get("hits", []) if len(responses) > 2 else []
    return documents.read_document(
        raw,
        attachments=attachments,
        parent=parents[0] if parents else None,
        counterparts=counterparts,
        others=others,
    )


async def counterparts(
    backend: SearchBackend, ids: Sequence[str], *, provinces: Sequence[str] = ()
) -> dict[str, list[Brief]]:
    """For each id, its most similar documents in the other provincie (two round trips)."""
    wanted = list(dict.fromkeys(i for i in ids if documents.valid_id(i)))[:MAX_COUNTERPART_IDS]
    if not wanted:
        return {}
    body = {
        "size": len(wanted),
        "query": {"ids": {"values": wanted}},
        "_source": ["title", "summary", "provincie"],
    }
    answer = await backend.search_body(body)
    liked = answer.get("hits", {}).get("hits", [])
    bodies = [
        documents.counterparts_body(
            str(h["_id"]),
            _index(h, backend),
            documents.other_provinces(
                provincie_labels(h.get("_source", {}).get("provincie")), provinces
            ),
        )
        for h in liked
    ]
    responses = await backend.msearch(bodies)
    return {
        str(h["_id"]): list(documents.read_counterparts(r, h.get("_source", {})))
        for h, r in zip(liked, responses, strict=False)
    }


def _index(raw: dict[str, Any], backend: SearchBackend) -> str:
    # more_like_this needs the concrete index of the liked document, not the alias.
    return str(raw.get("_index") or backend.index)
