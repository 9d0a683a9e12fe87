"""The page chrome of the eKIC demo site: header, top menu, sidebar and footer.

Part of demo; ``ekic.py`` fills the content column. Everything here is
boilerplate a crawler profile must leave out of documents (menu, "Laatste nieuws",
"Populaire trefwoorden", the © footer with Disclaimer and Contact).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from demo.dutch import numeric_date
from demo.model import Entry

EKIC_THEMES: dict[str, str] = {
    "collectie": "Collectie",
    "educatie": "Educatie",
    "leesbevordering": "Leesbevordering",
    "mediawijsheid": "Mediawijsheid",
    "bedrijfsvoering": "Bedrijfsvoering",
    "ICT": "ICT",
}

KIND_LABELS = {"artikel": "Artikel", "nieuws": "Nieuwsbericht", "dossier": "Dossier"}
POPULAR_TAGS = ("leesclub", "mediawijsheid", "Al@din", "e-books", "beleidsplan", "basisschool")


def article_url(entry: Entry) -> str:
    page = "dossier.php" if entry.kind == "dossier" else "artikel.php"
    return f"/{page}?id={entry.key}"


def head(title: str, *, description: str = "", extra: str = "") -> str:
    """Everything up to <body>; the meta tag repeats the windows-1252 header."""
    desc = f'<meta name="description" content="{escape(description)}" />\n' if description else ""
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="nl" lang="nl">\n<head>\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252" />\n'
        f"<title>{escape(title)} - eKIC Limburg</title>\n{desc}{extra}"
        '<link rel="stylesheet" type="text/css" href="/css/ekic.css" />\n'
        '<script type="text/javascript" src="/js/menu.js"></script>\n</head>\n'
    )


def header_and_menu(active_theme: str = "") -> str:
    items = ['<li><a href="/">Home</a></li>']
    for slug, label in EKIC_THEMES.items():
        cls = ' class="actief"' if slug == active_theme else ""
        items.append(f'<li{cls}><a href="/categorie.php?thema={slug}">{label}</a></li>')
    items.append('<li><a href="/dossiers.php">Dossiers</a></li>')
    items.append('<li><a href="/nieuws.php">Nieuws</a></li>')
    return (
        '<div id="header">\n<a href="/"><img src="/img/logo-bibliotheekhuis.gif" '
        'alt="Bibliotheekhuis Limburg" width="220" height="60" border="0" /></a>\n'
        '<span class="slogan">eKIC &ndash; elektronisch Kennis- en Informatiecentrum</span>\n'
        '<form action="/zoeken.php" method="get" id="zoekform">'
        '<input type="text" name="q" value="zoeken..." /> <input type="submit" value="Zoek" />'
        "</form>\n</div>\n"
        '<div id="topnav"><ul>' + "".join(items) + "</ul></div>\n"
    )


def breadcrumb(*crumbs: tuple[str, str]) -> str:
    parts = ['<a href="/">Home</a>']
    parts += [
        f'<a href="{href}">{escape(text)}</a>' if href else escape(text) for href, text in crumbs
    ]
    return '<div id="kruimelpad">U bent hier: ' + " &gt; ".join(parts) + "</div>\n"


def sidebar(news: Sequence[Entry], dossiers: Sequence[Entry]) -> str:
    news_items = "".join(
        f'<li><span class="datum">{numeric_date(e.published)}</span> '
        f'<a href="{article_url(e)}">{escape(e.title)}</a></li>'
        for e in news[:5]
    )
    dossier_items = "".join(
        f'<li><a href="{article_url(e)}">{escape(e.title)}</a></li>' for e in dossiers[:6]
    )
    tags = " ".join(f'<a href="/zoeken.php?q={escape(t)}">{escape(t)}</a>' for t in POPULAR_TAGS)
    return (
        '<div id="linkerkolom">\n'
        f'<div class="blok"><h3>Laatste nieuws</h3><ul>{news_items}</ul>'
        '<a class="meer" href="/nieuws.php">Meer nieuws &raquo;</a></div>\n'
        f'<div class="blok"><h3>Populaire trefwoorden</h3><p class="tagwolk">{tags}</p></div>\n'
        f'<div class="blok"><h3>Dossiers</h3><ul>{dossier_items}</ul></div>\n'
        '<div class="blok"><h3>Archief</h3><ul><li><a href="/archief.php?jaar=2008">'
        "Archief 2008</a></li></ul></div>\n</div>\n"
    )


FOOTER = (
    '<div id="footer">\n<p>&copy; Bibliotheekhuis Limburg 2005-2011 | '
    '<a href="/disclaimer.php">Disclaimer</a> | <a href="/contact.php">Contact</a> | '
    "Bibliotheekhuis, Postbus 1060, 6040 KB Roermond | tel. 0475-399 222</p>\n"
    "<p>eKIC is onderdeel van het Al@din-netwerk van Limburgse bibliotheken.</p>\n</div>\n"
)


def page(
    title: str,
    content: str,
    *,
    sidebar: str,
    description: str = "",
    extra_head: str = "",
    body_class: str = "pagina",
    active_theme: str = "",
    crumbs: Sequence[tuple[str, str]] = (),
) -> str:
    """A full eKIC page: chrome around one content column (sidebar pre-rendered)."""
    return (
        head(title, description=description, extra=extra_head)
        + f'<body class="{body_class}">\n<div id="container">\n'
        + header_and_menu(active_theme)
        + breadcrumb(*crumbs)
        + sidebar
        + f'<div id="inhoud">\n{content}</div>\n'
        + FOOTER
        + "</div>\n</body>\n</html>\n"
    )
