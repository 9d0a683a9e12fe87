"""The admin pages in a real browser (Debian's chromium via Playwright).

One environment per module: the real Elasticsearch of the session, the eKIC demo
site on port 0, the web app under uvicorn on a free port and a worker running in
a thread, all sharing one state database, exactly as in production.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from core.accounts import Accounts
from core.db import make_engine
from core.deletion_holds import DeletionHolds, HeldItem
from core.jobs import JobQueue
from core.settings import REPO_ROOT, Settings
from demo.server import RunningSite, serve
from demo.sites import build_ekic
from kennisbrug.job_handlers import Runtime, make_handlers
from kennisbrug.worker import Worker
from search_ui.app import create_app
from tests.conftest import free_port

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
PASSWORD = "een-goed-wachtwoord"


@dataclass
class Env:
    base: str
    settings: Settings
    site: RunningSite
    queue: JobQueue


def _sources(folder: Path, ekic_url: str) -> Path:
    text = (REPO_ROOT / "config" / "sources.toml").read_text(encoding="utf-8")
    text = text.replace("http://127.0.0.1:8101", ekic_url).replace("delay = 1.0", "delay = 0.02")
    path = folder / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


@contextmanager
def running_env(home: Path, es_url: str, alias: str) -> Iterator[Env]:
    """A demo site, the app and a worker of their own: state no other test shares."""
    site = serve(build_ekic(), port=0, politeness=False)
    settings = Settings.from_env(
        {}, home=home, es_url=es_url, index_alias=alias,
        sources_file=_sources(home, site.base_url), secret_key="test-" + "s" * 40,
    )  # fmt: skip
    runtime = Runtime(settings=settings)
    accounts = Accounts(runtime.store.engine)
    accounts.add_user("anne", PASSWORD, "admin")
    accounts.add_user("sam", PASSWORD, "staff")
    worker = Worker(queue=runtime.queue, handlers=make_handlers(runtime), poll_seconds=0.2)
    worker_thread = threading.Thread(target=worker.serve, daemon=True)
    worker_thread.start()
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    server_thread = threading.Thread(target=server.run, daemon=True)
    server_thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield Env(
            base=f"http://127.0.0.1:{port}", settings=settings, site=site, queue=runtime.queue
        )
    finally:
        server.should_exit = True
        worker.stopping.set()
        server_thread.join(timeout=30)
        worker_thread.join(timeout=30)
        site.close()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, es_url: str, index_prefix: str) -> Iterator[Env]:
    """Shared by the tests that only read or are refused: none of them changes its state."""
    with running_env(tmp_path_factory.mktemp("admin"), es_url, f"{index_prefix}beheer") as shared:
        yield shared


@pytest.fixture
def fresh_env(tmp_path: Path, es_url: str, index_prefix: str) -> Iterator[Env]:
    """For a test that crawls: a never-crawled source and an empty index, whatever ran before."""
    alias = f"{index_prefix}beheer-{tmp_path.name[-12:].lower()}"
    with running_env(tmp_path, es_url, alias) as own:
        yield own


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def sign_in(page: Page, env: Env, user: str, target: str = "/beheer") -> None:
    page.goto(f"{env.base}{target}")
    page.fill("#gebruiker", user)
    page.fill("#wachtwoord", PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()


def test_signed_out_visitors_are_sent_to_sign_in(env: Env, page: Page) -> None:
    page.goto(f"{env.base}/beheer")
    assert "/aanmelden?volgende=%2Fbeheer" in page.url
    assert page.get_by_role("heading", name="Aanmelden").is_visible()


def test_staff_gets_403_on_beheer(env: Env, page: Page) -> None:
    sign_in(page, env, "sam", target="/aanmelden")
    response = page.goto(f"{env.base}/beheer")
    assert response is not None and response.status == 403
    assert "Geen toegang" in page.content()


def test_admin_crawls_a_source_and_finds_its_documents(fresh_env: Env, page: Page) -> None:
    env = fresh_env
    sign_in(page, env, "anne")
    assert page.url.endswith("/beheer")
    card = page.locator('section[data-source="ekic"]')
    assert "nog niet gecrawld" in card.inner_text()
    card.get_by_role("button", name="Nu crawlen").click()
    assert "staat in de wachtrij" in page.locator(".notice").inner_text()

    page.goto(f"{env.base}/beheer/taken")
    crawl_row = page.locator("tr[data-job]", has_text="Crawl ekic").first
    # beheer.js updates the row in place until the job ends (no reload needed).
    expect(crawl_row.locator('[data-field="state"]')).to_have_text("klaar", timeout=120_000)
    page.goto(f"{env.base}/beheer")
    card = page.locator('section[data-source="ekic"]')
    assert "gezond" in card.locator('[data-field="health"]').inner_text()
    new = int(card.locator('td[data-count="nieuw"]').inner_text())
    assert new > 0

    # The crawl queued a sync; once it is done the documents are searchable.
    sync = env.queue.find(kind="sync", limit=1)[0]
    page.goto(f"{env.base}/beheer/taken/{sync.id}")
    expect(page.locator('[data-field="state"]')).to_have_text("klaar", timeout=120_000)
    page.goto(f"{env.base}/zoeken?q=leesbevordering")
    hits = page.locator("ol.hits article")
    assert hits.count() > 0
    page.goto(f"{env.base}/beheer")
    indexed = page.locator('section[data-source="ekic"] [data-field="indexed"]').inner_text()
    assert indexed.split()[0] == str(new)


def test_one_url_outside_the_source_is_refused(env: Env, page: Page) -> None:
    sign_in(page, env, "anne")
    before = len(env.queue.find(kind="crawl_url"))
    card = page.locator('section[data-source="ekic"]')
    card.locator('form[action$="/url"] input[name="url"]').fill(
        "http://example.org/artikel.php?id=1"
    )
    card.get_by_role("button", name="Ophalen").click()
    assert "hoort niet bij eKIC" in page.locator("p.problem").inner_text()
    assert len(env.queue.find(kind="crawl_url")) == before  # nothing queued, nothing fetched


def test_a_post_without_a_valid_csrf_token_is_refused(env: Env, page: Page) -> None:
    sign_in(page, env, "anne")
    before = len(env.queue.find(kind="reindex"))
    request = page.context.request  # shares the session cookie with the page
    missing = request.post(f"{env.base}/beheer/herindexeren", form={}, max_redirects=0)
    forged = request.post(
        f"{env.base}/beheer/herindexeren", form={"csrf_token": "vals"}, max_redirects=0
    )
    assert (missing.status, forged.status) == (403, 403)
    assert len(env.queue.find(kind="reindex")) == before


def test_the_session_cookie_is_http_only_and_same_site(env: Env, page: Page) -> None:
    sign_in(page, env, "anne")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["kb_session"]["httpOnly"] is True
    assert cookies["kb_session"]["sameSite"] == "Lax"


def test_held_deletions_are_listed_and_can_be_rejected(env: Env, page: Page) -> None:
    holds = DeletionHolds(make_engine(env.settings.database_url))
    urls = [f"{env.site.base_url}/artikel.php?id={n}" for n in (901, 902, 903)]
    items = [HeldItem(id=f"hold-{n}", url=u, why="gone") for n, u in enumerate(urls)]
    hold = holds.hold("ekic", items, reason="3 of 10 live documents", live=10, run_id=None)
    sign_in(page, env, "anne")
    card = page.locator('section[data-source="ekic"]')
    expect(card.locator('[data-field="hold"]')).to_contain_text("3 van 10")
    card.get_by_role("link", name="Bekijk de lijst en beslis").click()
    expect(page.locator("h1")).to_contain_text("Verwijderingen wachten")
    for url in urls:
        expect(page.get_by_role("link", name=url)).to_be_visible()
    page.get_by_role("button", name="Afwijzen: alles houden").click()
    expect(page).to_have_url(f"{env.base}/beheer")
    expect(page.locator('section[data-source="ekic"] [data-field="hold"]')).to_have_count(0)
    decided = holds.get(hold.id)
    assert decided is not None and (decided.status, decided.decided_by) == (
        "rejected",
        "admin:anne",
    )
