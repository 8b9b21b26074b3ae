"""Tables of the population data hub (全员人口数据库).

Facts are append-only. Every fact row is keyed by the source record it came from (`source_id`), and the source
record names the department, the ingest run (hence the file) and the row; `valid_from` says from when the fact
holds. A correction arrives as a new source record with a later `valid_from`, so the earlier value stays.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from cradle.db import Base
from cradle.fieldcrypt import EncryptedJSON, EncryptedString

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets 64-bit keys for 10-million-row feeds.
BigId = BigInteger().with_variant(Integer(), "sqlite")


# Fact tables reference persons and source records without FOREIGN KEY constraints: they are written only by
# ingest's set-based joins, which cannot produce a dangling id, and per-row FK triggers would cost PostgreSQL
# more than the load itself (10-million-row feeds). Low-volume tables keep their constraints.
def _person_fk(nullable: bool = False, index: bool = True) -> Mapped:
    return mapped_column(BigId, nullable=nullable, index=index)


def _source_pk() -> Mapped:
    return mapped_column(BigId, primary_key=True)


class IngestRun(Base):
    """One `cradle ingest` of one file (or one re-submission of corrected quarantine rows)."""

    __tablename__ = "registry_ingest_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dept: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16), default="file")  # file | resubmit
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(
        String(16), default="running"
    )  # running | done | failed | interrupted
    # The narrowest region holding every row's region and ID-number prefix ("cn" across provinces; None while
    # nothing is known): officials see a run whose region overlaps their scope (cradle.registry.access).
    region: Mapped[str | None] = mapped_column(String(6), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    merged: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    queued: Mapped[int] = mapped_column(Integer, default=0)
    reasons: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)


class Person(Base):
    """A person as first registered. Later name/sex/birth-date corrections are `IdentityFact` rows."""

    __tablename__ = "registry_person"
    __table_args__ = (
        Index("ix_registry_person_match", "birth_date", "name"),
        # the few persons without an ID number: what look-alikes are queued against (cradle.registry.identity)
        Index(
            "ix_registry_person_unnumbered",
            "birth_date",
            "name",
            postgresql_where=text("id_number IS NULL"),
            sqlite_where=text("id_number IS NULL"),
        ),
        # a unique index, not a table constraint: a first load sets it aside and builds it once at its end
        # (cradle.registry.bulk), which SQLite could not do with a constraint
        Index("uq_registry_person_id_number", "id_number", unique=True),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    id_number: Mapped[str | None] = mapped_column(EncryptedString())  # cradle.fieldcrypt; unique, above
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(1))  # F | M
    birth_date: Mapped[dt.date] = mapped_column(Date)
    region: Mapped[str | None] = mapped_column(String(6))  # region of birth registration (ID prefix)
    merged_into_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("registry_person.id"), index=True)


class SourceRecord(Base):
    """One accepted row of one department's feed: the provenance every fact points to."""

    __tablename__ = "registry_source_record"
    # a unique index, as the person's ID number's
    __table_args__ = (Index("uq_registry_source_record_dept", "dept", "record_no", unique=True),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dept: Mapped[str] = mapped_column(String(16))
    record_no: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[int] = mapped_column(BigInteger)
    # Indexed only for the 户 a 公安 run touched (cradle.registry.kinship): one run id per run, so the index
    # grows at its right edge; facts are found by their own person_id and reach this row by primary key.
    run_id: Mapped[int] = mapped_column(Integer, index=True)
    row_no: Mapped[int] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(32))
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    person_id: Mapped[int | None] = _person_fk(nullable=True, index=False)


class IdentityFact(Base):
    """A (corrected) name, sex or birth date; the newest valid_from wins, the older ones stay."""

    __tablename__ = "registry_identity_fact"

    source_id: Mapped[int] = _source_pk()
    person_id: Mapped[int] = _person_fk()
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    valid_from: Mapped[dt.date] = mapped_column(Date)


class HukouEvent(Base):
    """户籍: registration, move in/out, death cancellation, correction; carries the 户号 (household)."""

    __tablename__ = "registry_hukou_event"
    __table_args__ = (Index("ix_registry_hukou_event_household", "region", "household_no"),)  # kinship

    source_id: Mapped[int] = _source_pk()
    person_id: Mapped[int] = _person_fk()
    event: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(6))
    household_no: Mapped[str | None] = mapped_column(String(32))
    relation_to_head: Mapped[str | None] = mapped_column(String(2))  # GB/T 4761
    hukou_type: Mapped[str | None] = mapped_column(String(8))  # rural | urban
    valid_from: Mapped[dt.date] = mapped_column(Date)


