"""Admins edit the synonym list in /beheer; the next search uses it, with no reindex.

Real Elasticsearch (the session node) holding the demo documents, the real app in
process, sign-in and CSRF as a browser does them.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
import uvicorn
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import event

from core.accounts import Accounts
from core.db import make_engine
from core.settings import REPO_ROOT, Settings
from core.synonym_store import MAX_LIST_CHARS, latest_list, save_list
from search_ui.app import create_app
from search_ui.synonyms import STARTER_LIST
from tests.conftest import free_port
from tests.integration.search_corpus import demo_documents, index_documents
from tests.integration.test_admin_browser import CHROMIUM, CHROMIUM_ARGS

PASSWORD = "een-goed-wachtwoord"


@pytest.fixture(scope="module")
def indexed(
    tmp_path_factory: pytest.TempPathFactory, es_url: str, es_client: Elasticsearch,
    index_prefix: str,
) -> Settings:  # fmt: skip
    home = tmp_path_factory.mktemp("synonyms")
    settings = Settings.from_env(
        {}, home=home, es_url=es_url, index_alias=f"{index_prefix}synonyms",
        secret_key="k" * 40, sources_file=REPO_ROOT / "config" / "sources.toml",
    )  # fmt: skip
    assert index_documents(settings, es_client, demo_documents(hostile=False)) > 50
    accounts = Accounts(make_engine(settings.database_url))
    accounts.add_user("anne", PASSWORD, "admin")
    accounts.add_user("sam", PASSWORD, "staff")
    return settings


@pytest.fixture
def client(indexed: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(replace(indexed)), follow_redirects=False) as test_client:
        yield test_client


def _csrf(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def _sign_in(client: TestClient, user: str) -> None:
    form = {"gebruiker": user, "wachtwoord": PASSWORD, "csrf_token": _csrf(client, "/aanmelden")}
    assert client.post("/aanmelden", data=form).status_code == 303


def _total(client: TestClient, q: str) -> int:
    response = client.get("/api/search", params={"q": q, "letterlijk": "1"})
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


def _save(client: TestClient, text: str) -> int:
    form = {"synoniemen": text, "csrf_token": _csrf(client, "/beheer/synoniemen")}
    return client.post("/beheer/synoniemen", data=form).status_code


def test_an_edited_list_applies_to_the_next_search_and_is_audited(
    client: TestClient, indexed: Settings
) -> None:
    assert _total(client, "praatgroep over boeken") == 0
    _sign_in(client, "anne")
    page = client.get("/beheer/synoniemen")
    assert page.status_code == 200 and "den bosch, 's-hertogenbosch" in page.text
    assert _save(client, STARTER_LIST + "praatgroep over boeken, leesclub\n") == 303
    assert _total(client, "praatgroep over boeken") > 0  # multi-word entry, no reindex
    assert _total(client, "praatgroep over boeken -jeugd") > 0  # and in staff syntax
    engine = make_engine(indexed.database_url)
    saved = latest_list(engine)
    assert saved is not None and saved.saved_by.endswith("anne")
    entry = Accounts(engine).audit_entries(limit=5)[0]
    assert entry.action == "synonyms.save"
    assert entry.detail["groups_after"] == entry.detail["groups_before"] + 1
    # Taking the entry out again takes effect as fast.
    assert _save(client, STARTER_LIST) == 303
    assert _total(client, "praatgroep over boeken") == 0


def _without(entry: str) -> str:
    """The starter list with every line naming ``entry`` left out."""
    lines = STARTER_LIST.splitlines(keepends=True)
    return "".join(line for line in lines if entry not in line.split("#")[0])


def test_staff_syntax_follows_the_edited_list_not_the_plugin_list(client: TestClient) -> None:
    # "webstek" is in the plugin's built-in synonyms.txt (= website) and in no demo
    # document: only a synonym can make a search for it find anything.
    assert _total(client, '"webstek"') == 0
    staff = "webstek -zwembadrooster"  # "-word": staff syntax (simple_query_string)
    _sign_in(client, "anne")
    assert _save(client, _without("webstek")) == 303
    assert _total(client, staff) == 0  # deleted in /beheer: no expansion anywhere
    assert _total(client, "webstek") == 0  # nor in free text
    assert _save(client, _without("webstek") + "webstek, website\n") == 303
    assert _total(client, staff) > 0  # an entry of the list still expands in staff syntax
    assert _total(client, "webstek") > 0
    assert _save(client, STARTER_LIST) == 303


def test_a_new_app_process_starts_from_the_saved_list(indexed: Settings) -> None:
    with TestClient(create_app(replace(indexed)), follow_redirects=False) as first:
        _sign_in(first, "anne")
        assert _save(first, "zwemclub, leesclub\n") == 303
    with TestClient(create_app(replace(indexed)), follow_redirects=False) as second:
        assert _total(second, "zwemclub") > 0
        _sign_in(second, "anne")
        assert _save(second, STARTER_LIST) == 303


def test_a_search_never_reads_the_synonym_list_from_the_database(indexed: Settings) -> None:
    app = create_app(replace(indexed))
    source = app.state.synonyms
    source.refresh_seconds = 3600.0  # the background refresh stays out of this window
    read: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "synonym_lists" in statement:
            read.append(statement)

    event.listen(source.engine, "before_cursor_execute", seen)
    try:
        with TestClient(app, follow_redirects=False) as client:
            for q in ("bieb", "den bosch leesclub", "webstek -zwembadrooster", "bieb"):
                assert client.get("/api/search", params={"q": q}).status_code == 200
                assert client.get("/zoeken", params={"q": q}).status_code == 200
                assert client.get("/api/suggest", params={"q": q[:4]}).status_code == 200
    finally:
        event.remove(source.engine, "before_cursor_execute", seen)
    assert read == []


def test_the_background_refresh_brings_another_process_s_save(indexed: Settings) -> None:
    app = create_app(replace(indexed))
    source = app.state.synonyms
    source.refresh_seconds = 0.2
    with TestClient(app, follow_redirects=False) as client:
        assert _total(client, "zwembadclub") == 0
        # Another web process saves a list: no request here reads the database ...
        save_list(make_engine(indexed.database_url), "zwembadclub, leesclub\n", saved_by="x")
        deadline = time.monotonic() + 10
        while source.current().lookup(["zwembadclub"]) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        # ... the refresher thread brought it, and the next search uses it.
        assert _total(client, "zwembadclub") > 0
        save_list(make_engine(indexed.database_url), STARTER_LIST, saved_by="x")
        deadline = time.monotonic() + 10
        while source.current().lookup(["zwembadclub"]) is not None and time.monotonic() < deadline:
            time.sleep(0.05)
    assert source._thread is None  # stopped with the app


def test_only_admins_edit_and_an_oversized_list_changes_nothing(client: TestClient) -> None:
    _sign_in(client, "sam")
    assert client.get("/beheer/synoniemen").status_code == 403
    client.cookies.clear()  # signed out
    _sign_in(client, "anne")
    before = client.get("/beheer/synoniemen").text
    assert _save(client, "a, b\n" * (MAX_LIST_CHARS // 5 + 1)) == 400
    assert client.get("/beheer/synoniemen").text.count("\n") == before.count("\n")


@pytest.fixture(scope="module")
def served(indexed: Settings) -> Iterator[str]:
    """The app on a real port (uvicorn in a thread), for the browser."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(replace(indexed)), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.mark.browser
