"""Fault matrix, deletion side: faults that must never cost a live document (issue #9).

Each scenario crawls a real local site (tests.faultsite) over at least three runs and
checks the four promises of ``Matrix.assert_safe``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from core.deletion_holds import DeletionHolds
from core.errors import ConfigError
from core.sources import SourceProfile
from tests.faultsite import (
    FakeClock,
    FaultSite,
    Matrix,
    Request,
    Response,
    Route,
    RunResult,
    RunSpec,
    Scenario,
    crawl_runs,
    fault_profile,
    fault_profiles,
    fault_store,
    page,
    profile_table,
    status,
)

ARTICLES = [f"/artikel/{n}" for n in range(1, 9)]


def _site(*extra: str) -> Scenario:
    """A start page linking eight articles (plus ``extra`` paths), all answering 200."""
    links = [*ARTICLES, *extra]
    routes: dict[str, Route] = {"/": page("Start", links=links)}
    routes.update({p: page(f"Artikel {p}") for p in links})
    return Scenario(routes=routes)


def test_a_page_gone_twice_in_healthy_runs_is_deleted(tmp_path: Path) -> None:
    healthy = _site("/weg")
    gone = healthy.replace(routes={"/weg": status(410)})
    with FaultSite(healthy) as site, FaultSite(name="elders") as elsewhere:
        m = crawl_runs(
            fault_profile(site), fault_store(tmp_path / "kb.db"), site,
            [healthy, gone, gone, gone], off_scope=[elsewhere],
        )  # fmt: skip
    assert "/weg" in m.runs[0].added
    assert m.runs[1].deleted == set() and m.runs[2].deleted == {"/weg"}
    assert set(m.live()) == {"/", *ARTICLES}
    m.assert_safe(max_requests=4 * 11, gone={"/weg"})


def _matrix(tmp_path: Path, runs: list[RunSpec | Scenario], **profile: Any) -> Matrix:
    """Crawl ``runs`` (the first scenario is served from the start) with an off-scope twin."""
    first = runs[0] if isinstance(runs[0], Scenario) else runs[0].scenario
    with FaultSite(first) as site, FaultSite(name="elders") as elsewhere:
        m = crawl_runs(
            fault_profile(site, **profile), fault_store(tmp_path / "kb.db"), site, runs,
            off_scope=[elsewhere],
        )  # fmt: skip
    return m


LIVE = {"/", *ARTICLES}


def test_404_for_everything_deletes_nothing(tmp_path: Path) -> None:
    broken = Scenario(fallback=status(404))
    m = _matrix(tmp_path, [_site(), broken, broken, broken])
    assert all(not r.report.healthy for r in m.runs[1:])
    assert "last healthy complete run saw 9" in m.runs[3].report.health_reason
    code = m.runs[3].report.health_code
    assert code is not None and (code["code"], code["baseline"]) == ("seen_drop", 9)
    assert set(m.live()) == LIVE
    m.assert_safe(max_requests=4 * 10)


def test_500_for_everything_deletes_nothing(tmp_path: Path) -> None:
    broken = Scenario(fallback=status(500), robots=status(404))
    m = _matrix(tmp_path, [_site(), broken, broken, broken])
    assert all(not r.report.healthy and r.report.failed == 9 for r in m.runs[1:])
    assert set(m.live()) == LIVE
    m.assert_safe(max_requests=4 * 10)


def test_robots_txt_5xx_deletes_nothing(tmp_path: Path) -> None:
    healthy = _site()
    broken = healthy.replace(robots=status(503))
    m = _matrix(tmp_path, [healthy, broken, broken, broken])
    for run in m.runs[1:]:
        assert not run.report.healthy
        # robots.txt unreachable: no page of the site is requested at all
        assert {h.target for h in run.hits} == {"/robots.txt"}
    assert set(m.live()) == LIVE
    m.assert_safe(max_requests=10 + 3 * 2)


def test_connection_refused_deletes_nothing(tmp_path: Path) -> None:
    down = RunSpec(server_down=True)
    m = _matrix(tmp_path, [_site(), down, down, down])
    assert all(not r.report.healthy and not r.hits for r in m.runs[1:])
    assert set(m.live()) == LIVE
    m.assert_safe(max_requests=10)


def test_max_pages_truncation_is_partial_and_deletes_nothing(tmp_path: Path) -> None:
    healthy = _site()
    with FaultSite(healthy) as site, FaultSite(name="elders") as elsewhere:
        store = fault_store(tmp_path / "kb.db")
        full = fault_profile(site)
        small = fault_profile(site, scope={"max_pages": 3})
        cut = RunSpec(profile=small)
        m = crawl_runs(full, store, site, [healthy, cut, cut, cut], off_scope=[elsewhere])
    for run in m.runs[1:]:
        assert run.report.partial and "max_pages (3) reached" in run.report.partial_reasons[0]
        assert "partial run" in run.report.deletion_note
    assert set(m.live()) == LIVE
    m.assert_safe(max_requests=10 + 3 * 4)


def test_a_sudden_drop_is_held_for_an_admin(tmp_path: Path) -> None:
    healthy = _site()
    # a third of the articles answer 404: the run is still healthy by its counts
    lost = healthy.replace(routes={p: status(404) for p in ARTICLES[:3]})
    m = _matrix(tmp_path, [healthy, lost, lost, lost])
    assert all(r.report.healthy for r in m.runs)
    assert m.runs[2].report.held == 3 and "held for an admin" in m.runs[2].report.deletion_note
    holds = DeletionHolds(m.store.engine).pending("fout")
    assert len(holds) == 1  # run 3 replaced run 2's hold
    assert holds[0].reason_code is not None and holds[0].reason_code["code"] == "sudden_drop"
    note = m.runs[3].report.deletion_code
    assert note is not None and note["code"] == "deletion_held"
    assert note["reason"] == holds[0].reason_code and note["hold"] == holds[0].id
    assert sorted(i.url.removeprefix(m.site.base_url) for i in holds[0].items) == ARTICLES[:3]
    assert set(m.live()) == LIVE
    m.assert_safe(max_requests=4 * 10)


def test_a_server_that_only_answers_the_trailing_slash_form(tmp_path: Path) -> None:
    scenario = Scenario(
        routes={
            "/": page("Start", links=["/dir/page/", *ARTICLES]),
            "/dir/page/": page("Alleen met slash"),
            **{p: page(f"Artikel {p}") for p in ARTICLES},
        }
    )  # "/dir/page" without the slash answers 404 (the fallback)
    m = _matrix(tmp_path, [scenario] * 3)
    assert "/dir/page/" in m.live()
    assert not m.site.hits_for("/dir/page")  # never asked for a URL the server did not give
    assert all(r.report.gone == 0 for r in m.runs)
    m.assert_safe(max_requests=3 * 11)


def test_a_canonical_loop_keeps_one_of_the_pages(tmp_path: Path) -> None:
    routes = {
        "/": page("Start", links=["/a", "/b", *ARTICLES]),
        "/a": page("Lus", "Dezelfde tekst op twee adressen.", canonical="/b"),
        "/b": page("Lus", "Dezelfde tekst op twee adressen, net anders.", canonical="/a"),
        **{p: page(f"Artikel {p}") for p in ARTICLES},
    }
    m = _matrix(tmp_path, [Scenario(routes=routes)] * 3)
    kept = {"/a", "/b"} & set(m.live())
    assert len(kept) == 1  # stored once, under a URL that answered; the other is its alias
    assert all(r.report.aliases == 1 for r in m.runs)
    m.assert_safe(max_requests=3 * 12)


def test_a_canonical_to_a_missing_page_keeps_the_fetched_page(tmp_path: Path) -> None:
    routes = {
        "/": page("Start", links=["/a", *ARTICLES]),
        "/a": page("Verwijst naar niets", canonical="/bestaat-niet"),
        **{p: page(f"Artikel {p}") for p in ARTICLES},
    }
    m = _matrix(tmp_path, [Scenario(routes=routes)] * 3)
    assert "/a" in m.live() and "/bestaat-niet" not in m.live()
    m.assert_safe(max_requests=3 * 12)


def test_exact_duplicates_within_a_source_are_stored_once(tmp_path: Path) -> None:
    same = page("Leesclub", "Precies dezelfde tekst, drie keer.")
    variants = ["/club?s=1", "/club?s=2", "/club"]
    routes = {"/": page("Start", links=[*variants, *ARTICLES]), "/club": same}
    routes.update({p: page(f"Artikel {p}") for p in ARTICLES})
    m = _matrix(tmp_path, [Scenario(routes=routes)] * 3)
    assert len(set(variants) & set(m.live())) == 1
    assert m.runs[0].report.aliases == 2
    m.assert_safe(max_requests=3 * 13)


def _calendar(request: Request) -> Response:
    """An endless calendar: every month links the next one."""
    month = int(dict(parse_qsl(urlsplit(request.target).query)).get("maand", "1"))
    return page(f"Agenda maand {month}", f"Activiteiten in maand {month}.",
                links=[f"/kalender?maand={month + 1}"])  # fmt: skip


def test_a_calendar_trap_does_not_grow_between_runs(tmp_path: Path) -> None:
    routes: dict[str, Route] = {"/": page("Start", links=["/kalender?maand=1", *ARTICLES])}
    routes.update({p: page(f"Artikel {p}") for p in ARTICLES})
    routes["/kalender"] = _calendar
    m = _matrix(tmp_path, [Scenario(routes=routes)] * 4, scope={"max_depth": 4})
    first = {p for p in m.live() if p.startswith("/kalender")}
    assert first == {f"/kalender?maand={n}" for n in range(1, 5)}  # depths 1..4
    assert all(set(r.live_after) == set(m.runs[0].live_after) for r in m.runs)
    assert not m.site.hits_for("/kalender?maand=5")  # depth 5: never, in no run
    m.assert_safe(max_requests=4 * 15)


def test_quotas_cap_a_pattern_per_run(tmp_path: Path) -> None:
    routes: dict[str, Route] = {"/": page("Start", links=["/kalender?maand=1", *ARTICLES])}
    routes.update({p: page(f"Artikel {p}") for p in ARTICLES})
    routes["/kalender"] = _calendar
    m = _matrix(tmp_path, [Scenario(routes=routes)] * 3, scope={"quotas": {"^/kalender": 3}})
    assert {p for p in m.live() if p.startswith("/kalender")} == {
        f"/kalender?maand={n}" for n in range(1, 4)
    }
    assert all(r.report.skipped.get("trap") == 1 for r in m.runs)  # month 4, each run
    m.assert_safe(max_requests=3 * 14)


def _more(request: Request) -> Response:
    return page(f"Meer {request.path}", f"Pagina {request.path}.", links=[request.path + "/more"])


def test_repeating_segments_long_urls_and_many_parameters_are_refused(tmp_path: Path) -> None:
    many = "/zoek?" + "&".join(f"f{i}=1" for i in range(8))
    long = "/lang/" + "x" * 500
    routes: dict[str, Route] = {
        "/": page("Start", links=["/more", many, long, *ARTICLES]),
        "/more": _more, "/more/more": _more, "/more/more/more": _more,
        many: page("Gefilterd"), long: page("Lang"),
        **{p: page(f"Artikel {p}") for p in ARTICLES},
    }  # fmt: skip
    m = _matrix(tmp_path, [Scenario(routes=routes)] * 3)
    requested = {h.target for h in m.site.hits}
    assert {"/more", "/more/more"} <= requested
    assert not {"/more/more/more", many, long} & requested
    reasons = " ".join(s.reason for s in m.runs[0].report.skips)
    assert "repeated 3 times" in reasons and "query parameters" in reasons and "longer" in reasons
    codes = {s.code["code"] for s in m.runs[0].report.skips if s.code}
    assert {"trap_segment_repeats", "trap_query_params", "trap_url_length"} <= codes
    m.assert_safe(max_requests=3 * 12)


def test_a_dead_listing_page_is_pruned(tmp_path: Path) -> None:
    listing = page("Categorie", links=ARTICLES)
    before = Scenario(routes={"/": page("Start", links=["/categorie"]), "/categorie": listing,
                              **{p: page(f"Artikel {p}") for p in ARTICLES}})  # fmt: skip
    # the site drops its category page: it answers 404 and the start page no longer links it
    after = before.replace(routes={"/": page("Start", links=ARTICLES), "/categorie": status(404)})
    m = _matrix(tmp_path, [before, after, after, after], scope={"documents": ["^/artikel"]})
    assert [h.run for h in m.site.hits_for("/categorie")] == [0, 1]  # then no longer seeded
    assert m.runs[1].report.pruned_listings == 1
    assert set(m.live()) == set(ARTICLES)
    m.assert_safe(max_requests=11 + 3 * 11)


def _sitemap(paths: list[str], lastmod: str = "2011-03-01") -> Response:
    urls = "".join(f"<url><loc>{p}</loc><lastmod>{lastmod}</lastmod></url>" for p in paths)
    body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    return Response(body=body.encode(), content_type="application/xml")


def _sitemapped(tmp_path: Path, runs: list[RunSpec], clock: FakeClock, **revisit: object) -> Matrix:
    with FaultSite(runs[0].scenario) as site, FaultSite(name="elders") as elsewhere:
        profile = fault_profile(
            site, start_urls=[], sitemaps=["/sitemap.xml"], revisit=revisit,
            scope={"follow_links": "full"},
        )  # fmt: skip
        store = fault_store(tmp_path / "kb.db", clock)
        return crawl_runs(profile, store, site, runs, off_scope=[elsewhere], clock=clock)


def test_the_lastmod_skip_never_hides_a_page_forever(tmp_path: Path) -> None:
    clock = FakeClock()
    routes = {"/sitemap.xml": _sitemap([f"/artikel/{n}" for n in range(1, 9)])}
    routes.update({p: page(f"Artikel {p}") for p in ARTICLES})
    healthy = Scenario(routes=routes)
    # the site edits one page and removes another without touching the sitemap's dates
    changed = healthy.replace(routes={"/artikel/1": page("Artikel 1", "Nieuwe tekst van 2012."),
                                      "/artikel/2": status(410)})  # fmt: skip
    m = _sitemapped(tmp_path, [
        RunSpec(scenario=healthy),
        RunSpec(scenario=changed, advance=timedelta(hours=6)),  # not due: skipped
        RunSpec(scenario=changed, advance=timedelta(days=3)),   # past max_revisit: verified
        RunSpec(scenario=changed, advance=timedelta(days=3)),
    ], clock, max_revisit=2, min_revisit=0.5)  # fmt: skip
    assert m.runs[1].report.skipped_by_lastmod == 8
    assert {h.target for h in m.runs[1].hits} == {"/robots.txt", "/sitemap.xml"}
    assert m.runs[2].report.revisited == 8 and m.runs[2].report.changed == 1
    assert "Nieuwe tekst" in m.live()["/artikel/1"].body
    m.assert_safe(max_requests=10 + 2 + 10 + 10, gone={"/artikel/2"})


def test_the_revisit_budget_spreads_due_pages_over_runs(tmp_path: Path) -> None:
    clock = FakeClock()
    routes = {"/sitemap.xml": _sitemap([f"/artikel/{n}" for n in range(1, 9)])}
    routes.update({p: page(f"Artikel {p}") for p in ARTICLES})
    scenario = Scenario(routes=routes)
    m = _sitemapped(tmp_path, [
        RunSpec(scenario=scenario),
        RunSpec(advance=timedelta(days=6.5)),  # all due (interval 3.75..6.25 days), none past 10
        RunSpec(advance=timedelta(hours=1)),
        RunSpec(advance=timedelta(hours=1)),
    ], clock, max_revisit=10, min_revisit=1, budget=3)  # fmt: skip
    assert [r.report.revisited for r in m.runs[1:]] == [3, 3, 2]
    assert all(r.report.written == 0 for r in m.runs[1:])
    m.assert_safe(max_requests=10 + 3 * 2 + 8)


def test_overlapping_profiles_are_refused_when_loaded(tmp_path: Path) -> None:
    with FaultSite(_site()) as site:
        whole = profile_table(site)
        part = profile_table(site, start_urls=["/artikel/1"], scope={"include": ["^/artikel/"]})
        with pytest.raises(ConfigError, match="'eerste' and 'tweede' overlap"):
            fault_profiles({"eerste": whole, "tweede": part})
        apart = profile_table(site, start_urls=["/b/"], scope={"include": ["^/b/"]})
        one = profile_table(site, start_urls=["/a/"], scope={"include": ["^/a/"]})
        assert set(fault_profiles({"a": one, "b": apart})) == {"a", "b"}  # disjoint: fine


def _owner_and_intruder(site: FaultSite) -> tuple[SourceProfile, SourceProfile]:
    """Two profiles of one site; the intruder is loaded on its own (as an older config
    might have it): the owner's pages, another province."""
    owner = fault_profile(site, "eigenaar")
    intruder = fault_profile(
        site, "indringer", provincie="Noord-Brabant",
        scope={"include": ["^/$", "^/artikel/"], "documents": ["^/artikel/"]},
    )  # fmt: skip
    return owner, intruder


