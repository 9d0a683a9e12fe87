"""Fault matrix, fetch side: hosts in trouble, redirects that leave the scope, bodies
that are not documents or arrive too slowly, pages that ask not to be indexed (issue #9).

Each scenario crawls a real local site (tests.faultsite) over at least three runs,
usually after one healthy run that stored the documents, and checks the four promises
of ``Matrix.assert_safe`` plus what the report says about the fault.
"""

from __future__ import annotations

from pathlib import Path

from core.models import doc_id
from crawler.run import make_fetcher
from crawler.single import recrawl_url
from demo.pdf import write_pdf
from tests.faultsite import (
    UA,
    FaultSite,
    Response,
    Route,
    RunSpec,
    Scenario,
    crawl_runs,
    fault_profile,
    fault_store,
    page,
    redirect,
    status,
)

ARTICLES = [f"/artikel/{n}" for n in range(1, 7)]


def _site(*extra: str) -> Scenario:
    """A start page linking six articles (plus ``extra`` paths), all answering 200."""
    links = [*ARTICLES, *extra]
    routes: dict[str, Route] = {"/": page("Start", links=links)}
    routes.update({p: page(f"Artikel {p}") for p in links})
    return Scenario(routes=routes)


# -- hosts in trouble: nothing is deleted, and the host is not hammered -----------------


def test_robots_txt_5xx_fetches_nothing_and_deletes_nothing(tmp_path: Path) -> None:
    healthy = _site()
    broken = healthy.replace(robots=status(503))
    with FaultSite(healthy) as site, FaultSite(name="elders") as elsewhere:
        m = crawl_runs(
            fault_profile(site), fault_store(tmp_path / "kb.db"), site,
            [healthy, broken, broken, broken], off_scope=[elsewhere],
        )  # fmt: skip
    assert len(m.runs[0].added) == 7
    for run in m.runs[1:]:
        # robots.txt unreachable: everything is disallowed for now, so only robots.txt
        # itself was asked (once per run) and the run is unhealthy
        assert [h.target for h in run.hits] == ["/robots.txt"]
        assert not run.report.healthy
    assert len(m.live()) == 7
    m.assert_safe(max_requests=8 + 3)


def test_connection_refused_deletes_nothing(tmp_path: Path) -> None:
    with FaultSite(_site()) as site, FaultSite(name="elders") as elsewhere:
        down = RunSpec(server_down=True)
        m = crawl_runs(
            fault_profile(site), fault_store(tmp_path / "kb.db"), site,
            [RunSpec(), down, down, down], off_scope=[elsewhere],
        )  # fmt: skip
    assert all(not r.report.healthy for r in m.runs[1:])
    assert len(m.live()) == 7
    m.assert_safe(max_requests=8)


def test_retry_after_of_a_day_defers_the_host_for_the_run(tmp_path: Path) -> None:
    healthy = _site()
    tomorrow = healthy.replace(
        routes={p: status(503, **{"Retry-After": "86400"}) for p in ["/", *ARTICLES]}
    )
    with FaultSite(healthy) as site, FaultSite(name="elders") as elsewhere:
        m = crawl_runs(
            fault_profile(site), fault_store(tmp_path / "kb.db"), site,
            [healthy, tomorrow, tomorrow, tomorrow], off_scope=[elsewhere],
        )  # fmt: skip
    host = f"127.0.0.1:{site.port}"
    for run in m.runs[1:]:
        report = run.report
        # robots.txt plus the requests already in flight (concurrency 2), never a retry
        assert len(run.hits) <= 1 + 2, [h.target for h in run.hits]
        assert report.hosts[host]["state"] == "deferred"
        assert "Retry-After 86400" in report.hosts[host]["reason"]
        assert report.partial and "partial run" in report.deletion_note
        # The same reasons as codes, which /beheer renders in the reader's language.
        deferred = report.hosts[host]["detail"]
        assert (deferred["code"], deferred["host"], deferred["seconds"]) == (
            "host_deferred", host, 86400,
        )  # fmt: skip
        assert report.partial_codes == [deferred]
        assert report.deletion_code == {"code": "deletion_partial", "reasons": [deferred]}
        assert report.skipped.get("host_deferred", 0) >= 4
    assert len(m.live()) == 7
    m.assert_safe(max_requests=8 + 3 * 3)


def test_503_for_everything_gives_the_host_up(tmp_path: Path) -> None:
    healthy = _site(*[f"/extra/{n}" for n in range(30)])
    unavailable = Scenario(routes={}, fallback=status(503))
    with FaultSite(healthy) as site, FaultSite(name="elders") as elsewhere:
        m = crawl_runs(
            fault_profile(site), fault_store(tmp_path / "kb.db"), site,
            [healthy, unavailable, unavailable, unavailable], off_scope=[elsewhere],
            fetch={"max_host_failures": 5},
        )  # fmt: skip
    host = f"127.0.0.1:{site.port}"
    for run in m.runs[1:]:
        # 37 stored pages, but the host is given up after 5 failed answers in a row
        # (plus what was already in flight): a handful of requests, not 37 x retries
        assert len(run.hits) <= 1 + 5 + 2, [h.target for h in run.hits]
        assert run.report.hosts[host]["state"] == "given_up"
        assert run.report.partial and "partial run" in run.report.deletion_note
    assert len(m.live()) == 37
    m.assert_safe(max_requests=38 + 3 * 8)


