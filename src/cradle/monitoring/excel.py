"""The Excel template departments fill in, and its upload (all rows or none)."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session

from cradle import regions
from cradle.errors import N_, Invalid, Problems, translate
from cradle.monitoring import catalogue, sources, values
from cradle.monitoring.models import IndicatorValue

# (field key in row 2, the label in row 1: a message id, said in the reader's language)
COLUMNS = [
    ("indicator_id", N_("Indicator code")),
    ("indicator_name", N_("Indicator name")),
    ("unit", N_("Unit of measure")),
    ("region", N_("Region code")),
    ("region_name", N_("Region")),
    ("year", N_("Year")),
    ("value", N_("Value")),
    ("numerator", N_("Numerator")),
    ("denominator", N_("Denominator")),
    ("source", N_("Data source")),
    ("source_date", N_("Source date (YYYY-MM-DD)")),
    ("note", N_("Note")),
]
SHEET = "填报"  # the sheet the upload reads, by this name in every language
DEFINITIONS = N_("Indicator definitions")
DEFINITION_COLUMNS = [
    N_("Indicator code"),
    N_("Indicator name"),
    N_("Numerator"),
    N_("Denominator"),
    N_("Multiplier"),
    N_("Unit of measure"),
    N_("Responsible department"),
]


def template(
    indicator_ids: list[str],
    region_codes: list[str],
    year: int,
    session: Session | None = None,
    locale: str = "zh",
) -> bytes:
    """A workbook with one row per indicator and region to fill in, and a sheet of definitions, the indicators,
    their units, departments and the regions said in ``locale``. With ``session``, the rows the platform computes
    (closed to typed entry, `sources`) are left out."""
    cat = catalogue.load()
    for ind_id in indicator_ids:
        if ind_id not in cat.indicators:
            raise Invalid("indicator", N_("Unknown indicator %(indicator)s"), indicator=repr(ind_id))
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([translate(label, {}, locale) for _, label in COLUMNS])
    ws.append([key for key, _ in COLUMNS])
    ctx = sources.context(session) if session is not None else None
    for ind_id in indicator_ids:
        ind = cat.indicator(ind_id)
        for code in region_codes:
            if ctx is not None and sources.computed_here(ctx, ind_id, code, year):
                continue
            ws.append(
                [
                    ind.id,
                    ind.text("name", locale),
                    catalogue.unit_text(ind.unit, locale),
                    code,
                    regions.local_name(code, locale),
                    year,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                ]
            )
    defs = wb.create_sheet(translate(DEFINITIONS, {}, locale))
    defs.append([translate(label, {}, locale) for label in DEFINITION_COLUMNS])
    for ind_id in indicator_ids:
        ind = cat.indicator(ind_id)
        defs.append(
            [
                ind.id,
                ind.text("name", locale),
                ind.text("numerator", locale),
                ind.text("denominator", locale) or "",
                ind.scale,
                catalogue.unit_text(ind.unit, locale),
                ind.department_text(locale),
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read(data: bytes) -> list[tuple[int, dict]]:
    """(spreadsheet row number, raw entry) for every row with a value; row 2 holds the field keys."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not a workbook
        raise Invalid(
            "file", N_("Not a valid Excel file (not an .xlsx workbook): %(detail)s"), detail=str(exc)
        ) from None
    if SHEET not in wb.sheetnames:
        raise Invalid("file", N_("Sheet “%(sheet)s” missing"), sheet=SHEET)
    rows = wb[SHEET].iter_rows(values_only=True)
    next(rows, None)
    keys = [str(k).strip() if k is not None else "" for k in (next(rows, None) or [])]
    missing = [
        k for k, _ in COLUMNS if k not in keys and k not in ("indicator_name", "unit", "region_name", "note")
    ]
    if missing:
        raise Invalid("file", N_("Row 2 lacks columns: %(columns)s"), columns=", ".join(missing))
    out = []
    for n, row in enumerate(rows, start=3):
        raw = dict(zip(keys, row, strict=False))
        if raw.get("value") in (None, ""):
            continue
        out.append((n, raw))
    return out


def upload(session: Session, data: bytes, department: str, entered_by: str) -> list[IndicatorValue]:
    """Check every filled row; store them all, or none and raise naming each bad ``rows[N].field``."""
    entries: list[values.Entry] = []
    errors: list[Invalid] = []
    ctx = sources.context(session)
    for n, raw in read(data):
        entry, errs = values.parse_entry(raw, prefix=f"rows[{n}].", ctx=ctx)
        errors.extend(errs)
        if entry is not None:
            entries.append(entry)
    if errors:
        raise Problems(errors)
    if not entries:
        raise Invalid("file", N_("No values filled in (no values filled in)"))
    return values.record(session, entries, department, entered_by)
