"""The production files follow the one pinned Elasticsearch version and the layout."""

from __future__ import annotations

import re
from pathlib import Path

from core.settings import ES_VERSION

ROOT = Path(__file__).resolve().parents[2]


def test_compose_and_images_use_the_pinned_version() -> None:
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    dockerfile = (ROOT / "es" / "Dockerfile").read_text(encoding="utf-8")
    assert set(re.findall(r"ES_VERSION: (\S+)", compose)) == {ES_VERSION}
    assert f"kennisbrug/elasticsearch:{ES_VERSION}-nl" in compose
    assert re.search(rf"^ARG ES_VERSION={re.escape(ES_VERSION)}$", dockerfile, re.M)
    assert "elasticsearch-plugin install --batch" in dockerfile


def test_web_and_worker_share_database_and_elasticsearch() -> None:
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    # Both services merge the same x-app anchor, which carries the DB and ES URLs.
    for service in ("web", "worker"):
        block = compose.split(f"\n  {service}:\n", 1)[1].split("\n\n", 1)[0]
        assert "<<: *app" in block
    anchor = compose.split("x-app: &app", 1)[1].split("\n\n", 1)[0]
    assert "KENNISBRUG_DB_URL: postgresql" in anchor and "KENNISBRUG_ES_URL" in anchor


def test_client_major_matches_the_server() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    major = ES_VERSION.split(".")[0]
    assert re.search(rf'"elasticsearch\[orjson,async\]>={major}\.\d+,<{int(major) + 1}"', pyproject)
