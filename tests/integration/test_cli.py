"""The command line as a person uses it: clear one-line errors, never a stack trace."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from demo.server import serve
from demo.sites import build_ekic


def _kennisbrug(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KENNISBRUG_")}
    full_env.update(KENNISBRUG_HOME=str(tmp_path / "home"), **env)
    code = "from kennisbrug.cli import app; app()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_crawl_url_outside_every_source_is_refused_without_fetching(tmp_path: Path) -> None:
    # A real server on a port no source uses: its request log shows whether it was asked.
    with serve(build_ekic(crawl_delay=None), politeness=False) as elsewhere:
        url = f"{elsewhere.base_url}/artikel.php?id=1"
        result = _kennisbrug(tmp_path, "crawl-url", url, "--now")
        assert elsewhere.requests == []  # not the page, not even robots.txt
    assert result.returncode == 1
    assert "error:" in result.stderr and "Traceback" not in result.stderr
    assert elsewhere.base_url.split("//")[1] in result.stderr
    # Nothing was queued for an arbitrary host.
    jobs = _kennisbrug(tmp_path, "jobs", "list")
    assert jobs.returncode == 0 and "crawl_url" not in jobs.stdout


def test_unknown_setting_is_named(tmp_path: Path) -> None:
    result = _kennisbrug(tmp_path, "jobs", "list", KENNISBRUG_DB_ULR="sqlite://")
    assert result.returncode == 1
    assert "KENNISBRUG_DB_ULR" in result.stderr and "Traceback" not in result.stderr


def test_unknown_source_is_named(tmp_path: Path) -> None:
    result = _kennisbrug(tmp_path, "crawl", "--source", "brabantwiki", "--now")
    assert result.returncode == 1
    assert "brabantwiki" in result.stderr and "ekic" in result.stderr


def test_tokens_default_to_staff_may_expire_and_show_their_last_use(tmp_path: Path) -> None:
    added = _kennisbrug(tmp_path, "tokens", "add", "nachtelijk", "--expires-days", "30")
    assert added.returncode == 0, added.stderr
    assert "(staff, until " in added.stdout  # no role given: the least one
    listed = _kennisbrug(tmp_path, "tokens", "list")
    assert listed.stdout.split() == ["nachtelijk", "staff", "last", "used", "never", "expires",
                                     *listed.stdout.split()[6:]]  # fmt: skip
    assert listed.stdout.split()[6].startswith("20")  # a date, not "never"
