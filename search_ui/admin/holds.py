"""Held deletions in /beheer: see the URLs a sudden drop would remove, confirm or reject.

A crawl run that would delete more than its source's ``max_drop_ratio`` holds the list
instead (core.deletion_holds). The dashboard card links here; both buttons are POSTs
with the session's CSRF token, are audited, and confirming queues a sync so the index
follows the store.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from core.accounts import Principal
from core.deletion_holds import DeletionHold, DeletionHolds
from search_ui.admin.context import admin_context, admin_state, profile_or_404
from search_ui.admin.guards import require_admin, require_csrf
from search_ui.auth import client_ip
from search_ui.rendering import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_admin)])
BASE = "/beheer/bronnen/{source}/verwijderingen/{hold_id}"


def _hold_or_404(request: Request, source: str, hold_id: int) -> DeletionHold:
    profile = profile_or_404(request, source)
    hold = DeletionHolds(admin_state(request).store.engine).get(hold_id)
    if hold is None or hold.source != profile.name:
        raise HTTPException(404)
    return hold


@router.get(BASE)
def hold_page(request: Request, source: str, hold_id: int) -> Response:
    hold = _hold_or_404(request, source, hold_id)
    context = admin_context(request, hold=hold, profile=profile_or_404(request, source))
    return render(request, "beheer/hold.html", context)


@router.post(BASE + "/bevestigen", dependencies=[Depends(require_csrf)])
def confirm_hold(request: Request, source: str, hold_id: int) -> Response:
    hold = _hold_or_404(request, source, hold_id)
    state = admin_state(request)
    who: Principal = request.state.principal
    deleted = DeletionHolds(state.store.engine).confirm(hold.id, state.store, by=who.actor)
    state.accounts.audit(
        who.actor, "deletions.confirm", f"{hold.source} #{hold.id}",
        detail={"deleted": len(deleted), "held": len(hold.items)}, ip=client_ip(request),
    )  # fmt: skip
    if deleted:
        job = state.queue.enqueue("sync", enqueued_by=who.actor)
        return RedirectResponse(f"/beheer?taak={job.id}", status_code=303)
    return RedirectResponse("/beheer", status_code=303)


@router.post(BASE + "/afwijzen", dependencies=[Depends(require_csrf)])
def reject_hold(request: Request, source: str, hold_id: int) -> Response:
    hold = _hold_or_404(request, source, hold_id)
    state = admin_state(request)
    who: Principal = request.state.principal
    kept = DeletionHolds(state.store.engine).reject(hold.id, by=who.actor)
    state.accounts.audit(
        who.actor, "deletions.reject", f"{hold.source} #{hold.id}",
        detail={"kept": kept}, ip=client_ip(request),
    )  # fmt: skip
    return RedirectResponse("/beheer", status_code=303)
