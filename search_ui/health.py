"""Operations endpoints: ``/healthz`` (can this process serve, and if not, why) and ``/metrics``.

Sits beside the pages; load balancers, compose's health check and monitoring call
these. ``/healthz`` answers 200 when the process can serve: Elasticsearch answers and
the state database answers. That includes a fresh install whose index does not exist
yet (before the first crawl and sync): the body then says ``"index": "missing"`` and
``"status": "no_index"``, and ``/beheer`` shows a warning, but the process is healthy
and must not be restarted or taken out of the balancer for it. It answers 503 with the
reason when it cannot serve: no Elasticsearch node answers, the index is red (a
primary shard is missing), or the database does not answer. Nothing is cached: it
recovers by itself when the node or the database comes back.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Final

from fastapi import APIRouter, Request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine, text
from starlette.responses import Response

from core.errors import SearchUnavailableError
from search_ui.formats import json_response

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
#: Seconds the database may take to answer ``SELECT 1`` before it counts as unreachable.
DATABASE_TIMEOUT: Final = 5.0


def _select_one(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


async def database_health(engine: Engine | None) -> dict[str, str]:
    """``{"status": "ok"}`` or ``{"status": "unreachable", "reason": ...}``; never raises.

    The query runs in a worker thread (the driver blocks), bounded by DATABASE_TIMEOUT.
    """
    if engine is None:
        return {"status": "ok"}
    try:
        await asyncio.wait_for(asyncio.to_thread(_select_one, engine), DATABASE_TIMEOUT)
    except Exception as exc:  # any driver or pool error: the answer says so
        log.warning("state database unreachable: %s", exc)
        reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        return {"status": "unreachable", "reason": reason}
    return {"status": "ok"}


@router.get("/healthz")
async def healthz(request: Request) -> Response:
    backend = request.app.state.backend
    database = await database_health(getattr(request.app.state, "db_engine", None))
    try:
        cluster = await backend.health()
    except SearchUnavailableError as exc:
        elasticsearch = {"status": "unreachable", "index": backend.index, "reason": str(exc)}
        return _answer(503, "unavailable", "unknown", elasticsearch, database)
    exists = cluster.pop("index_exists")
    index = "ready" if exists else "missing"
    if exists and cluster["status"] == "red":
        reason = f"index {backend.index} is red: a primary shard is not available"
        return _answer(503, "unavailable", index, {**cluster, "reason": reason}, database)
    if database["status"] != "ok":
        return _answer(503, "unavailable", index, {**cluster, "reason": ""}, database)
    if not exists:
        reason = f"index {backend.index} does not exist yet (first crawl and sync, or a reindex)"
        return _answer(200, "no_index", index, {**cluster, "reason": reason}, database)
    return _answer(200, "ok", index, {**cluster, "reason": ""}, database)


def _answer(
    code: int, status: str, index: str, elasticsearch: dict[str, Any], database: dict[str, str]
) -> Response:
    body = {"status": status, "index": index, "elasticsearch": elasticsearch, "database": database}
    return json_response(body, status_code=code)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    registry = request.app.state.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
