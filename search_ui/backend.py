"""The search UI's only door to Elasticsearch: run searches, translate failures.

Sits between the routes (pages, api, health) and the cluster. The search path is
asynchronous: one ``AsyncElasticsearch`` (our ``StreamHttpNode``, a pool of keep-alive
connections, see ``esnode``) per event loop, called through ``perform_request`` with a body that
is already a plain dict, and the answer read as a plain dict (no DSL response
wrapping, no per-call parameter processing of the API methods). Every transport
or server failure becomes ``SearchUnavailableError`` (the app answers 503); a
request Elasticsearch refuses as malformed becomes ``QueryRejectedError`` (400).

A search's first attempt goes to the node directly (``SearchBackend._first_attempt``):
a node from the transport's own pool, the request's head encoded once per node, and
exactly the bookkeeping the transport's ``perform_request`` does after one attempt
(mark the node live or dead, the same logs). Anything that calls for a retry — a
connection failure, a timeout, a status in ``RETRY_STATUSES`` — hands the request to
the transport's ``perform_request`` for the retries that are left, so failover is the
library's. The transport's general path costs several times the Python of one
attempt (headers rebuilt and merged, the client-meta header joined, options resolved,
log lines formatted whether logged or not). Both use the client's per-request options
(``_options``: ``es_timeout``, the retry rules; see ``_Retrying``), which the transport
does not hold itself.

The synchronous ``client`` stays for the admin pages, which run in the thread
pool and are not on the search path.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, cast

from elastic_transport import (
    ApiResponseMeta,
    ConnectionError,
    ConnectionTimeout,
    HttpHeaders,
    NodePool,
    Serializer,
)
from elastic_transport._transport import NOT_DEAD_NODE_HTTP_STATUSES
from elastic_transport.client_utils import DEFAULT, DefaultType, resolve_default
from elasticsearch import ApiError, AsyncElasticsearch, Elasticsearch, TransportError
from elasticsearch.exceptions import HTTP_EXCEPTIONS
from elasticsearch.serializer import OrjsonSerializer

from core.errors import IndexingError, SearchUnavailableError
from core.settings import Settings
from indexer.client import NODE_POOL_OPTIONS, RETRY_STATUSES, es_error, es_urls, retries_for
from search_ui.esnode import Prepared, StreamHttpNode

log = logging.getLogger(__name__)
#: The transport's own logger: the direct first attempt writes the lines it would.
_TRANSPORT_LOG = logging.getLogger("elastic_transport.transport")
#: Open connections to each node: as many concurrent searches as one worker sensibly
#: serves without queueing for a connection.
CONNECTIONS_PER_NODE: Final = 40
#: What the client's own API methods send (compatibility mode of the 9.x client).
_JSON: Final = "application/vnd.elasticsearch+json; compatible-with=9"
_NDJSON: Final = "application/vnd.elasticsearch+x-ndjson; compatible-with=9"
HEADERS: Final = {"accept": _JSON, "content-type": _JSON}
NDJSON_HEADERS: Final = {"accept": _JSON, "content-type": _NDJSON}
Body = dict[str, Any]
#: Routes kept per client: the search path has three; more means headers dicts made
#: per call, which are then not kept.
_MAX_ROUTES: Final = 16


def _options(settings: Settings, urls: list[str]) -> dict[str, Any]:
    # One retry on one node, one per other node on a cluster: a person is waiting, and
    # a dead single node should give a 503 quickly, while on a cluster a dead node must
    # not fail a search that another node can answer.
    return {
        "serializer": OrjsonSerializer(),
        "request_timeout": settings.es_timeout,
        "retry_on_timeout": True,
        "max_retries": retries_for(urls, 1),
        "retry_on_status": RETRY_STATUSES,
        "connections_per_node": CONNECTIONS_PER_NODE,
        **NODE_POOL_OPTIONS,
    }


def search_client(settings: Settings, *, urls: list[str] | None = None) -> Elasticsearch:
    """The admin side's synchronous client (same nodes and retry rules as the search path)."""
    urls = urls or es_urls(settings)
    return Elasticsearch(urls, **_options(settings, urls))


