"""Transport-level safety of every response: security headers, HEAD, trusted hosts, client address.

Sits outermost in the ASGI stack (``install_security`` in ``create_app``), so every
answer gets the headers, including errors, static files and redirects:

* a Content-Security-Policy without inline scripts or styles (``'self'`` only) and
  ``frame-ancestors 'none'`` with ``X-Frame-Options: DENY`` (no framing, so no
  click-jacking of ``/beheer``), ``nosniff``, a Referrer-Policy and a Permissions-Policy;
* ``Cache-Control: no-store`` on the admin side and sign-in (nothing of it stays in
  a shared browser's cache); HSTS once cookies are Secure (served behind TLS);
* HEAD answered for every GET route (the GET without its body);
* a Host header outside ``Settings.trusted_hosts`` answered 400 (when set).

``client_address`` is the one place the visitor's address is read: the socket peer,
or ``X-Forwarded-For`` only when that peer is a configured trusted proxy.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.settings import Settings

CSP: Final = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    )
)
PERMISSIONS: Final = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)
#: Paths whose answers must never be cached (admin pages, sign-in, the admin API).
PRIVATE_PREFIXES: Final = ("/beheer", "/aanmelden", "/afmelden", "/api/beheer")
HSTS: Final = "max-age=31536000; includeSubDomains"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(spec: str) -> tuple[Network, ...]:
    """``"10.0.0.1, 192.168.0.0/16"`` -> networks; an empty spec trusts nobody."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in _items(spec))


def parse_hosts(spec: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in _items(spec))


def _items(spec: str) -> Iterable[str]:
    return (part for part in spec.replace(";", ",").split(",") if part.strip())


def _in(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(scope: Scope, trusted: tuple[Network, ...]) -> str:
    """The visitor's address: ``X-Forwarded-For`` is believed only from trusted proxies.

    Walking the header from the right, every hop a trusted proxy added is skipped; the
    first address not in the trusted list is the client. A peer that is not a trusted
    proxy is the client itself, whatever header it sends (it could write anything).
    """
    peer = scope.get("client")
    address = str(peer[0]) if peer else "unknown"
    if not trusted or not _in(address, trusted):
        return address
    forwarded: list[str] = []
    for name, value in scope.get("headers", ()):
        if name == b"x-forwarded-for":
            forwarded += [p.strip() for p in value.decode("latin-1").split(",") if p.strip()]
    for hop in reversed(forwarded):
        if not _in(hop, trusted):
            return hop[:64] if _valid_ip(hop) else address
    return forwarded[0][:64] if forwarded and _valid_ip(forwarded[0]) else address


def _valid_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def request_address(request: Request) -> str:
    """The client address the middleware worked out for this request."""
    found = request.scope.get("kennisbrug.client")
    if found:
        return str(found)
    return request.client.host if request.client else "unknown"


def header_lists(settings: Settings) -> tuple[list[tuple[bytes, bytes]], list[tuple[bytes, bytes]]]:
    """(headers for every answer, headers for private answers), as raw ASGI pairs."""
    common = [
        (b"content-security-policy", CSP.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"permissions-policy", PERMISSIONS.encode()),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if settings.secure_cookies:
        common.append((b"strict-transport-security", HSTS.encode()))
    return common, [*common, (b"cache-control", b"no-store"), (b"pragma", b"no-cache")]


def add_security_headers(response: Response, settings: Settings, path: str) -> Response:
    """The same headers on a response made outside the middleware (the 500 page)."""
    common, private = header_lists(settings)
    for name, value in private if path.startswith(PRIVATE_PREFIXES) else common:
        response.headers[name.decode()] = value.decode()
    return response


class SecurityMiddleware:
    """Headers on every answer, HEAD as GET without a body, Host check, client address."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.trusted = parse_networks(settings.trusted_proxies)
        self.hosts = parse_hosts(settings.trusted_hosts)
        self.common, self.private = header_lists(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope["kennisbrug.client"] = client_address(scope, self.trusted)
        path: str = scope.get("path", "")
        extra = self.private if path.startswith(PRIVATE_PREFIXES) else self.common
        names = {name for name, _ in extra}
        if self.hosts and not self._host_allowed(scope):
            await _bad_host(extra, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", ()) if k.lower() not in names]
                message = dict(message, headers=kept + extra)
            elif head and message["type"] == "http.response.body":
                message = dict(message, body=b"")
            await send(message)

        await self.app(scope, receive, send_secured)

    def _host_allowed(self, scope: Scope) -> bool:
        host = ""
        for name, value in scope.get("headers", ()):
            if name == b"host":
                host = value.decode("latin-1").lower()
                break
        hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return any(
            hostname == allowed or (allowed.startswith("*.") and hostname.endswith(allowed[1:]))
            for allowed in self.hosts
        )


async def _bad_host(headers: list[tuple[bytes, bytes]], send: Send) -> None:
    body = b"Invalid host header"
    start = [(b"content-type", b"text/plain; charset=utf-8"),
             (b"content-length", str(len(body)).encode()), *headers]  # fmt: skip
    await send({"type": "http.response.start", "status": 400, "headers": start})
    await send({"type": "http.response.body", "body": body})
