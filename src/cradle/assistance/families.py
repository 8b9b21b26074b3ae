"""三个全覆盖 for special families: two contact persons each (双岗联系人, an official and a village doctor), visits
with reminders when a family is overdue for the county's interval, the family-doctor contract status from the
卫健 feed, the hospitals' yes/no priority check (就医绿色通道), and the needs a visit raises as tasks for the
responsible department with a deadline. A family joins when the county approves its special assistance."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.assistance import access, rows
from cradle.assistance import programs as P
from cradle.assistance.county_settings import setting
from cradle.assistance.models import Contact, Cycle, Entry, Family, Reminder, Task, Visit
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.errors import N_, Forbidden, IllegalTransition, Invalid, NotFound
from cradle.fieldcrypt import as_stored, keyring
from cradle.idcard import is_valid_id_number, mask
from cradle.services.offices import office, ref

CONTACT_KINDS = ("official", "doctor")
# a need raised on a visit -> (the department that answers it, days it has)
NEEDS = {
    "care_home": ("minzheng", 30),
    "housing": ("zhujian", 60),
    "dibao": ("minzheng", 30),
    "nursing_allowance": ("minzheng", 30),
    "psychological": ("weijian", 15),
}
CONTRACT = ("signed", "unsigned", "unknown")


def join(session: Session, cycle: Cycle) -> int:
    """Families of the cycle's approved special-assistance people (paid monthly) that are not yet followed."""
    ring = keyring()
    have = {ring.decrypt(h) for h in session.execute(select(as_stored(Family.household))).scalars()}
    new = []
    for e in rows.read(session, cycle.id, Entry.status == "approved", Entry.frequency == "monthly"):
        if not P.is_special(e["program"]) or e["household"] in have:
            continue
        new.append(
            {
                "household": e["household"],
                "name": e["name"],
                "county": cycle.county,
                "town": e["town"],
                "kind": P.kind_of(e["program"]),
                "joined_on": cycle.approved_on,
            }
        )
        have.add(e["household"])
    if new:  # one executemany, not an ORM object per family
        session.flush()
        session.execute(insert(Family), new)
    return len(new)


def get_family(session: Session, actor: Actor, family_id: int) -> Family:
    row = session.get(Family, family_id)
    if row is None or not access.may_read(actor, row.county):
        raise NotFound("family", N_("No such family"))
    level = access.level_of(actor, row.county)
    if level == "village" or (level == "town" and row.town != actor.town):
        # a village keeps no families' records; a town only its own town's (one without a town is the county's)
        raise NotFound("family", N_("No such family"))
    return row


def families(session: Session, actor: Actor, county: str) -> list[Family]:
    access.require(actor, county, "town", "county", "city", "province")
    q = select(Family).where(Family.county == county)
    if access.level_of(actor, county) == "town":
        q = q.where(Family.town == actor.town)
    return list(session.execute(q.order_by(Family.id)).scalars())


def contacts(session: Session, family: Family, current_only: bool = True) -> list[Contact]:
    q = select(Contact).where(Contact.family_id == family.id)
    if current_only:
        q = q.where(Contact.until.is_(None))
    return list(session.execute(q.order_by(Contact.kind, Contact.since)).scalars())


def set_contact(
    session: Session,
    actor: Actor,
    family_id: int,
    kind: str,
    name: str,
    phone: str | None = None,
    since: dt.date | None = None,
) -> Contact:
    """Names the family's official or doctor contact; the one before keeps their tenure, ended the day before."""
    family = get_family(session, actor, family_id)
    access.require(actor, family.county, "town", "county")
    if kind not in CONTACT_KINDS:
        raise Invalid("kind", N_("The contact should be official or doctor"))
    name = (name or "").strip()
    if not 1 <= len(name) <= 64:
        raise Invalid("name", N_("Enter the contact's name"))
    phone = (phone or "").strip() or None
    if phone is not None and not (phone.isdigit() and 7 <= len(phone) <= 15):
        raise Invalid("phone", N_("The phone number should be 7 to 15 digits"))
    since = since or dt.date.today()
    before = [c for c in contacts(session, family) if c.kind == kind]
    for c in before:
        if since <= c.since:
            raise Invalid("since", N_("The new contact should start after %(date)s"), date=c.since)
        c.until = since - dt.timedelta(days=1)
    row = Contact(family_id=family.id, kind=kind, name=name, phone=phone, since=since, set_by=ref(actor))
    session.add(row)
    session.flush()
    audit.record(
        session,
        ref(actor),
        "assistance.contact",
        f"asst_family:{family.id}",
        {"kind": kind, "name": name, "since": since, "replaces": [c.name for c in before]},
    )
    return row


