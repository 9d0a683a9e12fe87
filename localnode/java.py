"""Find a Java runtime that can run the local Elasticsearch node.

Sits at the very start of the local-node flow (``esnode`` asks it before anything
is started): Elasticsearch 9 needs Java 21 or newer and the integ-test
distribution ships no bundled JDK. ``$ES_JAVA_HOME`` wins when it is suitable;
otherwise the JDKs under ``/usr/lib/jvm`` are tried, newest first.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from core.errors import NodeError

#: Oldest Java major that Elasticsearch 9 accepts.
MIN_JAVA_MAJOR = 21
JVM_ROOT = Path("/usr/lib/jvm")
INSTALL_HINT = (
    "install a Java 21+ JDK (apt-get install openjdk-21-jdk-headless, or a Temurin 21+ JDK) "
    "and set ES_JAVA_HOME to its folder"
)

# `java -version` prints e.g. `openjdk version "25.0.3" 2026-04-21` or, for Java 8,
# `java version "1.8.0_392"`; early-access builds print `"26-ea"`.
_VERSION_RE = re.compile(r'version\s+"(?P<v>[^"]+)"')


@dataclass(frozen=True, kw_only=True)
class JavaHome:
    """A Java installation: its folder (usable as ES_JAVA_HOME) and major version."""

    path: Path
    major: int


def parse_java_major(version_output: str) -> int | None:
    """The major version from ``java -version`` output, or None if it is not there."""
    match = _VERSION_RE.search(version_output)
    if not match:
        return None
    parts = re.split(r"[.\-_+]", match.group("v"))
    try:
        first = int(parts[0])
        # Java 8 and older report "1.<major>".
        return int(parts[1]) if first == 1 and len(parts) > 1 else first
    except ValueError:
        return None


def java_major(java_home: Path) -> int | None:
    """Run ``<java_home>/bin/java -version``; None when it does not run."""
    java = java_home / "bin" / "java"
    if not os.access(java, os.X_OK):
        return None
    try:
        done = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    # java prints its version on stderr.
    return parse_java_major(done.stderr + done.stdout)


def candidate_homes(env: Mapping[str, str], jvm_root: Path = JVM_ROOT) -> list[Path]:
    """ES_JAVA_HOME first, then every JDK folder under ``jvm_root`` (no symlink twins)."""
    found: list[Path] = []
    if env.get("ES_JAVA_HOME"):
        found.append(Path(env["ES_JAVA_HOME"]))
    if jvm_root.is_dir():
        seen = {p.resolve() for p in found}
        for entry in sorted(jvm_root.iterdir()):
            real = entry.resolve()
            if real not in seen and (real / "bin" / "java").exists():
                seen.add(real)
                found.append(entry)
    return found


def choose_java(
    probed: Iterable[tuple[Path, int | None]], minimum: int = MIN_JAVA_MAJOR
) -> JavaHome:
    """Pick the first suitable probed home (ES_JAVA_HOME comes first), else the newest."""
    usable = [JavaHome(path=p, major=m) for p, m in probed if m is not None and m >= minimum]
    if not usable:
        raise NodeError(f"no Java {minimum}+ found (Elasticsearch 9 needs it): {INSTALL_HINT}")
    return usable[0]


def find_java(env: Mapping[str, str] | None = None, jvm_root: Path = JVM_ROOT) -> JavaHome:
    """The Java installation the node will run with; NodeError saying what to install."""
    env = os.environ if env is None else env
    probed = [(home, java_major(home)) for home in candidate_homes(env, jvm_root)]
    # Prefer ES_JAVA_HOME when the user set it and it is suitable; otherwise newest first.
    explicit = probed[:1] if env.get("ES_JAVA_HOME") else []
    rest = sorted(probed[len(explicit) :], key=lambda hm: hm[1] or 0, reverse=True)
    return choose_java([*explicit, *rest])
