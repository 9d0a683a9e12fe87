"""``python -m demo``: the full demo (``make run``), or with ``--sites-only`` just the sites.

The demo sites listen on 8101 (eKIC) and 8102 (bnbibliotheek). The ``demo`` package
is a test and demo fixture: it is not part of the production wheel or image.
"""

from __future__ import annotations

import argparse
import sys
import threading

from core.errors import KennisbrugError
from demo.server import RunningSite, serve
from demo.sites import build_bnbibliotheek, build_ekic


def start_demo(
    ports: tuple[int, int] = (8101, 8102), *, pages: int | None = None
) -> list[RunningSite]:
    """Start both sites and return them running (the caller closes them)."""
    ekic = serve(build_ekic(pages=pages), port=ports[0])
    try:
        bnb = serve(build_bnbibliotheek(pages=pages), port=ports[1])
    except OSError:
        ekic.close()
        raise
    return [ekic, bnb]


def serve_demo(ports: tuple[int, int] = (8101, 8102), *, pages: int | None = None) -> None:
    """Serve both sites until interrupted."""
    running = start_demo(ports, pages=pages)
    for site in running:
        print(f"{site.site.name}: {site.base_url}/")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        for site in running:
            site.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m demo",
        description="The full Kennisbrug demo: Elasticsearch, the demo sites, a crawl, the UI.",
    )
    parser.add_argument("--sites-only", action="store_true", help="Only serve the demo sites.")
    parser.add_argument("--port", type=int, default=8000, help="Port of the search UI.")
    parser.add_argument("--skip-crawl", action="store_true", help="Serve what is indexed already.")
    parser.add_argument("--ekic-port", type=int, default=8101)
    parser.add_argument("--bnb-port", type=int, default=8102)
    parser.add_argument("--pages", type=int, default=None, help="Scale each site to N entries.")
    args = parser.parse_args(argv)
    if args.sites_only:
        serve_demo((args.ekic_port, args.bnb_port), pages=args.pages)
        return
    from demo.full import run_full_demo

    try:
        run_full_demo(args.port, skip_crawl=args.skip_crawl)
    except KennisbrugError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
