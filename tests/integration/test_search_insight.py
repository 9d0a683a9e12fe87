"""Search insight: staff searches are recorded and admins see top and zero-result queries."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from core.accounts import Accounts
from core.db import make_engine
from core.settings import Settings
from indexer.client import make_client
from indexer.lifecycle import ensure_index
from search_ui.app import create_app

pytestmark = pytest.mark.es
PASSWORD = "een-goed-wachtwoord"


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    ensure_index(make_client(settings), settings)  # an empty index: every search finds 0
    Accounts(make_engine(settings.database_url)).add_user("anne", PASSWORD, "admin")
    with TestClient(create_app(settings), follow_redirects=False) as test_client:
        yield test_client


def test_zero_result_searches_show_up_for_admins(client: TestClient) -> None:
    for _ in range(2):  # typed in the search box (its zoekvak marker)
        assert client.get("/zoeken?q=Laaggeletterdheid  Venlo&zoekvak=1").status_code == 200
    assert client.get("/zoeken?q=makerspace&zoekvak=1").status_code == 200
    # Not searches typed by a person: the API, an export, paging on, a facet click.
    assert client.get("/api/search?q=leesclub&zoekvak=1").status_code == 200
    assert client.get("/zoeken?q=leesclub&format=csv&zoekvak=1").status_code == 200
    assert client.get("/zoeken?q=leesclub&pagina=2&zoekvak=1").status_code == 200
    assert client.get("/zoeken?q=leesclub&provincie=Limburg").status_code == 200
    client.app.state.query_log.flush()  # type: ignore[attr-defined]

    page = client.get("/aanmelden")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    form = {"gebruiker": "anne", "wachtwoord": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/aanmelden", data=form).status_code == 303

    page_text = client.get("/beheer/inzicht").text
    insight = "".join(re.findall(r"<table.*?</table>", page_text, re.S))
    assert "laaggeletterdheid venlo" in insight  # normalised, counted once per search
    assert re.search(r"laaggeletterdheid venlo</td>\s*<td[^>]*>2<", insight)
    assert "makerspace" in insight
    assert "leesclub" not in insight


def test_the_search_box_marks_its_searches(client: TestClient) -> None:
    page = client.get("/").text
    assert '<input type="hidden" name="zoekvak" value="1">' in page


def test_a_plain_search_sets_no_cookie_but_a_form_does(client: TestClient) -> None:
    search = client.get("/zoeken?q=leesclub")
    assert search.status_code == 200 and "set-cookie" not in search.headers
    form = client.get("/aanmelden")
    cookie = form.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
