"""Shared pieces of the indexer integration tests: a store on disk and Dutch documents."""

from __future__ import annotations

import dataclasses
import secrets
from datetime import datetime

from elasticsearch import Elasticsearch

from core.db import make_engine
from core.models import Document
from core.settings import Settings
from core.store import DocumentStore

THEMES = ("leesbevordering", "mediawijsheid", "collectie", "educatie", "bedrijfsvoering", "ICT")
SENTENCES = (
    "De bibliotheek organiseert een leesclub voor volwassenen.",
    "Consulenten van Cubiss en Bibliotheekhuis werken samen aan mediawijsheid.",
    "Het beleidsplan beschrijft de bibliotheekvernieuwing in de provincie.",
    "Vrijwilligers helpen bezoekers met e-books en digitale foto's.",
    # Only the singular "bibliotheek" anywhere: test_sync finds it by the plural.
    "Scholen en de bibliotheek sluiten een samenwerkingsovereenkomst.",
)


def own_alias(settings: Settings) -> Settings:
    """``settings`` with an alias of its own under the session prefix (tests share a node)."""
    return dataclasses.replace(
        settings, index_alias=f"{settings.index_alias}-{secrets.token_hex(4)}"
    )


def open_store(settings: Settings) -> DocumentStore:
    """A fresh SQLite document store in the test's own home folder."""
    return DocumentStore(make_engine(settings.database_url))


def sample_document(n: int, **overrides: object) -> Document:
    """Document ``n``: odd numbers from eKIC (Limburg), even from bnbibliotheek (Brabant)."""
    ekic = n % 2 == 1
    values: dict[str, object] = {
        "url": f"https://{'ekic' if ekic else 'bnbibliotheek'}.example/doc/{n}",
        "source": "ekic" if ekic else "bnbibliotheek",
        "provincie": "Limburg" if ekic else "Noord-Brabant",
        "type": "artikel" if ekic else "nieuws",
        "title": f"{THEMES[n % len(THEMES)].capitalize()} nummer {n}",
        "body": " ".join(SENTENCES[(n + k) % len(SENTENCES)] for k in range(12)),
        "tags": (THEMES[n % len(THEMES)],),
        "published": datetime(2008 + n % 4, 1 + n % 12, 1 + n % 28),
    }
    values.update(overrides)
    return Document(**values)  # type: ignore[arg-type]


def fill_store(store: DocumentStore, count: int, *, start: int = 0) -> list[Document]:
    docs = [sample_document(n) for n in range(start, start + count)]
    for doc in docs:
        store.save(doc)
    return docs


def index_ids(client: Elasticsearch, alias: str) -> list[str]:
    """Every document id in the index (refreshed first), with repeats if there were any."""
    client.indices.refresh(index=alias)
    ids: list[str] = []
    answer = client.search(index=alias, size=1000, sort=[{"id": "asc"}], source=False)
    while answer["hits"]["hits"]:
        hits = answer["hits"]["hits"]
        ids += [h["_id"] for h in hits]
        answer = client.search(
            index=alias,
            size=1000,
            sort=[{"id": "asc"}],
            source=False,
            search_after=hits[-1]["sort"],
        )
    return ids
