"""The web app factory: search pages, JSON API, health, and room for the admin pages.

The composition point of ``search_ui`` (called by the CLI's ``serve`` command, the
tests and the benchmark). ``create_app`` wires the Elasticsearch backend, the
Jinja2 templates (``app.state.templates``), the compiled catalogues
(``app.state.catalogues``), the metrics and the one error handler. Nothing
happens at import time; no request is sent to Elasticsearch while building.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from elasticsearch import Elasticsearch
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from core.settings import Settings
from core.sources import load_provinces
from search_ui import api, api_docs, health, pages
from search_ui.admin import install_admin
from search_ui.backend import SearchBackend, async_search_client, node_urls, search_client
from search_ui.failures import install_error_handlers
from search_ui.i18n import load_catalogues, source_labels
from search_ui.metrics import Metrics, MetricsMiddleware
from search_ui.ratelimit import RateLimiter, SharedCounts
from search_ui.rendering import STATIC_DIR, make_templates
from search_ui.security import SecurityMiddleware
from search_ui.synonym_source import SynonymSource


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.synonyms.start()  # refreshed in the background, never on a request
    yield
    app.state.synonyms.stop()
    await app.state.backend.aclose()
    if app.state.search_limiter.shared is not None:
        app.state.search_limiter.shared.close()  # add the last counts
    query_log = getattr(app.state, "query_log", None)
    if query_log is not None:
        query_log.close()  # write the searches still buffered


def create_app(settings: Settings, *, es: Elasticsearch | None = None) -> FastAPI:
    """A ready app for ``settings``; ``es`` injects a client (tests, benchmarks).

    The search path uses an async twin of that client (same node, see ``backend``).
    """
    app = FastAPI(
        lifespan=_lifespan,
        # No OpenTelemetry here (the search path skips the client's span too); left on,
        # FastAPI asks the global providers whether anyone listens on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        title="Kennisbrug",
        summary="Eén zoekvak voor de kennisbanken uit de bronnenconfiguratie",
        version="0.1.0",
        docs_url=None,  # served by api_docs from packaged assets (no CDN)
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    # Starlette's trailing-slash redirect builds an absolute URL from the Host header.
    app.router.redirect_slashes = False
    metrics = Metrics()
    app.state.settings = settings
    client = es or search_client(settings)
    urls = node_urls(client)
    app.state.backend = SearchBackend(
        client,
        index=settings.index_alias,
        make_async=lambda: async_search_client(settings, urls=urls),
    )
    app.state.catalogues = load_catalogues()
    app.state.source_labels = source_labels(settings)
    app.state.provinces = load_provinces(settings.sources_file)
    app.state.templates = make_templates()
    app.state.metrics = metrics
    # Callables (request, params, hits) run after each staff search (see pages.search_page).
    app.state.search_listeners = []
    # The starter list until the admin side connects the saved one (install_admin).
    app.state.synonyms = SynonymSource(None)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # The JSON API first: routes are matched in order, and /api/search is the hot path.
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(health.router)
    api_docs.install(app)
    # Before any middleware is added: it must be the innermost (see api.DirectSearch).
    api.install_direct_search(app)
    install_admin(app, settings)  # sign-in, /beheer and /api/beheer (search_ui/admin/)
    # Anonymous searches per address, counted across every web process (ratelimit.py).
    per_minute = settings.search_rate_per_minute
    shared = SharedCounts(app.state.db_engine, per_minute) if per_minute > 0 else None
    app.state.search_limiter = RateLimiter(per_minute, shared=shared)
    install_error_handlers(app)
    _derive_openapi(app)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    # Last added = outermost: every answer, errors and static files included, gets the headers.
    app.add_middleware(SecurityMiddleware, settings=settings)
    return app


def _derive_openapi(app: FastAPI) -> None:
    """FastAPI builds the schema once, lazily; add the configured provinces to it."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = api.with_provinces(build(), app.state.provinces)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
