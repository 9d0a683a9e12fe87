"""The architecture rules cover every package (docs/architecture.md, "Rules").

The rules themselves are import-linter contracts in pyproject.toml, checked by
``lint-imports`` in ``make lint`` and ``make test``. import-linter only judges
the packages it is told about, so this test fails when a top-level Python
package exists that is not a root package or that no contract names.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
#: Top-level folders with Python files that are not packages: run as files, imported by nobody.
NOT_PACKAGES = {"scripts": "developer tools run as `python scripts/<name>.py`"}
_SKIP = {".venv", "build", "node_modules", "test-artifacts"}


def _config() -> dict[str, Any]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    config: dict[str, Any] = data["tool"]["importlinter"]
    return config


def _named_by_contracts(contracts: list[dict[str, Any]]) -> set[str]:
    """Top-level packages that some contract mentions (layers, modules, sources, targets)."""
    names: set[str] = set()
    for contract in contracts:
        for key in ("layers", "modules", "source_modules", "forbidden_modules", "containers"):
            for entry in contract.get(key, []):
                names.update(p.split(".")[0] for p in re.split(r"[|:\s]+", entry) if p)
    return names


def python_folders(root: Path) -> set[str]:
    """Top-level folders holding Python source anywhere below them."""
    return {
        folder.name
        for folder in root.iterdir()
        if folder.is_dir()
        and not folder.name.startswith(".")
        and folder.name not in _SKIP
        and not folder.name.endswith(".egg-info")
        and next(folder.rglob("*.py"), None) is not None
    }


def uncovered(root: Path, config: dict[str, Any]) -> set[str]:
    roots = set(config["root_packages"])
    named = _named_by_contracts(config["contracts"])
    return {f for f in python_folders(root) - set(NOT_PACKAGES) if f not in roots or f not in named}


def test_every_top_level_package_is_under_a_contract() -> None:
    assert uncovered(ROOT, _config()) == set()


def test_every_root_package_exists() -> None:
    # A renamed package must be renamed in the contracts too, or they check nothing.
    assert set(_config()["root_packages"]) <= python_folders(ROOT)


def test_a_new_package_outside_the_contracts_is_caught(tmp_path: Path) -> None:
    for name in ("core", "reports"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
    (tmp_path / "docs").mkdir()  # no Python: not a package
    config: dict[str, Any] = {"root_packages": ["core"], "contracts": [{"layers": ["core"]}]}
    assert uncovered(tmp_path, config) == {"reports"}
    config["root_packages"].append("reports")
    assert uncovered(tmp_path, config) == {"reports"}  # a root package, but no contract
    config["contracts"].append({"source_modules": ["reports.x"], "forbidden_modules": []})
    assert uncovered(tmp_path, config) == set()


def test_no_top_level_folder_shadows_a_library() -> None:
    for name in ("elasticsearch", "requests", "apscheduler", "bs4", "fastapi"):
        assert not (ROOT / name).exists(), f"a top-level {name}/ would shadow the library"