def test_an_admin_edits_the_list_in_the_browser_and_staff_find_with_it(served: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(base_url=served)
            page.goto("/zoeken?q=gespreksgroep+boeken")
            expect(page.get_by_role("heading", name="Geen resultaten")).to_be_visible()
            page.goto("/aanmelden?volgende=/beheer/synoniemen")
            page.fill("#gebruiker", "anne")
            page.fill("#wachtwoord", PASSWORD)
            page.get_by_role("button", name="Aanmelden").click()
            page.goto("/beheer/synoniemen")
            box = page.get_by_label(re.compile(r"^Synoniemenlijst"))
            box.fill(box.input_value() + "\ngespreksgroep boeken, leesclub\n")
            page.get_by_role("button", name="Opslaan").click()
            expect(page.locator(".notice")).to_contain_text("opgeslagen")
            expect(box).to_have_value(re.compile(r"gespreksgroep boeken, leesclub"))
            page.goto("/zoeken?q=gespreksgroep+boeken")
            expect(page.locator(".hit").first).to_be_visible()
            page.goto("/beheer/synoniemen")
            box = page.get_by_label(re.compile(r"^Synoniemenlijst"))
            box.fill(STARTER_LIST)
            page.get_by_role("button", name="Opslaan").click()
            expect(page.locator(".notice")).to_contain_text("opgeslagen")
        finally:
            browser.close()
