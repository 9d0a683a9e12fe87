"""``kennisbrug es start|stop|status|logs``: the local Elasticsearch node(s) from the shell.

Composition root for the node manager (``localnode.node``): reads the settings
from the environment once, shows progress with rich and leaves error reporting to
the root app in ``kennisbrug.cli``.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from core.settings import Settings
from localnode import plugin as esplugin
from localnode.cluster import LocalCluster, cluster_dir
from localnode.node import LocalNode

app = typer.Typer(help="Run the local Elasticsearch node, or a cluster of them, on 127.0.0.1.")
console = Console()


def node_plugins(settings: Settings, extra: list[Path]) -> list[Path]:
    """Plugin zips every local node should carry, plus any given with --plugin.

    The Dutch analysis plugin is always first: the index settings depend on it.
    """
    return [esplugin.ensure_plugin_zip(settings, console=console), *extra]


class _StepProgress:
    """Maps the node manager's (what, done, total) callbacks onto rich tasks."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None
        self.what = ""

    def __call__(self, what: str, done: int, total: int) -> None:
        if what != self.what:
            self.finish()
            self.task = self.progress.add_task(what, total=total or None)
            self.what = what
        elif self.task is not None:
            self.progress.update(self.task, completed=done, total=total or None)

    def finish(self) -> None:
        """Show the current step as complete, also when its size was unknown."""
        if self.task is not None:
            total = next(t.total for t in self.progress.tasks if t.id == self.task) or 1
            self.progress.update(self.task, total=total, completed=total)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


NODES_HELP = "Nodes to run on 127.0.0.1 (default KENNISBRUG_ES_NODES); 3 = a loopback cluster."


def _cluster(
    settings: Settings, nodes: int | None, heap: str | None, progress: _StepProgress
) -> LocalCluster:
    if heap:
        settings = dataclasses.replace(settings, es_heap=heap)
    return LocalCluster(settings, nodes=nodes, progress=progress)


def _local_nodes(settings: Settings) -> list[LocalNode]:
    """The single node and every member of a cluster on this port, whatever was started."""
    found = LocalCluster(settings, nodes=1).nodes
    folder = cluster_dir(settings)
    members = sorted(folder.glob("node-*")) if folder.is_dir() else []
    if members:
        found += LocalCluster(settings, nodes=len(members)).nodes
    return found


@app.command()
def start(
    nodes: int = typer.Option(None, "--nodes", "-n", help=NODES_HELP, show_default=False),
    heap: str = typer.Option(None, help="JVM heap per node (default KENNISBRUG_ES_HEAP)."),
    timeout: float = typer.Option(300.0, help="Seconds to wait for all nodes and health yellow."),
    plugin: list[Path] = typer.Option([], help="Extra plugin zip to install (repeatable)."),
) -> None:
    """Download (once), start and wait for the local node(s); no-op when they already run."""
    settings = Settings.from_env()
    with _progress() as progress:
        steps = _StepProgress(progress)
        cluster = _cluster(settings, nodes, heap, steps)
        started = cluster.start(plugins=node_plugins(settings, plugin), timeout=timeout)
        steps.finish()
    where = ", ".join(cluster.urls)
    if started:
        console.print(f"Elasticsearch is running at [bold]{where}[/]")
    else:
        console.print(f"Elasticsearch is already running at [bold]{where}[/]")
    if len(cluster.nodes) > 1 and settings.es_nodes != len(cluster.nodes):
        console.print(f"The app talks to all nodes with KENNISBRUG_ES_URL={cluster.es_url}")


@app.command()
def stop(timeout: float = typer.Option(60.0, help="Seconds before SIGKILL.")) -> None:
    """Stop every local node on this port (SIGTERM, then SIGKILL); no-op when none runs."""
    stopped = [node.stop(timeout=timeout) for node in _local_nodes(Settings.from_env())]
    if any(stopped):
        console.print(f"Elasticsearch stopped ({sum(stopped)} node(s)).")
    else:
        console.print("Elasticsearch was not running.")


@app.command()
def status() -> None:
    """Show for every local node whether it runs, its URL, pid, version and health."""
    table = Table()
    for column in ("node", "running", "url", "pid", "version", "health", "data folder"):
        table.add_column(column)
    for node in _local_nodes(Settings.from_env()):
        state = node.status()
        table.add_row(
            node.name,
            "[green]yes[/]" if state.running else "[red]no[/]",
            state.url,
            str(state.pid or "-"),
            state.version or "-",
            state.health or "-",
            str(node.data_path),
        )
    console.print(table)


@app.command()
def logs(
    lines: int = typer.Option(50, "--lines", "-n", help="How many lines from the end."),
    follow: bool = typer.Option(False, "--follow", "-f", help="Keep printing new lines."),
    member: int = typer.Option(
        None,
        "--node",
        help="Member 0, 1, ... of the local cluster (default: the single node).",
        show_default=False,
    ),
) -> None:
    """Print the end of a node's console log."""
    settings = Settings.from_env()
    if member is None:
        node = LocalNode(settings)
    else:
        cluster = LocalCluster(settings, nodes=max(settings.es_nodes, member + 1, 2))
        node = cluster.nodes[member]
    for line in node.logs(lines):
        typer.echo(line)
    if not follow:
        return
    path = node.layout.console_log
    position = path.stat().st_size if path.exists() else 0
    try:
        while True:
            if path.exists() and path.stat().st_size != position:
                if path.stat().st_size < position:
                    position = 0  # the log was truncated by a restart
                with path.open("r", errors="replace") as fh:
                    fh.seek(position)
                    typer.echo(fh.read(), nl=False)
                    position = fh.tell()
            time.sleep(0.5)
    except KeyboardInterrupt:
        return
