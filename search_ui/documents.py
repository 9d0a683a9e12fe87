"""One document and its counterparts in the other province: request bodies and answers.

Sits between the routes (the document page, ``/api/counterparts``, the results page)
and the backend, like ``query`` and ``results`` do for a search: pure functions that
build request bodies and read answers into view models; nothing here talks to
Elasticsearch.

Counterparts are found with ``more_like_this`` on title and body, liked by the
document's own id, filtered to the *other* provincie. A counterpart is *near-identical*
(the same text published in both systems) when the words of title and summary agree
almost entirely; such a pair is shown once, marked "ook in eKIC" / "ook in bnbibliotheek".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from search_ui.results import provincie_labels, safe_highlight

#: Counterparts shown under a result and on a document page.
COUNTERPARTS_PER_HIT: Final = 2
COUNTERPARTS_PER_DOCUMENT: Final = 5
#: ``more_like_this`` tuning: enough terms to characterise a document, cheap enough to
#: run for a page of hits in one ``_msearch``.
MLT: Final = {
    "fields": ["title", "body"],
    "min_term_freq": 1,
    "min_doc_freq": 2,
    "max_query_terms": 25,
    "minimum_should_match": "30%",
}
#: Word-set overlap (Jaccard) above which two texts count as the same publication.
NEAR_IDENTICAL: Final = 0.8
MAX_ATTACHMENTS: Final = 50
PASSAGES: Final = 3
PASSAGE_CHARS: Final = 220
DOCUMENT_FIELDS: Final = [
    "title", "url", "provincie", "source", "type", "published", "modified", "author",
    "tags", "headings", "summary", "parent", "body",
]  # fmt: skip
BRIEF_FIELDS: Final = ["title", "url", "provincie", "source", "type", "summary"]
_WORD: Final = re.compile(r"\w+")
#: Characters of the summary two publications of the same document surely share.
_OPENING: Final = 60
_MEDIA_TYPES: Final = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "xls": "Excel",
    "xlsx": "Excel",
    "ppt": "PowerPoint",
    "pptx": "PowerPoint",
    "odt": "OpenDocument",
}
_ID: Final = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def other_provinces(labels: Sequence[str], configured: Sequence[str]) -> tuple[str, ...]:
    """The configured provinces a counterpart may come from: all but the document's own."""
    own = set(labels)
    return tuple(p for p in configured if p not in own)


def valid_id(doc_id: str) -> bool:
    """Document ids are hashes; anything else is answered 404 without asking Elasticsearch."""
    return bool(_ID.match(doc_id))


@dataclass(frozen=True, kw_only=True)
class Brief:
    """A document in a list: a counterpart, an attachment, a parent."""

    id: str
    title: str
    url: str
    provincie: tuple[str, ...]
    source: str
    type: str
    near_identical: bool = False


@dataclass(frozen=True, kw_only=True)
class Attachment:
    brief: Brief
    media_type: str  # "PDF", "Word", ... from the address
    characters: int  # length of the extracted text


@dataclass(frozen=True, kw_only=True)
class DocumentView:
    id: str
    title: str
    url: str
    provincie: tuple[str, ...]
    source: str
    type: str
    published: datetime | None
    modified: datetime | None
    author: str
    tags: tuple[str, ...]
    headings: tuple[str, ...]
    summary: str
    media_type: str
    characters: int
    parent: Brief | None = None
    attachments: tuple[Attachment, ...] = ()
    passages: tuple[Markup, ...] = ()
    counterparts: tuple[Brief, ...] = ()
    #: The configured provinces this document does not belong to (where counterparts live).
    others: tuple[str, ...] = ()

    @property
    def twin(self) -> Brief | None:
        """The near-identical publication in the other system, if there is one."""
        return next((c for c in self.counterparts if c.near_identical), None)


# ---- request bodies ---------------------------------------------------------------


def document_body(doc_id: str, q: str = "") -> dict[str, Any]:
    """The document by id; with ``q`` also its matching passages (highlight on the body)."""
    body: dict[str, Any] = {
        "size": 1,
        "query": {"ids": {"values": [doc_id]}},
        "_source": DOCUMENT_FIELDS,
    }
    if q.strip():
        body["highlight"] = {
            "encoder": "html",
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "highlight_query": {
                "simple_query_string": {
                    "query": q,
                    "fields": ["title", "body"],
                    "default_operator": "or",
                    "lenient": True,
                }
            },
            "fields": {"body": {"fragment_size": PASSAGE_CHARS, "number_of_fragments": PASSAGES}},
        }
    return body


def counterparts_body(
    doc_id: str, index: str, others: Sequence[str], *, size: int = COUNTERPARTS_PER_HIT
) -> dict[str, Any]:
    """The documents of the other provincie most like ``doc_id`` (title and body)."""
    return {
        "size": size,
        "_source": BRIEF_FIELDS,
        "query": {
            "bool": {
                "must": [{"more_like_this": {**MLT, "like": [{"_index": index, "_id": doc_id}]}}],
                # An empty list matches nothing: a page of every province has no "other".
                "filter": [{"terms": {"provincie": list(others)}}],
            }
        },
    }


