"""The admin side of the web app: sign-in, ``/beheer`` pages and the automation API.

``install_admin(app, settings)`` is the one call ``search_ui.app.create_app`` makes:
it opens the state database, adds the session middleware and the guards' error
handlers, mounts the admin assets and includes the routers.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from core.accounts import Accounts
from core.db import make_engine
from core.jobs import JobQueue
from core.query_log import QueryLogWriter
from core.settings import Settings
from core.store import DocumentStore
from search_ui.admin import api, holds, routes, sign_in, synonyms
from search_ui.admin.context import AdminState
from search_ui.admin.guards import install_guard_handlers
from search_ui.admin.recording import record_search
from search_ui.auth import AuthMiddleware
from search_ui.synonym_source import SynonymSource

STATIC = Path(__file__).resolve().parent / "static"


def install_admin(app: FastAPI, settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    app.state.db_engine = engine  # /healthz asks it SELECT 1
    accounts = Accounts(engine)
    app.state.admin = AdminState(
        settings=settings, store=DocumentStore(engine), queue=JobQueue(engine), accounts=accounts
    )
    app.state.synonyms = SynonymSource(engine)  # the list admins edit under /beheer/synoniemen
    app.add_middleware(AuthMiddleware, settings=settings, accounts=accounts)
    # Search insight: searches typed in the search box, written in the background.
    app.state.query_log = QueryLogWriter(
        engine, days=settings.query_log_days, max_rows=settings.query_log_max_rows
    )
    app.state.search_listeners.append(record_search)
    install_guard_handlers(app)
    app.mount("/beheer/static", StaticFiles(directory=STATIC), name="beheer-static")
    app.include_router(sign_in.router)
    app.include_router(routes.router)
    app.include_router(holds.router)
    app.include_router(synonyms.router)
    app.include_router(api.router)
