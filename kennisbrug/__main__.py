"""``python -m kennisbrug ...``: the same as the ``kennisbrug`` command."""

from kennisbrug.cli import app

app(prog_name="kennisbrug")
