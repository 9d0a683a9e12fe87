"""Dutch date parsing as 2010-era sites print dates (crawler.dates)."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.sources import DEFAULT_DATE_FORMATS
from crawler.dates import compile_pattern, parse_date


@pytest.mark.parametrize(
    ("text", "formats", "expected"),
    [
        ("donderdag 11 november 2010", ("%A %d %B %Y",), datetime(2010, 11, 11)),
        ("Donderdag 11 November 2010", ("%A %d %B %Y",), datetime(2010, 11, 11)),
        ("11-11-2010", ("%d-%m-%Y",), datetime(2010, 11, 11)),
        ("1-3-2011", ("%d-%m-%Y",), datetime(2011, 3, 1)),
        ("11 nov. 2010", ("%d %b %Y",), datetime(2010, 11, 11)),
        ("11 nov 2010", ("%d %b %Y",), datetime(2010, 11, 11)),
        ("3 mrt. 2009", ("%d %b %Y",), datetime(2009, 3, 3)),
        (
            "Gepubliceerd: 11-11-2010 | Thema: ICT",
            ("Gepubliceerd: %d-%m-%Y",),
            datetime(2010, 11, 11),
        ),
        ("12 november 2010 09:15", ("%d %B %Y %H:%M",), datetime(2010, 11, 12, 9, 15)),
        ("11-11-10", ("%d-%m-%y",), datetime(2010, 11, 11)),
        ("2010-11-11", (), datetime(2010, 11, 11)),
    ],
)
def test_dutch_formats(text: str, formats: tuple[str, ...], expected: datetime) -> None:
    moment = parse_date(text, formats)
    assert moment is not None
    assert moment.replace(tzinfo=None) == expected
    assert moment.tzinfo is not None and str(moment.tzinfo) == "Europe/Amsterdam"


def test_label_picks_the_right_date() -> None:
    text = "Gepubliceerd: 11-11-2010 | Laatst gewijzigd: 02-12-2010"
    modified = parse_date(text, ("Laatst gewijzigd: %d-%m-%Y",))
    assert modified is not None and modified.date().isoformat() == "2010-12-02"


def test_iso_with_offset_is_kept() -> None:
    moment = parse_date("2010-11-11T09:30:00.000+01:00", ())
    assert moment is not None and moment.utcoffset() is not None
    assert moment.hour == 9


def test_impossible_dates_and_noise_give_none() -> None:
    assert parse_date("31-02-2010", ("%d-%m-%Y",)) is None
    assert parse_date("geen datum hier", DEFAULT_DATE_FORMATS) is None
    assert parse_date("", DEFAULT_DATE_FORMATS) is None
    # a day number glued to other digits is not a date
    assert parse_date("artikel 123-11-2010", ("%d-%m-%Y",)) is None


def test_defaults_read_every_documented_style() -> None:
    for text in ("donderdag 11 november 2010", "11-11-2010", "11 nov. 2010"):
        moment = parse_date(text, DEFAULT_DATE_FORMATS)
        assert moment is not None and moment.date().isoformat() == "2010-11-11"


def test_unknown_directive_is_refused() -> None:
    with pytest.raises(ValueError, match="%Q"):
        compile_pattern("%Q-%Y")


def test_earliest_date_in_the_text_wins_across_patterns() -> None:
    # The weekday pattern is listed first but its date comes second in the text.
    text = "Geplaatst: 3 mrt. 2011, bijgewerkt wo 7 sept 2011"
    moment = parse_date(text, ("%A %d %B %Y", "%d %b %Y"))
    assert moment is not None and moment.date().isoformat() == "2011-03-03"
    assert parse_date(text, DEFAULT_DATE_FORMATS).date().isoformat() == "2011-03-03"  # type: ignore[union-attr]


def test_a_labelled_pattern_beats_an_earlier_unlabelled_date() -> None:
    text = "Gepubliceerd: 11-11-2010 | Laatst gewijzigd: 02-12-2010"
    modified = parse_date(text, ("%d-%m-%Y", "Laatst gewijzigd: %d-%m-%Y"))
    assert modified is not None and modified.date().isoformat() == "2010-12-02"
    both = parse_date(text, ("Laatst gewijzigd: %d-%m-%Y", "Gepubliceerd: %d-%m-%Y"))
    assert both is not None and both.date().isoformat() == "2010-11-11"


def test_longer_match_at_the_same_place_keeps_the_time() -> None:
    moment = parse_date("12 november 2010 09:15", ("%d %B %Y", "%d %B %Y %H:%M"))
    assert moment is not None and (moment.hour, moment.minute) == (9, 15)
