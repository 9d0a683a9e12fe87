"""Words for job kinds, states, source health and audit entries, as the admin pages show
them: English message ids (``N_`` marks them for ``scripts/search_ui_messages.py``),
translated per request through the admin catalogue (``translations/*/admin.po``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from core.jobs import Job

Gettext = Callable[..., str]  # i18n.Translator.plain: a translation as plain text


def N_(message: str) -> str:
    """Marks a message id for extraction; it is translated where it is shown."""
    return message


STATES: Final = {
    "queued": N_("queued"),
    "running": N_("running"),
    "done": N_("done"),
    "failed": N_("failed"),
    "interrupted": N_("interrupted"),
    "cancelled": N_("cancelled"),
}

#: Source health codes (stored and used in CSS classes) and what they are called.
HEALTH: Final = {
    "gezond": N_("healthy"),
    "waarschuwing": N_("warning"),
    "mislukt": N_("failing"),
    "onbekend": N_("not crawled yet"),
}

#: Host states of a partial run.
HOST_STATES: Final = {"deferred": N_("deferred"), "given_up": N_("given up")}

#: A held deletion's decision.
HOLD_STATES: Final = {
    "confirmed": N_("confirmed"),
    "rejected": N_("rejected"),
    "replaced": N_("replaced by a newer list"),
}


#: Progress messages the worker records (step names, kennisbrug.crawl_wiring and the
#: indexer): shown translated; anything else (older rows) as it is.
STEPS: Final = {
    "crawling": N_("crawling"),
    "loading documents": N_("loading documents"),
    "moving the alias": N_("moving the alias"),
    "refreshing": N_("refreshing"),
    "syncing": N_("syncing"),
}


def step_label(message: str | None, _: Gettext) -> str:
    label = STEPS.get(message or "")
    return _(label) if label else (message or "")


def translated(words: dict[str, str], _: Gettext) -> dict[str, str]:
    """A label table in the request's language."""
    return {code: _(label) for code, label in words.items()}


def job_title(job: Job, _: Gettext) -> str:
    """``Full crawl eKIC``, ``Fetch one URL again``, ``Synchronise`` ... translated."""
    source = job.source or ""
    if job.kind == "crawl":
        if job.params.get("full"):
            return _("Full crawl %(source)s", source=source).strip()
        return _("Crawl %(source)s", source=source).strip()
    if job.kind == "crawl_url":
        return _("Fetch one URL again %(source)s", source=source).strip()
    if job.kind == "preview":
        return _("Preview of a page %(source)s", source=source).strip()
    if job.kind == "sync":
        return _("Synchronise with the index")
    if job.kind == "reindex":
        return _("Full reindex")
    return job.kind


def who(enqueued_by: str, _: Gettext) -> str:
    if enqueued_by == "scheduler":
        return _("schedule")
    if enqueued_by.startswith("job:"):
        return _("after job #%(job)s", job=enqueued_by[4:])
    return enqueued_by


#: What the audit log's action codes mean (the log stores stable codes).
ACTIONS: Final = {
    "sign_in": N_("signed in"),
    "sign_in.failed": N_("sign-in failed"),
    "sign_in.throttled": N_("sign-in refused (too many attempts)"),
    "sign_out": N_("signed out"),
    "sign_out.everywhere": N_("signed out everywhere"),
    "crawl": N_("crawl started"),
    "crawl.full": N_("full crawl started"),
    "crawl_url": N_("fetch one URL again"),
    "crawl_url.refused": N_("URL refused (not part of the source)"),
    "reindex": N_("full reindex started"),
    "job.cancel": N_("job cancelled"),
    "token.add": N_("API token created"),
    "token.remove": N_("API token removed"),
    "user.add": N_("user created"),
    "user.passwd": N_("password changed"),
    "user.remove": N_("user removed"),
    "api.crawl": N_("crawl started through the API"),
    "api.crawl_url": N_("fetch one URL again through the API"),
    "api.sync": N_("synchronisation started through the API"),
    "api.reindex": N_("full reindex started through the API"),
    "deletions.confirm": N_("held deletions confirmed"),
    "deletions.reject": N_("held deletions rejected"),
    "synonyms.save": N_("synonyms saved"),
    "preview": N_("page preview started"),
    "preview.refused": N_("URL refused for a preview (not part of the source)"),
}

ROLES: Final = {
    "admin": N_("administrator"),
    "staff": N_("staff member"),
    "api-token": N_("API token"),
    "anoniem": N_("not signed in"),
}


def action_label(code: str, _: Gettext) -> str:
    """``sign_in.failed`` -> ``sign-in failed`` (translated); an unknown code as it is."""
    label = ACTIONS.get(code)
    return _(label) if label else code


def actor_label(actor: str, _: Gettext) -> str:
    """``admin:anne`` -> ``anne (administrator)``, ``cli`` -> ``command line``."""
    kind, _sep, name = actor.partition(":")
    if not name:
        return _("command line") if actor == "cli" else actor
    role = ROLES.get(kind)
    return f"{name} ({_(role) if role else kind})"
