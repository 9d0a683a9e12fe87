"""Provinces are data: the ``[provinces.<key>]`` tables next to the source profiles.

Nothing else in the code names a province. Each table gives the label that documents
carry and the UI shows ("Zuid-Holland"), a short code for narrow places ("ZH"), a
badge colour (checked for WCAG AA contrast against white badge text) and the other
spellings pages and people use ("Z-Holland", "Zuid Holland"). A source profile names its
fallback province by label or spelling; the crawler maps values read from a page with
:meth:`Provinces.resolve`; the search UI derives the toggle, badges, facet labels,
badge CSS and the API's documented values from the same object.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import ConfigError

#: WCAG 2.x AA for normal text: badge text is white on the province colour.
MIN_CONTRAST = 4.5
_KEY = re.compile(r"^[a-z][a-z0-9-]*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def fold(value: str) -> str:
    """Lower case, accents dropped, punctuation and spacing unified: 'Z-Holland ' -> 'z holland'."""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def slug(label: str) -> str:
    """'Zuid-Holland' -> 'zuid-holland' (accents dropped, runs of other characters -> '-')."""
    return "-".join(fold(label).split())


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on ``colour`` (#rrggbb)."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else float(((c + 0.055) / 1.055) ** 2.4)

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


@dataclass(frozen=True, kw_only=True)
class Province:
    key: str  # CSS- and URL-safe: "zuid-holland"
    label: str  # what documents carry and people read: "Zuid-Holland"
    code: str  # short form: "NB"
    colour: str  # badge background, "#1d4d2b"
    aliases: tuple[str, ...] = ()

    @property
    def css_class(self) -> str:
        """``badge--<slug of the label>``; kennisbrug.js derives the same slug from a label."""
        return "badge--" + slug(self.label)

    def spellings(self) -> set[str]:
        return {fold(s) for s in (self.key, self.label, self.code, *self.aliases)}


class Provinces:
    """The configured provinces, in configuration order."""

    def __init__(self, provinces: list[Province]) -> None:
        self._all = tuple(provinces)
        self._by_spelling: dict[str, Province] = {}
        for province in self._all:
            for spelling in province.spellings():
                other = self._by_spelling.get(spelling)
                if other is not None and other is not province:
                    raise ConfigError(
                        f"provinces: {spelling!r} would mean both {other.label!r} "
                        f"and {province.label!r}"
                    )
                self._by_spelling[spelling] = province

    def __iter__(self) -> Iterator[Province]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(p.label for p in self._all)

    def get(self, value: str) -> Province | None:
        """The province ``value`` names (label, key, code or alias; any case), or None."""
        return self._by_spelling.get(fold(value))

    def label_of(self, value: str) -> str | None:
        province = self.get(value)
        return province.label if province else None

    def by_label(self, label: str) -> Province | None:
        return next((p for p in self._all if p.label == label), None)

    def badge_css(self) -> str:
        """The badge colours as CSS (served as /provinces.css; no inline styles)."""
        return "".join(f".{p.css_class} {{ background: {p.colour}; }}\n" for p in self._all)

    def resolve(
        self, raw: str, extra: Mapping[str, str] | None = None
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Labels named in a page value such as "Zeeland en Zuid-Holland", and the unknown parts.

        The value is split on commas, slashes, semicolons, "&", "+" and the words "en"/"and";
        each part is looked up in ``extra`` (a profile's own spellings, folded; a target may
        name several provinces, "Beide provincies" -> "Zeeland en Zuid-Holland") and then
        in the provinces' spellings. A part that matches neither is returned as unknown.
        """
        mapped = {fold(k): v for k, v in (extra or {}).items()}
        found: list[str] = []
        unknown: list[str] = []
        for part in _split(raw):
            target = mapped.get(fold(part))
            names = _split(target) if target else [part]
            for name in names:
                province = self.get(name)
                if province is None:
                    unknown.append(name)
                elif province.label not in found:
                    found.append(province.label)
        return tuple(found), tuple(unknown)


def _split(raw: str) -> list[str]:
    parts = re.split(r"[,/;&+|]|\s+(?:en|and)\s+", raw, flags=re.IGNORECASE)
    return [p.strip() for p in parts if p.strip()]


def parse_provinces(data: Any, origin: str = "sources.toml") -> Provinces:
    """Validate the ``[provinces.<key>]`` tables of a sources file."""
    if not isinstance(data, dict) or not data:
        raise ConfigError(
            f"{origin}: expected at least one [provinces.<key>] table "
            "(label, code, colour, aliases)"
        )
    provinces = []
    for key, table in data.items():
        where = f"{origin}: [provinces.{key}]"
        if not _KEY.match(key):
            raise ConfigError(f"{where}: the key must be lower-case letters, digits and '-'")
        if not isinstance(table, dict):
            raise ConfigError(f"{where} must be a table")
        unknown = set(table) - {"label", "code", "colour", "aliases"}
        if unknown:
            raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
        label, code, colour = (table.get(k) for k in ("label", "code", "colour"))
        aliases = table.get("aliases", [])
        if not isinstance(label, str) or not label.strip():
            raise ConfigError(f"{where}: label must be a non-empty string")
        if not isinstance(code, str) or not 1 <= len(code) <= 4:
            raise ConfigError(f"{where}: code must be a string of 1-4 characters")
        if not isinstance(colour, str) or not _COLOUR.match(colour):
            raise ConfigError(f"{where}: colour must be #rrggbb, got {colour!r}")
        ratio = contrast_with_white(colour)
        if ratio < MIN_CONTRAST:
            raise ConfigError(
                f"{where}: colour {colour} gives white badge text a contrast of {ratio:.1f}:1; "
                f"at least {MIN_CONTRAST}:1 is needed (pick a darker colour)"
            )
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ConfigError(f"{where}: aliases must be a list of strings")
        provinces.append(
            Province(key=key, label=label.strip(), code=code, colour=colour, aliases=tuple(aliases))
        )
    return Provinces(provinces)
