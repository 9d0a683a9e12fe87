"""URL identity and crawl scope: one page is one URL, and only the source's own pages count.

Sits between discovery (crawler.discover finds raw hrefs) and the crawl run (which
deduplicates, fetches and stores by canonical URL). ``canonicalize`` applies our own,
explicit rules so that the variants a 2010-era CMS produces (session ids, tracking
parameters, default ports, fragments, reordered queries, trailing slashes) collapse
into one document id. ``Scope`` answers "does this URL belong to the source?".

Trailing slash rule: a non-root path loses its trailing slash ("/thema/lezen/" ->
"/thema/lezen"). Of the two consistent choices this is the safer one to fetch: a
server that wants the slash answers with a redirect, while adding a slash to a route
defined without one often gives a 404.

``ref`` is deliberately *not* dropped by default: on some sites it selects content
(a revision, a branch). A profile can add it, or ``print``, to its own drop list.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urljoin, urlsplit, urlunsplit

from core.errors import ConfigError

#: Query parameters that never change what a page says. A trailing ``*`` is a prefix match.
DEFAULT_DROP: frozenset[str] = frozenset(
    {
        "utm_*",
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "phpsessid",
        "jsessionid",
        "aspsessionid",
        "sid",
        "sessionid",
        "session_id",
    }
)

DEFAULT_PORTS = {"http": 80, "https": 443}
WEB_SCHEMES = frozenset(DEFAULT_PORTS)

# Characters RFC 3986 calls unreserved: percent-escapes of these are decoded.
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = "/%;:@&=+$,!~*'()-._"
_QUERY_SAFE = "/:@!$'()*,;-._~"
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
# ";jsessionid=ABC" (Java servlet containers put the session in a path parameter).
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
# HTML's URL parser removes tabs and newlines anywhere in an href.
_HREF_NOISE = re.compile(r"[\t\n\r]")


def _normalise_escapes(text: str) -> str:
    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _ESCAPE.sub(fix, text)


def _normalise_path(path: str) -> str:
    path = _PATH_SESSION.sub("", path)
    path = _normalise_escapes(quote(path, safe=_PATH_SAFE))
    if not path.startswith("/"):
        path = "/" + path
    # normpath resolves dot segments and drops the trailing slash (our rule, see above);
    # it keeps a leading "//" (a POSIX quirk) that URLs do not want.
    return "/" + posixpath.normpath(path).lstrip("/")


def _drop(name: str, drop: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    lowered = name.lower()
    return lowered in drop or lowered.startswith(prefixes)


def _normalise_query(query: str, drop_params: Iterable[str]) -> str:
    if not query:
        return ""
    rules = {p.lower() for p in drop_params}
    exact = frozenset(p for p in rules if not p.endswith("*"))
    prefixes = tuple(p[:-1] for p in rules if p.endswith("*"))
    pairs = [
        (quote(k, safe=_QUERY_SAFE), quote(v, safe=_QUERY_SAFE))
        for k, v in parse_qsl(query, keep_blank_values=True)
        if not _drop(k, exact, prefixes)
    ]
    pairs.sort()
    return "&".join(f"{k}={v}" for k, v in pairs)


def _normalise_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def canonicalize(url: str, *, drop_params: Iterable[str] = DEFAULT_DROP) -> str:
    """The one spelling of ``url`` we store and deduplicate by.

    Lower-cases scheme and host, drops default ports, fragments, session ids and the
    ``drop_params`` (case-insensitive; ``"utm_*"`` is a prefix), sorts the query,
    normalises percent-escapes and dot segments, and removes a trailing slash from
    non-root paths. URLs that are not http(s) come back stripped but otherwise unchanged.
    """
    url = _HREF_NOISE.sub("", url.strip())
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES or not parts.hostname:
        return url
    host = _normalise_host(parts.hostname)
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    path = _normalise_path(parts.path)
    query = _normalise_query(parts.query, drop_params)
    return urlunsplit((scheme, netloc, path, query, ""))


def resolve(base: str, href: str) -> str:
    """``href`` made absolute against ``base`` (as a browser would), fragment removed."""
    joined = urljoin(base, _HREF_NOISE.sub("", href.strip()))
    return joined.split("#", 1)[0]


def host_of(url: str) -> str:
    """Host and non-default port of ``url`` (the unit of politeness and scope)."""
    return urlsplit(canonicalize(url)).netloc


def is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def _compile(patterns: Iterable[str], what: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ConfigError(f"{what} pattern {pattern!r} is not a valid regex: {exc}") from exc
    return tuple(compiled)


@dataclass(frozen=True)
class Scope:
    """Which URLs belong to one source: same host as ``base_url``, include/exclude, depth.

    Patterns are regular expressions searched (``re.search``) in the canonical URL.
    With include patterns, a URL must match at least one; it must match no exclude
    pattern. ``max_depth`` (None = unlimited) bounds the link distance from a start point.
    """

    base_url: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_depth: int | None = None
    _host: str = field(init=False, repr=False, compare=False)
    _include: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)
    _exclude: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not is_web_url(self.base_url):
            raise ConfigError(f"scope base URL {self.base_url!r} is not an http(s) URL")
        if self.max_depth is not None and self.max_depth < 0:
            raise ConfigError(f"max_depth must be >= 0, got {self.max_depth}")
        object.__setattr__(self, "include", tuple(self.include))
        object.__setattr__(self, "exclude", tuple(self.exclude))
        object.__setattr__(self, "_host", host_of(self.base_url))
        object.__setattr__(self, "_include", _compile(self.include, "include"))
        object.__setattr__(self, "_exclude", _compile(self.exclude, "exclude"))

    @property
    def host(self) -> str:
        return self._host

    def in_scope(self, url: str, *, depth: int = 0) -> bool:
        """True when ``url`` (any spelling) belongs to this source at link ``depth``."""
        if self.max_depth is not None and depth > self.max_depth:
            return False
        if not is_web_url(url):
            return False
        canonical = canonicalize(url)
        if urlsplit(canonical).netloc != self._host:
            return False
        if self._include and not any(p.search(canonical) for p in self._include):
            return False
        return not any(p.search(canonical) for p in self._exclude)
