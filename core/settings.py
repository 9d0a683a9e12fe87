"""Settings: every knob of Kennisbrug, declared once with its default and help text.

Read from the environment once at the entry points (CLI, app factory, worker) via
``Settings.from_env()`` and passed down as a plain value. Unknown ``KENNISBRUG_*``
variables are refused at start-up so that a typo never silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import ConfigError

#: The one place where the Elasticsearch version is pinned. The local node, the
#: analysis plugin build, the production image and the client major follow it.
ES_VERSION = "9.5.3"

ENV_PREFIX = "KENNISBRUG_"
REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_home() -> Path:
    return Path(os.path.expanduser("~")) / ".cache" / "kennisbrug"


def _setting(default: Any, help: str, **kw: Any) -> Any:
    if callable(default) and not isinstance(default, type):
        return field(default_factory=default, metadata={"help": help}, **kw)
    return field(default=default, metadata={"help": help}, **kw)


@dataclass(frozen=True, kw_only=True)
class Settings:
    """All settings; environment variable = ``KENNISBRUG_`` + upper-case field name."""

    home: Path = _setting(
        _default_home,
        "Cache and state folder outside the repository (ES distribution, node data, database).",
    )
    es_url: str = _setting(
        "",
        "URL of an existing Elasticsearch, or a comma-separated list of its nodes' URLs "
        "(requests are spread over them and retried on another node when one fails); "
        "empty = the local node(s) on 127.0.0.1.",
    )
    es_version: str = _setting(ES_VERSION, "Elasticsearch version of the local node.")
    es_port: int = _setting(
        9200, "HTTP port of the local node (127.0.0.1 only); a local cluster counts up from it."
    )
    es_nodes: int = _setting(
        1,
        "Nodes of the local cluster `kennisbrug es start` runs on 127.0.0.1 (HTTP ports "
        "KENNISBRUG_ES_PORT + 0..n-1, transport + 100); with an empty KENNISBRUG_ES_URL "
        "the app talks to all of them.",
    )
    es_heap: str = _setting(
        "512m", "JVM heap of each local node, e.g. 512m or 1g (three nodes on one machine: 384m)."
    )
    es_data_dir: str = _setting("", "Data folder of the local node; empty = <home>/es-data.")
    es_timeout: float = _setting(10.0, "Seconds a single Elasticsearch request may take.")
    index_alias: str = _setting("kennisbrug", "Alias that searches and writes go through.")
    index_shards: int = _setting(
        1, "Primary shards of a new index (takes effect with the next `kennisbrug reindex`)."
    )
    index_replicas: int = _setting(
        0,
        "Replicas of each primary shard (0 on one node; 1 or more on a cluster); applied "
        "when an index is created or reindexed.",
    )
    db_url: str = _setting(
        "", "SQLAlchemy URL of the state database; empty = SQLite file <home>/kennisbrug.db."
    )
    sources_file: Path = _setting(
        REPO_ROOT / "config" / "sources.toml",
        "TOML file with the source profiles; set it in production (the default exists only "
        "in a source checkout; `kennisbrug web` and `worker` refuse to start without it).",
    )
    user_agent: str = _setting(
        "KennisbrugBot/0.1 (+mailto:beheer@kennisbrug.example)",
        "User-Agent of the crawler, with a contact address.",
    )
    web_host: str = _setting("127.0.0.1", "Address the search UI listens on.")
    web_port: int = _setting(8000, "Port the search UI listens on.")
    secret_key: str = _setting(
        "",
        "Secret for session cookies, at least 32 random bytes; `kennisbrug web` refuses a "
        "missing, short or published one. Empty = generated per home (local demo only).",
    )
    require_login: bool = _setting(False, "Require sign-in for search (default: open intranet).")
    secure_cookies: bool = _setting(False, "Mark cookies Secure (set when served behind TLS).")
    worker_heartbeat: float = _setting(
        15.0, "Seconds between a worker's heartbeats on the rows of its running jobs."
    )
    worker_stale_after: float = _setting(
        90.0,
        "Seconds without a heartbeat after which another worker takes a running job over "
        "(its worker is presumed dead); keep it several heartbeats long.",
    )
    trusted_proxies: str = _setting(
        "",
        "Comma-separated addresses/networks of reverse proxies whose X-Forwarded-For is "
        "believed; empty = trust none (the socket peer is the client).",
    )
    trusted_hosts: str = _setting(
        "",
        "Comma-separated host names the web app answers to (`*.example.org` allowed); "
        "empty = any Host (it is never reflected into links).",
    )
    public_base_url: str = _setting(
        "",
        "Public address for absolute links (OpenSearch, Atom), e.g. https://zoek.example.org; "
        "empty = http://<web_host>:<web_port>.",
    )
    session_idle_minutes: int = _setting(
        120, "A signed-in session ends after this many minutes without a request."
    )
    session_max_hours: int = _setting(12, "A signed-in session ends this many hours after sign-in.")
    search_rate_per_minute: int = _setting(
        600,
        "Anonymous searches allowed per client address per minute, over all web processes "
        "together (0 = no limit).",
    )
    query_log_days: int = _setting(90, "Days the search-insight query log is kept.")
    query_log_max_rows: int = _setting(
        1_000_000, "Most rows the query log keeps (the oldest go first)."
    )
    language: str = _setting("nl", "Default UI language (nl or en).")
    timezone: str = _setting("Europe/Amsterdam", "Timezone of schedules and dates.")

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{self.home / 'kennisbrug.db'}"

    @property
    def base_url(self) -> str:
        """The public address absolute links start with (never taken from a request)."""
        return (self.public_base_url or f"http://{self.web_host}:{self.web_port}").rstrip("/")

    @property
    def es_data_path(self) -> Path:
        return Path(self.es_data_dir) if self.es_data_dir else self.home / "es-data"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``KENNISBRUG_*`` variables; refuse unknown ones."""
        env = os.environ if env is None else env
        fields = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, raw in env.items():
            if not key.startswith(ENV_PREFIX):
                continue
            name = key[len(ENV_PREFIX) :].lower()
            if name not in fields:
                known = ", ".join(ENV_PREFIX + n.upper() for n in fields)
                raise ConfigError(f"unknown setting {key}; known settings: {known}")
            values[name] = _convert(key, raw, fields[name].type)
        values.update(overrides)
        return cls(**values)

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        """(environment variable, default, help) for every setting, for docs and --help."""
        rows = []
        for f in dataclasses.fields(cls):
            default = (
                f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
            )
            rows.append((ENV_PREFIX + f.name.upper(), str(default), f.metadata["help"]))
        return rows


