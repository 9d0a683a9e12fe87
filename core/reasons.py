"""Why a run is unhealthy or partial, why deletions were held: stable codes, not prose.

The crawler records each reason as a small dict, ``{"code": "host_deferred",
"host": "kennis.example", "seconds": 86400, "cap": 300}``, beside the English text
it has always written (the CLI and the logs print that). Nothing here is a
sentence in a language: ``/beheer`` renders a reason in the request's language at
render time (``search_ui.i18n.Translator.reason``) from the English message
templates below, which are the gettext message ids of the admin catalogue
(``search_ui/translations/nl/LC_MESSAGES/admin.po``).

A reason may hold other reasons in a list parameter (a partial run names each cause);
they render one by one and are joined. ``{"code": "text", "text": ...}`` carries free
text that has no code: what older rows stored before codes existed, or an exception's
message. Parameters named in ``PERCENT`` are fractions and show as percentages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

Reason = dict[str, Any]

#: Parameters that are fractions (0.25) and read as percentages (25%).
PERCENT: Final = frozenset({"ratio", "limit"})
#: How the parts of a list parameter are joined (the admin page joins the same way).
JOINERS: Final = {"reasons": "; ", "hosts": ", "}

#: English message templates, the message ids of the admin catalogue. ``%(name)s`` are
#: the reason's parameters.
MESSAGES: Final[dict[str, str]] = {
    # A run's health (crawler.deletion.judge_health)
    "run_cancelled": "run was cancelled before it finished",
    "error_ratio": "%(failed)s of %(requested)s requests failed (%(ratio)s > %(limit)s)",
    "seen_drop": (
        "saw %(seen)s pages, the last healthy complete run saw %(baseline)s (below %(limit)s)"
    ),
    # Why a run is partial (crawler.run)
    "host_deferred": (
        "host %(host)s deferred for this run: Retry-After %(seconds)s s "
        "(more than the %(cap)s s we wait)"
    ),
    "host_given_up": "host %(host)s given up for this run after %(count)s failed requests in a row",
    "max_pages": "max_pages (%(max_pages)s) reached: %(dropped)s URLs left out",
    "frontier_cancelled": "cancelled before the frontier was empty",
    # What the deletion step did (crawler.deletion.settle) and why it held a list
    "deletion_partial": "partial run (%(reasons)s): nothing counted or deleted",
    "deletion_unhealthy": "unhealthy run: nothing counted or deleted",
    "sudden_drop": (
        "%(due)s of %(live)s live documents would be deleted at once (more than %(limit)s)"
    ),
    "deletion_held": "%(n)s deletion(s) held for an admin (hold #%(hold)s): %(reason)s",
    "deletions_done": "%(n)s document(s) deleted (404/410 or missing, confirmed)",
    # Why a page was not fetched (crawler.fetch, crawler.robots)
    "robots_unreachable": "robots.txt unreachable (%(detail)s); not fetching for now",
    "robots_status": "HTTP %(status)s",
    "robots_disallowed": "disallowed by robots.txt",
    "out_of_scope": "out of scope",
    "redirected_out_of_scope": "redirected out of scope to %(url)s",
    "overlap": "already a document of source %(source)s; kept there",
    "overlap_other": "already a document of another source; kept there",
    # The dashboard's one-line summary of a source's last crawl (search_ui.admin.dashboard)
    "last_crawl_cancelled": "last crawl cancelled",
    "partial_hosts": "partial run, nothing deleted: host %(hosts)s",
    "host_state_deferred": "%(host)s deferred",
    "host_state_given_up": "%(host)s given up",
    "run_unhealthy": "run not healthy",
    "partial_run": "incomplete run, nothing deleted (%(reasons)s)",
    "urls_failed": "%(n)s URLs failed",
    "profile_problems": "profile problems: see the last crawl",
    # What a profile's extraction ran into (crawler.extract, crawler.visit, crawler.single)
    "body_fallback": "body selectors %(selectors)s matched nothing; used trafilatura",
    "empty_extraction": "empty extraction: no main text found (not filled with menus or chrome)",
    "empty_extraction_kept": (
        "empty extraction: no main text found (not filled with menus or chrome); "
        "previous version kept"
    ),
    "selectors_lost_text": (
        "profile selectors found no main text (was there before); previous version kept"
    ),
    "unknown_provincie": (
        "provincie %(value)s is not a configured province (known: %(known)s); "
        "add it to [provinces] aliases or provincie_from.values"
    ),
    "page_problem": "%(url)s: %(problem)s",
    "first_seen": "%(warning)s (first seen on %(url)s)",
    "not_document_page": "%(url)s is not a document page of %(source)s (scope.documents)",
    # Why a request failed on the network (crawler.fetch); the exception's own English
    # text stays in the report's message for the CLI and the logs
    "fetch_timeout": "no answer within %(seconds)s s",
    "fetch_refused": "connection refused",
    "fetch_name": "host name not found",
    "fetch_tls": "TLS certificate or handshake failed",
    "fetch_dropped": "connection broken off before the answer was complete",
    "fetch_network": "network error (%(kind)s)",
    # Why a newly found URL was refused as a trap (crawler.traps)
    "trap_url_length": "URL longer than %(max_length)s characters",
    "trap_query_params": "more than %(max_params)s query parameters",
    "trap_segment_repeats": "path segment %(segment)s repeated %(times)s times",
    "trap_quota": "quota of %(pages)s pages per run for %(pattern)s reached",
}


def reason(code: str, **params: Any) -> Reason:
    """A reason record; ``code`` must be one of ``MESSAGES`` (or ``text``)."""
    if code != "text" and code not in MESSAGES:
        raise ValueError(f"unknown reason code {code!r}")
    return {"code": code, **params}


def text(value: str) -> Reason:
    """Free text without a code (an exception's message; an old row's stored prose)."""
    return {"code": "text", "text": value}


def as_reason(value: Any) -> Reason:
    """A stored reason as a record: codes stay, old free-text strings become ``text``."""
    if isinstance(value, Mapping) and isinstance(value.get("code"), str):
        return dict(value)
    return text("" if value is None else str(value))


def describe(
    value: Any,
    *,
    translate: Callable[[str], str] = lambda message: message,
    number: Callable[[int | float], str] = str,
    percent: Callable[[float], str] = lambda fraction: f"{fraction:.0%}",
) -> str:
    """A reason as a sentence: English by default (the CLI's), or through a catalogue."""
    found = as_reason(value)
    template = MESSAGES.get(found["code"])
    if template is None:
        return str(found.get("text", found["code"]))
    values: dict[str, Any] = {}
    for name, raw in found.items():
        if name == "code":
            continue
        if isinstance(raw, list):
            parts = [describe(r, translate=translate, number=number, percent=percent) for r in raw]
            values[name] = JOINERS.get(name, "; ").join(parts)
        elif isinstance(raw, Mapping):
            values[name] = describe(raw, translate=translate, number=number, percent=percent)
        elif name in PERCENT and isinstance(raw, int | float):
            values[name] = percent(raw)
        elif isinstance(raw, int | float) and not isinstance(raw, bool):
            values[name] = number(raw)
        else:
            values[name] = raw
    try:
        return translate(template) % values
    except (KeyError, TypeError, ValueError):
        # A stored record missing a parameter still shows what it has.
        return f"{found['code']} {values}"
