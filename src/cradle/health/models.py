"""Tables of the 妇幼 domain: institutions, pregnancy files and their visits, risk assessments, deliveries and
infection records, child and women's health records, deaths and their reviews, 高危专案 with follow-ups,
referrals and rescues, 约谈 held, 婚育 offers and 生育咨询指导 follow-ups; the indicators' counts kept per county
and year, and each county's change number.

Rows from the feeds carry the source record they came from (`source_id`, the registry's provenance) and the
registry's person (`person_id`); rows entered on the pages carry who entered them. Health results, diagnoses,
causes, grades and notes are encrypted at rest like ID numbers (cradle.fieldcrypt); equality look-ups on them
(`grade == "red"`) still work in SQL, since the encryption is deterministic.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from cradle.db import Base
from cradle.fieldcrypt import EncryptedString

BigId = BigInteger().with_variant(Integer(), "sqlite")
TEXT = 4000  # free text (notes, plans, measures): what a form or a feed may hand in, encrypted


def _secret(width: int = 160, nullable: bool = True) -> Mapped:
    return mapped_column(EncryptedString(width), nullable=nullable)


class _Provenance:
    """Where a row came from: a feed's source record, or a page (who entered it, when)."""

    source_id: Mapped[int | None] = mapped_column(BigId, index=True)
    entered_by: Mapped[str | None] = mapped_column(String(120))
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class Institution(Base):
    """A 医疗机构 or 妇幼保健院; `critical_care`: designated 危重孕产妇救治中心 (referrals go there)."""

    __tablename__ = "health_institution"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(6), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # mch | hospital | primary
    critical_care: Mapped[bool] = mapped_column(Boolean, default=False)


