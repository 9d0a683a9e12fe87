"""One search, start to finish: parse, query, read, and help when little is found.

Sits between the routes and the backend: ``run_search`` is what ``/zoeken`` and
``/api/search`` await. The one main request carries hits, all facets, highlight and
the "bedoelde u" suggester. Only when it finds fewer than ``SUGGEST_BELOW`` hits
and the suggester has a correction is the corrected search run (one more
request); with zero results the ways out are counted in one ``_msearch``.

Building bodies and reading answers are the pure functions of ``query`` and
``results``; the decisions in between are pure too (``correction_of``, ``decide``,
``zero_alternatives``). This module only orders the round trips (asynchronously,
on the event loop: no thread hop).
"""

from __future__ import annotations

import re
from typing import Any, Final

from core.provinces import Provinces
from search_ui.backend import SearchBackend
from search_ui.documents import read_brief, twins_in
from search_ui.params import SearchParams
from search_ui.query import build_search, count_search
from search_ui.results import (
    Alternative,
    Correction,
    ResultPage,
    Suggestion,
    read_page,
    read_suggestion,
)
from search_ui.synonyms import EMPTY, SynonymSet
from search_ui.syntax import ParsedQuery, parse_query
from search_ui.typed import notices_for

#: "minder woorden" tries leaving out each of the first few words.
MAX_FEWER_WORDS: Final = 4
#: "Bedoelde u" is asked only when fewer hits than this were found: with a full
#: page of results a suggestion is noise, and checking it costs a request.
SUGGEST_BELOW: Final = 10
#: The correction's results replace the typed query's when it finds at least this
#: many times as many (and always when the typed query finds nothing).
CORRECT_RATIO: Final = 5


async def run_search(
    backend: SearchBackend,
    params: SearchParams,
    *,
    highlight: bool = True,
    suggest: bool = True,
    synonyms: SynonymSet = EMPTY,
    provinces: Provinces | None = None,
) -> ResultPage:
    parsed = parse_query(params.q, provinces)
    search = build_search(
        params, parsed, index=backend.index, highlight=highlight, suggest=suggest,
        synonyms=synonyms,
    )  # fmt: skip
    answer = await backend.search(search.to_dict())
    page = read_page(answer.body, params, parsed, answer.seconds)
    _fold_twins(page, answer.body)
    fixed = correction_of(page, answer.body, synonyms) if suggest else None
    if fixed is not None:
        corrected_parsed = parse_query(fixed.q, provinces)
        again = await backend.search(
            build_search(fixed, corrected_parsed, index=backend.index, highlight=highlight,
                         suggest=False, synonyms=synonyms).to_dict()
        )  # fmt: skip
        corrected = read_page(again.body, fixed, corrected_parsed, again.seconds)
        _fold_twins(corrected, again.body)
        page = decide(page, corrected)
    if page.total == 0 and not page.params.is_empty:
        counted = await _count(backend, _fewer_words(page), synonyms, provinces)
        page.alternatives = zero_alternatives(page, counted)
    page.notices = notices_for(page, provinces)
    return page


def correction_of(
    page: ResultPage, body: dict[str, Any], synonyms: SynonymSet = EMPTY
) -> SearchParams | None:
    """The corrected search worth running, or None (enough hits, literal, no suggestion).

    The suggester only replaces words the index does not hold ("missing" mode), but
    it reads body text only; so a query of one or two words that found anything is
    left alone (each of its words was found: a surname in the author field is no
    typo), and a word of a synonym entry is never replaced either (it finds
    documents through its synonyms: "bibliotheekwet" is no typo of "bibliotheek").
    """
    if page.total >= SUGGEST_BELOW or page.params.literal or page.parsed.staff:
        return None
    if page.total > 0 and len(page.parsed.words) <= 2:
        return None
    suggested = read_suggestion(body, page.parsed)
    if not suggested:
        return None
    words, corrected = page.parsed.words, suggested.split()
    if len(words) != len(corrected) or any(
        old.lower() != new.lower() and synonyms.lookup([old]) is not None
        for old, new in zip(words, corrected, strict=True)
    ):
        return None  # a word split or merged is a guess, not a spelling fix
    q = corrected_query(page.params.q, words, corrected)
    return page.params.with_(q=q) if q else None


def decide(typed: ResultPage, corrected: ResultPage) -> ResultPage:
    """Show the corrected results, offer "bedoelde u", or neither.

    Acts when the typed query finds nothing or far less (``CORRECT_RATIO``) than
    its correction; a correction with merely more hits is offered as a link, once.
    """
    if corrected.total > 0 and (typed.total == 0 or corrected.total >= typed.total * CORRECT_RATIO):
        corrected.correction = Correction(
            typed=typed.params.q, literal=typed.params.with_(literal=True)
        )
        return corrected
    if corrected.total > typed.total:
        typed.suggestion = Suggestion(text=corrected.params.q, count=corrected.total)
    return typed


def corrected_query(q: str, words: list[str], corrected: list[str]) -> str | None:
    """``q`` with each corrected word replaced in place (filters and the rest kept)."""
    if len(words) != len(corrected):
        return None
    out, position = q, 0
    for old, new in zip(words, corrected, strict=True):
        found = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)").search(out, position)
        if found is None:
            return None
        out = out[: found.start()] + new + out[found.end() :]
        position = found.start() + len(new)
    return out if out != q else None


def _fold_twins(page: ResultPage, body: dict[str, Any]) -> None:
    """Near-identical publications in both systems appear once, marked "ook in ..."."""
    twins = twins_in(body.get("hits", {}).get("hits", []))
    if twins:
        dropped = {str(raw.get("_id")) for raw in twins.values()}
        page.hits = [h for h in page.hits if h.id not in dropped]
        page.twins = {hit_id: read_brief(raw) for hit_id, raw in twins.items()}


async def _count(
    backend: SearchBackend,
    candidates: list[Alternative],
    synonyms: SynonymSet,
    provinces: Provinces | None = None,
) -> list[Alternative]:
    if not candidates:
        return []
    bodies = [
        count_search(
            a.params, parse_query(a.params.q, provinces), index=backend.index, synonyms=synonyms
        ).to_dict()
        for a in candidates
    ]
    counts = await backend.counts(bodies)
    return [
        Alternative(kind=a.kind, label=a.label, params=a.params, count=n)
        for a, n in zip(candidates, counts, strict=False)
    ]


def zero_alternatives(page: ResultPage, counted: list[Alternative]) -> list[Alternative]:
    """Ways out of zero results: drop a filter (typed or clicked), or leave out a word."""
    return _drop_filters(page) + [a for a in counted if a.count > 0]


def _drop_filters(page: ResultPage) -> list[Alternative]:
    """Leaving out one facet: its count is already in the facet's own aggregation."""
    found = []
    for name, facet in page.facets.items():
        if facet.selected and facet.total > 0:
            kind = "both" if name == "provincie" else "drop"
            found.append(
                Alternative(
                    kind=kind, label=name, params=page.params.without(name), count=facet.total
                )
            )
    return found


def _fewer_words(page: ResultPage) -> list[Alternative]:
    params, parsed = page.params, page.parsed
    words = parsed.words
    if len(words) < 2:
        return []
    found = []
    for word in words[:MAX_FEWER_WORDS]:
        rest = _without_word(params.q, word)
        found.append(Alternative(kind="fewer", label=word, params=params.with_(q=rest), count=0))
    return found


def _without_word(q: str, word: str) -> str:
    return " ".join(re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", " ", q, count=1).split())


__all__ = ["ParsedQuery", "run_search"]
