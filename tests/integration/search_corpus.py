"""Documents from both demo sites, indexed the way production does it (store -> outbox -> sync).

Test support for the search UI tests and the search benchmark: the demo entries of
eKIC (Limburg) and bnbibliotheek (Noord-Brabant, optionally with the hostile post)
become ``Document`` values, are saved into a ``DocumentStore`` and reach
Elasticsearch through ``indexer.sync.sync_outbox``, so the index is built by the
indexer's own code and mapping.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import unescape

from elasticsearch import Elasticsearch

from core.db import make_engine, metadata
from core.models import Document
from core.settings import Settings
from core.store import DocumentStore
from demo.model import Entry
from demo.sites import build_bnbibliotheek, build_ekic
from indexer.sync import sync_outbox

EKIC_BASE = "http://ekic.demo"
BNB_BASE = "http://bnbibliotheek.demo"


def _ekic_type(kind: str) -> str:
    return kind if kind in ("artikel", "nieuws", "dossier") else "artikel"


def entry_document(entry: Entry, *, url: str, source: str, provincie: str, kind: str) -> Document:
    body = "\n\n".join(entry.paragraphs)
    if entry.raw_html:
        # What a careless extractor would keep of the badly escaped post: the markup as text.
        body += "\n" + unescape(entry.raw_html)
    return Document(
        url=url,
        source=source,
        provincie=(provincie,),
        type=kind,
        title=entry.title,
        body=body,
        summary=entry.summary,
        author=entry.author,
        tags=entry.tags,
        published=entry.published,
    )


def demo_documents(*, pages: int | None = None, hostile: bool = True) -> list[Document]:
    ekic = build_ekic(pages=pages)
    bnb = build_bnbibliotheek(pages=pages, hostile=hostile)
    docs = [
        entry_document(
            e,
            url=EKIC_BASE + ekic.url_for(e),
            source="ekic",
            provincie="Limburg",
            kind=_ekic_type(e.kind),
        )
        for e in ekic.live_entries()
    ]
    docs += [
        entry_document(
            e,
            url=BNB_BASE + bnb.url_for(e),
            source="bnbibliotheek",
            provincie="Noord-Brabant",
            kind="nieuws",
        )
        for e in bnb.live_entries()
    ]
    return docs


def index_documents(settings: Settings, client: Elasticsearch, docs: Iterable[Document]) -> int:
    """Save ``docs`` in the settings' store and sync the outbox; returns how many were indexed."""
    engine = make_engine(settings.database_url)
    metadata.create_all(engine)
    store = DocumentStore(engine)
    for doc in docs:
        store.save(doc)
    report = sync_outbox(store, client, settings)
    client.indices.refresh(index=settings.index_alias)
    engine.dispose()
    return report.done


def crawl_demo_sites(settings: Settings, client: Elasticsearch, *, hostile: bool = True) -> int:
    """Serve both demo sites on port 0, crawl them with the real crawler, sync; returns docs."""
    from core.sources import load_profiles
    from crawler.run import crawl_source, make_fetcher
    from demo.server import serve

    sites = {
        "ekic": serve(build_ekic(crawl_delay=None), politeness=False),
        "bnbibliotheek": serve(
            build_bnbibliotheek(hostile=hostile, crawl_delay=None), politeness=False
        ),
    }
    try:
        profiles = load_profiles(
            settings.sources_file,
            base_urls={name: site.base_url for name, site in sites.items()},
            politeness={name: {"delay": 0.0, "concurrency": 4} for name in sites},
        )
        engine = make_engine(settings.database_url)
        store = DocumentStore(engine)
        for name in sites:
            profile = profiles[name]
            crawl_source(profile, store=store, fetcher=make_fetcher(profile, settings.user_agent))
        report = sync_outbox(store, client, settings)
        client.indices.refresh(index=settings.index_alias)
        engine.dispose()
        return report.done
    finally:
        for site in sites.values():
            site.close()


def hostile_document(base_url: str = BNB_BASE) -> Document:
    """The hostile post as a careless extractor would keep it: its markup as body text."""
    from demo.sites import hostile_entry

    entry = hostile_entry()
    return entry_document(
        entry,
        url=f"{base_url}/2011/05/gevaarlijke-titel-ruw.html",
        source="bnbibliotheek",
        provincie="Noord-Brabant",
        kind="nieuws",
    )


def build_search_index(settings: Settings, client: Elasticsearch) -> int:
    """Both demo sites crawled for real, plus the raw hostile document; returns docs indexed."""
    crawled = crawl_demo_sites(settings, client, hostile=True)
    return crawled + index_documents(settings, client, [hostile_document()])


def index_twin(settings: Settings, client: Elasticsearch, title: str) -> Document:
    """The indexed eKIC document ``title`` published again on bnbibliotheek (same text).

    The near-identical pair that counterparts must show once, marked "ook in ...".
    """
    found = client.search(
        index=settings.index_alias,
        query={
            "bool": {"filter": [{"term": {"title.keyword": title}}, {"term": {"source": "ekic"}}]}
        },
        size=1,
    )["hits"]["hits"]
    assert found, f"no eKIC document titled {title!r}"
    source = found[0]["_source"]
    twin = Document(
        url=f"{BNB_BASE}/2010/03/{found[0]['_id'][:12]}-overgenomen.html",
        source="bnbibliotheek",
        provincie=("Noord-Brabant",),
        type="nieuws",
        title=source["title"],
        body=source["body"],
        summary=source.get("summary") or "",
        author=source.get("author") or "",
        tags=tuple(source.get("tags") or ()),
    )
    index_documents(settings, client, [twin])
    return twin
