"""One crawl run of one source: discover, fetch, extract, store, delete safely, report.

The heart of the crawler (sources.toml -> crawler -> document store). Fetches run in a
thread pool (the Fetcher enforces the per-host limit and pacing); extraction runs in
those threads or in worker processes (crawler.parsing); every store write happens in
the main thread and is its own transaction, so a killed run loses nothing stored and
a re-run continues where the store stands (ids are hashes of canonical URLs).

Incremental by default: a sitemap/feed date equal to the stored one means "not
requested at all"; everything else is a conditional GET; a 200 whose content hash
did not change is "unchanged". ``full=True`` revisits everything without validators.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from core import reasons
from core.runs import CrawlRuns, HubPages
from core.sources import SourceProfile
from core.store import DocumentStore
from core.url_state import UrlState, UrlStates
from crawler import deletion, revisit
from crawler.extract import canonical_url
from crawler.fetch import Fetcher
from crawler.frontier import Frontier, Visit
from crawler.parsing import Parser
from crawler.report import CrawlReport
from crawler.seeds import seed
from crawler.traps import Quotas
from crawler.visit import Outcome, VisitContext, handle_outcome, run_visit


@dataclass(frozen=True)
class CrawlProgress:
    source: str
    done: int
    total: int


ProgressFn = Callable[[CrawlProgress], None]


def make_fetcher(profile: SourceProfile, user_agent: str, **overrides: object) -> Fetcher:
    """The Fetcher for one source, from its politeness settings."""
    return Fetcher.from_profile(profile.politeness, user_agent, **overrides)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def crawl_source(
    profile: SourceProfile,
    *,
    store: DocumentStore,
    fetcher: Fetcher,
    full: bool = False,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | None = None,
    clock: Callable[[], datetime] = _utcnow,
    processes: int = 0,
    job_id: int | None = None,
) -> CrawlReport:
    """Crawl ``profile``'s site into ``store``; the report is also saved in ``crawl_runs``."""
    runs = CrawlRuns(store.engine, clock=clock)
    baseline = runs.baseline(profile.name)
    baseline_seen = int(baseline.report.get("seen", 0)) if baseline and baseline.report else None
    run_id = runs.start(profile.name, full=full, job_id=job_id)
    report = CrawlReport(source=profile.name, full=full)
    try:
        _execute(profile, store, fetcher, report, full, progress, cancel, clock, processes,
                 baseline_seen, run_id)  # fmt: skip
    except BaseException as exc:
        data = report.to_json()
        data["error"] = f"{type(exc).__name__}: {exc}"
        runs.finish(run_id, status="failed", report=data)
        raise
    report.fetch_stats = fetcher.stats.snapshot()
    runs.finish(
        run_id, status="interrupted" if report.cancelled else "done", report=report.to_json()
    )
    return report


