"""Issue #13 in a real browser: framing blocked, no CSP violation on any page,
axe-core (from npm, injected through Playwright) over every search and admin page at
1280 and 390 px with 0 serious or critical violations (admin pages in both languages),
and every admin page in English when English is chosen (Dutch stays the default).

One environment for the module: the session's Elasticsearch with the demo documents,
the web app under uvicorn on a free port, a queued job for the job page, a finished
partial crawl and a held deletion (their reasons are stored as codes), and a page on
another local port that tries to frame ``/beheer``.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from elasticsearch import Elasticsearch
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from core.accounts import Accounts
from core.db import make_engine
from core.deletion_holds import DeletionHolds, HeldItem
from core.job_model import JobState, WorkerIdentity
from core.jobs import JobQueue
from core.reasons import describe, reason
from core.settings import REPO_ROOT, Settings
from search_ui.app import create_app
from tests.conftest import free_port
from tests.integration.search_corpus import demo_documents, index_documents

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "een-goed-wachtwoord"
WIDTHS = (1280, 390)

SEARCH_PAGES = ["/", "/zoeken?q=bibliotheek", "/zoeken?q=bibliotheek&provincie=Limburg&pagina=2",
                "/zoeken?q=zzqxw+bibliotheek", "/help", "/aanmelden", "/bestaat-niet",
                "/?lang=en", "/zoeken?q=bibliotheek&lang=en"]  # fmt: skip
ADMIN_PAGES = ["/beheer", "/beheer/taken", "/beheer/taken/{job}", "/beheer/taken/{crawl}",
               "/beheer/inzicht", "/beheer/herindexeren", "/beheer/synoniemen",
               "/beheer/bronnen/ekic/verwijderingen/{hold}"]  # fmt: skip
#: Collects CSP violations from the page itself (an init script is not subject to the CSP).
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@dataclass
class Env:
    base: str
    job: int
    crawl: int
    hold: int
    framer: str


class _Framer(BaseHTTPRequestHandler):
    target = ""

    def do_GET(self) -> None:
        body = f'<!doctype html><title>x</title><iframe src="{self.target}/beheer"></iframe>'
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture(scope="module")
def env(
    tmp_path_factory: pytest.TempPathFactory,
    es_url: str,
    es_client: Elasticsearch,
    index_prefix: str,
) -> Iterator[Env]:
    home: Path = tmp_path_factory.mktemp("security-browser")
    settings = Settings.from_env(
        {}, home=home, es_url=es_url, index_alias=f"{index_prefix}security-browser",
        secret_key="s" * 40, sources_file=REPO_ROOT / "config" / "sources.toml",
    )  # fmt: skip
    assert index_documents(settings, es_client, demo_documents(hostile=True)) > 20
    engine = make_engine(settings.database_url)
    accounts = Accounts(engine)
    accounts.add_user("anne", PASSWORD, "admin")
    accounts.add_user("sam", PASSWORD, "staff")
    accounts.audit("admin:anne", "token.add", "nachtelijk")
    queue = JobQueue(engine)
    job = queue.enqueue("sync", enqueued_by="admin:anne")
    crawl = _partial_crawl(queue)
    drop = reason("sudden_drop", due=3, live=10, limit=0.2)
    items = [HeldItem(id=f"h{n}", url=f"http://127.0.0.1:9/artikel.php?id={n}", why="gone")
             for n in (1, 2, 3)]  # fmt: skip
    hold = DeletionHolds(engine).hold("ekic", items, reason=drop, live=10, run_id=None)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    _Framer.target = base
    framer = ThreadingHTTPServer(("127.0.0.1", 0), _Framer)
    framer_thread = threading.Thread(target=framer.serve_forever, daemon=True)
    framer_thread.start()
    try:
        yield Env(
            base=base, job=job.id, crawl=crawl, hold=hold.id,
            framer=f"http://127.0.0.1:{framer.server_address[1]}",
        )  # fmt: skip
    finally:
        framer.shutdown()
        server.should_exit = True
        thread.join(timeout=30)


def _partial_crawl(queue: JobQueue) -> int:
    """A finished eKIC crawl cut short by a deferred host, its reasons stored as the
    crawler stores them (English text for the CLI, codes for the pages)."""
    job = queue.enqueue("crawl", source="ekic", enqueued_by="scheduler")
    queue.claim(job.id, WorkerIdentity.current("test"))
    deferred = reason("host_deferred", host="kennis.example", seconds=86400, cap=300)
    robots = reason("robots_unreachable", detail=reason("robots_status", status=503))
    note = reason("deletion_partial", reasons=[deferred])
    report = {
        "new": 1200, "failed": 1, "partial": True,
        "partial_reasons": [describe(deferred)], "partial_codes": [deferred],
        "hosts": {"kennis.example": {"state": "deferred", "reason": describe(deferred),
                                     "detail": deferred}},
        "deletion_note": describe(note), "deletion_code": note,
        "failures": [{"url": "http://kennis.example/a", "status": None,
                      "reason": describe(robots), "code": robots}],
    }  # fmt: skip
    queue.finish(job.id, JobState.DONE, report=report)
    return job.id


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def signed_in(context: BrowserContext, env: Env, lang: str = "nl", user: str = "anne") -> Page:
    """Signed in through the form; with ``lang="en"`` English is chosen first (the
    language link's cookie, as a person would) and the form is the English one."""
    page = context.new_page()
    page.goto(f"{env.base}/aanmelden?lang={lang}")
    page.fill("#gebruiker", user)
    page.fill("#wachtwoord", PASSWORD)
    page.get_by_role("button", name={"nl": "Aanmelden", "en": "Sign in"}[lang]).click()
    page.wait_for_url(f"{env.base}/beheer" if user == "anne" else f"{env.base}/")
    return page


def admin_pages(env: Env) -> list[str]:
    return [p.format(job=env.job, crawl=env.crawl, hold=env.hold) for p in ADMIN_PAGES]


def all_pages(env: Env) -> list[str]:
    return SEARCH_PAGES + admin_pages(env)


def test_beheer_cannot_be_framed_from_another_origin(env: Env, browser: Browser) -> None:
    context = browser.new_context()
    page = signed_in(context, env)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "frame" in m.text.lower() else None)
    page.goto(env.framer)
    page.wait_for_timeout(500)
    child = page.frames[1]
    assert not child.url.startswith(env.base) or child.content().count("Beheer") == 0
    assert "Nu crawlen" not in child.content()
    context.close()


