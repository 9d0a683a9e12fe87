"""The admin source card's health line (issue #9) and every stored reason code, rendered
in both UI languages (issue #13): codes and parameters are stored, words are not."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from core.job_model import Job, JobState
from core.reasons import MESSAGES, describe, reason, text
from search_ui.admin.dashboard import health_of
from search_ui.admin.labels import step_label
from search_ui.i18n import Translator, load_catalogues

CATALOGUES = load_catalogues()
NL = Translator("nl", CATALOGUES["nl"])
EN = Translator("en", CATALOGUES["en"])


def _done(report: dict[str, Any], state: JobState = JobState.DONE) -> Job:
    return Job(
        id=1, kind="crawl", source="ekic", params={}, state=state,
        enqueued_by="test", enqueued_at=datetime(2026, 1, 5, tzinfo=UTC), report=report,
    )  # fmt: skip


def test_a_deferred_or_given_up_host_shows_on_the_card_in_both_languages() -> None:
    report = {
        "healthy": False,
        "partial": True,
        "health_reason": "partial run: ...",
        "hosts": {
            "kennis.example": {"state": "deferred", "reason": "Retry-After 86400s"},
            "cdn.example": {"state": "given_up", "reason": "10 failed requests in a row"},
        },
    }
    health, why = health_of(_done(report))
    assert health == "waarschuwing"
    assert NL.reason(why) == (
        "gedeeltelijke run, niets verwijderd: host kennis.example uitgesteld, cdn.example opgegeven"
    )
    assert EN.reason(why) == (
        "partial run, nothing deleted: host kennis.example deferred, cdn.example given up"
    )


def test_skips_alone_keep_a_source_healthy() -> None:
    report = {"healthy": True, "failed": 0, "skipped": {"robots": 3, "content_type": 2}}
    assert health_of(_done(report)) == ("gezond", None)


#: One example of every code the crawler and the dashboard store, with its parameters.
EXAMPLES: dict[str, dict[str, Any]] = {
    "run_cancelled": {},
    "error_ratio": {"failed": 40, "requested": 100, "ratio": 0.4, "limit": 0.25},
    "seen_drop": {"seen": 12, "baseline": 1200, "limit": 0.5},
    "host_deferred": {"host": "kennis.example", "seconds": 86400, "cap": 300},
    "host_given_up": {"host": "kennis.example", "count": 10},
    "max_pages": {"max_pages": 1000, "dropped": 1234},
    "frontier_cancelled": {},
    "deletion_partial": {"reasons": [reason("frontier_cancelled")]},
    "deletion_unhealthy": {},
    "sudden_drop": {"due": 300, "live": 1000, "limit": 0.2},
    "deletion_held": {"n": 300, "hold": 7, "reason": reason("sudden_drop", due=300, live=1000,
                                                             limit=0.2)},
    "deletions_done": {"n": 3},
    "robots_unreachable": {"detail": reason("robots_status", status=503)},
    "robots_status": {"status": 503},
    "robots_disallowed": {},
    "out_of_scope": {},
    "redirected_out_of_scope": {"url": "http://elders.example/a"},
    "overlap": {"source": "wiki"},
    "overlap_other": {},
    "last_crawl_cancelled": {},
    "partial_hosts": {"hosts": [reason("host_state_deferred", host="a.example")]},
    "host_state_deferred": {"host": "a.example"},
    "host_state_given_up": {"host": "a.example"},
    "run_unhealthy": {},
    "partial_run": {"reasons": [reason("max_pages", max_pages=10, dropped=5)]},
    "urls_failed": {"n": 1234},
    "profile_problems": {},
    "body_fallback": {"selectors": "['div.tekst']"},
    "empty_extraction": {},
    "empty_extraction_kept": {},
    "selectors_lost_text": {},
    "unknown_provincie": {"value": "'Zeeland'", "known": "Limburg, Noord-Brabant"},
    "page_problem": {"url": "http://kennis.example/a", "problem": reason("empty_extraction")},
    "first_seen": {"warning": reason("body_fallback", selectors="['div.tekst']"),
                   "url": "http://kennis.example/a"},
    "not_document_page": {"url": "http://kennis.example/lijst", "source": "ekic"},
    "trap_url_length": {"max_length": 300},
    "trap_query_params": {"max_params": 5},
    "trap_segment_repeats": {"segment": "'more'", "times": 3},
    "trap_quota": {"pages": 12, "pattern": "'^/agenda'"},
    "fetch_timeout": {"seconds": 20},
    "fetch_refused": {},
    "fetch_name": {},
    "fetch_tls": {},
    "fetch_dropped": {},
    "fetch_network": {"kind": "LocationParseError"},
}  # fmt: skip


def test_every_code_has_an_example() -> None:
    assert set(EXAMPLES) == set(MESSAGES)


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_reason_code_renders_in_dutch_and_english(code: str) -> None:
    stored = reason(code, **EXAMPLES[code])
    english, dutch = EN.reason(stored), NL.reason(stored)
    # Every parameter is filled in (no "%(" left, no fallback "code {...}"), and Dutch is
    # really translated (the few that read the same in both are plain names and numbers).
    for shown in (english, dutch):
        assert "%(" not in shown and "{" not in shown, shown
    # Translated, not only Dutch number formats: the English words with Dutch numbers differ.
    untranslated = describe(stored, number=NL.number, percent=NL.percent)
    if code != "robots_status":  # "HTTP 503" reads the same in Dutch
        assert dutch != untranslated, code
    # The CLI's English (no catalogue) is the English page's text but for number formats.
    assert describe(stored).replace(",", "") == english.replace(",", "")


def test_numbers_and_percentages_follow_the_language() -> None:
    stored = reason("error_ratio", failed=1500, requested=3000, ratio=0.5, limit=0.25)
    assert NL.reason(stored) == "1.500 van 3.000 verzoeken mislukt (50% > 25%)"
    assert EN.reason(stored) == "1,500 of 3,000 requests failed (50% > 25%)"


def test_old_free_text_reasons_are_still_shown() -> None:
    """Rows stored before codes existed carry English prose: shown as it is."""
    report = {"healthy": False, "health_reason": "saw 3 pages, the last healthy run saw 90"}
    health, why = health_of(_done(report))
    assert health == "waarschuwing"
    assert NL.reason(why) == EN.reason(why) == "saw 3 pages, the last healthy run saw 90"
    old_partial = {"partial": True, "partial_reasons": ["max_pages (3) reached: 7 URLs left out"]}
    _health, why = health_of(_done(old_partial))
    assert (
        NL.reason(why)
        == "onvolledige run, niets verwijderd (max_pages (3) reached: 7 URLs left out)"
    )
    assert NL.reason("an old hold reason") == "an old hold reason"
    assert NL.reason(text("x < y")) == "x < y"  # escaped once, where the template shows it


def test_a_new_report_renders_its_codes_not_its_english() -> None:
    report = {
        "partial": True,
        "partial_reasons": ["max_pages (3) reached: 7 URLs left out"],
        "partial_codes": [reason("max_pages", max_pages=3, dropped=7)],
    }
    _health, why = health_of(_done(report))
    assert NL.reason(why) == (
        "onvolledige run, niets verwijderd (max_pages (3) bereikt: 7 URL's weggelaten)"
    )
    cancelled = health_of(_done({}, JobState.CANCELLED))[1]
    assert (NL.reason(cancelled), EN.reason(cancelled)) == (
        "laatste crawl geannuleerd", "last crawl cancelled",
    )  # fmt: skip


def test_progress_steps_are_translated_and_old_messages_kept() -> None:
    assert (step_label("crawling", NL.plain), step_label("crawling", EN.plain)) == (
        "crawlen", "crawling",
    )  # fmt: skip
    assert step_label("loading documents", NL.plain) == "documenten laden"
    assert step_label("ekic: 3 van 9 URL's", EN.plain) == "ekic: 3 van 9 URL's"  # an old row
    assert step_label(None, NL.plain) == ""
