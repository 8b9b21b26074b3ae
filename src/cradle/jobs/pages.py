"""`/admin/jobs`: the administrators' page of scheduled jobs: each job's schedule, last run and result, last
success and next run, and the latest runs with their counts and errors."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.deps import current_actor, require
from cradle.config import get_settings
from cradle.jobs import runner
from cradle.web.nav import N_
from cradle.web.templating import render

router = APIRouter(include_in_schema=False)

RESULTS = {
    "running": N_("Running"),
    "ok": N_("Succeeded"),
    "failed": N_("Run failed"),
    "interrupted": N_("Interrupted"),
}
# The counts jobs return, by key; a key not listed is shown as it is.
SUMMARY_LABELS = {
    "files": N_("files"),
    "examined": N_("examined"),
    "eligible": N_("eligible"),
    "opened": N_("opened"),
    "existing": N_("already open"),
    "overdue": N_("overdue"),
    "escalated": N_("escalated"),
    "to_county": N_("to the county"),
    "to_city": N_("to the city"),
    "people": N_("people"),
    "sent": N_("sent"),
    "failed": N_("failed"),
    "generated": N_("batches made"),
    "payments": N_("payments"),
    "already": N_("already made"),
    "empty": N_("nothing to pay"),
    "file": N_("file"),
    "bytes": N_("bytes"),
    "tables": N_("tables"),
    "rows": N_("rows"),
    "removed": N_("old backups removed"),
}


def _local(utc: dt.datetime | None) -> dt.datetime | None:
    return utc.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None) if utc else None


@router.get("/admin/jobs")
def jobs_page(request: Request, actor: Annotated[Actor, Depends(current_actor)]) -> Response:
    if not actor.authenticated and not request.state.csrf_failed:
        return RedirectResponse(f"/auth/login?next={quote(request.url.path)}", status_code=303)
    require(roles.ADMIN)(request)
    url = get_settings().database_url
    return render(
        request,
        "jobs/admin_jobs.html",
        jobs=runner.status(url),
        runs=[(r, _local(r.started_at), _local(r.finished_at)) for r in runner.recent(url)],
        results=RESULTS,
        labels=SUMMARY_LABELS,
    )
