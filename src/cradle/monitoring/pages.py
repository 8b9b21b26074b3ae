"""Monitoring pages under /monitoring: dashboards by province, city and county (value, target, trend, rank,
status colours, drill-down), an indicator's page, the entry form, the Excel template download and upload, and
the annual report (HTML and PDF). Every page calls the same service functions as the API and the CLI; the
dashboards and the report share :func:`cradle.monitoring.report.scorecard.build`."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from cradle import regions
from cradle.auth.deps import check_scope
from cradle.db import session_scope
from cradle.monitoring import catalogue, excel, values
from cradle.monitoring.api import entry as entry_role
from cradle.monitoring.errors import MonitoringError
from cradle.monitoring.report import annual, dashboard, render, scorecard
from cradle.policy import packs
from cradle.web.i18n import gettext
from cradle.web.nav import N_
from cradle.web.templating import locale_of
from cradle.web.templating import render as render_page

router = APIRouter(prefix="/monitoring", include_in_schema=False)
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


# the statuses as the pages say them (English message ids; the zh catalogue has scorecard.STATUS_LABELS' words)
STATUS_MESSAGES = {
    "on_track": N_("On track"),
    "at_risk": N_("At risk"),
    "missed": N_("Missed"),
    "no_data": N_("No data"),
    "unjudged": N_("Cannot be judged"),
    "no_target": N_("No target"),
}


def _t(request: Request, message: str, **params) -> str:
    """``message`` in the request's language, with ``%(name)s`` parameters filled in."""
    text = gettext(locale_of(request), message)
    return text % params if params else text


def _labels(request: Request) -> dict[str, str]:
    return {k: _t(request, m) for k, m in STATUS_MESSAGES.items()}


def _crumbs(request: Request, code: str, year: int, last_link: bool = False) -> list[tuple[str, str | None]]:
    out = dashboard.crumbs(code, year, last_link)
    return [(_t(request, N_("Monitoring")), out[0][1]), *out[1:]]


def _not_found(request: Request, message: str) -> Response:
    return render_page(
        request,
        "error.html",
        status_code=404,
        status=404,
        errors=[{"field": "region", "code": "not_found", "message": message}],
    )


def _year(session, code: str, year: int | None) -> int:
    if year is not None:
        return year
    return scorecard.latest_year(session, code) or dt.date.today().year - 1


@router.get("")
def index(request: Request, region: str | None = None) -> Response:
    if region:
        if regions.exists(region.strip()):
            return RedirectResponse(f"/monitoring/{region.strip()}", status_code=303)
        error = f"未知的行政区划代码 {region!r}"
    else:
        error = None
    areas = [regions.get(p.region) for p in packs.with_targets()]  # the areas whose documents set targets
    title = _t(request, N_("Monitoring"))
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
        title="指标数据填报",
        form=form,
        errors=errors,
        stored=stored,
        indicators=choices,
        breadcrumbs=[("监测评估", "/monitoring"), ("指标数据填报", None)],
    )


@router.get("/entry", dependencies=[Depends(entry_role)])
def entry_form(request: Request, region: str = "", indicator: str = "", year: int | None = None) -> Response:
    form = dict.fromkeys(ENTRY_FIELDS, "")
    form.update(region=region, indicator_id=indicator, year=str(year or dt.date.today().year - 1))
    return _entry_page(request, form, {})


