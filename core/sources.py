"""Source profiles: how to crawl and read one knowledge system, loaded from TOML.

The first stage of the data flow (``sources.toml`` -> crawler). Each ``[sources.<name>]``
table is validated into a frozen ``SourceProfile``; the crawler, the worker's
scheduler and the CLI only ever see these values. A third source needs only a new
table. A profile error names the source, the key and what was expected.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from apscheduler.triggers.cron import CronTrigger

from core.errors import ConfigError
from core.models import DOC_TYPES
from core.provinces import Provinces, parse_provinces
from core.sources_reader import Section

FOLLOW_LINKS = ("always", "full", "never")
DEFAULT_DATE_FORMATS = ("%A %d %B %Y", "%d %B %Y", "%d %b %Y", "%d-%m-%Y", "%Y-%m-%d")


@dataclass(frozen=True, kw_only=True)
class Scope:
    """Which URLs belong to the source; patterns match the path plus query string."""

    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()
    documents: tuple[re.Pattern[str], ...] = ()  # stored as documents; others only followed
    max_depth: int = 10
    max_pages: int = 50_000
    drop_params: tuple[str, ...] = ()  # added to crawler.urls.DEFAULT_DROP
    keep_params: tuple[str, ...] = ()  # taken out of DEFAULT_DROP ("sid" is an article id)
    follow_links: str = "always"  # "full": only on full/first runs (sitemap is complete)
    # Trap control (crawler.traps): newly found URLs beyond these are not queued.
    max_url_length: int = 400
    max_query_params: int = 6
    max_segment_repeats: int = 2  # one path segment at most this often ("/more/more/")
    quotas: tuple[tuple[re.Pattern[str], int], ...] = ()  # per pattern: pages per run


@dataclass(frozen=True, kw_only=True)
class FieldRules:
    """CSS selectors per field, first match wins; ``sel@attr`` reads an attribute."""

    title: tuple[str, ...] = ("h1", "title")
    body: tuple[str, ...] = ()
    summary: tuple[str, ...] = ("meta[name=description]@content",)
    headings: tuple[str, ...] = ("h2", "h3")
    author: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    tags_split: str = ","
    attachments: tuple[str, ...] = ("a[href$='.pdf']@href",)
    language: tuple[str, ...] = ("html@lang",)


@dataclass(frozen=True, kw_only=True)
class DateRules:
    """Date patterns (strftime-like, Dutch names for %A/%B/%b) for each date field."""

    published: tuple[str, ...] = DEFAULT_DATE_FORMATS
    modified: tuple[str, ...] = DEFAULT_DATE_FORMATS
    timezone: str = "Europe/Amsterdam"


@dataclass(frozen=True, kw_only=True)
class TypeRule:
    type: str
    url: re.Pattern[str] | None = None
    selector: str | None = None


@dataclass(frozen=True, kw_only=True)
class Schedule:
    cron: str | None = None
    interval_minutes: int | None = None


@dataclass(frozen=True, kw_only=True)
class Politeness:
    delay: float = 1.0
    concurrency: int = 2
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    max_host_failures: int = 10  # failed answers in a row that give a host up for the run


@dataclass(frozen=True, kw_only=True)
class RevisitPolicy:
    """Adaptive revisit (crawler.revisit): every document is verified at least every
    ``max_days``, whatever its sitemap date says; the interval halves when a page
    changed and grows by half when it did not, within [min_days, max_days]."""

    max_days: float = 7.0
    min_days: float = 1.0
    budget: int = 1000  # due pages verified per run beyond those past max_days


@dataclass(frozen=True, kw_only=True)
class DeletionPolicy:
    gone_confirmations: int = 2
    missing_runs: int = 3
    max_error_ratio: float = 0.2  # above this share of failed requests a run is unhealthy
    min_seen_ratio: float = 0.5  # fewer than this share of the baseline's pages: unhealthy
    max_drop_ratio: float = 0.2  # deleting more than this share at once waits for an admin


@dataclass(frozen=True, kw_only=True)
class ProvincieRule:
    """Where a page names its own province(s); the profile's ``provincie`` is the fallback."""

    selectors: tuple[str, ...] = ()  # CSS, "selector@attribute" allowed; first match wins
    values: Mapping[str, str] = field(default_factory=dict)  # this source's own spellings


@dataclass(frozen=True, kw_only=True)
class SourceProfile:
    name: str
    label: str
    provincie: str  # fallback province label (the only one when provincie_from is empty)
    base_url: str
    start_urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    language: str = "nl"
    default_type: str = "artikel"
    attachment_type: str = "bijlage"
    scope: Scope = field(default_factory=Scope)
    fields: FieldRules = field(default_factory=FieldRules)
    exclude: tuple[str, ...] = ()
    dates: DateRules = field(default_factory=DateRules)
    types: tuple[TypeRule, ...] = ()
    schedule: Schedule = field(default_factory=Schedule)
    politeness: Politeness = field(default_factory=Politeness)
    deletion: DeletionPolicy = field(default_factory=DeletionPolicy)
    revisit: RevisitPolicy = field(default_factory=RevisitPolicy)
    provincie_from: ProvincieRule = field(default_factory=ProvincieRule)
    #: The configured provinces (the same object for every profile of one file).
    provinces: Provinces = field(default_factory=lambda: Provinces([]), compare=False, repr=False)

    def absolute(self, path_or_url: str) -> str:
        """A start point as a full URL: relative ones hang off ``base_url``."""
        if "://" in path_or_url:
            return path_or_url
        return self.base_url + "/" + path_or_url.lstrip("/")

    def relative(self, url: str) -> str:
        """Path plus query of ``url`` below ``base_url`` (what scope patterns see)."""
        if url.startswith(self.base_url):
            rest = url[len(self.base_url) :]
            return rest if rest.startswith("/") else "/" + rest
        return url

    def in_scope(self, url: str) -> bool:
        if not url.startswith(self.base_url + "/") and url != self.base_url:
            return False
        rel = self.relative(url)
        if self.scope.include and not any(p.search(rel) for p in self.scope.include):
            return False
        return not any(p.search(rel) for p in self.scope.exclude)

    def is_document(self, url: str) -> bool:
        rel = self.relative(url)
        return not self.scope.documents or any(p.search(rel) for p in self.scope.documents)


def load_provinces(path: Path | str) -> Provinces:
    """The ``[provinces.*]`` tables of the sources file (the search UI needs only these)."""
    return parse_provinces(_read_toml(Path(path)).get("provinces"), origin=str(path))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read source profiles {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc


def load_profiles(
    path: Path | str,
    *,
    base_urls: Mapping[str, str] | None = None,
    politeness: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, SourceProfile]:
    """Read and validate every profile in ``path``.

    ``base_urls`` replaces the base URL per source (tests serve the demo on port 0);
    ``politeness`` overrides politeness keys per source (tests use tiny delays).
    """
    path = Path(path)
    data = _read_toml(path)
    return parse_profiles(data, base_urls=base_urls, politeness=politeness, origin=str(path))


def parse_profiles(
    data: Mapping[str, Any],
    *,
    base_urls: Mapping[str, str] | None = None,
    politeness: Mapping[str, Mapping[str, Any]] | None = None,
    origin: str = "sources.toml",
) -> dict[str, SourceProfile]:
    sources = data.get("sources")
    if not isinstance(sources, dict) or not sources:
        raise ConfigError(f"{origin}: expected at least one [sources.<name>] table")
    extra = set(data) - {"sources", "provinces"}
    if extra:
        raise ConfigError(
            f"{origin}: unknown top-level keys {sorted(extra)}; expected [provinces.*], [sources.*]"
        )
    provinces = parse_provinces(data.get("provinces"), origin=origin)
    profiles = {}
    for name, table in sources.items():
        section = Section(name, "", table)
        if base_urls and name in base_urls:
            section.data["base_url"] = base_urls[name]
        if politeness and name in politeness:
            merged = dict(section.data.get("politeness", {}))
            merged.update(politeness[name])
            section.data["politeness"] = merged
        profiles[name] = _profile(section, provinces)
    for name in set(base_urls or {}) - set(profiles):
        raise ConfigError(f"base URL override for unknown source {name!r}")
    _refuse_overlap(profiles, origin)
    return profiles


def _refuse_overlap(profiles: Mapping[str, SourceProfile], origin: str) -> None:
    """One owner per page: two sources on one site must not reach each other's start
    points (a second profile would otherwise rewrite the first one's documents)."""
    ordered = list(profiles.values())
    for i, one in enumerate(ordered):
        for other in ordered[i + 1 :]:
            if one.base_url != other.base_url:
                continue
            for a, b in ((one, other), (other, one)):
                for start in (*b.start_urls, *b.sitemaps, *b.feeds):
                    url = b.absolute(start)
                    if a.in_scope(url.split("?", 1)[0]) or a.in_scope(url):
                        raise ConfigError(
                            f"{origin}: sources {a.name!r} and {b.name!r} overlap: {url} (a "
                            f"start point of {b.name!r}) is in the scope of {a.name!r}; give "
                            f"sources on one site disjoint scope.include patterns"
                        )


def _profile(s: Section, provinces: Provinces) -> SourceProfile:
    base_url = normalise_base_url(s.text("base_url"))
    if not re.match(r"^https?://[^/@]+$", base_url):
        raise s.error("base_url", "an http(s) URL of a site root, e.g. http://127.0.0.1:8101")
    profile = SourceProfile(
        name=s.source,
        label=s.text("label", s.source),
        provincie=_fallback_provincie(s, provinces),
        base_url=base_url,
        start_urls=s.strings("start_urls", ()),
        sitemaps=s.strings("sitemaps", ()),
        feeds=s.strings("feeds", ()),
        language=s.text("language", "nl"),
        default_type=s.choice("default_type", DOC_TYPES, "artikel"),
        attachment_type=s.choice("attachment_type", ("document", "bijlage"), "bijlage"),
        scope=_scope(s.sub("scope")),
        fields=_fields(s.sub("fields")),
        exclude=s.selectors("exclude", ()),
        dates=_dates(s.sub("dates")),
        types=tuple(_type_rule(t) for t in s.tables("types")),
        schedule=_schedule(s.sub("schedule")),
        politeness=_politeness(s.sub("politeness")),
        deletion=_deletion(s.sub("deletion")),
        revisit=_revisit(s.sub("revisit")),
        provincie_from=_provincie_rule(s.sub("provincie_from"), provinces),
        provinces=provinces,
    )
    s.refuse_unknown()
    if not (profile.start_urls or profile.sitemaps or profile.feeds):
        raise s.error("start_urls", "at least one of start_urls, sitemaps or feeds")
    return profile


def normalise_base_url(raw: str) -> str:
    """``base_url`` spelled the way canonical URLs are (crawler.urls): lower-case scheme and
    host, no default port, no trailing slash. "HTTP://Bibliotheek.NL:80/" becomes
    "http://bibliotheek.nl", so scope checks match what the crawler stores."""
    text = raw.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text  # the format check that follows names the key
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or parts.path or parts.query:
        return text
    host = parts.hostname.rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username is not None:
        netloc = f"{parts.username}@{netloc}"  # refused by the caller's check
    return f"{scheme}://{netloc}"


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _fallback_provincie(s: Section, provinces: Provinces) -> str:
    label = provinces.label_of(s.text("provincie"))
    if label is None:
        raise s.error(
            "provincie", "one of the [provinces] " + ", ".join(map(repr, provinces.labels))
        )
    return label


def _provincie_rule(s: Section, provinces: Provinces) -> ProvincieRule:
    values = s.string_map("values")
    for spelling, target in values.items():
        found, unknown = provinces.resolve(target)
        if unknown or not found:
            raise s.error("values", f"provinces from [provinces] ({spelling!r} -> {target!r})")
    rule = ProvincieRule(selectors=s.selectors("selectors", ()), values=dict(values))
    s.refuse_unknown()
    return rule


def _scope(s: Section) -> Scope:
    scope = Scope(
        include=s.patterns("include"),
        exclude=s.patterns("exclude"),
        documents=s.patterns("documents"),
        max_depth=s.integer("max_depth", 10, minimum=0),
        max_pages=s.integer("max_pages", 50_000, minimum=1),
        drop_params=s.strings("drop_params", ()),
        keep_params=s.strings("keep_params", ()),
        follow_links=s.choice("follow_links", FOLLOW_LINKS, "always"),
        max_url_length=s.integer("max_url_length", 400, minimum=20),
        max_query_params=s.integer("max_query_params", 6, minimum=0),
        max_segment_repeats=s.integer("max_segment_repeats", 2, minimum=1),
        quotas=_quotas(s.sub("quotas")),
    )
    s.refuse_unknown()
    return scope


def _quotas(s: Section) -> tuple[tuple[re.Pattern[str], int], ...]:
    """``[sources.x.scope.quotas]``: ``"regex" = pages per run`` (e.g. a calendar)."""
    quotas = []
    for raw in list(s.data):
        try:
            compiled = re.compile(raw)
        except re.error as exc:
            raise s.error(raw, f"a valid regular expression as the key ({exc})") from exc
        quotas.append((compiled, s.integer(raw, 0, minimum=1)))
    s.refuse_unknown()
    return tuple(quotas)


def _revisit(s: Section) -> RevisitPolicy:
    policy = RevisitPolicy(
        max_days=s.number("max_revisit", 7.0, minimum=0.01),
        min_days=s.number("min_revisit", 1.0, minimum=0.0),
        budget=s.integer("budget", 1000, minimum=1),
    )
    if policy.min_days > policy.max_days:
        raise s.error("min_revisit", f"at most max_revisit ({policy.max_days})")
    s.refuse_unknown()
    return policy


def _fields(s: Section) -> FieldRules:
    d = FieldRules()
    rules = FieldRules(
        title=s.selectors("title", d.title),
        body=s.selectors("body", d.body),
        summary=s.selectors("summary", d.summary),
        headings=s.selectors("headings", d.headings),
        author=s.selectors("author", d.author),
        published=s.selectors("published", d.published),
        modified=s.selectors("modified", d.modified),
        tags=s.selectors("tags", d.tags),
        tags_split=s.text("tags_split", d.tags_split),
        attachments=s.selectors("attachments", d.attachments),
        language=s.selectors("language", d.language),
    )
    s.refuse_unknown()
    return rules


def _dates(s: Section) -> DateRules:
    rules = DateRules(
        published=s.date_formats("published", DEFAULT_DATE_FORMATS),
        modified=s.date_formats("modified", DEFAULT_DATE_FORMATS),
        timezone=s.timezone("timezone", "Europe/Amsterdam"),
    )
    s.refuse_unknown()
    return rules


def _type_rule(s: Section) -> TypeRule:
    url = s.pattern("url")
    selector = s.selectors("selector", ())
    if (url is None) == (not selector):
        raise s.error("url", "exactly one of url (a regex) or selector (CSS)")
    rule = TypeRule(
        type=s.choice("type", DOC_TYPES), url=url, selector=selector[0] if selector else None
    )
    s.refuse_unknown()
    return rule


def _schedule(s: Section) -> Schedule:
    cron = s.text("cron", "") or None
    if cron is not None:
        # The scheduler's own parser, so a string that loads is one the worker can run.
        try:
            CronTrigger.from_crontab(cron)
        except ValueError as exc:
            raise s.error("cron", f"a 5-field cron string such as '0 2 * * *' ({exc})") from exc
    interval = s.integer("interval_minutes", 0, minimum=0) or None
    if cron and interval:
        raise s.error("interval_minutes", "either cron or interval_minutes, not both")
    s.refuse_unknown()
    return Schedule(cron=cron, interval_minutes=interval)


def _politeness(s: Section) -> Politeness:
    p = Politeness(
        delay=s.number("delay", 1.0, minimum=0.0),
        concurrency=s.integer("concurrency", 2, minimum=1),
        timeout=s.number("timeout", 20.0, minimum=0.1),
        max_bytes=s.integer("max_bytes", 5_000_000, minimum=1024),
        max_redirects=s.integer("max_redirects", 5, minimum=0),
        max_host_failures=s.integer("max_host_failures", 10, minimum=1),
    )
    s.refuse_unknown()
    return p


def _deletion(s: Section) -> DeletionPolicy:
    d = DeletionPolicy(
        gone_confirmations=s.integer("gone_confirmations", 2, minimum=1),
        missing_runs=s.integer("missing_runs", 3, minimum=1),
        max_error_ratio=s.number("max_error_ratio", 0.2, minimum=0.0, maximum=1.0),
        min_seen_ratio=s.number("min_seen_ratio", 0.5, minimum=0.0, maximum=1.0),
        max_drop_ratio=s.number("max_drop_ratio", 0.2, minimum=0.0, maximum=1.0),
    )
    s.refuse_unknown()
    return d
