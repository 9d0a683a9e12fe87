"""A crawl killed with SIGKILL halfway loses nothing stored; the re-run completes without duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from core.db import documents
from core.runs import CrawlRuns
from demo import build_ekic, serve
from tests.integration.crawlkit import crawl, profile_for, sources_file_for, store_at


def _wait_for_documents(store_path: Path, proc: subprocess.Popen[bytes], minimum: int) -> int:
    store = store_at(store_path)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if store_path.exists():
            count = store.count_live("ekic")
            if count >= minimum:
                return count
        time.sleep(0.05)
    raise AssertionError(
        f"crawl subprocess stored fewer than {minimum} documents (rc={proc.poll()})"
    )


def test_sigkill_then_rerun(tmp_path: Path) -> None:
    site = build_ekic(pages=300, crawl_delay=None)
    with serve(site, politeness=False) as running:
        db = tmp_path / "kb.db"
        env = dict(os.environ)
        env.update(
            KENNISBRUG_DB_URL=f"sqlite:///{db}",
            KENNISBRUG_HOME=str(tmp_path / "home"),
            KENNISBRUG_SOURCES_FILE=str(
                sources_file_for(tmp_path, {"ekic": running.base_url}, 0.02)
            ),
        )
        code = "from kennisbrug.cli import app; app()"
        proc = subprocess.Popen(
            [sys.executable, "-c", code, "crawl", "--source", "ekic", "--now"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            _wait_for_documents(db, proc, 40)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
        store = store_at(db)
        before = {d.id: d.content_hash for d in store.iter_live("ekic")}
        assert 40 <= len(before) < len(site.page_urls())
        report = crawl(profile_for(running, "ekic"), store)
        expected = len(site.page_urls()) + len(site.attachment_urls())
    after = {d.id: d.content_hash for d in store.iter_live("ekic")}
    assert set(before) <= set(after)
    assert all(after[k] == v for k, v in before.items())
    assert len(after) == expected and report.failed == 0
    with store.engine.connect() as conn:
        rows = conn.execute(select(func.count(), func.count(documents.c.url.distinct()))).one()
    assert rows[0] == rows[1] == expected  # no duplicate rows for one URL
    statuses = [r.status for r in CrawlRuns(store.engine).recent("ekic")]
    assert statuses == ["done", "interrupted"]
