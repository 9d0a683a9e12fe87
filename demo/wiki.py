"""The joint wiki of both organisations: a third source added with only a profile.

Part of demo, beside eKIC and bnbibliotheek. Every article has an infobox whose row
"Provincie:" says which province(s) it is about, in the spellings editors really use
("Limburg (NL)", "N-Brabant", "Limburg en Noord-Brabant", and one misspelling). URL scheme:

* ``/`` the main page; ``/wiki/<Naam>`` articles (UTF-8);
* ``/wiki/<Naam>?printable=yes`` a printer copy with ``<link rel="canonical">``;
* ``/portaal/Jeugd`` → ``/portaal/Jeugd/Voorlezen`` → ``/portaal/Jeugd/Voorlezen/Baby's``
  → ``/wiki/BoekStart``: a deeply nested page reached only through portal pages;
* ``/archief/`` and ``/archief/<Naam>.html``: pages imported from an old system, served
  as windows-1252 (declared in the header and in a meta tag).
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote, unquote

from demo.content_wiki import NESTED_PATH, NESTED_ROW, WIKI_ROWS, WikiRow
from demo.dutch import month_name
from demo.model import DemoSite, Entry, Resource, split_target

UTF8 = "text/html; charset=utf-8"
CP1252 = "text/html; charset=windows-1252"
NESTED_KEY = "BoekStart"


def _entry(row: WikiRow, key: str) -> Entry:
    return Entry(
        key=key,
        kind="archief" if row.archive else "wiki",
        title=row.title,
        theme=row.provincie,
        tags=row.categories,
        published=row.edited,
        paragraphs=list(row.paragraphs),
    )


class WikiSite(DemoSite):
    name = "wiki"
    province = ""  # per page: the infobox says

    def __init__(self, *, crawl_delay: float | None = 1.0) -> None:
        rows = [(_entry(row, row.key), row) for row in WIKI_ROWS]
        rows.append((_entry(NESTED_ROW, NESTED_KEY), NESTED_ROW))
        super().__init__([entry for entry, _row in rows], crawl_delay=crawl_delay)
        #: The infobox value of each page, as typed (tests change it between crawls).
        self.provincie: dict[str, str] = {entry.key: row.provincie for entry, row in rows}

    # -- model ---------------------------------------------------------------
    def url_for(self, entry: Entry) -> str:
        if entry.kind == "archief":
            return f"/archief/{quote(entry.key)}.html"
        return f"/wiki/{quote(entry.key)}"

    def entry_for_path(self, path: str) -> Entry | None:
        route, _params = split_target(path)
        route = unquote(route)
        for prefix, suffix in (("/wiki/", ""), ("/archief/", ".html")):
            if route.startswith(prefix) and route.endswith(suffix):
                key = route[len(prefix) : len(route) - len(suffix)]
                entry = self.entries.get(key)
                if entry is not None and self.url_for(entry) == quote(route, safe="/:"):
                    return entry
        return None

    def set_provincie(self, path: str, value: str) -> None:
        """An editor changes the infobox row "Provincie:" of one page."""
        with self._lock:
            entry = self._require(path)
            self.provincie[entry.key] = value
            entry.modified = self._next_modified(entry)
            self._cache.clear()
            self.memo.clear()

    def robots_txt(self, *, politeness: bool = True) -> str:
        lines = ["User-agent: *", "Disallow: /wiki/Speciaal:"]
        if politeness and self.crawl_delay:
            lines.append(f"Crawl-delay: {self.crawl_delay:g}")
        return "\n".join(lines) + "\n"

    # -- rendering -----------------------------------------------------------
    def render(self, target: str) -> Resource | None:
        route, params = split_target(target)
        route = unquote(route)
        if route in ("/", "/wiki/Hoofdpagina"):
            return self._main()
        if route in ("/archief/", "/archief"):  # both forms answer, as many servers do
            return self._archive_index()
        if route.startswith("/portaal/"):
            return self._portal(route.removeprefix("/portaal/").split("/"))
        entry = self.entry_for_path(quote(route, safe="/:"))
        if entry is None or entry.deleted_status is not None:
            return None if entry is None else Resource(status=entry.deleted_status or 404)
        printable = params.get("printable") == "yes"
        if entry.kind == "archief" and not printable:
            return self._page(entry, archive=True)
        return self._page(entry, printable=printable)

    def _main(self) -> Resource:
        wiki = [e for e in self.live_entries() if e.kind == "wiki" and e.key != NESTED_KEY]
        items = "".join(f'<li><a href="{self.url_for(e)}">{escape(e.title)}</a></li>' for e in wiki)
        content = (
            "<h1 id='firstHeading'>Hoofdpagina</h1>\n<div id='inhoud'><p>Welkom op de "
            "gezamenlijke wiki van Bibliotheekhuis en Cubiss.</p>\n"
            f"<ul class='artikelen'>{items}</ul>\n"
            '<p><a href="/portaal/Jeugd">Portaal Jeugd</a> · '
            '<a href="/archief/">Archief (oud systeem)</a></p></div>'
        )
        return self._resource("Hoofdpagina", content)

    def _portal(self, parts: list[str]) -> Resource | None:
        # /portaal/Jeugd/Voorlezen/Baby's: each level links one level deeper, the last to the page.
        trail = list(NESTED_PATH[:-1])
        trail[0] = trail[0].removeprefix("Portaal:")
        if parts != trail[: len(parts)] or not parts:
            return None
        if len(parts) < len(trail):
            deeper = "/portaal/" + "/".join(quote(p) for p in trail[: len(parts) + 1])
            link = f'<a href="{deeper}">{escape(trail[len(parts)])}</a>'
        else:
            nested = self.entries[NESTED_KEY]
            link = f'<a href="{self.url_for(nested)}">{escape(nested.title)}</a>'
        title = "Portaal " + " / ".join(parts)
        content = f"<h1 id='firstHeading'>{escape(title)}</h1>\n<p>Verder: {link}</p>"
        return self._resource(title, content)

    def _archive_index(self) -> Resource:
        old = [e for e in self.live_entries() if e.kind == "archief"]
        items = "".join(f'<li><a href="{self.url_for(e)}">{escape(e.title)}</a></li>' for e in old)
        content = f"<h1 id='firstHeading'>Archief</h1>\n<ul>{items}</ul>"
        return self._resource("Archief", content, archive=True)

    def _page(self, entry: Entry, *, archive: bool = False, printable: bool = False) -> Resource:
        edited = entry.last_modified
        stamp = f"{edited.day} {month_name(edited.month)} {edited.year} om {edited:%H:%M}"
        categories = "".join(
            f'<a href="/wiki/Categorie:{quote(c)}">{escape(c)}</a> ' for c in entry.tags
        )
        infobox = (
            "<table class='infobox'>"
            f"<tr class='provincie'><th>Provincie:</th><td>{escape(self.provincie[entry.key])}"
            "</td></tr>"
            f"<tr><th>Categorie:</th><td>{escape(', '.join(entry.tags))}</td></tr></table>"
        )
        paragraphs = "".join(f"<p>{escape(p)}</p>\n" for p in entry.paragraphs)
        canonical = self.base_url + self.url_for(entry)
        head = f'<link rel="canonical" href="{canonical}">' if printable else ""
        tools = (
            "" if printable else f'<a href="{self.url_for(entry)}?printable=yes">Printversie</a>'
        )
        content = (
            f"<h1 id='firstHeading'>{escape(entry.title)}</h1>\n{infobox}\n"
            f"<div id='inhoud'>{paragraphs}</div>\n"
            f"<div class='categorieen'>Categorieën: {categories}</div>\n"
            f"<ul id='wiki-footer'><li id='laatst-bewerkt'>Deze pagina is het laatst bewerkt op "
            f"{stamp}.</li><li>{tools}</li></ul>"
        )
        res = self._resource(entry.title, content, head=head, archive=archive)
        res.last_modified = edited
        return res

    def _resource(
        self, title: str, content: str, *, head: str = "", archive: bool = False
    ) -> Resource:
        charset = "windows-1252" if archive else "utf-8"
        html = (
            f"<!DOCTYPE html>\n<html lang='nl'><head><meta charset='{charset}'>"
            f"<title>{escape(title)} - Kennisbrug-wiki</title>{head}</head>\n<body>\n"
            "<div id='wiki-nav'><a href='/'>Hoofdpagina</a> · <a href='/portaal/Jeugd'>Jeugd</a>"
            " · <a href='/archief/'>Archief</a></div>\n"
            f"{content}\n</body></html>"
        )
        body = html.encode("cp1252", errors="xmlcharrefreplace") if archive else html.encode()
        return Resource(content_type=CP1252 if archive else UTF8, body=body)


def build_wiki(*, crawl_delay: float | None = 1.0) -> WikiSite:
    """The joint wiki (hand-written pages only)."""
    return WikiSite(crawl_delay=crawl_delay)
