"""Source schedules as APScheduler triggers, and the next run they give.

The worker's scheduler builds its triggers here, and the admin dashboard (another
process) computes "next scheduled run" from the very same triggers, so the two
never disagree. Times are in the configured timezone (Europe/Amsterdam).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.errors import ConfigError
from core.sources import Schedule


def trigger_for(schedule: Schedule, timezone: str) -> BaseTrigger | None:
    """The trigger of a profile's schedule; None when the source has no schedule."""
    tz = ZoneInfo(timezone)
    if schedule.cron:
        try:
            return CronTrigger.from_crontab(schedule.cron, timezone=tz)
        except ValueError as exc:
            raise ConfigError(f"schedule cron {schedule.cron!r} is not valid: {exc}") from exc
    if schedule.interval_minutes:
        return IntervalTrigger(minutes=schedule.interval_minutes, timezone=tz)
    return None


def next_run(
    schedule: Schedule, timezone: str, *, now: datetime, last: datetime | None = None
) -> datetime | None:
    """When the schedule fires next (an interval counts from the ``last`` scheduled run)."""
    trigger = trigger_for(schedule, timezone)
    if trigger is None:
        return None
    if isinstance(trigger, IntervalTrigger) and last is not None:
        # Overdue means "as soon as the worker runs": the scheduler catches up then.
        # APScheduler 3 is untyped: name what it gives back.
        overdue: datetime = max(last + trigger.interval, now)
        return overdue
    fire: datetime | None = trigger.get_next_fire_time(None, now)
    return fire
