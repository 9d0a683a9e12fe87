"""Sign-in rules over HTTP with the in-process client: require_login, API tokens, throttling.

Elasticsearch is deliberately unreachable here: these are the auth answers in front
of search, so a search that gets through answers 503, one that does not is sent away.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient

from core.accounts import MAX_FAILURES, Accounts
from core.db import make_engine
from core.jobs import Job, JobQueue, JobState, WorkerIdentity
from core.settings import REPO_ROOT, Settings
from search_ui.app import create_app

PASSWORD = "een-goed-wachtwoord"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env(
        {}, home=tmp_path, require_login=True, secret_key="k" * 40,
        sources_file=REPO_ROOT / "config" / "sources.toml",
    )  # fmt: skip


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    accounts = Accounts(make_engine(settings.database_url))
    accounts.add_user("anne", PASSWORD, "admin")
    accounts.add_user("sam", PASSWORD, "staff")
    app = create_app(settings, es=Elasticsearch("http://127.0.0.1:9", max_retries=0))
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _sign_in(client: TestClient, user: str, password: str = PASSWORD) -> int:
    page = client.get("/aanmelden")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    form = {"gebruiker": user, "wachtwoord": password, "csrf_token": found.group(1)}
    return client.post("/aanmelden", data=form).status_code


def test_require_login_sends_anonymous_searches_to_sign_in(client: TestClient) -> None:
    page = client.get("/zoeken?q=leesclub")
    assert page.status_code == 303 and page.headers["location"].startswith("/aanmelden")
    assert client.get("/zoeken?q=leesclub&format=json").status_code == 401
    assert client.get("/aanmelden").status_code == 200  # the way in stays open
    assert _sign_in(client, "sam") == 303
    assert client.get("/zoeken?q=leesclub").status_code == 503  # through auth, ES is down
    assert client.get("/beheer").status_code == 403


def test_api_tokens_enqueue_without_csrf_and_respect_roles(
    client: TestClient, settings: Settings
) -> None:
    accounts = Accounts(make_engine(settings.database_url))
    admin = {"Authorization": f"Bearer {accounts.add_token('nachtelijk', 'admin', created_by='t')}"}
    staff = {"Authorization": f"Bearer {accounts.add_token('lezer', 'staff', created_by='t')}"}
    answer = client.post(
        "/api/beheer/taken", json={"kind": "crawl", "source": "ekic"}, headers=admin
    )
    assert answer.status_code == 202 and answer.json()["enqueued_by"] == "api-token:nachtelijk"
    refused = client.post(
        "/api/beheer/taken",
        json={"kind": "crawl_url", "source": "ekic", "url": "http://example.org/x"},
        headers=admin,
    )
    assert refused.status_code == 400
    assert client.post("/api/beheer/taken", json={"kind": "sync"}, headers=staff).status_code == 403
    assert client.post("/api/beheer/taken", json={"kind": "sync"}).status_code == 401
    queue = JobQueue(make_engine(settings.database_url))
    assert [j.kind for j in queue.find()] == ["crawl"]
    assert client.get(f"/api/beheer/taken/{answer.json()['id']}", headers=admin).status_code == 200


def test_failed_sign_ins_are_throttled(client: TestClient) -> None:
    for _ in range(MAX_FAILURES):
        assert _sign_in(client, "anne", "verkeerd-wachtwoord") == 401
    assert _sign_in(client, "anne") == 429  # even the right password, for a while


def test_a_failed_jobs_traceback_is_on_its_admin_page(
    client: TestClient, settings: Settings
) -> None:
    queue = JobQueue(make_engine(settings.database_url))
    job = queue.enqueue("sync", enqueued_by="cli")
    queue.claim_next(WorkerIdentity(id="w1", host="h", pid=1))
    trace = 'Traceback (most recent call last):\n  File "x.py", line 1, in <script>\nKeyError: 1'
    queue.finish(job.id, JobState.FAILED, error="KeyError: 1", error_traceback=trace)
    assert _sign_in(client, "anne") == 303
    page = client.get(f"/beheer/taken/{job.id}")
    assert page.status_code == 200
    assert "Traceback (most recent call last):" in page.text
    assert "in &lt;script&gt;" in page.text and "<script>\nKeyError" not in page.text
    assert _sign_in(client, "sam") == 303
    assert client.get(f"/beheer/taken/{job.id}").status_code == 403  # admins only


def test_a_one_url_recrawl_that_gets_404_says_so_and_keeps_the_document(
    client: TestClient, settings: Settings
) -> None:
    """The job page of "URL opnieuw ophalen" tells the admin what a 404 means: nothing yet."""
    from kennisbrug.job_handlers import Runtime, make_handlers
    from kennisbrug.worker import Worker
    from tests.faultsite import FaultSite, Scenario, fault_profile, page, status

    routes = {"/": page("Start", links=["/a"]), "/a": page("Artikel A")}
    with FaultSite(Scenario(routes=routes)) as site:
        profile = fault_profile(site)
        runtime = Runtime(settings=settings, profiles_loader=lambda _s: {profile.name: profile})
        worker = Worker(queue=runtime.queue, handlers=make_handlers(runtime))

        def run(kind: str, **params: str) -> Job:
            job = runtime.queue.enqueue(
                kind, source=profile.name, params=params, enqueued_by="admin:anne"
            )
            return worker.run_one(runtime.queue.claim(job.id, worker.identity))

        assert run("crawl").state == JobState.DONE
        site.scenario = Scenario(routes={"/": routes["/"], "/a": status(404)})
        recrawl = run("crawl_url", url=site.url("/a"))
    assert recrawl.state == JobState.DONE, recrawl.error
    assert runtime.store.count_live(profile.name) == 2  # still there
    assert _sign_in(client, "anne") == 303
    shown = re.search(
        r'data-field="one-url">([^<]*)<', client.get(f"/beheer/taken/{recrawl.id}").text
    )
    assert shown is not None
    assert "De pagina gaf 404" in shown.group(1) and "blijft staan" in shown.group(1)


def test_network_failures_on_the_job_page_follow_the_language(
    client: TestClient, settings: Settings
) -> None:
    """A URL that failed on the network is listed with its reason in the admin's language,
    not with urllib3's English exception text (which the CLI and the logs keep)."""
    from core.errors import TransientFetchError
    from crawler.fetch import Fetcher
    from crawler.report import CrawlReport

    url = "http://127.0.0.1:9/pagina"  # nothing listens on the discard port
    with (
        Fetcher(user_agent="KennisbrugTest/0.1", respect_robots=False) as fetcher,
        pytest.raises(TransientFetchError) as failed,
    ):
        fetcher.fetch(url)
    report = CrawlReport(source="ekic")
    report.fail(url, failed.value.status, str(failed.value), code=failed.value.code)
    queue = JobQueue(make_engine(settings.database_url))
    job = queue.enqueue("crawl", source="ekic", enqueued_by="cli")
    queue.claim_next(WorkerIdentity(id="w1", host="h", pid=1))
    queue.finish(job.id, JobState.DONE, report=report.to_json())
    assert _sign_in(client, "anne") == 303

    def failures(lang: str) -> str:
        page = client.get(f"/beheer/taken/{job.id}?lang={lang}").text
        return page.partition('<table class="failures wrap">')[2].partition("</table>")[0]

    dutch, english = failures("nl"), failures("en")
    assert url in dutch and "verbinding geweigerd" in dutch and "Error" not in dutch
    assert "connection refused" in english
    assert "NewConnectionError" in str(failed.value)  # the CLI's detail is unchanged