def test_no_csp_violation_on_any_page(env: Env, browser: Browser) -> None:
    context = browser.new_context()
    context.add_init_script(CSP_WATCH)
    page = signed_in(context, env)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    for path in [*all_pages(env), "/api/docs"]:
        response = page.goto(f"{env.base}{path}")
        assert response is not None and "content-security-policy" in response.headers, path
        page.wait_for_load_state("networkidle")
        if path == "/zoeken?q=bibliotheek":  # the scripted parts run too: filters, suggest
            page.locator("#facet-provincie input").first.check()
            page.get_by_role("combobox").press_sequentially("lees", delay=20)
            page.wait_for_timeout(400)
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], (path, violations)
    if path == "/api/docs":
        assert page.locator(".swagger-ui").count() == 1  # the local bundle really ran
    assert not [m for m in console if "Content Security Policy" in m], console
    context.close()


def run_axe(page: Page) -> list[dict[str, Any]]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3)"
        ".map(n => n.target.join(' '))})))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_serious_violations_on_any_page(
    env: Env, browser: Browser, width: int, lang: str
) -> None:
    """Every page in Dutch; the admin pages once more in English (longer or shorter
    words can break a layout that Dutch does not)."""
    assert AXE.exists(), "run scripts/setup.sh (npm ci installs axe-core)"
    # bypass_csp only lets axe itself be injected; the CSP test above runs without it.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = signed_in(context, env, lang)
    found = {}
    for path in all_pages(env) if lang == "nl" else admin_pages(env):
        page.goto(f"{env.base}{path}")
        page.wait_for_load_state("networkidle")
        serious = run_axe(page)
        if serious:
            found[path] = serious
        # WCAG 1.4.10 reflow: nothing wider than the window at 390 px.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            found.setdefault(path, []).append({"id": "reflow", "overflow_px": overflow})
    assert found == {}
    context.close()


