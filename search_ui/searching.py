"""One search, start to finish: parse, query, read, and help when nothing is found.

Sits between the routes and the backend: ``run_search`` is what ``/zoeken`` and
``/api/search`` await. The one main request carries hits, all facets, highlight and
the "bedoelde u" suggester; a second request (one ``_msearch``) is made only when
there is a suggestion to check or zero results to explain. Building bodies and
reading answers are the pure functions of ``query`` and ``results``; this module
only orders the round trips (asynchronously, on the event loop: no thread hop).
"""

from __future__ import annotations

from typing import Final

from search_ui.backend import SearchBackend
from search_ui.params import SearchParams
from search_ui.query import build_search, count_search
from search_ui.results import Alternative, ResultPage, Suggestion, read_page, read_suggestion
from search_ui.syntax import ParsedQuery, parse_query

#: "minder woorden" tries leaving out each of the first few words.
MAX_FEWER_WORDS: Final = 4
#: "Bedoelde u" is checked (one extra count) only when fewer hits than this were
#: found: with a full page of results a suggestion is noise, and the check would
#: double the cost of every ordinary search.
SUGGEST_BELOW: Final = 10


async def run_search(
    backend: SearchBackend, params: SearchParams, *, highlight: bool = True, suggest: bool = True
) -> ResultPage:
    parsed = parse_query(params.q)
    search = build_search(params, parsed, index=backend.index, highlight=highlight, suggest=suggest)
    answer = await backend.search(search.to_dict())
    page = read_page(answer.body, params, parsed, answer.seconds)
    suggested = (
        read_suggestion(answer.body, parsed) if suggest and page.total < SUGGEST_BELOW else None
    )
    candidates: list[Alternative] = []
    if suggested:
        candidates.append(
            Alternative(kind="suggest", label=suggested, params=params.with_(q=suggested), count=0)
        )
    if page.total == 0 and not params.is_empty:
        candidates += _fewer_words(params, parsed)
    counted = await _count(backend, candidates)
    for alt in counted:
        if alt.kind == "suggest" and alt.count > page.total:
            page.suggestion = Suggestion(text=alt.label, count=alt.count)
    if page.total == 0:
        page.alternatives = _drop_filters(page) + [a for a in counted if a.count > 0]
    return page


async def _count(backend: SearchBackend, candidates: list[Alternative]) -> list[Alternative]:
    if not candidates:
        return []
    bodies = [
        count_search(a.params, parse_query(a.params.q), index=backend.index).to_dict()
        for a in candidates
    ]
    counts = await backend.counts(bodies)
    return [
        Alternative(kind=a.kind, label=a.label, params=a.params, count=n)
        for a, n in zip(candidates, counts, strict=False)
    ]


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


def _fewer_words(params: SearchParams, parsed: ParsedQuery) -> list[Alternative]:
    words = parsed.words
    if len(words) < 2:
        return []
    found = []
    for word in words[:MAX_FEWER_WORDS]:
        rest = " ".join(w for w in words if w != word)
        found.append(Alternative(kind="fewer", label=word, params=params.with_(q=rest), count=0))
    return found
