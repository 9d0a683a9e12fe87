"""The production form for real: the built wheel in a fresh virtualenv outside the
repository, running compose's ``web`` and ``worker`` commands with compose's environment
against the test session's PostgreSQL and Elasticsearch.

What it shows: the wheel carries what production needs (templates, migrations) and
nothing of the demo or tests; every imported package is declared (a fresh virtualenv has
nothing else); the sources file comes from the setting compose sets; the schema is
migrated by ``kennisbrug db upgrade``; a crawl queued from the shell is run by the worker,
synced, and found through the web process. Local values replace compose's only where a
service lives elsewhere here (database, Elasticsearch, addresses, folders, the alias).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.settings import REPO_ROOT
from demo.server import RunningSite, serve
from demo.sites import build_ekic
from tests.conftest import free_port
from tests.deployment import SMOKE_COMMANDS, smoke_environment
from tests.integration.crawlkit import sources_file_for

#: What the wheel is built from (the packages pyproject includes, and demo/ to prove
#: that it stays out).
SOURCE_ITEMS = ("pyproject.toml", "README.md", "core", "crawler", "indexer", "search_ui",
                "kennisbrug", "localnode", "demo")  # fmt: skip


def _run(
    args: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        args, capture_output=True, text=True, timeout=900, check=False, env=env, cwd=cwd
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "kennisbrug-source"  # a copy: building writes build/ and egg-info
    source.mkdir()
    for item in SOURCE_ITEMS:
        path = REPO_ROOT / item
        if path.is_dir():
            shutil.copytree(path, source / item, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, source / item)
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work), str(source)])
    (built,) = work.glob("kennisbrug-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel and its declared dependencies (from the index)."""
    folder = tmp_path_factory.mktemp("venv") / "venv"
    _run([sys.executable, "-m", "venv", str(folder)])
    _run([str(folder / "bin" / "pip"), "install", "-q", "--no-compile",
          "--disable-pip-version-check", f"{wheel}[postgres]"])  # fmt: skip
    return folder


def test_the_wheel_holds_the_app_and_its_migrations_but_not_the_demo(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.startswith("kennisbrug-0")}
    assert tops == {"core", "crawler", "indexer", "search_ui", "kennisbrug", "localnode"}
    assert "core/migrations/env.py" in names and "core/migrations/script.py.mako" in names
    assert any(n.startswith("core/migrations/versions/0001_") for n in names)
    assert any(n.startswith("search_ui/templates/") for n in names)


@pytest.fixture
def site() -> Iterator[RunningSite]:
    running = serve(build_ekic(), port=0, politeness=False)
    yield running
    running.close()


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"web exited with {proc.returncode}: {log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"web never answered {url}: {log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return int(proc.returncode)


def test_web_and_worker_from_the_installed_wheel_with_composes_environment(
    venv: Path,
    tmp_path: Path,
    site: RunningSite,
    es_url: str,
    index_prefix: str,
    pg_database_url: str,
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    sources = sources_file_for(config, {"ekic": site.base_url}, delay=0.0)
    port = free_port()
    env = smoke_environment(
        {
            "KENNISBRUG_ES_URL": es_url,
            "KENNISBRUG_DB_URL": pg_database_url,
            "KENNISBRUG_SECRET_KEY": secrets.token_urlsafe(48),
            "KENNISBRUG_SOURCES_FILE": str(sources),
            "KENNISBRUG_HOME": str(tmp_path / "home"),
            "KENNISBRUG_INDEX_ALIAS": f"{index_prefix}smoke",
            "KENNISBRUG_INDEX_SHARDS": "1",
            "KENNISBRUG_INDEX_REPLICAS": "0",
            "KENNISBRUG_SECURE_COOKIES": "true",
            "KENNISBRUG_WEB_HOST": "127.0.0.1",  # compose: 0.0.0.0 inside its network
            "KENNISBRUG_WEB_PORT": str(port),
        }
    )
    # Nothing of the repository: no PYTHONPATH, the venv's bin first, another folder.
    base = {k: os.environ[k] for k in ("LANG", "TZ") if k in os.environ}
    process_env = {**base, **env, "PATH": f"{venv / 'bin'}:/usr/bin:/bin"}
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return _run(["kennisbrug", *args], env=process_env, cwd=cwd)

    found = _run(["sh", "-c", "command -v kennisbrug"], env=process_env, cwd=cwd)
    assert found.stdout.strip() == str(venv / "bin" / "kennisbrug")
    no_demo = subprocess.run(["python", "-c", "import demo"], env=process_env, cwd=cwd,
                             capture_output=True, text=True, check=False)  # fmt: skip
    assert no_demo.returncode != 0 and "No module named 'demo'" in no_demo.stderr

    assert "migrated" in cli("db", "upgrade").stdout
    assert "up to date" in cli("db", "current").stdout

    logs = tmp_path / "logs"
    logs.mkdir()
    with open(logs / "worker.log", "wb") as worker_log, open(logs / "web.log", "wb") as web_log:
        worker = subprocess.Popen(SMOKE_COMMANDS["worker"], env=process_env, cwd=cwd,
                                  stdout=worker_log, stderr=subprocess.STDOUT)  # fmt: skip
        web = subprocess.Popen(SMOKE_COMMANDS["web"], env=process_env, cwd=cwd,
                               stdout=web_log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        base_url = f"http://127.0.0.1:{port}"
        # Compose's health check (/healthz) passes on a fresh install: the process can
        # serve although the index only exists once the first sync ran (checked below).
        _wait_healthy(f"{base_url}/healthz", web, logs / "web.log")
        fresh = httpx.get(f"{base_url}/healthz", timeout=30).json()
        assert (fresh["status"], fresh["index"], fresh["database"]) == (
            "no_index",
            "missing",
            {"status": "ok"},
        )
        # Queued from the shell, run by the worker process, followed until done; the
        # crawl queues a sync of its changes.
        cli("crawl", "--source", "ekic")
        cli("sync")
        health = httpx.get(f"{base_url}/healthz", timeout=30)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert health.json()["index"] == "ready"
        answer = httpx.get(f"{base_url}/api/search", params={"q": "bibliotheek"}, timeout=30)
        assert answer.status_code == 200
        data = answer.json()
        assert data["total"] > 0
        assert {p for hit in data["hits"] for p in hit["provincie"]} == {"Limburg"}
        assert worker.poll() is None, (logs / "worker.log").read_text()[-3000:]
    finally:
        web_code, worker_code = _stop(web), _stop(worker)
    assert worker_code == 0, (logs / "worker.log").read_text()[-3000:]
    # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal to exit by it.
    web_log_text = (logs / "web.log").read_text()
    assert web_code in (0, -signal.SIGTERM), web_log_text[-3000:]
    assert "Application shutdown complete" in web_log_text
