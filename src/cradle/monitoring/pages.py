"""Monitoring pages under /monitoring: dashboards by province, city and county (value, target, trend, rank,
status colours, drill-down), an indicator's page, the entry form, the Excel template download and upload, and
the annual report (HTML and PDF). Every page calls the same service functions as the API and the CLI; the
dashboards and the report share :func:`cradle.monitoring.report.scorecard.build`. Dashboards and reports are
public; entry takes an official (`PageActor`). Refusals are `cradle.errors`, answered by the app's one handler
as the error page (every route here is a page)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from cradle import regions
from cradle.auth.deps import check_scope, current_actor
from cradle.errors import N_, DomainError, Invalid
from cradle.monitoring import (
    catalogue,
    excel,
    plan,
    plan_pages,
    sources,
    survey_pages,
    values,
    warnings,
    whatif_pages,
)
from cradle.monitoring.access import STAFF_ROLES
from cradle.monitoring.areas import UNKNOWN, found
from cradle.monitoring.outlook import Projection, outlook
from cradle.monitoring.pagekit import Official, say
from cradle.monitoring.report import annual, dashboard, render, scorecard
from cradle.monitoring.scenarios import MEDIUM, TITLE_OF_LABEL
from cradle.policy import packs
from cradle.web.errors import mark_page
from cradle.web.session import RequestSession
from cradle.web.templating import locale_of
from cradle.web.templating import render as render_page

dashboards = APIRouter(prefix="/monitoring")
CODE = r"^\d{6}$"
ENTRY_FIELDS = (
    "indicator_id",
    "region",
    "year",
    "value",
    "numerator",
    "denominator",
    "source",
    "source_date",
    "note",
    "department",
    "entered_by",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REQUIRED = values.REQUIRED
ENTRY_TITLE = N_("Indicator data entry")
COMPUTED = N_("Computed by the platform from the data it holds, %(date)s")
ENTERED = N_("Entered by %(who)s (%(department)s), %(date)s")
UPLOAD_TITLE = N_("Excel template download and bulk upload")


def _labels(request: Request) -> dict[str, str]:
    return {k: say(request, m) for k, m in scorecard.STATUS_MESSAGES.items()}


def _units(request: Request):
    locale = locale_of(request)
    return lambda unit: catalogue.unit_text(unit, locale)


def _indicator_text(request: Request):
    """The templates' ``indicator_text(ind, field="name")``: an indicator's words in the request's language."""
    locale = locale_of(request)
    return lambda ind, field="name": ind.text(field, locale)


def _crumbs(request: Request, code: str, year: int, last_link: bool = False) -> list[tuple[str, str | None]]:
    out = dashboard.crumbs(code, year, last_link, locale_of(request))
    return [(say(request, N_("Monitoring")), out[0][1]), *out[1:]]


def _own(request: Request, title: str) -> list[tuple[str, str | None]]:
    return [(say(request, N_("Monitoring")), "/monitoring"), (title, None)]


def _year(session, code: str, year: int | None) -> int:
    if year is not None:
        return year
    return scorecard.latest_year(session, code) or dt.date.today().year - 1


@dashboards.get("")
def index(request: Request, region: str | None = None) -> Response:
    if region:
        if regions.exists(region.strip()):
            return RedirectResponse(f"/monitoring/{region.strip()}", status_code=303)
        error = say(request, UNKNOWN, region=repr(region))
    else:
        error = None
    areas = [regions.get(p.region) for p in packs.with_targets()]  # the areas whose documents set targets
    title = say(request, N_("Monitoring"))
    return render_page(
        request,
        "monitoring/index.html",
        status_code=422 if error else 200,
        title=title,
        areas=areas,
        region=region or "",
        error=error,
        breadcrumbs=[(title, None)],
    )


# --- entry form and Excel ----------------------------------------------------------------------------------
def _entry_page(
    request: Request, form: dict, errors: dict[str, str], stored=None, status: int = 200
) -> Response:
    cat = catalogue.load()
    choices = sorted(cat.indicators.values(), key=lambda i: (i.source != "entered", i.id))
    return render_page(
        request,
        "monitoring/entry.html",
        status_code=status,
        title=say(request, ENTRY_TITLE),
        form=form,
        errors=errors,
        stored=stored,
        indicators=choices,
        unit_text=_units(request),
        indicator_text=_indicator_text(request),
        breadcrumbs=_own(request, say(request, ENTRY_TITLE)),
    )


@dashboards.get("/entry")
def entry_form(
    request: Request, actor: Official, region: str = "", indicator: str = "", year: int | None = None
) -> Response:
    form = dict.fromkeys(ENTRY_FIELDS, "")
    form.update(region=region, indicator_id=indicator, year=str(year or dt.date.today().year - 1))
    return _entry_page(request, form, {})