def attachments_body(doc_id: str) -> dict[str, Any]:
    """The attachments of the page ``doc_id`` (their ``parent`` is that page's id)."""
    return {
        "size": MAX_ATTACHMENTS,
        "_source": [*BRIEF_FIELDS, "body"],
        "query": {"term": {"parent": doc_id}},
        "sort": [{"title.keyword": "asc"}],
    }


def parent_body(parent_id: str) -> dict[str, Any]:
    return {"size": 1, "_source": BRIEF_FIELDS, "query": {"ids": {"values": [parent_id]}}}


# ---- reading answers ----------------------------------------------------------------


def words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def similarity(a: str, b: str) -> float:
    """Jaccard overlap of the word sets of two texts (0 when either has none)."""
    left, right = words(a), words(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def fingerprint(source: dict[str, Any]) -> str:
    """The text two publications of the same document share: title and summary."""
    return f"{source.get('title') or ''} {source.get('summary') or ''}"


def is_near_identical(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Different provinces, and almost the same words in title and summary."""
    if set(provincie_labels(a.get("provincie"))) == set(provincie_labels(b.get("provincie"))):
        return False
    return similarity(fingerprint(a), fingerprint(b)) >= NEAR_IDENTICAL


def read_brief(raw: dict[str, Any], *, like: dict[str, Any] | None = None) -> Brief:
    source = raw.get("_source", {})
    return Brief(
        id=str(raw.get("_id", "")),
        title=str(source.get("title") or source.get("url") or ""),
        url=str(source.get("url", "")),
        provincie=provincie_labels(source.get("provincie")),
        source=str(source.get("source", "")),
        type=str(source.get("type", "")),
        near_identical=like is not None and is_near_identical(like, source),
    )


def read_counterparts(answer: dict[str, Any], like: dict[str, Any]) -> tuple[Brief, ...]:
    """Counterparts of the document whose source is ``like``; the near-identical first."""
    found = [read_brief(h, like=like) for h in answer.get("hits", {}).get("hits", [])]
    return tuple(sorted(found, key=lambda b: not b.near_identical))


def media_type(url: str) -> str:
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return _MEDIA_TYPES.get(extension, "HTML" if extension in ("", "html", "htm", "php") else "")


def _date(raw: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def read_document(
    raw: dict[str, Any],
    *,
    attachments: Iterable[dict[str, Any]] = (),
    parent: dict[str, Any] | None = None,
    counterparts: Sequence[Brief] = (),
    others: Sequence[str] = (),
) -> DocumentView:
    source = raw.get("_source", {})
    passages = tuple(safe_highlight(f) for f in raw.get("highlight", {}).get("body", []))
    url = str(source.get("url", ""))
    return DocumentView(
        id=str(raw.get("_id", "")),
        title=str(source.get("title") or url),
        url=url,
        provincie=provincie_labels(source.get("provincie")),
        source=str(source.get("source", "")),
        type=str(source.get("type", "")),
        published=_date(source.get("published")),
        modified=_date(source.get("modified")),
        author=str(source.get("author") or ""),
        tags=tuple(str(t) for t in source.get("tags") or ()),
        headings=tuple(str(h) for h in source.get("headings") or ()),
        summary=str(source.get("summary") or ""),
        media_type=media_type(url),
        characters=len(str(source.get("body") or "")),
        parent=read_brief(parent) if parent else None,
        attachments=tuple(
            Attachment(
                brief=read_brief(a),
                media_type=media_type(str(a.get("_source", {}).get("url", ""))),
                characters=len(str(a.get("_source", {}).get("body") or "")),
            )
            for a in attachments
        ),
        passages=passages,
        counterparts=tuple(counterparts),
        others=tuple(others),
    )


def twins_in(hits: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Near-identical pairs within one page of hits: earlier hit id -> the later raw hit.

    The later one is left out of the list; the earlier one is marked "ook in ...".
    Pure Python over one page of hits (no extra request), on the search path, so it is
    kept cheap: only hits of different provinces that share their title or the opening
    of their summary are candidates, and only candidates get the word-overlap check.
    """
    sources = [h.get("_source", {}) for h in hits]
    labels = [provincie_labels(s.get("provincie")) for s in sources]
    if len(set(labels)) < 2:
        return {}
    keys = [
        (
            str(s.get("title") or "").casefold().strip(),
            str(s.get("summary") or "")[:_OPENING].casefold(),
        )
        for s in sources
    ]
    openings = [opening for _, opening in keys if opening]
    if len({title for title, _ in keys}) == len(keys) and len(set(openings)) == len(openings):
        return {}  # no two hits share a title or an opening: no candidates (most pages)
    prints: dict[int, set[str]] = {}

    def words_of(k: int) -> set[str]:
        if k not in prints:
            prints[k] = words(fingerprint(sources[k]))
        return prints[k]

    twins: dict[str, dict[str, Any]] = {}
    dropped: set[int] = set()
    for i, later in enumerate(hits):
        for j in range(i):
            if j in dropped or str(hits[j].get("_id")) in twins:
                continue
            if labels[j] == labels[i]:
                continue
            (title_a, opening_a), (title_b, opening_b) = keys[j], keys[i]
            if title_a != title_b and not (opening_a and opening_a == opening_b):
                continue
            left, right = words_of(j), words_of(i)
            if left and right and len(left & right) / len(left | right) >= NEAR_IDENTICAL:
                twins[str(hits[j].get("_id"))] = later
                dropped.add(i)
                break
    return twins
