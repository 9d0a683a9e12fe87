"""Start-up checks of the production commands (``kennisbrug web`` and ``kennisbrug worker``).

A production process should refuse to start with a one-line reason rather than run
half-configured: the web app without a usable secret key (anyone could sign an admin
session), either of them without a readable sources file (an installed wheel has no
``config/`` beside it, so the default path exists only in a source checkout). The
local demo (``python -m demo``) wires its processes itself and skips these checks.
"""

from __future__ import annotations

from core.errors import ConfigError
from core.secret_policy import secret_problem
from core.settings import Settings
from core.sources import load_profiles


def check_sources(settings: Settings) -> None:
    path = settings.sources_file
    if not path.is_file():
        raise ConfigError(
            f"KENNISBRUG_SOURCES_FILE={path} does not exist; set KENNISBRUG_SOURCES_FILE to "
            "the sources.toml with the source profiles (compose mounts ./config and sets "
            "/app/config/sources.toml)"
        )
    load_profiles(path)  # a broken profile fails here, naming the key


def check_web(settings: Settings) -> None:
    problem = secret_problem(settings.secret_key)
    if problem is not None:
        raise ConfigError(problem)
    check_sources(settings)


def check_worker(settings: Settings) -> None:
    check_sources(settings)
