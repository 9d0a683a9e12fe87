"""``/beheer/synoniemen``: admins edit the search synonyms; saved lists apply at once.

The list is text, one group of equivalent terms per line ("den bosch,
's-hertogenbosch"). Saving stores a new version (``core.synonym_store``), swaps
the app's ``SynonymSource`` so the next search uses it (no reindex: expansion
happens in the query builder), and writes an audit entry with the number of
groups before and after. A list that is too long is refused with a 400 and
nothing changes.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from core.accounts import Principal
from core.synonym_store import MAX_LIST_CHARS, latest_list
from search_ui.admin.context import admin_context, admin_state
from search_ui.admin.guards import require_admin, require_csrf
from search_ui.auth import client_ip
from search_ui.rendering import render, translator
from search_ui.synonyms import SynonymSet

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_admin)])


@router.get("/beheer/synoniemen")
def synonyms_page(
    request: Request, opgeslagen: int = 0, problem: str = "", text: str | None = None
) -> Response:
    source = request.app.state.synonyms
    saved = latest_list(admin_state(request).store.engine)
    current = source.text() if text is None else text
    words = translator(request)
    context = admin_context(
        request,
        text=current,
        groups=len(SynonymSet.parse(current)),
        saved=saved,
        max_chars=MAX_LIST_CHARS,
        notice=words.plain("The synonyms are saved; the next search uses them.") if opgeslagen
        else "",
        problem=problem,
    )  # fmt: skip
    return render(request, "beheer/synonyms.html", context, status_code=400 if problem else 200)


@router.post("/beheer/synoniemen", dependencies=[Depends(require_csrf)])
async def save_synonyms(request: Request) -> Response:
    who: Principal = request.state.principal
    text = str((await request.form()).get("synoniemen", "")).replace("\r\n", "\n")
    if len(text) > MAX_LIST_CHARS:
        problem = translator(request).plain(
            "The list is too long (more than %(n)s characters); nothing was saved.",
            n=MAX_LIST_CHARS,
        )
        return synonyms_page(request, problem=problem, text=text[:MAX_LIST_CHARS])
    source = request.app.state.synonyms
    before = len(source.current())
    after = source.save(text, saved_by=who.actor)
    admin_state(request).accounts.audit(
        who.actor, "synonyms.save", "synoniemen",
        detail={"groups_before": before, "groups_after": len(after)}, ip=client_ip(request),
    )  # fmt: skip
    return RedirectResponse("/beheer/synoniemen?opgeslagen=1", status_code=303)