def async_search_client(settings: Settings, *, urls: list[str] | None = None) -> AsyncElasticsearch:
    """The search path's client: pooled keep-alive connections to every node, through
    ``StreamHttpNode`` (asyncio + httptools) instead of aiohttp (see search_ui.esnode)."""
    urls = urls or es_urls(settings)
    return AsyncElasticsearch(urls, node_class=StreamHttpNode, **_options(settings, urls))


def node_url(client: Elasticsearch) -> str:
    """The first node's base URL of a configured client (to build its async twin)."""
    return str(client.transport.node_pool.all()[0].base_url)


def node_urls(client: Elasticsearch) -> list[str]:
    """Every node's base URL of a configured client (to build its async twin)."""
    return [str(node.base_url) for node in client.transport.node_pool.all()]


@dataclass(frozen=True, slots=True)
class _Retrying:
    """The client's per-request options (``_options``: timeout, retries), which the client's
    own ``perform_request`` hands the transport with every request; the transport itself
    was built without them and would use its defaults (3 retries, none on a timeout, a
    fixed 10 s)."""

    #: DEFAULT: each node's own configured timeout.
    request_timeout: DefaultType | float | None = DEFAULT
    max_retries: int = 3
    retry_on_status: tuple[int, ...] = RETRY_STATUSES
    retry_on_timeout: bool = False
    retry_backoff_base: float = 0.0
    retry_backoff_cap: float = 0.0

    @classmethod
    def of(cls, client: AsyncElasticsearch) -> _Retrying:
        transport = client.transport
        return cls(
            request_timeout=client._request_timeout,
            max_retries=resolve_default(client._max_retries, transport.max_retries),
            retry_on_status=tuple(
                resolve_default(client._retry_on_status, transport.retry_on_status)
            ),
            retry_on_timeout=resolve_default(client._retry_on_timeout, transport.retry_on_timeout),
            retry_backoff_base=resolve_default(
                client._retry_backoff_base, transport.retry_backoff_base
            ),
            retry_backoff_cap=resolve_default(
                client._retry_backoff_cap, transport.retry_backoff_cap
            ),
        )

    def options(self) -> dict[str, Any]:
        """Keyword arguments of ``AsyncTransport.perform_request``."""
        return {
            "request_timeout": self.request_timeout,
            "max_retries": self.max_retries,
            "retry_on_status": self.retry_on_status,
            "retry_on_timeout": self.retry_on_timeout,
            "retry_backoff_base": self.retry_backoff_base,
            "retry_backoff_cap": self.retry_backoff_cap,
        }


@dataclass(slots=True)
class _Route:
    """One kind of request (method, path, headers) of the search path, ready to send."""

    method: str
    path: str
    #: The caller's headers object, kept so that its id (the cache key) stays its own.
    given: dict[str, str]
    #: What the transport is given for the retries: the client's headers under the caller's.
    headers: dict[str, str]
    #: What the transport would send: the same with its client-meta header.
    sent: HttpHeaders
    serializer: Serializer
    #: ``Prepared`` per node, by the node's id (a node's hash is computed in Python).
    prepared: dict[int, Prepared]


class QueryRejectedError(IndexingError):
    """Elasticsearch refused a search built from this input (answered 400)."""


@dataclass(frozen=True, kw_only=True)
class Answer:
    """A raw search answer and how long the round trip took (seconds)."""

    body: dict[str, Any]
    seconds: float


