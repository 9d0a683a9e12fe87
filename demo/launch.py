"""Start the three demo sites (eKIC, bnbibliotheek, the joint wiki) on their ports."""

from __future__ import annotations

from demo.server import RunningSite, serve
from demo.sites import build_bnbibliotheek, build_ekic
from demo.wiki import build_wiki

#: eKIC, bnbibliotheek, wiki: the ports ``config/sources.toml`` points at.
DEMO_PORTS = (8101, 8102, 8103)


def start_sites(
    ports: tuple[int, int, int] = DEMO_PORTS,
    *,
    pages: int | None = None,
    crawl_delay: float | None = 1.0,
) -> list[RunningSite]:
    """All three sites, running (the caller closes them); none is left open on OSError.

    ``pages`` scales eKIC and bnbibliotheek to N generated entries; the wiki is always
    its hand-written pages.
    """
    builders = (
        lambda: build_ekic(pages=pages, crawl_delay=crawl_delay),
        lambda: build_bnbibliotheek(pages=pages, crawl_delay=crawl_delay),
        lambda: build_wiki(crawl_delay=crawl_delay),
    )
    sites: list[RunningSite] = []
    try:
        for build, port in zip(builders, ports, strict=True):
            sites.append(serve(build(), port=port))
    except OSError:
        for site in sites:
            site.close()
        raise
    return sites
