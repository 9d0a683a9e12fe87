"""The eKIC demo site (Bibliotheekhuis, Limburg): a classic 2010 PHP CMS.

Part of demo, between the content modules and the server. URL scheme:

* ``/artikel.php?id=N`` articles and news; ``&print=1`` is a printer-friendly duplicate
  with ``<link rel="canonical">``; ``&PHPSESSID=…`` variants (linked from listings)
  show the same page *without* a canonical link, so a crawler must normalise URLs.
* ``/dossier.php?id=N`` dossiers; ``/dossiers.php`` lists them.
* ``/categorie.php?thema=T&pagina=P`` and ``/nieuws.php?pagina=P``: listings, 10 per page.
* ``/bestanden/<naam>.pdf`` attachments; ``/sitemap.xml`` with ``<lastmod>`` per URL.
* ``/oud/artikel.asp?id=7`` → 301 → ``/artikel.php?id=7&ref=oud`` → 302 → ``/artikel.php?id=7``.
* ``/archief.php?jaar=2008`` is linked from the sidebar and is deliberately malformed.

Pages are windows-1252 bytes, declared in the header and in a ``<meta http-equiv>``.
"""

from __future__ import annotations

import hashlib
from html import escape

from demo import ekic_layout as layout
from demo.dutch import numeric_date
from demo.faults import garble
from demo.model import DemoSite, Entry, Resource, split_target
from demo.pdf import write_pdf

HTML = "text/html; charset=windows-1252"
PER_PAGE = 10
OLD_REDIRECT_ID = "7"


def session_id(key: str) -> str:
    """A stable fake PHP session id, so listings are byte-identical between runs."""
    return hashlib.md5(f"sessie-{key}".encode()).hexdigest()[:26]


