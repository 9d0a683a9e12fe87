"""Build the two demo sites from the content modules (and the generator at scale).

Part of demo: the constructors the demo command, integration tests and
benchmarks call. ``pages=None`` gives the hand-written base set; ``pages=N`` tops
it up with generated pages to N entries in total.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from demo import content_bnb, content_ekic
from demo.bnb import BnbSite
from demo.content import BNB_AUTHORS, COMMENT_TEXTS, COMMENTERS, THEME_PARAGRAPHS
from demo.ekic import EkicSite
from demo.generator import generate_bnb, generate_ekic
from demo.model import Comment, Entry

HOSTILE_SLUG = "gevaarlijke-titel"
HOSTILE_TITLE = "<script>alert(1)</script>Gevaarlijke titel"


def _background(theme: str, n: int, count: int = 2) -> list[str]:
    pool = THEME_PARAGRAPHS[theme]
    return [pool[(n + i * 2) % len(pool)] for i in range(count)]


def ekic_entries() -> list[Entry]:
    entries = []
    for ident, kind, theme, date, title, tags, lead in content_ekic.ROWS:
        published = datetime.strptime(date, "%d-%m-%Y").replace(
            hour=9 + ident % 8, minute=ident % 60
        )
        entries.append(
            Entry(
                key=str(ident), kind=kind, title=title, theme=theme,
                tags=tuple(t.strip() for t in tags.split(",")), published=published,
                paragraphs=[lead, *_background(theme, ident)],
                attachments=content_ekic.ATTACHMENTS.get(ident, ()),
                related=tuple(str(k) for k in content_ekic.DOSSIERS.get(ident, ())),
            )
        )  # fmt: skip
    return entries


def bnb_entries() -> list[Entry]:
    entries = []
    for n, (slug, stamp, theme, title, labels, lead) in enumerate(content_bnb.ROWS):
        published = datetime.strptime(stamp, "%Y-%m-%d %H:%M")
        comments = tuple(
            Comment(
                author=COMMENTERS[(n + i) % len(COMMENTERS)],
                text=COMMENT_TEXTS[(n * 3 + i) % len(COMMENT_TEXTS)],
                posted=published + timedelta(hours=3 + 17 * i, minutes=7 * i),
            )
            for i in range(n % 4)  # 0, 1, 2 or 3 comments: "1 opmerking:" / "3 opmerkingen:"
        )
        author = (
            "Marieke van Dijk"
            if slug == "samenwerking-cubiss-en-bibliotheekhuis"
            else BNB_AUTHORS[n % len(BNB_AUTHORS)]
        )
        entries.append(
            Entry(
                key=slug, kind="post", title=title, theme=theme,
                tags=tuple(t.strip() for t in labels.split(",")), published=published,
                paragraphs=[lead, *_background(theme, n)], author=author, comments=comments,
            )
        )  # fmt: skip
    return entries


def hostile_entry() -> Entry:
    return Entry(
        key=HOSTILE_SLUG, kind="post", title=HOSTILE_TITLE, theme="ICT", tags=("xsstest",),
        published=datetime(2011, 5, 20, 23, 59), author="Onbekende gebruiker",
        paragraphs=["Dit bericht bevat xsstest markup die een slordig CMS niet heeft ontsmet."],
        raw_html='\n<img src=x onerror="alert(2)"> xsstest <script>alert(3)</script>',
    )  # fmt: skip


def build_ekic(
    *, pages: int | None = None, seed: int = 0, crawl_delay: float | None = 1.0
) -> EkicSite:
    """The eKIC site; ``pages`` = total entries (None = the hand-written set)."""
    entries = ekic_entries()
    if pages is not None and pages > len(entries):
        entries += generate_ekic(pages - len(entries), seed=seed, first_id=1000)
    return EkicSite(entries, crawl_delay=crawl_delay)


def build_bnbibliotheek(
    *,
    pages: int | None = None,
    seed: int = 0,
    hostile: bool = False,
    crawl_delay: float | None = 1.0,
) -> BnbSite:
    """The bnbibliotheek site; ``hostile`` adds one badly escaped XSS post."""
    entries = bnb_entries()
    if pages is not None and pages > len(entries):
        entries += generate_bnb(pages - len(entries), seed=seed, taken={e.key for e in entries})
    if hostile:
        entries.append(hostile_entry())
    return BnbSite(entries, crawl_delay=crawl_delay)
