"""Run the local Elasticsearch node as an unprivileged user when Kennisbrug runs as root.

Part of the local-node flow: Elasticsearch refuses to start as root. When
``os.geteuid() == 0`` the node runs as the system user ``kennisbrug-es`` (created on
first use with ``useradd --system``), and its runtime folders live under
``/var/lib/kennisbrug`` instead of ``~/.cache``: ``/root`` is mode 700, so that user
could not even reach them there. The cached zip and unpacked distribution may stay
under ``/root``: each node gets its own hard-linked copy of the distribution, and
hard links carry the files' own (world-readable) permissions, not the folder's.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from core.errors import NodeError

ES_USER = "kennisbrug-es"
SYSTEM_ROOT = Path("/var/lib/kennisbrug")


@dataclass(frozen=True, kw_only=True)
class RunAs:
    """The account the node and its plugin tool run under."""

    name: str
    uid: int
    gid: int


def running_as_root() -> bool:
    return os.geteuid() == 0


def ensure_es_user(name: str = ES_USER) -> RunAs:
    """Look the system user up, creating it (no home, no login shell) when missing."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        cmd = [useradd, "--system", "--no-create-home", "--user-group"]
        cmd += ["--shell", "/usr/sbin/nologin", name]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise NodeError(
                f"Elasticsearch cannot run as root and creating user {name} failed: "
                f"{done.stderr.strip()}; run kennisbrug as a normal user instead"
            ) from None
        entry = pwd.getpwnam(name)
    return RunAs(name=name, uid=entry.pw_uid, gid=entry.pw_gid)


def current_user() -> RunAs:
    uid, gid = os.getuid(), os.getgid()
    return RunAs(name=pwd.getpwuid(uid).pw_name, uid=uid, gid=gid)


def chown_tree(path: Path, owner: RunAs) -> None:
    """Give a folder and everything in it to the node user (no-op for ourselves)."""
    if os.geteuid() != 0:
        return
    os.chown(path, owner.uid, owner.gid, follow_symlinks=False)
    for dirpath, dirnames, filenames in os.walk(path):
        for entry in (*dirnames, *filenames):
            os.chown(Path(dirpath) / entry, owner.uid, owner.gid, follow_symlinks=False)


def blocking_ancestor(path: Path, owner: RunAs) -> Path | None:
    """The first folder above ``path`` that ``owner`` may not traverse, if any.

    Decided from the mode bits so that it is correct while we are still root.
    """
    groups = {g.gr_gid for g in grp.getgrall() if owner.name in g.gr_mem} | {owner.gid}
    for folder in reversed(path.resolve().parents):
        st = folder.stat()
        if st.st_uid == owner.uid:
            allowed = st.st_mode & stat.S_IXUSR
        elif st.st_gid in groups:
            allowed = st.st_mode & stat.S_IXGRP
        else:
            allowed = st.st_mode & stat.S_IXOTH
        if not allowed:
            return folder
    return None