def test_profile_problems_on_the_job_page_follow_the_language(
    client: TestClient, settings: Settings
) -> None:
    """The crawler stores profile problems as codes; the job page says them in Dutch or English."""
    from core import reasons
    from crawler.extract import EMPTY_EXTRACTION
    from crawler.report import CrawlReport

    report = CrawlReport(source="ekic")
    page_url = "http://kennis.example/leeg"
    report.warn(reasons.reason("page_problem", url=page_url, problem=EMPTY_EXTRACTION))
    report.warn(reasons.reason("not_document_page", url=page_url, source="ekic"))
    queue = JobQueue(make_engine(settings.database_url))
    job = queue.enqueue("crawl", source="ekic", enqueued_by="cli")
    queue.claim_next(WorkerIdentity(id="w1", host="h", pid=1))
    queue.finish(job.id, JobState.DONE, report=report.to_json())
    assert _sign_in(client, "anne") == 303

    def problems(lang: str) -> list[str]:
        page = client.get(f"/beheer/taken/{job.id}?lang={lang}").text
        section = page.partition('<ul class="profile-problems">')[2].partition("</ul>")[0]
        return re.findall(r"<li>([^<]*)</li>", section)

    dutch = " ".join(problems("nl"))
    assert f"{page_url}: lege extractie" in dutch and "geen documentpagina van ekic" in dutch
    english = " ".join(problems("en"))
    assert f"{page_url}: empty extraction" in english and "is not a document page" in english
    # The CLI keeps its English sentences.
    assert (
        report.profile_warnings[1] == f"{page_url} is not a document page of ekic (scope.documents)"
    )
