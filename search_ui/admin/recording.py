"""Recording searches typed by people for the "search insight" page (a search listener).

Counted: a first-page HTML search submitted from the search box (it carries the
``zoekvak=1`` marker the box adds). Not counted: the JSON API, exports and feeds,
facet clicks and filter changes (their links carry no marker), paging, scripts.
The row is handed to the app's ``QueryLogWriter``, which writes in batches from a
background thread: the search answers without waiting for the database.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request

#: Query-string marker of a search submitted from the search box (see _searchbox.html).
TYPED_MARKER: Final = "zoekvak"


def typed_search(request: Request, params: Any) -> bool:
    """True for a search a person typed: the box's marker, HTML, first page, a query."""
    return (
        request.query_params.get(TYPED_MARKER) == "1"
        and request.url.path in ("/", "/zoeken")
        and params.format == "html"
        and params.page == 1
        and bool(params.q.strip())
    )


def record_search(request: Request, params: Any, hits: int) -> None:
    """Queue ``params.q`` with ``hits``; a no-op when the admin side is not installed."""
    writer = getattr(request.app.state, "query_log", None)
    if writer is None or not typed_search(request, params):
        return
    writer.submit(params.q, hits, {k: list(v) for k, v in dict(params.filters).items() if v})
