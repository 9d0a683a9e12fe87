"""Translations: every message of the search UI and of the admin pages has Dutch, the
catalogues load without a warning, and Dutch number formats."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from core.errors import ConfigError
from search_ui.i18n import TRANSLATIONS_DIR, Translator, load_catalogues

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


def test_every_admin_message_has_a_dutch_translation() -> None:
    """admin.po (pages, labels, flash messages and the crawler's reason templates): each
    extracted message has a non-empty Dutch msgstr (many read alike: Status, Index)."""
    extracted = _messages_script().extract("admin")
    with (TRANSLATIONS_DIR / "nl" / "LC_MESSAGES" / "admin.po").open("rb") as handle:
        dutch = {m.id: m.string for m in read_po(handle, locale="nl")}
    ids = [m.id for m in extracted if m.id]
    assert len(ids) > 150  # the pages really were extracted
    assert [i for i in ids if not dutch.get(i)] == []


def test_the_catalogues_load_without_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    """Babel prints "WARNING: ..." and skips what it cannot read; nothing may be skipped."""
    load_catalogues()
    printed = capsys.readouterr()
    assert "WARNING" not in printed.out + printed.err


def test_a_malformed_catalogue_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "admin.po").write_text(
        'msgid "Jobs"\nmsgstr "Taken"\n\nmsgid "Queue"\n\nmsgid "History"\nmsgstr ""\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"admin\.po"):
        load_catalogues(tmp_path)


def test_dutch_numbers_and_plural() -> None:
    tr = Translator("nl", load_catalogues()["nl"])
    assert tr.ngettext("%(n)s result", "%(n)s results", 1234) == "1.234 resultaten"
    assert tr.ngettext("%(n)s result", "%(n)s results", 1) == "1 resultaat"
    assert tr.seconds(0.04) == "0,04"


def test_values_in_messages_are_escaped() -> None:
    tr = Translator("en", load_catalogues()["en"])
    assert tr.gettext("Search for %(q)s", q="<b>") == "Search for &lt;b&gt;"


def test_kept_formats_stay_apart_by_language_type_and_catalogue(tmp_path: Path) -> None:
    """Numbers, dates, lists and messages are worked out once and kept (a results page asks
    for the same ones dozens of times); what is kept for one language, one type of number
    or one catalogue never answers for another."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    amsterdam = ZoneInfo("Europe/Amsterdam")
    nl, en = Translator("nl", load_catalogues()["nl"]), Translator("en", load_catalogues()["en"])
    for _ in range(2):  # the second round is answered from what was kept
        assert (nl.number(1234), en.number(1234)) == ("1.234", "1,234")
        assert (nl.number(1), nl.number(1.5), nl.number(1.0)) == ("1", "1,5", "1")
        day = datetime(2026, 12, 2)
        assert (nl.date(day), en.date(day)) == ("2 december 2026", "December 2, 2026")
        # One instant, two calendar dates: each is shown as its own date.
        late = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
        assert (nl.date(late), nl.date(late.astimezone(amsterdam))) == (
            "1 december 2026",
            "2 december 2026",
        )
        assert nl.listing(["Limburg", "Zeeland"]) == "Limburg en Zeeland"
        assert en.listing(["Limburg", "Zeeland"], style="or") == "Limburg or Zeeland"
        assert (nl.gettext("Previous"), en.gettext("Previous")) == ("Vorige", "Previous")
    folder = tmp_path / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text('msgid "Previous"\nmsgstr "Terug"\n', encoding="utf-8")
    assert Translator("nl", load_catalogues(tmp_path)["nl"]).gettext("Previous") == "Terug"
    assert nl.gettext("Previous") == "Vorige"