class EkicSite(DemoSite):
    name = "ekic"
    encoding = "windows-1252"

    # -- model ---------------------------------------------------------------
    def url_for(self, entry: Entry) -> str:
        return layout.article_url(entry)

    def attachment_urls(self) -> list[str]:
        return [f"/bestanden/{a.filename}" for e in self.live_entries() for a in e.attachments]

    def entry_for_path(self, path: str) -> Entry | None:
        route, params = split_target(path)
        entry = self.entries.get(params.get("id", ""))
        if entry is None or route not in ("/artikel.php", "/dossier.php"):
            return None
        return entry if layout.article_url(entry).startswith(route) else None

    def robots_txt(self, *, politeness: bool = True) -> str:
        lines = ["User-agent: *", "Disallow: /beheer/", "Disallow: /zoeken.php"]
        if politeness and self.crawl_delay:
            lines.append(f"Crawl-delay: {self.crawl_delay:g}")
        lines.append(f"Sitemap: {self.base_url}/sitemap.xml")
        return "\n".join(lines) + "\n"

    # -- rendering -----------------------------------------------------------
    def render(self, target: str) -> Resource | None:
        route, params = split_target(target)
        handlers = {
            "/": lambda: self._home(),
            "/index.php": lambda: self._home(),
            "/artikel.php": lambda: self._article(params, "/artikel.php"),
            "/dossier.php": lambda: self._article(params, "/dossier.php"),
            "/categorie.php": lambda: self._category(params),
            "/nieuws.php": lambda: self._news(params),
            "/dossiers.php": lambda: self._dossiers(),
            "/sitemap.xml": lambda: self._sitemap(),
            "/oud/artikel.asp": lambda: _redirect(
                301, f"/artikel.php?id={params.get('id', '')}&ref=oud"
            ),
            "/archief.php": lambda: self._archive(),
            "/disclaimer.php": lambda: self._static("Disclaimer", DISCLAIMER),
            "/contact.php": lambda: self._static("Contact", CONTACT),
            "/zoeken.php": lambda: self._static(
                "Zoeken", "<p>Vul een zoekterm in.</p>", cache=False
            ),
            "/beheer/": lambda: self._static(
                "Beheer", "<p>Log in om verder te gaan.</p>", cache=False
            ),
        }
        if route in handlers:
            return handlers[route]()
        if route.startswith("/bestanden/"):
            return self._attachment(route.removeprefix("/bestanden/"))
        if route == "/css/ekic.css":
            return Resource(content_type="text/css", body=CSS.encode())
        return None

    def _html(self, title: str, content: str, **kw: object) -> bytes:
        if "sidebar" not in self.memo:
            live = self.live_entries()
            news = [e for e in live if e.kind == "nieuws"]
            dossiers = [e for e in live if e.kind == "dossier"]
            self.memo["sidebar"] = layout.sidebar(news, dossiers)
        text = layout.page(title, content, sidebar=self.memo["sidebar"], **kw)  # type: ignore[arg-type]
        return text.encode("cp1252", errors="xmlcharrefreplace")

    def _newest(self, entries: list[Entry]) -> Resource:
        return Resource(
            content_type=HTML, last_modified=max((e.last_modified for e in entries), default=None)
        )

    def _home(self) -> Resource:
        live = self.live_entries()
        res = self._newest(live)
        items = "".join(_teaser(e) for e in live[:8])
        themes = "".join(
            f'<li><a href="/categorie.php?thema={slug}">{label}</a></li>'
            for slug, label in layout.EKIC_THEMES.items()
        )
        content = (
            "<h1>Welkom bij eKIC</h1>\n<p>Het elektronisch Kennis- en Informatiecentrum van "
            "Bibliotheekhuis Limburg: artikelen, dossiers en handleidingen voor de Limburgse "
            "bibliotheken.</p>\n"
            f'<h2>Thema\'s</h2><ul class="themas">{themes}</ul>\n'
            f'<h2>Recent verschenen</h2><div class="lijst">{items}</div>\n'
        )
        res.body = self._html("Home", content, description="Kennisbank van Bibliotheekhuis Limburg")
        return res

    def _article(self, params: dict[str, str], route: str) -> Resource:
        key = params.get("id", "")
        entry = self.entries.get(key)
        if entry is None or not layout.article_url(entry).startswith(route):
            return _error(404, "Artikel niet gevonden")
        if entry.deleted_status is not None:
            return _error(entry.deleted_status, "Dit artikel is niet meer beschikbaar")
        if params.get("ref") == "oud":
            return _redirect(302, layout.article_url(entry))
        res = Resource(content_type=HTML, last_modified=entry.last_modified)
        canonical = layout.article_url(entry)
        if params.get("print") == "1":
            res.body = _print_page(entry, canonical).encode("cp1252", errors="xmlcharrefreplace")
            return res
        theme_label = layout.EKIC_THEMES.get(entry.theme, entry.theme)
        crumbs = [(f"/categorie.php?thema={entry.theme}", theme_label), ("", entry.title)]
        extra = f'<meta name="keywords" content="{escape(", ".join(entry.tags))}" />\n'
        extra += f'<meta name="DC.type" content="{entry.kind}" />\n'
        extra += f'<meta name="DC.date" content="{entry.published:%Y-%m-%d}" />\n'
        res.body = self._html(
            entry.title,
            self._article_body(entry),
            description=entry.summary or _first_words(entry),
            extra_head=extra,
            body_class=f"artikel type-{entry.kind}",
            active_theme=entry.theme,
            crumbs=crumbs,
        )
        return res

    def _article_body(self, entry: Entry) -> str:
        meta = f"Gepubliceerd: {numeric_date(entry.published)}"
        if entry.modified:
            meta += f" | Laatst gewijzigd: {numeric_date(entry.modified)}"
        theme = layout.EKIC_THEMES.get(entry.theme, entry.theme)
        meta += f' | Thema: <a href="/categorie.php?thema={entry.theme}">{theme}</a>'
        meta += f" | Soort: {layout.KIND_LABELS.get(entry.kind, entry.kind)}"
        paras = "".join(f"<p>{escape(p)}</p>\n" for p in entry.paragraphs)
        parts = [
            f'<div class="artikel">\n<h1 class="titel">{escape(entry.title)}</h1>\n',
            f'<p class="meta">{meta}</p>\n<div class="tekst">\n{paras}{entry.raw_html}</div>\n',
        ]
        if entry.kind == "dossier":
            related = [self.entries[k] for k in entry.related if k in self.entries]
            items = "".join(_teaser(e) for e in related if e.deleted_status is None)
            parts.append(
                f'<div class="dossier-artikelen"><h2>Artikelen in dit dossier</h2>{items}</div>\n'
            )
        if entry.attachments:
            links = "".join(
                f'<li><a href="/bestanden/{a.filename}" class="pdf">{escape(a.title)}</a> (PDF)</li>'
                for a in entry.attachments
            )
            parts.append(f'<div class="bijlagen"><h3>Bijlagen</h3><ul>{links}</ul></div>\n')
        if entry.key == OLD_REDIRECT_ID:
            parts.append(
                '<p class="zieook">Zie ook de <a href="/oud/artikel.asp?id=7">oude versie</a>.</p>\n'
            )
        tags = ", ".join(f'<a href="/zoeken.php?q={escape(t)}">{escape(t)}</a>' for t in entry.tags)
        parts.append(f'<p class="trefwoorden">Trefwoorden: {tags}</p>\n')
        parts.append(
            f'<p class="acties"><a href="{layout.article_url(entry)}&amp;print=1">Printversie</a> | '
            '<a href="javascript:history.back()">Terug</a></p>\n</div>\n'
        )
        return "".join(parts)

    def _listing(
        self, title: str, base: str, entries: list[Entry], params: dict[str, str], **kw: object
    ) -> Resource:
        pages = max(1, -(-len(entries) // PER_PAGE))
        try:
            number = int(params.get("pagina", "1"))
        except ValueError:
            number = 1
        if not 1 <= number <= pages:
            return _error(404, "Pagina niet gevonden")
        chunk = entries[(number - 1) * PER_PAGE : number * PER_PAGE]
        res = self._newest(entries)
        items = "".join(_teaser(e, with_session=(i % 4 == 1)) for i, e in enumerate(chunk))
        nav = [f'<a href="{base}&amp;pagina={number - 1}">&laquo; Vorige</a>'] if number > 1 else []
        for n in range(1, pages + 1):
            nav.append(
                f"<strong>{n}</strong>"
                if n == number
                else f'<a href="{base}&amp;pagina={n}">{n}</a>'
            )
        if number < pages:
            nav.append(f'<a href="{base}&amp;pagina={number + 1}">Volgende &raquo;</a>')
        content = (
            f'<h1>{escape(title)}</h1>\n<div class="lijst">{items}</div>\n'
            f'<div class="paginering">Pagina: {" ".join(nav)}</div>\n'
        )
        res.body = self._html(title, content, body_class="overzicht", **kw)
        return res

    def _category(self, params: dict[str, str]) -> Resource:
        theme = params.get("thema", "")
        if theme not in layout.EKIC_THEMES:
            return _error(404, "Onbekend thema")
        entries = [e for e in self.live_entries() if e.theme == theme and e.kind != "dossier"]
        label = layout.EKIC_THEMES[theme]
        return self._listing(
            f"Thema: {label}", f"/categorie.php?thema={theme}", entries, params,
            active_theme=theme, crumbs=[("", label)],
        )  # fmt: skip

    def _news(self, params: dict[str, str]) -> Resource:
        entries = [e for e in self.live_entries() if e.kind == "nieuws"]
        return self._listing(
            "Nieuws", "/nieuws.php?archief=1", entries, params, crumbs=[("", "Nieuws")]
        )

    def _dossiers(self) -> Resource:
        entries = [e for e in self.live_entries() if e.kind == "dossier"]
        return self._listing(
            "Dossiers", "/dossiers.php?overzicht=1", entries, {}, crumbs=[("", "Dossiers")]
        )

    def _sitemap(self) -> Resource:
        live = self.live_entries()
        urls = [(self.url_for(e), e.last_modified) for e in live]
        urls += [(f"/bestanden/{a.filename}", e.last_modified) for e in live for a in e.attachments]
        body = [
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        ]
        for path, moment in urls:
            loc = escape(self.base_url + path)
            body.append(f"<url><loc>{loc}</loc><lastmod>{moment:%Y-%m-%d}</lastmod></url>\n")
        body.append("</urlset>\n")
        res = self._newest(live)
        res.content_type = "application/xml"
        res.body = "".join(body).encode()
        return res

    def _attachment(self, filename: str) -> Resource | None:
        for entry in self.live_entries():
            for att in entry.attachments:
                if att.filename == filename:
                    body = write_pdf(att.title, att.paragraphs, author="Bibliotheekhuis Limburg")
                    return Resource(
                        content_type="application/pdf", body=body, last_modified=entry.last_modified
                    )
        return None

    def _archive(self) -> Resource:
        content = "<h1>Archief 2008</h1>\n" + "".join(
            f"<p>Oud bericht over de bibliotheekvernieuwing in Limburg, deel {n}.</p>"
            for n in range(40)
        )
        res = Resource(content_type=HTML)
        res.body = garble(self._html("Archief 2008", content))
        return res

    def _static(self, title: str, content: str, *, cache: bool = True) -> Resource:
        res = Resource(content_type=HTML, cacheable=cache)
        res.body = self._html(title, f"<h1>{title}</h1>\n{content}")
        return res


def _teaser(entry: Entry, *, with_session: bool = False) -> str:
    href = layout.article_url(entry)
    if with_session:
        # Older templates appended the session id to every link when cookies were off.
        href += f"&amp;PHPSESSID={session_id(entry.key)}"
    return (
        f'<div class="item"><h3><a href="{href}">{escape(entry.title)}</a></h3>'
        f'<span class="datum">{numeric_date(entry.published)}</span> '
        f"<p>{escape(entry.summary or _first_words(entry))}</p></div>\n"
    )


def _first_words(entry: Entry, limit: int = 160) -> str:
    text = entry.paragraphs[0] if entry.paragraphs else ""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."


def _print_page(entry: Entry, canonical: str) -> str:
    paras = "".join(f"<p>{escape(p)}</p>\n" for p in entry.paragraphs)
    return (
        layout.head(
            entry.title,
            description=entry.summary,
            extra=f'<link rel="canonical" href="{canonical}" />\n',
        )
        + '<body class="print" onload="window.print()">\n'
        + f'<h1 class="titel">{escape(entry.title)}</h1>\n'
        + f'<p class="meta">Gepubliceerd: {numeric_date(entry.published)}</p>\n'
        + f'<div class="tekst">\n{paras}{entry.raw_html}</div>\n'
        + f'<p class="trefwoorden">Trefwoorden: {escape(", ".join(entry.tags))}</p>\n'
        + "<p><small>&copy; Bibliotheekhuis Limburg</small></p>\n</body>\n</html>\n"
    )


def _redirect(status: int, location: str) -> Resource:
    return Resource(
        status=status, headers={"Location": location}, cacheable=False, content_type=HTML
    )


def _error(status: int, message: str) -> Resource:
    body = f"<html><head><title>{message}</title></head><body><h1>{message}</h1></body></html>"
    return Resource(status=status, body=body.encode("cp1252"), content_type=HTML, cacheable=False)


DISCLAIMER = (
    "<p>Bibliotheekhuis Limburg besteedt de grootst mogelijke zorg aan de inhoud van eKIC.</p>"
)
CONTACT = "<p>Bibliotheekhuis Limburg, Postbus 1060, 6040 KB Roermond. E-mail: ekic@bibliotheekhuis.example</p>"
CSS = "body{font-family:Verdana,Arial,sans-serif;font-size:12px}#linkerkolom{float:left;width:180px}\n"
