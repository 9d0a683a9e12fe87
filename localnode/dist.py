"""Obtain the Elasticsearch distribution for the local node: Maven download, check, unpack.

First step of the local-node flow (``esnode`` calls ``ensure_distribution``). The
integ-test zip is fetched from Maven Central by running Maven itself, so the
machine's ``~/.m2`` settings (mirrors, proxies, local repository) apply. The zip is
checked against the checksum Maven keeps beside it in the local repository, or the
``.sha512`` published on Central (also fetched through Maven); when neither exists
every member's CRC is still verified while unpacking. The result is unpacked once
into ``<home>/dist/elasticsearch-<version>``: into a temporary folder first, then
renamed, so a half-unpacked distribution is never mistaken for a complete one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

from core.errors import NodeError
from core.settings import Settings

GROUP = "org.elasticsearch.distribution.integ-test-zip"
ARTIFACT = "elasticsearch"
MARKER = ".kennisbrug-dist.json"

#: Called with (what is happening, units done, units total); total 0 = unknown.
Progress = Callable[[str, int, int], None]


def _no_progress(what: str, done: int, total: int) -> None:
    """Default progress sink: stay silent."""


def artifact_coordinates(version: str, extension: str = "zip") -> str:
    return f"{GROUP}:{ARTIFACT}:{version}:{extension}"


def local_repository(user_home: Path | None = None) -> Path:
    """The Maven local repository, honouring ``<localRepository>`` in ~/.m2/settings.xml."""
    m2 = (user_home or Path.home()) / ".m2"
    settings_xml = m2 / "settings.xml"
    if settings_xml.is_file():
        try:
            root = ET.parse(settings_xml).getroot()
        except ET.ParseError as exc:
            raise NodeError(f"cannot read {settings_xml}: {exc}") from exc
        for elem in root.iter():
            if elem.tag.rsplit("}", 1)[-1] == "localRepository" and (elem.text or "").strip():
                return Path(os.path.expandvars((elem.text or "").strip())).expanduser()
    return m2 / "repository"


def repository_path(repo: Path, version: str) -> Path:
    """Where Maven stores the zip inside its local repository."""
    return repo / GROUP.replace(".", "/") / ARTIFACT / version / f"{ARTIFACT}-{version}.zip"


def run_maven_copy(coordinates: str, output_dir: Path) -> subprocess.CompletedProcess[str]:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise NodeError("Maven (mvn) is needed to download Elasticsearch: apt-get install maven")
    output_dir.mkdir(parents=True, exist_ok=True)
    cmd = [mvn, "-B", "-q", "dependency:copy", f"-Dartifact={coordinates}"]
    cmd.append(f"-DoutputDirectory={output_dir}")
    # Maven runs from an empty folder so that no project pom.xml is picked up.
    return subprocess.run(cmd, cwd=output_dir, capture_output=True, text=True, check=False)


def download_zip(version: str, downloads: Path) -> Path:
    """Run Maven to place the zip in ``downloads``; NodeError with Maven's words on failure."""
    done = run_maven_copy(artifact_coordinates(version), downloads)
    target = downloads / f"{ARTIFACT}-{version}.zip"
    if done.returncode != 0 or not target.is_file():
        errors = [ln for ln in (done.stdout + done.stderr).splitlines() if "ERROR" in ln]
        detail = "\n".join(errors[:5]) or (done.stdout + done.stderr)[-800:]
        raise NodeError(
            f"Maven could not download {artifact_coordinates(version)} from Maven Central "
            f"(check the network or ~/.m2/settings.xml mirrors):\n{detail}"
        )
    return target


def file_digest(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def published_checksums(repo_zip: Path, version: str, scratch: Path) -> dict[str, str]:
    """Checksums Maven stored beside the zip, else the ones Central publishes (via Maven)."""
    found: dict[str, str] = {}
    for algorithm in ("sha512", "sha1"):
        beside = repo_zip.with_name(f"{repo_zip.name}.{algorithm}")
        if beside.is_file():
            found[algorithm] = beside.read_text().split()[0].lower()
    if not found:
        # A missing checksum on Central is not an error: the CRC check still runs.
        run_maven_copy(artifact_coordinates(version, "zip.sha512"), scratch)
        fetched = scratch / f"{ARTIFACT}-{version}.zip.sha512"
        if fetched.is_file() and fetched.read_text().strip():
            found["sha512"] = fetched.read_text().split()[0].lower()
    return found


def verify_zip(zip_path: Path, expected: dict[str, str]) -> str:
    """Compare against the expected checksums; return a phrase saying what was checked."""
    for algorithm, want in expected.items():
        got = file_digest(zip_path, algorithm)
        if got != want:
            raise NodeError(
                f"{zip_path.name} is corrupt: {algorithm} {got} does not match the published "
                f"{want}; delete it from the Maven repository and try again"
            )
    if expected:
        return "checksum " + "+".join(sorted(expected))
    return "zip CRC only (no published checksum found)"


def unpack_zip(zip_path: Path, dest: Path, progress: Progress = _no_progress) -> None:
    """Extract keeping Unix permissions (zipfile drops them) and refusing paths outside dest."""
    root = dest.resolve()
    try:
        with zipfile.ZipFile(zip_path) as archive:
            members = archive.infolist()
            for number, info in enumerate(members, start=1):
                target = (dest / info.filename).resolve()
                if not target.is_relative_to(root):
                    raise NodeError(f"{zip_path.name} holds an unsafe path: {info.filename}")
                # extract() checks each member's CRC and raises BadZipFile on damage.
                archive.extract(info, dest)
                mode = (info.external_attr >> 16) & 0o777
                if mode:
                    target.chmod(mode)
                if number % 200 == 0 or number == len(members):
                    progress("unpacking Elasticsearch", number, len(members))
    except zipfile.BadZipFile as exc:
        raise NodeError(f"{zip_path} is damaged ({exc}); delete it and try again") from exc


def ensure_distribution(settings: Settings, progress: Progress = _no_progress) -> Path:
    """The unpacked distribution folder (its ES home); downloads and unpacks only once."""
    version = settings.es_version
    dist_root = settings.home / "dist"
    final = dist_root / f"elasticsearch-{version}"
    if (final / MARKER).is_file():
        return final
    dist_root.mkdir(parents=True, exist_ok=True)
    progress(f"downloading Elasticsearch {version} with Maven", 0, 0)
    zip_path = download_zip(version, settings.home / "downloads")
    with tempfile.TemporaryDirectory(dir=dist_root, prefix=".unpack-") as tmp:
        repo_zip = repository_path(local_repository(), version)
        progress("verifying the download", 0, 0)
        checked = verify_zip(zip_path, published_checksums(repo_zip, version, Path(tmp) / "sums"))
        unpack_zip(zip_path, Path(tmp) / "x", progress)
        unpacked = Path(tmp) / "x" / f"elasticsearch-{version}"
        if not (unpacked / "bin" / "elasticsearch").is_file():
            raise NodeError(f"{zip_path.name} does not contain elasticsearch-{version}/bin")
        record = {"version": version, "sha256": file_digest(zip_path, "sha256"), "check": checked}
        (unpacked / MARKER).write_text(json.dumps(record, indent=2))
        if final.exists() and not (final / MARKER).is_file():
            # Left by an older, interrupted layout: never trust it, replace it.
            shutil.rmtree(final)
        try:
            unpacked.rename(final)
        except OSError:
            # Another process finished first; its copy is just as good.
            if not (final / MARKER).is_file():
                raise
    return final
