"""Build (once) the zip of Kennisbrug's Dutch analysis plugin for the local node.

Part of the local-node flow, before Elasticsearch starts: ``kennisbrug es start``
and the test fixtures pass ``ensure_plugin_zip(settings)`` to
``LocalNode.start(plugins=...)``. The Maven project in ``es/plugin`` (with the word
lists of ``es/wordlists``) is built with ``mvn -B -q package`` against the
Elasticsearch version of the settings; Maven fetches its dependencies from Maven
Central into ``~/.m2``, so a fresh clone needs nothing else than Maven and a JDK 21+.

The result is cached in ``<home>/plugins`` under a name that carries a hash of the
plugin sources, the word lists and the Elasticsearch version: as long as none of
them changes, no build runs. Builds happen in a private copy of the sources, so the
working tree stays clean and two builds at once cannot trip over each other.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from core.errors import NodeError
from core.settings import REPO_ROOT, Settings
from localnode.java import JVM_ROOT, MIN_JAVA_MAJOR, candidate_homes, java_major

#: Name and version the node reports in ``GET _nodes/plugins`` (pom.xml artifactId/version).
PLUGIN_NAME = "kennisbrug-analysis"
PLUGIN_VERSION = "0.1.0"
PLUGIN_DIR = REPO_ROOT / "es" / "plugin"
WORDLISTS_DIR = REPO_ROOT / "es" / "wordlists"

MAVEN_HINT = "install Maven 3.6+ (apt-get install maven)"
JDK_HINT = (
    f"install a JDK {MIN_JAVA_MAJOR}+ with javac (apt-get install openjdk-21-jdk-headless) "
    "or point JAVA_HOME at one"
)

#: Runs a command in a folder with an environment; injected so tests need no Maven.
Runner = Callable[[list[str], Path, Mapping[str, str]], subprocess.CompletedProcess[str]]


class Console(Protocol):
    """Anything with rich's ``Console.print``; used for one line of progress."""

    def print(self, *objects: Any) -> None: ...


def run_command(
    cmd: list[str], cwd: Path, env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=dict(env), capture_output=True, text=True, check=False)


def source_files(plugin_dir: Path = PLUGIN_DIR, wordlists_dir: Path = WORDLISTS_DIR) -> list[Path]:
    """Every file that goes into the zip: the pom, the sources and the word lists."""
    files = [plugin_dir / "pom.xml"]
    files += sorted(p for p in (plugin_dir / "src").rglob("*") if p.is_file())
    files += sorted(wordlists_dir.glob("*.txt"))
    return files


def source_digest(es_version: str, files: Iterable[Path], root: Path) -> str:
    """sha256 over the ES version and each file's path (relative to ``root``) and bytes."""
    digest = hashlib.sha256(f"es={es_version}\n".encode())
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def cached_zip(settings: Settings, digest: str) -> Path:
    """Where the zip for one source digest lives."""
    name = f"{PLUGIN_NAME}-{PLUGIN_VERSION}-es{settings.es_version}-{digest[:16]}.zip"
    return settings.home / "plugins" / name


def find_maven(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    mvn = shutil.which("mvn", path=env.get("PATH", os.defpath))
    if mvn is None:
        raise NodeError(f"Maven (mvn) is needed to build the Dutch analysis plugin: {MAVEN_HINT}")
    return mvn


def _jdk_major(home: Path) -> int | None:
    """Java major of ``home`` if it is a JDK (has javac) new enough, else None."""
    if not (home / "bin" / "javac").exists():
        return None
    major = java_major(home)
    return major if major is not None and major >= MIN_JAVA_MAJOR else None


def find_jdk(env: Mapping[str, str] | None = None, jvm_root: Path = JVM_ROOT) -> Path:
    """A JDK 21+: JAVA_HOME, then ES_JAVA_HOME when suitable, else the newest installed.

    Reuses the node manager's Java discovery (``localnode.java``) but, unlike
    the node, Maven needs a compiler, so runtime-only installations are skipped.
    """
    env = os.environ if env is None else env
    for key in ("JAVA_HOME", "ES_JAVA_HOME"):
        if env.get(key) and _jdk_major(Path(env[key])) is not None:
            return Path(env[key])
    found = [(home, _jdk_major(home)) for home in candidate_homes({}, jvm_root)]
    usable = [(home, major) for home, major in found if major is not None]
    if not usable:
        raise NodeError(f"no JDK {MIN_JAVA_MAJOR}+ found to build the analysis plugin: {JDK_HINT}")
    return max(usable, key=lambda hm: hm[1])[0]


def build_command(mvn: str, es_version: str) -> list[str]:
    return [mvn, "-B", "-q", "package", f"-Delasticsearch.version={es_version}"]


def build_plugin_zip(
    settings: Settings,
    target: Path,
    *,
    plugin_dir: Path = PLUGIN_DIR,
    wordlists_dir: Path = WORDLISTS_DIR,
    runner: Runner = run_command,
    env: Mapping[str, str] | None = None,
) -> Path:
    """Run Maven on a private copy of the sources and move the zip to ``target``."""
    env = dict(os.environ if env is None else env)
    mvn = find_maven(env)
    env["JAVA_HOME"] = str(find_jdk(env))
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="build-", dir=target.parent) as tmp:
        work = Path(tmp)
        # The pom reads the word lists from ../wordlists, so keep that shape.
        shutil.copytree(plugin_dir, work / "plugin", ignore=shutil.ignore_patterns("target"))
        shutil.copytree(wordlists_dir, work / "wordlists")
        done = runner(build_command(mvn, settings.es_version), work / "plugin", env)
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip()[-2000:]
            raise NodeError(f"building the Dutch analysis plugin with Maven failed:\n{output}")
        built = work / "plugin" / "target" / f"{PLUGIN_NAME}-{PLUGIN_VERSION}.zip"
        if not built.is_file():
            raise NodeError(f"Maven finished but {built.name} was not produced")
        # Same folder, so the rename is atomic: a reader never sees half a zip.
        os.replace(built, target)
    return target


def ensure_plugin_zip(
    settings: Settings,
    *,
    console: Console | None = None,
    plugin_dir: Path = PLUGIN_DIR,
    wordlists_dir: Path = WORDLISTS_DIR,
    runner: Runner = run_command,
) -> Path:
    """The plugin zip for these sources and this ES version; built only when missing."""
    files = source_files(plugin_dir, wordlists_dir)
    missing = [str(p) for p in files if not p.is_file()]
    if missing or not files[1:]:
        raise NodeError(f"the analysis plugin sources are incomplete: {missing or plugin_dir}")
    digest = source_digest(settings.es_version, files, plugin_dir.parent)
    target = cached_zip(settings, digest)
    if target.is_file():
        return target
    if console is not None:
        console.print(
            f"Building the Dutch analysis plugin for Elasticsearch {settings.es_version}…"
        )
    build_plugin_zip(
        settings, target, plugin_dir=plugin_dir, wordlists_dir=wordlists_dir, runner=runner
    )
    # Older builds are never used again; keep the cache to the current one.
    for old in target.parent.glob(f"{PLUGIN_NAME}-*.zip"):
        if old != target:
            old.unlink(missing_ok=True)
    return target