def test_an_overlapping_profile_never_takes_documents_over(tmp_path: Path) -> None:
    with FaultSite(_site()) as site, FaultSite(name="elders") as elsewhere:
        owner, intruder = _owner_and_intruder(site)
        other = RunSpec(profile=intruder)
        store = fault_store(tmp_path / "kb.db")
        m = crawl_runs(
            owner, store, site, [RunSpec(), other, RunSpec(), other, RunSpec(), other],
            off_scope=[elsewhere],
        )  # fmt: skip
    assert {d.source for d in store.iter_live()} == {"eigenaar"}
    assert {d.provincie for d in store.iter_live()} == {("Limburg",)}
    assert all(m.runs[i].report.skipped.get("overlap") == 8 for i in (1, 3, 5))
    kept = {"code": "overlap", "source": "eigenaar"}  # rendered per language on the job page
    overlaps = [s for s in m.runs[1].report.skips if s.reason.startswith("overlap")]
    assert len(overlaps) == 8 and all(s.code == kept for s in overlaps)
    assert store.count_live("eigenaar") == 9
    m.assert_safe(max_requests=3 * 10 + 3 * 10)


# -- the admin's one-URL recrawl ("URL opnieuw ophalen") is no run: never evidence -------


def _stays(run: RunResult, status: int) -> None:
    """A one-URL recrawl that got ``status`` for a stored page: reported, nothing counted."""
    report = run.report
    assert report.gone == 1 and report.deleted == 0 and report.failed == 0
    assert report.one_url == {"status": status, "noindex": False, "kept": True}
    assert "not evidence" in report.deletion_note
    assert run.deleted == set()


