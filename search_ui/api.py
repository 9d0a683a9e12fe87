"""The JSON API: ``/api/search`` and ``/api/suggest``, described by FastAPI's OpenAPI.

Sits beside ``pages``: the same ``SearchParams`` and the same search, answered as
JSON. The parameters are documented in the OpenAPI schema but read straight from
the query string through ``parse_params`` (no per-request model validation: it
is the hot path, and odd input is clamped rather than refused), so no input can
produce a 5xx. Errors come from the app's one handler as
``{"error": {"code": ..., "message": ...}}``.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from core.errors import KennisbrugError
from core.provinces import Provinces
from search_ui import completion, related
from search_ui.failures import handle_error
from search_ui.formats import json_response, page_json
from search_ui.pages import search_page
from search_ui.params import normalise_provincie, parse_params
from search_ui.typed import lift_typed_filters

router = APIRouter(prefix="/api", tags=["zoeken"])
SEARCH_PATH: Final = "/api/search"


def _param(name: str, description: str, *, many: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if many:
        schema = {"type": "array", "items": schema}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


SEARCH_PARAMETERS: Final = [
    _param(
        "q",
        "Zoekvraag, met de zoektaal van /help (titel:, tag:, bron:, jaar:2009..2011, OF, NIET ...)",
    ),
    # Values and enum come from [provinces] in the sources file (see with_provinces).
    _param("provincie", "provincie (meer waarden: of)", many=True),
    _param("bron", "ekic, bnbibliotheek", many=True),
    _param("type", "artikel, nieuws, dossier, document, bijlage", many=True),
    _param("trefwoord", "trefwoord, zoals in de facet", many=True),
    _param("jaar", "jaartal, bijv. 2010", many=True),
    _param("sorteer", "relevantie (standaard), nieuwste, oudste"),
    _param("pagina", "paginanummer, vanaf 1 (diep bladeren is begrensd)"),
    _param("per", "resultaten per pagina: 10, 20 of 50"),
]
SUGGEST_PARAMETERS: Final = [
    _param("q", "Wat tot nu toe getypt is"),
    _param("provincie", "Alleen uit deze provincie(s)", many=True),
    _param("format", "opensearch: het formaat van OpenSearch-suggesties"),
]


def with_provinces(schema: dict[str, Any], provinces: Provinces) -> dict[str, Any]:
    """The OpenAPI schema with every ``provincie`` parameter's values from configuration."""
    labels = list(provinces.labels)
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("name") == "provincie":
                    parameter["schema"] = {
                        "type": "array",
                        "items": {"type": "string", "enum": labels},
                    }
                    parameter["description"] = (
                        f"{', '.join(labels)} (meer waarden: of; ook de afkortingen "
                        f"{', '.join(p.code for p in provinces)})"
                    )
    return schema


@router.get(
    "/search",
    summary="Zoeken in beide kennisbanken",
    openapi_extra={"parameters": SEARCH_PARAMETERS},
)
async def api_search(request: Request) -> Response:
    """Hits, facet counts (disjunctive), highlight, "bedoelde u" and zero-results help."""
    provinces = request.app.state.provinces
    params = lift_typed_filters(
        parse_params(request.query_params.multi_items(), provinces), provinces
    )
    return json_response(page_json(await search_page(request, params)))


#: The exceptions the app's ``ExceptionMiddleware`` answers through ``handle_error``; any
#: other propagates to Starlette's outermost ``ServerErrorMiddleware`` (the 500 page).
_HANDLED: Final = (KennisbrugError, HTTPException, RequestValidationError)


class DirectSearch:
    """``GET /api/search`` answered without the router: the hot path's own short cut.

    Added as the innermost middleware, so it runs after every middleware of ours
    (security headers, metrics, sign-in) and before Starlette's exception middleware,
    FastAPI's exit stack, the router's path matching and FastAPI's request handler,
    which together cost about a tenth of the web process's CPU per search (py-spy,
    bench/README.md) and do nothing for an endpoint that reads its own query string
    and has no dependencies. The answer is the same: the same endpoint function, the
    route set in the scope (metrics count it under its template), and an exception
    answered by the same ``handle_error`` the exception middleware would call. The
    route stays registered, so the OpenAPI schema is unchanged.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # The route object the router itself would put in the scope (FastAPI sets the
        # included router's original route).
        self.route = next(r for r in router.routes if getattr(r, "path", None) == SEARCH_PATH)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != SEARCH_PATH or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        scope["route"] = self.route
        scope["endpoint"] = api_search
        request = Request(scope, receive, send)
        try:
            response = await api_search(request)
        except _HANDLED as exc:
            response = await handle_error(request, exc)
        await response(scope, receive, send)


def install_direct_search(app: FastAPI) -> None:
    """Put ``DirectSearch`` innermost: call before any other ``add_middleware``."""
    app.add_middleware(DirectSearch)


@router.get(
    "/suggest",
    summary="Aanvullen terwijl u typt",
    openapi_extra={"parameters": SUGGEST_PARAMETERS},
)
async def api_suggest(request: Request) -> Response:
    """Two groups: query completions (whole words and phrases that find something) and
    documents (titles with the typed words), limited to the chosen provincie."""
    query = request.query_params
    provinces = request.app.state.provinces
    chosen = [
        p for p in (normalise_provincie(v, provinces) for v in query.getlist("provincie")) if p
    ]
    scope = chosen or list(provinces.labels)
    found = await related.suggest(
        request.app.state.backend, query.get("q", ""), scope, request.app.state.synonyms.current()
    )
    if query.get("format") == "opensearch":
        return json_response([found.prefix, [c.text for c in found.completions]])
    return json_response(
        {
            "query": found.prefix,
            "completions": [
                {"text": c.text, "count": c.count, "provincie": completion.badge(c, scope)}
                for c in found.completions
            ],
            "documents": [
                {
                    "id": d.id,
                    "title": d.title,
                    "type": d.type,
                    "provincie": list(d.provincie) if len(chosen) != 1 else [],
                    "url": f"/document/{d.id}",
                }
                for d in found.documents
            ],
        }
    )


@router.get(
    "/counterparts",
    summary="Vergelijkbare documenten in de andere provincie",
    openapi_extra={
        "parameters": [_param("id", "Document-id (herhaalbaar, maximaal 50)", many=True)]
    },
)
async def api_counterparts(request: Request) -> Response:
    """Per document id: the most similar documents of the other provincie (more_like_this);
    ``near_identical`` marks the same publication in the other system."""
    found = await related.counterparts(
        request.app.state.backend,
        request.query_params.getlist("id"),
        provinces=request.app.state.provinces.labels,
    )
    labels: dict[str, str] = request.app.state.source_labels
    return json_response(
        {
            "counterparts": {
                doc_id: [
                    {
                        "id": b.id,
                        "title": b.title,
                        "url": b.url,
                        "page": f"/document/{b.id}",
                        "provincie": list(b.provincie),
                        "source": b.source,
                        "source_label": labels.get(b.source, b.source),
                        "near_identical": b.near_identical,
                    }
                    for b in briefs
                ]
                for doc_id, briefs in found.items()
            }
        }
    )
