"""The ``kennisbrug`` command: a small root that registers one sub-app per concern.

Composition root of the command line (entry point ``kennisbrug.cli:app`` in
pyproject). Each concern lives in its own ``cli_<name>.py`` module with its own
``typer.Typer``; this module only registers them and turns every KennisbrugError
into a plain message on stderr with exit code 1, never a stack trace.

To add a sub-app: create ``kennisbrug/cli_<name>.py`` with ``app = typer.Typer()``
and add one ``app.add_typer(...)`` line below.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console

from core.errors import KennisbrugError
from kennisbrug.commands import crawl as crawl_commands
from kennisbrug.commands import db as db_commands
from kennisbrug.commands import es as cli_es
from kennisbrug.commands import index as index_commands
from kennisbrug.commands import job_submit
from kennisbrug.commands import jobs as jobs_commands
from kennisbrug.commands import web as web_commands


class _KennisbrugApp(typer.Typer):
    """Typer app whose entry point reports our own errors as one readable message."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except KennisbrugError as exc:
            Console(stderr=True, soft_wrap=True).print(
                f"[bold red]error:[/] {exc}", markup=True, highlight=False
            )
            raise SystemExit(1) from None


app = _KennisbrugApp(
    name="kennisbrug",
    help="Kennisbrug: one search box over the configured knowledge systems (config/sources.toml).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(cli_es.app, name="es")
app.add_typer(db_commands.app, name="db")
crawl_commands.register(app)
index_commands.register(app)
job_submit.register(app)
jobs_commands.register(app)
web_commands.register(app)
