"""The JSON API: ``/api/search`` and ``/api/suggest``, described by FastAPI's OpenAPI.

Sits beside ``pages``: the same ``SearchParams`` and the same search, answered as
JSON. Parameters are declared as plain strings (documented in the schema) and read
through ``parse_params``, so odd input is clamped rather than refused, and no
input can produce a 5xx. Errors come from the app's one handler as
``{"error": {"code": ..., "message": ...}}``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from search_ui.formats import json_response, page_json
from search_ui.pages import search_page
from search_ui.params import normalise_provincie, parse_params

router = APIRouter(prefix="/api", tags=["zoeken"])
Many = Annotated[list[str] | None, Query()]


@router.get("/search", summary="Zoeken in beide kennisbanken")
def api_search(
    request: Request,
    q: Annotated[str | None, Query(description="Zoekvraag, met de zoektaal van /help")] = None,
    provincie: Annotated[list[str] | None, Query(description="Limburg, Noord-Brabant")] = None,
    bron: Annotated[list[str] | None, Query(description="eKIC, bnbibliotheek")] = None,
    type: Annotated[
        list[str] | None, Query(description="artikel, nieuws, dossier, document, bijlage")
    ] = None,
    trefwoord: Many = None,
    jaar: Annotated[list[str] | None, Query(description="jaartal, bijv. 2010")] = None,
    sorteer: Annotated[str | None, Query(description="relevantie, nieuwste, oudste")] = None,
    pagina: Annotated[str | None, Query(description="paginanummer (1 ...)")] = None,
    per: Annotated[str | None, Query(description="resultaten per pagina: 10, 20 of 50")] = None,
) -> Response:
    """Hits, facet counts (disjunctive), highlight, "bedoelde u" and zero-results help."""
    params = parse_params(request.query_params.multi_items())
    return json_response(page_json(search_page(request, params)))


@router.get("/suggest", summary="Aanvullen terwijl u typt")
def api_suggest(
    request: Request,
    q: Annotated[str | None, Query(description="Begin van een titel of trefwoord")] = None,
    provincie: Annotated[
        list[str] | None, Query(description="Alleen uit deze provincie(s)")
    ] = None,
) -> Response:
    """Completion suggestions from titles and trefwoorden, limited to the chosen provincie."""
    chosen = [p for p in (normalise_provincie(v) for v in provincie or []) if p]
    prefix = "".join(ch for ch in (q or "") if ch.isprintable())
    found = request.app.state.backend.complete(prefix, chosen)
    return json_response({"query": prefix, "suggestions": found})
