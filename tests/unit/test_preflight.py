"""Production commands refuse to start half-configured, with a one-line reason.

``kennisbrug web`` with a missing, short or published secret key, and ``web`` or
``worker`` without a sources file, exit non-zero before they open anything.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.secret_policy import MIN_SECRET_BYTES, secret_problem
from core.settings import REPO_ROOT

GOOD = "q3J9vL0x7PzR2mN8kT4wY6bC1dF5gH0jK-_aZ"


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        ("", "not set"),
        ("   ", "not set"),
        ("change-me", "published"),
        ("CHANGE_ME", "published"),
        ("changeme-" + "x" * 40, "published"),
        ("kennisbrug", "published"),
        ("Secret Key", "published"),
        ("short-but-random-Zq81", "bytes"),
        ("k" * 40, "not random"),
        ("abab" * 10, "not random"),
    ],
)
def test_unusable_secrets_are_named(secret: str, reason: str) -> None:
    problem = secret_problem(secret)
    assert problem is not None and reason in problem and "\n" not in problem


def test_a_random_secret_of_32_bytes_or_more_is_accepted() -> None:
    assert len(GOOD.encode()) >= MIN_SECRET_BYTES
    assert secret_problem(GOOD) is None
    assert secret_problem(GOOD[:MIN_SECRET_BYTES]) is None
    assert secret_problem(GOOD[: MIN_SECRET_BYTES - 1]) is not None


def _run(tmp_path: Path, command: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KENNISBRUG_")}
    clean.update(KENNISBRUG_HOME=str(tmp_path / "home"), **env)
    return subprocess.run(
        [sys.executable, "-m", "kennisbrug", command],
        cwd=tmp_path,  # not the repository: as an installed command would run
        env={**clean, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        ("change-me", "published placeholder"),
        (None, "is not set"),
        ("0123456789abcdefghijk", "needs at least 32"),
    ],
)
def test_kennisbrug_web_refuses_a_bad_secret_with_one_line(
    tmp_path: Path, secret: str | None, reason: str
) -> None:
    env = {"KENNISBRUG_SOURCES_FILE": str(REPO_ROOT / "config" / "sources.toml")}
    if secret is not None:
        env["KENNISBRUG_SECRET_KEY"] = secret
    done = _run(tmp_path, "web", **env)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and reason in lines[0] and "KENNISBRUG_SECRET_KEY" in lines[0]
    assert not (tmp_path / "home").exists()  # refused before touching any state


@pytest.mark.parametrize("command", ["web", "worker"])
def test_web_and_worker_refuse_a_missing_sources_file(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "nowhere" / "sources.toml"
    done = _run(tmp_path, command, KENNISBRUG_SECRET_KEY=GOOD, KENNISBRUG_SOURCES_FILE=str(missing))
    assert done.returncode == 1
    assert f"KENNISBRUG_SOURCES_FILE={missing} does not exist" in " ".join(done.stderr.split())
