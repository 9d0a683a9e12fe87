"""The pages people see: search (``/``, ``/zoeken``), help, the OpenSearch description.

Sits between the browser and ``searching``: reads the URL into ``SearchParams``,
runs the search and renders it as HTML, or as JSON, CSV or Atom when the same
URL carries ``format=``. Every view is a GET, so the URL is the whole state.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Final

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from search_ui import related
from search_ui.formats import json_response, page_atom, page_csv, page_json
from search_ui.params import (
    FACETS,
    MAX_RESULT_WINDOW,
    PAGE_SIZES,
    SORTS,
    SearchParams,
    parse_params,
)
from search_ui.rendering import render, translator
from search_ui.results import ResultPage
from search_ui.searching import run_search
from search_ui.security import request_address
from search_ui.typed import lift_typed_filters

router = APIRouter(include_in_schema=False)
FEED_SIZE: Final = 20
MAX_QUERY_CHARS: Final = 500


async def search_page(request: Request, params: SearchParams, *, listen: bool = True) -> ResultPage:
    """Run ``params`` through the app's backend, count it, and tell the search listeners.

    Listeners (``app.state.search_listeners``, callables ``(request, params, hits)``)
    are how other parts of the app follow staff searches, e.g. the admin side's
    search insight; exports and feeds (``listen=False``) are not searches by a person.
    """
    if getattr(request.state, "principal", None) is None:
        # Anonymous: a generous flood brake per address (in memory, a dict lookup).
        request.app.state.search_limiter.check(request_address(request))
    page = await run_search(
        request.app.state.backend,
        params,
        synonyms=request.app.state.synonyms.current(),
        provinces=request.app.state.provinces,
    )
    request.app.state.metrics.record_search(page.total)
    if listen:
        for listener in request.app.state.search_listeners:
            listener(request, params, page.total)
    return page


@router.get("/")
@router.get("/zoeken")
async def search(request: Request) -> Response:
    provinces = request.app.state.provinces
    typed = parse_params(request.query_params.multi_items(), provinces)
    params = lift_typed_filters(typed, provinces)
    if params is not typed and params.format == "html":
        # "provincie:<name> leesclub" is the same search as leesclub + the facet: one URL.
        return RedirectResponse(params.url(request.url.path), status_code=303)
    if params.format == "json":
        return json_response(page_json(await search_page(request, params)))
    if params.format == "csv":
        return await _csv(request, params)
    if params.format == "atom":
        return await _atom(request, params)
    if params.is_empty:
        return render(request, "home.html", {"params": params})
    page = await search_page(request, params)
    context = {
        "params": page.params,
        "page": page,
        "tag_url": page.params.only_url("trefwoord"),
        "facets": FACETS,
        "sorts": SORTS,
        "sizes": PAGE_SIZES,
    }
    return render(request, "search.html", context)


async def _csv(request: Request, params: SearchParams) -> Response:
    export = replace(params, page=1, size=MAX_RESULT_WINDOW)
    page = await search_page(request, export, listen=False)
    headers = {"Content-Disposition": 'attachment; filename="kennisbrug-resultaten.csv"'}
    return Response(page_csv(page), media_type="text/csv; charset=utf-8", headers=headers)


async def _atom(request: Request, params: SearchParams) -> Response:
    feed = replace(params, page=1, size=FEED_SIZE, sort="nieuwste")
    page = await search_page(request, feed, listen=False)
    tr = translator(request)
    title = (
        tr.gettext("Kennisbrug: %(q)s", q=params.q)
        if params.q
        else tr.gettext("Kennisbrug: newest")
    )
    base = request.app.state.settings.base_url  # never the request's Host header
    body = page_atom(
        page,
        title=str(title.striptags()),
        self_url=base + feed.url(),
        html_url=base + replace(feed, format="html").url(),
        now=datetime.now(UTC),
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/document/{doc_id}")
async def document_page(request: Request, doc_id: str) -> Response:
    """All metadata, the passages matching ``q``, counterparts, the link to the original."""
    q = request.query_params.get("q", "")[:MAX_QUERY_CHARS]
    view = await related.document(
        request.app.state.backend, doc_id, q, provinces=request.app.state.provinces.labels
    )
    if view is None:
        raise HTTPException(status_code=404)
    params = parse_params([("q", q)])
    return render(request, "document.html", {"doc": view, "params": params})


@router.get("/help")
async def help_page(request: Request) -> Response:
    return render(request, "help.html", {"params": SearchParams()})


@router.get("/opensearch.xml")
async def opensearch(request: Request) -> Response:
    base = request.app.state.settings.base_url  # never the request's Host header
    context = {"base": base, "params": SearchParams()}
    response = render(request, "opensearch.xml", context)
    response.media_type = "application/opensearchdescription+xml"
    response.headers["content-type"] = "application/opensearchdescription+xml; charset=utf-8"
    return response


@router.get("/provinces.css")
def provinces_css(request: Request) -> Response:
    """Badge colours of the configured provinces (kept out of inline styles for the CSP)."""
    body = request.app.state.provinces.badge_css()
    return Response(
        body,
        media_type="text/css; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )
