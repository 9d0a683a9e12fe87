"""The Blogger-style chrome of the bnbibliotheek demo site (Cubiss, Noord-Brabant).

Part of demo; ``bnb.py`` renders posts into it. The header, the sidebar
(Blogarchief tree, Labels cloud, "Over deze blog") and the footer are boilerplate
that must not end up in documents; so are the comments under a post.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape

from demo.dutch import month_name
from demo.model import Entry

BLOG_TITLE = "bnbibliotheek"
BLOG_DESCRIPTION = "Kennisnetwerk van de Brabantse Netwerkbibliotheek &ndash; Cubiss Noord-Brabant"
ABOUT = (
    "bnbibliotheek is het kennisnetwerk van Cubiss en de Brabantse bibliotheken. "
    "Consulenten en bibliothecarissen delen hier ervaringen, nieuws en ideeën over "
    "leesbevordering, mediawijsheid en bibliotheekvernieuwing."
)


def head(title: str, *, canonical: str = "", raw_title: bool = False) -> str:
    # raw_title: a badly escaping CMS pastes the stored title into <title> as is;
    # browsers and parsers then read it back as literal text (RCDATA).
    shown = title if raw_title else escape(title)
    link = f"<link rel='canonical' href='{canonical}'/>\n" if canonical else ""
    return (
        "<!DOCTYPE html>\n<html dir='ltr' lang='nl' xmlns='http://www.w3.org/1999/xhtml' "
        "xmlns:b='http://www.google.com/2005/gml/b'>\n<head>\n"
        "<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>\n"
        "<meta content='blogger' name='generator'/>\n"
        "<link rel='alternate' type='application/atom+xml' title='bnbibliotheek - Atom' "
        "href='/feeds/posts/default'/>\n"
        f"{link}<title>{shown}</title>\n"
        "<link type='text/css' rel='stylesheet' href='/static/minima.css'/>\n</head>\n"
    )


def archive_widget(posts: Sequence[Entry]) -> str:
    years: dict[int, Counter[int]] = {}
    for post in posts:
        years.setdefault(post.published.year, Counter())[post.published.month] += 1
    out = ["<div class='widget BlogArchive' id='BlogArchive1'><h2>Blogarchief</h2>"]
    out.append("<div class='widget-content'><div id='ArchiveList'><ul class='hierarchy'>")
    for year in sorted(years, reverse=True):
        months = years[year]
        out.append(
            f"<li class='archivedate collapsed'><a class='toggle' href='javascript:void(0)'>"
            f"&#9658;</a> <a class='post-count-link' href='/{year}/'>{year}</a> "
            f"<span class='post-count' dir='ltr'>({sum(months.values())})</span>"
            "<ul class='hierarchy'>"
        )
        for month in sorted(months, reverse=True):
            out.append(
                f"<li class='archivedate'><a class='post-count-link' href='/{year}/{month:02d}/'>"
                f"{month_name(month)}</a> <span class='post-count' dir='ltr'>({months[month]})</span></li>"
            )
        out.append("</ul></li>")
    out.append("</ul></div></div></div>\n")
    return "".join(out)


def labels_widget(posts: Sequence[Entry]) -> str:
    counts = Counter(label for post in posts for label in post.tags)
    top = max(counts.values(), default=1)
    spans = "\n".join(
        f"<span class='label-size label-size-{1 + 4 * n // (top + 1)}'>"
        f"<a dir='ltr' href='/search/label/{escape(label)}'>{escape(label)}</a></span>"
        for label, n in sorted(counts.items())
    )
    return (
        "<div class='widget Label' id='Label1'><h2>Labels</h2>"
        f"<div class='widget-content cloud-label-widget-content'>\n{spans}\n</div></div>\n"
    )


def sidebar(posts: Sequence[Entry]) -> str:
    return (
        "<div id='sidebar-wrapper'><div class='sidebar section' id='sidebar'>\n"
        "<div class='widget Text' id='Text1'><h2 class='title'>Over deze blog</h2>"
        f"<div class='widget-content'>{ABOUT}</div></div>\n"
        + archive_widget(posts)
        + labels_widget(posts)
        + "<div class='widget LinkList' id='LinkList1'><h2>Links</h2><ul>"
        "<li><a href='http://www.cubiss.example/'>Cubiss</a></li>"
        "<li><a href='http://www.bibliotheekhuis.example/'>Bibliotheekhuis Limburg</a></li>"
        "</ul></div>\n</div></div>\n"
    )


FOOTER = (
    "<div id='footer-wrapper'><div class='footer section' id='footer'>"
    "<div class='widget Attribution' id='Attribution1'><div class='widget-content'>"
    "&#169; Cubiss Noord-Brabant &middot; Brabantse Netwerkbibliotheek. "
    "Mogelijk gemaakt door <a href='http://www.blogger.com'>Blogger</a>."
    "</div></div></div></div>\n"
)


def page(
    title: str, main: str, sidebar_html: str, *, canonical: str = "", raw_title: bool = False
) -> str:
    """A whole blog page: header, main column, the pre-rendered sidebar, footer."""
    return (
        head(title, canonical=canonical, raw_title=raw_title)
        + "<body>\n<div id='outer-wrapper'><div id='wrap2'>\n"
        "<div id='header-wrapper'><div class='header section' id='header'>"
        f"<div class='widget Header' id='Header1'><h1 class='title'><a href='/'>{BLOG_TITLE}</a></h1>"
        f"<p class='description'><span>{BLOG_DESCRIPTION}</span></p></div></div></div>\n"
        "<div id='content-wrapper'>\n<div id='main-wrapper'><div class='main section' id='main'>"
        f"<div class='widget Blog' id='Blog1'>\n{main}</div></div></div>\n"
        + sidebar_html
        + "<div style='clear: both;'></div>\n</div>\n"
        + FOOTER
        + "</div></div>\n</body>\n</html>\n"
    )
