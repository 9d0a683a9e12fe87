"""Sign-in for the web app: session cookie, CSRF, roles and API tokens.

Sits in front of every request (``AuthMiddleware``). A signed cookie carries a CSRF
token for everyone and, once signed in, the random id of a server-side session
(``Accounts.start_session``): signing out ends that record, so a replayed cookie is
worthless, in every web process at once; sessions also end after
``Settings.session_idle_minutes`` without use and ``session_max_hours`` after sign-in,
and a password change or "sign out everywhere" ends all of a user's sessions. ``Authorization: Bearer`` tokens
serve automation and need no CSRF token, as no browser sends them by itself.
With ``Settings.require_login`` search needs a signed-in user too; otherwise it is
open (the intranet default) and only ``/beheer`` needs an admin.
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Final
from urllib.parse import quote

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.accounts import Accounts, Principal
from core.settings import Settings
from search_ui.security import request_address

SESSION_COOKIE: Final = "kb_session"
CSRF_FIELD: Final = "csrf_token"
SIGN_IN_PATH: Final = "/aanmelden"
#: Reachable without signing in even when search requires it.
OPEN_PREFIXES: Final = (SIGN_IN_PATH, "/afmelden", "/static/", "/beheer/static/", "/healthz")


@dataclass(frozen=True)
class Session:
    csrf: str
    sid: str | None = None  # the server-side session's id once signed in

    @classmethod
    def fresh(cls) -> Session:
        return cls(csrf=secrets.token_urlsafe(32))


#: "No session yet": a visitor without a readable cookie. Its empty token matches no
#: submitted form; a real session (random token, cookie) starts only when a form asks
#: for a token (``csrf_token``), so a plain search creates and signs nothing.
NO_SESSION: Final = Session(csrf="")


def secret_key(settings: Settings) -> str:
    """The configured secret, or one generated once per home folder (mode 0600)."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.home) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


class AuthMiddleware:
    """Loads the session and the principal into ``request.state``; writes the cookie back.

    Plain ASGI rather than ``BaseHTTPMiddleware``: it sits in front of every search,
    and the task-group plumbing of the latter cost more than the search's own Python.
    """

    def __init__(self, app: ASGIApp, *, settings: Settings, accounts: Accounts) -> None:
        self.app = app
        self.settings = settings
        self.accounts = accounts
        self.signer = URLSafeTimedSerializer(secret_key(settings), salt="kennisbrug-session")
        self.idle = timedelta(minutes=max(1, settings.session_idle_minutes))
        self.absolute = timedelta(hours=max(1, settings.session_max_hours))
        self.max_age = int(self.absolute.total_seconds())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        cookie = request.cookies.get(SESSION_COOKIE, "")
        session = self._load(cookie)
        request.state.session = session
        request.state.principal = self._principal(request, session)
        anonymous = request.state.principal is None
        if anonymous and self.settings.require_login and not _open_path(request.url.path):
            await _sign_in_needed(request)(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            # Routes replace request.state.session (sign-in, sign-out, a form's first
            # token: csrf_token); by the time the response starts, that is the session
            # to hand back to the browser. Every replacement is a new object.
            if message["type"] == "http.response.start":
                current = request.state.session
                if current is not session:
                    MutableHeaders(scope=message).append("set-cookie", self._cookie(current))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _load(self, raw: str) -> Session:
        if raw:
            try:
                data = self.signer.loads(raw, max_age=self.max_age)
                sid = data.get("s")
                return Session(csrf=str(data["c"]), sid=str(sid) if sid else None)
            except (BadSignature, KeyError, TypeError, ValueError, AttributeError):
                pass  # tampered, expired or another key's: start over (a new cookie)
        return NO_SESSION

    def _cookie(self, session: Session) -> str:
        """The Set-Cookie value, formatted by Starlette's own cookie writer."""
        value = self.signer.dumps({"c": session.csrf, "s": session.sid})
        carrier = Response()
        carrier.set_cookie(
            SESSION_COOKIE,
            value,
            max_age=self.max_age,
            httponly=True,
            samesite="lax",
            secure=self.settings.secure_cookies,
            path="/",
        )
        return carrier.headers["set-cookie"]

    def _principal(self, request: Request, session: Session) -> Principal | None:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            return self.accounts.token_principal(header[7:].strip())
        if session.sid is None:
            return None
        # Ended (signed out, password changed, everywhere), idle or too old: anonymous.
        return self.accounts.session_user(session.sid, idle=self.idle, absolute=self.absolute)


def _open_path(path: str) -> bool:
    return any(path == p or path.startswith(p) for p in OPEN_PREFIXES)


def _sign_in_needed(request: Request) -> Response:
    if request.url.path.startswith("/api/") or request.query_params.get("format") == "json":
        body = {"error": {"code": "sign_in_required", "message": "Meld u aan om te zoeken."}}
        return JSONResponse(body, status_code=401)
    return RedirectResponse(sign_in_url(request), status_code=303)


def sign_in_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{SIGN_IN_PATH}?volgende={quote(target, safe='')}"


def principal(request: Request) -> Principal | None:
    found: Principal | None = getattr(request.state, "principal", None)
    return found


def session(request: Request) -> Session:
    current: Session = request.state.session
    return current


def csrf_token(request: Request) -> str:
    """The token for a form; a visitor without a session gets one now, and its cookie."""
    current = session(request)
    if current is NO_SESSION:
        current = request.state.session = Session.fresh()
    return current.csrf


def csrf_valid(request: Request, submitted: str | None) -> bool:
    """Token requests carry no cookie and need no CSRF token; browsers must send it."""
    who = principal(request)
    if who is not None and who.kind == "token":
        return True
    expected = session(request).csrf
    if not submitted or not expected:
        return False
    # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
    return hmac.compare_digest(str(submitted).encode(), expected.encode())


def sign_in(request: Request, accounts: Accounts, user: Principal) -> None:
    """A new server-side session and a new CSRF token (one planted before is worthless)."""
    old = session(request)
    if old.sid:
        accounts.end_session(old.sid)
    sid = accounts.start_session(user, ip=client_ip(request))
    request.state.session = Session(csrf=secrets.token_urlsafe(32), sid=sid)
    request.state.principal = user


def sign_out(request: Request, accounts: Accounts, *, everywhere: bool = False) -> None:
    """End this session (or all of the user's sessions) on the server, then forget it."""
    current = session(request)
    who = principal(request)
    if everywhere and who is not None and who.kind == "user":
        accounts.end_all_sessions(who.id)
    elif current.sid:
        accounts.end_session(current.sid)
    request.state.session = Session.fresh()
    request.state.principal = None


def safe_next(target: str | None, default: str) -> str:
    """Only local paths: ``//host`` or ``https://host`` would send people elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def client_ip(request: Request) -> str:
    """The visitor's address (trusted proxies only, see ``security.client_address``)."""
    return request_address(request)
