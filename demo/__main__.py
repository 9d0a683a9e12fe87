"""``python -m demo``: the full demo (``make run``), or with ``--sites-only`` just the sites.

The demo sites listen on 8101 (eKIC), 8102 (bnbibliotheek) and 8103 (the joint wiki);
``--pages N`` scales eKIC and bnbibliotheek to N generated entries. The ``demo`` package
is a test and demo fixture: it is not part of the production wheel or image.
"""

from __future__ import annotations

import argparse
import sys
import threading

from core.errors import KennisbrugError
from demo.launch import DEMO_PORTS, start_sites


def serve_demo(ports: tuple[int, int, int], *, pages: int | None = None) -> None:
    """Serve the three sites until interrupted."""
    running = start_sites(ports, pages=pages)
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
    parser.add_argument("--ekic-port", type=int, default=DEMO_PORTS[0])
    parser.add_argument("--bnb-port", type=int, default=DEMO_PORTS[1])
    parser.add_argument("--wiki-port", type=int, default=DEMO_PORTS[2])
    parser.add_argument("--pages", type=int, default=None, help="Scale each site to N entries.")
    args = parser.parse_args(argv)
    if args.sites_only:
        serve_demo((args.ekic_port, args.bnb_port, args.wiki_port), pages=args.pages)
        return
    from demo.full import run_full_demo

    try:
        run_full_demo(args.port, skip_crawl=args.skip_crawl)
    except KennisbrugError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
