"""The one-way data flow of ARCHITECTURE.md, checked on the source (no imports run).

core is the leaf; crawler and indexer never import each other; search_ui never
imports crawler; nothing imports the composition root ``kennisbrug``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "crawler", "indexer", "search_ui", "kennisbrug", "localnode", "demo")
ALLOWED = {
    "core": {"core"},
    "crawler": {"core", "crawler"},
    "indexer": {"core", "indexer"},
    "search_ui": {"core", "indexer", "search_ui"},
    "localnode": {"core", "localnode"},
    "kennisbrug": {"core", "crawler", "indexer", "search_ui", "kennisbrug", "localnode"},
    "demo": set(PACKAGES),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_package_imports_follow_the_data_flow(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) - ALLOWED[package])
        for path in sorted((ROOT / package).rglob("*.py"))
        if _imports(path) - ALLOWED[package]
    }
    assert offenders == {}, f"imports against the data flow: {offenders}"


def test_the_rule_table_itself_rejects_a_wrong_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from crawler.fetch import Fetcher\nimport kennisbrug.cli\n")
    assert _imports(bad) - ALLOWED["indexer"] == {"crawler", "kennisbrug"}


def test_no_top_level_folder_shadows_a_library() -> None:
    for name in ("elasticsearch", "requests", "apscheduler", "bs4", "fastapi"):
        assert not (ROOT / name).exists(), f"a top-level {name}/ would shadow the library"
