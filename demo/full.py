"""``python -m demo`` (``make run``): the newcomer's first run.

Composition root of the whole system on one machine: the local Elasticsearch node
(with our Dutch analysis plugin), both demo knowledge sites on fixed ports, an
admin account, the worker (scheduler + job runner) in a background thread, a first
crawl and sync *through the job queue* (the same path the admin pages use), and
finally the search UI at http://127.0.0.1:8000.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
import threading

from elasticsearch import Elasticsearch
from rich.console import Console

from core.accounts import Accounts
from core.errors import NodeError
from core.jobs import JobState
from core.settings import Settings
from core.store import DocumentStore
from demo.launch import DEMO_PORTS, start_sites
from demo.server import RunningSite
from indexer.client import make_client
from indexer.lifecycle import current_index, ensure_index, index_mapping_version, reindex
from indexer.mapping import MAPPING_VERSION
from kennisbrug.commands.es import _progress, _StepProgress, node_plugins
from kennisbrug.job_handlers import Runtime, make_handlers
from kennisbrug.job_waiting import follow
from kennisbrug.scheduling import build_scheduler, source_triggers
from kennisbrug.worker import Worker
from localnode.node import LocalNode
from search_ui.app import create_app
from search_ui.serving import serve

console = Console()
DEMO_ADMIN = "beheerder"
#: The demo sites ask for a short Crawl-delay so the first crawl takes seconds, not minutes.
DEMO_CRAWL_DELAY = 0.2


def start_local_node(settings: Settings) -> Settings:
    """Start (or reuse) the local node unless an external one is configured."""
    if settings.es_url:
        return settings
    with _progress() as progress:
        steps = _StepProgress(progress)
        node = LocalNode(settings, progress=steps)
        node.start(plugins=node_plugins(settings, []))
        steps.finish()
    console.print(f"Elasticsearch: [bold]{node.url}[/]")
    return dataclasses.replace(settings, es_url=node.url)


def start_demo_sites() -> list[RunningSite]:
    try:
        sites = start_sites(DEMO_PORTS, crawl_delay=DEMO_CRAWL_DELAY)
    except OSError as exc:
        raise NodeError(
            f"a demo site port ({', '.join(map(str, DEMO_PORTS))}) is in use: {exc}; "
            "stop the other program or an earlier 'make run'"
        ) from exc
    for site in sites:
        console.print(f"demo site {site.site.name}: [bold]{site.base_url}/[/]")
    return sites


def ensure_admin(accounts: Accounts) -> str:
    """Create (or reset) the demo admin and return its fresh password."""
    password = secrets.token_urlsafe(12)
    if any(p.name == DEMO_ADMIN for p in accounts.list_users()):
        accounts.set_password(DEMO_ADMIN, password)
    else:
        accounts.add_user(DEMO_ADMIN, password, "admin")
    return password


def first_crawl(runtime: Runtime) -> None:
    """Crawl every source and sync, through the queue, showing each job's progress."""
    queue = runtime.queue
    # Queue all crawls first: the worker runs them side by side (one per source).
    crawls = {
        source: queue.enqueue("crawl", source=source, params={}, enqueued_by="demo")
        for source in runtime.profiles
    }
    for source, job in crawls.items():
        done = follow(queue, job.id, console=console)
        if done.state is not JobState.DONE:
            console.print(f"[yellow]crawl of {source} ended {done.state}: {done.error}[/]")
    sync = queue.enqueue("sync", enqueued_by="demo")
    follow(queue, sync.id, console=console)


def ready_index(store: DocumentStore, client: Elasticsearch, settings: Settings) -> str:
    """The demo's index: created when missing, rebuilt from the store when an earlier
    Kennisbrug built it with another mapping (a returning ``make run``: the node and the
    state database outlive the demo; a production sync refuses and asks for a reindex)."""
    current = current_index(client, settings.index_alias)
    if current is not None and index_mapping_version(client, current) != MAPPING_VERSION:
        console.print(
            f"index {current} has an older mapping: rebuilding it from the stored documents"
        )
        reindex(store, client, settings)
    return ensure_index(client, settings)


def run_full_demo(port: int = 8000, *, skip_crawl: bool = False) -> None:
    """The full demo: Elasticsearch, both demo sites, a first crawl, the worker and the UI."""
    logging.basicConfig(level=logging.WARNING)
    settings = start_local_node(Settings.from_env())
    sites = start_demo_sites()
    runtime = Runtime(settings=settings)
    ready_index(runtime.store, make_client(settings), settings)
    password = ensure_admin(Accounts(runtime.store.engine))
    worker = Worker(queue=runtime.queue, handlers=make_handlers(runtime), concurrency=2)
    scheduler = build_scheduler(
        runtime.queue,
        source_triggers(runtime.profiles, settings.timezone),
        timezone=settings.timezone,
    )
    threading.Thread(target=worker.serve, name="worker", daemon=True).start()
    scheduler.start()
    try:
        if not skip_crawl:
            first_crawl(runtime)
        console.rule("Kennisbrug")
        console.print(f"Zoeken:  [bold]http://{settings.web_host}:{port}/[/]")
        console.print(f"Beheer:  [bold]http://{settings.web_host}:{port}/beheer[/]")
        console.print(f"Inloggen als [bold]{DEMO_ADMIN}[/] met wachtwoord [bold]{password}[/]")
        console.print("Ctrl-C stopt de demo (Elasticsearch blijft draaien: kennisbrug es stop).")
        serve(create_app(settings), host=settings.web_host, port=port, log_level="warning")
    finally:
        worker.stopping.set()
        scheduler.shutdown(wait=False)
        for site in sites:
            site.close()