def test_accessibility_extras_on_the_search_side(env: Env, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{env.base}/zoeken?q=bibliotheek&provincie=Limburg")
    # A skip link straight to the results: the first Tab stops, and it moves focus there.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Naar de resultaten"
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    # The fragment change fires popstate; the results must not be fetched again and
    # the focus the skip link set must stay (it used to jump to the filters heading).
    assert [u for u in fetched if "/zoeken" in u] == []
    assert page.evaluate("document.activeElement.id") == "resultaten"
    # Narrow screens: a "Filters" link near the top, above the results.
    jump = page.locator(".filters-jump a")
    assert jump.is_visible()
    above = page.evaluate(
        "() => document.querySelector('.filters-jump a').getBoundingClientRect().top"
        " < document.getElementById('resultaten').getBoundingClientRect().top"
    )
    assert above
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not jump.is_visible()
    # Forced colours: the chosen province keeps a visible outline.
    page.emulate_media(forced_colors="active")
    chosen = page.locator(".province-toggle a[aria-current]")
    other = page.locator(".province-toggle a:not([aria-current])").first
    style = "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth"
    assert chosen.evaluate(style) == "solid 3px" and other.evaluate(style) != "solid 3px"
    # English interface, Dutch content: the hits say so.
    page.goto(f"{env.base}/zoeken?q=bibliotheek&lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    langs = page.locator("ol.hits article").evaluate_all("els => els.map(e => e.lang)")
    assert langs and set(langs) == {"nl"}
    context.close()


#: Words of the Dutch admin interface that an English page must not show (data such as
#: source names, provinces and the synonym list stay as they are, so these avoid them).
DUTCH_WORDS = ("Bronnen", "Taken", "bezig", "wachtrij", "Wachtrij", "Beheer", "Annuleren",
               "gecrawld", "documenten", "Synoniemen", "Zoekinzicht", "Afmelden", "Duur",
               "Aanmelden", "Verwijderingen", "Opslaan", "Geschiedenis", "Logboek", "Ophalen",
               "Voorbeeld", "uitgesteld", "verwijderd", "Reden", "herindexeren", "gezond",
               "Geen toegang", "onbereikbaar", "Voortgang", "seconden")  # fmt: skip


def _expected(env: Env) -> dict[str, tuple[str, str]]:
    """Per admin page: (a text the English page shows, the same on the Dutch page)."""
    return {
        "/beheer": (
            "partial run, nothing deleted: host kennis.example deferred",
            "gedeeltelijke run, niets verwijderd: host kennis.example uitgesteld",
        ),
        "/beheer/taken": ("History", "Geschiedenis"),
        f"/beheer/taken/{env.job}": ("Synchronise with the index", "Synchroniseren met de index"),
        f"/beheer/taken/{env.crawl}": (
            "host kennis.example deferred for this run: Retry-After 86,400 s",
            "host kennis.example uitgesteld voor deze run: Retry-After 86.400 s",
        ),
        "/beheer/inzicht": ("API token created", "API-token aangemaakt"),
        "/beheer/herindexeren": ("Yes, reindex everything", "Ja, volledig herindexeren"),
        "/beheer/synoniemen": ("Synonym list", "Synoniemenlijst"),
        f"/beheer/bronnen/ekic/verwijderingen/{env.hold}": (
            "3 of 10 live documents would be deleted at once (more than 20%)",
            "3 van 10 actuele documenten zouden in één keer verwijderd worden (meer dan 20%)",
        ),
    }


def _leftovers(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]


def test_every_admin_page_follows_the_english_interface(env: Env, browser: Browser) -> None:
    context = browser.new_context()
    page = signed_in(context, env, "en")  # the sign-in page itself was English
    expected = _expected(env)
    assert set(expected) == set(admin_pages(env))
    found: dict[str, Any] = {}
    for path, (english, _dutch) in expected.items():
        page.goto(f"{env.base}{path}")
        page.wait_for_load_state("networkidle")
        text = page.locator("body").inner_text()
        problems = _leftovers(text, DUTCH_WORDS)
        if page.evaluate("document.documentElement.lang") != "en":
            problems.append("lang")
        if english not in text:
            problems.append(f"missing: {english}")
        if problems:
            found[path] = problems
    assert found == {}
    # Live parts speak English too: the poller's labels and the ticking units.
    labels = page.evaluate("fetch('/beheer/taken.json').then(r => r.json())")
    assert labels["labels"] == {"progress": "Progress"}
    assert {j["state_label"] for j in labels["jobs"]} <= {"queued", "done"}
    units = page.locator("script[data-second]").get_attribute("data-second")
    assert units == "{n} sec"
    # The sign-in form's message and the staff member's "no access" page.
    other = browser.new_context()
    refused = other.new_page()
    refused.goto(f"{env.base}/aanmelden?lang=en")
    refused.fill("#gebruiker", "nobody")  # no backoff for the users the other tests use
    refused.fill("#wachtwoord", PASSWORD)
    refused.get_by_role("button", name="Sign in").click()
    assert "The user name or password is not correct." in refused.locator(".problem").inner_text()
    staff = signed_in(other, env, "en", user="sam")
    response = staff.goto(f"{env.base}/beheer")
    assert response is not None and response.status == 403
    text = staff.locator("body").inner_text()
    assert "This part is for administrators only." in text and "No access" in text
    assert staff.evaluate("document.documentElement.lang") == "en"
    assert _leftovers(text, DUTCH_WORDS) == []
    other.close()
    context.close()


def test_the_admin_pages_stay_dutch_by_default(env: Env, browser: Browser) -> None:
    context = browser.new_context()
    page = signed_in(context, env)
    found: dict[str, Any] = {}
    for path, (english, dutch) in _expected(env).items():
        page.goto(f"{env.base}{path}")
        text = page.locator("body").inner_text()
        if page.evaluate("document.documentElement.lang") != "nl" or dutch not in text:
            found[path] = text[:300]
        if english in text:
            found[path] = f"English: {english}"
    assert found == {}
    context.close()