class SearchBackend:
    """Runs searches for the web app against the alias ``index``.

    ``make_async`` builds the async client; it is made on first use in each event
    loop (uvicorn has one for the process; a test client may start a new loop per
    request, and a connection cannot cross loops).
    """

    def __init__(
        self,
        client: Elasticsearch,
        *,
        index: str,
        make_async: Callable[[], AsyncElasticsearch],
    ) -> None:
        self.client = client
        self.index = index
        self._make_async = make_async
        self._async: AsyncElasticsearch | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._base_headers: dict[str, str] = {}
        #: Routes of the direct first attempt, by (method, path, id of the headers dict);
        #: None when the transport's configuration rules the direct attempt out.
        self._routes: dict[tuple[str, str, int], _Route] | None = None
        self._retrying = _Retrying()
        self._search_path = f"/{index}/_search"
        self._msearch_path = f"/{index}/_msearch"

    @property
    def aclient(self) -> AsyncElasticsearch:
        loop = asyncio.get_running_loop()
        if self._async is None or self._loop is not loop:
            self._async = self._make_async()
            self._loop = loop
            # The client's own headers (user agent, configured credentials) go under ours.
            self._base_headers = dict(self._async._headers.items())
            self._retrying = _Retrying.of(self._async)
            self._routes = {} if _direct_ok(self._async, self._retrying) else None
        return self._async

    async def aclose(self) -> None:
        """Close the async client's connections (the app's shutdown)."""
        if self._async is not None and self._loop is asyncio.get_running_loop():
            await self._async.close()
        self._async = None
        self._loop = None

    async def request(
        self, action: str, method: str, path: str, body: Any, headers: dict[str, str]
    ) -> dict[str, Any]:
        """One round trip; every Elasticsearch call of the search path goes through here.

        Straight to the client's transport (its node pool, retries and dead-node
        handling, serialiser): the client's ``perform_request`` layer around it
        (OpenTelemetry span, header conversion, response wrapping) cost about a fifth
        of the client's CPU per search and adds nothing here. The first attempt is
        made directly on a node of the transport's pool (see ``_first_attempt``). An
        answer outside 2xx becomes the client's own ``ApiError`` subclass, as that
        layer would raise it.
        """
        client = self.aclient
        try:
            if self._routes is None:
                meta, found = await client.transport.perform_request(
                    method,
                    path,
                    headers={**self._base_headers, **headers},
                    body=body,
                    **self._retrying.options(),
                )
                status = meta.status
            else:
                route = self._routes.get((method, path, id(headers)))
                if route is None or route.given is not headers:
                    route = self._route(client, method, path, headers)
                status, meta, found = await self._first_attempt(client, route, body)
        except TransportError as exc:
            log.warning("search %s: Elasticsearch unreachable: %s", action, exc)
            raise es_error(exc, action, client=self.client, unavailable=True) from exc
        if not 200 <= status < 300:
            raise self._api_error(_status_error(meta, found), action)
        answer: dict[str, Any] = found
        return answer

    def _route(
        self, client: AsyncElasticsearch, method: str, path: str, headers: dict[str, str]
    ) -> _Route:
        transport = client.transport
        merged = {**self._base_headers, **headers}
        # As the transport's perform_request builds them (it adds the meta header last).
        sent = HttpHeaders(merged)
        if transport.meta_header:
            sent["x-elastic-client-meta"] = ",".join(
                f"{k}={v}" for k, v in transport._transport_client_meta
            )
        serializer = transport.serializers.get_serializer(sent["content-type"])
        route = _Route(method, path, headers, merged, sent, serializer, {})
        assert self._routes is not None
        if len(self._routes) >= _MAX_ROUTES:  # headers dicts made per call: no cache then
            return route
        self._routes[(method, path, id(headers))] = route
        return route

    async def _first_attempt(
        self, client: AsyncElasticsearch, route: _Route, body: Any
    ) -> tuple[int, Any, Any]:
        """The first attempt of ``AsyncTransport.perform_request``, on the node the pool
        gives, and the same decisions after it; what needs a retry goes to the transport.

        Returns the status, the answer's ``ApiResponseMeta`` (None for a 2xx, whose meta
        nobody reads) and the decoded body.
        """
        transport = client.transport
        retrying = self._retrying
        pool = transport.node_pool
        data = route.serializer.dumps(body)
        node = cast(StreamHttpNode, pool.get())
        prepared = route.prepared.get(id(node))
        if prepared is None or prepared.node is not node:
            prepared = route.prepared[id(node)] = node.prepare(route.method, route.path, route.sent)
        started = time.monotonic()
        try:
            status, raw_headers, raw, duration = await node.send(
                prepared, data, retrying.request_timeout
            )
        except TransportError as exc:
            _log_attempt(route, node, "N/A", started)
            if isinstance(exc, ConnectionTimeout):
                retry = retrying.retry_on_timeout
                pool.mark_dead(node)
            elif isinstance(exc, ConnectionError):
                retry = True
                pool.mark_dead(node)
            else:
                retry = False
            if not retry or retrying.max_retries < 1:
                exc.errors = ()  # the transport's "every earlier failure": none
                raise
            _TRANSPORT_LOG.warning(
                "Retrying request after failure (attempt %d of %d)",
                0,
                retrying.max_retries,
                exc_info=exc,
            )
            return await self._retries(client, route, data, exc)
        _log_attempt(route, node, status, started)
        content_type = None
        for name, value in raw_headers:
            if name.lower() == "content-type":
                content_type = value
        found = transport.serializers.loads(raw, content_type) if route.method != "HEAD" else None
        if 200 <= status < 299 or status in NOT_DEAD_NODE_HTTP_STATUSES:
            # mark_live does something only for a node with failures on record; asking
            # the pool first saves the hashing and the KeyError of every other call.
            failures = getattr(pool, "_dead_consecutive_failures", None)
            if failures is None or failures:
                pool.mark_live(node)
        else:
            pool.mark_dead(node)
        meta = None if 200 <= status < 300 else node._meta(status, raw_headers, duration)
        if status in retrying.retry_on_status and retrying.max_retries >= 1:
            _TRANSPORT_LOG.warning(
                "Retrying request after non-successful status %d (attempt %d of %d)",
                status,
                0,
                retrying.max_retries,
            )
            return await self._retries(client, route, data, None)
        return status, meta, found

    async def _retries(
        self,
        client: AsyncElasticsearch,
        route: _Route,
        data: bytes,
        error: TransportError | None,
    ) -> tuple[int, Any, Any]:
        """The rest of the transport's attempts for a request whose first one failed (the
        body is already serialised; the serialisers pass bytes through)."""
        options = self._retrying.options()
        options["max_retries"] -= 1
        try:
            meta, found = await client.transport.perform_request(
                route.method, route.path, headers=route.headers, body=data, **options
            )
        except TransportError as exc:
            if error is not None:  # as the transport reports every earlier failure
                exc.errors = (error, *exc.errors)
            raise
        return meta.status, meta, found

    async def search(self, body: Body) -> Answer:
        started = time.perf_counter()
        answer = await self.request("search", "POST", self._search_path, body, HEADERS)
        return Answer(body=answer, seconds=time.perf_counter() - started)

    async def search_body(self, body: Body, action: str = "search") -> dict[str, Any]:
        """Any search body against the alias (autocomplete, document page)."""
        return await self.request(action, "POST", self._search_path, body, HEADERS)

    async def msearch(self, bodies: Sequence[Body]) -> list[dict[str, Any]]:
        """Several searches in one round trip; a failed one is ``{"error": ...}``."""
        if not bodies:
            return []
        lines: list[Body] = []
        for body in bodies:
            lines.extend(({}, body))
        answer = await self.request("msearch", "POST", self._msearch_path, lines, NDJSON_HEADERS)
        responses: list[dict[str, Any]] = answer.get("responses", [])
        return responses

    async def counts(self, bodies: Sequence[Body]) -> list[int]:
        """Hit counts of several searches in one round trip; -1 for one that failed."""
        return [
            int(r["hits"]["total"]["value"]) if "hits" in r else -1
            for r in await self.msearch(bodies)
        ]

    async def health(self) -> dict[str, Any]:
        """Health of the alias and the cluster around it; ``SearchUnavailableError`` when
        no node answers.

        ``status`` is the alias's colour (green: every shard copy assigned; yellow: a
        replica is missing, e.g. while a node is down; red: a primary is missing) or,
        while the alias does not exist yet (``index_exists`` false: a fresh install
        before its first sync), the whole cluster's colour; ``nodes`` is how many nodes
        the cluster has right now.
        """
        # Whether the alias exists first (HEAD: 404 does not count against the node):
        # the health of a missing index answers 408, which the client's node pool takes
        # for a dead node, after waiting 30 s for the index to appear.
        exists = await self._alias_exists()
        path = f"/_cluster/health/{self.index}?timeout=0s" if exists else "/_cluster/health"
        answer = await self._cluster_health(path)
        return {
            "status": answer.get("status", "red"),
            "index": self.index,
            "index_exists": exists,
            "cluster": answer.get("cluster_name", ""),
            "nodes": int(answer.get("number_of_nodes", 0)),
            "data_nodes": int(answer.get("number_of_data_nodes", 0)),
            "active_shards": int(answer.get("active_shards", 0)),
            "unassigned_shards": int(answer.get("unassigned_shards", 0)),
            "initializing_shards": int(answer.get("initializing_shards", 0)),
            "relocating_shards": int(answer.get("relocating_shards", 0)),
        }

    async def _alias_exists(self) -> bool:
        response = await self._health_request("HEAD", f"/{self.index}", ignore=404)
        status: int = response.meta.status
        return 200 <= status < 300

    async def _cluster_health(self, path: str) -> dict[str, Any]:
        answer: dict[str, Any] = (await self._health_request("GET", path, ignore=408)).body
        return answer

    async def _health_request(self, method: str, path: str, *, ignore: int) -> Any:
        try:
            return await self.aclient.options(ignore_status=ignore).perform_request(
                method, path, headers={"accept": _JSON}
            )
        except ApiError as exc:
            raise self._api_error(exc, "health") from exc
        except TransportError as exc:
            raise es_error(exc, "health", client=self.client, unavailable=True) from exc

    def _api_error(self, exc: ApiError, action: str) -> IndexingError:
        info = exc.info if isinstance(exc.info, dict) else {}
        kind = (
            str((info.get("error") or {}).get("type", ""))
            if isinstance(info.get("error"), dict)
            else ""
        )
        if exc.status_code == 404 or kind == "index_not_found_exception":
            return SearchUnavailableError(f"the search index {self.index} does not exist yet")
        if exc.status_code in (400, 413):
            log.warning("search %s refused by Elasticsearch: %s", action, exc)
            return QueryRejectedError(f"Elasticsearch refused the {action}: {exc.message}")
        log.error("search %s failed in Elasticsearch: %s", action, exc)
        return SearchUnavailableError(f"Elasticsearch answered {exc.status_code} to the {action}")