class Residence(Base):
    """常住地 (统计/居住证): where a person actually lives, which may differ from the hukou."""

    __tablename__ = "registry_residence"

    source_id: Mapped[int] = _source_pk()
    person_id: Mapped[int] = _person_fk()
    region: Mapped[str] = mapped_column(String(6))
    valid_from: Mapped[dt.date] = mapped_column(Date)


class Relation(Base):
    """person → relative: mother, father or spouse. Children and grandparents are read the other way round.
    A child's relation to a parent who adopted it (民政 收养登记) carries the adoption date in `adopted_on`."""

    __tablename__ = "registry_relation"

    source_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    relation: Mapped[str] = mapped_column(String(12), primary_key=True)  # mother | father | spouse
    person_id: Mapped[int] = _person_fk()
    relative_id: Mapped[int] = _person_fk()
    valid_from: Mapped[dt.date] = mapped_column(Date)
    adopted_on: Mapped[dt.date | None] = mapped_column(Date)  # set when the relative adopted the person


class Birth(Base):
    """出生医学证明 with the delivery facts the maternity programs need."""

    __tablename__ = "registry_birth"

    source_id: Mapped[int] = _source_pk()
    child_id: Mapped[int] = _person_fk()
    mother_id: Mapped[int] = _person_fk()
    father_id: Mapped[int | None] = _person_fk(nullable=True)
    birth_date: Mapped[dt.date] = mapped_column(Date)
    region: Mapped[str] = mapped_column(String(6))
    birth_order: Mapped[int | None] = mapped_column(Integer)
    babies: Mapped[int] = mapped_column(Integer, default=1)
    delivery_mode: Mapped[str | None] = mapped_column(String(16))  # natural | caesarean | assisted
    dystocia: Mapped[bool] = mapped_column(Boolean, default=False)
    in_policy_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))


class Death(Base):
    __tablename__ = "registry_death"

    source_id: Mapped[int] = _source_pk()
    person_id: Mapped[int] = _person_fk()
    death_date: Mapped[dt.date] = mapped_column(Date)
    region: Mapped[str | None] = mapped_column(String(6))


class Marriage(Base):
    __tablename__ = "registry_marriage"

    source_id: Mapped[int] = _source_pk()
    person_id: Mapped[int] = _person_fk()
    spouse_id: Mapped[int] = _person_fk()
    event: Mapped[str] = mapped_column(String(16))  # marriage | divorce
    region: Mapped[str | None] = mapped_column(String(6))
    valid_from: Mapped[dt.date] = mapped_column(Date)


class Insurance(Base):
    """医保 enrolments: employee or resident medical insurance, maternity insurance."""

    __tablename__ = "registry_insurance"

    source_id: Mapped[int] = _source_pk()
    person_id: Mapped[int] = _person_fk()
    scheme: Mapped[str] = mapped_column(String(24))  # employee_medical | resident_medical | maternity
    event: Mapped[str] = mapped_column(String(8))  # enrol | stop
    region: Mapped[str | None] = mapped_column(String(6))
    valid_from: Mapped[dt.date] = mapped_column(Date)


class Employment(Base):
    __tablename__ = "registry_employment"

    source_id: Mapped[int] = _source_pk()
    person_id: Mapped[int] = _person_fk()
    status: Mapped[str] = mapped_column(String(12))  # employee | flexible | none
    employer_code: Mapped[str | None] = mapped_column(String(18))
    employer_avg_monthly_wage: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    valid_from: Mapped[dt.date] = mapped_column(Date)


class CareEnrolment(Base):
    """托育 (nursery) and 幼儿园 (kindergarten) enrolments and leavings."""

    __tablename__ = "registry_care_enrolment"

    source_id: Mapped[int] = _source_pk()
    person_id: Mapped[int] = _person_fk()
    care_type: Mapped[str] = mapped_column(String(16))  # nursery | kindergarten
    event: Mapped[str] = mapped_column(String(8))  # enrol | leave
    institution_code: Mapped[str | None] = mapped_column(String(18))
    institution_name: Mapped[str | None] = mapped_column(String(128))
    public: Mapped[bool | None] = mapped_column(Boolean)
    inclusive: Mapped[bool | None] = mapped_column(Boolean)
    registered: Mapped[bool | None] = mapped_column(Boolean)
    valid_from: Mapped[dt.date] = mapped_column(Date)


