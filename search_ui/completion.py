"""Autocomplete in two groups: query completions and documents (bodies and answers).

Sits between ``/api/suggest`` and the backend; pure, like ``query`` and ``results``.

* **Query completions** come from the completion suggester over titles and
  trefwoorden, cut at a word boundary (never mid-word): the words typed so far, the
  word being typed completed, or the whole entry when it is a short phrase. Each is
  then counted with the search's own query (``query.count_search``), per provincie,
  in one ``_msearch``: a completion that would find nothing is dropped, and a
  provincie badge is given only when all its hits come from one provincie while both
  are searched (then it says something; otherwise it is noise).
* **Documents**: titles that contain the typed words (the last one as a prefix);
  choosing one opens its document page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from indexer.mapping import SUGGEST_CONTEXT, SUGGEST_FIELD
from search_ui.params import parse_params
from search_ui.query import count_search
from search_ui.results import provincie_labels
from search_ui.synonyms import EMPTY, SynonymSet
from search_ui.syntax import parse_query

MAX_PREFIX_CHARS: Final = 60
#: Completion suggester options read per keystroke; grouped into at most MAX_COMPLETIONS.
SUGGESTER_OPTIONS: Final = 20
MAX_COMPLETIONS: Final = 6
MAX_DOCUMENTS: Final = 5
#: A completion that is a whole entry (a trefwoord, a short title) of at most this many words.
PHRASE_WORDS: Final = 4


@dataclass(frozen=True, kw_only=True)
class Completion:
    text: str
    count: int = 0
    provincies: tuple[str, ...] = ()  # the provincies with hits; badge only if exactly one


@dataclass(frozen=True, kw_only=True)
class DocumentOption:
    id: str
    title: str
    provincie: tuple[str, ...]
    type: str


#: Upper bound of provinces counted per completion (configuration has a handful).
MAX_PROVINCES: Final = 50


def clean_prefix(raw: str) -> str:
    text = "".join(ch for ch in raw if ch.isprintable())
    return " ".join(text.split())[:MAX_PREFIX_CHARS] + (" " if raw.endswith(" ") else "")


def suggest_body(prefix: str, provincies: Sequence[str]) -> dict[str, Any]:
    """One request: the completion suggester and the matching document titles.

    ``provincies`` is the scope: the chosen provinces, or every configured one for "all".
    """
    scope = list(provincies)
    completion = {
        "field": SUGGEST_FIELD,
        "size": SUGGESTER_OPTIONS,
        "contexts": {SUGGEST_CONTEXT: scope},
    }
    documents: dict[str, Any] = {
        "match_bool_prefix": {"title.exact": {"query": prefix.strip(), "operator": "and"}}
    }
    return {
        "size": MAX_DOCUMENTS,
        "_source": ["title", "provincie", "type"],
        "query": {"bool": {"must": [documents], "filter": [{"terms": {"provincie": scope}}]}},
        "suggest": {"termen": {"prefix": prefix.lstrip(), "completion": completion}},
    }


def completion_texts(prefix: str, options: Sequence[str]) -> list[str]:
    """Whole words or phrases that continue ``prefix``, in suggester order, no repeats.

    For "lees" and the entry "Leesclub voor volwassenen": "Leesclub" (the word being
    typed, completed) and the whole entry when it has at most ``PHRASE_WORDS`` words.
    """
    typed = prefix.split()
    wanted = len(typed) + (1 if prefix.endswith(" ") and typed else 0)
    found: list[str] = []
    seen: set[str] = set()
    for option in options:
        entry = option.split()
        if len(entry) < max(wanted, 1):
            continue
        candidates = [" ".join(entry[:wanted])]
        if len(entry) <= PHRASE_WORDS:
            candidates.append(" ".join(entry))
        for text in candidates:
            key = text.casefold()
            if key not in seen and len(text) >= len(prefix.strip()):
                seen.add(key)
                found.append(text)
    return found


def read_suggest(answer: dict[str, Any], prefix: str) -> tuple[list[str], list[DocumentOption]]:
    options = answer.get("suggest", {}).get("termen", [{}])[0].get("options", [])
    texts = completion_texts(prefix, [str(o.get("text", "")) for o in options])
    documents = [
        DocumentOption(
            id=str(h.get("_id", "")),
            title=str(h.get("_source", {}).get("title") or ""),
            provincie=provincie_labels(h.get("_source", {}).get("provincie")),
            type=str(h.get("_source", {}).get("type", "")),
        )
        for h in answer.get("hits", {}).get("hits", [])
    ]
    return texts[: MAX_COMPLETIONS * 2], documents


def count_bodies(
    texts: Sequence[str], provincies: Sequence[str], index: str, synonyms: SynonymSet = EMPTY
) -> list[dict[str, Any]]:
    """Per completion: the search's own hit count (same synonyms), split by provincie."""
    bodies = []
    for text in texts:
        params = parse_params([("q", text), *(("provincie", p) for p in provincies)])
        body = count_search(params, parse_query(params.q), index=index, synonyms=synonyms).to_dict()
        body["aggs"] = {"provincies": {"terms": {"field": "provincie", "size": MAX_PROVINCES}}}
        bodies.append(body)
    return bodies


def read_counts(texts: Sequence[str], responses: Sequence[dict[str, Any]]) -> list[Completion]:
    """Completions that find something, at most ``MAX_COMPLETIONS``."""
    found = []
    for text, response in zip(texts, responses, strict=False):
        total = int(response.get("hits", {}).get("total", {}).get("value", 0))
        if total <= 0:
            continue
        buckets = response.get("aggregations", {}).get("provincies", {}).get("buckets", [])
        provincies = tuple(str(b["key"]) for b in buckets if int(b.get("doc_count", 0)) > 0)
        found.append(Completion(text=text, count=total, provincies=provincies))
    return found[:MAX_COMPLETIONS]


def badge(completion: Completion, scope: Sequence[str]) -> str:
    """The one provincie to show, only when several are searched and hits are in one."""
    searched = set(scope)
    if len(searched) > 1 and len(completion.provincies) == 1:
        return completion.provincies[0]
    return ""
