"""Dutch dates: our pattern reader (crawler.dates) against dateparser, side by side.

    .venv/bin/python -m bench.dates_library

The question for docs/decisions.md (issue #15): can a maintained library replace the
hand-written Dutch date reader? Each sample is a date as the two 2010-era sites print
it, inside the words around it; the answer is right when it is the date and time the
text means. Both readers get the same texts in one process, one after the other;
dateparser is asked both ways (``parse``: the whole text is a date; ``search_dates``:
find a date in text, first hit), with Dutch, day-month order and the sites' timezone.
Results go to bench/results/dates.json.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import dateparser
from dateparser.search import search_dates

from crawler.dates import parse_date

TZ = "Europe/Amsterdam"
#: (text, our profile pattern, the moment it means as "YYYY-MM-DD HH:MM")
SAMPLES = [
    ("donderdag 11 november 2010", "%A %d %B %Y", "2010-11-11 00:00"),
    ("do 11 nov. 2010", "%a %d %b %Y", "2010-11-11 00:00"),
    ("Gepubliceerd: 11-11-2010", "%d-%m-%Y", "2010-11-11 00:00"),
    ("Geplaatst op wo 3 mrt 2010 om 14:05 door Jan", "%a %d %b %Y om %H:%M", "2010-03-03 14:05"),
    ("11 sept. 2010", "%d %b %Y", "2010-09-11 00:00"),
    ("Laatst gewijzigd: maandag, 1 februari 2010 - 09:30", "%A %d %B %Y - %H:%M", "2010-02-01 09:30"),
    ("Door Anne op 2 okt 2009 (3 reacties)", "%d %b %Y", "2009-10-02 00:00"),
    ("2010-11-11T09:30:00+01:00", "", "2010-11-11 09:30"),
]  # fmt: skip
SETTINGS: Any = {"DATE_ORDER": "DMY", "TIMEZONE": TZ, "RETURN_AS_TIMEZONE_AWARE": True}


def ours(text: str, pattern: str) -> datetime | None:
    return parse_date(text, (pattern,) if pattern else (), TZ)


def whole(text: str, _pattern: str) -> datetime | None:
    return dateparser.parse(text, languages=["nl"], settings=SETTINGS)


def search(text: str, _pattern: str) -> datetime | None:
    found = search_dates(text, languages=["nl"], settings=SETTINGS)
    return found[0][1] if found else None


def measure(reader: Callable[[str, str], datetime | None], rounds: int) -> dict[str, Any]:
    answers = [reader(text, pattern) for text, pattern, _ in SAMPLES]
    right = [
        a is not None and a.strftime("%Y-%m-%d %H:%M") == want
        for a, (_, _, want) in zip(answers, SAMPLES, strict=True)
    ]
    started = time.perf_counter()
    for _ in range(rounds):
        for text, pattern, _ in SAMPLES:
            reader(text, pattern)
    seconds = (time.perf_counter() - started) / (rounds * len(SAMPLES))
    return {
        "right": sum(right),
        "of": len(SAMPLES),
        "wrong_or_missing": [s[0] for s, ok in zip(SAMPLES, right, strict=True) if not ok],
        "microseconds_per_date": round(seconds * 1e6, 1),
    }


def main() -> None:
    warnings.simplefilter("ignore")  # dateparser's own deprecation noise
    result = {
        "samples": len(SAMPLES),
        "ours": measure(ours, 500),
        "dateparser_parse": measure(whole, 20),
        "dateparser_search_dates": measure(search, 5),
    }
    out = Path(__file__).resolve().parent / "results" / "dates.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