def _direct_ok(client: AsyncElasticsearch, retrying: _Retrying) -> bool:
    """Whether the direct first attempt is the transport's first attempt: every node is a
    ``StreamHttpNode`` speaking for itself, nothing sniffs, retries do not back off (the
    transport numbers its attempts from 0 again after the hand-over), and the pool is
    elastic-transport's own."""
    transport = client.transport
    pool = transport.node_pool
    return (
        type(pool) is NodePool
        and all(isinstance(node, StreamHttpNode) and node.direct for node in pool.all())
        and not getattr(transport, "_sniff_before_requests", True)
        and not getattr(transport, "_sniff_on_node_failure", True)
        and not (retrying.retry_backoff_base > 0 and retrying.retry_backoff_cap > 0)
        and hasattr(transport, "_transport_client_meta")
    )


def _log_attempt(route: _Route, node: StreamHttpNode, status: Any, started: float) -> None:
    # The transport's INFO line per attempt (formatted by the transport whether anyone
    # reads it or not); here only when someone does.
    if _TRANSPORT_LOG.isEnabledFor(logging.INFO):
        _TRANSPORT_LOG.info(
            "%s %s%s [status:%s duration:%.3fs]",
            route.method,
            node.base_url,
            route.path,
            status,
            time.monotonic() - started,
        )


def _status_error(meta: ApiResponseMeta, body: Any) -> ApiError:
    """The ``ApiError`` the client's ``perform_request`` raises for this answer."""
    message: Any = str(body)
    if isinstance(body, dict):
        error = body.get("error", message)
        message = error["type"] if isinstance(error, dict) and "type" in error else error
    error_class = HTTP_EXCEPTIONS.get(meta.status, ApiError)
    return error_class(message=message, meta=meta, body=body)
