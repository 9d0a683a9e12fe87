"""The app's one error handler: JSON for the API, a Dutch page for people, never a trace.

Sits at the edge of every request. Every failure is classified once into a status,
a stable code and a message (translated into the request's language); ``/api/*``,
``/healthz`` and ``format=json`` get ``{"error": {"code": ..., "message": ...}}``,
everyone else gets ``error.html`` with a way forward. Elasticsearch down or slow
is a 503 with ``Retry-After``; the details go to the log, not to the visitor.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse, Response

from core.errors import IndexingError, KennisbrugError, SearchUnavailableError
from search_ui.backend import QueryRejectedError
from search_ui.formats import json_response
from search_ui.ratelimit import SearchRateLimitedError
from search_ui.rendering import render, translator
from search_ui.security import add_security_headers

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS: Final = "30"


@dataclass(frozen=True)
class Failure:
    status: int
    code: str
    message: str  # English message id, translated on the way out


_HTTP: Final = {
    404: Failure(404, "not_found", "This page does not exist."),
    405: Failure(405, "method_not_allowed", "This address does not accept that request."),
}
_UNAVAILABLE: Final = Failure(
    503, "search_unavailable", "Search is temporarily unavailable. Please try again in a moment."
)


def classify(exc: Exception) -> Failure:
    if isinstance(exc, SearchRateLimitedError):
        return Failure(
            429, "too_many_searches", "Too many searches from your address. Please wait a moment."
        )
    if isinstance(exc, SearchUnavailableError):
        return _UNAVAILABLE
    if isinstance(exc, QueryRejectedError):
        return Failure(
            400, "query_rejected", "This search could not be run. Try fewer or other words."
        )
    if isinstance(exc, IndexingError):
        return _UNAVAILABLE
    if isinstance(exc, HTTPException):
        return _HTTP.get(
            exc.status_code,
            Failure(exc.status_code, "http_error", "The request could not be handled."),
        )
    if isinstance(exc, RequestValidationError):
        return Failure(400, "bad_request", "The request could not be handled.")
    return Failure(
        500, "internal_error", "Something went wrong on our side. Please try again later."
    )


def wants_json(request: Request) -> bool:
    path = request.url.path
    return (
        path.startswith("/api/")
        or path == "/healthz"
        or request.query_params.get("format") in ("json", "csv", "atom")
    )


async def handle_error(request: Request, exc: Exception) -> Response:
    failure = classify(exc)
    if failure.status >= 500 and not isinstance(exc, KennisbrugError):
        log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    elif isinstance(exc, KennisbrugError):
        log.warning("%s on %s: %s", failure.code, request.url.path, exc)
    if failure.status == 503:
        request.app.state.metrics.unavailable.inc()
    headers = {"Retry-After": RETRY_AFTER_SECONDS} if failure.status == 503 else {}
    if isinstance(exc, SearchRateLimitedError):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, HTTPException) and exc.headers:
        headers.update(exc.headers)
    response: Response
    try:
        message = str(translator(request).gettext(failure.message))
        if wants_json(request):
            body = {"error": {"code": failure.code, "message": message}}
            response = json_response(body, status_code=failure.status)
        else:
            context = {"failure": failure, "message": message}
            response = render(request, "error.html", context, status_code=failure.status)
    except Exception:  # the error page itself failed: still no trace for the visitor
        log.exception("rendering the error page failed")
        response = PlainTextResponse("Er ging iets mis.", status_code=failure.status)
    response = _with_headers(response, headers)
    # A 500 is answered by Starlette's outermost ServerErrorMiddleware, outside
    # SecurityMiddleware: it gets the same headers here.
    return add_security_headers(response, request.app.state.settings, request.url.path)


def _with_headers(response: Response, headers: dict[str, str]) -> Response:
    for key, value in headers.items():
        response.headers[key] = value
    return response


def install_error_handlers(app: FastAPI) -> None:
    for kind in (KennisbrugError, HTTPException, RequestValidationError, Exception):
        app.add_exception_handler(kind, handle_error)
