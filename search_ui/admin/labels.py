"""Dutch words for job kinds, states and source health, as the admin pages show them."""

from __future__ import annotations

from typing import Final

from core.jobs import Job

STATES: Final = {
    "queued": "in wachtrij",
    "running": "bezig",
    "done": "klaar",
    "failed": "mislukt",
    "interrupted": "onderbroken",
    "cancelled": "geannuleerd",
}

HEALTH: Final = {
    "gezond": "gezond",
    "waarschuwing": "waarschuwing",
    "mislukt": "mislukt",
    "onbekend": "nog niet gecrawld",
}


def job_title(job: Job) -> str:
    """``Volledige crawl eKIC``, ``URL opnieuw ophalen``, ``Synchroniseren`` ..."""
    source = f" {job.source}" if job.source else ""
    if job.kind == "crawl":
        return ("Volledige crawl" if job.params.get("full") else "Crawl") + source
    if job.kind == "crawl_url":
        return f"URL opnieuw ophalen{source}"
    if job.kind == "preview":
        return f"Voorbeeld van een pagina{source}"
    if job.kind == "sync":
        return "Synchroniseren met de index"
    if job.kind == "reindex":
        return "Volledig herindexeren"
    return job.kind


def who(enqueued_by: str) -> str:
    if enqueued_by == "scheduler":
        return "planning"
    if enqueued_by.startswith("job:"):
        return f"na taak #{enqueued_by[4:]}"
    return enqueued_by


#: What the audit log's action codes mean, in Dutch (the log stores stable codes).
ACTIONS: Final = {
    "sign_in": "aangemeld",
    "sign_in.failed": "aanmelden mislukt",
    "sign_in.throttled": "aanmelden geweigerd (te veel pogingen)",
    "sign_out": "afgemeld",
    "sign_out.everywhere": "overal afgemeld",
    "crawl": "crawl gestart",
    "crawl.full": "volledige crawl gestart",
    "crawl_url": "één URL opnieuw ophalen",
    "crawl_url.refused": "URL geweigerd (hoort niet bij de bron)",
    "reindex": "volledig herindexeren gestart",
    "job.cancel": "taak geannuleerd",
    "token.add": "API-token aangemaakt",
    "token.remove": "API-token verwijderd",
    "user.add": "gebruiker aangemaakt",
    "user.passwd": "wachtwoord gewijzigd",
    "user.remove": "gebruiker verwijderd",
    "api.crawl": "crawl gestart via de API",
    "api.crawl_url": "één URL opnieuw ophalen via de API",
    "api.sync": "synchroniseren gestart via de API",
    "api.reindex": "volledig herindexeren gestart via de API",
}


def action_label(code: str) -> str:
    """``sign_in.failed`` -> ``aanmelden mislukt``; an unknown code is shown as it is."""
    return ACTIONS.get(code, code)


def actor_label(actor: str) -> str:
    """``admin:anne`` -> ``anne (beheerder)``, ``anoniem:x`` -> ``onbekend (x)``."""
    kind, _, name = actor.partition(":")
    if not name:
        return "opdrachtregel" if actor == "cli" else actor
    roles = {"admin": "beheerder", "staff": "medewerker", "api-token": "API-token",
             "anoniem": "niet aangemeld"}  # fmt: skip
    return f"{name} ({roles.get(kind, kind)})"
