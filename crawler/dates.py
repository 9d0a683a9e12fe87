"""Dutch dates as 2010-era sites print them, read back into aware datetimes.

Part of extraction (crawler.extract): a profile lists strftime-like patterns with
Dutch names ("%A %d %B %Y" reads "donderdag 11 november 2010", "Gepubliceerd: %d-%m-%Y"
reads "Gepubliceerd: 11-11-2010", "%d %b %Y" reads "11 nov. 2010"). A pattern is
*searched* in the text, so labels and surrounding words may stay; ISO dates
(``2010-11-11``, ``2010-11-11T09:30:00+01:00``) from meta tags are always accepted.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mrt": 3, "maa": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = (
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
    "ma", "di", "wo", "do", "vr", "za", "zo",
)  # fmt: skip

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_RE = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_DIRECTIVES = {
    "d": r"(?P<d>(?<!\d)\d{1,2}(?!\d))",
    "m": r"(?P<m>(?<!\d)\d{1,2}(?!\d))",
    "Y": r"(?P<Y>(?<!\d)\d{4}(?!\d))",
    "y": r"(?P<y>(?<!\d)\d{2}(?!\d))",
    "B": rf"(?P<B>\b(?:{_MONTH_RE})\b)\.?",
    "b": rf"(?P<B>\b(?:{_MONTH_RE})\b)\.?",
    "A": rf"(?:\b(?:{_DAY_RE})\b)\.?,?",
    "a": rf"(?:\b(?:{_DAY_RE})\b)\.?,?",
    "H": r"(?P<H>(?<!\d)\d{1,2})",
    "M": r"(?P<M>\d{2}(?!\d))",
    "%": "%",
}
_ISO = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2})([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?\s*$"
)


@lru_cache(maxsize=256)
def compile_pattern(fmt: str) -> re.Pattern[str]:
    """Turn a strftime-like pattern into a case-insensitive regex with named groups."""
    parts: list[str] = []
    i = 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt):
            directive = fmt[i + 1]
            if directive not in _DIRECTIVES:
                raise ValueError(f"unsupported date directive %{directive} in {fmt!r}")
            parts.append(_DIRECTIVES[directive])
            i += 2
        elif fmt[i].isspace():
            parts.append(r"\s+")
            while i < len(fmt) and fmt[i].isspace():
                i += 1
        else:
            parts.append(re.escape(fmt[i]))
            i += 1
    return re.compile("".join(parts), re.IGNORECASE)


def parse_date(
    text: str, formats: tuple[str, ...], timezone: str = "Europe/Amsterdam"
) -> datetime | None:
    """The earliest date in ``text`` matching any of ``formats``, in ``timezone``; else None."""
    if not text:
        return None
    tz = ZoneInfo(timezone)
    clean = " ".join(text.replace("\xa0", " ").split())
    iso = _parse_iso(clean, tz)
    if iso is not None:
        return iso
    # The earliest date in the text wins, whichever pattern finds it ("Geplaatst: 3 mrt.
    # 2011, bijgewerkt wo 7 sept 2011" is 3 March even when the weekday pattern is listed
    # first). A labelled pattern ("Laatst gewijzigd: %d-%m-%Y") says which date it
    # means, so any labelled match beats every unlabelled one; at the same position the
    # longer match (with its time or weekday) wins.
    best: tuple[tuple[bool, int, int], datetime] | None = None
    for fmt in formats:
        for match in compile_pattern(fmt).finditer(clean):
            key = (not is_labelled(fmt), match.start(), -len(match.group(0)))
            if best is not None and key[:2] > best[0][:2]:
                break
            moment = _from_groups(match.groupdict())
            if moment is None:
                continue
            if best is None or key < best[0]:
                best = (key, moment)
            break
    return best[1].replace(tzinfo=tz) if best is not None else None


@lru_cache(maxsize=256)
def is_labelled(fmt: str) -> bool:
    """Does ``fmt`` carry a label (literal letters beside its directives)?"""
    return any(ch.isalpha() for ch in re.sub(r"%.", "", fmt))


def _parse_iso(text: str, tz: ZoneInfo) -> datetime | None:
    if not _ISO.match(text):
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _from_groups(groups: dict[str, str | None]) -> datetime | None:
    if groups.get("Y"):
        year = int(groups["Y"] or 0)
    elif groups.get("y"):
        short = int(groups["y"] or 0)
        year = 2000 + short if short < 70 else 1900 + short
    else:
        return None
    month_name = groups.get("B")
    month = MONTHS.get(month_name.lower(), 0) if month_name else int(groups.get("m") or 0)
    day = int(groups.get("d") or 1)
    hour = int(groups.get("H") or 0)
    minute = int(groups.get("M") or 0)
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:  # 31-02-2010 and friends: not a date, keep searching
        return None