class FamilyPlanning(Base):
    """独生子女证, 农村双女户, 特殊家庭 (失独/伤残) status of a parent."""

    __tablename__ = "registry_family_planning"

    source_id: Mapped[int] = _source_pk()
    person_id: Mapped[int] = _person_fk()
    status: Mapped[str] = mapped_column(String(24))
    event: Mapped[str] = mapped_column(String(8))  # grant | revoke
    valid_from: Mapped[dt.date] = mapped_column(Date)


class Assistance(Base):
    """民政: 低保/低收入 and orphan status."""

    __tablename__ = "registry_assistance"

    source_id: Mapped[int] = _source_pk()
    person_id: Mapped[int] = _person_fk()
    kind: Mapped[str] = mapped_column(String(16))  # low_income | orphan
    event: Mapped[str] = mapped_column(String(8))  # start | end
    valid_from: Mapped[dt.date] = mapped_column(Date)


class QuarantineRow(Base):
    """A refused row: where it came from, which field failed and why, and the row as read."""

    __tablename__ = "registry_quarantine"
    __table_args__ = (Index("ix_registry_quarantine_dept_hash", "dept", "row_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("registry_ingest_run.id"), index=True)
    dept: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(500))
    row_no: Mapped[int] = mapped_column(Integer)
    record_no: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[int] = mapped_column(BigInteger)
    field: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(40), index=True)
    message: Mapped[str] = mapped_column(String(200))
    # the row as read, and an official's corrections: they carry ID numbers, so they are encrypted at rest
    raw: Mapped[dict] = mapped_column(EncryptedJSON())
    # The row's region (its region column, else its ID number's prefix; None when neither is a known code).
    region: Mapped[str | None] = mapped_column(String(6), index=True)
    # The 乡镇/街道 (9-digit code) the row names in its `town` column, if any: town officials see only these.
    town: Mapped[str | None] = mapped_column(String(9), index=True)
    corrected: Mapped[dict | None] = mapped_column(EncryptedJSON())
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | resubmitted | dismissed
    resolved_run_id: Mapped[int | None] = mapped_column(ForeignKey("registry_ingest_run.id"))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class MatchCandidate(Base):
    """A possible same-person pair found without an ID number; waits for an official's decision."""

    __tablename__ = "registry_match_candidate"
    __table_args__ = (UniqueConstraint("person_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("registry_person.id"), index=True
    )  # no ID number
    candidate_id: Mapped[int] = mapped_column(BigId, ForeignKey("registry_person.id"), index=True)
    basis: Mapped[str] = mapped_column(String(64))  # which fields agreed
    status: Mapped[str] = mapped_column(
        String(12), default="pending", index=True
    )  # pending|confirmed|rejected
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    merge_id: Mapped[int | None] = mapped_column(Integer)


class MergeAudit(Base):
    """Every merge and split: who, when, why. A split names the merge it reverses."""

    __tablename__ = "registry_merge_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(8))  # merge | split
    survivor_id: Mapped[int] = mapped_column(BigId, ForeignKey("registry_person.id"), index=True)
    merged_id: Mapped[int] = mapped_column(BigId, ForeignKey("registry_person.id"), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("registry_merge_audit.id"))


class Upload(Base):
    """A feed file uploaded through the pages or the API, stored under the data folder and ingested in the
    background: queued → running → done (its ingest run) or refused (the problems, each a message id with its
    field and parameters, said when shown). `token` is the form's (or the API's Idempotency-Key): the same
    token again answers with this upload, never a second ingest."""

    __tablename__ = "registry_upload"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(Integer)  # who uploaded: the ingest checks that account's scope
    dept: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(500))
    path: Mapped[str] = mapped_column(String(1000))  # the stored file (removed once ingested or refused)
    status: Mapped[str] = mapped_column(String(10), default="queued")  # queued | running | done | refused
    run_id: Mapped[int | None] = mapped_column(Integer)
    problems: Mapped[list | None] = mapped_column(JSON)  # [{field, message, params}]
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
