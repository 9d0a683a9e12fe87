"""A real PostgreSQL server for the test session, started and stopped by the tests.

Production keeps its state in PostgreSQL (docker-compose.yml), so the store, queue,
accounts and query-log tests run on it too. ``PostgresServer`` uses Debian's
``postgresql`` package (``scripts/setup.sh`` installs it): ``initdb`` into a temporary
folder, ``pg_ctl start`` on 127.0.0.1 and a free port, password authentication like
compose, and as the unprivileged node user when the tests run as root (PostgreSQL
refuses root, as Elasticsearch does). Durability is switched off (``fsync=off``):
the data is thrown away at the end, and a crash of the server is not what is tested.
Each test gets its own schema (``fresh_schema``) or database (``fresh_database``),
dropped by the fixture after it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import psycopg

from localnode.user import RunAs, chown_tree, current_user, ensure_es_user, running_as_root

USER = "kennisbrug"


class PostgresUnavailableError(Exception):
    """The server binaries are missing or the server did not start (message says why)."""


def bin_dir() -> Path:
    """The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<v>/bin)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if not found:
        raise PostgresUnavailableError(
            "no PostgreSQL server under /usr/lib/postgresql (scripts/setup.sh installs "
            "Debian's postgresql)"
        )
    return Path(found[-1]).parent


class PostgresServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.password = secrets.token_urlsafe(24)
        self.bin = bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="kbtest-pg-"))
        self.root.chmod(0o755)
        self.data = self.root / "data"
        self.owner: RunAs = ensure_es_user() if running_as_root() else current_user()
        self.started = False

    def url(self, database: str = USER) -> str:
        """SQLAlchemy URL with the psycopg (3) driver, as compose's KENNISBRUG_DB_URL."""
        return f"postgresql+psycopg://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def _run(
        self, *args: str, server_user: bool = True, **kwargs: Any
    ) -> subprocess.CompletedProcess[str]:
        as_owner: dict[str, Any] = {}
        if server_user and running_as_root():
            as_owner = {"user": self.owner.uid, "group": self.owner.gid, "extra_groups": []}
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            check=False,
            cwd=self.root,
            timeout=120,
            **as_owner,
            **kwargs,
        )

    def start(self) -> None:
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.password + "\n")
        chown_tree(self.root, self.owner)
        done = self._run(
            "initdb", "-D", str(self.data), "-U", USER, "--auth=scram-sha-256",
            f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        pwfile.unlink()
        if done.returncode != 0:
            raise PostgresUnavailableError(f"initdb failed: {done.stderr.strip()[-500:]}")
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.root}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        done = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        if done.returncode != 0:
            raise PostgresUnavailableError(
                f"pg_ctl start failed: {done.stdout.strip()[-300:]} {self.log_tail()}"
            )
        self.started = True
        done = self._psql("postgres", f"CREATE DATABASE {USER}")
        if done.returncode != 0:
            raise PostgresUnavailableError(f"cannot create database: {done.stderr.strip()}")

    def _psql(self, database: str, sql: str) -> subprocess.CompletedProcess[str]:
        return self.psql(database, "-v", "ON_ERROR_STOP=1", "-c", sql)

    def psql(self, database: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``psql`` against ``database`` (as the server's user, over TCP with the password)."""
        env = {**os.environ, "PGPASSWORD": self.password}
        return self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, "-d", database,
            "-q", *args, env=env,
        )  # fmt: skip

    def client_tool(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a client program (pg_dump, pg_restore, …) against this server over TCP."""
        env = {**os.environ, "PGPASSWORD": self.password}
        return self._run(
            tool, "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, *args,
            env=env, server_user=False,
        )  # fmt: skip

    def fresh_schema(self) -> str:
        """A URL whose connections work in a new, empty schema of the main database.

        Much cheaper than a database per test (CREATE DATABASE copies a template); the
        schema comes first on the search path, so tables, the ``alembic_version`` row and
        every query land there, as they land in ``public`` in production.
        """
        name = "t_" + secrets.token_hex(6)
        with psycopg.connect(self._dsn(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return f"{self.url()}?options=-csearch_path%3D{name}"

    def drop_schema(self, url: str) -> None:
        name = url.rsplit("%3D", 1)[1]
        with psycopg.connect(self._dsn(), autocommit=True) as conn:
            # A connection a test left inside a transaction must not hang the session.
            conn.execute("SET lock_timeout = '5s'")
            with contextlib.suppress(psycopg.errors.LockNotAvailable):
                conn.execute(f"DROP SCHEMA {name} CASCADE")

    def _dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user={USER} password={self.password} dbname={USER}"

    def fresh_database(self) -> str:
        """Create an empty database with a new name; returns its name."""
        name = "t_" + secrets.token_hex(6)
        done = self._psql("postgres", f"CREATE DATABASE {name}")
        if done.returncode != 0:
            raise PostgresUnavailableError(f"cannot create database: {done.stderr.strip()}")
        return name

    def drop_database(self, name: str) -> None:
        self._psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def log_tail(self, lines: int = 20) -> str:
        log = self.root / "server.log"
        return (
            "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""
        )

    def stop(self) -> None:
        if self.started:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)