def _convert(key: str, raw: str, typ: Any) -> Any:
    name = typ if isinstance(typ, str) else getattr(typ, "__name__", str(typ))
    try:
        if name == "int":
            return int(raw)
        if name == "float":
            return float(raw)
        if name == "bool":
            lowered = raw.strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(raw)
        if name == "Path":
            return Path(raw).expanduser()
    except ValueError as exc:
        allowed = {"int": "a whole number", "float": "a number", "bool": "true or false"}
        raise ConfigError(
            f"{key}={raw!r} is not valid: expected {allowed.get(name, name)}"
        ) from exc
    return raw


def render_markdown() -> str:
    """The configuration reference (docs/configuration.md is generated from this)."""
    lines = [
        "# Configuration",
        "",
        "Every setting is an environment variable read once at start-up by the CLI, the",
        "worker and the web app. Unknown `KENNISBRUG_*` variables are refused. This page is",
        "generated: `.venv/bin/python -m core.settings > docs/configuration.md`.",
        "",
        "| variable | default | meaning |",
        "| --- | --- | --- |",
    ]
    for name, default, help_text in Settings.describe():
        shown = default.replace(str(REPO_ROOT), "<repo>").replace(str(Path.home()), "~")
        shown = shown or "(empty)"
        lines.append(f"| `{name}` | `{shown}` | {help_text} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
