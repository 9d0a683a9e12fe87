"""CLI command modules; each exposes ``register(app)`` and is wired in ``kennisbrug.cli``."""
