"""What the admin routes share: the state-database objects and the template context.

``AdminState`` lives on ``app.state.admin`` (built once by ``install_admin``); the
source profiles are read on first use so a broken ``sources.toml`` breaks only
the admin pages, with its error, and never search.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from starlette.exceptions import HTTPException
from starlette.requests import Request

from core.accounts import Accounts
from core.jobs import JobQueue
from core.settings import Settings
from core.sources import SourceProfile, load_profiles
from core.store import DocumentStore
from search_ui.admin.labels import (
    HEALTH,
    HOLD_STATES,
    HOST_STATES,
    STATES,
    action_label,
    actor_label,
    job_title,
    step_label,
    translated,
    who,
)
from search_ui.auth import csrf_token, principal
from search_ui.rendering import translator


@dataclass(kw_only=True)
class AdminState:
    settings: Settings
    store: DocumentStore
    queue: JobQueue
    accounts: Accounts
    _profiles: dict[str, SourceProfile] | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def profiles(self) -> dict[str, SourceProfile]:
        with self._lock:
            if self._profiles is None:
                self._profiles = load_profiles(self.settings.sources_file)
            return self._profiles


def admin_state(request: Request) -> AdminState:
    state: AdminState = request.app.state.admin
    return state


def profile_or_404(request: Request, source: str) -> SourceProfile:
    profile = admin_state(request).profiles().get(source)
    if profile is None:
        raise HTTPException(404)
    return profile


#: Job ids are database integers; anything beyond this is no job (and no 500).
MAX_JOB_ID = 2**31 - 1


def job_number(raw: str | int) -> int | None:
    """A job id from a URL, or None when it cannot be one (text, 0, 20 digits)."""
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_JOB_ID else None


def admin_context(request: Request, **values: Any) -> dict[str, Any]:
    """What every admin template gets besides ``_`` and friends: labels, dates and
    durations in the request's language (``i18n.Translator``), the CSRF token."""
    words = translator(request)
    plain = words.plain
    tz = ZoneInfo(admin_state(request).settings.timezone)
    context: dict[str, Any] = {
        "csrf": csrf_token(request),
        "who": principal(request),
        "states": translated(STATES, plain),
        "health": translated(HEALTH, plain),
        "host_states": translated(HOST_STATES, plain),
        "hold_states": translated(HOLD_STATES, plain),
        "title": lambda job: job_title(job, plain),
        "who_label": lambda enqueued_by: who(enqueued_by, plain),
        "action_label": lambda code: action_label(code, plain),
        "actor_label": lambda actor: actor_label(actor, plain),
        "reason": words.reason,
        "step": lambda message: step_label(message, plain),
        "iso": lambda moment: moment.isoformat() if moment else "",
        "local": lambda moment: words.moment(moment, tz),
        "seconds_label": words.duration,
        "duration_patterns": words.duration_patterns(),
        "notice": "",
        "problem": "",
    }
    context.update(values)
    return context
