"""The folder of one local Elasticsearch node: its layout and how it is built.

Sits between the cached distribution (``esdist``) and the running process
(``esnode``). A node folder holds its own ES home (hard links to the cached
distribution, so it costs no space and takes a second, but with its own
``config/`` and ``plugins/``, because plugins are installed per ES home), its
logs, pid file, temp folder and plugin record::

    <node_dir>/home/{bin,lib,modules → hard links; config, plugins → own}
    <node_dir>/logs/console.log    stdout+stderr of the node
    <node_dir>/run/node.pid        pid of the launcher (its process group is the node)
    <node_dir>/tmp/                ES_TMPDIR
    <node_dir>/plugins.json        sha256 of every plugin zip installed
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from core.errors import NodeError
from localnode.config import NodeConfig, render_elasticsearch_yml, render_jvm_options

# Folders the node writes to, so they belong to the node user when we are root.
WRITABLE = ("home/config", "home/plugins", "logs", "run", "tmp", "plugin-zips")


@dataclass(frozen=True)
class NodeLayout:
    root: Path

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def config(self) -> Path:
        return self.home / "config"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def console_log(self) -> Path:
        return self.logs / "console.log"

    @property
    def pid_file(self) -> Path:
        return self.root / "run" / "node.pid"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def plugin_record(self) -> Path:
        return self.root / "plugins.json"

    @property
    def plugin_zips(self) -> Path:
        return self.root / "plugin-zips"


def _link_or_copy(src: str, dst: str) -> object:
    try:
        os.link(src, dst)
    except OSError:
        # Different file system (or links refused): a real copy works everywhere.
        shutil.copy2(src, dst)
    return dst


def build_home(dist: Path, layout: NodeLayout) -> None:
    """Create the node's ES home from the distribution once (atomically, via rename)."""
    layout.root.mkdir(parents=True, exist_ok=True)
    if not (layout.home / "bin" / "elasticsearch").is_file():
        _stage_home(dist, layout)
    for name in WRITABLE:
        (layout.root / name).mkdir(parents=True, exist_ok=True)


def _stage_home(dist: Path, layout: NodeLayout) -> None:
    staging = layout.root / ".home-staging"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir()
        for entry in dist.iterdir():
            if entry.name in ("config", "plugins") or entry.name.startswith("."):
                continue
            if entry.is_dir():
                shutil.copytree(entry, staging / entry.name, copy_function=_link_or_copy)
            else:
                _link_or_copy(str(entry), str(staging / entry.name))
        # Config files are rewritten per node: real copies, never links into the cache.
        shutil.copytree(dist / "config", staging / "config")
        (staging / "plugins").mkdir()
        staging.rename(layout.home)
    except OSError as exc:
        raise NodeError(f"cannot prepare the node folder {layout.root}: {exc}") from exc


def write_config(layout: NodeLayout, cfg: NodeConfig) -> None:
    """Write elasticsearch.yml and the heap options for the next start."""
    (layout.config / "elasticsearch.yml").write_text(render_elasticsearch_yml(cfg))
    options_dir = layout.config / "jvm.options.d"
    options_dir.mkdir(exist_ok=True)
    (options_dir / "kennisbrug-heap.options").write_text(render_jvm_options(cfg))