def test_500_for_everything_deletes_nothing(tmp_path: Path) -> None:
    healthy = _site(*[f"/extra/{n}" for n in range(20)])
    broken = Scenario(routes={}, fallback=status(500))
    with FaultSite(healthy) as site, FaultSite(name="elders") as elsewhere:
        m = crawl_runs(
            fault_profile(site), fault_store(tmp_path / "kb.db"), site,
            [healthy, broken, broken, broken], off_scope=[elsewhere],
        )  # fmt: skip
    for run in m.runs[1:]:
        assert not run.report.healthy
        assert len(run.hits) <= 1 + 10 + 2  # given up after 10 failures in a row (default)
    assert len(m.live()) == 27
    m.assert_safe(max_requests=28 + 3 * 13)


# -- redirects: scope is checked before every hop ---------------------------------------


def test_cross_host_and_other_port_redirects_are_not_followed(tmp_path: Path) -> None:
    with FaultSite(name="elders") as elsewhere:
        other_host = f"http://localhost:{elsewhere.port}/binnen"  # another host name
        other_port = f"{elsewhere.base_url}/intern"  # 127.0.0.1, another local port
        scenario = _site("/naar-host", "/naar-poort", "/ketting").replace(
            routes={
                "/naar-host": redirect(other_host),
                "/naar-poort": redirect(other_port, 301),
                "/ketting": redirect("/tussen"),  # in scope first, then out
                "/tussen": redirect(other_port + "?via=ketting"),
            }
        )
        elsewhere.scenario = Scenario(fallback=page("Intern", "Geheime beheerpagina."))
        with FaultSite(scenario) as site:
            profile = fault_profile(site)
            store = fault_store(tmp_path / "kb.db")
            m = crawl_runs(profile, store, site, 3, off_scope=[elsewhere])
            # the admin's "fetch this page again" takes the same care
            with make_fetcher(profile, UA) as fetcher:
                with_admin = recrawl_url(
                    site.url("/naar-poort"), profile, store=store, fetcher=fetcher
                )
    for run in m.runs:
        report = run.report
        assert report.failed == 0 and report.healthy
        assert report.skipped == {"off_scope": 3}
        assert {s.url.rsplit("/", 1)[-1] for s in report.skips} == {
            "naar-host", "naar-poort", "ketting",
        }  # fmt: skip
    assert with_admin.skipped == {"off_scope": 1} and with_admin.failed == 0
    assert set(m.live()) == {"/", *ARTICLES}
    assert not any("elders" in d.url or "localhost" in d.url for d in m.live().values())
    assert store.get(doc_id(other_port)) is None
    m.assert_safe(max_requests=3 * 12)
    assert elsewhere.hits == []  # including the admin recrawl


# -- bodies: decided before they are downloaded -----------------------------------------


def test_binary_content_types_are_skipped_not_errors_and_pdfs_are_found(tmp_path: Path) -> None:
    big = b"\x00" * 2_000_000
    pdf = write_pdf("Beleidsplan 2011", ["Samenwerken in de regio is efficiënter."])
    # another text: two identical PDFs of one source are exact duplicates, stored once
    other = write_pdf("Beleidsplan 2012", ["Samenwerken in de regio is efficiënter."])
    files = {
        "/foto.jpg": Response(body=b"\xff\xd8\xff\xe0" + big, content_type="image/jpeg"),
        "/archief.zip": Response(body=b"PK\x03\x04" + big, content_type="application/zip"),
        "/bestand": Response(body=b"\x7fELF" + big, content_type="application/octet-stream"),
        "/vermomd": Response(body=b"\x89PNG\r\n" + big, content_type="text/html"),
        "/downloads/Beleid.PDF": Response(body=pdf, content_type="application/octet-stream"),
        "/stuk": Response(body=other, content_type="application/pdf"),  # by type, no extension
    }
    listing = page(
        "Downloads", links=["/downloads/Beleid.PDF?versie=2", "/foto.jpg", "/archief.zip"]
    )
    scenario = _site("/downloads", "/bestand", "/vermomd", "/stuk").replace(
        routes={**files, "/downloads": listing}
    )
    with FaultSite(scenario) as site, FaultSite(name="elders") as elsewhere:
        profile = fault_profile(site, scope={"documents": ["^/(artikel|stuk|downloads/.+)"]})
        m = crawl_runs(profile, fault_store(tmp_path / "kb.db"), site, 3, off_scope=[elsewhere])
    for run in m.runs:
        report = run.report
        assert report.failed == 0 and report.healthy, report.failures
        assert report.skipped == {"content_type": 4}
        # none of the 2 MB bodies was downloaded
        assert report.fetch_stats["bytes"] < 200_000
    live = m.live()
    assert "/downloads/Beleid.PDF?versie=2" in live and "/stuk" in live
    assert "efficiënter" in live["/stuk"].body
    assert not {"/foto.jpg", "/archief.zip", "/bestand", "/vermomd"} & set(live)
    m.assert_safe(max_requests=3 * 16)


