"""Sign-in and sign-out pages (``/aanmelden``, ``/afmelden``) for local accounts.

Failed attempts are counted in the state database (so the limits hold across web
processes; see ``Accounts.authenticate`` for the backoff) and written to the audit log
with successes. Signing out ends the server-side session; "overal afmelden" ends all
of the user's sessions.
"""

from __future__ import annotations

from babel.units import format_unit
from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from core.accounts import Accounts, SignInThrottledError
from search_ui.admin.context import admin_state
from search_ui.admin.guards import require_csrf
from search_ui.auth import client_ip, csrf_token, principal, safe_next, sign_in, sign_out
from search_ui.i18n import Translator
from search_ui.rendering import render, translator

router = APIRouter(include_in_schema=False)


def _page(request: Request, *, next_url: str, username: str = "", problem: str = "",
          status: int = 200) -> Response:  # fmt: skip
    context = {"csrf": csrf_token(request), "next_url": next_url, "username": username,
               "problem": problem}  # fmt: skip
    return render(request, "beheer/sign_in.html", context, status_code=status)


@router.get("/aanmelden")
def sign_in_form(request: Request, volgende: str = "") -> Response:
    return _page(request, next_url=safe_next(volgende, ""))


@router.post("/aanmelden", dependencies=[Depends(require_csrf)])
async def sign_in_submit(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("gebruiker", ""))[:64]
    password = str(form.get("wachtwoord", ""))
    next_url = str(form.get("volgende", ""))
    accounts: Accounts = admin_state(request).accounts
    ip = client_ip(request)
    try:
        user = accounts.authenticate(username, password, ip=ip)
    except SignInThrottledError as exc:
        accounts.audit(f"anoniem:{username}", "sign_in.throttled", username, ip=ip)
        words = translator(request)
        problem = words.plain(
            "Too many failed attempts. Please try again in %(wait)s.",
            wait=_wait_label(exc.retry_after, words),
        )
        page = _page(request, next_url=next_url, username=username, problem=problem, status=429)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    if user is None:
        accounts.audit(f"anoniem:{username}", "sign_in.failed", username, ip=ip)
        problem = translator(request).plain("The user name or password is not correct.")
        return _page(request, next_url=next_url, username=username, problem=problem, status=401)
    sign_in(request, accounts, user)
    accounts.audit(user.actor, "sign_in", user.name, ip=ip)
    default = "/beheer" if user.is_admin else "/"
    return RedirectResponse(safe_next(next_url, default), status_code=303)


@router.post("/afmelden", dependencies=[Depends(require_csrf)])
async def sign_out_submit(request: Request) -> Response:
    """Sign out here, or with ``overal=1`` on every device (all the user's sessions end)."""
    everywhere = (await request.form()).get("overal") == "1"
    who = principal(request)
    accounts = admin_state(request).accounts
    if who is not None:
        action = "sign_out.everywhere" if everywhere else "sign_out"
        accounts.audit(who.actor, action, who.name, ip=client_ip(request))
    sign_out(request, accounts, everywhere=everywhere)
    return RedirectResponse("/", status_code=303)


def _wait_label(seconds: int, words: Translator) -> str:
    """'45 seconden' / '3 minutes': Babel's long duration units in the page's language."""
    if seconds < 90:
        return format_unit(seconds, "duration-second", length="long", locale=words.lang)
    return format_unit(-(-seconds // 60), "duration-minute", length="long", locale=words.lang)
