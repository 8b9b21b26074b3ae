"""The 1% household survey (淄博 二（一）3 “开展年度1%人口抽样调查”) as officials run it: draw the sample from the
registry's households (`household_survey.load_frame`, `survey.draw`) and keep it, enter what the enumerators
found in each sampled household (one at a time or a filled Excel sheet, every row or none), and estimate from the
households visited, with 95% confidence intervals.

Households not (yet) visited are left out: each stratum's weight is its frame size over the households visited in
it (a stratum with none visited is left out and named), the usual reweighting for nonresponse within strata.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
from dataclasses import dataclass

import numpy as np
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cradle import audit
from cradle.auth.actor import Actor
from cradle.auth.deps import check_scope
from cradle.errors import N_, DomainError, Invalid, NotFound, Problems
from cradle.monitoring import household_survey, survey
from cradle.monitoring.models import Survey, SurveyHousehold

FIELDS = ("persons", "births", "under3")
SHEET = N_("Sample")
QUANTITIES = {
    "births": N_("Births in the year"),
    "under3": N_("Children under three"),
    "persons": N_("Persons"),
    "mean_household_size": N_("Mean household size"),
    "births_per_1000": N_("Births per 1,000 persons"),
}


def draw(
    session: Session,
    actor: Actor,
    region: str,
    year: int,
    fraction: float = 0.01,
    seed: int | None = None,
    as_of: dt.date | None = None,
) -> Survey:
    """Draw and keep the sample of ``region``'s households registered on ``as_of`` (31 December of ``year``)."""
    check_scope(actor, region)
    if not 2000 <= year <= 2100:
        raise Invalid(
            "year", N_("The year should be in %(first)s–%(last)s: %(year)s"), first=2000, last=2100, year=year
        )
    seed = secrets.randbelow(2**31) if seed is None else seed
    frame = household_survey.load_frame(session, region, year, as_of)
    sample = survey.draw(frame.stratum, fraction, seed)
    row = Survey(
        region=region,
        year=year,
        as_of=as_of or dt.date(year, 12, 31),
        fraction=fraction,
        seed=seed,
        frame_households=int(frame.household.size),
        strata={str(k): int(v) for k, v in sample.N_h.items()},
        drawn_by=actor.name,
    )
    session.add(row)
    session.flush()
    session.add_all(
        SurveyHousehold(
            survey_id=row.id,
            household_no=str(frame.household[pos]),
            stratum=str(sample.stratum[k]),
            weight=float(sample.weight[k]),
        )
        for k, pos in enumerate(sample.index)
    )
    session.flush()
    audit.record(
        session,
        actor,
        "survey.draw",
        f"survey:{region}:{row.id}",
        {"year": year, "fraction": fraction, "seed": seed, "sampled": int(sample.index.size)},
    )
    return row


def get(session: Session, actor: Actor, region: str, survey_id: int) -> Survey:
    check_scope(actor, region)
    row = session.scalars(
        select(Survey).where(Survey.id == survey_id).options(selectinload(Survey.households))
    ).one_or_none()
    if row is None or row.region != region:
        raise NotFound("survey_id", N_("No survey %(survey)s in %(region)s"), survey=survey_id, region=region)
    return row


def of_region(session: Session, actor: Actor, region: str) -> list[Survey]:
    check_scope(actor, region)
    return list(session.scalars(select(Survey).where(Survey.region == region).order_by(Survey.id.desc())))


def _count(raw, field: str, problems: list) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        problems.append(Invalid(field, N_("This value is required")))
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        problems.append(Invalid(field, N_("Enter a whole number of 0 or more: %(value)s"), value=repr(raw)))
        return None
    if value != int(value) or value < 0:
        problems.append(Invalid(field, N_("Enter a whole number of 0 or more: %(value)s"), value=repr(raw)))
        return None
    return int(value)


def _result(raw: dict, prefix: str, known: dict[str, SurveyHousehold], today: dt.date) -> tuple:
    problems: list[DomainError] = []
    number = str(raw.get("household_no") or "").strip()
    if number not in known:
        problems.append(
            Invalid(f"{prefix}household_no", N_("%(household)s is not in the sample"), household=repr(number))
        )
    counts = {f: _count(raw.get(f), f"{prefix}{f}", problems) for f in FIELDS}
    if counts["persons"] is not None:
        for f in ("births", "under3"):
            if counts[f] is not None and counts[f] > counts["persons"]:
                problems.append(
                    Invalid(
                        f"{prefix}{f}",
                        N_("More than the household's %(persons)s persons"),
                        persons=counts["persons"],
                    )
                )
    visited = raw.get("visited_on")
    if isinstance(visited, dt.datetime):
        visited = visited.date()
    elif not isinstance(visited, dt.date):
        try:
            visited = dt.date.fromisoformat(str(visited or "").strip())
        except ValueError:
            problems.append(
                Invalid(
                    f"{prefix}visited_on",
                    N_("A date is expected (YYYY-MM-DD): %(value)s"),
                    value=repr(visited),
                )
            )
            visited = None
    if visited is not None and visited > today:
        problems.append(
            Invalid(f"{prefix}visited_on", N_("The source date is in the future: %(date)s"), date=visited)
        )
    return number, counts, visited, problems


