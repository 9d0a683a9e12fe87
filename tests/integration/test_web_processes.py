"""Two real ``kennisbrug web`` processes on one PostgreSQL, as behind a load balancer.

A browser may reach either process with any request: signed in on one, it is signed in
on the other; the CSRF token of its session is accepted by both; failed sign-ins are
counted across both (throttling lives in the database); signing out on one ends the
session on both; anonymous searches from one address are limited at the configured
rate over both processes together, on SQLite and PostgreSQL. Cookies are shared between the two ports as between two servers
behind one proxy (a cookie is not bound to a port).
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from core.accounts import MAX_FAILURES, Accounts
from core.db import make_engine
from core.jobs import JobQueue
from core.settings import REPO_ROOT
from tests.conftest import free_port

PASSWORD = "een-goed-wachtwoord"


@pytest.fixture
def two_webs(tmp_path: Path, pg_url: str) -> Iterator[tuple[str, str]]:
    accounts = Accounts(
        make_engine(pg_url), hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    accounts.add_user("anne", PASSWORD, "admin")
    accounts.add_user("sam", PASSWORD, "staff")
    with _webs(tmp_path, pg_url) as urls:
        yield urls


@contextmanager
def _webs(tmp_path: Path, db_url: str, **settings: str) -> Iterator[tuple[str, str]]:
    """Two ``kennisbrug web`` processes on ``db_url`` (stopped on exit)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KENNISBRUG_")}
    env.update(
        KENNISBRUG_DB_URL=db_url,
        # What is shared lives in the database; no search reaches Elasticsearch here.
        KENNISBRUG_ES_URL="http://127.0.0.1:9",
        KENNISBRUG_SECRET_KEY=secrets.token_urlsafe(48),  # one secret for both, as compose
        KENNISBRUG_SOURCES_FILE=str(REPO_ROOT / "config" / "sources.toml"),
        KENNISBRUG_HOME=str(tmp_path / "home"),
        KENNISBRUG_SECURE_COOKIES="false",  # plain HTTP here; compose runs behind TLS
        **settings,
    )
    procs: list[subprocess.Popen[bytes]] = []
    urls = []
    for n in (1, 2):
        port = free_port()
        with open(tmp_path / f"web-{n}.log", "wb") as log:
            command = [sys.executable, "-m", "kennisbrug", "web", "--port", str(port)]
            proc = subprocess.Popen(
                command, env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT
            )
            procs.append(proc)
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, proc in zip(urls, procs, strict=True):
            _wait_up(url, proc, tmp_path)
        yield urls[0], urls[1]
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_up(url: str, proc: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            logs = "\n".join(p.read_text() for p in folder.glob("web-*.log"))
            raise AssertionError(f"web exited with {proc.returncode}:\n{logs[-3000:]}")
        try:
            httpx.get(f"{url}/aanmelden", timeout=5)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise AssertionError(f"{url} never answered")


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, page.text[:500]
    return found.group(1)


def _sign_in(client: httpx.Client, base: str, user: str, password: str) -> httpx.Response:
    token = _csrf(client.get(f"{base}/aanmelden"))
    form = {"gebruiker": user, "wachtwoord": password, "csrf_token": token}
    return client.post(f"{base}/aanmelden", data=form)


def test_signed_in_on_one_process_acting_on_the_other(
    two_webs: tuple[str, str], pg_url: str
) -> None:
    one, two = two_webs
    with httpx.Client(follow_redirects=False, timeout=30) as browser:
        assert browser.get(f"{two}/beheer").status_code == 303  # not signed in yet
        assert _sign_in(browser, one, "anne", PASSWORD).status_code == 303
        dashboard = browser.get(f"{two}/beheer")
        assert dashboard.status_code == 200
        token = _csrf(dashboard)
        # The form of process two, posted to process one, and the other way round.
        missing = browser.post(f"{one}/beheer/bronnen/ekic/crawl", data={})
        assert missing.status_code == 403
        crawl = browser.post(f"{one}/beheer/bronnen/ekic/crawl", data={"csrf_token": token})
        assert crawl.status_code == 303
        reindex = browser.post(
            f"{two}/beheer/herindexeren", data={"csrf_token": token, "bevestigd": "1"}
        )
        assert reindex.status_code == 303
        jobs = JobQueue(make_engine(pg_url)).find()
        assert {(j.kind, j.enqueued_by) for j in jobs} == {
            ("crawl", "admin:anne"),
            ("reindex", "admin:anne"),
        }
        # Signing out on one ends the session on the other.
        out = browser.post(f"{two}/afmelden", data={"csrf_token": token})
        assert out.status_code == 303
        assert browser.get(f"{one}/beheer").status_code == 303


def test_failed_sign_ins_are_counted_across_processes(two_webs: tuple[str, str]) -> None:
    one, two = two_webs
    with httpx.Client(follow_redirects=False, timeout=30) as attacker:
        for attempt in range(MAX_FAILURES):
            base = (one, two)[attempt % 2]
            assert _sign_in(attacker, base, "sam", "fout-wachtwoord").status_code == 401
        # Throttled on both, even with the right password from this address.
        assert _sign_in(attacker, one, "sam", PASSWORD).status_code == 429
        assert _sign_in(attacker, two, "sam", PASSWORD).status_code == 429


#: The anonymous search limit of the shared-limit test, and its pace: one search every
#: PACE seconds, alternating between the processes, 2 x RATE in all (a few seconds).
RATE = 10
PACE = 0.3
#: How far over RATE the shared limit may let this client get. The shared view lags by
#: one flush (1 s): at this pace the other process admits about 2 searches meanwhile;
#: half the limit leaves room for a slow machine. Each process limiting alone (each
#: sees RATE searches, its bucket holds RATE) would admit all 2 x RATE.
OVERSHOOT = RATE // 2


def test_anonymous_searches_are_limited_across_processes(tmp_path: Path, db_url: str) -> None:
    rate = {"KENNISBRUG_SEARCH_RATE_PER_MINUTE": str(RATE)}
    with _webs(tmp_path, db_url, **rate) as (one, two), httpx.Client(timeout=30) as client:
        codes = []
        started = time.monotonic()
        for n in range(2 * RATE):
            answer = client.get(f"{(one, two)[n % 2]}/api/search", params={"q": "x"})
            codes.append(answer.status_code)
            time.sleep(PACE)
        # Counts older than 50-60 s stop counting: the run must stay well inside that.
        assert time.monotonic() - started < 45, "too slow to judge a per-minute limit"
        # Elasticsearch is unreachable: an admitted search answers 503, a refused one 429.
        assert set(codes) <= {503, 429}, codes
        admitted = codes.count(503)
        assert RATE <= admitted <= RATE + OVERSHOOT, codes
        # Refused on both processes from the first refusal on (the total stays over).
        first_refusal = codes.index(429)
        assert set(codes[first_refusal:]) == {429}, codes
        assert codes[-2:] == [429, 429], codes
        refused = client.get(f"{one}/api/search", params={"q": "x"})
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    # The counts are in the shared table: every admitted search, once.
    with make_engine(db_url).connect() as conn:
        counted = conn.execute(text("SELECT SUM(searches) FROM search_rate_counts")).scalar()
    assert counted == admitted
