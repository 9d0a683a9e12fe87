"""Search parameters: the URL is the state, and this is the URL read into a value.

First stop of a search request: ``/zoeken`` and ``/api/search`` turn their query
string into one ``SearchParams`` (clamped, never an error on odd input), the query
builder turns that into an Elasticsearch request, and the templates turn it back
into URLs (``with_``/``without``) so every link is a bookmarkable GET.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Final
from urllib.parse import urlencode

from core.models import DOC_TYPES
from core.provinces import Provinces

#: Facets in the order the page shows them: URL name -> index field.
FACETS: Final = {
    "provincie": "provincie",
    "bron": "source",
    "type": "type",
    "trefwoord": "tags",
    "jaar": "year",
}
SORTS: Final = ("relevantie", "nieuwste", "oudste")
FORMATS: Final = ("html", "json", "csv", "atom")
PAGE_SIZES: Final = (10, 20, 50)
#: Elasticsearch pages by from+size; beyond this the answer is "narrow your search".
MAX_RESULT_WINDOW: Final = 1000
MAX_QUERY_CHARS: Final = 500
MAX_VALUES_PER_FACET: Final = 20
_MAX_VALUE_CHARS: Final = 200
#: Stands for the one value ``only_url`` leaves open (any string would do: it is looked
#: up as this facet's only value).
_SLOT: Final = "\x00"


@dataclass(frozen=True, kw_only=True)
class SearchParams:
    """One search as a value; every field has a harmless default."""

    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevantie"
    page: int = 1
    size: int = PAGE_SIZES[0]
    format: str = "html"
    #: Search exactly what was typed: no automatic spelling correction ("letterlijk=1").
    literal: bool = False

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def last_page(self) -> int:
        """The deepest page Elasticsearch is asked for (the deep-paging cap)."""
        return last_page(self.size)

    @property
    def is_empty(self) -> bool:
        return not self.q.strip() and not any(self.filters.values())

    def selected(self, facet: str) -> tuple[str, ...]:
        return self.filters.get(facet, ())

    def with_(self, **changes: object) -> SearchParams:
        """A copy with ``changes``; any change but paging goes back to page 1."""
        if "page" not in changes:
            changes["page"] = 1
        return replace(self, **changes)  # type: ignore[arg-type]

    def toggled(self, facet: str, value: str) -> SearchParams:
        values = self.selected(facet)
        new = tuple(v for v in values if v != value) if value in values else (*values, value)
        return self.with_(filters={**self.filters, facet: new})

    def only(self, facet: str, value: str) -> SearchParams:
        """Exactly ``value`` for ``facet`` (the provincie toggle, a clicked trefwoord)."""
        return self.with_(filters={**self.filters, facet: (value,)})

    def only_url(self, facet: str) -> Callable[[str], str]:
        """``value -> self.only(facet, value).url()`` for the many links of one page (each
        hit's keywords): the rest of the query is encoded once, not once per link."""
        items = self.only(facet, _SLOT).query_items()
        at = items.index((facet, _SLOT))
        before, after = urlencode(items[:at]), urlencode(items[at + 1 :])
        made: dict[str, str] = {}

        def url(value: str) -> str:
            if value not in made:
                parts = (before, urlencode([(facet, value)]), after)
                made[value] = "/zoeken?" + "&".join(part for part in parts if part)
            return made[value]

        return url

    def without(self, facet: str, value: str | None = None) -> SearchParams:
        """Drop one value of ``facet``, or the whole facet when ``value`` is None."""
        kept = () if value is None else tuple(v for v in self.selected(facet) if v != value)
        return self.with_(filters={**self.filters, facet: kept})

    def cleared(self) -> SearchParams:
        return self.with_(filters={})

    def query_items(self) -> list[tuple[str, str]]:
        """The URL query of this search; defaults are left out so URLs stay short."""
        items: list[tuple[str, str]] = []
        if self.q:
            items.append(("q", self.q))
        for facet in FACETS:
            items.extend((facet, v) for v in self.selected(facet))
        if self.sort != "relevantie":
            items.append(("sorteer", self.sort))
        if self.size != PAGE_SIZES[0]:
            items.append(("per", str(self.size)))
        if self.page > 1:
            items.append(("pagina", str(self.page)))
        if self.format != "html":
            items.append(("format", self.format))
        if self.literal:
            items.append(("letterlijk", "1"))
        return items

    def url(self, path: str = "/zoeken", **extra: str) -> str:
        items = self.query_items() + list(extra.items())
        return f"{path}?{urlencode(items)}" if items else path


def parse_params(
    query: Iterable[tuple[str, str]], provinces: Provinces | None = None
) -> SearchParams:
    """Read a URL query (``multi_items()``) into ``SearchParams``; odd input is clamped.

    ``provinces`` (the app's configured ones) maps any spelling of a province to its label;
    without it a provincie value is kept as given.
    """
    q = ""
    filters: dict[str, list[str]] = {facet: [] for facet in FACETS}
    sort, page, size, fmt = "relevantie", 1, PAGE_SIZES[0], "html"
    literal = False
    for key, raw in query:
        value = _clean(raw)
        if key == "q" and not q:
            q = value[:MAX_QUERY_CHARS]
        elif key in FACETS:
            _add_filter(filters[key], key, value, provinces)
        elif key == "sorteer" and value in SORTS:
            sort = value
        elif key == "pagina":
            page = _int(value, 1)
        elif key == "per":
            size = min(PAGE_SIZES, key=lambda s: abs(s - _int(value, PAGE_SIZES[0])))
        elif key == "format" and value in FORMATS:
            fmt = value
        elif key == "letterlijk":
            literal = value not in ("", "0")
    return SearchParams(
        q=q,
        filters={k: tuple(v) for k, v in filters.items() if v},
        sort=sort,
        page=max(1, min(page, last_page(size))),
        size=size,
        format=fmt,
        literal=literal,
    )


def last_page(size: int) -> int:
    """The deepest page of ``size`` results Elasticsearch is asked for."""
    return max(1, MAX_RESULT_WINDOW // size)


def _add_filter(
    values: list[str], facet: str, value: str, provinces: Provinces | None = None
) -> None:
    value = normalise_filter(facet, value, provinces)
    if value and value not in values and len(values) < MAX_VALUES_PER_FACET:
        values.append(value)


def normalise_filter(facet: str, value: str, provinces: Provinces | None = None) -> str:
    """Canonical spelling of a filter value; "" when the value can never match."""
    value = value.strip()[:_MAX_VALUE_CHARS]
    if facet == "provincie":
        return normalise_provincie(value, provinces)
    if facet == "type":
        return value.lower() if value.lower() in DOC_TYPES else ""
    if facet == "jaar":
        return value if value.isascii() and value.isdigit() and len(value) == 4 else ""
    if facet == "bron":
        return value.lower()  # source names are lower case ("eKIC" -> "ekic")
    return value


def normalise_provincie(value: str, provinces: Provinces | None = None) -> str:
    """Any configured spelling ("z-holland", "ZH", "zeeland") -> the label; "" when unknown."""
    if provinces is None:
        return value.strip()
    return provinces.label_of(value) or ""


def _clean(raw: str) -> str:
    # Control characters and lone surrogates never belong in a search; drop them
    # here so that every later step (ES, CSV, XML) sees printable text only.
    text = raw.encode("utf-8", "replace").decode("utf-8")
    if text.isprintable():  # nearly always: nothing to drop
        return text.strip()
    return "".join(ch for ch in text if ch.isprintable() or ch == " ").strip()


def _int(value: str, default: int) -> int:
    try:
        number = int(value) if value.isascii() else default
    except ValueError:
        return default
    return max(1, min(number, 1_000_000))
