"""The search UI's only door to Elasticsearch: run searches, translate failures.

Sits between the routes (pages, api, health) and the cluster. The search path is
asynchronous: one ``AsyncElasticsearch`` (our ``StreamHttpNode``, a pool of keep-alive
connections, see ``esnode``) per event loop, called through ``perform_request`` with a body that
is already a plain dict, and the answer read as a plain dict (no DSL response
wrapping, no per-call parameter processing of the API methods). Every transport
or server failure becomes ``SearchUnavailableError`` (the app answers 503); a
request Elasticsearch refuses as malformed becomes ``QueryRejectedError`` (400).

The synchronous ``client`` stays for the admin pages, which run in the thread
pool and are not on the search path.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from elastic_transport import ApiResponseMeta
from elasticsearch import ApiError, AsyncElasticsearch, Elasticsearch, TransportError
from elasticsearch.exceptions import HTTP_EXCEPTIONS
from elasticsearch.serializer import OrjsonSerializer

from core.errors import IndexingError, SearchUnavailableError
from core.settings import Settings
from indexer.client import NODE_POOL_OPTIONS, RETRY_STATUSES, es_error, es_urls, retries_for
from search_ui.esnode import StreamHttpNode

log = logging.getLogger(__name__)
#: Open connections to each node: as many concurrent searches as one worker sensibly
#: serves without queueing for a connection.
CONNECTIONS_PER_NODE: Final = 40
#: What the client's own API methods send (compatibility mode of the 9.x client).
_JSON: Final = "application/vnd.elasticsearch+json; compatible-with=9"
_NDJSON: Final = "application/vnd.elasticsearch+x-ndjson; compatible-with=9"
HEADERS: Final = {"accept": _JSON, "content-type": _JSON}
NDJSON_HEADERS: Final = {"accept": _JSON, "content-type": _NDJSON}
Body = dict[str, Any]


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
        of the client's CPU per search and adds nothing here. An answer outside 2xx
        becomes the client's own ``ApiError`` subclass, as that layer would raise it.
        """
        client = self.aclient
        try:
            meta, found = await client.transport.perform_request(
                method, path, headers={**self._base_headers, **headers}, body=body
            )
        except TransportError as exc:
            log.warning("search %s: Elasticsearch unreachable: %s", action, exc)
            raise es_error(exc, action, client=self.client, unavailable=True) from exc
        if not 200 <= meta.status < 300:
            raise self._api_error(_status_error(meta, found), action)
        answer: dict[str, Any] = found
        return answer

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


def _status_error(meta: ApiResponseMeta, body: Any) -> ApiError:
    """The ``ApiError`` the client's ``perform_request`` raises for this answer."""
    message: Any = str(body)
    if isinstance(body, dict):
        error = body.get("error", message)
        message = error["type"] if isinstance(error, dict) and "type" in error else error
    error_class = HTTP_EXCEPTIONS.get(meta.status, ApiError)
    return error_class(message=message, meta=meta, body=body)
