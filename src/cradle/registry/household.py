"""The catalogue's household JSON built from what the departments already reported (the basis of 免申即享).

Who is in it: the person's own family if they have children or a spouse (they and their spouse are the parents),
otherwise their parents' family; the parents' children, and the parents' living parents as grandparents.
Every value is the newest fact with valid_from on or before the date, over all records merged into a person.
Birth events are listed for children under three on the date: every birth-linked program (leave, allowance,
delivery costs, claims within three years, childcare subsidy to age three) lies inside that window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from cradle import regions
from cradle.errors import N_, Invalid, NotFound
from cradle.registry import identity
from cradle.registry import models as m


def _latest(session: Session, model, ids: list[int], on: dt.date, *where, date_col=None):
    date_col = date_col if date_col is not None else model.valid_from
    q = (
        select(model)
        .where(model.person_id.in_(ids), date_col <= on, *where)
        .order_by(date_col.desc(), model.source_id.desc())
    )
    return session.execute(q.limit(1)).scalar_one_or_none()


def _where(model, equal: dict) -> list:
    """Column filters: a tuple value means one of its values."""
    return [
        getattr(model, k).in_(v) if isinstance(v, tuple) else getattr(model, k) == v for k, v in equal.items()
    ]


class _Builder:
    """Answers the household's questions with queries person by person. The batch's registry source answers the
    same questions from facts it loaded for a whole region at once (cradle.batch.registry_source)."""

    def __init__(self, session: Session, on: dt.date):
        self.s, self.on = session, on
        self._clusters: dict[int, list[int]] = {}

    def latest(self, model, pid: int, **equal):
        """The person's newest fact of `model` on the date (by valid_from, then source record)."""
        return _latest(self.s, model, self.ids(pid), self.on, *_where(model, equal))

    def person(self, pid: int) -> m.Person:
        return self.s.get(m.Person, pid)

    def family_planning(self, ids: list[int]) -> list[m.FamilyPlanning]:
        """The parents' family-planning facts up to the date, oldest first."""
        return list(
            self.s.execute(
                select(m.FamilyPlanning)
                .where(m.FamilyPlanning.person_id.in_(ids), m.FamilyPlanning.valid_from <= self.on)
                .order_by(m.FamilyPlanning.valid_from, m.FamilyPlanning.source_id)
            ).scalars()
        )

    def ids(self, pid: int) -> list[int]:
        if pid not in self._clusters:
            self._clusters[pid] = identity.cluster(self.s, pid)
        return self._clusters[pid]

    def root(self, pid: int) -> int:
        return identity.survivor(self.s, pid)

    def parents(self, pid: int) -> dict[str, int]:
        # mother before father, and of several rows for one the last wins: a 卫健 birth record over a link
        # derived from the 户 (cradle.registry.kinship), then the newest; the same on every database
        birth_record = case((m.SourceRecord.dept == "weijian", 1), else_=0)
        rows = self.s.execute(
            select(m.Relation.relation, m.Relation.relative_id)
            .join(m.SourceRecord, m.SourceRecord.id == m.Relation.source_id, isouter=True)
            .where(
                m.Relation.person_id.in_(self.ids(pid)),
                m.Relation.relation.in_(("mother", "father")),
                m.Relation.valid_from <= self.on,
            )
            .order_by(m.Relation.relation.desc(), birth_record, m.Relation.valid_from, m.Relation.source_id)
        ).all()
        return {rel: self.root(rid) for rel, rid in rows}

    def children(self, pid: int) -> set[int]:
        rows = self.s.execute(
            select(m.Relation.person_id).where(
                m.Relation.relative_id.in_(self.ids(pid)),
                m.Relation.relation.in_(("mother", "father")),
                m.Relation.valid_from <= self.on,
            )
        ).scalars()
        return {self.root(c) for c in rows}

    def adopted_on(self, child: int, parents: list[int]) -> dt.date | None:
        """When one of `parents` adopted `child` (民政 收养登记) by the date; None if neither did."""
        ids = [i for p in parents for i in self.ids(p)]
        return self.s.execute(
            select(func.max(m.Relation.adopted_on)).where(
                m.Relation.person_id.in_(self.ids(child)),
                m.Relation.relative_id.in_(ids),
                m.Relation.adopted_on.is_not(None),
                m.Relation.valid_from <= self.on,
            )
        ).scalar()

    def spouse(self, pid: int) -> int | None:
        ids = self.ids(pid)
        row = self.s.execute(
            select(m.Marriage)
            .where(
                or_(m.Marriage.person_id.in_(ids), m.Marriage.spouse_id.in_(ids)),
                m.Marriage.valid_from <= self.on,
            )
            .order_by(m.Marriage.valid_from.desc(), m.Marriage.source_id.desc())
            .limit(1)
        ).scalar_one_or_none()
        if row is None or row.event != "marriage":
            return None
        other = row.spouse_id if row.person_id in ids else row.person_id
        return self.root(other)

    def dead(self, pid: int) -> bool:
        return (
            self.s.execute(
                select(m.Death.source_id)
                .where(m.Death.person_id.in_(self.ids(pid)), m.Death.death_date <= self.on)
                .limit(1)
            ).first()
            is not None
        )

    def identity(self, pid: int) -> tuple[str, str, dt.date, str | None]:
        p = self.person(pid)
        fact = self.latest(m.IdentityFact, pid)
        if fact:
            return fact.name, fact.sex, fact.birth_date, p.id_number
        return p.name, p.sex, p.birth_date, p.id_number

    def insurance(self, pid: int) -> tuple[str, bool]:
        active = set()
        for scheme in ("employee_medical", "resident_medical", "maternity"):
            ev = self.latest(m.Insurance, pid, scheme=scheme)
            if ev and ev.event == "enrol":
                active.add(scheme)
        medical = (
            "employee"
            if "employee_medical" in active
            else "resident"
            if "resident_medical" in active
            else "none"
        )
        return medical, "maternity" in active

    def member(self, pid: int, relation: str, key: str) -> dict:
        name, sex, birth, id_number = self.identity(pid)
        out: dict = {
            "id": key,
            "relation": relation,
            "sex": sex,
            "birth_date": birth.isoformat(),
            "name": name,
        }
        if id_number:
            out["id_number"] = id_number
        registered = self.latest(m.HukouEvent, pid, event=("register", "move_in", "move_out"))
        if registered and registered.event != "move_out":
            if regions.exists(registered.region):
                out["hukou"] = registered.region
            if registered.hukou_type in ("rural", "urban"):
                out["hukou_type"] = registered.hukou_type  # 户口性质 decides 农村二女户, 金晖助老
        if relation != "child" or (self.on - birth).days >= 16 * 365:
            job = self.latest(m.Employment, pid)
            out["employment"] = job.status if job else "none"
            if job and job.status == "employee" and job.employer_avg_monthly_wage is not None:
                out["employer_avg_monthly_wage"] = float(job.employer_avg_monthly_wage)
        medical, maternity = self.insurance(pid)
        out["medical_insurance"] = medical
        if relation in ("mother", "father"):
            out["maternity_insurance"] = maternity
        if self.dead(pid):
            out["deceased"] = True
        orphan = self.latest(m.Assistance, pid, kind="orphan")
        if orphan and orphan.event == "start":
            out["orphan"] = True
        return out

    def care(self, pid: int) -> dict | None:
        """The child's care on the date: the latest enrolment; after a leaving record, that enrolment with the
        day it ended (`left`) until the month after it, which a monthly subsidy still covers (淄博 保育费补助)."""
        ev = self.latest(m.CareEnrolment, pid)
        left = None
        if ev is not None and ev.event == "leave":
            month_after = (ev.valid_from.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            if self.on >= month_after:
                return None
            left = ev.valid_from
            ev = self.latest(m.CareEnrolment, pid, event="enrol", care_type=ev.care_type)
        if ev is None:
            return None
        out = {
            "type": ev.care_type,
            "public": bool(ev.public),
            "inclusive": bool(ev.inclusive),
            "registered": bool(ev.registered),
        }
        if left is not None:
            out["left"] = left.isoformat()
        return out

    def birth(self, pid: int) -> m.Birth | None:
        return self.s.execute(
            select(m.Birth)
            .where(m.Birth.child_id.in_(self.ids(pid)))
            .order_by(m.Birth.source_id.desc())
            .limit(1)
        ).scalar_one_or_none()


def build_household(session: Session, id_number: str, on: dt.date) -> dict:
    """The household of the person with `id_number` on `on`: NotFound when the registry does not know them,
    Invalid (code "household") when no household can be built for the date."""
    person = session.execute(select(m.Person).where(m.Person.id_number == id_number)).scalar_one_or_none()
    if person is None:
        raise NotFound(
            "id_number", N_("The population database has no person with ID number %(id)s"), id=id_number
        )
    return household_of(_Builder(session, on), person)


@dataclass(frozen=True)
class Family:
    """Who is in a person's household: the parents (the mother first), the children by birth, their birth
    records, and the living grandparents. The household is made of these persons' facts alone, so two persons
    of one family give the same household (up to the region it falls back to when no member has a hukou)."""

    parents: list[int]
    sexes: dict[int, str]
    children: list[int]
    births: dict[int, m.Birth | None]
    grandparents: list[int]

    @property
    def persons(self) -> frozenset[int]:
        return frozenset((*self.parents, *self.children, *self.grandparents))


def family_of(b: _Builder, person: m.Person) -> Family:
    """Who is in the household of `person`, asking `b` (the date is b.on)."""
    on = b.on
    me = b.root(person.id)
    if b.identity(me)[2] > on:
        raise Invalid("on", N_("The person was not yet born on %(date)s"), code="household", date=on)
    spouse = b.spouse(me)
    if b.children(me) or spouse:
        parents = [me] + ([spouse] if spouse else [])
    else:
        parents = list(b.parents(me).values()) or [me]
    sexes = {p: b.identity(p)[1] for p in parents}
    parents.sort(key=lambda p: sexes[p] != "F")  # the mother first
    kids: set[int] = set()
    for p in parents:
        kids |= b.children(p)
    kids = {k for k in kids if b.identity(k)[2] <= on}
    if me not in parents and me not in kids:
        kids.add(me)
    births: dict[int, m.Birth | None] = {k: b.birth(k) for k in kids}
    # by birth date; twins by their recorded order
    ordered = sorted(kids, key=lambda k: (b.identity(k)[2], getattr(births[k], "birth_order", None) or 0, k))
    grandparents: list[int] = []
    for p in parents:
        for gp in b.parents(p).values():
            if gp not in sexes and gp not in kids and gp not in grandparents and not b.dead(gp):
                grandparents.append(gp)
    return Family(parents, sexes, ordered, births, grandparents)


def household_of(b: _Builder, person: m.Person, family: Family | None = None) -> dict:
    """The household of `person`, asking `b` (the date is b.on); `family`: who is in it, when already found."""
    on = b.on
    family = family or family_of(b, person)
    parents, sexes, ordered, births = family.parents, family.sexes, family.children, family.births
    members, keys = [], {}
    for p in parents:
        relation = "mother" if sexes[p] == "F" else "father"
        if relation in keys.values():
            relation = "other"
        keys[p] = {"mother": "m", "father": "f"}.get(relation, f"o{len(keys)}")
        members.append(b.member(p, relation, keys[p]))
    before = 0  # the order of the child listed before
    for n, k in enumerate(ordered, 1):
        keys[k] = f"c{n}"
        child = b.member(k, "child", keys[k])
        adopted = b.adopted_on(k, parents)
        if adopted is not None:  # 合法收养, with its date: the yearly family-planning review asks when
            child["adopted"], child["adopted_on"] = True, adopted.isoformat()
        rec = births[k]
        # The order counts the parents' children: the birth record's (the mother's count, which may count
        # children not listed), but never below the children listed before (a father's child from an earlier
        # marriage, a record that counts from a later year), as parse_household requires.
        before = child["birth_order"] = max(rec.birth_order if rec and rec.birth_order else n, before + 1)
        care = b.care(k)
        if care:
            child["care"] = care
        members.append(child)
    for g, gp in enumerate(family.grandparents, 1):
        keys[gp] = f"g{g}"
        members.append(b.member(gp, "grandparent", keys[gp]))

    fp = {"only_child_certificate": False, "rural_two_daughters": False, "special_family": None}
    parent_ids = [i for p in parents for i in b.ids(p)]
    for row in b.family_planning(parent_ids):
        if row.event == "revoke":
            fp = {"only_child_certificate": False, "rural_two_daughters": False, "special_family": None}
        elif row.status in ("only_child_certificate", "rural_two_daughters"):
            if row.status == "only_child_certificate" and not fp["only_child_certificate"]:
                fp["certificate_date"] = row.valid_from.isoformat()  # issued before 全面两孩 or not
            fp[row.status] = True
        elif row.status == "special_bereaved":
            fp["special_family"] = "bereaved"
        elif row.status == "special_disabled":
            fp["special_family"] = "disabled_child"

    low_income = False
    for p in keys:
        ev = b.latest(m.Assistance, p, kind="low_income")
        low_income |= bool(ev and ev.event == "start")

    events, seen = [], set()
    for k in ordered:
        rec = births[k]
        if rec is None or (on - rec.birth_date).days >= 3 * 365 or (rec.mother_id, rec.birth_date) in seen:
            continue
        seen.add((rec.mother_id, rec.birth_date))  # one event per delivery, even for twins
        ev = {
            "type": "birth",
            "child": keys[k],
            "date": rec.birth_date.isoformat(),
            "babies": rec.babies,
            "dystocia": bool(rec.dystocia),
        }
        if rec.in_policy_cost is not None:
            ev["in_policy_delivery_cost"] = float(rec.in_policy_cost)
        events.append(ev)

    hukous = [x.get("hukou") for x in members if x["relation"] in ("mother", "father")]
    hukous += [x.get("hukou") for x in members]
    jurisdiction = next((h for h in hukous if h), None) or person.region
    if not jurisdiction or not regions.exists(jurisdiction):
        raise Invalid(
            "jurisdiction",
            N_("The household's registered residence (region code) cannot be determined"),
            code="household",
        )
    return {
        "jurisdiction": jurisdiction,
        "members": members,
        "family_planning": fp,
        "low_income": low_income,
        "events": events,
    }
