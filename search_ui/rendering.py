"""The Jinja2 environment and the one way pages are rendered (search and admin).

Sits at the end of every HTML request. ``make_templates`` builds the
``Jinja2Templates`` kept on ``app.state.templates``; its context processor gives
every template the request's language callables (``_``, ``_n``, ``number``,
``seconds``, ``date``, see ``i18n.Translator``), so admin pages under
``search_ui/admin/templates`` extend ``base.html`` and get the same for free.
Autoescaping is on for everything; no template needs ``|safe``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from search_ui.documents import other_provinces
from search_ui.i18n import Translator, pick_language

HERE: Final = Path(__file__).resolve().parent
TEMPLATE_DIRS: Final = (HERE / "templates", HERE / "admin" / "templates")
STATIC_DIR: Final = HERE / "static"
LANG_COOKIE: Final = "kb_lang"


def translator(request: Request) -> Translator:
    """The request's language: ``?lang=``, then the cookie, then the configured default."""
    lang = pick_language(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        request.app.state.settings.language,
    )
    return Translator(lang, request.app.state.catalogues[lang])


def language_url(request: Request, lang: str) -> str:
    """This page in ``lang``: a path and query only, so the Host header never shows up."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "zoekvak")]
    return f"{request.url.path}?{urlencode([*items, ('lang', lang)])}"


def _context(request: Request) -> dict[str, Any]:
    labels: dict[str, str] = request.app.state.source_labels
    words = translator(request)
    configured = request.app.state.provinces.labels

    def other_provincie(own: tuple[str, ...]) -> str:
        """'Zeeland' (or 'Zeeland en Drenthe'): the others as a list; '' for a page of every province."""
        return words.listing(list(other_provinces(own, configured)))

    return {
        **words.template_context(),
        "source_label": lambda s: labels.get(s, s),
        "other_provincie": other_provincie,
        "language_url": lambda lang: language_url(request, lang),
        "source_names": list(labels.values()),
        "provinces": request.app.state.provinces,
    }


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in TEMPLATE_DIRS]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env, context_processors=[_context])


def render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render ``name``; a ``?lang=`` choice is remembered in a cookie."""
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    chosen = request.query_params.get("lang")
    if chosen and chosen == translator(request).lang:
        response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 86400, samesite="lax")
    return response