class Pregnancy(_Provenance, Base):
    """A 孕产妇保健手册: one pregnancy, from 早孕建册 to 产后42天; every record of it names its `pregnancy_no`."""

    __tablename__ = "health_pregnancy"
    __table_args__ = (Index("ix_health_pregnancy_region_filed", "region", "filed_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pregnancy_no: Mapped[str] = mapped_column(String(40), unique=True)
    person_id: Mapped[int | None] = mapped_column(BigId, index=True)
    id_number: Mapped[str] = mapped_column(EncryptedString(), index=True)
    name: Mapped[str] = mapped_column(String(64))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    region: Mapped[str] = mapped_column(String(6))
    town: Mapped[str | None] = mapped_column(String(9), index=True)
    institution_code: Mapped[str] = mapped_column(String(40), index=True)
    filed_on: Mapped[dt.date] = mapped_column(Date)
    weeks_at_filing: Mapped[int | None] = mapped_column(Integer)
    edd: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | delivered | closed


class MaternalVisit(_Provenance, Base):
    """产前检查 (antenatal) or 产后访视 (postpartum)."""

    __tablename__ = "health_maternal_visit"
    # covering the indicators' count of a pregnancy's checks and its first postpartum visit
    __table_args__ = (Index("ix_health_maternal_visit_pregnancy", "pregnancy_no", "kind", "visited_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pregnancy_no: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(12))  # antenatal | postpartum
    visited_on: Mapped[dt.date] = mapped_column(Date)
    weeks: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(String(6))
    institution_code: Mapped[str] = mapped_column(String(40), index=True)


class RiskAssessment(_Provenance, Base):
    """妊娠风险评估分级: one of the five colours (vocab.GRADES), encrypted; `case_checked` once a 专案 was
    opened for it or found unnecessary."""

    __tablename__ = "health_risk_assessment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pregnancy_no: Mapped[str] = mapped_column(String(40), index=True)
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    grade: Mapped[str] = _secret(nullable=False)
    factors: Mapped[str | None] = _secret(TEXT)
    weeks: Mapped[int | None] = mapped_column(Integer)
    institution_code: Mapped[str] = mapped_column(String(40), index=True)
    case_checked: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


class Delivery(_Provenance, Base):
    __tablename__ = "health_delivery"
    __table_args__ = (Index("ix_health_delivery_region_on", "region", "delivered_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pregnancy_no: Mapped[str] = mapped_column(String(40), unique=True)
    person_id: Mapped[int | None] = mapped_column(BigId)
    id_number: Mapped[str] = mapped_column(EncryptedString())
    delivered_on: Mapped[dt.date] = mapped_column(Date)
    region: Mapped[str] = mapped_column(String(6))
    town: Mapped[str | None] = mapped_column(String(9))
    institution_code: Mapped[str] = mapped_column(String(40), index=True)
    live_births: Mapped[int] = mapped_column(Integer)
    stillbirths: Mapped[int] = mapped_column(Integer, default=0)
    weeks: Mapped[int | None] = mapped_column(Integer)
    mode: Mapped[str | None] = _secret()
    new_method: Mapped[bool] = mapped_column(Boolean, default=True)  # 新法接生


class InfectionRecord(_Provenance, Base):
    """预防艾滋病、梅毒和乙肝母婴传播: a test in pregnancy (`test`: the three results), a treatment (`treat`:
    which infection) or an exposed child's final status (`child`: infection and result). All encrypted."""

    __tablename__ = "health_infection_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pregnancy_no: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # test | treat | child
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    region: Mapped[str] = mapped_column(String(6))
    institution_code: Mapped[str] = mapped_column(String(40))
    hiv: Mapped[str | None] = _secret()
    syphilis: Mapped[str | None] = _secret()
    hbv: Mapped[str | None] = _secret()
    infection: Mapped[str | None] = _secret()
    result: Mapped[str | None] = _secret()


class ChildRecord(_Provenance, Base):
    """A child's newborn screening (metabolic, hearing), birth defect or 0–6 health check."""

    __tablename__ = "health_child_record"
    # covering the indicators' counts (a kind's records of a period, by region and birth date, per person)
    __table_args__ = (
        Index("ix_health_child_record_kind_on", "kind", "recorded_on", "region", "birth_date", "id_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(BigId, index=True)
    id_number: Mapped[str] = mapped_column(EncryptedString(), index=True)
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(12))  # metabolic | hearing | defect | visit
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    result: Mapped[str | None] = _secret()
    diagnosis: Mapped[str | None] = _secret(TEXT)
    region: Mapped[str] = mapped_column(String(6))
    town: Mapped[str | None] = mapped_column(String(9))
    institution_code: Mapped[str] = mapped_column(String(40), index=True)


class WomenService(_Provenance, Base):
    """婚前医学检查, 孕前优生健康检查 (both partners), 宫颈癌/乳腺癌筛查, HPV疫苗接种."""

    __tablename__ = "health_women_service"
    __table_args__ = (
        Index("ix_health_women_service_kind_on", "kind", "served_on", "region", "birth_date", "id_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(BigId, index=True)
    id_number: Mapped[str] = mapped_column(EncryptedString(), index=True)
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))  # premarital | preconception | cervical | breast | hpv
    served_on: Mapped[dt.date] = mapped_column(Date)
    result: Mapped[str | None] = _secret()
    dose: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(String(6))
    town: Mapped[str | None] = mapped_column(String(9))
    institution_code: Mapped[str] = mapped_column(String(40), index=True)


class DeathReport(_Provenance, Base):
    """孕产妇死亡 or 5岁以下儿童死亡: the 个案 report, and its 评审 (review) once the county has held it."""

    __tablename__ = "health_death"
    __table_args__ = (Index("ix_health_death_region_on", "region", "died_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(BigId)
    id_number: Mapped[str] = mapped_column(EncryptedString())
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(12))  # maternal | child
    died_on: Mapped[dt.date] = mapped_column(Date)
    cause: Mapped[str] = _secret(TEXT, nullable=False)
    place: Mapped[str | None] = mapped_column(String(12))
    pregnancy_no: Mapped[str | None] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(6))
    town: Mapped[str | None] = mapped_column(String(9))
    institution_code: Mapped[str] = mapped_column(String(40), index=True)
    review_status: Mapped[str] = mapped_column(
        String(12), default="pending", index=True
    )  # pending | reviewed
    review_class: Mapped[str | None] = _secret()
    review_avoidable: Mapped[str | None] = _secret()
    review_causes: Mapped[str | None] = _secret(TEXT)
    review_measures: Mapped[str | None] = _secret(TEXT)
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    reviewed_by: Mapped[str | None] = mapped_column(String(120))


class RiskCase(Base):
    """高危孕产妇专案: opened for an orange, red or purple pregnancy; a responsible doctor, a follow-up plan and
    the date the next follow-up is due."""

    __tablename__ = "health_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pregnancy_no: Mapped[str] = mapped_column(String(40), unique=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    town: Mapped[str | None] = mapped_column(String(9))
    institution_code: Mapped[str] = mapped_column(String(40), index=True)  # the managing institution
    grade: Mapped[str] = _secret(nullable=False)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("health_risk_assessment.id"))
    status: Mapped[str] = mapped_column(String(8), default="open", index=True)  # open | closed
    doctor: Mapped[str | None] = mapped_column(String(64))
    plan: Mapped[str | None] = _secret(TEXT)
    interval_days: Mapped[int] = mapped_column(Integer)
    next_due: Mapped[dt.date] = mapped_column(Date, index=True)
    overdue_count: Mapped[int] = mapped_column(Integer, default=0)  # follow-ups recorded after their due date
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    close_reason: Mapped[str | None] = mapped_column(String(12))


class CaseFollowUp(Base):
    __tablename__ = "health_case_followup"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("health_case.id"), index=True)
    due_on: Mapped[dt.date] = mapped_column(Date)
    done_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = _secret(TEXT)
    entered_by: Mapped[str] = mapped_column(String(120))


class Referral(Base):
    """A 专案 referred to a 危重孕产妇救治中心."""

    __tablename__ = "health_referral"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("health_case.id"), index=True)
    to_institution_code: Mapped[str] = mapped_column(String(40), index=True)
    referred_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str | None] = _secret(TEXT)
    entered_by: Mapped[str] = mapped_column(String(120))


class Rescue(Base):
    """危急重症救治: a critically ill woman's rescue, logged by the institution that handled it."""

    __tablename__ = "health_rescue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pregnancy_no: Mapped[str] = mapped_column(String(40), index=True)
    region: Mapped[str] = mapped_column(String(6))
    institution_code: Mapped[str] = mapped_column(String(40), index=True)
    started_on: Mapped[dt.date] = mapped_column(Date)
    condition: Mapped[str] = _secret(TEXT, nullable=False)
    outcome: Mapped[str] = mapped_column(String(12))  # recovered | transferred | died
    entered_by: Mapped[str] = mapped_column(String(120))


class Interview(Base):
    """A 约谈 held with an institution on the 约谈通报 list (the list itself is computed from the records)."""

    __tablename__ = "health_interview"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_code: Mapped[str] = mapped_column(String(40), index=True)
    region: Mapped[str] = mapped_column(String(6))
    year: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = _secret(TEXT)
    entered_by: Mapped[str] = mapped_column(String(120))


class Offer(Base):
    """婚育一件事: a free 婚前医学检查 or 孕前优生健康检查 offered to one spouse of a registered marriage, then booked
    and done (the check's record linked)."""

    __tablename__ = "health_offer"
    __table_args__ = (Index("ix_health_offer_marriage", "marriage_ref", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    marriage_ref: Mapped[int] = mapped_column(BigId)  # the registry's source record of the registration
    person_id: Mapped[int | None] = mapped_column(BigId)
    id_number: Mapped[str] = mapped_column(EncryptedString(), index=True)
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    spouse_name: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(6), index=True)
    married_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))  # premarital | preconception
    status: Mapped[str] = mapped_column(String(12), default="offered")  # offered | booked | done | declined
    offered_on: Mapped[dt.date] = mapped_column(Date)
    institution_code: Mapped[str | None] = mapped_column(String(40), index=True)
    appointment_on: Mapped[dt.date | None] = mapped_column(Date)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("health_women_service.id"))


class Guidance(Base):
    """生育咨询指导: the follow-up a 生育登记 gives the town, due by `due_on`."""

    __tablename__ = "health_guidance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration_no: Mapped[str] = mapped_column(String(24), unique=True)
    id_number: Mapped[str] = mapped_column(EncryptedString())
    name: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(6), index=True)
    town: Mapped[str | None] = mapped_column(String(9), index=True)
    created_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="open")  # open | done
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = _secret(TEXT)
    done_by: Mapped[str | None] = mapped_column(String(120))


