"""``python -m kennisbrug.demo``: serve both demo sites on fixed ports until Ctrl-C.

Part of the composition root; the demo command uses 8101 (eKIC) and 8102 (bnbibliotheek).
"""

from __future__ import annotations

import argparse
import threading

from kennisbrug.demo.server import RunningSite, serve
from kennisbrug.demo.sites import build_bnbibliotheek, build_ekic


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
        prog="python -m kennisbrug.demo", description="Serve both demo knowledge sites."
    )
    parser.add_argument("--ekic-port", type=int, default=8101)
    parser.add_argument("--bnb-port", type=int, default=8102)
    parser.add_argument("--pages", type=int, default=None, help="Scale each site to N entries.")
    args = parser.parse_args(argv)
    serve_demo((args.ekic_port, args.bnb_port), pages=args.pages)


if __name__ == "__main__":
    main()