def test_windows_1252_labelled_utf8_is_decoded(tmp_path: Path) -> None:
    text = "Samenwerken is efficiënter – zegt de “bieb” in Roermond."
    body = (
        "<html><head><title>Oud CMS</title></head><body><nav>menu</nav>"
        f"<main><h1>Oud CMS</h1><p>{text}</p></main></body></html>"
    ).encode("cp1252")
    scenario = _site("/oud").replace(
        routes={"/oud": Response(body=body, content_type="text/html; charset=UTF-8")}
    )
    with FaultSite(scenario) as site, FaultSite(name="elders") as elsewhere:
        m = crawl_runs(
            fault_profile(site), fault_store(tmp_path / "kb.db"), site, 3, off_scope=[elsewhere]
        )
    assert all(r.report.failed == 0 for r in m.runs)
    assert m.live()["/oud"].body == text
    m.assert_safe(max_requests=3 * 9)


def test_slow_body_with_content_length_hits_the_deadline(tmp_path: Path) -> None:
    # 600 small chunks 0.1 s apart: a minute of trickle, with a correct Content-Length.
    trickle = Response(body=page("Traag", "x" * 3000).body, chunks=600, chunk_delay=0.1)
    healthy = _site("/traag")
    slow = healthy.replace(routes={"/traag": trickle})
    with FaultSite(healthy) as site, FaultSite(name="elders") as elsewhere:
        # timeout 0.5 s per read: the whole body gets 3 x 0.5 = 1.5 s
        profile = fault_profile(site, politeness={"timeout": 0.5})
        m = crawl_runs(
            profile, fault_store(tmp_path / "kb.db"), site,
            [healthy, slow, slow, slow], off_scope=[elsewhere],
        )  # fmt: skip
    for run in m.runs[1:]:
        report = run.report
        assert [
            (f.url.rsplit("/", 1)[-1], "still arriving" in f.reason) for f in report.failures
        ] == [("traag", True)]
        # the worker let go at the deadline, long before the minute of trickle ended
        assert report.durations["crawl"] < 20
    assert "/traag" in m.live()  # slow today is not gone
    m.assert_safe(max_requests=4 * 9)


# -- pages that ask not to be indexed ----------------------------------------------------


def test_noindex_and_nofollow_are_respected(tmp_path: Path) -> None:
    scenario = _site("/geheim", "/kop", "/nf").replace(
        routes={
            "/geheim": page("Geheim", head='<meta name="robots" content="noindex">'),
            "/kop": page("Kop", headers={"X-Robots-Tag": "noindex"}),
            "/nf": page(
                "Volgen niet",
                links=["/alleen-via-nf"],
                head='<meta name="KennisbrugBot" content="nofollow">',
            ),
            "/alleen-via-nf": page("Verborgen"),
        }
    )
    with FaultSite(scenario) as site, FaultSite(name="elders") as elsewhere:
        m = crawl_runs(
            fault_profile(site), fault_store(tmp_path / "kb.db"), site, 3, off_scope=[elsewhere]
        )
    live = m.live()
    assert "/geheim" not in live and "/kop" not in live
    assert "/nf" in live  # nofollow alone still indexes the page
    assert site.hits_for("/alleen-via-nf") == []
    assert all(r.report.noindex == 2 and r.report.failed == 0 for r in m.runs)
    m.assert_safe(max_requests=3 * 11)


# -- extraction: an empty page stays empty ------------------------------------------------


def test_empty_page_is_flagged_not_filled_with_the_menu(tmp_path: Path) -> None:
    menu = [f"/thema/{n}" for n in range(15)]
    empty = Response(
        body=(
            '<html lang="nl"><head><title>Leeg</title></head><body><nav id="menu"><ul>'
            + "".join(
                f'<li><a href="{u}">Thema {u} over lezen en de bibliotheek</a></li>' for u in menu
            )
            + "</ul></nav><h1>Leeg</h1></body></html>"
        ).encode()
    )
    scenario = _site("/leeg").replace(routes={"/leeg": empty})
    with FaultSite(scenario) as site, FaultSite(name="elders") as elsewhere:
        # no body selector matches, so the fallback extractor runs: after the exclude list
        profile = fault_profile(site, scope={"exclude": ["^/thema/"]})
        m = crawl_runs(profile, fault_store(tmp_path / "kb.db"), site, 3, off_scope=[elsewhere])
    for run in m.runs:
        assert run.report.empty_extractions == 1
        assert any("empty extraction" in w for w in run.report.profile_warnings)
    assert "/leeg" not in m.live()
    m.assert_safe(max_requests=3 * 9)
