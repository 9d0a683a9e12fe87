"""Extraction: one fetched page + its source profile -> one Document (pure, no I/O).

Sits between fetching and the store in the crawl (crawler.run). Each page is parsed
once (Beautiful Soup on lxml); the same parse yields the document, the outgoing
links for discovery, ``rel=canonical`` and the attachment links. Profile selectors
come first; boilerplate (nav, footer, sidebars, comments) is removed by the profile's
exclude selectors before any text is read; trafilatura is the fallback for the main
text only when the profile's body selectors find nothing (reported as a warning), and
it reads the page *after* that removal, so menus never become the body. An empty
extraction is a warning, never filled with chrome. ``noindex`` / ``nofollow`` from
``<meta name="robots">`` and the X-Robots-Tag header (``FetchedPage.robots``) are
respected: a noindex page yields no document, a nofollow page no links.
The function is top-level and its inputs picklable so a process pool can run it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import Final, Protocol

import trafilatura
from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from core import reasons
from core.errors import ExtractError
from core.models import Document
from core.reasons import Reason
from core.sources import Scope, SourceProfile
from crawler.attachments import is_pdf, read_pdf
from crawler.dates import parse_date
from crawler.encoding import decode_html
from crawler.urls import DEFAULT_DROP, canonicalize, is_pdf_url, is_web_url, resolve

BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "table",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "hr",
        "address",
        "figure",
        "figcaption",
    ]
)
ALWAYS_REMOVED = ("script", "style", "noscript", "template", "iframe", "object")
SUMMARY_LIMIT = 300
#: The warning of a page whose main text came back empty (a code, core.reasons).
EMPTY_EXTRACTION: Final[Reason] = reasons.reason("empty_extraction")


class Page(Protocol):
    """What extraction needs of a fetched page (crawler.fetch.FetchedPage has it)."""

    @property
    def url(self) -> str: ...
    @property
    def content(self) -> bytes: ...
    @property
    def content_type(self) -> str: ...
    @property
    def charset(self) -> str | None: ...


@dataclass(frozen=True, kw_only=True)
class PageResult:
    """Everything one parse yields; ``document`` is None for pages that are only followed."""

    url: str
    document: Document | None = None
    links: tuple[str, ...] = ()
    canonical: str | None = None
    attachments: tuple[str, ...] = ()
    warnings: tuple[Reason, ...] = field(default_factory=tuple)  # codes (core.reasons)
    noindex: bool = False  # the page asks not to be indexed (meta robots / X-Robots-Tag)


def canonical_url(url: str, profile: SourceProfile) -> str:
    return _cached_canonical(url, drop_rules(profile.scope))


@lru_cache(maxsize=65536)
def _cached_canonical(url: str, drop: frozenset[str]) -> str:
    # Every page links the same menus: most calls in a crawl repeat an earlier URL
    # (measured: ~33 links per page, about 0.1 ms saved per repeat).
    return canonicalize(url, drop_params=drop)


@lru_cache(maxsize=64)
def drop_rules(scope: Scope) -> frozenset[str]:
    """The query parameters a source drops: the defaults minus ``keep_params``, plus its own
    ``drop_params`` (all case-insensitive)."""
    keep = {p.lower() for p in scope.keep_params}
    return frozenset(p for p in DEFAULT_DROP if p not in keep) | {
        p.lower() for p in scope.drop_params
    }


def fetch_form(url: str, profile: SourceProfile) -> str:
    """The URL a document keeps and is refetched by: what answered, minus session and
    tracking parameters, trailing slash kept (its id still comes from ``canonical_url``)."""
    return canonicalize(url, drop_params=drop_rules(profile.scope), keep_slash=True)


def _at_fetch_url(doc: Document, fetched: str, profile: SourceProfile) -> Document:
    return replace(doc, url=fetch_form(fetched, profile))  # id and hash stay canonical


def extract(page: Page, profile: SourceProfile, *, parent: str | None = None) -> Document:
    """The Document a page holds according to ``profile``; ExtractError if there is none."""
    result = extract_page(page, profile, parent=parent, as_document=True)
    assert result.document is not None  # as_document=True raises instead
    return result.document


def extract_page(
    page: Page, profile: SourceProfile, *, parent: str | None = None, as_document: bool = True
) -> PageResult:
    """Parse ``page`` once: its document (if ``as_document``), links, canonical, attachments."""
    url = canonical_url(page.url, profile)
    header: frozenset[str] = getattr(page, "robots", frozenset())
    if is_pdf(page.url, page.content_type, page.content[:8]):
        if header & _NOINDEX:
            return PageResult(url=url, noindex=True)
        pdf = read_pdf(page, profile, url=url, parent=parent)
        return PageResult(url=url, document=_at_fetch_url(pdf, page.url, profile))
    text, _codec = decode_html(page.content, page.charset)
    if "\x00" in text or text.count("\ufffd") >= 3:
        raise ExtractError("malformed page: binary junk in the HTML (NUL or undecodable bytes)")
    soup = BeautifulSoup(text, "lxml")
    directives = header | _meta_robots(soup, getattr(page, "agent", ""))
    noindex = bool(directives & _NOINDEX)
    base = _base_href(soup, page.url)
    links = () if directives & _NOFOLLOW else _links(soup, base)
    canonical = _canonical(soup, base, profile)
    # PDFs are found by their extension in any case and with a query string, on every
    # page (a listing page of "downloads" too), besides the profile's own selectors.
    found_pdfs = [link for link in links if is_pdf_url(link)]
    if not as_document or noindex:
        attachments = tuple(dict.fromkeys(canonical_url(u, profile) for u in found_pdfs))
        return PageResult(
            url=url, links=links, canonical=canonical, attachments=attachments, noindex=noindex
        )
    doc, warnings = _document(soup, url, base, profile, parent)
    doc = _at_fetch_url(doc, page.url, profile)
    attachments = tuple(
        dict.fromkeys(
            canonical_url(u, profile)
            for u in (
                *(resolve(base, v) for v in _values(soup, profile.fields.attachments)),
                *found_pdfs,
            )
            if is_web_url(u)
        )
    )
    return PageResult(
        url=url,
        document=doc,
        links=links,
        canonical=canonical,
        attachments=attachments,
        warnings=warnings,
    )


_NOINDEX = frozenset({"noindex", "none"})
_NOFOLLOW = frozenset({"nofollow", "none"})


def _meta_robots(soup: BeautifulSoup, agent: str) -> frozenset[str]:
    """Directives of ``<meta name="robots">`` and of a meta named after our agent token."""
    names = {"robots", agent.lower()} - {""}
    found: set[str] = set()
    for meta in soup.find_all("meta", attrs={"content": True}):
        name = str(meta.get("name") or "").strip().lower()
        if name in names:
            found.update(d.strip().lower() for d in str(meta["content"]).split(","))
    return frozenset(found)


def _document(
    soup: BeautifulSoup, url: str, base: str, profile: SourceProfile, parent: str | None
) -> tuple[Document, tuple[Reason, ...]]:
    rules = profile.fields
    warnings: list[Reason] = []
    doc_type = _doc_type(soup, url, profile)
    language = _language(_first(soup, rules.language), profile.language)
    meta_summary = _first(soup, rules.summary)
    provincie = _provincie(soup, profile, warnings)
    for tag in soup(ALWAYS_REMOVED):
        tag.decompose()
    for selector in profile.exclude:
        for tag in soup.select(selector):
            tag.decompose()
    body = _body(soup, rules.body)
    if not body and rules.body:
        warnings.append(reasons.reason("body_fallback", selectors=str(list(rules.body))))
    title = _first(soup, rules.title)
    if not title:
        raise ExtractError("no title: none of the title selectors matched")
    if not body:
        # The soup has lost its scripts and the profile's excluded parts already: the
        # fallback must not bring the menu back as the page's text. The heading alone
        # is no text either.
        body = _fallback_body(str(soup))
        if " ".join(body.split()) == title:
            body = ""
    if not body:
        warnings.append(EMPTY_EXTRACTION)
    dates = profile.dates
    return (
        Document(
            url=url,
            source=profile.name,
            provincie=provincie,
            type=doc_type,
            title=title,
            body=body,
            summary=meta_summary or _summary(body),
            headings=tuple(dict.fromkeys(h for h in _all(soup, rules.headings) if h)),
            author=_first(soup, rules.author),
            tags=_tags(soup, profile),
            published=_date(soup, rules.published, dates.published, dates.timezone),
            modified=_date(soup, rules.modified, dates.modified, dates.timezone),
            language=language,
            parent=parent,
        ),
        tuple(warnings),
    )


def _provincie(
    soup: BeautifulSoup, profile: SourceProfile, warnings: list[Reason]
) -> tuple[str, ...]:
    """The provinces the page names (profile.provincie_from), else the profile's fallback.

    A value that names no configured province is reported as a profile warning (the
    crawl report and the ``extract`` preview show it), never guessed.
    """
    rule = profile.provincie_from
    if not rule.selectors:
        return (profile.provincie,)
    raw = _first(soup, rule.selectors)
    if not raw:
        return (profile.provincie,)
    found, unknown = profile.provinces.resolve(raw, rule.values)
    for value in unknown:
        warnings.append(
            reasons.reason(
                "unknown_provincie", value=repr(value), known=", ".join(profile.provinces.labels)
            )
        )
    return found or (profile.provincie,)


def _base_href(soup: BeautifulSoup, url: str) -> str:
    base = soup.find("base", href=True)
    return resolve(url, str(base["href"])) if isinstance(base, Tag) else url


def _rel(tag: Tag) -> set[str]:
    """The keywords of a ``rel`` attribute; HTML compares them ASCII case-insensitively."""
    value = tag.get("rel") or ()
    return {v.lower() for v in ([value] if isinstance(value, str) else value)}


def _links(soup: BeautifulSoup, base: str) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for a in soup.find_all(["a", "area"], href=True):
        if "nofollow" in _rel(a):
            continue
        href = resolve(base, str(a["href"]))
        if is_web_url(href):
            found[href] = None
    return tuple(found)


def _canonical(soup: BeautifulSoup, base: str, profile: SourceProfile) -> str | None:
    for link in soup.find_all("link", href=True):
        if "canonical" in _rel(link):
            href = resolve(base, str(link["href"]))
            return canonical_url(href, profile) if is_web_url(href) else None
    return None


def _doc_type(soup: BeautifulSoup, url: str, profile: SourceProfile) -> str:
    rel = profile.relative(url)
    for rule in profile.types:
        if rule.url is not None and rule.url.search(rel):
            return rule.type
        if rule.selector is not None and soup.select_one(rule.selector) is not None:
            return rule.type
    return profile.default_type


def _language(value: str, default: str) -> str:
    primary = value.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else default


def _values(soup: BeautifulSoup, selectors: tuple[str, ...]) -> list[str]:
    """Values of the first selector that matches anything (text, or ``@attribute``)."""
    for raw in selectors:
        css, _, attr = raw.partition("@")
        values = []
        for tag in soup.select(css):
            value = tag.get(attr) if attr else block_text(tag)
            if isinstance(value, list):
                value = " ".join(value)
            if value and value.strip():
                values.append(" ".join(value.split()) if attr else value)
        if values:
            return values
    return []


def _first(soup: BeautifulSoup, selectors: tuple[str, ...]) -> str:
    values = _values(soup, selectors)
    return " ".join(values[0].split()) if values else ""


def _all(soup: BeautifulSoup, selectors: tuple[str, ...]) -> list[str]:
    return [" ".join(v.split()) for sel in selectors for v in _values(soup, (sel,))]


def _body(soup: BeautifulSoup, selectors: tuple[str, ...]) -> str:
    return "\n".join(_values(soup, selectors)).strip()


def _fallback_body(html: str) -> str:
    text = trafilatura.extract(html, include_comments=False, include_tables=True) or ""
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _tags(soup: BeautifulSoup, profile: SourceProfile) -> tuple[str, ...]:
    split = profile.fields.tags_split
    tags: dict[str, None] = {}
    for value in _values(soup, profile.fields.tags):
        for part in value.split(split) if split else [value]:
            clean = " ".join(part.split()).strip(" ,;")
            if clean:
                tags[clean] = None
    return tuple(tags)


def _date(
    soup: BeautifulSoup, selectors: tuple[str, ...], formats: tuple[str, ...], tz: str
) -> datetime | None:
    for value in _all(soup, selectors):
        moment = parse_date(value, formats, tz)
        if moment is not None:
            return moment
    return None


def _summary(body: str) -> str:
    for line in body.splitlines():
        if len(line) >= 40:
            text = line
            break
    else:
        text = " ".join(body.split())
    return text if len(text) <= SUMMARY_LIMIT else text[:SUMMARY_LIMIT].rsplit(" ", 1)[0] + " …"


def block_text(tag: Tag) -> str:
    """Visible text of ``tag`` with a line break at every block element."""
    parts: list[str] = []
    for node in tag.descendants:
        if type(node) is NavigableString:  # comments, CDATA, doctypes are subclasses
            parts.append(str(node))
        elif isinstance(node, Tag) and node.name in BLOCK_TAGS:
            parts.append("\n")
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
