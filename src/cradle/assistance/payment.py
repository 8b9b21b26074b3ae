"""Paying an approved list through the payments domain: each approved person with an account becomes an
entitlement (yearly for reward assistance, monthly for special assistance), then the period's batch is generated
for each program. The payments' unique keys (one entitlement per person and program, one payment per person,
program and period) make a rerun, or two runs at once, pay nobody twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.assistance import access, rows
from cradle.assistance.cycle import get_cycle
from cradle.assistance.models import Entry
from cradle.auth.actor import Actor
from cradle.errors import N_, Conflict, IllegalTransition, Invalid
from cradle.fieldcrypt import as_stored, keyring
from cradle.idcard import mask
from cradle.payments import batches, entitlements, rates
from cradle.payments.models import Entitlement
from cradle.payments.periods import bounds
from cradle.services.offices import ref

PAYABLE = ("approved", "confirmed", "filed")


def pay(
    session: Session,
    actor: Actor,
    county: str,
    year: int,
    period: str,
    *,
    id_numbers: list[str] | None = None,
) -> dict:
    """Registers the approved people's entitlements and generates the `period` batch (YYYY pays the yearly
    programs, YYYY-MM the monthly ones). `id_numbers` limits the entitlements registered to those people; any of
    them not approved this year refuses the whole call."""
    access.require(actor, county, "county", "finance")
    cycle = get_cycle(session, actor, county, year)
    if cycle.status not in PAYABLE:
        raise IllegalTransition(
            "status", N_("The %(year)s list is not approved yet: nobody can be paid"), year=cycle.year
        )
    frequency = "yearly" if len(period or "") == 4 else "monthly"
    first, _after = bounds(period, frequency)
    if first.year != cycle.year:
        raise Invalid("period", N_("The period should lie in %(year)s"), year=cycle.year)
    approved = rows.read(session, cycle.id, Entry.status == "approved", Entry.frequency == frequency)
    if id_numbers is not None:
        mine = {e["id_number"] for e in approved}
        for i, number in enumerate(id_numbers):
            if number not in mine:
                raise Invalid(
                    f"id_numbers[{i}]",
                    N_("%(id)s is not approved for %(year)s: cannot be paid"),
                    id=mask(number),
                    year=cycle.year,
                )
        approved = [e for e in approved if e["id_number"] in set(id_numbers)]
    programs = {e["program"] for e in approved}
    unset = {e["program"] for e in approved if e["amount"] is None}
    county_rate = {p: rates.rate_on(session, p, county, first) for p in unset}
    for p, amount in sorted(county_rate.items()):
        if amount is None:
            raise Invalid(
                "amount",
                N_("%(program)s: %(region)s has not set its rate; enter it before paying"),
                program=p,
                region=county,
            )
    ring = keyring()
    existing = {
        (program, ring.decrypt(number))
        for program, number in session.execute(
            select(Entitlement.program, as_stored(Entitlement.beneficiary_id_number)).where(
                Entitlement.county == county, Entitlement.program.in_(programs)
            )
        )
    }
    new = [e for e in approved if (e["program"], e["id_number"]) not in existing]
    payable = [e for e in new if e["account_no"]]
    registered = entitlements.register_many(
        session,
        ref(actor),
        county,
        [
            {
                "case_ref": f"asst:{county}:{cycle.year}:{e['id']}",
                "program": e["program"],
                "beneficiary_id_number": e["id_number"],
                "beneficiary_name": e["name"],
                "payee_id_number": e["id_number"],
                "payee_name": e["name"],
                "account_no": e["account_no"],
                "bank_code": e["bank_code"] or "",
                "amount": e["amount"] if e["amount"] is not None else county_rate[e["program"]],
                "frequency": e["frequency"],
                "start": dt.date(cycle.year, 1, 1),
                "end": None,
            }
            for e in payable
        ],
    )
    no_account = len(new) - len(payable)
    made, already = [], []
    for program in sorted(programs):
        try:
            made.append(batches.generate(session, actor, program, period, county).batch_no)
        except Conflict:
            already.append(f"{program}-{county}-{period}")
    result = {
        "registered": registered,
        "no_account": no_account,
        "batches": made,
        "already": already,
    }
    audit.record(
        session,
        ref(actor),
        "assistance.pay",
        f"asst_cycle:{county}:{cycle.year}",
        {"period": period, **result},
    )
    return result
