"""Translations and Dutch formatting for the web app (nl default, en available).

Sits beside rendering: the catalogues are gettext ``.po`` files under
``search_ui/translations/<lang>/LC_MESSAGES/*.po`` (``messages.po`` for search,
other domains such as ``admin.po`` may be added next to it). They are compiled in
memory with Babel when the app is created, so a fresh clone needs no compile
step and no ``.mo`` file is ever stale. Message ids are English; the Dutch
catalogue translates every one of them (a unit test checks that). A malformed
``.po`` file is an error at start-up, not a warning printed and skipped.
"""

from __future__ import annotations

import functools
import gettext
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from io import BytesIO
from pathlib import Path
from typing import Any, Final, Literal

from babel.dates import format_date, format_datetime
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit
from markupsafe import Markup, escape

from core import reasons
from core.errors import ConfigError
from core.settings import Settings
from core.sources import load_profiles

log = logging.getLogger(__name__)

LANGUAGES: Final = ("nl", "en")
DEFAULT_LANGUAGE: Final = "nl"
TRANSLATIONS_DIR: Final = Path(__file__).resolve().parent / "translations"


def load_catalogues(directory: Path = TRANSLATIONS_DIR) -> dict[str, gettext.NullTranslations]:
    """Every language's catalogues, compiled in memory; a missing one falls back to the ids."""
    found: dict[str, gettext.NullTranslations] = {}
    for lang in LANGUAGES:
        chain: gettext.NullTranslations = gettext.NullTranslations()
        for po in sorted((directory / lang / "LC_MESSAGES").glob("*.po"), reverse=True):
            with po.open("rb") as handle:
                try:
                    catalog = read_po(handle, locale=lang, domain=po.stem, abort_invalid=True)
                except PoFileError as exc:
                    raise ConfigError(f"{po}: line {exc.lineno + 1}: {exc}") from exc
            buffer = BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            compiled = gettext.GNUTranslations(buffer)
            compiled.add_fallback(chain)
            chain = compiled
        found[lang] = chain
    return found


def source_labels(settings: Settings) -> dict[str, str]:
    """Display names of the sources ("ekic" -> "eKIC") from the source profiles."""
    try:
        profiles = load_profiles(settings.sources_file)
    except ConfigError as exc:
        # Search works without the labels; the crawler is where a bad profile must fail.
        log.warning("source labels unavailable, showing source names: %s", exc)
        return {}
    return {name: profile.label for name, profile in profiles.items()}


def pick_language(requested: str | None, cookie: str | None, default: str) -> str:
    for candidate in (requested, cookie, default):
        if candidate in LANGUAGES:
            return str(candidate)
    return DEFAULT_LANGUAGE


# A results page formats some fifty numbers, dates and lists and looks up some seventy
# messages; Babel parses the locale and its pattern on every call (about 3 ms of the
# page's 4 ms render, measured in bench/README.md). The answers depend on nothing but
# the arguments, and the arguments repeat (facet counts, years, the same labels), so
# each is kept. ``maxsize`` bounds the memory; a value past it is simply worked out again.
_FORMATTED: Final = 8192


@functools.lru_cache(maxsize=_FORMATTED, typed=True)  # 1, 1.0 and True apart
def _number(value: int | float, lang: str) -> str:
    return format_decimal(value, locale=lang)


@functools.lru_cache(maxsize=_FORMATTED)
def _date(value: date, style: str, lang: str) -> str:
    return format_date(value, format=style, locale=lang)


@functools.lru_cache(maxsize=_FORMATTED)
def _listing(items: tuple[str, ...], style: Literal["standard", "or"], lang: str) -> str:
    return format_list(list(items), style=style, locale=lang)


@functools.lru_cache(maxsize=_FORMATTED)
def _marked(catalogue: gettext.NullTranslations, message: str) -> Markup:
    """The translation of ``message`` as Markup, escaped (the catalogue is trusted)."""
    return Markup(escape(catalogue.gettext(message)))


@dataclass(frozen=True)
class Translator:
    """The translation and formatting callables of one request's language.

    Templates get them as ``_``, ``_n``, ``number``, ``seconds`` and ``date``.
    ``_`` returns Markup: the message itself is trusted, the ``%(name)s`` values
    are escaped, so a query echoed in a sentence can never become markup.
    """

    lang: str
    catalogue: gettext.NullTranslations

    def gettext(self, message: str, **values: Any) -> Markup:
        text = _marked(self.catalogue, message)
        return text % values if values else text

    def plain(self, message: str, **values: Any) -> str:
        """The translation as plain text (escaped once, where it is shown): for Python code
        that builds labels and messages, which templates then escape as any value."""
        text = self.catalogue.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> Markup:
        text = Markup(escape(self.catalogue.ngettext(singular, plural, n)))
        return text % {"n": self.number(n), **values}

    def number(self, value: int | float) -> str:
        return _number(value, self.lang)

    def seconds(self, value: float) -> str:
        return format_decimal(value, format="0.00", locale=self.lang)

    def listing(self, items: list[str], style: Literal["standard", "or"] = "standard") -> str:
        """'eKIC, bnbibliotheek en wiki' in this language (Babel's list patterns; style "or")."""
        return _listing(tuple(items), style, self.lang) if items else ""

    def date(self, value: datetime | None, style: str = "long") -> str:
        # Babel formats a datetime's own calendar date; keyed on that date, since two
        # equal instants in different time zones can fall on different dates.
        return _date(value.date(), style, self.lang) if value else ""

    def moment(self, value: datetime | None, tz: tzinfo) -> str:
        """Date and time in ``tz``: '2 dec 2026, 02:05:09' / 'Dec 2, 2026, 2:05:09 AM'."""
        if value is None:
            return "–"
        return format_datetime(value, format="medium", tzinfo=tz, locale=self.lang)

    def percent(self, fraction: float) -> str:
        return format_percent(fraction, locale=self.lang)

    def duration(self, value: timedelta | float) -> str:
        """'3 min 5 sec' in this language (Babel's short duration units)."""
        total = int(value.total_seconds() if isinstance(value, timedelta) else value)
        minutes, secs = divmod(max(0, total), 60)
        second = format_unit(secs, "duration-second", length="short", locale=self.lang)
        if not minutes:
            return second
        minute = format_unit(minutes, "duration-minute", length="short", locale=self.lang)
        return f"{minute} {second}"

    def duration_patterns(self) -> dict[str, str]:
        """The units of ``duration`` with ``{n}`` for the number, for the ticking script."""
        return {
            unit: format_unit(7, f"duration-{unit}", length="short", locale=self.lang).replace(
                "7", "{n}"
            )
            for unit in ("minute", "second")
        }

    def reason(self, value: Any) -> str:
        """A stored reason (a code with parameters, or old free text) in this language."""
        return reasons.describe(
            value, translate=self.catalogue.gettext, number=self.number, percent=self.percent
        )

    def template_context(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "_": self.gettext,
            "_n": self.ngettext,
            "number": self.number,
            "seconds": self.seconds,
            "date": self.date,
            "listing": self.listing,
        }
