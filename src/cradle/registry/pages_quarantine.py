"""The quarantine pages (/registry/quarantine): quarantined rows inside the official's scope, filtered by run,
department, reason and status; one row with the reason beside its field and a form to correct it and submit it
again; several rows submitted again or dismissed at once. The same functions as the JSON API
(`cradle.registry.browse`), so the same scope, masking and audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.deps import PageActor
from cradle.errors import N_, Invalid, OutOfScope
from cradle.registry import access, browse
from cradle.registry.exposure import LINE
from cradle.registry.feeds import FEEDS, get_feed
from cradle.registry.validation import REASON_MESSAGES
from cradle.web.session import RequestSession
from cradle.web.templating import locale_of, render

router = APIRouter(prefix="/registry/quarantine", include_in_schema=False)
Reader = Annotated[Actor, Depends(PageActor(*access.READERS))]
Writer = Annotated[Actor, Depends(PageActor(*access.WRITERS))]
Id = Annotated[int, Path(ge=1, le=2**62)]
STATUSES = ("open", "resubmitted", "dismissed", "all")
PAGE = 100


def _errors(request: Request, exc: Invalid) -> dict[str, str]:
    return {p.field or "form": p.text(locale_of(request)) for p in exc.items()}


def _listing(
    request: Request, db, actor: Actor, params: dict, errors=None, status_code: int = 200
) -> Response:
    run_id = int(params["run_id"]) if params["run_id"].isdigit() else None
    status = params["status"] if params["status"] in STATUSES else "open"
    dept = actor.dept if actor.role == roles.DEPT else (params["dept"] if params["dept"] in FEEDS else None)
    reason = params["reason"] or None
    found = browse.quarantined(
        db, actor, run_id=run_id, dept=dept, reason=reason, status=status, limit=PAGE, offset=params["offset"]
    )
    return render(
        request,
        "registry/quarantine.html",
        status_code=status_code,
        rows=found["rows"],
        total=found["total"],
        filters={"run_id": run_id or "", "dept": dept or "", "reason": reason or "", "status": status},
        offset=params["offset"],
        page=PAGE,
        departments=[actor.dept] if actor.role == roles.DEPT else list(FEEDS),
        reasons=REASON_MESSAGES,
        statuses=STATUSES,
        may_write=actor.role in access.WRITERS,
        errors=errors or {},
        selected=params.get("ids", []),
        line_key=LINE,
    )


@router.get("")
def quarantine_list(
    request: Request,
    db: RequestSession,
    actor: Reader,
    run_id: str = "",
    dept: str = "",
    reason: str = "",
    status: str = "open",
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    params = {"run_id": run_id, "dept": dept, "reason": reason, "status": status, "offset": offset}
    return _listing(request, db, actor, params)


@router.post("")
async def quarantine_bulk(request: Request, db: RequestSession, actor: Writer) -> Response:
    """Submit again, or dismiss with a reason, the rows ticked on the list."""
    form = await request.form()
    ids = [int(v) for v in form.getlist("ids") if isinstance(v, str) and v.isdigit()]
    action, reason = str(form.get("action") or ""), str(form.get("reason") or "")
    params = {k: str(form.get(k) or "") for k in ("run_id", "dept", "reason_filter", "status")}
    params = {**params, "reason": params.pop("reason_filter"), "offset": 0, "ids": ids}
    try:
        if not ids:
            raise Invalid("ids", N_("Choose at least one row"), code="missing")
        if action == "dismiss":
            n = browse.dismiss(db, actor, ids, reason)
            return RedirectResponse(f"/registry/quarantine?dismissed={n}", status_code=303)
        if action != "resubmit":
            raise Invalid("action", N_("Choose to submit again or to dismiss"))
        runs = browse.resubmit(db, actor, ids, engine=db.get_bind())
    except Invalid as exc:
        return _listing(request, db, actor, params, _errors(request, exc), status_code=exc.status)
    run_ids = ",".join(str(r["run_id"]) for r in runs)
    return RedirectResponse(f"/registry/quarantine?resubmitted={run_ids}", status_code=303)


def _row_page(request: Request, db, actor: Actor, row_id: int, values=None, errors=None, status_code=200):
    row = browse.quarantine_row(db, actor, row_id)
    current = {**(row["raw"] or {}), **(row["corrected"] or {})}
    return render(
        request,
        "registry/quarantine_row.html",
        status_code=status_code,
        q=row,
        columns=get_feed(row["dept"]).columns,
        values={**current, **(values or {})},
        errors=errors or {},
        reasons=REASON_MESSAGES,
        may_write=access.may_write_rows(actor, row["dept"]),
        line=(row["raw"] or {}).get(LINE),
    )


@router.get("/{row_id}")
def quarantine_row(request: Request, db: RequestSession, actor: Reader, row_id: Id) -> Response:
    return _row_page(request, db, actor, row_id)


@router.post("/{row_id}")
async def quarantine_correct(request: Request, db: RequestSession, actor: Writer, row_id: Id) -> Response:
    """Stores the fields the official changed beside the row as read; "resubmit" then runs it through ingest
    again (a row refused again opens its new quarantine entry, the reason beside its field)."""
    form = await request.form()
    row = browse.quarantine_row(db, actor, row_id)  # outside the scope: the error page, nothing shown
    current = {**(row["raw"] or {}), **(row["corrected"] or {})}
    columns = [c.name for c in get_feed(row["dept"]).columns]
    values = {c: str(form.get(f"v_{c}") or "").strip() for c in columns if f"v_{c}" in form}
    # a value shown masked and left as it was is no change (the stored number stays); a field not sent, neither
    changes = {k: (v or None) for k, v in values.items() if v != (current.get(k) or "")}
    try:
        if changes:
            browse.correct(db, actor, row_id, changes)
        if form.get("action") != "resubmit":
            return RedirectResponse(f"/registry/quarantine/{row_id}?saved=1", status_code=303)
        if row["status"] != "open":
            raise Invalid(
                "form",
                N_("Quarantined row %(row)s already handled (%(status)s)"),
                row=row_id,
                status=row["status"],
            )
        (run,) = browse.resubmit(db, actor, [row_id], engine=db.get_bind())
    except (Invalid, OutOfScope) as exc:
        errors = _errors(request, exc)
        if "changes.region" in errors:  # the region column the correction named
            errors["hukou_region" if "hukou_region" in changes else "region"] = errors.pop("changes.region")
        return _row_page(request, db, actor, row_id, values, errors, status_code=exc.status)
    again = browse.quarantined(db, actor, run_id=run["run_id"], status="open", limit=1)["rows"]
    target = again[0]["id"] if again else row_id
    return RedirectResponse(f"/registry/quarantine/{target}", status_code=303)
