"""The analysis plugin build (localnode.plugin) and its contract with indexer.analysis.

No Maven, no Java, no Elasticsearch: Maven is replaced by an injected runner and the
plugin sources are copied into a temporary folder where a test needs to change them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

import pytest

from core.errors import NodeError
from core.settings import ES_VERSION, Settings
from indexer.analysis import (
    NL_COMPOUND,
    NL_SEARCH,
    NL_TEXT,
    PLUGIN_FILTERS,
    analysis_settings,
    analyzer_filters,
    analyzer_names,
)
from localnode import plugin as esplugin

POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def _pom(name: str) -> str:
    root = ET.parse(esplugin.PLUGIN_DIR / "pom.xml").getroot()
    found = root.find(name, POM_NS)
    assert found is not None and found.text
    return found.text.strip()


def _entries(name: str) -> list[str]:
    text = (esplugin.WORDLISTS_DIR / name).read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def test_pom_matches_the_python_constants() -> None:
    assert _pom("m:artifactId") == esplugin.PLUGIN_NAME
    assert _pom("m:version") == esplugin.PLUGIN_VERSION
    assert _pom("m:properties/m:elasticsearch.version") == ES_VERSION


def test_named_components_cover_every_filter_the_analyzers_use() -> None:
    path = esplugin.PLUGIN_DIR / "src" / "main" / "descriptor" / "named_components.json"
    components = json.loads(path.read_text())[
        "org.elasticsearch.plugin.analysis.TokenFilterFactory"
    ]
    assert set(components) == set(PLUGIN_FILTERS)
    java = esplugin.PLUGIN_DIR / "src" / "main" / "java"
    for name, cls in components.items():
        source = java / (cls.replace(".", "/") + ".java")
        assert f'@NamedComponent("{name}")' in source.read_text(), name
    used = {f for a in analyzer_names() for f in analyzer_filters(a) if f.startswith("kennisbrug_")}
    defined = set(analysis_settings()["filter"])
    assert used - defined <= set(PLUGIN_FILTERS)


def test_synonyms_run_only_at_search_time_and_before_stemming() -> None:
    assert "kennisbrug_synonyms" not in analyzer_filters(NL_TEXT)
    assert "kennisbrug_synonyms" not in analyzer_filters(NL_COMPOUND)
    chain = analyzer_filters(NL_SEARCH)
    assert chain.index("kennisbrug_synonyms") < chain.index("kennisbrug_stop")
    assert chain.index("kennisbrug_synonyms") < chain.index("kennisbrug_stem")


def test_analysis_settings_is_a_fresh_plain_dict() -> None:
    first = analysis_settings()
    first["analyzer"][NL_TEXT]["filter"].append("oops")
    assert "oops" not in analysis_settings()["analyzer"][NL_TEXT]["filter"]
    json.dumps(analysis_settings())


def test_compound_parts_are_usable() -> None:
    parts = _entries("compound_parts.txt")
    assert len(parts) >= 250
    assert len(parts) == len(set(parts)), "duplicate compound parts"
    # The plugin ignores parts shorter than four letters; don't list what never works.
    assert [p for p in parts if len(p) < 4] == []
    assert [p for p in parts if p != p.lower()] == []


def test_stem_overrides_and_synonyms_parse() -> None:
    for line in _entries("stem_overrides.txt"):
        forms, arrow, stem = line.partition("=>")
        assert arrow and forms.strip() and stem.strip() and "," not in stem, line
    for line in _entries("synonyms.txt"):
        assert re.fullmatch(r"[^,=>]+(,[^,=>]+)+|[^,=>]+(,[^,=>]+)*=>[^=>]+", line), line


# -- the build cache -----------------------------------------------------------------


@pytest.fixture
def sources(tmp_path: Path) -> tuple[Path, Path]:
    es = tmp_path / "es"
    shutil.copytree(esplugin.PLUGIN_DIR, es / "plugin", ignore=shutil.ignore_patterns("target"))
    shutil.copytree(esplugin.WORDLISTS_DIR, es / "wordlists")
    return es / "plugin", es / "wordlists"


def _digest(plugin: Path, words: Path, version: str = ES_VERSION) -> str:
    return esplugin.source_digest(version, esplugin.source_files(plugin, words), plugin.parent)


def test_digest_follows_sources_word_lists_and_es_version(sources: tuple[Path, Path]) -> None:
    plugin, words = sources
    before = _digest(plugin, words)
    assert _digest(plugin, words) == before
    assert _digest(plugin, words, "9.6.0") != before
    synonyms = words / "synonyms.txt"
    synonyms.write_text(synonyms.read_text() + "boek, titel\n")
    assert _digest(plugin, words) != before


class FakeMaven:
    """Stands in for ``mvn package``: writes a zip where Maven would, records calls."""

    def __init__(self, returncode: int = 0) -> None:
        self.calls: list[tuple[list[str], Path, Mapping[str, str]]] = []
        self.returncode = returncode

    def __call__(
        self, cmd: list[str], cwd: Path, env: Mapping[str, str]
    ) -> subprocess.CompletedProcess[str]:
        self.calls.append((cmd, cwd, env))
        if self.returncode == 0:
            target = cwd / "target"
            target.mkdir()
            (target / f"{esplugin.PLUGIN_NAME}-{esplugin.PLUGIN_VERSION}.zip").write_bytes(b"zip")
        return subprocess.CompletedProcess(cmd, self.returncode, "", "[ERROR] no network")


def _jdk(tmp_path: Path) -> Path:
    home = tmp_path / "jdk"
    (home / "bin").mkdir(parents=True)
    for tool in ("java", "javac"):
        (home / "bin" / tool).write_text("#!/bin/sh\necho 'openjdk version \"21.0.4\"' >&2\n")
        (home / "bin" / tool).chmod(0o755)
    return home


def test_builds_once_then_uses_the_cache(
    sources: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugin, words = sources
    monkeypatch.setenv("JAVA_HOME", str(_jdk(tmp_path)))
    monkeypatch.setattr(esplugin, "find_maven", lambda env=None: "/usr/bin/mvn")
    settings = Settings(home=tmp_path / "home")
    maven = FakeMaven()
    first = esplugin.ensure_plugin_zip(
        settings, plugin_dir=plugin, wordlists_dir=words, runner=maven
    )
    again = esplugin.ensure_plugin_zip(
        settings, plugin_dir=plugin, wordlists_dir=words, runner=maven
    )
    assert first == again and first.read_bytes() == b"zip"
    assert first.parent == settings.home / "plugins"
    assert len(maven.calls) == 1
    cmd, cwd, env = maven.calls[0]
    assert cmd[1:] == ["-B", "-q", "package", f"-Delasticsearch.version={ES_VERSION}"]
    assert cwd != plugin, "Maven must run on a private copy, not in the working tree"
    assert env["JAVA_HOME"] == str(tmp_path / "jdk")


def test_maven_failure_is_a_node_error_with_mavens_words(
    sources: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugin, words = sources
    monkeypatch.setenv("JAVA_HOME", str(_jdk(tmp_path)))
    monkeypatch.setattr(esplugin, "find_maven", lambda env=None: "/usr/bin/mvn")
    settings = Settings(home=tmp_path / "home")
    with pytest.raises(NodeError, match="no network"):
        esplugin.ensure_plugin_zip(
            settings, plugin_dir=plugin, wordlists_dir=words, runner=FakeMaven(returncode=1)
        )
    assert list((settings.home / "plugins").glob("*.zip")) == []


def test_missing_maven_says_what_to_install() -> None:
    with pytest.raises(NodeError, match="apt-get install maven"):
        esplugin.find_maven({"PATH": ""})


def test_missing_jdk_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(NodeError, match="JDK 21"):
        esplugin.find_jdk({}, jvm_root=tmp_path)
