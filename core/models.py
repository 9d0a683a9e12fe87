"""The Document model: what the crawler extracts and the indexer writes.

A plain, immutable value that travels crawler -> document store -> indexer. Its
JSON form (``to_json``) is what the store keeps and what the indexer maps onto the
Elasticsearch schema, so the field names here are the index field names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

DOC_TYPES = ("artikel", "nieuws", "dossier", "document", "bijlage")


def doc_id(canonical_url: str) -> str:
    """Stable document id: a hash of the canonical URL (same page -> same id)."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()


@dataclass(frozen=True, kw_only=True)
class Document:
    """One harvested page or attachment, after extraction."""

    url: str
    source: str
    #: Province labels from configuration (core.provinces); a joint page has several.
    provincie: tuple[str, ...]
    type: str
    title: str
    body: str = ""
    summary: str = ""
    headings: tuple[str, ...] = ()
    author: str = ""
    tags: tuple[str, ...] = ()
    published: datetime | None = None
    modified: datetime | None = None
    language: str = "nl"
    parent: str | None = None
    fetched_at: datetime | None = None
    id: str = field(default="")
    content_hash: str = field(default="")

    def __post_init__(self) -> None:
        if isinstance(self.provincie, str):  # a single label, e.g. from an older stored version
            object.__setattr__(self, "provincie", (self.provincie,))
        # Derived fields are computed once so that every copy agrees on them.
        if not self.id:
            object.__setattr__(self, "id", doc_id(self.url))
        if not self.content_hash:
            object.__setattr__(self, "content_hash", self.compute_hash())

    def compute_hash(self) -> str:
        """Hash of what a reader sees; fetch time and validators are left out on purpose."""
        parts = [
            self.title,
            self.summary,
            self.body,
            "\x1f".join(self.headings),
            self.author,
            "\x1f".join(self.tags),
            self.published.isoformat() if self.published else "",
            self.modified.isoformat() if self.modified else "",
            self.type,
            self.parent or "",
            "\x1f".join(self.provincie),
        ]
        return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()

    def with_fetched_at(self, when: datetime) -> Document:
        return replace(self, fetched_at=when)

    def to_json(self) -> dict[str, Any]:
        # Every field is immutable, so a shallow copy will do: dataclasses.asdict deep-copies
        # field by field (about 20 times slower, once per stored page in a crawl).
        data = {name: getattr(self, name) for name in _FIELD_NAMES}
        data["provincie"] = list(self.provincie)
        data["headings"] = list(self.headings)
        data["tags"] = list(self.tags)
        for key in ("published", "modified", "fetched_at"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        values = dict(data)
        raw_provincie = values.get("provincie") or ()
        values["provincie"] = (
            (raw_provincie,) if isinstance(raw_provincie, str) else tuple(raw_provincie)
        )
        values["headings"] = tuple(values.get("headings") or ())
        values["tags"] = tuple(values.get("tags") or ())
        for key in ("published", "modified", "fetched_at"):
            raw = values.get(key)
            values[key] = datetime.fromisoformat(raw) if raw else None
        return cls(**values)


_FIELD_NAMES = tuple(f.name for f in fields(Document))