@dashboards.post("/entry")
async def entry_submit(request: Request, db: RequestSession, actor: Official) -> Response:
    raw = await request.form()
    form = {k: str(raw.get(k) or "").strip() for k in ENTRY_FIELDS}
    locale = locale_of(request)
    errors: dict[str, str] = {}
    entry, problems = values.parse_entry({k: form[k] for k in ENTRY_FIELDS[:9]}, ctx=sources.context(db))
    for problem in problems:
        errors.setdefault(problem.field, problem.text(locale))
    for field in ("department", "entered_by"):
        if not form[field]:
            errors[field] = say(request, REQUIRED)
    if errors:
        return _entry_page(request, form, errors, status=422)
    check_scope(actor, entry.region)
    row = values.record(db, [entry], form["department"], form["entered_by"])[0]
    stored = {
        "indicator": catalogue.load().indicator(row.indicator_id).text("name", locale),
        "region": row.region,
        "region_name": regions.local_name(row.region, locale_of(request)),
        "year": row.year,
        "value": scorecard.format_value(row.value),
        "id": row.id,
    }
    blank = dict.fromkeys(ENTRY_FIELDS, "")
    blank.update(
        region=form["region"],
        year=form["year"],
        department=form["department"],
        entered_by=form["entered_by"],
        source=form["source"],
        source_date=form["source_date"],
    )
    return _entry_page(request, blank, {}, stored=stored, status=201)


def _upload_page(request: Request, status: int = 200, **context) -> Response:
    context.setdefault("errors", [])
    context.setdefault("stored", None)
    return render_page(
        request,
        "monitoring/upload.html",
        status_code=status,
        title=say(request, UPLOAD_TITLE),
        breadcrumbs=_own(request, say(request, N_("Excel template"))),
        **context,
    )


@dashboards.get("/upload")
def upload_page(request: Request, actor: Official, region: str = "", year: int | None = None) -> Response:
    return _upload_page(request, region=region, year=year or dt.date.today().year - 1)


@dashboards.get("/upload/template.xlsx", response_class=Response)
def upload_template(
    request: Request, db: RequestSession, actor: Official, region: str = "", year: int | None = None
) -> Response:
    """The blank template for the regions typed (space or comma separated) and the year."""
    codes = [c for c in region.replace(",", " ").split() if c]
    bad = [c for c in codes if not regions.exists(c)]
    problems = []
    if bad:
        problems.append(Invalid("region", N_("Unknown region codes: %(codes)s"), codes=", ".join(bad)))
    elif not codes:
        problems.append(Invalid("region", REQUIRED))
    if year is None:
        problems.append(Invalid("year", REQUIRED))
    if problems:
        locale = locale_of(request)
        errors = [(p.field, p.text(locale)) for p in problems]
        return _upload_page(request, 422, region=region, year=year or "", errors=errors)
    ids = [i.id for i in catalogue.load().indicators.values() if i.source == "entered"]
    return Response(
        excel.template(ids, codes, year, db, locale_of(request)),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="monitoring_{codes[0]}_{year}.xlsx"'},
    )


@dashboards.post("/upload")
async def upload_submit(
    request: Request,
    db: RequestSession,
    actor: Official,
    file: Annotated[UploadFile, File()],
    department: Annotated[str, Form()] = "",
    entered_by: Annotated[str, Form()] = "",
) -> Response:
    locale = locale_of(request)
    problems: list[DomainError] = []
    if not department.strip():
        problems.append(Invalid("department", REQUIRED))
    if not entered_by.strip():
        problems.append(Invalid("entered_by", REQUIRED))
    stored = None
    if not problems:
        try:
            rows = excel.upload(db, await file.read(), department.strip(), entered_by.strip())
            for row in rows:  # a region outside the uploader's scope rolls the whole file back
                check_scope(actor, row.region, "file")
            stored = len(rows)
        except DomainError as exc:
            if not exc.bad_input:  # a region outside the uploader's scope is the error page
                raise
            db.rollback()
            problems = exc.items()
    errors = [(p.field, p.text(locale)) for p in problems]
    return _upload_page(
        request,
        422 if errors else 201,
        region="",
        year=dt.date.today().year - 1,
        errors=errors,
        stored=stored,
        department=department,
        entered_by=entered_by,
    )


# --- dashboards --------------------------------------------------------------------------------------------
def provenance(request: Request, row) -> str | None:
    """How a value came to be, by whom and when, in the request's language."""
    if row is None:
        return None
    when = row.recorded_at.date().isoformat() if row.recorded_at else row.source_date.isoformat()
    if row.method == "computed":
        return say(request, COMPUTED, date=when)
    return say(request, ENTERED, who=row.entered_by, department=row.department, date=when)


def _outlook(request: Request, db, code: str, year: int) -> tuple[Projection | None, str | None, dict | None]:
    """The 30-year outlook, or why there is none; and its chart."""
    try:
        proj = outlook(db, code, year)
    except Invalid as exc:
        return None, exc.text(locale_of(request)), None
    titles = {label: say(request, title) for label, title in TITLE_OF_LABEL.items()}
    return proj, None, proj.chart(titles, say(request, N_("people")))


