"""Recording staff searches for the "search insight" page (a search listener).

Only the query text, the hit count and the chosen filters are kept, never who
searched. A failing write is logged and never breaks a search.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request

from core.errors import StoreError
from core.query_log import record_query

log = logging.getLogger(__name__)


def record_search(request: Request, params: Any, hits: int) -> None:
    """Log ``params.q`` with ``hits``; a no-op when the admin side is not installed."""
    admin = getattr(request.app.state, "admin", None)
    if admin is None or params.page != 1:  # paging through results is not a new search
        return
    filters = {k: list(v) for k, v in dict(params.filters).items() if v}
    try:
        record_query(admin.store, params.q, hits, filters)
    except (SQLAlchemyError, StoreError) as exc:
        log.warning("could not record the query: %s", exc)
