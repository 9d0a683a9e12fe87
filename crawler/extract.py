"""Extraction: one fetched page + its source profile -> one Document (pure, no I/O).

Sits between fetching and the store in the crawl (crawler.run). Each page is parsed
once (Beautiful Soup on lxml); the same parse yields the document, the outgoing
links for discovery, ``rel=canonical`` and the attachment links. Profile selectors
come first; boilerplate (nav, footer, sidebars, comments) is removed by the profile's
exclude selectors before any text is read; trafilatura is the fallback for the main
text only when the profile's body selectors find nothing (reported as a warning).
The function is top-level and its inputs picklable so a process pool can run it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import trafilatura
from bs4 import BeautifulSoup, NavigableString, Tag

from core.errors import ExtractError
from core.models import Document
from core.sources import SourceProfile
from crawler.attachments import is_pdf, read_pdf
from crawler.dates import parse_date
from crawler.encoding import decode_html
from crawler.urls import DEFAULT_DROP, canonicalize, is_web_url, resolve

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
    warnings: tuple[str, ...] = field(default_factory=tuple)


def canonical_url(url: str, profile: SourceProfile) -> str:
    return canonicalize(url, drop_params=DEFAULT_DROP | set(profile.scope.drop_params))


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
    if is_pdf(page.url, page.content_type, page.content[:8]):
        return PageResult(url=url, document=read_pdf(page, profile, url=url, parent=parent))
    text, _codec = decode_html(page.content, page.charset)
    if "\x00" in text or text.count("\ufffd") >= 3:
        raise ExtractError("malformed page: binary junk in the HTML (NUL or undecodable bytes)")
    soup = BeautifulSoup(text, "lxml")
    base = _base_href(soup, page.url)
    links = _links(soup, base)
    canonical = _canonical(soup, base, profile)
    if not as_document:
        return PageResult(url=url, links=links, canonical=canonical)
    doc, warnings = _document(soup, text, url, base, profile, parent)
    attachments = tuple(
        dict.fromkeys(
            canonical_url(resolve(base, v), profile)
            for v in _values(soup, profile.fields.attachments)
            if is_web_url(resolve(base, v))
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


def _document(
    soup: BeautifulSoup, html: str, url: str, base: str, profile: SourceProfile, parent: str | None
) -> tuple[Document, tuple[str, ...]]:
    rules = profile.fields
    warnings: list[str] = []
    doc_type = _doc_type(soup, url, profile)
    language = _language(_first(soup, rules.language), profile.language)
    meta_summary = _first(soup, rules.summary)
    for tag in soup(ALWAYS_REMOVED):
        tag.decompose()
    for selector in profile.exclude:
        for tag in soup.select(selector):
            tag.decompose()
    body = _body(soup, rules.body)
    if not body and rules.body:
        warnings.append(f"body selectors {list(rules.body)} matched nothing; used trafilatura")
    if not body:
        body = _fallback_body(html)
    title = _first(soup, rules.title)
    if not title:
        raise ExtractError("no title: none of the title selectors matched")
    dates = profile.dates
    return (
        Document(
            url=url,
            source=profile.name,
            provincie=profile.provincie,
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


def _base_href(soup: BeautifulSoup, url: str) -> str:
    base = soup.find("base", href=True)
    return resolve(url, str(base["href"])) if isinstance(base, Tag) else url


def _links(soup: BeautifulSoup, base: str) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for a in soup.find_all(["a", "area"], href=True):
        rel = a.get("rel") or ()
        if "nofollow" in rel:
            continue
        href = resolve(base, str(a["href"]))
        if is_web_url(href):
            found[href] = None
    return tuple(found)


def _canonical(soup: BeautifulSoup, base: str, profile: SourceProfile) -> str | None:
    for link in soup.find_all("link", href=True):
        if "canonical" in (link.get("rel") or ()):
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
