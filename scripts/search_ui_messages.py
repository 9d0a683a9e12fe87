"""Refresh the search UI's gettext catalogues from the templates and code (a dev tool).

Extracts every ``_()``/``_n()``/``plain()``/``N_()``/``Failure(...)`` message of
``search_ui`` and merges it into ``search_ui/translations/<lang>/LC_MESSAGES/``:
``messages.po`` for the search side, ``admin.po`` for ``search_ui/admin`` plus the
crawler's reason templates (``core.reasons.MESSAGES``), keeping existing
translations; new Dutch messages are left empty for a person to fill
(``tests/unit/test_search_i18n.py`` fails until they are). The app compiles the
``.po`` files in memory at start-up, so there is no compile step.

    .venv/bin/python scripts/search_ui_messages.py
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from core.reasons import MESSAGES as REASONS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "search_ui"
METHODS = [
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.xml", "jinja2"),
    ("**.py", "python"),
]
KEYWORDS = {
    "_": None, "gettext": None, "plain": None, "N_": None,
    "_n": (1, 2), "ngettext": (1, 2), "Failure": (3,),
}  # fmt: skip
DOMAINS = ("messages", "admin")


def extract(domain: str = "messages") -> Catalog:
    """The messages of one domain: the search side, or ``admin`` (pages and reasons)."""
    catalog = Catalog(project="Kennisbrug", version="0.1", charset="utf-8")
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), METHODS, keywords=KEYWORDS
    ):
        if ("/admin/" in f"/{filename}") == (domain == "admin"):
            catalog.add(message, None, [(filename, lineno)])
    if domain == "admin":
        for code, template in REASONS.items():
            catalog.add(template, None, [("core/reasons.py", 0)], auto_comments=[code])
    return catalog


def update(lang: str, template: Catalog, domain: str = "messages") -> Path:
    path = PACKAGE / "translations" / lang / "LC_MESSAGES" / f"{domain}.po"
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        catalog.update(template, no_fuzzy_matching=True)
    else:
        catalog = Catalog(locale=lang, project="Kennisbrug", version="0.1", charset="utf-8")
        catalog.update(template)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)
    return path


if __name__ == "__main__":
    for name in DOMAINS:
        messages = extract(name)
        for language in ("nl", "en"):
            print(update(language, messages, name))
