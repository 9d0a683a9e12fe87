"""URL identity: one page is one URL (scope rules live in the source profile, core.sources).

Sits between discovery (crawler.discover finds raw hrefs) and the crawl run (which
deduplicates, fetches and stores by canonical URL). ``canonicalize`` applies our own,
explicit rules so that the variants a 2010-era CMS produces (session ids, tracking
parameters, default ports, fragments, reordered queries, trailing slashes) collapse
into one document id.

Trailing slash rule: a non-root path loses its trailing slash ("/thema/lezen/" ->
"/thema/lezen"). Of the two consistent choices this is the safer one to fetch: a
server that wants the slash answers with a redirect, while adding a slash to a route
defined without one often gives a 404.

Canonical form is identity only, never a reason to fetch a URL the server did not
give: a stored document keeps the URL that answered (its *fetch form*: the canonical
rules without the trailing-slash one, ``keep_slash=True``), and that is what later runs
request, because some servers answer only "/dir/page/".

``ref`` is deliberately *not* dropped by default: on some sites it selects content
(a revision, a branch). A profile can add it, or ``print``, to its own drop list.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urljoin, urlsplit, urlunsplit

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


def _normalise_path(path: str, *, keep_slash: bool = False) -> str:
    slash = keep_slash and path.endswith("/")
    path = _PATH_SESSION.sub("", path)
    path = _normalise_escapes(quote(path, safe=_PATH_SAFE))
    if not path.startswith("/"):
        path = "/" + path
    # normpath resolves dot segments and drops the trailing slash (our rule, see above);
    # it keeps a leading "//" (a POSIX quirk) that URLs do not want.
    normal = "/" + posixpath.normpath(path).lstrip("/")
    return normal + "/" if slash and normal != "/" else normal


def _drop(name: str, drop: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    lowered = name.lower()
    return lowered in drop or lowered.startswith(prefixes)


@lru_cache(maxsize=64)
def _drop_rules(drop_params: frozenset[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Exact names and prefixes (``utm_*``) of a drop list, lower-cased; worked out once
    per list, not per URL."""
    rules = {p.lower() for p in drop_params}
    exact = frozenset(p for p in rules if not p.endswith("*"))
    return exact, tuple(sorted(p[:-1] for p in rules if p.endswith("*")))


def _normalise_query(query: str, drop_params: Iterable[str]) -> str:
    if not query:
        return ""
    given = drop_params if isinstance(drop_params, frozenset) else frozenset(drop_params)
    exact, prefixes = _drop_rules(given)
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


def canonicalize(
    url: str, *, drop_params: Iterable[str] = DEFAULT_DROP, keep_slash: bool = False
) -> str:
    """The one spelling of ``url`` we store and deduplicate by.

    Lower-cases scheme and host, drops default ports, fragments, session ids and the
    ``drop_params`` (case-insensitive; ``"utm_*"`` is a prefix), sorts the query,
    normalises percent-escapes and dot segments, and removes a trailing slash from
    non-root paths (unless ``keep_slash``: the *fetch form* of a URL, see below). URLs
    that are not http(s) come back stripped but otherwise unchanged.
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
    path = _normalise_path(parts.path, keep_slash=keep_slash)
    query = _normalise_query(parts.query, drop_params)
    return urlunsplit((scheme, netloc, path, query, ""))


def resolve(base: str, href: str) -> str:
    """``href`` made absolute against ``base`` (as a browser would), fragment removed."""
    joined = urljoin(base, _HREF_NOISE.sub("", href.strip()))
    return joined.split("#", 1)[0]


def host_of(url: str) -> str:
    """Host and non-default port of ``url`` (the unit of politeness and scope)."""
    # The fetcher asks this several times per request: only scheme and authority
    # matter, so the canonical form is computed once per origin, not per URL.
    parts = urlsplit(_HREF_NOISE.sub("", url.strip()))
    return _host_of_origin(parts.scheme, parts.netloc)


@lru_cache(maxsize=1024)
def _host_of_origin(scheme: str, netloc: str) -> str:
    return urlsplit(canonicalize(f"{scheme}://{netloc}/")).netloc


def is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def is_pdf_url(url: str) -> bool:
    """Does the path of ``url`` end in ".pdf" (any case; query and fragment ignored)?"""
    return urlsplit(url).path.lower().endswith(".pdf")
