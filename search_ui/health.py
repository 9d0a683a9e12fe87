"""Operations endpoints: ``/healthz`` (is search possible, and if not, why) and ``/metrics``.

Sits beside the pages; load balancers and monitoring call these. ``/healthz``
answers 200 when Elasticsearch serves the alias and 503 with the reason when it
does not; it recovers by itself when the node comes back (no state is cached).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import Response

from core.errors import SearchUnavailableError
from search_ui.formats import json_response

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz(request: Request) -> Response:
    backend = request.app.state.backend
    try:
        cluster = await backend.health()
    except SearchUnavailableError as exc:
        body = {
            "status": "unavailable",
            "elasticsearch": {"status": "unreachable", "index": backend.index, "reason": str(exc)},
        }
        return json_response(body, status_code=503)
    if cluster["status"] == "red":
        reason = f"index {backend.index} is red: a primary shard is not available"
        body = {"status": "unavailable", "elasticsearch": {**cluster, "reason": reason}}
        return json_response(body, status_code=503)
    return json_response({"status": "ok", "elasticsearch": {**cluster, "reason": ""}})


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    registry = request.app.state.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
