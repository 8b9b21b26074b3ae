"""Benefits paid by program and county in a year, read from the payments domain (SELECT only).

This is the one place monitoring reads payments tables, like ``registry_source`` does for the registry;
``cradle.payments`` has no reporting function yet. A payment belongs to the year of its period (``2025-07``,
``2025``); a one-off payment (period ``once``) to the year its batch was exported, or created if not yet
exported. Paid means the bank confirmed it (status ``paid``); everything else in a batch is outstanding.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import regions
from cradle.payments.models import Batch, Payment
from cradle.policy.packs import find_program


@dataclass(frozen=True)
class ProgramCounty:
    program: str
    title: str
    county: str
    county_name: str
    paid_count: int
    paid_amount: Decimal
    outstanding_count: int
    outstanding_amount: Decimal


def program_title(program_id: str) -> str:
    try:
        return find_program(program_id).title
    except KeyError:
        return program_id


def _year_of(period: str, exported_at, created_at) -> int | None:
    if period[:4].isdigit():
        return int(period[:4])
    when = exported_at or created_at
    return when.year if when is not None else None


def paid_by_program_county(session: Session, code: str, year: int) -> list[ProgramCounty]:
    """Rows for every (program, county within ``code``) with a payment in ``year``, program then county order."""
    stmt = select(
        Payment.program,
        Batch.county,
        Payment.status,
        Payment.amount,
        Batch.period,
        Batch.exported_at,
        Batch.created_at,
    ).join(Batch, Payment.batch_id == Batch.id)
    totals: dict[tuple[str, str], list] = {}
    within: dict[str, bool] = {}
    for program, county, status, amount, period, exported_at, created_at in session.execute(stmt):
        if county not in within:
            within[county] = regions.exists(county) and regions.is_within(county, code)
        if not within[county] or _year_of(period, exported_at, created_at) != year:
            continue
        t = totals.setdefault((program, county), [0, Decimal(0), 0, Decimal(0)])
        k = 0 if status == "paid" else 2
        t[k] += 1
        t[k + 1] += Decimal(str(amount))
    return [
        ProgramCounty(p, program_title(p), c, regions.name(c), *t) for (p, c), t in sorted(totals.items())
    ]


def by_program(rows: list[ProgramCounty]) -> list[dict]:
    """Totals per program over the counties."""
    out: dict[str, dict] = {}
    for r in rows:
        t = out.setdefault(
            r.program,
            {
                "program": r.program,
                "title": r.title,
                "paid_count": 0,
                "paid_amount": Decimal(0),
                "counties": 0,
            },
        )
        t["paid_count"] += r.paid_count
        t["paid_amount"] += r.paid_amount
        t["counties"] += 1
    return list(out.values())
