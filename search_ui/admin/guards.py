"""Route guards of the admin pages: who may enter and whether a form is genuine.

FastAPI dependencies used by every ``/beheer`` route. A visitor who is not signed
in is sent to the sign-in page; a signed-in staff member gets 403; a state-changing
request from a browser without the session's CSRF token gets 403 as well.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from core.accounts import Principal
from core.errors import ForbiddenError, SignInRequiredError
from search_ui.admin.labels import N_
from search_ui.auth import CSRF_FIELD, csrf_valid, principal, sign_in_url
from search_ui.rendering import render, translator


def require_admin(request: Request) -> Principal:
    who = principal(request)
    if who is None:
        raise SignInRequiredError()
    if not who.is_admin:
        raise ForbiddenError(N_("This part is for administrators only."))
    return who


async def require_csrf(request: Request) -> None:
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    form = await request.form()
    submitted = form.get(CSRF_FIELD) or request.headers.get("x-csrf-token")
    if not csrf_valid(request, submitted if isinstance(submitted, str) else None):
        raise ForbiddenError(N_("The form has expired or is not from this site. Please try again."))


async def _sign_in_required(request: Request, _exc: Exception) -> Response:
    if request.url.path.startswith("/api/"):
        message = translator(request).plain("Sign-in required.")
        body = {"error": {"code": "sign_in_required", "message": message}}
        return JSONResponse(body, status_code=401)
    return RedirectResponse(sign_in_url(request), status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    # The reasons are message ids (above): shown in the request's language.
    reason = translator(request).plain(
        exc.reason if isinstance(exc, ForbiddenError) else N_("No access.")
    )
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": {"code": "forbidden", "message": reason}}, status_code=403)
    return render(request, "beheer/forbidden.html", {"reason": reason}, status_code=403)


def install_guard_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SignInRequiredError, _sign_in_required)
    app.add_exception_handler(ForbiddenError, _forbidden)
