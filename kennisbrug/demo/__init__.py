"""The two demo knowledge sites (eKIC, bnbibliotheek), served over real HTTP.

Part of the composition root: used by the demo command, integration tests and
benchmarks, never by the core packages.
"""

from kennisbrug.demo.faults import Faults
from kennisbrug.demo.model import DemoSite
from kennisbrug.demo.server import RequestRecord, RunningSite, serve
from kennisbrug.demo.sites import build_bnbibliotheek, build_ekic

__all__ = [
    "DemoSite",
    "Faults",
    "RequestRecord",
    "RunningSite",
    "build_bnbibliotheek",
    "build_ekic",
    "serve",
]