@router.post("/entry")
async def entry_submit(request: Request, actor=Depends(entry_role)) -> Response:
    raw = await request.form()
    form = {k: str(raw.get(k) or "").strip() for k in ENTRY_FIELDS}
    errors: dict[str, str] = {}
    entry, problems = values.parse_entry({k: form[k] for k in ENTRY_FIELDS[:9]})
    for field, message in problems:
        errors.setdefault(field, message)
    for field in ("department", "entered_by"):
        if not form[field]:
            errors[field] = "必填 (required)"
    if errors:
        return _entry_page(request, form, errors, status=422)
    check_scope(actor, entry.region)
    with session_scope() as s:
        row = values.record(s, [entry], form["department"], form["entered_by"])[0]
        stored = {
            "indicator": catalogue.load().indicator(row.indicator_id).name,
            "region": row.region,
            "region_name": regions.name(row.region),
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


@router.get("/upload", dependencies=[Depends(entry_role)])
def upload_page(request: Request, region: str = "", year: int | None = None) -> Response:
    return render_page(
        request,
        "monitoring/upload.html",
        title="Excel 模板下载与批量上传",
        region=region,
        year=year or dt.date.today().year - 1,
        errors=[],
        stored=None,
        breadcrumbs=[("监测评估", "/monitoring"), ("Excel 模板", None)],
    )


@router.get("/upload/template.xlsx", dependencies=[Depends(entry_role)])
def upload_template(request: Request, region: str = "", year: int | None = None) -> Response:
    """The blank template for the regions typed (space or comma separated) and the year."""
    codes = [c for c in region.replace(",", " ").split() if c]
    bad = [c for c in codes if not regions.exists(c)]
    if not codes or bad or year is None:
        errors = [
            ("region", f"未知的行政区划代码 (unknown region): {', '.join(bad)}" if bad else "必填 (required)")
        ]
        if year is None:
            errors.append(("year", "必填 (required)"))
        return render_page(
            request,
            "monitoring/upload.html",
            status_code=422,
            title="Excel 模板下载与批量上传",
            region=region,
            year=year or "",
            errors=errors,
            stored=None,
            breadcrumbs=[("监测评估", "/monitoring"), ("Excel 模板", None)],
        )
    ids = [i.id for i in catalogue.load().indicators.values() if i.source == "entered"]
    return Response(
        excel.template(ids, codes, year),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="monitoring_{codes[0]}_{year}.xlsx"'},
    )


@router.post("/upload")
async def upload_submit(
    request: Request,
    file: UploadFile = File(...),
    department: str = Form(""),
    entered_by: str = Form(""),
    actor=Depends(entry_role),
) -> Response:
    errors: list[tuple[str, str]] = []
    if not department.strip():
        errors.append(("department", "必填 (required)"))
    if not entered_by.strip():
        errors.append(("entered_by", "必填 (required)"))
    stored = None
    if not errors:
        try:
            with session_scope() as s:
                rows = excel.upload(s, await file.read(), department.strip(), entered_by.strip())
                for row in rows:  # a region outside the uploader's scope rolls the whole file back
                    check_scope(actor, row.region, "file")
                stored = len(rows)
        except MonitoringError as exc:
            errors = exc.errors
    return render_page(
        request,
        "monitoring/upload.html",
        status_code=422 if errors else 201,
        title="Excel 模板下载与批量上传",
        region="",
        year=dt.date.today().year - 1,
        errors=errors,
        stored=stored,
        department=department,
        entered_by=entered_by,
        breadcrumbs=[("监测评估", "/monitoring"), ("Excel 模板", None)],
    )


# --- dashboards --------------------------------------------------------------------------------------------
@router.get("/{code}")
def region_dashboard(code: str, request: Request, year: int | None = None) -> Response:
    if not regions.exists(code):
        return _not_found(request, f"未知的行政区划代码 {code!r}")
    with session_scope() as s:
        year = _year(s, code, year)
        card = scorecard.build(s, code, year)
        years = dashboard.years_with_data(s, code)
    charts = {r.indicator.id: dashboard.trend_chart(r) for r in card.rows if r.series}
    unit_cols = [r for r in card.rows if any(u.value is not None for u in r.units)]
    title = _t(request, N_("%(region)s monitoring dashboard"), region=card.name)
    return render_page(
        request,
        "monitoring/dashboard.html",
        title=title,
        card=card,
        years=sorted(set(years) | {year}, reverse=True),
        charts=charts,
        unit_cols=unit_cols,
        unit_names=[(u, regions.name(u)) for u in card.units],
        STATUS_COLOURS=dashboard.STATUS_COLOURS,
        LABELS=_labels(request),
        fmt=scorecard.format_value,
        breadcrumbs=_crumbs(request, code, year),
    )


@router.get("/{code}/indicators/{indicator_id}")
def indicator_page(code: str, indicator_id: str, request: Request, year: int | None = None) -> Response:
    if not regions.exists(code):
        return _not_found(request, f"未知的行政区划代码 {code!r}")
    with session_scope() as s:
        year = _year(s, code, year)
        card = scorecard.build(s, code, year)
        try:
            row = card.row(indicator_id)
        except KeyError as exc:
            return _not_found(request, str(exc))
        peer_values = values.series_many(s, card.peers, [indicator_id])
        current = values.current(s, indicator_id, code, year)
        source = (
            {
                "source": current.source,
                "source_date": current.source_date.isoformat(),
                "department": current.department,
                "method": current.method,
            }
            if current
            else None
        )
    peers = dashboard.peer_table(
        row, [(c, peer_values.get((indicator_id, c), {}).get(year)) for c in card.peers]
    )
    crumbs = _crumbs(request, code, year, last_link=True) + [(row.indicator.name, None)]
    return render_page(
        request,
        "monitoring/indicator.html",
        title=f"{card.name} · {row.indicator.name}",
        card=card,
        row=row,
        peers=peers,
        source=source,
        trend=dashboard.trend_chart(row),
        units=dashboard.units_chart(row) if row.units else None,
        LABELS=_labels(request),
        fmt=scorecard.format_value,
        breadcrumbs=crumbs,
    )


@router.get("/{code}/report")
def report_html(code: str, request: Request, year: int | None = None) -> Response:
    if not regions.exists(code):
        return _not_found(request, f"未知的行政区划代码 {code!r}")
    with session_scope() as s:
        rep = annual.build(s, code, _year(s, code, year))
    # The page in the reader's language; the PDF below is the Chinese report the issue asks for.
    return Response(render.html(rep, locale=locale_of(request)), media_type="text/html; charset=utf-8")


@router.get("/{code}/report.pdf")
def report_pdf(code: str, request: Request, year: int | None = None) -> Response:
    if not regions.exists(code):
        return _not_found(request, f"未知的行政区划代码 {code!r}")
    with session_scope() as s:
        rep = annual.build(s, code, _year(s, code, year))
    name = f"monitoring_report_{code}_{rep.year}.pdf"
    return Response(
        render.pdf(rep),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )
