"""The bnbibliotheek demo site (Cubiss, Noord-Brabant): a Blogger-like knowledge network.

Part of demo, between the content modules and the server. URL scheme:

* ``/YYYY/MM/<slug>.html`` one post: date header, title, body, author line,
  labels, comments ("3 opmerkingen:"); ``?m=1`` is the mobile duplicate with a canonical link.
* ``/`` the newest posts; ``/YYYY/`` and ``/YYYY/MM/`` archives with the posts of that period.
* ``/search/label/<label>`` posts per label; robots.txt disallows ``/search`` (as
  Blogger does), so crawlers use the archives and the feed instead.
* ``/feeds/posts/default?start-index=1&max-results=25`` Atom, ``<updated>`` per entry,
  ``<link rel="next">`` to page on (max-results at most 500).
* No sitemap: ``/sitemap.xml`` is 404. UTF-8 throughout.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from html import escape
from urllib.parse import unquote

from demo import bnb_layout as layout
from demo.dutch import day_month_year, long_date
from demo.model import LOCAL_TZ, DemoSite, Entry, Resource, split_target

HTML = "text/html; charset=UTF-8"
HOME_POSTS = 7
FEED_PAGE = 25
FEED_MAX = 500
BLOG_ID = "4815162342108"


def post_id(post: Entry) -> str:
    return str(int(hashlib.sha1(post.key.encode()).hexdigest()[:15], 16))


def iso(moment: datetime) -> str:
    return moment.replace(tzinfo=LOCAL_TZ).isoformat(timespec="milliseconds")


class BnbSite(DemoSite):
    name = "bnbibliotheek"
    encoding = "utf-8"

    # -- model ---------------------------------------------------------------
    def url_for(self, entry: Entry) -> str:
        return f"/{entry.published:%Y/%m}/{entry.key}.html"

    def entry_for_path(self, path: str) -> Entry | None:
        route, _ = split_target(path)
        parts = route.strip("/").split("/")
        if len(parts) != 3 or not parts[2].endswith(".html"):
            return None
        entry = self.entries.get(parts[2].removesuffix(".html"))
        return entry if entry is not None and self.url_for(entry) == route else None

    def robots_txt(self, *, politeness: bool = True) -> str:
        lines = [
            "User-agent: Mediapartners-Google",
            "Disallow:",
            "",
            "User-agent: *",
            "Disallow: /search",
        ]
        if politeness and self.crawl_delay:
            lines.append(f"Crawl-delay: {self.crawl_delay:g}")
        lines.append("Allow: /")
        return "\n".join(lines) + "\n"

    # -- rendering -----------------------------------------------------------
    def render(self, target: str) -> Resource | None:
        route, params = split_target(target)
        if route in ("/", "/index.html"):
            return self._listing(self.live_entries()[:HOME_POSTS], layout.BLOG_TITLE, full=True)
        if route == "/feeds/posts/default":
            return self._feed(params)
        if route.startswith("/search/label/"):
            label = unquote(route.removeprefix("/search/label/"))
            posts = [p for p in self.live_entries() if label in p.tags]
            if not posts:
                return None
            return self._listing(
                posts[:20], f"{layout.BLOG_TITLE}: Berichten met het label {label}"
            )
        if route == "/static/minima.css":
            return Resource(content_type="text/css", body=b"body{font:13px Georgia,serif}\n")
        parts = route.strip("/").split("/")
        if route.endswith("/") and all(p.isdigit() for p in parts) and len(parts) in (1, 2):
            return self._archive(parts)
        entry = self.entry_for_path(route)
        if entry is None:
            return None
        if entry.deleted_status is not None:
            return _error(entry.deleted_status)
        canonical = self.base_url + self.url_for(entry) if params.get("m") == "1" else ""
        return self._post_page(entry, canonical)

    def _sidebar(self) -> str:
        if "sidebar" not in self.memo:
            self.memo["sidebar"] = layout.sidebar(self.live_entries())
        return str(self.memo["sidebar"])

    def _resource(self, posts: list[Entry], body: str, content_type: str = HTML) -> Resource:
        newest = max((p.last_modified for p in posts), default=None)
        return Resource(content_type=content_type, body=body.encode("utf-8"), last_modified=newest)

    def _post_html(self, post: Entry, *, comment_link: bool) -> str:
        url = self.url_for(post)
        # raw title in the badly-escaped hostile post: the stored text already has markup
        body = "<br />\n<br />\n".join(escape(p) for p in post.paragraphs) + post.raw_html
        labels = ", ".join(
            f"<a href='/search/label/{escape(t)}' rel='tag'>{escape(t)}</a>" for t in post.tags
        )
        n = len(post.comments)
        count = "Geen opmerkingen" if n == 0 else ("1 opmerking" if n == 1 else f"{n} opmerkingen")
        link = f"<span class='post-comment-link'><a class='comment-link' href='{url}#comments'>{count}:</a></span>"
        return (
            "<div class='post-outer'><div class='post hentry'>\n"
            f"<a name='{post_id(post)}'></a>\n"
            f"<h3 class='post-title entry-title'><a href='{url}'>{escape(post.title)}</a></h3>\n"
            "<div class='post-header'><div class='post-header-line-1'></div></div>\n"
            f"<div class='post-body entry-content'>\n{body}\n<div style='clear: both;'></div></div>\n"
            "<div class='post-footer'><div class='post-footer-line post-footer-line-1'>"
            f"<span class='post-author vcard'>Geplaatst door <span class='fn'>{escape(post.author)}</span></span> "
            f"<span class='post-timestamp'>om <a class='timestamp-link' href='{url}' rel='bookmark' "
            f"title='permanent link'><abbr class='published' title='{iso(post.published)}'>"
            f"{post.published:%H:%M}</abbr></a></span> "
            + (link if comment_link else "")
            + "</div>\n<div class='post-footer-line post-footer-line-2'>"
            + (f"<span class='post-labels'>Labels: {labels}</span>" if labels else "")
            + "</div></div>\n</div></div>\n"
        )

    def _comments_html(self, post: Entry) -> str:
        n = len(post.comments)
        heading = (
            "Geen opmerkingen:" if n == 0 else ("1 opmerking:" if n == 1 else f"{n} opmerkingen:")
        )
        items = []
        for i, c in enumerate(post.comments, start=1):
            items.append(
                f"<dt class='comment-author' id='c{i}'><a name='c{i}'></a>"
                f"<a href='#' rel='nofollow'>{escape(c.author)}</a> zei...</dt>\n"
                f"<dd class='comment-body'><p>{escape(c.text)}</p></dd>\n"
                f"<dd class='comment-footer'><span class='comment-timestamp'>"
                f"<a href='#c{i}' title='comment permalink'>{day_month_year(c.posted)}</a></span></dd>\n"
            )
        return (
            "<div class='comments' id='comments'>\n<a name='comments'></a>\n"
            f"<h4>{heading}</h4>\n<dl id='comments-block'>\n{''.join(items)}</dl>\n"
            "<p class='comment-footer'><a href='#' onclick='return false'>Een reactie posten</a></p>\n</div>\n"
        )

    def _post_page(self, post: Entry, canonical: str) -> Resource:
        live = self.live_entries()
        if "index" not in self.memo:
            self.memo["index"] = {p.key: i for i, p in enumerate(live)}
        index = self.memo["index"].get(post.key, 0)
        newer = live[index - 1] if index > 0 else None
        older = live[index + 1] if index + 1 < len(live) else None
        pager = "<div class='blog-pager' id='blog-pager'>"
        if newer:
            pager += f"<span id='blog-pager-newer-link'><a class='blog-pager-newer-link' href='{self.url_for(newer)}'>Nieuwere post</a></span> "
        if older:
            pager += f"<span id='blog-pager-older-link'><a class='blog-pager-older-link' href='{self.url_for(older)}'>Oudere post</a></span> "
        pager += "<a class='home-link' href='/'>Homepage</a></div>\n"
        main = (
            "<div class='blog-posts hfeed'>\n<div class='date-outer'>\n"
            f"<h2 class='date-header'><span>{long_date(post.published)}</span></h2>\n"
            f"<div class='date-posts'>\n{self._post_html(post, comment_link=False)}"
            f"{self._comments_html(post)}</div></div>\n</div>\n{pager}"
            f"<div class='post-feeds'><div class='feed-links'>Abonneren op: "
            f"<a class='feed-link' href='/feeds/posts/default' type='application/atom+xml'>Posts (Atom)</a></div></div>\n"
        )
        hostile = bool(post.raw_html)
        title = f"{layout.BLOG_TITLE}: {post.title}"
        html = layout.page(title, main, self._sidebar(), canonical=canonical, raw_title=hostile)
        res = self._resource([post], html)
        return res

    def _listing(self, posts: list[Entry], title: str, *, full: bool = True) -> Resource:
        live = self.live_entries()
        chunks: list[str] = ["<div class='blog-posts hfeed'>\n"]
        current = ""
        for post in posts:
            header = long_date(post.published)
            if header != current:
                if current:
                    chunks.append("</div></div>\n")
                chunks.append(
                    f"<div class='date-outer'><h2 class='date-header'><span>{header}</span></h2>\n<div class='date-posts'>\n"
                )
                current = header
            chunks.append(self._post_html(post, comment_link=True))
        if current:
            chunks.append("</div></div>\n")
        if not posts:
            chunks.append("<p>Er zijn geen berichten.</p>\n")
        chunks.append(
            "</div>\n<div class='blog-pager' id='blog-pager'><a class='home-link' href='/'>Homepage</a></div>\n"
        )
        html = layout.page(title, "".join(chunks), self._sidebar())
        return self._resource(posts or live, html)

    def _archive(self, parts: list[str]) -> Resource | None:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) == 2 else None
        posts = [
            p for p in self.live_entries()
            if p.published.year == year and (month is None or p.published.month == month)
        ]  # fmt: skip
        if not posts:
            return None
        period = f"{year}" if month is None else f"{month:02d}/{year}"
        return self._listing(posts, f"{layout.BLOG_TITLE}: {period}")

    def _feed(self, params: dict[str, str]) -> Resource:
        try:
            start = max(1, int(params.get("start-index", "1")))
            size = min(FEED_MAX, max(1, int(params.get("max-results", str(FEED_PAGE)))))
        except ValueError:
            start, size = 1, FEED_PAGE
        live = self.live_entries()
        chunk = live[start - 1 : start - 1 + size]
        base = self.base_url
        updated = max((p.last_modified for p in live), default=datetime(2010, 1, 1))
        out = [
            "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns='http://www.w3.org/2005/Atom' "
            "xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/'>\n"
            f"<id>tag:blogger.com,1999:blog-{BLOG_ID}</id>\n<updated>{iso(updated)}</updated>\n"
            f"<title type='text'>{layout.BLOG_TITLE}</title>\n"
            f"<link rel='alternate' type='text/html' href='{base}/'/>\n"
            f"<link rel='self' type='application/atom+xml' href='{base}/feeds/posts/default?start-index={start}&amp;max-results={size}'/>\n"
            f"<openSearch:totalResults>{len(live)}</openSearch:totalResults>\n"
            f"<openSearch:startIndex>{start}</openSearch:startIndex>\n"
            f"<openSearch:itemsPerPage>{size}</openSearch:itemsPerPage>\n"
        ]
        if start - 1 + size < len(live):
            out.append(
                f"<link rel='next' type='application/atom+xml' href='{base}/feeds/posts/default"
                f"?start-index={start + size}&amp;max-results={size}'/>\n"
            )
        for post in chunk:
            content = "<br /><br />".join(escape(p) for p in post.paragraphs) + post.raw_html
            cats = "".join(
                f"<category scheme='http://www.blogger.com/atom/ns#' term='{escape(t)}'/>"
                for t in post.tags
            )
            out.append(
                f"<entry><id>tag:blogger.com,1999:blog-{BLOG_ID}.post-{post_id(post)}</id>"
                f"<published>{iso(post.published)}</published><updated>{iso(post.last_modified)}</updated>{cats}"
                f"<title type='text'>{escape(post.title)}</title>"
                f"<content type='html'>{escape(content)}</content>"
                f"<link rel='alternate' type='text/html' href='{base}{self.url_for(post)}' title='{escape(post.title)}'/>"
                f"<author><name>{escape(post.author)}</name></author>"
                f"<thr:total xmlns:thr='http://purl.org/syndication/thread/1.0'>{len(post.comments)}</thr:total></entry>\n"
            )
        out.append("</feed>\n")
        return self._resource(live, "".join(out), "application/atom+xml; charset=UTF-8")


def _error(status: int) -> Resource:
    body = (
        "<html><head><title>bnbibliotheek</title></head><body><h2>Sorry, de pagina die u zocht "
        "in deze blog bestaat niet.</h2><p><a href='/'>Homepage</a></p></body></html>"
    )
    return Resource(status=status, content_type=HTML, body=body.encode(), cacheable=False)
