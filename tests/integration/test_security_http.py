"""Issue #13's findings re-run over HTTP, each shown fixed (the browser half is in
test_security_browser.py).

The app runs in-process (Starlette's TestClient, which can pretend to be any client
address); Elasticsearch is deliberately unreachable except where a test needs hits,
since these answers sit in front of search.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from core.accounts import MAX_FAILURES_PER_ADDRESS, Accounts
from core.db import make_engine
from core.jobs import JobQueue
from core.models import Document
from core.settings import REPO_ROOT, Settings
from search_ui.app import create_app
from tests.integration.search_corpus import index_documents

PASSWORD = "een-goed-wachtwoord"
PROXY = "10.1.1.1"
EVIL_HOST = "evil.example"


def make_settings(home: Path, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "home": home, "secret_key": "k" * 40,
        "sources_file": REPO_ROOT / "config" / "sources.toml",
    }  # fmt: skip
    values.update(extra)
    return Settings.from_env({}, **values)


def make_client(settings: Settings, *, address: str = "203.0.113.7", **kw: Any) -> TestClient:
    app = create_app(settings, es=kw.pop("es", None) or Elasticsearch("http://127.0.0.1:9"))
    return TestClient(app, follow_redirects=False, client=(address, 40000), **kw)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path, trusted_proxies=PROXY, public_base_url="https://zoek.example.org"
    )


@pytest.fixture
def accounts(settings: Settings) -> Accounts:
    accounts = Accounts(make_engine(settings.database_url))
    accounts.add_user("anne", PASSWORD, "admin")
    accounts.add_user("sam", PASSWORD, "staff")
    return accounts


@pytest.fixture
def client(settings: Settings, accounts: Accounts) -> Iterator[TestClient]:
    with make_client(settings) as test_client:
        yield test_client


def csrf_of(client: TestClient, path: str = "/aanmelden") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def sign_in(
    client: TestClient, user: str, password: str = PASSWORD, headers: dict[str, str] | None = None
) -> int:
    form = {"gebruiker": user, "wachtwoord": password, "csrf_token": csrf_of(client)}
    return client.post("/aanmelden", data=form, headers=headers or {}).status_code


# -- sessions ---------------------------------------------------------------------------
def test_a_replayed_cookie_after_sign_out_is_signed_out(client: TestClient) -> None:
    assert sign_in(client, "anne") == 303
    saved = client.cookies.get("kb_session")
    assert saved and client.get("/beheer").status_code == 200
    token = csrf_of(client, "/beheer")
    assert client.post("/afmelden", data={"csrf_token": token}).status_code == 303
    client.cookies.clear()
    client.cookies.set("kb_session", saved)  # the attacker's copy of the old cookie
    replay = client.get("/beheer")
    assert replay.status_code == 303 and replay.headers["location"].startswith("/aanmelden")


def test_a_cookie_the_app_cannot_read_is_replaced_so_signing_in_works(
    client: TestClient,
) -> None:
    """A cookie signed with another key (a new secret after a redeploy, or expired) used
    to get a fresh CSRF token in the form but no new cookie: every sign-in then failed."""
    client.cookies.set("kb_session", "eyJjIjoib3VkIn0.aaaa.bbbb")
    form = client.get("/aanmelden")
    assert "kb_session" in form.headers.get("set-cookie", "")
    assert sign_in(client, "anne") == 303
    assert client.get("/beheer").status_code == 200


@pytest.mark.parametrize("token", ["é", "\u20ac" * 43, ""])
def test_an_odd_csrf_token_is_refused_not_an_error(client: TestClient, token: str) -> None:
    csrf_of(client)  # a session with a real token
    form = {"gebruiker": "anne", "wachtwoord": PASSWORD, "csrf_token": token}
    assert client.post("/aanmelden", data=form).status_code in (400, 403)


def test_sign_out_everywhere_ends_the_other_devices(settings: Settings, accounts: Accounts) -> None:
    with make_client(settings) as laptop, make_client(settings) as phone:
        assert sign_in(laptop, "anne") == 303 and sign_in(phone, "anne") == 303
        assert phone.get("/beheer").status_code == 200
        token = csrf_of(laptop, "/beheer")
        laptop.post("/afmelden", data={"csrf_token": token, "overal": "1"})
        assert phone.get("/beheer").status_code == 303
        assert laptop.get("/beheer").status_code == 303


# -- throttling -------------------------------------------------------------------------
def test_spoofed_forwarded_for_from_an_untrusted_peer_is_still_throttled(
    settings: Settings, accounts: Accounts
) -> None:
    with make_client(settings, address="198.51.100.66") as attacker:
        answers = [
            sign_in(attacker, "anne", f"gok-{n}", headers={"X-Forwarded-For": f"192.0.2.{n}"})
            for n in range(8)
        ]
        assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}
        # Even the right password from the attacker's address waits now ...
        assert sign_in(attacker, "anne", headers={"X-Forwarded-For": "192.0.2.200"}) == 429
    with make_client(settings, address="198.51.100.10") as real_user:
        assert sign_in(real_user, "anne") == 303  # ... the real user is not locked out
        assert real_user.get("/beheer").status_code == 200


def test_forwarded_for_is_believed_from_a_trusted_proxy_only(
    settings: Settings, accounts: Accounts
) -> None:
    with make_client(settings, address=PROXY) as proxy:
        for n in range(MAX_FAILURES_PER_ADDRESS):
            sign_in(proxy, f"wie{n}", "gok", headers={"X-Forwarded-For": "192.0.2.9"})
        assert sign_in(proxy, "anne", headers={"X-Forwarded-For": "192.0.2.9"}) == 429
        # Another visitor behind the same proxy is another address: not refused.
        assert sign_in(proxy, "anne", headers={"X-Forwarded-For": "192.0.2.10"}) == 303
    audit = accounts.audit_entries(limit=5)
    assert audit[0].action == "sign_in" and audit[0].ip == "192.0.2.10"


def test_unknown_user_and_wrong_password_take_the_same_time(
    settings: Settings, accounts: Accounts
) -> None:
    """Median of 20 each, interleaved so machine load falls on both alike; every try comes
    from its own address (behind the trusted proxy) so no backoff changes the path.

    Measured as the process's CPU time (all its threads, the app's included): that is
    the work each answer costs, which a crowded 2-core machine cannot blur the way it
    blurs wall-clock time. A missing dummy-hash check would differ by a whole argon2
    hash (tens of milliseconds of CPU)."""
    unknown: list[float] = []
    wrong: list[float] = []
    with make_client(settings, address=PROXY) as proxy:
        token = csrf_of(proxy)
        for n in range(20):
            for user, times in (("niemand-hier", unknown), ("anne", wrong)):
                form = {"gebruiker": user, "wachtwoord": f"fout-{n}", "csrf_token": token}
                ip = f"192.0.2.{n + (100 if times is wrong else 0)}"
                start = time.process_time()
                answer = proxy.post("/aanmelden", data=form, headers={"X-Forwarded-For": ip})
                times.append(time.process_time() - start)
                assert answer.status_code == 401
    difference = abs(statistics.median(unknown) - statistics.median(wrong))
    assert difference < 0.010, (statistics.median(unknown), statistics.median(wrong))
    # Both really checked a hash (argon2 costs tens of milliseconds): no shortcut.
    assert statistics.median(unknown) > 0.015


# -- headers ----------------------------------------------------------------------------
PUBLIC_PAGES = ["/", "/help", "/aanmelden", "/opensearch.xml", "/api/docs", "/api/openapi.json",
                "/static/kennisbrug.css", "/bestaat-niet", "/zoeken?q=x", "/api/search?q=x",
                "/healthz"]  # fmt: skip
ADMIN_PAGES = ["/beheer", "/beheer/taken", "/beheer/inzicht", "/beheer/taken.json",
               "/beheer/taken/999", "/beheer/static/beheer.css", "/beheer/synoniemen"]  # fmt: skip


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    assert sign_in(client, "anne") == 303
    for path in PUBLIC_PAGES + ADMIN_PAGES:
        headers = client.get(path).headers
        csp = headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp
        assert headers["x-frame-options"] == "DENY", path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "same-origin", path
        assert "camera=()" in headers["permissions-policy"], path
        private = path.startswith("/beheer") or path == "/aanmelden"
        assert ("no-store" in headers.get("cache-control", "")) == private, path
        assert "strict-transport-security" not in headers  # no TLS configured


def test_hsts_when_cookies_are_secure(tmp_path: Path) -> None:
    with make_client(make_settings(tmp_path, secure_cookies=True)) as secure:
        assert "max-age=" in secure.get("/help").headers["strict-transport-security"]


def test_api_docs_come_from_local_assets_not_a_cdn(client: TestClient) -> None:
    page = client.get("/api/docs").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources
    for asset in sources:
        assert client.get(asset).status_code == 200, asset
    assert "<script>" not in page  # no inline script: the CSP allows none


def test_head_works_on_get_routes(client: TestClient) -> None:
    for path in ("/", "/help", "/opensearch.xml", "/static/kennisbrug.js", "/aanmelden"):
        get, head = client.get(path), client.head(path)
        assert head.status_code == 200 == get.status_code, path
        assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]


# -- hosts and URLs ---------------------------------------------------------------------
def test_the_host_header_is_not_reflected(client: TestClient) -> None:
    evil = {"Host": EVIL_HOST}
    for path in ("/", "/help?lang=en", "/opensearch.xml", "/bestaat-niet", "/zoeken?q=x&format=atom",
                 "/beheer", "/beheer/"):  # fmt: skip
        answer = client.get(path, headers=evil)
        assert EVIL_HOST not in answer.text, path
        assert EVIL_HOST not in answer.headers.get("location", ""), path
    description = client.get("/opensearch.xml", headers=evil).text
    assert 'template="https://zoek.example.org/zoeken?q={searchTerms}"' in description


def test_trusted_hosts_refuse_other_host_names(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, trusted_hosts="zoek.example.org, testserver")
    with make_client(settings) as strict:
        assert strict.get("/help").status_code == 200
        refused = strict.get("/help", headers={"Host": EVIL_HOST})
        assert refused.status_code == 400 and EVIL_HOST not in refused.text
        assert strict.get("/help", headers={"Host": "zoek.example.org:443"}).status_code == 200


def test_problem_text_from_the_url_never_reaches_the_admin_alert(client: TestClient) -> None:
    assert sign_in(client, "anne") == 303
    page = client.get("/beheer", params={"problem": "Bel 0900-OPLICHTER voor hulp"})
    assert page.status_code == 200 and 'role="alert"' not in page.text


@pytest.fixture(scope="module")
def indexed(
    es_url: str,
    es_client: Elasticsearch,
    index_prefix: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Settings:
    home = tmp_path_factory.mktemp("security-index")
    settings = make_settings(
        home, es_url=es_url, index_alias=f"{index_prefix}security",
        public_base_url="https://zoek.example.org",
    )  # fmt: skip
    docs = [
        Document(url="javascript:alert(document.cookie)", source="ekic", provincie=("Limburg",),
                 type="artikel", title="Valstrik leesclub", body="leesclub valstrik"),
        Document(url="https://ekic.example/leesclub", source="ekic", provincie=("Limburg",),
                 type="artikel", title="=HYPERLINK(\"http://x\") leesclub", body="leesclub"),
    ]  # fmt: skip
    assert index_documents(settings, es_client, docs) == 2
    return settings


def test_result_links_are_only_http_and_csv_cells_cannot_start_formulas(
    indexed: Settings, es_client: Elasticsearch
) -> None:
    with make_client(indexed, es=es_client) as searcher:
        page = searcher.get("/zoeken", params={"q": "leesclub"}).text
        assert "Valstrik" in page and "javascript:" not in page
        assert 'href="https://ekic.example/leesclub"' in page
        api = searcher.get("/api/search", params={"q": "leesclub"}).json()
        assert {h["url"] for h in api["hits"]} == {"", "https://ekic.example/leesclub"}
        atom = searcher.get("/zoeken", params={"q": "leesclub", "format": "atom"},
                            headers={"Host": EVIL_HOST}).text  # fmt: skip
        assert "javascript:" not in atom and EVIL_HOST not in atom
        assert 'href="https://zoek.example.org/zoeken?q=leesclub' in atom
        csv = searcher.get("/zoeken", params={"q": "leesclub", "format": "csv"}).text
        assert "'=HYPERLINK" in csv and ";=HYPERLINK" not in csv


# -- the admin API: malformed input is a 4xx --------------------------------------------
@pytest.fixture
def admin_token(accounts: Accounts) -> dict[str, str]:
    return {"Authorization": f"Bearer {accounts.add_token('fuzz', 'admin', created_by='test')}"}


MALFORMED: list[tuple[str, Any]] = [
    ("json", {"kind": "crawl_url", "url": "http://127.0.0.1:8101/x"}),  # no source
    ("json", []),
    ("json", "x"),
    ("json", None),
    ("json", {"kind": "crawl", "source": ["ekic"]}),
    ("json", {"kind": "crawl", "source": {"a": 1}}),
    ("json", {"kind": ["sync"]}),
    ("json", {"kind": "crawl_url", "source": "ekic", "url": 12}),
    ("json", {"kind": "crawl", "source": "ekic", "full": "ja"}),
    ("json", {"kind": "sync", "source": "x" * 10_000}),
    ("content", b"{not json"),
    ("content", b"\xff\xfe\x00"),
]


def test_malformed_admin_api_input_is_a_clear_4xx(
    client: TestClient, admin_token: dict[str, str], settings: Settings
) -> None:
    for how, body in MALFORMED:
        answer = client.post("/api/beheer/taken", headers=admin_token, **{how: body})
        assert 400 <= answer.status_code < 500, (body, answer.status_code, answer.text)
        assert answer.json()["error"]["message"]
    for job_id in ("1" * 20, "-1", "0", "abc", "1e3", "٣"):
        assert client.get(f"/api/beheer/taken/{job_id}", headers=admin_token).status_code == 404
    assert JobQueue(make_engine(settings.database_url)).find() == []


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
JOB_BODIES = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(["crawl", "crawl_url", "sync", "reindex", "x"]) | JSON_VALUES,
        "source": st.sampled_from(["ekic", "bnbibliotheek", "geen"]) | JSON_VALUES,
        "url": st.sampled_from(["http://127.0.0.1:8101/a", "javascript:x"]) | JSON_VALUES,
        "full": JSON_VALUES,
    },
)


def test_fuzzing_the_admin_api_and_pages_gives_no_5xx(
    client: TestClient, admin_token: dict[str, str]
) -> None:
    seen: list[int] = []

    @hsettings(max_examples=100, deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(
        body=st.sampled_from([{"kind": "sync"}, {"kind": "crawl", "source": "ekic"}])
        | JOB_BODIES
        | JSON_VALUES,
        job_id=st.text(min_size=1, max_size=25).map(lambda t: quote(t, safe="")),
        form=st.dictionaries(
            st.sampled_from(["url", "volledig", "csrf_token", "x"]),
            st.text(max_size=40),
            max_size=3,
        ),
        source=st.sampled_from(["ekic", "onbekend", "%00", "..", "e" * 300]),
    )
    def probe(body: Any, job_id: str, form: dict[str, str], source: str) -> None:
        answers = [
            client.post("/api/beheer/taken", headers=admin_token, json=body),
            client.get(f"/api/beheer/taken/{job_id}", headers=admin_token),
            client.get(f"/beheer/taken/{job_id}", headers=admin_token),
            client.post(f"/beheer/taken/{job_id}/annuleren", headers=admin_token, data=form),
            client.post(f"/beheer/bronnen/{source}/url", headers=admin_token, data=form),
            client.get(f"/beheer?taak={job_id}", headers=admin_token),
            client.get(f"/beheer/inzicht?dagen={job_id}", headers=admin_token),
        ]
        for answer in answers:
            seen.append(answer.status_code)
            assert answer.status_code < 500, (answer.request.url, answer.text[:300])

    probe()
    assert len(seen) >= 100 * 7 and any(code == 202 for code in seen)


def test_anonymous_searches_have_a_per_address_limit(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, search_rate_per_minute=3)
    Accounts(make_engine(settings.database_url)).add_user("lees", PASSWORD, "staff")
    with make_client(settings) as anonymous, make_client(settings, address="192.0.2.5") as other:
        # Elasticsearch is unreachable (503): the limit is checked before searching.
        assert [anonymous.get("/api/search?q=x").status_code for _ in range(3)] == [503] * 3
        limited = anonymous.get("/zoeken?q=x")
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert other.get("/api/search?q=x").status_code == 503  # another address: its own
        assert sign_in(anonymous, "lees") == 303
        assert anonymous.get("/api/search?q=x").status_code == 503  # signed in: not limited


def test_an_unexpected_error_page_carries_the_headers_too(settings: Settings) -> None:
    app = create_app(settings, es=Elasticsearch("http://127.0.0.1:9"))

    @app.get("/kapot")
    def broken() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as broken_client:
        answer = broken_client.get("/kapot")
        assert answer.status_code == 500 and "boom" not in answer.text
        assert answer.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
