"""Scale the demo sites to thousands of pages with deterministic, seeded Dutch text.

Part of demo, used by ``sites.py`` when ``pages=N`` is given (benchmarks).
Text is assembled from sentence parts; it reads plausibly and contains the words,
compounds and diacritics that the search side must handle.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from demo.content import BNB_AUTHORS, COMMENT_TEXTS, COMMENTERS, THEME_PARAGRAPHS
from demo.model import Comment, Entry

PLACES = (
    "Maastricht", "Venlo", "Heerlen", "Roermond", "Sittard-Geleen", "Weert", "Kerkrade",
    "Tilburg", "Eindhoven", "'s-Hertogenbosch", "Breda", "Helmond", "Oss", "Roosendaal",
)  # fmt: skip
TOPICS = (
    ("leesbevordering", "leesbevordering", "een leesclub voor volwassenen"),
    ("leesbevordering", "laaggeletterdheid", "een taalpunt"),
    ("educatie", "bibliotheek op school", "een leesplan met de basisschool"),
    ("educatie", "informatievaardigheden", "een workshop voor havo-leerlingen"),
    ("mediawijsheid", "mediawijsheid", "een ouderavond over internet"),
    ("mediawijsheid", "mediacoach", "een spreekuur over digitale foto's"),
    ("collectie", "collectiebeleid", "een nieuwe presentatie van cd's en dvd's"),
    ("collectie", "e-books", "een proef met e-readers"),
    ("bedrijfsvoering", "bibliotheekvernieuwing", "een gezamenlijk beleidsplan"),
    ("bedrijfsvoering", "vrijwilligers", "een samenwerkingsovereenkomst met de gemeente"),
    ("ICT", "Al@din", "een nieuwe webcatalogus"),
    ("ICT", "sociale media", "een eigen pagina op Hyves"),
)
OPENINGS = (
    "De bibliotheek in {place} start dit najaar met {thing}.",
    "Medewerkers uit {place} vertellen over hun ervaringen met {thing}.",
    "Hoe pak je {thing} aan? In {place} deden ze het zo.",
    "Na een succesvolle proef in {place} volgen nu andere vestigingen met {thing}.",
)
MIDDLES = (
    "Het idee ontstond tijdens een overleg met scholen en welzijnsinstellingen.",
    "De ideeën kwamen van de medewerkers zelf, die de vragen van leden dagelijks horen.",
    "Een consulent begeleidde het project en legde de ervaringen vast.",
    "Volgens de projectleider werkt de bibliotheek nu efficiënter dan voorheen.",
    "Ook collega's uit België kwamen kijken hoe het werkt.",
    "Bezoekers konden na afloop napraten in het café van de bibliotheek.",
    "De resultaten worden gedeeld met andere bibliotheken in de provincie.",
    "Vooral ouders en grootouders reageerden enthousiast.",
)
CLOSINGS = (
    "Meer informatie is verkrijgbaar bij de consulent {subject}.",
    "Wie zelf met {subject} aan de slag wil, kan contact opnemen met de provinciale service-organisatie.",
    "Volgend jaar volgt een evaluatie van {subject} in alle deelnemende bibliotheken.",
)


def _text(rng: random.Random, theme: str, subject: str, thing: str, place: str) -> list[str]:
    lead = (
        rng.choice(OPENINGS).format(place=place, thing=thing)
        + " "
        + " ".join(rng.sample(MIDDLES, 3))
    )
    background = rng.sample(THEME_PARAGRAPHS[theme], 2)
    closing = " ".join(rng.sample(MIDDLES, 2)) + " " + rng.choice(CLOSINGS).format(subject=subject)
    return [lead, *background, closing]


def _moment(rng: random.Random, index: int, total: int) -> datetime:
    # Spread evenly over 2005-2011 so every month has archive pages; seconds are
    # random so two items rarely share a timestamp.
    start, span = datetime(2005, 1, 3, 8, 0), timedelta(days=6 * 365)
    offset = span * index / max(total, 1)
    return (start + offset + timedelta(minutes=rng.randrange(0, 600))).replace(microsecond=0)


def generate_ekic(count: int, *, seed: int, first_id: int) -> list[Entry]:
    rng = random.Random(f"ekic-{seed}")
    entries = []
    for i in range(count):
        theme, subject, thing = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        kind = "nieuws" if rng.random() < 0.35 else "artikel"
        title = f"{subject[0].upper()}{subject[1:]} in {place}: {thing}"
        paragraphs = _text(rng, theme, subject, thing, place)
        tags = (subject, place, theme.lower())
        entries.append(
            Entry(
                key=str(first_id + i),
                kind=kind,
                title=title,
                theme=theme,
                tags=tags,
                published=_moment(rng, i, count),
                paragraphs=paragraphs,
            )
        )
    return entries


def generate_bnb(count: int, *, seed: int, taken: set[str]) -> list[Entry]:
    rng = random.Random(f"bnb-{seed}")
    entries = []
    for i in range(count):
        theme, subject, thing = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        title = f"{thing[0].upper()}{thing[1:]} in {place}"
        slug = "-".join(title.lower().replace("'", "").replace("'s-", "s-").split())[:60]
        slug = "".join(c for c in slug if c.isalnum() or c == "-")
        if slug in taken:
            slug = f"{slug}-{i}"
        taken.add(slug)
        published = _moment(rng, i, count)
        comments = tuple(
            Comment(
                author=rng.choice(COMMENTERS),
                text=rng.choice(COMMENT_TEXTS),
                posted=published + timedelta(hours=rng.randrange(1, 72)),
            )
            for _ in range(rng.choice((0, 0, 1, 2, 3)))
        )
        entries.append(
            Entry(
                key=slug,
                kind="post",
                title=title,
                theme=theme,
                tags=(subject, theme.lower()),
                published=published,
                paragraphs=_text(rng, theme, subject, thing, place),
                author=rng.choice(BNB_AUTHORS),
                comments=comments,
            )
        )
    return entries
