"""Alembic environment: run the revisions on the connection ``core.schema`` hands over.

``core.schema.upgrade`` passes an open connection in ``config.attributes``. Run
from the ``alembic`` command line (``alembic revision --autogenerate``, with the
repository's alembic.ini), it opens the database of ``KENNISBRUG_DB_URL`` /
``KENNISBRUG_HOME`` like every other entry point.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from core.schema import all_metadata

config = context.config
target_metadata = all_metadata()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: autogenerate batch operations (copy and move).
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    from core.settings import Settings

    engine = create_engine(Settings.from_env().database_url)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()
