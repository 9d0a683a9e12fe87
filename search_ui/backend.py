"""The search UI's only door to Elasticsearch: run searches, translate failures.

Sits between the routes (pages, api, health) and the cluster. Requests go out as
plain bodies built by ``query`` and answers come back as plain dicts (no DSL
response wrapping: it is the slowest part of a small request). Every transport
or server failure becomes ``SearchUnavailableError`` (the app answers 503); a
request Elasticsearch refuses as malformed becomes ``QueryRejectedError`` (400).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.dsl import Search
from elasticsearch.serializer import OrjsonSerializer

from core.errors import IndexingError, SearchUnavailableError
from core.models import PROVINCES
from core.settings import Settings
from indexer.client import RETRY_STATUSES, es_error, es_url
from indexer.mapping import SUGGEST_CONTEXT, SUGGEST_FIELD

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_SUGGESTIONS: Final = 8
MAX_PREFIX_CHARS: Final = 60
#: Open connections to each node: enough for every request thread of the web
#: server (anyio's pool has 40), so that concurrent searches never queue for one.
CONNECTIONS_PER_NODE: Final = 40


def search_client(settings: Settings) -> Elasticsearch:
    """The web app's client: the indexer's URL and retry rules, more connections, one retry.

    One retry only: a person is waiting, and a dead node should give a 503 quickly.
    """
    return Elasticsearch(
        es_url(settings),
        serializer=OrjsonSerializer(),
        request_timeout=settings.es_timeout,
        retry_on_timeout=True,
        max_retries=1,
        retry_on_status=RETRY_STATUSES,
        connections_per_node=CONNECTIONS_PER_NODE,
    )


class QueryRejectedError(IndexingError):
    """Elasticsearch refused a search built from this input (answered 400)."""


@dataclass(frozen=True, kw_only=True)
class Answer:
    """A raw search answer and how long the round trip took (seconds)."""

    body: dict[str, Any]
    seconds: float


class SearchBackend:
    """Runs searches for the web app against the alias ``index``."""

    def __init__(self, client: Elasticsearch, *, index: str) -> None:
        self.client = client
        self.index = index

    def search(self, search: Search) -> Answer:
        started = time.perf_counter()
        body = self._call(
            "search", lambda: self.client.search(index=self.index, body=search.to_dict())
        )
        return Answer(body=body, seconds=time.perf_counter() - started)

    def counts(self, searches: Sequence[Search]) -> list[int]:
        """Hit counts of several searches in one round trip; -1 for one that failed."""
        if not searches:
            return []
        lines: list[dict[str, Any]] = []
        for search in searches:
            lines.extend(({"index": self.index}, search.to_dict()))
        body = self._call("msearch", lambda: self.client.msearch(searches=lines))
        return [
            int(r["hits"]["total"]["value"]) if "hits" in r else -1
            for r in body.get("responses", [])
        ]

    def complete(self, prefix: str, provincies: Sequence[str]) -> list[dict[str, Any]]:
        """Completion suggestions for ``prefix``, limited to the chosen provincies."""
        prefix = prefix.strip()[:MAX_PREFIX_CHARS]
        if not prefix:
            return []
        completion: dict[str, Any] = {
            "field": SUGGEST_FIELD,
            "size": MAX_SUGGESTIONS,
            "skip_duplicates": True,
        }
        # The context is mandatory in a context-enabled completion: "both" = every provincie.
        completion["contexts"] = {SUGGEST_CONTEXT: list(provincies or PROVINCES)}
        body = {
            "_source": ["provincie"],
            "suggest": {"titels": {"prefix": prefix, "completion": completion}},
        }
        answer = self._call("suggest", lambda: self.client.search(index=self.index, body=body))
        options = answer.get("suggest", {}).get("titels", [{}])[0].get("options", [])
        return [
            {"text": o["text"], "provincie": o.get("_source", {}).get("provincie", "")}
            for o in options
        ]

    def health(self) -> dict[str, Any]:
        """Cluster health of the alias; raises ``SearchUnavailableError`` when unreachable."""
        answer = self._call(
            "health",
            lambda: self.client.options(ignore_status=408).cluster.health(index=self.index),
        )
        return {"status": answer.get("status", "red"), "index": self.index}

    def _call(self, action: str, request: Callable[[], Any]) -> dict[str, Any]:
        try:
            return dict(request().body)
        except ApiError as exc:
            raise self._api_error(exc, action) from exc
        except TransportError as exc:
            log.warning("search %s: Elasticsearch unreachable: %s", action, exc)
            raise es_error(exc, action, client=self.client, unavailable=True) from exc

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
