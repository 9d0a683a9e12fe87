"""The Elasticsearch client, built from Settings, and the translation of its errors.

First stop on the indexer's way out: sync, reindex, stats and the search UI get
their client from ``make_client`` (orjson, timeouts, retries) and turn transport
failures into our own ``IndexingError`` / ``SearchUnavailableError`` with
``es_error``, so the CLI and the web app can show one clear sentence instead of a
stack trace.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import urlsplit

from elasticsearch import ApiError, ConnectionError, ConnectionTimeout, Elasticsearch
from elasticsearch import TransportError as ESTransportError
from elasticsearch.serializer import OrjsonSerializer

from core.errors import ConfigError, IndexingError, SearchUnavailableError
from core.settings import Settings

#: Whole requests answered with these are retried by the transport (with the
#: node's own back-pressure: 429 = queue full, 502/503/504 = node busy or starting).
RETRY_STATUSES: Final = (429, 502, 503, 504)
DEFAULT_MAX_RETRIES: Final = 3
#: Dead-node handling of the client's node pool: a node that failed is left out for
#: 1 s, then 2, 4 ... up to 30 s, and tried again after that (a restarted node comes
#: back into rotation by itself). Sniffing off: see ``make_client``.
NODE_POOL_OPTIONS: Final[dict[str, Any]] = {
    "dead_node_backoff_factor": 1.0,
    "max_dead_node_backoff": 30.0,
    "sniff_on_start": False,
    "sniff_on_node_failure": False,
}
_REASON_CHARS: Final = 300


def es_urls(settings: Settings) -> list[str]:
    """The node URLs to talk to: ``KENNISBRUG_ES_URL`` (one or a comma-separated list),
    else the local node(s) on 127.0.0.1 from ``es_port`` up (``es_nodes`` of them).

    ConfigError naming the setting for an entry that is not an http(s) URL.
    """
    if not settings.es_url.strip():
        return [f"http://127.0.0.1:{settings.es_port + i}" for i in range(settings.es_nodes)]
    urls = [part.strip().rstrip("/") for part in settings.es_url.split(",")]
    for url in urls:
        parsed = urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ConfigError(
                f"KENNISBRUG_ES_URL={settings.es_url!r} is not valid: {url!r} is not an "
                "http(s) URL such as http://es01:9200 (several nodes: separate them with commas)"
            )
    return urls


def retries_for(urls: list[str], at_least: int) -> int:
    """Retries enough to try every other node once after a failure, and ``at_least``."""
    return max(at_least, len(urls) - 1)


def make_client(
    settings: Settings, *, url: str | None = None, max_retries: int = DEFAULT_MAX_RETRIES
) -> Elasticsearch:
    """A client for all nodes of ``es_urls(settings)`` (or just ``url``); no request is made.

    The transport sends each request to one node (round robin), takes a node that
    fails to connect out of rotation for a while (``dead_node_backoff_factor``,
    doubling up to ``max_dead_node_backoff``) and retries the request on another.
    Sniffing stays off: the configured URLs are the ones reachable from here (in a
    container network the nodes' own publish addresses may not be).
    """
    urls = [url] if url else es_urls(settings)
    return Elasticsearch(
        urls,
        serializer=OrjsonSerializer(),
        request_timeout=settings.es_timeout,
        retry_on_timeout=True,
        max_retries=retries_for(urls, max_retries),
        retry_on_status=RETRY_STATUSES,
        **NODE_POOL_OPTIONS,
    )


def client_url(client: Elasticsearch) -> str:
    """The base URLs of the client's nodes, for messages."""
    try:
        nodes = client.transport.node_pool.all()
    except AttributeError:
        return "Elasticsearch"
    return ", ".join(node.base_url for node in nodes) or "Elasticsearch"


def es_error(
    exc: Exception, action: str, *, client: Elasticsearch | None = None, unavailable: bool = False
) -> IndexingError:
    """One clear sentence for a failed ``action`` ("sync", "create index ...").

    ``unavailable`` picks ``SearchUnavailableError`` for an unreachable node (the web
    app answers 503 for that); other failures stay ``IndexingError``.
    """
    where = client_url(client) if client is not None else "Elasticsearch"
    if isinstance(exc, ConnectionTimeout):
        message = f"{action} failed: Elasticsearch at {where} did not answer in time"
        return (SearchUnavailableError if unavailable else IndexingError)(message)
    if isinstance(exc, ConnectionError):
        message = (
            f"{action} failed: Elasticsearch at {where} is not reachable "
            "(is it running? start the local node with `kennisbrug es start` "
            "or set KENNISBRUG_ES_URL)"
        )
        return (SearchUnavailableError if unavailable else IndexingError)(message)
    if isinstance(exc, ApiError):
        return IndexingError(f"{action} failed: Elasticsearch answered {describe_api_error(exc)}")
    if isinstance(exc, ESTransportError):
        return IndexingError(f"{action} failed: {exc.message}")
    return IndexingError(f"{action} failed: {exc}")


def describe_api_error(exc: ApiError) -> str:
    """``status type: reason`` of an API error, the part a person can act on."""
    info: Any = exc.info
    error = info.get("error") if isinstance(info, dict) else None
    if isinstance(error, dict):
        return f"{exc.status_code} {describe_item_error(error)}"
    return f"{exc.status_code} {exc.message}"


def describe_item_error(error: Any) -> str:
    """``type: reason (caused by ...)`` of one error object from a bulk or API answer."""
    if not isinstance(error, dict):
        return str(error)
    reason = str(error.get("reason") or "")
    if len(reason) > _REASON_CHARS:
        # Reasons quote the offending value, which can be huge; keep the cause visible.
        reason = reason[:_REASON_CHARS] + "…"
    text = f"{error.get('type', 'error')}: {reason}".rstrip(": ")
    cause = error.get("caused_by")
    if isinstance(cause, dict):
        text += f" (caused by {describe_item_error(cause)})"
    return text


def health(client: Elasticsearch, *, index: str | None = None, wait_seconds: float = 0) -> str:
    """Cluster (or index) health colour; waits up to ``wait_seconds`` for at least yellow.

    Raises ``SearchUnavailableError`` when the node is unreachable or red.
    """
    try:
        kwargs: dict[str, Any] = {"index": index} if index else {}
        if wait_seconds:
            kwargs.update(wait_for_status="yellow", timeout=f"{wait_seconds}s")
        answer = client.options(ignore_status=408).cluster.health(**kwargs)
    except (ESTransportError, ApiError) as exc:
        raise es_error(exc, "checking cluster health", client=client, unavailable=True) from exc
    status = str(answer.body.get("status", "red"))
    if status == "red":
        what = f"index {index}" if index else "the cluster"
        raise SearchUnavailableError(
            f"Elasticsearch at {client_url(client)} reports {what} as red "
            "(a primary shard is not available)"
        )
    return status