def test_a_one_url_recrawl_of_a_404_deletes_nothing(tmp_path: Path) -> None:
    healthy = _site()
    lost = healthy.replace(routes={"/artikel/2": status(404)})  # once: a deploy hiccup
    again = RunSpec(recrawl="/artikel/2")
    m = _matrix(tmp_path, [
        healthy, RunSpec(scenario=lost, recrawl="/artikel/2"), again, again,
        healthy, healthy,
    ])  # fmt: skip
    for run in m.runs[1:4]:
        _stays(run, 404)
        assert [h.target for h in run.hits] == ["/robots.txt", "/artikel/2"]
    gone_count = m.store.get(m.live()["/artikel/2"].id)
    assert gone_count is not None and gone_count.gone_count == 0  # three 404s, none counted
    assert all(r.report.healthy and r.report.gone == 0 for r in m.runs[4:])
    assert set(m.live()) == LIVE
    m.assert_safe(max_requests=3 * 10 + 3 * 2)


def test_a_one_url_recrawl_on_a_host_that_404s_everything_deletes_nothing(
    tmp_path: Path,
) -> None:
    broken = Scenario(fallback=status(404))
    m = _matrix(tmp_path, [
        _site(), RunSpec(scenario=broken, recrawl="/artikel/1"), RunSpec(recrawl="/artikel/1"),
        broken, RunSpec(recrawl="/artikel/2"), RunSpec(recrawl="/"), broken,
        RunSpec(recrawl="/artikel/1"),
    ])  # fmt: skip
    for index in (1, 2, 4, 5, 7):
        _stays(m.runs[index], 404)
    assert not m.runs[3].report.healthy and not m.runs[6].report.healthy
    assert set(m.live()) == LIVE
    m.assert_safe(max_requests=10 + 5 * 2 + 2 * 10)


