"""A small JSON API for automation (``/api/beheer/...``, ``Authorization: Bearer``).

The same rules as the buttons: admin role, jobs only enqueued, one-URL recrawls only
inside the source. Token requests need no CSRF token; browser sessions still do.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse, Response

from core.accounts import Principal
from core.errors import JobError
from search_ui.admin.context import admin_state
from search_ui.admin.guards import require_admin, require_csrf
from search_ui.auth import client_ip

router = APIRouter(prefix="/api/beheer", tags=["beheer"], dependencies=[Depends(require_admin)])


def _error(status: int, code: str, message: str) -> Response:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


@router.post("/taken", dependencies=[Depends(require_csrf)])
async def enqueue_job(request: Request) -> Response:
    """Queue a job: ``{"kind": "crawl"|"crawl_url"|"sync"|"reindex", "source", "full", "url"}``."""
    who: Principal = request.state.principal
    try:
        body: dict[str, Any] = await request.json()
    except ValueError:
        return _error(400, "bad_request", "expected a JSON object")
    state = admin_state(request)
    kind, source = str(body.get("kind", "")), body.get("source")
    params: dict[str, Any] = {"full": bool(body.get("full"))} if kind == "crawl" else {}
    if source is not None and source not in state.profiles():
        return _error(404, "unknown_source", f"unknown source {source!r}")
    if kind == "crawl_url":
        url = str(body.get("url", ""))
        if not url.startswith(("http://", "https://")) or not state.profiles()[
            str(source)
        ].in_scope(url):
            return _error(400, "url_outside_source", f"{url} does not belong to {source}")
        params["url"] = url
    try:
        job = state.queue.enqueue(kind, source=source, params=params, enqueued_by=who.actor)
    except JobError as exc:
        return _error(400, "bad_job", str(exc))
    state.accounts.audit(who.actor, f"api.{kind}", str(source or ""), detail={"job": job.id},
                         ip=client_ip(request))  # fmt: skip
    return JSONResponse(job.to_json(), status_code=202)


@router.get("/taken/{job_id}")
def get_job(request: Request, job_id: int) -> Response:
    try:
        return JSONResponse(admin_state(request).queue.get(job_id).to_json())
    except JobError:
        return _error(404, "not_found", f"no job {job_id}")