@dashboards.get("/{code}")
def region_dashboard(code: str, request: Request, db: RequestSession, year: int | None = None) -> Response:
    found(code)
    year = _year(db, code, year)
    card = scorecard.build(db, code, year)
    years = dashboard.years_with_data(db, code)
    charts = {r.indicator.id: dashboard.trend_chart(r, locale_of(request)) for r in card.rows if r.series}
    unit_cols = [r for r in card.rows if any(u.value is not None for u in r.units)]
    title = say(
        request, N_("%(region)s monitoring dashboard"), region=regions.local_name(code, locale_of(request))
    )
    found_warnings = warnings.warnings_for(db, [code, *card.units], year)
    late: dict[str, list[warnings.Warning]] = {}
    for w in found_warnings:
        if w.kind == "late":
            late.setdefault(w.indicator, []).append(w)
    projection, projection_note, projection_chart = _outlook(request, db, code, year)
    actor = current_actor(request)
    staff = actor.role in STAFF_ROLES and actor.can_see(code)
    overdue = plan.overdue_items(plan.board(db, code), dt.date.today()) if staff else []
    current = values.current_rows(db, code, year)
    return render_page(
        request,
        "monitoring/dashboard.html",
        title=title,
        card=card,
        years=sorted(set(years) | {year}, reverse=True),
        charts=charts,
        unit_cols=unit_cols,
        unit_names=[(u, regions.local_name(u, locale_of(request))) for u in card.units],
        STATUS_COLOURS=dashboard.STATUS_COLOURS,
        LABELS=_labels(request),
        unit_text=_units(request),
        indicator_text=_indicator_text(request),
        fmt=scorecard.format_value,
        breadcrumbs=_crumbs(request, code, year),
        warnings=[w for w in found_warnings if w.kind != "late"],
        late=late,
        KINDS=warnings.KINDS,
        projection=projection,
        projection_note=projection_note,
        projection_chart=projection_chart,
        SCENARIO_TITLES=TITLE_OF_LABEL,
        MEDIUM=MEDIUM.label,
        staff=staff,
        overdue=overdue,
        provenance={k: provenance(request, r) for k, r in current.items()},
    )


@dashboards.get("/{code}/indicators/{indicator_id}")
def indicator_page(
    code: str, indicator_id: str, request: Request, db: RequestSession, year: int | None = None
) -> Response:
    found(code)
    year = _year(db, code, year)
    card = scorecard.build(db, code, year)
    row = card.row(indicator_id)
    peer_values = values.series_many(db, card.peers, [indicator_id])
    current = values.current(db, indicator_id, code, year)
    source = (
        {
            "source": current.source,
            "source_date": current.source_date.isoformat(),
            "department": current.department,
            "method": current.method,
            "provenance": provenance(request, current),
        }
        if current
        else None
    )
    peers = dashboard.peer_table(
        row, [(c, peer_values.get((indicator_id, c), {}).get(year)) for c in card.peers]
    )
    locale = locale_of(request)
    name = row.indicator.text("name", locale)
    crumbs = _crumbs(request, code, year, last_link=True) + [(name, None)]
    return render_page(
        request,
        "monitoring/indicator.html",
        title=f"{regions.local_name(code, locale)} · {name}",
        card=card,
        row=row,
        peers=peers,
        source=source,
        trend=dashboard.trend_chart(row, locale),
        units=dashboard.units_chart(row, locale) if row.units else None,
        computed=sources.computed_here(sources.context(db), indicator_id, code, year) is not None,
        LABELS=_labels(request),
        unit_text=_units(request),
        indicator_text=_indicator_text(request),
        fmt=scorecard.format_value,
        breadcrumbs=crumbs,
    )


@dashboards.get("/{code}/report")
def report_html(code: str, request: Request, db: RequestSession, year: int | None = None) -> Response:
    rep = annual.build(db, found(code), _year(db, code, year))
    # The page in the reader's language; the PDF below is the Chinese report the issue asks for.
    return Response(render.html(rep, locale=locale_of(request)), media_type="text/html; charset=utf-8")


@dashboards.get("/{code}/report.pdf", response_class=Response)
def report_pdf(code: str, request: Request, db: RequestSession, year: int | None = None) -> Response:
    rep = annual.build(db, found(code), _year(db, code, year))
    name = f"monitoring_report_{code}_{rep.year}.pdf"
    return Response(
        render.pdf(rep),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


# Every monitoring page: the dashboards above, the plan, the survey and the what-if. Each is a page, so a refusal
# is the error page whatever the browser asks for.
router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])
for part in (dashboards, plan_pages.router, survey_pages.router, whatif_pages.router):
    router.include_router(part)
