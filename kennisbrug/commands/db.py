"""``kennisbrug db upgrade | current``: the state database's schema revision.

Every entry point (web, worker, CLI) migrates the database at start-up already;
``db upgrade`` does it on its own, e.g. as a deploy step before the new processes
start, and ``db current`` shows where a database stands without changing it.
"""

from __future__ import annotations

import typer
from rich.console import Console

from core import schema
from core.db import make_engine
from core.settings import Settings

app = typer.Typer(help="The state database's schema (Alembic migrations).", no_args_is_help=True)
console = Console()


@app.command()
def upgrade() -> None:
    """Migrate the state database to the newest schema revision."""
    engine = make_engine(Settings.from_env().database_url, migrate=False)
    before = schema.current_revision(engine)
    schema.upgrade(engine)
    after = schema.current_revision(engine)
    if before == after:
        console.print(f"schema already at the newest revision [bold]{after}[/]")
    else:
        console.print(f"schema migrated: {before or '(none)'} -> [bold]{after}[/]")


@app.command()
def current() -> None:
    """Show the database's schema revision and the newest one this release knows."""
    engine = make_engine(Settings.from_env().database_url, migrate=False)
    now, head = schema.current_revision(engine), schema.head_revision()
    state = "up to date" if now == head else "needs `kennisbrug db upgrade`"
    console.print(f"database at {now or '(none)'}; newest {head}: {state}")