def test_a_page_really_gone_is_deleted_by_healthy_runs_not_by_recrawls(tmp_path: Path) -> None:
    healthy = _site("/weg")
    gone = healthy.replace(routes={"/weg": status(410)})
    recrawl = RunSpec(recrawl="/weg")
    m = _matrix(tmp_path, [
        healthy, RunSpec(scenario=gone, recrawl="/weg"), recrawl, gone, recrawl, recrawl, gone,
    ])  # fmt: skip
    for index in (1, 2, 4, 5):
        _stays(m.runs[index], 410)
    assert m.runs[3].report.healthy and m.runs[3].deleted == set()  # first confirmation
    assert m.runs[6].deleted == {"/weg"}  # the second healthy run: the normal rule
    assert set(m.live()) == LIVE
    m.assert_safe(max_requests=3 * 11 + 4 * 2, gone={"/weg"})


def test_a_one_url_recrawl_requests_the_url_that_answered(tmp_path: Path) -> None:
    scenario = Scenario(
        routes={
            "/": page("Start", links=["/dir/page/", *ARTICLES]),
            "/dir/page/": page("Alleen met slash"),
            "/nieuw/": page("Nieuw, nog nergens gelinkt"),
            **{p: page(f"Artikel {p}") for p in ARTICLES},
        }
    )  # without the slash: 404 (the fallback)
    # later the site moves the page to the form without the slash
    moved = scenario.replace(routes={"/dir/page/": status(404), "/dir/page": page("Verhuisd")})
    m = _matrix(tmp_path, [
        scenario, RunSpec(recrawl="/dir/page"), RunSpec(recrawl="/dir/page/?sid=abc"),
        RunSpec(recrawl="/nieuw/"), scenario, RunSpec(scenario=moved, recrawl="/dir/page"),
    ])  # fmt: skip
    assert all(m.runs[i].report.unchanged == 1 for i in (1, 2))  # the stored "/dir/page/"
    assert m.runs[3].report.new == 1 and "/nieuw/" in m.live()
    assert [h.run for h in m.site.hits_for("/dir/page")] == [5]  # only once it moved
    assert not m.site.hits_for("/nieuw")
    assert not [h for h in m.site.hits if "sid=" in h.target]
    # the stored URL answers 404, the URL as given is tried once and answers: kept, updated
    moved_run = m.runs[5].report
    assert moved_run.changed == 1 and moved_run.gone == 0 and not moved_run.one_url
    assert "/dir/page" in m.live() and m.live()["/dir/page"].title == "Verhuisd"
    m.assert_safe(max_requests=11 + 12 + 3 * 2 + 3)  # the last crawl revisits "/nieuw/" too


