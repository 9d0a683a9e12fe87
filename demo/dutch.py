"""Dutch date wording for the demo sites ("donderdag 11 november 2010", "11-11-2010").

Leaf helper of demo: both site renderers format dates the way a Dutch
2010 CMS or Blogger in Dutch did, which is exactly what the crawler must parse back.
"""

from __future__ import annotations

from datetime import datetime

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def numeric_date(moment: datetime) -> str:
    """eKIC style: 11-11-2010."""
    return moment.strftime("%d-%m-%Y")


def long_date(moment: datetime) -> str:
    """Blogger date header: donderdag 11 november 2010."""
    day = WEEKDAYS[moment.weekday()]
    return f"{day} {moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def day_month_year(moment: datetime) -> str:
    """Comment timestamps: 12 november 2010 09:15."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} {moment:%H:%M}"


def month_name(month: int) -> str:
    return MONTHS[month - 1]
