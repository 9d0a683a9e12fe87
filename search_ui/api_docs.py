"""``/api/docs``: Swagger UI for the JSON API, served from packaged assets (no CDN).

The assets come from the ``swagger-ui-bundle-v2`` wheel (Swagger UI's own ``dist``
files) and are mounted under ``/api/docs/assets``; the page starts it with our own
``/static/api-docs.js``, so the strict Content-Security-Policy needs no exception.
On an intranet without internet access the docs work all the same.
"""

from __future__ import annotations

from typing import Final

from fastapi import FastAPI
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

ASSETS: Final = "/api/docs/assets"
PAGE: Final = f"""<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kennisbrug API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
<main id="swagger-ui" data-openapi="/api/openapi.json"></main>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    app.mount(ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="api-docs-assets")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(PAGE)