class IndicatorCount(Base):
    """The records' counts of one 妇幼 indicator for a county and year (`cradle.health.aggregates`): numerator,
    denominator (none where the registry gives it), whether the records hold the indicator there, the day it was
    counted on, and the county's change number it was counted at. A region's indicators add its counties' rows."""

    __tablename__ = "health_indicator_count"

    region: Mapped[str] = mapped_column(String(6), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator: Mapped[str] = mapped_column(String(48), primary_key=True)
    numerator: Mapped[int] = mapped_column(Integer)
    denominator: Mapped[int | None] = mapped_column(Integer)
    held: Mapped[bool] = mapped_column(Boolean)
    counted_on: Mapped[dt.date] = mapped_column(Date)
    change: Mapped[int] = mapped_column(Integer)


class CountChange(Base):
    """A county's change number of one group of indicators (`indicators.GROUP_OF`: births, infections, women,
    children): raised in the same transaction as every write of a record they count (the pages' through
    `_counted_change`, the feeds' by their SQL, `health.feeds`), so their stored counts of an older number are
    counted again when read."""

    __tablename__ = "health_count_change"

    region: Mapped[str] = mapped_column(String(6), primary_key=True)
    part: Mapped[str] = mapped_column(String(12), primary_key=True)
    change: Mapped[int] = mapped_column(Integer)


# Records the indicators count, the groups of indicators reading them, and which regions' counts a change of them
# reaches: its own region's; for a pregnancy's records, the regions of its file, delivery and tests (they are
# counted where she delivers, and a treatment where she tested positive); for a 孕前优生 check, the regions of the
# woman's pregnancies.
COUNTED_GROUPS: dict[type, tuple[str, ...]] = {
    Pregnancy: ("births", "women"),
    MaternalVisit: ("births",),
    Delivery: ("births",),
    InfectionRecord: ("births", "infections"),
    ChildRecord: ("births", "children"),
    WomenService: ("women",),
    DeathReport: ("births",),
}
_BY_PREGNANCY = (Pregnancy, MaternalVisit, Delivery, InfectionRecord)
RAISE_CHANGE = """INSERT INTO health_count_change (region, part, change) VALUES (:region, :part, 1)
    ON CONFLICT (region, part) DO UPDATE SET change = health_count_change.change + 1"""


def _values(obj, name: str) -> set:
    return {v for v in inspect(obj).attrs[name].load_history().sum() if v is not None}


def _counted_change(session: Session, flush_context, instances) -> None:
    """Raise the change number of every county and group of indicators a record being written, changed or
    deleted counts in (before the flush: the rows' old and new values are both at hand)."""
    regions: set[str] = set()
    groups: set[str] = set()
    numbers: set[str] = set()
    women: set[str] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if type(obj) not in COUNTED_GROUPS or (obj in session.dirty and not session.is_modified(obj)):
            continue
        regions |= _values(obj, "region")
        groups.update(COUNTED_GROUPS[type(obj)])
        if isinstance(obj, _BY_PREGNANCY):
            numbers |= _values(obj, "pregnancy_no")
        if isinstance(obj, WomenService) and "preconception" in _values(obj, "kind"):
            women |= _values(obj, "id_number")
    if numbers:
        for model in (Pregnancy, Delivery, InfectionRecord):
            regions.update(
                session.scalars(select(model.region).where(model.pregnancy_no.in_(sorted(numbers))))
            )
    if women:
        regions.update(
            session.scalars(select(Pregnancy.region).where(Pregnancy.id_number.in_(sorted(women))))
        )
    if regions:
        rows = [{"region": r, "part": g} for r in sorted(regions) for g in sorted(groups)]
        session.execute(text(RAISE_CHANGE), rows)


event.listen(Session, "before_flush", _counted_change)
