"""Filters typed in the search box (``provincie:``, ``bron:``, ``type:``, ``jaar:``) as facet state.

Sits between the URL (``params``) and the search: ``lift_typed_filters`` moves
each typed filter out of the query text into ``SearchParams.filters``, exactly
where a click on a facet puts it, so the provincie toggle, the checkboxes, the
chips, the zero-result ways out and the URL all agree. ``jaar:2009-2011`` (or
``..``) becomes the years 2009, 2010 and 2011. What cannot be lifted stays in
the text and is handled by the staff syntax: exclusions (``-bron:ekic``), open
year ranges (``jaar:2009..``), and values that can never match, for which
``notices_for`` explains the choices ("type:document bestaat niet; kies uit …").
Pure: no I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from core.models import DOC_TYPES
from core.provinces import Provinces
from search_ui.params import MAX_VALUES_PER_FACET, SearchParams, normalise_filter
from search_ui.syntax import TOKEN, YEARS

if TYPE_CHECKING:
    from search_ui.results import Notice, ResultPage

#: Typed prefix -> facet, for the filters that have a facet of their own.
LIFTED: Final = {
    "provincie": "provincie",
    "bron": "bron",
    "source": "bron",
    "type": "type",
    "jaar": "jaar",
    "year": "jaar",
}


def lift_typed_filters(params: SearchParams, provinces: Provinces | None = None) -> SearchParams:
    """``params`` with the typed filters moved from ``q`` into ``filters`` (same if none).

    ``provinces`` (the configured ones) turns any spelling in ``provincie:`` into its label.
    """
    if ":" not in params.q:
        return params  # no "prefix:value" to lift (most searches)
    kept: list[str] = []
    filters = {facet: list(values) for facet, values in params.filters.items()}
    lifted = False
    last = 0
    for match in TOKEN.finditer(params.q):
        minus, prefix, phrase, word = match.groups()
        facet = LIFTED.get((prefix or "").lower())
        value = phrase if phrase is not None else (word or "")
        values = _values(facet, value, provinces) if facet and not minus else []
        if not values or facet is None:
            continue
        kept.append(params.q[last : match.start()])
        last = match.end()
        chosen = filters.setdefault(facet, [])
        for v in values:
            if v not in chosen and len(chosen) < MAX_VALUES_PER_FACET:
                chosen.append(v)
        lifted = True
    if not lifted:
        return params
    kept.append(params.q[last:])
    q = " ".join("".join(kept).split())
    return params.with_(q=q, filters={k: tuple(v) for k, v in filters.items() if v})


def _values(facet: str, value: str, provinces: Provinces | None = None) -> list[str]:
    if facet != "jaar":
        normal = normalise_filter(facet, value, provinces)
        return [normal] if normal else []
    match = YEARS.match(value.strip())
    if not match or match.group(1) is None:
        return []
    low, high = match.groups()
    if high is None and ("-" in value or ".." in value):
        return []  # an open range ("jaar:2009..") stays a range in the query
    first, last = int(low), int(high or low)
    first, last = min(first, last), max(first, last)
    if last - first >= MAX_VALUES_PER_FACET:
        return []
    return [str(year) for year in range(first, last + 1)]


def choices(facet: str, page: ResultPage, provinces: Provinces | None = None) -> tuple[str, ...]:
    """The values one could choose instead: the known vocabulary or the facet's values."""
    if facet == "type":
        return DOC_TYPES
    if facet == "provincie" and provinces is not None:
        return provinces.labels
    if facet == "jaar":
        return ("2010", "2009..2011", "2009-2011")
    found = page.facets.get(facet)
    return tuple(v.value for v in found.values) if found else ()


def notices_for(page: ResultPage, provinces: Provinces | None = None) -> list[Notice]:
    """One notice per typed value that cannot match, and per chosen value absent here."""
    from search_ui.results import Notice

    notices = [
        Notice(facet=facet, typed=typed, choices=choices(facet, page, provinces))
        for facet, typed in page.parsed.unknown
    ]
    for name, facet in page.facets.items():
        selected = facet.selected
        if not selected or name == "trefwoord":
            continue
        present = tuple([v.value for v in facet.values if v.count > 0])
        for value in selected:
            if present and value not in present:
                notices.append(Notice(facet=name, typed=value, choices=present))
    return notices