def record_visit(
    session: Session,
    actor: Actor,
    family_id: int,
    *,
    visited_on: dt.date,
    visitor: str,
    done: str,
    needs: list[str] = (),
    today: dt.date | None = None,
) -> Visit:
    family = get_family(session, actor, family_id)
    access.require(actor, family.county, "town", "county")
    today = today or dt.date.today()
    if not isinstance(visited_on, dt.date) or visited_on > today:
        raise Invalid("visited_on", N_("The visit date cannot be in the future"))
    visitor, done = (visitor or "").strip(), (done or "").strip()
    if not 1 <= len(visitor) <= 64:
        raise Invalid("visitor", N_("Enter who visited"))
    if not done:
        raise Invalid("done", N_("Say what was done on the visit"))
    for i, need in enumerate(needs):
        if need not in NEEDS:
            raise Invalid(f"needs[{i}]", N_("Unknown need %(need)s"), need=need)
    row = Visit(
        family_id=family.id,
        visited_on=visited_on,
        visitor=visitor,
        done=done,
        needs=list(needs),
        recorded_by=ref(actor),
    )
    session.add(row)
    session.flush()
    for need in dict.fromkeys(needs):
        dept, days = NEEDS[need]
        session.add(
            Task(
                family_id=family.id,
                visit_id=row.id,
                county=family.county,
                need=need,
                department=dept,
                deadline=visited_on + dt.timedelta(days=days),
                status="open",
            )
        )
    if family.last_visit is None or visited_on > family.last_visit:
        family.last_visit = visited_on
    for r in session.execute(
        select(Reminder).where(Reminder.family_id == family.id, Reminder.closed.is_(False))
    ).scalars():
        r.closed = True
    session.flush()
    audit.record(
        session,
        ref(actor),
        "assistance.visit",
        f"asst_family:{family.id}",
        {"visit": row.id, "visited_on": visited_on, "needs": list(needs)},
    )
    return row


def visits(session: Session, family: Family) -> list[Visit]:
    return list(
        session.execute(
            select(Visit).where(Visit.family_id == family.id).order_by(Visit.visited_on.desc())
        ).scalars()
    )


def tasks(session: Session, actor: Actor, county: str, *, family: Family | None = None) -> list[Task]:
    """A department clerk sees its own department's tasks; a town its own town's families' tasks; the county
    every task of the county."""
    q = select(Task).where(Task.county == county)
    if actor.role == roles.DEPT:
        if actor.county != county:
            raise Forbidden("region", N_("%(region)s is outside your scope."), region=county)
        q = q.where(Task.department == actor.dept)
    else:
        access.require(actor, county, "town", "county", "city", "province")
        mine = access.town_of(actor, county)
        if mine is not None:
            q = q.where(Task.family_id.in_(select(Family.id).where(Family.town == mine)))
    if family is not None:
        q = q.where(Task.family_id == family.id)
    return list(session.execute(q.order_by(Task.status.desc(), Task.deadline)).scalars())


