"""The admin pages under ``/beheer``: dashboard, jobs, job detail, search insight.

Every page needs an admin (``guards.require_admin``); every POST also needs the
session's CSRF token. Buttons only *enqueue* jobs (``core.jobs``); the worker runs
them. "Eén URL opnieuw ophalen" accepts only URLs inside the source's own site,
so the admin form can never make Kennisbrug fetch an arbitrary host.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from core.accounts import Principal
from core.errors import JobError
from core.jobs import Job, JobState
from core.query_log import QueryStat, top_queries
from search_ui.admin.context import admin_context, admin_state, job_number, profile_or_404
from search_ui.admin.dashboard import cluster_panel, run_counts, source_cards
from search_ui.admin.guards import require_admin, require_csrf
from search_ui.admin.labels import N_, STATES, step_label
from search_ui.auth import client_ip
from search_ui.i18n import Translator
from search_ui.rendering import render, translator

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_admin)])
ACTIVE = [JobState.QUEUED, JobState.RUNNING]
#: Search insight: distinct queries read per list, and rows shown per page.
INSIGHT_SCAN = 1000
INSIGHT_PAGE = 25


@router.get("/beheer")
def dashboard(request: Request, taak: int = 0) -> Response:
    # No free-text message from the URL: a link could otherwise put any words in the
    # admin's alert box. Problems are only shown by the route that found them.
    return _dashboard(request, taak=taak)


def _dashboard(request: Request, *, taak: int = 0, problem: str = "") -> Response:
    state = admin_state(request)
    es = request.app.state.backend.client
    cards = source_cards(
        state.profiles(), state.queue, state.store, es,
        alias=state.settings.index_alias, timezone=state.settings.timezone,
    )  # fmt: skip
    words = translator(request)
    notice = (
        words.plain("Job #%(job)s is queued; the worker will run it.", job=taak) if taak else ""
    )
    busy = any(card.active for card in cards)
    context = admin_context(
        request,
        cards=cards,
        cluster=cluster_panel(es, state.settings.index_alias),
        busy=busy,
        notice=notice,
        problem=problem,
    )
    return render(request, "beheer/dashboard.html", context, status_code=400 if problem else 200)


@router.post("/beheer/bronnen/{source}/crawl", dependencies=[Depends(require_csrf)])
async def crawl_now(request: Request, source: str) -> Response:
    who: Principal = request.state.principal
    profile = profile_or_404(request, source)
    full = (await request.form()).get("volledig") == "1"
    job = admin_state(request).queue.enqueue(
        "crawl", source=profile.name, params={"full": full}, enqueued_by=who.actor
    )
    _audit(request, "crawl.full" if full else "crawl", profile.name, job)
    return RedirectResponse(f"/beheer?taak={job.id}", status_code=303)


async def _one_url_job(request: Request, source: str, kind: str) -> tuple[Job | None, Response]:
    """Queue ``kind`` for the form's URL if it lies inside ``source``; refuse (audited) if not."""
    who: Principal = request.state.principal
    profile = profile_or_404(request, source)
    url = str((await request.form()).get("url", "")).strip()
    if not url.startswith(("http://", "https://")) or not profile.in_scope(url):
        state = admin_state(request)
        state.accounts.audit(who.actor, f"{kind}.refused", url[:500], ip=client_ip(request))
        problem = translator(request).plain(
            "This URL is not part of %(source)s: only addresses within %(base)s/ are fetched. "
            "Nothing was fetched.",
            source=profile.label, base=profile.base_url,
        )  # fmt: skip
        return None, _dashboard(request, problem=problem)
    job = admin_state(request).queue.enqueue(
        kind, source=profile.name, params={"url": url}, enqueued_by=who.actor
    )
    _audit(request, kind, url, job)
    return job, RedirectResponse(f"/beheer?taak={job.id}", status_code=303)


@router.post("/beheer/bronnen/{source}/url", dependencies=[Depends(require_csrf)])
async def recrawl_url(request: Request, source: str) -> Response:
    _job, answer = await _one_url_job(request, source, "crawl_url")
    return answer


@router.get("/beheer/herindexeren")
def reindex_confirm(request: Request) -> Response:
    """A full reindex is heavy: the dashboard's button asks here first (works without JS)."""
    return render(request, "beheer/reindex.html", admin_context(request))


@router.post("/beheer/bronnen/{source}/voorbeeld", dependencies=[Depends(require_csrf)])
async def preview_page(request: Request, source: str) -> Response:
    """Queue a profile preview of one page of ``source`` (scope-checked; nothing stored)."""
    job, answer = await _one_url_job(request, source, "preview")
    return answer if job is None else RedirectResponse(f"/beheer/taken/{job.id}", status_code=303)


@router.post("/beheer/herindexeren", dependencies=[Depends(require_csrf)])
async def reindex_now(request: Request) -> Response:
    if (await request.form()).get("bevestigd") != "1":
        return RedirectResponse("/beheer/herindexeren", status_code=303)
    who: Principal = request.state.principal
    job = admin_state(request).queue.enqueue("reindex", enqueued_by=who.actor)
    _audit(request, "reindex", "index", job)
    return RedirectResponse(f"/beheer/taken?taak={job.id}", status_code=303)


