"""Translations: every message of the search UI has Dutch, and Dutch number formats."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from search_ui.i18n import Translator, load_catalogues

ROOT = Path(__file__).resolve().parents[2]


def _messages_script():
    spec = importlib.util.spec_from_file_location(
        "msgs", ROOT / "scripts" / "search_ui_messages.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_has_a_dutch_translation() -> None:
    extracted = _messages_script().extract()
    nl = load_catalogues()["nl"]
    untranslated = []
    for message in extracted:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        if isinstance(message.id, tuple):
            if nl.ngettext(message.id[0], message.id[1], 5) == message.id[1]:
                untranslated.append(msgid)
        elif nl.gettext(msgid) == msgid and msgid not in {"Filters", "Type", "Kennisbrug: %(q)s"}:
            untranslated.append(msgid)
    assert untranslated == []


def test_dutch_numbers_and_plural() -> None:
    tr = Translator("nl", load_catalogues()["nl"])
    assert tr.ngettext("%(n)s result", "%(n)s results", 1234) == "1.234 resultaten"
    assert tr.ngettext("%(n)s result", "%(n)s results", 1) == "1 resultaat"
    assert tr.seconds(0.04) == "0,04"


def test_values_in_messages_are_escaped() -> None:
    tr = Translator("en", load_catalogues()["en"])
    assert tr.gettext("Search for %(q)s", q="<b>") == "Search for &lt;b&gt;"