def close_task(session: Session, actor: Actor, task_id: int) -> Task:
    row = session.get(Task, task_id)
    if row is None:
        raise NotFound("task", N_("No such task"))
    if actor.role == roles.DEPT:
        if actor.county != row.county or actor.dept != row.department:
            raise Forbidden("task", N_("The task belongs to another department"))
    else:
        access.require(actor, row.county, "county")
    if row.status != "open":
        raise IllegalTransition("task", N_("The task is already done"))
    row.status, row.closed_by = "done", ref(actor)
    audit.record(session, ref(actor), "assistance.task_done", f"asst_task:{row.id}", {"need": row.need})
    return row


def record_doctor_contract(
    session: Session, actor: Actor, id_number: str, status: str, on: dt.date
) -> Family:
    """The 卫健 feed's family-doctor contract status of a special family's parent."""
    if not (actor.role == roles.DEPT and actor.dept == "weijian") and office(actor) != "system":
        raise Forbidden("actor.role", N_("The contract status comes from the health commission's feed"))
    if status not in CONTRACT:
        raise Invalid("status", N_("The contract status should be signed, unsigned or unknown"))
    family = session.execute(select(Family).where(Family.household == id_number)).scalar_one_or_none()
    if family is None or (actor.county and actor.county != family.county):
        raise NotFound("id_number", N_("No special family with that ID number"))
    family.doctor_contract, family.doctor_contract_on = status, on
    audit.record(
        session,
        ref(actor),
        "assistance.doctor_contract",
        f"asst_family:{family.id}",
        {"status": status, "on": on},
    )
    return family


def has_priority(session: Session, actor: Actor, id_number: str) -> bool:
    """就医绿色通道: whether the person is on a current special-assistance list. Yes or no, nothing else; every
    question is audited. Asked by a hospital's account: the health domain's health worker (`roles.HEALTH`) of one
    医疗机构, the only thing that role may do in assistance."""
    if actor.role != roles.HEALTH or not actor.institution_id:
        raise Forbidden("actor.role", N_("Only hospital accounts may ask about priority"))
    id_number = (id_number or "").strip().upper()
    if not is_valid_id_number(id_number):
        raise Invalid("id_number", N_("A valid citizen ID number is needed"))
    newest = session.execute(
        select(Entry.status, Entry.program)
        .join(Cycle, Cycle.id == Entry.cycle_id)
        .where(Entry.id_number == id_number, Cycle.status.in_(("approved", "confirmed", "filed")))
        .order_by(Cycle.year.desc())
    ).all()
    special = [status for status, program in newest if P.is_special(program)]
    answer = bool(special) and special[0] == "approved"
    audit.record(
        session,
        ref(actor),
        "assistance.priority_check",
        f"person:{mask(id_number)}",
        {"answer": answer, "institution": actor.institution_id},
    )
    return answer


def remind(session: Session, today: dt.date) -> dict:
    """Makes a reminder for each family overdue for a visit (once per due date); the county's interval."""
    made = overdue = 0
    for family in session.execute(select(Family)).scalars():
        interval = setting(session, family.county).visit_interval_days
        since = family.last_visit or family.joined_on
        due = since + dt.timedelta(days=interval)
        if due >= today:
            continue
        overdue += 1
        exists = session.execute(
            select(func.count())
            .select_from(Reminder)
            .where(Reminder.family_id == family.id, Reminder.due == due)
        ).scalar_one()
        if not exists:
            session.add(Reminder(family_id=family.id, county=family.county, due=due, closed=False))
            made += 1
    session.flush()
    return {"overdue": overdue, "reminders": made}


def reminders(session: Session, actor: Actor, county: str) -> list[Reminder]:
    access.require(actor, county, "town", "county", "city", "province")
    q = select(Reminder).where(Reminder.county == county, Reminder.closed.is_(False))
    mine = access.town_of(actor, county)
    if mine is not None:  # a town: its own town's families
        q = q.where(Reminder.family_id.in_(select(Family.id).where(Family.town == mine)))
    return list(session.execute(q.order_by(Reminder.due)).scalars())


def tasks_of_visit(session: Session, visit: Visit) -> list[Task]:
    return list(session.execute(select(Task).where(Task.visit_id == visit.id).order_by(Task.id)).scalars())