@router.get("/beheer/taken")
def jobs_page(request: Request, taak: int = 0) -> Response:
    queue = admin_state(request).queue
    active = sorted(queue.find(states=ACTIVE, limit=200), key=lambda j: j.id)
    history = [j for j in queue.find(limit=100) if not j.active]
    notice = translator(request).plain("Job #%(job)s is queued.", job=taak) if taak else ""
    context = admin_context(request, active=active, history=history, notice=notice)
    return render(request, "beheer/jobs.html", context)


@router.get("/beheer/taken.json")
def jobs_json(request: Request) -> Response:
    """Active and recent jobs for the pages' progress poller."""
    queue = admin_state(request).queue
    jobs = {j.id: j for j in queue.find(limit=30)}
    jobs.update({j.id: j for j in queue.find(states=ACTIVE, limit=200)})
    words = translator(request)
    listed = [_job_json(j, words) for j in sorted(jobs.values(), key=lambda j: j.id)]
    return JSONResponse({"jobs": listed, "labels": {"progress": words.plain("Progress")}})


@router.get("/beheer/taken/{job_id}")
def job_page(request: Request, job_id: str) -> Response:
    job = _job_or_404(request, job_id)
    failures = list(job.report.get("failures") or [])
    counts = run_counts(job) if job.kind in {"crawl", "crawl_url"} else _plain_counts(job)
    context = admin_context(request, job=job, failures=failures, counts=counts)
    return render(request, "beheer/job.html", context)


@router.post("/beheer/taken/{job_id}/annuleren", dependencies=[Depends(require_csrf)])
def cancel_job(request: Request, job_id: str) -> Response:
    job = _job_or_404(request, job_id)
    state = admin_state(request)
    if job.state == JobState.QUEUED:
        state.queue.cancel(job.id)
        _audit(request, "job.cancel", f"#{job.id}", job)
    return RedirectResponse("/beheer/taken", status_code=303)


@router.get("/beheer/inzicht")
def insight_page(
    request: Request, dagen: int = 30, zoek: str = "", pagina: int = 1, alles: str = ""
) -> Response:
    """Top and zero-result queries: filterable, paged, junk hidden unless asked for."""
    state = admin_state(request)
    days = max(1, min(dagen, 365))
    contains = " ".join(zoek.split()).lower()[:100]
    show_all = alles == "1"

    def keep(stat: QueryStat) -> bool:
        return (not contains or contains in stat.q) and (show_all or not junk_query(stat.q))

    top = [s for s in top_queries(state.store, days=days, limit=INSIGHT_SCAN) if keep(s)]
    zero = [s for s in top_queries(state.store, days=days, limit=INSIGHT_SCAN, zero_only=True)
            if keep(s)]  # fmt: skip
    pages = max(1, -(-max(len(top), len(zero)) // INSIGHT_PAGE))
    page = max(1, min(pagina, pages))
    window = slice((page - 1) * INSIGHT_PAGE, page * INSIGHT_PAGE)
    context = admin_context(
        request, days=days, zoek=contains, show_all=show_all, page=page, pages=pages,
        top=top[window], zero=zero[window], audit=state.accounts.audit_entries(limit=50),
    )  # fmt: skip
    return render(request, "beheer/insight.html", context)


def junk_query(q: str) -> bool:
    """Noise, not a question: one character, no letters at all, or a pasted wall of text."""
    return len(q) < 2 or not any(ch.isalpha() for ch in q) or len(q) > 150


def _job_or_404(request: Request, job_id: str) -> Job:
    number = job_number(job_id)
    if number is None:
        raise HTTPException(404)
    try:
        return admin_state(request).queue.get(number)
    except JobError as exc:
        raise HTTPException(404) from exc


def _job_json(job: Job, words: Translator) -> dict[str, Any]:
    data = job.to_json()
    data["state_label"] = words.plain(STATES.get(str(job.state), str(job.state)))
    data["progress"]["message"] = step_label(job.progress_message, words.plain)
    data.pop("report", None)  # the poller needs progress, not the full report
    return data


#: Counts of sync and reindex jobs: report key and its label (an English message id).
PLAIN_COUNTS = (
    ("indexed", N_("indexed")), ("deleted", N_("deleted")), ("failed", N_("failed")),
    ("docs", N_("documents")), ("index", N_("index")), ("previous", N_("previous index")),
    ("pending_before", N_("waiting beforehand")),
)  # fmt: skip


def _plain_counts(job: Job) -> list[tuple[str, str, Any]]:
    return [(key, label, job.report[key]) for key, label in PLAIN_COUNTS if key in job.report]


def _audit(request: Request, action: str, target: str, job: Job) -> None:
    who: Principal = request.state.principal
    admin_state(request).accounts.audit(
        who.actor, action, target, detail={"job": job.id}, ip=client_ip(request)
    )
