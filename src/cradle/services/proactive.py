"""免申即享 (绍兴 数字家庭服务、码上通办): a scheduled run finds the households the engine says are eligible for a
program but that have no case yet, and opens the case on the citizen's behalf ("offered": the citizen confirms or
declines), or, where the program pays directly, approves it at once and registers the payment; either way the
citizen is notified and may decline.

The candidates come from the population data hub (the registry's household builder, one household per family);
the screening runs the engine over all of them at once (`cradle.policy.engine.run`), then opens a case for each
eligible beneficiary without one.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth.actor import SYSTEM, Actor
from cradle.errors import N_, DomainError, Forbidden, Invalid, Problems
from cradle.ops.runs import record_run
from cradle.policy.engine import run
from cradle.policy.household import parse_household
from cradle.policy.population import Population
from cradle.services import applications
from cradle.services.catalogue import service_program
from cradle.services.models import Case, ProactiveRun
from cradle.services.offices import office, ref


def screen(program: str, candidates: list[dict], as_of: dt.date) -> list[tuple[int, str]]:
    """(candidate index, beneficiary member id) for every eligible row, found in one engine run."""
    parsed, index = [], []
    for i, c in enumerate(candidates):
        try:
            parsed.append(parse_household(c["household"], as_of))
            index.append(i)
        except (Problems, KeyError, TypeError):
            continue  # a broken registry record is not a reason to stop the run; it is counted as examined
    if not parsed:
        return []
    pop = Population.from_households(parsed)
    found = []
    for res in run(pop, as_of):
        if res.program.id != program:
            continue
        for hh, person in zip(res.household, res.beneficiary, strict=True):
            member = "household" if person < 0 else str(pop.person_ids[int(person)])
            found.append((index[int(hh)], member))
    return found


def run_program(
    session: Session, actor: Actor, program: str, candidates: Iterable[dict], as_of: dt.date | None = None
) -> ProactiveRun:
    """Each candidate: {household, identities, applicant (ID number), town, account_no?, bank_code?, phone?}."""
    started = time.perf_counter()
    if office(actor) != "system":
        raise Forbidden("actor.role", N_("Automatic benefits are run by the system's scheduled task"))
    sp = service_program(program)
    if sp.proactive is None:
        raise Invalid("program", N_("This programme must be applied for in person; it is not automatic"))
    as_of = as_of or dt.date.today()
    candidates = list(candidates)
    found = screen(program, candidates, as_of)
    existing = set(
        session.execute(select(Case.beneficiary_id_number).where(Case.program == program)).scalars()
    )
    record = ProactiveRun(
        program=program,
        as_of=as_of,
        examined=len(candidates),
        eligible=len(found),
        opened=0,
        existing=0,
        run_by=ref(actor),
    )
    for i, member in found:
        c = candidates[i]
        ident = (
            (c.get("identities") or {}).get(member)
            if member != "household"
            else {"id_number": c["applicant"]}
        )
        if ident and ident.get("id_number") in existing:
            record.existing += 1
            continue
        data = {
            "program": program,
            "household": c["household"],
            "identities": c.get("identities"),
            "beneficiary": member,
            "town": c.get("town"),
            "account_no": c.get("account_no"),
            "bank_code": c.get("bank_code"),
            "phone": c.get("phone"),
            "for_id_number": c.get("applicant"),
        }
        try:
            with session.begin_nested():
                case = applications.submit(session, SYSTEM, data, origin="proactive", as_of=as_of)
                if sp.proactive == "direct" and case.account_no and case.amount is not None:
                    applications.act(session, SYSTEM, case.case_no, "grant_direct")
        except DomainError:
            continue  # a record the registry cannot yet fill (no town, no identities) stays for an official
        existing.add(case.beneficiary_id_number)
        record.opened += 1
    session.add(record)
    session.flush()
    audit.record(
        session,
        record.run_by,
        "proactive.run",
        f"proactive:{record.id}",
        {
            "program": program,
            "as_of": as_of,
            "examined": record.examined,
            "eligible": record.eligible,
            "opened": record.opened,
            "existing": record.existing,
        },
    )
    record_run("proactive", time.perf_counter() - started, record.examined, session=session)
    return record
