"""Settings: declared once, unknown ones refused, bad values named, all documented."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.settings import ES_VERSION, Settings

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_and_environment() -> None:
    s = Settings.from_env({"KENNISBRUG_ES_PORT": "9333", "KENNISBRUG_REQUIRE_LOGIN": "yes"})
    assert s.es_port == 9333 and s.require_login is True
    assert s.es_version == ES_VERSION
    assert s.database_url.startswith("sqlite:///")


def test_unknown_setting_is_refused_with_the_known_names() -> None:
    with pytest.raises(ConfigError, match=r"KENNISBRUG_ES_PROT.*KENNISBRUG_ES_PORT"):
        Settings.from_env({"KENNISBRUG_ES_PROT": "1"})


def test_bad_value_names_what_was_expected() -> None:
    with pytest.raises(ConfigError, match="expected a whole number"):
        Settings.from_env({"KENNISBRUG_ES_PORT": "negen"})
    with pytest.raises(ConfigError, match="true or false"):
        Settings.from_env({"KENNISBRUG_REQUIRE_LOGIN": "misschien"})


def test_every_setting_is_documented() -> None:
    docs = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [name for name, _default, _help in Settings.describe() if name not in docs]
    assert missing == [], "regenerate: .venv/bin/python -m core.settings > docs/configuration.md"


_PRODUCTION = ("core", "crawler", "indexer", "search_ui", "kennisbrug", "localnode")


def _reads(name: str) -> list[str]:
    """Files of the production packages that read ``settings.<name>`` (or ``self.<name>``)."""
    pattern = re.compile(rf"\.{name}\b")
    return [
        str(path.relative_to(ROOT))
        for package in _PRODUCTION
        for path in sorted((ROOT / package).rglob("*.py"))
        if pattern.search(path.read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(Settings)])
def test_every_documented_setting_is_read_by_the_code(name: str) -> None:
    # A setting that nothing reads is a promise the docs make and the code breaks.
    assert _reads(name), f"KENNISBRUG_{name.upper()} is declared and documented but never read"