def _execute(
    profile: SourceProfile,
    store: DocumentStore,
    fetcher: Fetcher,
    report: CrawlReport,
    full: bool,
    progress: ProgressFn | None,
    cancel: Callable[[], bool] | None,
    clock: Callable[[], datetime],
    processes: int,
    baseline_seen: int | None,
    run_id: int,
) -> None:
    started = time.monotonic()
    known = store.by_source(profile.name)
    hub_store = HubPages(store.engine, clock=clock)
    hubs = hub_store.load(profile.name)
    url_states = UrlStates(store.engine)
    states = url_states.load(profile.name)
    live = {canonical_url(s.url, profile) for s in known.values() if not s.deleted}
    # "full": links are followed on full runs and until one run followed them to the end
    # (a killed first run must not leave discovery unfinished for good).
    follow = profile.scope.follow_links == "always" or (
        profile.scope.follow_links == "full"
        and (full or not known or not CrawlRuns(store.engine).discovery_done(profile.name))
    )
    report.followed = follow
    frontier = Frontier(max_pages=profile.scope.max_pages, quotas=Quotas(profile))
    seed(
        frontier, profile, fetcher, report, known=known.values(), hubs=hubs.values(),
        follow=follow, depths={url: state.depth for url, state in states.items()},
    )  # fmt: skip
    discovered = time.monotonic()
    ctx = VisitContext(
        profile=profile, store=store, fetcher=fetcher, report=report, frontier=frontier,
        full=full, follow=follow, clock=clock, hub_store=hub_store, hubs=hubs,
        known=known, states=states,
        must_verify=revisit.must_verify(states, live, clock(), profile.revisit),
    )  # fmt: skip
    with Parser(profile, processes=processes) as parser:
        ctx.parser = parser
        _drain(ctx, progress, cancel, workers=profile.politeness.concurrency + 2 * processes)
    crawled = time.monotonic()
    for url, refusal in frontier.refused:
        report.skip(url, "trap", reasons.describe(refusal), code=refusal)
    _remember(url_states, ctx, clock())
    for host, trouble in fetcher.host_trouble().items():
        report.hosts[host] = trouble
        report.mark_partial(trouble["detail"])
    if frontier.dropped:
        cut = reasons.reason(
            "max_pages", max_pages=profile.scope.max_pages, dropped=frontier.dropped
        )
        report.warn(cut)
        report.mark_partial(cut)
    if report.cancelled:
        report.mark_partial(reasons.reason("frontier_cancelled"))
    # One bulk write records that every confirmed-unchanged page was seen this run.
    store.touch_many(ctx.present)
    deletion.settle(
        store, profile, report, present=ctx.present, gone=ctx.gone,
        baseline_seen=baseline_seen, run_id=run_id,
    )  # fmt: skip
    if ctx.gone_hubs and report.healthy and not report.partial:
        hub_store.forget(profile.name, ctx.gone_hubs)  # dead listing pages: pruned
        url_states.forget(profile.name, ctx.gone_hubs)
        report.count("pruned_listings", len(ctx.gone_hubs))
    report.durations = {
        "discovery": round(discovered - started, 3),
        "crawl": round(crawled - discovered, 3),
        "total": round(time.monotonic() - started, 3),
    }


def _remember(url_states: UrlStates, ctx: VisitContext, now: datetime) -> None:
    """Save what the run learnt per URL: depth (smallest seen) and, for documents that
    were verified, the next revisit (crawler.revisit)."""
    policy, updates = ctx.profile.revisit, []
    for url, (depth, verdict) in ctx.learnt.items():
        state = ctx.states.get(url)
        if verdict:
            updates.append(revisit.verified(state, url, depth, verdict, now, policy))
        elif state is None or depth < state.depth:
            updates.append(replace(state, depth=depth) if state else UrlState(url=url, depth=depth))
    url_states.save(ctx.profile.name, updates, existing=set(ctx.states))


def _drain(
    ctx: VisitContext,
    progress: ProgressFn | None,
    cancel: Callable[[], bool] | None,
    *,
    workers: int,
) -> None:
    """Keep ``workers`` visits running (and as many queued) until the frontier is empty
    or the run is cancelled (queued visits are then dropped unrequested)."""
    in_flight: dict[Future[Outcome], Visit] = {}
    done = 0
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crawl") as pool:
        while True:
            if cancel is not None and not ctx.report.cancelled and cancel():
                ctx.report.cancelled = True
                for future in [f for f in in_flight if f.cancel()]:  # queued, not started
                    in_flight.pop(future)
                    ctx.report.count("requested", -1)
            # Twice as many visits as threads: while this thread writes to the store,
            # the fetch threads find their next visit queued instead of idling. The
            # Fetcher still bounds requests per host (politeness is not loosened).
            while len(in_flight) < 2 * workers and not ctx.report.cancelled:
                pages_busy = sum(1 for v in in_flight.values() if not v.attachment)
                visit = ctx.frontier.pop(pages_in_flight=pages_busy)
                if visit is None:
                    break
                if ctx.skip_by_lastmod(visit):
                    done += 1
                    continue
                ctx.report.count("requested")
                in_flight[pool.submit(run_visit, ctx, visit)] = visit
            if not in_flight:
                if not ctx.report.cancelled and len(ctx.frontier) == 0:
                    ctx.flush_waiting()  # may queue the attachments of pages kept now
                if ctx.report.cancelled or len(ctx.frontier) == 0:
                    break
                continue
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                handle_outcome(ctx, in_flight.pop(future), future.result())
                done += 1
            if progress is not None:
                progress(CrawlProgress(ctx.profile.name, done, ctx.frontier.total))
    if progress is not None:
        progress(CrawlProgress(ctx.profile.name, done, ctx.frontier.total))
