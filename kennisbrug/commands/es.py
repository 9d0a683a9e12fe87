"""``kennisbrug es start|stop|status|logs``: the local Elasticsearch node from the shell.

Composition root for the node manager (``localnode.node``): reads the settings
from the environment once, shows progress with rich and leaves error reporting to
the root app in ``kennisbrug.cli``.
"""

from __future__ import annotations

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
from localnode.node import LocalNode

app = typer.Typer(help="Run the local Elasticsearch node (127.0.0.1, single node).")
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


@app.command()
def start(
    timeout: float = typer.Option(120.0, help="Seconds to wait for cluster health yellow."),
    plugin: list[Path] = typer.Option([], help="Extra plugin zip to install (repeatable)."),
) -> None:
    """Download (once), start and wait for the local node; no-op when it already runs."""
    settings = Settings.from_env()
    with _progress() as progress:
        steps = _StepProgress(progress)
        node = LocalNode(settings, progress=steps)
        started = node.start(plugins=node_plugins(settings, plugin), timeout=timeout)
        steps.finish()
    if started:
        console.print(f"Elasticsearch is running at [bold]{node.url}[/]")
    else:
        console.print(f"Elasticsearch is already running at [bold]{node.url}[/]")


@app.command()
def stop(timeout: float = typer.Option(60.0, help="Seconds before SIGKILL.")) -> None:
    """Stop the local node (SIGTERM, then SIGKILL); no-op when it is not running."""
    node = LocalNode(Settings.from_env())
    if node.stop(timeout=timeout):
        console.print("Elasticsearch stopped.")
    else:
        console.print("Elasticsearch was not running.")


@app.command()
def status() -> None:
    """Show whether the local node runs, its URL, pid, version and health."""
    settings = Settings.from_env()
    node = LocalNode(settings)
    state = node.status()
    table = Table(show_header=False, box=None)
    table.add_row("running", "[green]yes[/]" if state.running else "[red]no[/]")
    table.add_row("url", state.url)
    table.add_row("pid", str(state.pid or "-"))
    table.add_row("server pid", str(state.server_pid or "-"))
    table.add_row("version", state.version or "-")
    table.add_row("health", state.health or "-")
    table.add_row("node folder", str(node.layout.root))
    table.add_row("data folder", str(node.data_path))
    console.print(table)


@app.command()
def logs(
    lines: int = typer.Option(50, "--lines", "-n", help="How many lines from the end."),
    follow: bool = typer.Option(False, "--follow", "-f", help="Keep printing new lines."),
) -> None:
    """Print the end of the node's console log."""
    node = LocalNode(Settings.from_env())
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
