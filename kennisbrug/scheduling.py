"""The scheduler: per-source cron or interval triggers that only *enqueue* crawls.

Runs inside the worker process (APScheduler 3 BackgroundScheduler, Europe/Amsterdam).
Every firing calls ``JobQueue.enqueue``, so overlapping or repeated firings collapse
into one queued crawl and the queue, not the scheduler, decides when it runs.

Misfires after downtime: APScheduler keeps its jobs in memory, so by itself a
restarted worker would forget a run it missed. On start we therefore look up the
last scheduled crawl of each source in the job table and, if a fire time passed
since then, start the trigger at that past time; APScheduler's ``coalesce=True``
then turns all missed runs into one, within ``misfire_grace_time``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    EVENT_SCHEDULER_STARTED,
)
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.errors import StoreError
from core.jobs import JobQueue
from core.schedules import trigger_for
from core.sources import SourceProfile
from core.store import utcnow

log = logging.getLogger("kennisbrug.scheduler")

SCHEDULER = "scheduler"


class ScheduledCrawl:
    """The scheduled callable: enqueue an incremental crawl of one source, nothing more."""

    def __init__(self, queue: JobQueue, source: str) -> None:
        self.queue = queue
        self.source = source

    def __call__(self) -> None:
        job = self.queue.enqueue("crawl", source=self.source, enqueued_by=SCHEDULER)
        log.info("scheduled crawl of %s: %s", self.source, job)


def source_triggers(profiles: Mapping[str, SourceProfile], timezone: str) -> dict[str, BaseTrigger]:
    triggers = {}
    for name, profile in profiles.items():
        trigger = trigger_for(profile.schedule, timezone)
        if trigger is not None:
            triggers[name] = trigger
    return triggers


def build_scheduler(
    queue: JobQueue,
    triggers: Mapping[str, BaseTrigger],
    *,
    timezone: str = "Europe/Amsterdam",
    misfire_grace_seconds: int = 12 * 3600,
    now: datetime | None = None,
) -> BackgroundScheduler:
    """A scheduler (not started) with one enqueue-only job per source."""
    tz = ZoneInfo(timezone)
    scheduler = BackgroundScheduler(timezone=tz)
    now = now or utcnow()
    # The dashboard shows this scheduler's own next firings (written on start and after
    # each firing), not a second computation that could disagree with it.
    scheduler.add_listener(
        lambda _event: record_plan(queue, scheduler),
        EVENT_SCHEDULER_STARTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED,
    )
    for source, trigger in triggers.items():
        first = missed_fire_time(queue, source, trigger, now=now)
        if first is not None:
            log.info("%s missed a scheduled crawl at %s; catching up once", source, first)
        scheduler.add_job(
            ScheduledCrawl(queue, source),
            trigger,
            id=f"crawl:{source}",
            name=f"scheduled crawl of {source}",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=misfire_grace_seconds,
            replace_existing=True,
            **({"next_run_time": first} if first is not None else {}),
        )
    return scheduler


def record_plan(queue: JobQueue, scheduler: BackgroundScheduler) -> None:
    """Store each source's next fire time; a failure is logged, never breaks scheduling."""
    plan = {}
    for job in scheduler.get_jobs():
        if job.id.startswith("crawl:"):
            plan[job.id.removeprefix("crawl:")] = getattr(job, "next_run_time", None)
    try:
        queue.record_next_runs(plan)
    except StoreError as exc:
        log.warning("could not record the schedule: %s", exc)


def missed_fire_time(
    queue: JobQueue, source: str, trigger: BaseTrigger, *, now: datetime
) -> datetime | None:
    """The first fire time after the last scheduled crawl of ``source``, if already past."""
    previous = queue.find(kind="crawl", source=source, enqueued_by=SCHEDULER, limit=1)
    if not previous:
        return None  # never scheduled before: start with the next regular time
    last = previous[0].enqueued_at
    fire: datetime | None
    if isinstance(trigger, IntervalTrigger):
        fire = last + trigger.interval  # its own start date would be "now + interval"
    else:
        fire = trigger.get_next_fire_time(None, last)
    if fire is None or fire > now:
        return None
    return fire
