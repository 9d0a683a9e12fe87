"""The search UI in Debian's chromium (headless, Playwright) on both crawled demo sites."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import uvicorn
from elasticsearch import Elasticsearch
from playwright.sync_api import Browser, Dialog, Page, Response, expect, sync_playwright

from core.settings import Settings
from search_ui.app import create_app
from tests.integration.search_corpus import build_search_index

pytestmark = [pytest.mark.es, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def base_url(
    es_url: str,
    es_client: Elasticsearch,
    index_prefix: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The app served by uvicorn in a thread on 127.0.0.1, port 0, over the crawled index."""
    home = tmp_path_factory.mktemp("search-browser")
    settings = Settings.from_env(home=home, es_url=es_url, index_alias=f"{index_prefix}browser")
    build_search_index(settings, es_client)
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing (scripts/setup installs Debian's chromium)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale="nl-NL")
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_js(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    yield context.new_page()
    context.close()


def status_count(page: Page) -> int:
    text = page.locator(".results__status").inner_text()
    return int(re.sub(r"\D", "", text.split("(")[0]) or 0)


def test_both_provinces_in_one_list_with_a_screenshot(page: Page) -> None:
    page.goto("/zoeken?q=bibliotheek")
    expect(page.locator(".hit .badge--limburg").first).to_be_visible()
    expect(page.locator(".hit .badge--noord-brabant").first).to_be_visible()
    expect(page.locator(".province-toggle")).to_contain_text("Beide")
    expect(page.locator(".results__status")).to_contain_text(
        re.compile(r"\d+ resultaten \(\d,\d\d s\)")
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-results.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "search-results-phone.png"))


def test_ticking_two_facet_values_applies_itself_and_keeps_focus(page: Page) -> None:
    page.goto("/zoeken?q=bibliotheek")
    before = status_count(page)
    page.get_by_label(re.compile(r"^artikel \(")).check()
    expect(page).to_have_url(re.compile(r"type=artikel"))
    assert page.evaluate("document.activeElement.name") == "type"
    page.get_by_label(re.compile(r"^nieuws \(")).check()
    expect(page).to_have_url(re.compile(r"type=artikel&type=nieuws"))
    assert page.evaluate("document.activeElement.value") == "nieuws"
    expect(page.locator("#live")).to_contain_text("resultaten")
    assert 0 < status_count(page) <= before
    expect(page.locator(".chip")).to_have_count(2)
    # The search box carries the new selection along for the next query.
    expect(page.locator("form.searchbox input[type=hidden][name=type]")).to_have_count(2)


def test_removing_a_chip_and_clearing_all(page: Page) -> None:
    page.goto("/zoeken?q=bibliotheek&provincie=Limburg&type=artikel")
    page.locator(".chip", has_text="Limburg").click()
    expect(page).not_to_have_url(re.compile("provincie="))
    expect(page.locator(".chip")).to_have_count(1)
    page.get_by_role("link", name="Alles wissen").click()
    expect(page.locator(".chip")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/zoeken\?q=bibliotheek$"))


def test_sorting_and_paging(page: Page) -> None:
    page.goto("/zoeken?q=bibliotheek")
    page.get_by_role("link", name="nieuwste eerst").click()
    expect(page).to_have_url(re.compile("sorteer=nieuwste"))
    dates = page.locator(".hit time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    assert dates == sorted(dates, reverse=True)
    page.get_by_role("link", name="Volgende").click()
    expect(page).to_have_url(re.compile("pagina=2"))
    expect(page.locator(".pager [aria-current=page]")).to_have_text("2")


def test_autocomplete_in_two_groups_by_keyboard(page: Page) -> None:
    page.goto("/")
    box = page.get_by_role("combobox")
    box.press_sequentially("lees", delay=30)
    searches = page.get_by_role("group", name="Zoeken naar")
    documents = page.get_by_role("group", name="Documenten")
    expect(searches.get_by_role("option").first).to_be_visible()
    expect(documents.get_by_role("option").first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "q-zoek-0")
    chosen = page.locator("#q-zoek-0").get_attribute("data-value") or ""
    assert chosen.lower().startswith("lees") and " " not in chosen.strip()[-1:]
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/zoeken\?q="))
    assert page.get_by_role("combobox").input_value() == chosen
    assert status_count(page) > 0  # a completion never leads to zero results


def test_autocomplete_document_option_opens_the_document(page: Page) -> None:
    page.goto("/")
    box = page.get_by_role("combobox")
    box.press_sequentially("leesclubs", delay=30)
    first_doc = page.locator("#q-doc-0")
    expect(first_doc).to_be_visible()
    title = first_doc.locator(".suggestion__text").inner_text()
    completions = page.locator("#q-suggesties [id^=q-zoek-]").count()
    for _ in range(completions + 1):
        box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "q-doc-0")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/document/[0-9a-f]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_autocomplete_speaks_text_and_badge_as_separate_parts(page: Page) -> None:
    page.goto("/")
    page.get_by_role("combobox").press_sequentially("lees", delay=30)
    option = page.locator("#q-doc-0")
    expect(option).to_be_visible()
    # The title, then ", <type>", then ", <provincie>": never run together.
    spoken = option.evaluate("el => el.textContent")
    title = option.locator(".suggestion__text").inner_text()
    assert re.fullmatch(
        re.escape(title) + r", \w+, (Limburg|Noord-Brabant)(Limburg|Noord-Brabant)", spoken
    )
    assert option.locator(".badge").get_attribute("aria-hidden") == "true"


def test_autocomplete_keeps_to_the_chosen_provincie(page: Page) -> None:
    page.goto("/zoeken?q=lezen&provincie=Limburg")
    box = page.get_by_role("combobox")
    box.fill("")
    box.press_sequentially("lees", delay=30)
    expect(page.locator("#q-suggesties [role=option]").first).to_be_visible()
    # One provincie chosen: no badge repeats it.
    expect(page.locator("#q-suggesties .badge")).to_have_count(0)
    expect(page.locator("#q-doc-0")).to_be_visible()


def test_counterparts_under_the_results(page: Page) -> None:
    page.goto("/zoeken?q=leesclubs&provincie=Limburg")
    box = page.locator(".hit .counterparts").first
    expect(box).to_be_visible()
    expect(box.locator(".counterparts__head")).to_have_text("Vergelijkbaar in Noord-Brabant")
    box.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/document/"))
    expect(page.locator(".document__meta .badge")).to_have_text("Noord-Brabant")


def test_document_page_without_javascript(page_without_js: Page) -> None:
    page = page_without_js
    page.goto("/zoeken?q=leesclubs")
    page.locator(".hit").first.get_by_role("link", name=re.compile("^Documentpagina")).click()
    expect(page).to_have_url(re.compile(r"/document/[0-9a-f]+\?q=leesclubs"))
    expect(page.get_by_role("heading", name="Over dit document")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Vergelijkbaar in "))).to_be_visible()
    expect(page.get_by_role("heading", name="Passages met leesclubs")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Open het origineel in "))).to_be_visible()
    page.get_by_role("link", name="Terug naar de resultaten").click()
    expect(page).to_have_url(re.compile(r"/zoeken\?q=leesclubs$"))


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_typo_shows_corrected_results_and_a_way_back(
    page: Page, page_without_js: Page, js: bool
) -> None:
    page = page if js else page_without_js
    page.goto("/")
    page.get_by_label("Zoeken in beide kennisbanken").fill("Leesclb")
    page.get_by_label("Zoeken in beide kennisbanken").press("Enter")
    expect(page.locator(".did-you-mean")).to_have_count(1)  # the suggestion shows once
    expect(page.locator(".did-you-mean")).to_have_text(
        "Resultaten voor Leesclub. Zoek in plaats daarvan naar Leesclb"
    )
    expect(page.locator(".hit").first).to_be_visible()
    expect(page.get_by_label("Zoeken in beide kennisbanken")).to_have_value("Leesclub")
    page.get_by_role("link", name="Leesclb", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=Leesclb&letterlijk=1"))
    expect(page.get_by_role("heading", name="Geen resultaten")).to_be_visible()
    expect(page.locator(".did-you-mean")).to_have_count(0)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_typed_filters_are_the_same_state_as_facet_clicks(
    page: Page, page_without_js: Page, js: bool
) -> None:
    page = page if js else page_without_js
    page.goto("/")
    box = page.get_by_label("Zoeken in beide kennisbanken")
    box.fill("provincie:Limburg leesclub")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/zoeken\?q=leesclub&provincie=Limburg$"))
    expect(box).to_have_value("leesclub")
    toggle = page.get_by_role("navigation", name="Provincie")
    expect(toggle.locator("[aria-current=true]")).to_contain_text("Limburg")
    expect(
        page.locator("#facet-provincie").get_by_label(re.compile(r"^Limburg \("))
    ).to_be_checked()
    expect(page.locator(".chip")).to_have_count(1)
    expect(page.locator(".chip")).to_contain_text("Limburg")
    page.locator(".chip").click()
    expect(page).to_have_url(re.compile(r"/zoeken\?q=leesclub$"))
    expect(page.locator(".chip")).to_have_count(0)


def test_zero_results_way_out_removes_a_typed_provincie(page: Page) -> None:
    page.goto("/zoeken?q=Veldhoven+provincie:limburg")
    expect(page.get_by_role("heading", name="Geen resultaten")).to_be_visible()
    page.get_by_role("link", name="Zoek in beide provincies").click()
    expect(page).to_have_url(re.compile(r"/zoeken\?q=Veldhoven$"))
    assert status_count(page) > 0


def test_typed_year_range_and_unknown_values(page_without_js: Page) -> None:
    page = page_without_js
    page.goto("/zoeken?q=e-books+jaar:2010-2011+type:folder")
    expect(page.locator(".chip")).to_have_count(2)
    expect(page.locator(".notice")).to_contain_text("type:folder bestaat niet; kies uit")
    for year in ("2010", "2011"):
        expect(page.locator("#facet-jaar").get_by_label(re.compile(rf"^{year} \("))).to_be_checked()


def test_zero_results_help(page: Page) -> None:
    page.goto("/zoeken?q=bibliotheek&provincie=Noord-Brabant&bron=ekic")
    expect(page.get_by_role("heading", name="Geen resultaten")).to_be_visible()
    both = page.get_by_role("link", name="Zoek in beide provincies")
    expect(both).to_be_visible()
    expect(page.locator(".zero__options")).to_contain_text(re.compile(r"\(\d+ resulta"))
    both.click()
    assert status_count(page) > 0


def test_the_same_search_without_javascript(page_without_js: Page) -> None:
    page = page_without_js
    page.goto("/")
    page.get_by_label("Zoeken in beide kennisbanken").fill("bibliotheek")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator(".hit").first).to_be_visible()
    page.locator("#facet-provincie").get_by_label(re.compile(r"^Limburg \(")).check()
    page.locator("#facet-provincie").get_by_label(re.compile(r"^Noord-Brabant \(")).check()
    page.get_by_role("button", name="Toepassen").click()
    expect(page).to_have_url(re.compile(r"provincie=Limburg&provincie=Noord-Brabant"))
    expect(page.locator(".chip")).to_have_count(2)
    expect(page.get_by_role("combobox")).to_have_count(0)  # the plain search box stays plain


def test_atom_csv_and_json_variants_of_a_url(page: Page) -> None:
    page.goto("/zoeken?q=leesclub")
    shown = status_count(page)
    for name, kind in (
        ("CSV", "text/csv"),
        ("Atom-feed", "application/atom+xml"),
        ("JSON", "application/json"),
    ):
        href = page.get_by_role("link", name=name, exact=True).get_attribute("href") or ""
        response = page.request.get(href)
        assert response.ok and response.headers["content-type"].startswith(kind)
        if kind == "text/csv":
            assert response.body().startswith(b"\xef\xbb\xbf")
        if kind == "application/json":
            assert response.json()["total"] == shown


def test_hostile_content_is_inert(page: Page) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto("/zoeken?q=xsstest")
    expect(page.locator(".hit").first).to_be_visible()
    expect(page.locator(".hit__title").first).to_contain_text("<script>")  # shown as text
    # Inline scripts and onerror handlers would have run before the load event; wait
    # until the page's own requests are done too, then no dialog may have opened.
    page.wait_for_load_state("networkidle")
    assert dialogs == []
    scripts = page.locator("script").evaluate_all("els => els.map(e => e.getAttribute('src'))")
    assert scripts == ["/static/kennisbrug.js"]
    assert page.locator("[onerror], img").count() == 0

    def asks_for_scr(response: Response) -> bool:
        query = parse_qs(urlsplit(response.url).query)
        return urlsplit(response.url).path == "/api/suggest" and query.get("q") == ["<scr"]

    box = page.get_by_role("combobox")
    box.fill("")  # it holds the current search, "xsstest"
    with page.expect_response(asks_for_scr) as answer:
        box.press_sequentially("<scr", delay=20)
    found = answer.value.json()
    suggestions = found["completions"] + found["documents"]
    # Auto-waiting: the list shows exactly the answer (as text) before we look for dialogs.
    expect(page.locator("#q-suggesties [role=option]")).to_have_count(len(suggestions))
    assert dialogs == []
