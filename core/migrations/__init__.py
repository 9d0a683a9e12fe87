"""Alembic migrations of the state database (see ``core.schema``)."""
