"""Typed reading of one TOML table of a source profile, with errors that name the key.

Used only by ``core.sources``: every getter checks the type and range of one key and
remembers it, so that ``refuse_unknown`` can reject typos instead of ignoring them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import soupsieve

from core.errors import ConfigError

DATE_DIRECTIVES = set("AaBbdmYyHM%")


class Section:
    """One table (``[sources.ekic.scope]`` …) of one source."""

    def __init__(self, source: str, prefix: str, data: Any) -> None:
        self.source = source
        self.prefix = prefix
        if not isinstance(data, dict):
            raise ConfigError(f"source {source!r}: {prefix or 'profile'} must be a table")
        self.data: dict[str, Any] = dict(data)
        self.used: set[str] = set()

    def error(self, key: str, expected: str) -> ConfigError:
        got = self.data.get(key, "<missing>")
        return ConfigError(
            f"source {self.source!r}: key {self.prefix + key!r} is invalid: "
            f"expected {expected}, got {got!r}"
        )

    def _get(self, key: str, default: Any) -> Any:
        self.used.add(key)
        if key not in self.data:
            if default is _REQUIRED:
                raise self.error(key, "a value (required)")
            return default
        return self.data[key]

    def sub(self, key: str) -> Section:
        self.used.add(key)
        return Section(self.source, f"{self.prefix}{key}.", self.data.get(key, {}))

    def tables(self, key: str) -> list[Section]:
        raw = self._get(key, [])
        if not isinstance(raw, list):
            raise self.error(key, "an array of tables ([[...]])")
        return [Section(self.source, f"{self.prefix}{key}[{i}].", t) for i, t in enumerate(raw)]

    def text(self, key: str, default: Any = None) -> str:
        value = self._get(key, _REQUIRED if default is None else default)
        if not isinstance(value, str):
            raise self.error(key, "a string")
        return value

    def choice(self, key: str, allowed: Sequence[str], default: Any = None) -> str:
        value = self.text(key, default)
        if value not in allowed:
            raise self.error(key, "one of " + ", ".join(repr(a) for a in allowed))
        return value

    def number(
        self, key: str, default: float, *, minimum: float, maximum: float | None = None
    ) -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, "a number")
        if value < minimum or (maximum is not None and value > maximum):
            top = f" and <= {maximum}" if maximum is not None else ""
            raise self.error(key, f"a number >= {minimum}{top}")
        return float(value)

    def integer(self, key: str, default: int, *, minimum: int) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(key, f"a whole number >= {minimum}")
        return int(value)

    def strings(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self._get(key, default)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise self.error(key, "a list of strings")
        return tuple(value)

    def string_map(self, key: str) -> dict[str, str]:
        value = self._get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.error(key, "a table of strings")
        return dict(value)

    def pattern(self, key: str) -> re.Pattern[str] | None:
        found = self.patterns(key)
        return found[0] if found else None

    def patterns(self, key: str) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for raw in self.strings(key, ()):
            try:
                compiled.append(re.compile(raw))
            except re.error as exc:
                raise self.error(key, f"valid regular expressions ({raw!r}: {exc})") from exc
        return tuple(compiled)

    def selectors(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """CSS selectors, each optionally ending in ``@attribute``."""
        values = self.strings(key, default)
        for raw in values:
            css, _, attr = raw.partition("@")
            if "@" in raw and not re.fullmatch(r"[\w:.-]+", attr):
                raise self.error(key, f"'selector@attribute' ({raw!r} has a bad attribute)")
            try:
                soupsieve.compile(css)
            except (soupsieve.SelectorSyntaxError, TypeError) as exc:
                raise self.error(key, f"valid CSS selectors ({raw!r}: {exc})") from exc
        return values

    def date_formats(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        values = self.strings(key, default)
        for raw in values:
            bad = [d for d in re.findall(r"%(.)", raw) if d not in DATE_DIRECTIVES]
            if bad or ("%d" not in raw and "%Y" not in raw):
                raise self.error(
                    key, "date patterns using %A %a %d %B %b %m %Y %y %H %M (Dutch names)"
                )
        return values

    def timezone(self, key: str, default: str) -> str:
        value = self.text(key, default)
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise self.error(key, "an IANA timezone such as Europe/Amsterdam") from exc
        return value

    def refuse_unknown(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            where = self.prefix.rstrip(".") or "profile"
            raise ConfigError(
                f"source {self.source!r}: unknown key(s) {unknown} in {where}; "
                f"known keys: {sorted(self.used)}"
            )


_REQUIRED: Any = object()
