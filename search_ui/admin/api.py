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
from core.job_model import KINDS
from search_ui.admin.context import admin_state, job_number
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
        body: Any = await request.json()
    except (ValueError, UnicodeDecodeError):
        return _error(400, "bad_request", "the body must be a JSON object")
    if not isinstance(body, dict):
        return _error(400, "bad_request", 'the body must be a JSON object, e.g. {"kind": "sync"}')
    kind, source, url = body.get("kind"), body.get("source"), body.get("url")
    if not isinstance(kind, str) or kind not in KINDS:
        return _error(400, "bad_kind", f"kind must be one of {', '.join(KINDS)}")
    if source is not None and not isinstance(source, str):
        return _error(400, "bad_source", "source must be a source name (a string)")
    state = admin_state(request)
    if source is not None and source not in state.profiles():
        return _error(404, "unknown_source", f"unknown source {source[:100]!r}")
    if kind in {"crawl", "crawl_url"} and source is None:
        return _error(400, "source_required", f"a {kind} job needs a source")
    full = body.get("full", False)
    if not isinstance(full, bool):
        return _error(400, "bad_full", "full must be true or false")
    params: dict[str, Any] = {"full": full} if kind == "crawl" else {}
    if kind == "crawl_url":
        if not isinstance(url, str) or not url:
            return _error(400, "url_required", "a crawl_url job needs a url (a string)")
        assert source is not None
        if not url.startswith(("http://", "https://")) or not state.profiles()[source].in_scope(
            url
        ):
            return _error(400, "url_outside_source", f"{url[:500]} does not belong to {source}")
        params["url"] = url
    try:
        job = state.queue.enqueue(kind, source=source, params=params, enqueued_by=who.actor)
    except JobError as exc:
        return _error(400, "bad_job", str(exc))
    state.accounts.audit(who.actor, f"api.{kind}", str(source or ""), detail={"job": job.id},
                         ip=client_ip(request))  # fmt: skip
    return JSONResponse(job.to_json(), status_code=202)


@router.get("/taken/{job_id}")
def get_job(request: Request, job_id: str) -> Response:
    number = job_number(job_id)
    if number is None:
        return _error(404, "not_found", f"no job {job_id[:40]!r}")
    try:
        return JSONResponse(admin_state(request).queue.get(number).to_json())
    except JobError:
        return _error(404, "not_found", f"no job {number}")
