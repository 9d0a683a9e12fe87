"""A search's other faces: JSON (API and ``format=json``), CSV for Excel, an Atom feed.

Sits after ``results``: pure functions from a ``ResultPage`` to bytes or a dict.
CSV starts with a UTF-8 byte-order mark because Excel needs one to read UTF-8;
cells that could start a formula are prefixed with a quote (see ``_cell``) so a crawled title can
never become a formula. The Atom feed is the same search, newest first.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import UTC, datetime
from typing import Any, Final
from xml.etree import ElementTree as ET

import orjson
from starlette.responses import Response

from search_ui.results import Hit, ResultPage

CSV_COLUMNS: Final = ("titel", "url", "provincie", "bron", "type", "gepubliceerd", "trefwoorden")
ATOM_NS: Final = "http://www.w3.org/2005/Atom"
#: What a spreadsheet may read as the start of a formula (after NFKC: full-width ＝ is =).
_FORMULA_START: Final = frozenset("=+-@")


def json_response(data: Any, *, status_code: int = 200) -> Response:
    """JSON serialised with orjson (the API's hot path)."""
    return Response(orjson.dumps(data), status_code=status_code, media_type="application/json")


def page_json(page: ResultPage) -> dict[str, Any]:
    params = page.params
    return {
        "query": {
            "q": params.q,
            "filters": {k: list(v) for k, v in params.filters.items() if v},
            "sort": params.sort,
            "page": params.page,
            "size": params.size,
        },
        "total": page.total,
        "took_ms": round(page.seconds * 1000, 1),
        "pages": page.pages,
        "hits": [hit_json(h) for h in page.hits],
        "facets": {
            name: [{"value": v.value, "count": v.count, "selected": v.selected} for v in f.values]
            for name, f in page.facets.items()
        },
        "suggestion": (
            {"text": page.suggestion.text, "count": page.suggestion.count}
            if page.suggestion
            else None
        ),
        "correction": (
            {"typed": page.correction.typed, "literal_url": page.correction.literal.url()}
            if page.correction
            else None
        ),
        "alternatives": [
            {"kind": a.kind, "label": a.label, "count": a.count, "url": a.params.url()}
            for a in page.alternatives
        ],
        "notices": [
            {"facet": n.facet, "value": n.typed, "choices": list(n.choices)} for n in page.notices
        ],
    }


def hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "url": hit.link,  # "" unless http(s)
        "title": hit.title_text,
        "title_html": hit.title_html,
        "provincie": list(hit.provincie),
        "bron": hit.source,
        "type": hit.type,
        "published": hit.published.isoformat() if hit.published else None,
        "snippet_html": hit.snippet_html,
        "trefwoorden": list(hit.tags),
    }


def _cell(value: str) -> str:
    """Neutralise every formula-starting form with a leading quote.

    A cell is suspect when its first character is a formula sign, or any blank or
    control character (tab, CR, LF, space, no-break space ...), since spreadsheets
    skip those, or a compatibility form of a sign (full-width ``＝``, small ``﹢``).
    """
    if not value:
        return value
    first = value[0]
    suspect = (
        first in _FORMULA_START
        or first.isspace()
        or not first.isprintable()
        or unicodedata.normalize("NFKC", first)[:1] in _FORMULA_START
    )
    return "'" + value if suspect else value


def page_csv(page: ResultPage) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for hit in page.hits:
        row = (
            hit.title_text,
            hit.url,
            ", ".join(hit.provincie),
            hit.source,
            hit.type,
            hit.published.date().isoformat() if hit.published else "",
            ", ".join(hit.tags),
        )
        writer.writerow([_cell(v) for v in row])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def page_atom(
    page: ResultPage, *, title: str, self_url: str, html_url: str, now: datetime
) -> bytes:
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _text(feed, "title", title)
    _text(feed, "id", self_url)
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", rel="self", href=self_url)
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", rel="alternate", type="text/html", href=html_url)
    dates = [h.published for h in page.hits if h.published]
    _text(feed, "updated", _stamp(max(dates) if dates else now))
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    _text(author, "name", "Kennisbrug")
    for hit in page.hits:
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        _text(entry, "title", hit.title_text)
        _text(entry, "id", hit.link or f"urn:kennisbrug:{hit.id}")
        if hit.link:
            ET.SubElement(entry, f"{{{ATOM_NS}}}link", rel="alternate", href=hit.link)
        _text(entry, "updated", _stamp(hit.published or now))
        if hit.published:
            _text(entry, "published", _stamp(hit.published))
        _text(entry, "summary", hit.snippet.striptags()).set("type", "text")
        for value in (*hit.provincie, hit.source, *hit.tags):
            ET.SubElement(entry, f"{{{ATOM_NS}}}category", term=value)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}")
    element.text = _xml_safe(value)
    return element


def _xml_safe(value: str) -> str:
    # XML 1.0 cannot carry most control characters, even escaped.
    return "".join(ch for ch in value if ch in "\t\n\r" or _xml_char(ord(ch)))


def _xml_char(code: int) -> bool:
    return 0x20 <= code < 0xD800 or 0xE000 <= code < 0xFFFE or code >= 0x10000


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()