def enter(
    session: Session, actor: Actor, row: Survey, results: list[tuple[str, dict]], today: dt.date | None = None
) -> int:
    """Store the field results ``[(field prefix, raw)]``: every one or none, each bad field named."""
    today = today or dt.date.today()
    known = {h.household_no: h for h in row.households}
    checked, problems = [], []
    for prefix, raw in results:
        number, counts, visited, found = _result(raw, prefix, known, today)
        problems += found
        checked.append((number, counts, visited))
    if problems:
        raise Problems(problems)
    if not checked:
        raise Invalid("file", N_("No household's results were filled in"))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for number, counts, visited in checked:
        h = known[number]
        h.persons, h.births, h.under3 = counts["persons"], counts["births"], counts["under3"]
        h.visited_on, h.entered_by, h.entered_at = visited, actor.name, now
    session.flush()
    audit.record(
        session,
        actor,
        "survey.results",
        f"survey:{row.region}:{row.id}",
        {"households": [n for n, _, _ in checked]},
    )
    return len(checked)


def sheet(row: Survey, say) -> bytes:
    """The sample as an Excel sheet for the enumerators: one row per household, the result columns to fill."""
    wb = Workbook()
    ws = wb.active
    ws.title = say(SHEET)
    ws.append(
        [
            say(N_("Household number (户号)")),
            say(N_("Stratum")),
            say(N_("Persons")),
            say(N_("Births in the year")),
            say(N_("Children under three")),
            say(N_("Visit date")),
        ]
    )
    ws.append(["household_no", "stratum", *FIELDS, "visited_on"])
    for h in row.households:
        ws.append([h.household_no, h.stratum, h.persons, h.births, h.under3, h.visited_on])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_sheet(data: bytes) -> list[tuple[str, dict]]:
    """(``rows[N].``, raw) for every filled row of an uploaded sheet; row 2 holds the field keys."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not a workbook
        raise Invalid(
            "file", N_("Not a valid Excel file (not an .xlsx workbook): %(detail)s"), detail=str(exc)
        ) from None
    rows = wb.worksheets[0].iter_rows(values_only=True)
    next(rows, None)
    keys = [str(k).strip() if k is not None else "" for k in (next(rows, None) or [])]
    missing = [k for k in ("household_no", *FIELDS, "visited_on") if k not in keys]
    if missing:
        raise Invalid("file", N_("Row 2 lacks columns: %(columns)s"), columns=", ".join(missing))
    out = []
    for n, values in enumerate(rows, start=3):
        raw = dict(zip(keys, values, strict=False))
        if all(raw.get(f) in (None, "") for f in (*FIELDS, "visited_on")):
            continue
        out.append((f"rows[{n}].", raw))
    return out


@dataclass(frozen=True)
class Estimates:
    visited: int
    sampled: int
    strata_left_out: tuple[str, ...]  # strata with no household visited
    results: list[tuple[str, survey.Estimate]]  # (quantity, estimate)


def estimate(row: Survey) -> Estimates:
    """Totals, the mean household size and births per 1000 persons from the households visited."""
    visited = [h for h in row.households if h.persons is not None]
    by_stratum: dict[str, list[SurveyHousehold]] = {}
    for h in visited:
        by_stratum.setdefault(h.stratum, []).append(h)
    left_out = tuple(sorted(set(row.strata) - set(by_stratum)))
    if not visited:
        return Estimates(0, len(row.households), left_out, [])
    strata = np.array([h.stratum for h in visited], dtype=object)
    sample = survey.Sample(
        index=np.arange(len(visited)),
        stratum=strata,
        weight=np.array([row.strata[h.stratum] / len(by_stratum[h.stratum]) for h in visited]),
        N_h={k: row.strata[k] for k in by_stratum},
        n_h={k: len(v) for k, v in by_stratum.items()},
    )
    y = {f: np.array([getattr(h, f) for h in visited], dtype=float) for f in FIELDS}
    results = [
        ("births", survey.total(sample, y["births"])),
        ("under3", survey.total(sample, y["under3"])),
        ("persons", survey.total(sample, y["persons"])),
        ("mean_household_size", survey.ratio(sample, y["persons"], np.ones(len(visited)))),
    ]
    if y["persons"].sum():
        results.append(("births_per_1000", survey.ratio(sample, y["births"], y["persons"], scale=1000)))
    return Estimates(len(visited), len(row.households), left_out, results)
