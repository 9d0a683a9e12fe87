"""Manage the local Elasticsearch node: start, stop, status, logs, plugins.

Sits at the far end of the data flow (the indexer and the search UI talk to the
URL this node serves); used by the ``kennisbrug es`` CLI and the test fixtures.
The distribution comes from ``esdist`` (Maven, cached in ``Settings.home``), each
node gets its own folder (``eshome``) named after its HTTP port, and the node is a
daemon in its own session so it outlives the command that started it.

Root: Elasticsearch refuses to run as root, so then the node runs as the system
user ``kennisbrug-es`` (``esuser``), node folders live under
``/var/lib/kennisbrug/nodes`` and, unless ``KENNISBRUG_ES_DATA_DIR`` is set, the
data lives in ``<node_dir>/data``; a data folder the user cannot reach is refused
with a message before anything starts.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from core.errors import NodeError
from core.settings import Settings
from localnode import plugins as esplugins
from localnode.config import NodeConfig, check_heap
from localnode.diagnose import diagnose
from localnode.dist import Progress, ensure_distribution
from localnode.health import NodeStatus, is_healthy, port_is_free, read_status
from localnode.home import NodeLayout, build_home, write_config
from localnode.java import JavaHome, find_java
from localnode.user import (
    SYSTEM_ROOT,
    RunAs,
    blocking_ancestor,
    chown_tree,
    current_user,
    ensure_es_user,
    running_as_root,
)


def _silent(what: str, done: int, total: int) -> None:
    """Default progress sink."""


def _as_user(owner: RunAs) -> dict[str, Any]:
    """subprocess arguments that drop to ``owner``; only root may (and needs to) switch."""
    if not running_as_root():
        return {}
    return {"user": owner.uid, "group": owner.gid, "extra_groups": []}


def nodes_root(settings: Settings) -> Path:
    """The folder that holds every local node's folder."""
    return SYSTEM_ROOT / "nodes" if running_as_root() else settings.home / "nodes"


def default_node_dir(settings: Settings) -> Path:
    return nodes_root(settings) / f"node-{settings.es_port}"


@dataclass(frozen=True, kw_only=True)
class Membership:
    """What makes a node one member of a loopback cluster (see ``localnode.cluster``)."""

    cluster_name: str
    transport_port: int
    seed_hosts: tuple[str, ...]
    initial_masters: tuple[str, ...]
    data_path: Path
    repo_path: Path  # the cluster's one snapshot folder (path.repo), shared by every member


class LocalNode:
    """One Elasticsearch node on 127.0.0.1:<settings.es_port>, managed through its folder.

    Alone (``member`` None) it is a single-node cluster; with a ``Membership`` it is
    one node of a ``LocalCluster``.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        node_dir: Path | None = None,
        progress: Progress = _silent,
        member: Membership | None = None,
    ) -> None:
        check_heap(settings.es_heap)  # a bad value fails here, before any download
        self.settings = settings
        self.layout = NodeLayout(node_dir or default_node_dir(settings))
        self.progress = progress
        self.member = member

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.es_port}"

    @property
    def name(self) -> str:
        return f"kennisbrug-{self.settings.es_port}"

    @property
    def data_path(self) -> Path:
        if self.member is not None:
            return self.member.data_path
        if running_as_root() and not self.settings.es_data_dir:
            return self.layout.root / "data"
        return self.settings.es_data_path

    @property
    def repo_path(self) -> Path:
        """The snapshot repository folder (``path.repo``): the node folder's
        ``snapshots``, or the cluster's shared one for a member."""
        if self.member is not None:
            return self.member.repo_path
        return self.layout.root / "snapshots"

    # -- process state ---------------------------------------------------------------

    def pid(self) -> int | None:
        """Pid of our running node, or None (a stale pid file is removed)."""
        try:
            pid = int(self.layout.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            cmdline = ""
        # A recycled pid belongs to some other program: only trust our own home path.
        if str(self.layout.home) not in cmdline:
            self.layout.pid_file.unlink(missing_ok=True)
            return None
        return pid

    def status(self) -> NodeStatus:
        pid = self.pid()
        if pid is None:
            return NodeStatus(running=False, pid=None, url=self.url)
        return read_status(self.url, pid)

    def logs(self, lines: int = 50) -> list[str]:
        """The last ``lines`` lines of the node's console log."""
        try:
            text = self.layout.console_log.read_text(errors="replace")
        except FileNotFoundError:
            return []
        return text.splitlines()[-lines:] if lines > 0 else []

    # -- preparing -------------------------------------------------------------------

    def _owner(self) -> RunAs:
        return ensure_es_user() if running_as_root() else current_user()

    def _env(self, java: JavaHome) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ES_", "JAVA_TOOL"))}
        env.update(
            ES_JAVA_HOME=str(java.path),
            ES_PATH_CONF=str(self.layout.config),
            ES_TMPDIR=str(self.layout.tmp),
            HOME=str(self.layout.root),
        )
        return env

    def prepare(self) -> tuple[JavaHome, RunAs]:
        """Distribution, node folder, config and ownership; no process is started."""
        java = find_java()
        owner = self._owner()
        dist = ensure_distribution(self.settings, self.progress)
        self.progress("preparing the node folder", 0, 0)
        build_home(dist, self.layout)
        self.data_path.mkdir(parents=True, exist_ok=True)
        self.repo_path.mkdir(parents=True, exist_ok=True)
        write_config(self.layout, self._config())
        if running_as_root():
            self.layout.root.chmod(0o755)
            for folder in (self.layout.root, self.data_path, self.repo_path):
                blocked = blocking_ancestor(folder, owner)
                if blocked is not None:
                    raise NodeError(
                        f"user {owner.name} cannot reach {folder} because {blocked} is closed "
                        f"to it; choose a folder under {SYSTEM_ROOT} or /tmp"
                    )
            for sub in ("home/config", "home/plugins", "logs", "run", "tmp", "plugin-zips"):
                chown_tree(self.layout.root / sub, owner)
            chown_tree(self.data_path, owner)
            chown_tree(self.repo_path, owner)
        return java, owner

    def _config(self) -> NodeConfig:
        common: dict[str, Any] = {
            "node_name": self.name,
            "http_port": self.settings.es_port,
            "data_path": self.data_path,
            "logs_path": self.layout.logs,
            "repo_path": self.repo_path,
            "heap": self.settings.es_heap,
        }
        member = self.member
        if member is None:
            return NodeConfig(cluster_name="kennisbrug-local", **common)
        return NodeConfig(
            cluster_name=member.cluster_name,
            transport_port=member.transport_port,
            seed_hosts=member.seed_hosts,
            initial_masters=member.initial_masters,
            # An empty data folder has never been part of a cluster: first election.
            bootstrap=not any(self.data_path.iterdir()),
            **common,
        )

    def install_plugin(self, zip_path: Path) -> bool:
        """Install (or reinstall a changed) plugin zip; the node must be stopped."""
        if self.pid() is not None:
            raise NodeError("stop the node before installing a plugin (kennisbrug es stop)")
        java, owner = self.prepare()
        return self._install(zip_path, java, owner)

    def _install(self, zip_path: Path, java: JavaHome, owner: RunAs) -> bool:
        tool = str(self.layout.home / "bin" / "elasticsearch-plugin")

        def run_tool(args: list[str]) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [tool, *args],
                env=self._env(java),
                capture_output=True,
                text=True,
                check=False,
                **_as_user(owner),
            )

        self.progress(f"installing plugin {zip_path.name}", 0, 0)
        installed = esplugins.install_plugin(self.layout, zip_path, run_tool)
        chown_tree(self.layout.home / "plugins", owner)
        return installed

    # -- start / stop ----------------------------------------------------------------

    def start(self, plugins: Sequence[Path] = (), timeout: float = 120.0) -> bool:
        """Start the node and wait for health yellow; False when ours was already running.

        ``plugins`` are zips to have installed; a running node whose plugins changed
        is restarted, since Elasticsearch loads plugins only at start-up.
        """
        started = self.launch(plugins)
        self.wait_healthy(timeout, stop_on_failure=started)
        return started

    def launch(self, plugins: Sequence[Path] = ()) -> bool:
        """Start the process without waiting for it; False when ours was already running.

        A cluster launches all its nodes first and then waits: a member cannot become
        healthy before enough of the others have started to elect a master.
        """
        pid = self.pid()
        if pid is not None:
            if plugins and esplugins.stale_plugins(self.layout, plugins):
                self.progress("restarting the node to load changed plugins", 0, 0)
                self.stop()
            else:
                return False
        java, owner = self.prepare()
        for zip_path in plugins:
            self._install(zip_path, java, owner)
        if not port_is_free(self.settings.es_port):
            raise NodeError(
                f"port {self.settings.es_port} on 127.0.0.1 is in use by another program; "
                "stop it or set KENNISBRUG_ES_PORT to a free port"
            )
        self.progress(f"starting Elasticsearch on {self.url}", 0, 0)
        with self.layout.console_log.open("wb") as log:
            self._proc = subprocess.Popen(
                [str(self.layout.home / "bin" / "elasticsearch")],
                env=self._env(java),
                cwd=self.layout.root,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Own session: the node survives the CLI and its terminal's hangup,
                # and its process group lets stop() reach the server JVM too.
                start_new_session=True,
                **_as_user(owner),
            )
        self.layout.pid_file.write_text(f"{self._proc.pid}\n")
        return True

    _proc: subprocess.Popen[bytes] | None = None

    def wait_healthy(self, timeout: float, *, stop_on_failure: bool = True) -> None:
        """Wait until the node answers health yellow or green; NodeError with the log if not."""
        self.progress("waiting for cluster health yellow", 0, 0)
        try:
            self._wait_healthy(time.monotonic() + timeout)
        except NodeError:
            if stop_on_failure:
                self.stop()
            raise

    def check_alive(self) -> None:
        """NodeError with the log's reason when the process we started has exited."""
        proc = self._proc
        if proc is not None and proc.poll() is not None:
            self.fail_with_log(f"Elasticsearch exited with code {proc.returncode}")

    def _wait_healthy(self, deadline: float) -> None:
        while True:
            self.check_alive()
            if is_healthy(self.url):
                return
            if time.monotonic() >= deadline:
                self.fail_with_log("Elasticsearch did not become healthy in time")
            time.sleep(0.5)

    def fail_with_log(self, what: str) -> NoReturn:
        tail = "\n".join(self.logs(40))
        reason = diagnose(tail)
        because = f": {reason}" if reason else ""
        raise NodeError(f"{what}{because}.\nLog {self.layout.console_log} ends with:\n{tail}")

    def _group_alive(self, pid: int) -> bool:
        if self._proc is not None and self._proc.pid == pid:
            self._proc.poll()  # reap our own child so it does not linger as a zombie
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def stop(self, timeout: float = 60.0) -> bool:
        """SIGTERM the node's process group, SIGKILL after ``timeout``; False if not running."""
        pid = self.pid()
        if pid is None:
            return False
        self.progress("stopping Elasticsearch", 0, 0)
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + wait
            while self._group_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if not self._group_alive(pid):
                break
        self.layout.pid_file.unlink(missing_ok=True)
        self._proc = None
        return True

    def kill(self, timeout: float = 30.0) -> bool:
        """SIGKILL the node's process group at once (a crash, for fault tests); False if not running."""
        pid = self.pid()
        if pid is None:
            return False
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        deadline = time.monotonic() + timeout
        while self._group_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.layout.pid_file.unlink(missing_ok=True)
        self._proc = None  # gone on purpose: not a failure for check_alive
        return True
