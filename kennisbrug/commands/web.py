"""``kennisbrug web``: the search UI, the JSON API and /beheer in one ASGI server."""

from __future__ import annotations

import typer

from core.errors import ConfigError
from core.settings import Settings
from kennisbrug.preflight import check_web
from search_ui.app import create_app
from search_ui.serving import serve


def web(
    host: str = typer.Option("", help="Address to listen on (default: KENNISBRUG_WEB_HOST)."),
    port: int = typer.Option(0, help="Port (default: KENNISBRUG_WEB_PORT)."),
) -> None:
    """Serve the search UI, the JSON API and /beheer (production: behind a TLS proxy)."""
    settings = Settings.from_env()
    check_web(settings)
    if port < 0 or port > 65535:
        raise ConfigError(f"--port {port} is not a TCP port (0-65535)")
    serve(
        create_app(settings),
        host=host or settings.web_host,
        port=port or settings.web_port,
        proxy_headers=True,
    )


def register(app: typer.Typer) -> None:
    app.command()(web)
