"""Prometheus metrics of one app: requests, latencies, zero-result searches.

Sits around every request as plain ASGI middleware (cheaper than Starlette's
``BaseHTTPMiddleware``, which matters for the benchmark's overhead goal). Each app
has its own ``CollectorRegistry`` so that tests and several apps in one process
never share counters; ``/metrics`` (see ``health``) exposes it.
"""

from __future__ import annotations

import time
from typing import Any, Final

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_BUCKETS: Final = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The collectors of one app, in their own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "kennisbrug_http_requests",
            "HTTP requests answered, by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "kennisbrug_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template.",
            ["route"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.searches = Counter(
            "kennisbrug_searches", "Searches run (pages, API and feeds).", registry=self.registry
        )
        self.zero_results = Counter(
            "kennisbrug_search_zero_results",
            "Searches that found nothing (a query staff could not answer).",
            registry=self.registry,
        )
        self.unavailable = Counter(
            "kennisbrug_search_unavailable",
            "Requests answered 503 because Elasticsearch was down or too slow.",
            registry=self.registry,
        )

    def record_search(self, total: int) -> None:
        self.searches.inc()
        if total == 0:
            self.zero_results.inc()


class MetricsMiddleware:
    """Counts and times every HTTP request under its route template (not its raw path)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = _route_name(scope)
            self.metrics.requests.labels(route, scope["method"], str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - started)


def _route_name(scope: Scope) -> str:
    # Raw paths would let any visitor create a new time series; templates cannot.
    route: Any = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"
