"""The demo knowledge sites (eKIC, bnbibliotheek, the joint wiki), served over real HTTP.

Part of the composition root: used by the demo command, integration tests and
benchmarks, never by the core packages.
"""

from demo.faults import Faults
from demo.model import DemoSite
from demo.server import RequestRecord, RunningSite, serve
from demo.sites import build_bnbibliotheek, build_ekic
from demo.wiki import WikiSite, build_wiki

__all__ = [
    "DemoSite",
    "Faults",
    "RequestRecord",
    "RunningSite",
    "WikiSite",
    "build_bnbibliotheek",
    "build_ekic",
    "build_wiki",
    "serve",
]
