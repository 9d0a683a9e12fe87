"""Elasticsearch answers -> view models for the templates, the JSON API and the feeds.

Sits after the backend call and before rendering. Pure functions over plain
dicts. Highlighted text is made safe here, once: Elasticsearch escapes the text
(``encoder: html``) and wraps matches in ``<mark>``; we split on exactly those
tags, re-escape everything between them (so even an unescaped fragment could not
carry markup) and mark only the result as safe. No template uses ``|safe``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from markupsafe import Markup

from search_ui.params import FACETS, SearchParams
from search_ui.syntax import ParsedQuery

_SNIPPET_FALLBACK: Final = 240


#: ``Hit`` and ``FacetValue`` are built by the dozen for every search: slotted and not
#: frozen, because a frozen dataclass sets each field through ``object.__setattr__``
#: (twice the cost). Nothing changes them after ``read_page``.
@dataclass(kw_only=True, slots=True)
class Hit:
    """One result. ``title_html`` and ``snippet_html`` are safe HTML (escaped text and our
    ``<mark>``) kept as plain strings: the JSON API writes them as they are, and only the
    HTML page wraps them as ``Markup`` (``title``, ``snippet``), which costs a Python
    ``Markup.__new__`` each (about 5,000 instructions, more than the rest of a hit)."""

    id: str
    url: str
    title_html: str
    title_text: str
    provincie: tuple[str, ...]
    source: str
    type: str
    published: datetime | None
    snippet_html: str
    tags: tuple[str, ...]

    @property
    def title(self) -> Markup:
        return Markup(self.title_html)

    @property
    def snippet(self) -> Markup:
        return Markup(self.snippet_html)

    @property
    def link(self) -> str:
        """The URL to link to, or "" when it is not http(s) (``javascript:`` never runs)."""
        return self.url if is_web_url(self.url) else ""


def is_web_url(url: str) -> bool:
    """True only for an absolute http(s) URL (``javascript:``, ``data:``, `` http:`` are not)."""
    return url.lower().startswith(("http://", "https://"))


@dataclass(slots=True)
class FacetValue:
    value: str
    count: int
    selected: bool


@dataclass(frozen=True, kw_only=True)
class Facet:
    name: str
    values: tuple[FacetValue, ...]
    total: int  # hits with this facet left out: what "drop this filter" would give

    @property
    def selected(self) -> tuple[str, ...]:
        return tuple([v.value for v in self.values if v.selected])


@dataclass(frozen=True, kw_only=True)
class Suggestion:
    text: str
    count: int


@dataclass(frozen=True, kw_only=True)
class Correction:
    """The shown results are for a corrected query; ``literal`` searches what was typed."""

    typed: str
    literal: SearchParams


@dataclass(frozen=True, kw_only=True)
class Notice:
    """A typed filter value that can never match, and the values to choose from."""

    facet: str
    typed: str
    choices: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Alternative:
    """One way out of zero results, with the number of hits it gives."""

    kind: str  # "drop" | "both" | "suggest" | "fewer"
    label: str  # facet name, dropped word or suggestion text
    params: SearchParams
    count: int


@dataclass(kw_only=True)
class ResultPage:
    params: SearchParams
    parsed: ParsedQuery
    total: int
    seconds: float
    hits: list[Hit]
    facets: dict[str, Facet]
    suggestion: Suggestion | None = None
    correction: Correction | None = None
    alternatives: list[Alternative] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    #: Hit id -> its near-identical publication in the other system (left out of the list).
    twins: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, min(-(-self.total // self.params.size), self.params.last_page))

    @property
    def capped(self) -> bool:
        """More hits than the pager reaches (the deep-paging cap)."""
        return self.total > self.params.last_page * self.params.size

    def provincie_count(self, provincie: str | None = None) -> int:
        facet = self.facets.get("provincie")
        if facet is None:
            return 0
        if provincie is None:
            return facet.total
        return next((v.count for v in facet.values if v.value == provincie), 0)


def provincie_labels(raw: Any) -> tuple[str, ...]:
    """A keyword field as a tuple: one value (older documents) or several (joint pages)."""
    if raw is None:
        return ()
    return (str(raw),) if isinstance(raw, str) else tuple(map(str, raw))


def safe_highlight(fragment: str) -> Markup:
    """Only our ``<mark>`` survives; everything else is text, escaped exactly once.

    The tags become control characters that no character reference unescapes to
    (``html.unescape`` turns ``&#1;`` into nothing) and that are dropped from the text
    first, so the whole fragment is unescaped and escaped in one call each: this runs
    for every highlighted fragment of every search.
    """
    return Markup(_highlighted(fragment))


def _highlighted(fragment: str) -> str:
    """``safe_highlight``'s text as a plain string (joined into one ``Markup`` per hit)."""
    opened, closed = fragment.count("<mark>"), fragment.count("</mark>")
    if _marked_text(fragment, opened + closed):
        # Unescaping and escaping would give it back unchanged (most fragments).
        return fragment + "</mark>" * (opened - closed) if opened > closed else fragment
    return _rewritten(fragment)


def _rewritten(fragment: str) -> str:
    """The general way: unescape everything but our tags, escape it again, balance."""
    if "\x01" in fragment or "\x02" in fragment:
        fragment = fragment.replace("\x01", "").replace("\x02", "")
    placed = fragment.replace("<mark>", "\x01").replace("</mark>", "\x02")
    text = escape_text(html.unescape(placed))
    return _balance(text.replace("\x01", "<mark>").replace("\x02", "</mark>"))


def escape_text(text: str) -> str:
    """``markupsafe.escape(text)`` as a plain ``str``, character for character the same
    (``&amp; &lt; &gt; &#39; &#34;``; a test holds them equal on any text), without
    building the ``Markup`` that escape returns, for strings that go into ``Hit``."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "'" in text:
        text = text.replace("'", "&#39;")
    if '"' in text:
        text = text.replace('"', "&#34;")
    return text


def _marked_text(fragment: str, tags: int) -> bool:
    """Plain text and ``tags`` of our tags only: no reference to unescape, nothing for
    ``escape`` to change (Elasticsearch writes ``&#x27;`` for an apostrophe, so such a
    fragment goes the long way). Every ``<`` and ``>`` belongs to a tag when the counts
    agree: the two tags hold one of each and cannot overlap."""
    if "&" in fragment or "'" in fragment or '"' in fragment:
        return False
    if "\x01" in fragment or "\x02" in fragment:
        return False
    return fragment.count("<") == tags and fragment.count(">") == tags


def _balance(text: str) -> str:
    opened = text.count("<mark>") - text.count("</mark>")
    return text + "</mark>" * opened if opened > 0 else text


def read_hit(raw: dict[str, Any]) -> Hit:
    source = raw.get("_source", {})
    lights = raw.get("highlight", {})
    title_text = str(source.get("title") or source.get("url") or "")
    title = _highlighted(lights["title"][0]) if lights.get("title") else escape_text(title_text)
    if lights.get("body"):
        # Each fragment is already safe: the snippet is their join.
        snippet = " … ".join([_highlighted(f) for f in lights["body"]])
    else:
        snippet = escape_text(_shorten(str(source.get("summary") or "")))
    return Hit(
        id=str(raw.get("_id", "")),
        url=str(source.get("url", "")),
        title_html=title,
        title_text=title_text,
        provincie=provincie_labels(source.get("provincie")),
        source=str(source.get("source", "")),
        type=str(source.get("type", "")),
        published=_date(source.get("published")),
        snippet_html=snippet,
        tags=tuple(map(str, source.get("tags") or ())),
    )


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return (
        text
        if len(text) <= _SNIPPET_FALLBACK
        else text[:_SNIPPET_FALLBACK].rsplit(" ", 1)[0] + " …"
    )


def _date(raw: Any) -> datetime | None:
    if not raw:
        return None
    try:
        return datetime.fromisoformat(str(raw))
    except ValueError:
        return None


def read_facets(aggs: dict[str, Any], params: SearchParams) -> dict[str, Facet]:
    facets = {}
    for name in FACETS:
        agg = aggs.get(name)
        if agg is None:
            continue
        chosen = params.selected(name)
        buckets = agg["values"]["buckets"]
        if chosen:
            values = [
                FacetValue(str(b["key"]), int(b["doc_count"]), str(b["key"]) in chosen)
                for b in buckets
            ]
        else:  # nothing chosen (most facets of most searches): no membership test
            values = [FacetValue(str(b["key"]), int(b["doc_count"]), False) for b in buckets]
        if chosen:
            # A chosen value without hits still shows, ticked, so it can be unticked.
            seen = {v.value for v in values}
            values += [FacetValue(value=v, count=0, selected=True) for v in chosen if v not in seen]
        facets[name] = Facet(name=name, values=tuple(values), total=int(agg["doc_count"]))
    return facets


def read_suggestion(body: dict[str, Any], parsed: ParsedQuery) -> str | None:
    """The "bedoelde u" text in the user's own capitals, when it differs from what was typed."""
    for entry in body.get("suggest", {}).get("bedoelde", []):
        for option in entry.get("options", []):
            text = str(option.get("text", ""))
            if option.get("collate_match", True) and text and text != parsed.plain.lower():
                return keep_capitals(parsed.words, text.split())
    return None


def keep_capitals(typed: list[str], corrected: list[str]) -> str:
    """``corrected`` word by word in the case pattern of ``typed`` (unchanged words as typed)."""
    if len(typed) != len(corrected):
        return " ".join(corrected)
    out = []
    for old, new in zip(typed, corrected, strict=True):
        if old.lower() == new.lower():
            out.append(old)
        elif old.isupper() and len(old) > 1:
            out.append(new.upper())
        elif old[:1].isupper():
            out.append(new[:1].upper() + new[1:])
        else:
            out.append(new)
    return " ".join(out)


def read_page(
    body: dict[str, Any], params: SearchParams, parsed: ParsedQuery, seconds: float
) -> ResultPage:
    hits = body.get("hits", {})
    return ResultPage(
        params=params,
        parsed=parsed,
        total=int(hits.get("total", {}).get("value", 0)),
        seconds=seconds,
        hits=[read_hit(h) for h in hits.get("hits", [])],
        facets=read_facets(body.get("aggregations", {}), params),
    )