def test_a_one_url_recrawl_never_takes_another_sources_document(tmp_path: Path) -> None:
    lost = _site().replace(routes={"/artikel/2": status(404)})
    with FaultSite(_site()) as site, FaultSite(name="elders") as elsewhere:
        owner, intruder = _owner_and_intruder(site)
        store = fault_store(tmp_path / "kb.db")
        m = crawl_runs(owner, store, site, [
            RunSpec(), RunSpec(profile=intruder, recrawl="/artikel/1"),
            RunSpec(profile=intruder, recrawl="/artikel/1?sid=7"),
            RunSpec(scenario=lost, profile=intruder, recrawl="/artikel/2"),
            RunSpec(scenario=_site()),
        ], off_scope=[elsewhere])  # fmt: skip
    for run in m.runs[1:3]:
        report = run.report
        assert report.skipped == {"overlap": 1}
        assert report.new == report.changed == report.unchanged == 0
    assert m.runs[3].report.one_url["kept"] and m.runs[3].report.deleted == 0
    assert {(d.source, d.provincie) for d in store.iter_live()} == {("eigenaar", ("Limburg",))}
    assert store.count_live("eigenaar") == 9 and store.count_live("indringer") == 0
    m.assert_safe(max_requests=2 * 10 + 3 * 2)


def test_a_killed_first_run_of_a_full_source_finishes_discovery_later(tmp_path: Path) -> None:
    scenario = _site()
    m = _matrix(tmp_path, [
        RunSpec(scenario=scenario, cancel_after=3),  # killed after robots.txt, / and one page
        RunSpec(), RunSpec(), RunSpec(),
    ], scope={"follow_links": "full"})  # fmt: skip
    assert m.runs[0].report.partial and len(m.runs[0].live_after) < 9
    assert m.runs[1].report.followed and set(m.runs[1].live_after) == set(m.runs[3].live_after)
    assert set(m.live()) == LIVE
    # discovery is done: later runs revisit what is known without following links again
    assert not m.runs[2].report.followed and not m.runs[3].report.followed
    m.assert_safe(max_requests=4 * 10 + 3)
