"""``kennisbrug jobs|worker|users|tokens``: the job queue, the worker and accounts.

Composition root for background work and sign-in from the shell. Reads the
settings once, opens the state database and hands plain values down.
"""

from __future__ import annotations

import getpass
import logging
from datetime import datetime, timedelta

import typer
from rich.console import Console
from rich.table import Table

from core.accounts import Accounts
from core.db import make_engine
from core.jobs import JobQueue
from core.settings import Settings
from core.store import utcnow
from kennisbrug.commands import job_submit
from kennisbrug.job_handlers import Runtime, make_handlers
from kennisbrug.preflight import check_worker
from kennisbrug.scheduling import build_scheduler, source_triggers
from kennisbrug.worker import Worker, install_signal_handlers

console = Console()
jobs_app = typer.Typer(
    help="The job queue: list, show, cancel; crawl, sync, reindex through the queue.",
    no_args_is_help=True,
)
users_app = typer.Typer(help="Local accounts for the admin pages and search.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for automation (Bearer).", no_args_is_help=True)


def _queue() -> JobQueue:
    return JobQueue(make_engine(Settings.from_env().database_url))


def _accounts() -> Accounts:
    return Accounts(make_engine(Settings.from_env().database_url))


@jobs_app.command("list")
def list_jobs(
    limit: int = typer.Option(30, help="How many jobs to show, newest first."),
    state: str = typer.Option("", help="Only this state (queued, running, done, ...)."),
) -> None:
    """Queued, running and recent jobs."""
    found = _queue().find(states=[state] if state else None, limit=limit)
    table = Table("id", "job", "state", "door", "in wachtrij", "voortgang", "duur")
    for job in found:
        progress = f"{job.progress_done}/{job.progress_total or '?'}" if job.started_at else ""
        duration = f"{job.duration.total_seconds():.0f}s" if job.duration else ""
        table.add_row(
            str(job.id), job.label, str(job.state), job.enqueued_by,
            job.enqueued_at.strftime("%Y-%m-%d %H:%M:%S"), progress, duration,
        )  # fmt: skip
    console.print(table)


@jobs_app.command("show")
def show_job(job_id: int) -> None:
    """One job with its progress, report and failed URLs."""
    job_submit.print_job(_queue().get(job_id), console)


@jobs_app.command("cancel")
def cancel_job(job_id: int) -> None:
    """Cancel a queued job (a running one stops at its next progress report)."""
    job = _queue().cancel(job_id)
    console.print(f"{job}" + (" (stopping)" if job.cancel_requested else ""))


def worker_command(
    concurrency: int = typer.Option(2, min=1, max=8, help="Jobs run at the same time."),
    no_schedule: bool = typer.Option(False, "--no-schedule", help="Run jobs only; no scheduler."),
) -> None:
    """Run queued jobs and the per-source schedules until SIGTERM."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)  # one line per failure is ours
    settings = Settings.from_env()
    check_worker(settings)
    runtime = Runtime(settings=settings)
    worker = Worker(
        queue=runtime.queue,
        handlers=make_handlers(runtime),
        concurrency=concurrency,
        heartbeat_seconds=settings.worker_heartbeat,
        stale_after=timedelta(seconds=settings.worker_stale_after),
    )
    install_signal_handlers(worker.stopping)
    scheduler = None
    if not no_schedule:
        triggers = source_triggers(runtime.profiles, settings.timezone)
        scheduler = build_scheduler(runtime.queue, triggers, timezone=settings.timezone)
        scheduler.start()
        for job in scheduler.get_jobs():
            logging.getLogger("kennisbrug.scheduler").info(
                "%s: next run %s", job.name, job.next_run_time
            )
    console.print(f"worker {worker.identity.id} running ({concurrency} at a time); Ctrl-C stops")
    try:
        worker.serve()
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)


@users_app.command("add")
def add_user(
    username: str,
    role: str = typer.Option("staff", help="staff (search) or admin (search and /beheer)."),
    password: str = typer.Option("", help="Password; asked for when left out."),
) -> None:
    """Create a local account."""
    accounts = _accounts()
    accounts.add_user(username, password or _ask_password(), role)
    accounts.audit("cli", "user.add", username, detail={"role": role})
    console.print(f"user {username} added ({role})")


@users_app.command("passwd")
def set_password(username: str, password: str = typer.Option("", help="New password.")) -> None:
    """Change a password; the user's existing sessions end."""
    accounts = _accounts()
    accounts.set_password(username, password or _ask_password())
    accounts.audit("cli", "user.passwd", username)
    console.print(f"password of {username} changed")


@users_app.command("remove")
def remove_user(username: str) -> None:
    """Delete a local account."""
    accounts = _accounts()
    accounts.remove_user(username)
    accounts.audit("cli", "user.remove", username)
    console.print(f"user {username} removed")


@users_app.command("list")
def list_users() -> None:
    for user in _accounts().list_users():
        console.print(f"{user.name}\t{user.role}")


@tokens_app.command("add")
def add_token(
    name: str,
    role: str = typer.Option(
        "staff", help="Role the token acts with: staff (search) or admin (also /api/beheer)."
    ),
    expires_days: int = typer.Option(
        0, "--expires-days", min=0, help="Days until the token stops working (0 = never)."
    ),
) -> None:
    """Create an API token (shown once; only its hash is stored)."""
    accounts = _accounts()
    expires = utcnow() + timedelta(days=expires_days) if expires_days else None
    token = accounts.add_token(name, role, created_by="cli", expires_at=expires)
    accounts.audit("cli", "token.add", name, detail={"role": role, "expires_days": expires_days})
    until = f", until {expires:%Y-%m-%d %H:%M} UTC" if expires else ""
    console.print(f"token {name} ({role}{until}): [bold]{token}[/]")
    console.print("use it as: Authorization: Bearer <token>; it is not shown again")


@tokens_app.command("remove")
def remove_token(name: str) -> None:
    accounts = _accounts()
    accounts.remove_token(name)
    accounts.audit("cli", "token.remove", name)
    console.print(f"token {name} removed")


@tokens_app.command("list")
def list_tokens() -> None:
    """Tokens with their role, last use and expiry (the tokens themselves are not kept)."""

    def when(moment: datetime | None, empty: str) -> str:
        return f"{moment:%Y-%m-%d %H:%M}" if moment else empty

    for token in _accounts().token_details():
        console.print(
            f"{token.name}\t{token.role}\tlast used {when(token.last_used_at, 'never')}"
            f"\texpires {when(token.expires_at, 'never')}"
        )


def _ask_password() -> str:
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise typer.BadParameter("the passwords differ")
    return first


def register(app: typer.Typer) -> None:
    app.add_typer(jobs_app, name="jobs")
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
    app.command("worker")(worker_command)
