"""Install Elasticsearch plugin zips into a local node, once per distinct zip.

Part of the local-node flow: ``LocalNode.start(plugins=...)`` calls
``stale_plugins`` and ``install_plugin`` before the process starts, because
Elasticsearch loads plugins only at start-up. The sha256 of every installed zip
is recorded in ``<node_dir>/plugins.json``; a rebuilt zip (another sha256) is
removed and installed again, an unchanged one is left alone.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from core.errors import NodeError
from localnode.home import NodeLayout

#: Runs ``bin/elasticsearch-plugin`` with the given arguments as the node user.
ToolRunner = Callable[[list[str]], subprocess.CompletedProcess[str]]

_DESCRIPTORS = ("stable-plugin-descriptor.properties", "plugin-descriptor.properties")


def zip_sha256(zip_path: Path) -> str:
    return hashlib.sha256(zip_path.read_bytes()).hexdigest()


def parse_descriptor_name(properties: str) -> str | None:
    """The ``name=`` value of a plugin descriptor (Java properties text)."""
    for raw in properties.splitlines():
        line = raw.strip()
        if line.startswith(("#", "!")) or "=" not in line:
            continue
        key, _, value = line.partition("=")
        if key.strip() == "name" and value.strip():
            return value.strip()
    return None


def plugin_name(zip_path: Path) -> str:
    """The plugin's name as Elasticsearch knows it, read from the zip's descriptor."""
    try:
        with zipfile.ZipFile(zip_path) as archive:
            for descriptor in _DESCRIPTORS:
                if descriptor in archive.namelist():
                    name = parse_descriptor_name(archive.read(descriptor).decode("utf-8"))
                    if name:
                        return name
    except (OSError, zipfile.BadZipFile) as exc:
        raise NodeError(f"cannot read plugin zip {zip_path}: {exc}") from exc
    raise NodeError(f"{zip_path} is not an Elasticsearch plugin (no descriptor with a name)")


def load_record(layout: NodeLayout) -> dict[str, str]:
    """Plugin name -> sha256 of the zip it was installed from."""
    if not layout.plugin_record.is_file():
        return {}
    return dict(json.loads(layout.plugin_record.read_text()))


def stale_plugins(layout: NodeLayout, zips: Sequence[Path]) -> list[Path]:
    """The zips that are not installed, or were installed from a different build."""
    record = load_record(layout)
    return [z for z in zips if record.get(plugin_name(z)) != zip_sha256(z)]


def install_plugin(layout: NodeLayout, zip_path: Path, run_tool: ToolRunner) -> bool:
    """Install ``zip_path`` unless that very zip is installed; True when it installed."""
    name, digest = plugin_name(zip_path), zip_sha256(zip_path)
    record = load_record(layout)
    if record.get(name) == digest and (layout.home / "plugins" / name).is_dir():
        return False
    # The node user may not be able to read the caller's path (e.g. under /root),
    # so the tool installs from a copy inside the node folder.
    local_zip = layout.plugin_zips / f"{name}.zip"
    shutil.copyfile(zip_path, local_zip)
    local_zip.chmod(0o644)
    if (layout.home / "plugins" / name).exists():
        _check(run_tool(["remove", name]), f"removing the old {name} plugin")
    _check(run_tool(["install", "--batch", local_zip.resolve().as_uri()]), f"installing {zip_path}")
    record[name] = digest
    layout.plugin_record.write_text(json.dumps(record, indent=2, sort_keys=True))
    return True


def _check(done: subprocess.CompletedProcess[str], what: str) -> None:
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()[-1500:]
        raise NodeError(f"elasticsearch-plugin failed {what}:\n{output}")
