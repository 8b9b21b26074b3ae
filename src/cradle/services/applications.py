"""Applications for programs and their review (town review → county confirmation), applied from `review.TABLE`.

An application is pre-filled from the registry where it can be, checked by the rules engine (the explanation is
stored with the case and shown), carries attachments, and moves through the review with who, when and why
recorded as steps, in the audit log and in the citizen's notifications.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import bindparam, exists, insert, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, make_transient_to_detached

from cradle import audit, regions
from cradle.auth.actor import Actor
from cradle.db import DriverStatement
from cradle.errors import N_, Conflict, Forbidden, Invalid, NotFound, translate
from cradle.idcard import mask
from cradle.payments import entitlements as pay_entitlements
from cradle.payments import rates
from cradle.policy import published
from cradle.services import eligibility, notifications, proxy, review
from cradle.services import validate as v
from cradle.services.catalogue import service_program
from cradle.services.models import Attachment, Case, CaseStep, IdempotentRequest, Notification
from cradle.services.offices import can_see, office, ref, require_office

MAX_ATTACHMENT = 5 * 1024 * 1024
ATTACHMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
STATUS_LABELS = {
    "offered": N_("Awaiting your confirmation"),
    "submitted": N_("Submitted"),
    "town_review": N_("Under town review"),
    "county_confirmation": N_("Under county confirmation"),
    "returned": N_("Returned for correction"),
    "approved": N_("Approved"),
    "rejected": N_("Not approved"),
    "withdrawn": N_("Withdrawn"),
    "declined": N_("Declined"),
}
ATTACHABLE = ("offered", "submitted", "town_review", "returned")
# Why no material can be added in the other states.
NOT_ATTACHABLE = {
    "county_confirmation": N_(
        "The application is “Under county confirmation”: no more materials can be added"
    ),
    "approved": N_("The application is “Approved”: no more materials can be added"),
    "rejected": N_("The application is “Not approved”: no more materials can be added"),
    "withdrawn": N_("The application is “Withdrawn”: no more materials can be added"),
    "declined": N_("The application is “Declined”: no more materials can be added"),
}


# The applicant's notifications (message ids; see cradle.services.notifications).
SUBMITTED_MESSAGE = N_("%(program)s: application submitted (%(case)s). %(explanation)s")
OFFERED_MESSAGE = N_("%(program)s: opened for you; please confirm or decline (%(case)s). %(explanation)s")
CHANGED_MESSAGE = N_("Your application %(case)s: %(status)s")
CHANGED_REASON_MESSAGE = N_("Your application %(case)s: %(status)s. Reason: %(reason)s")


def status_text(status: str) -> str:
    """The status in Chinese, as the API answers it and the citizen's messages (SMS) say it."""
    return translate(STATUS_LABELS[status], {})


def _identities(data: dict, household: dict) -> dict:
    raw = data.get("identities")
    if not isinstance(raw, dict) or not raw:
        raise Invalid("identities", N_("Enter the household members' ID numbers and names"))
    member_ids = {m.get("id") for m in household.get("members", []) if isinstance(m, dict)}
    out = {}
    for member, ident in raw.items():
        if member not in member_ids:
            raise Invalid(f"identities.{member}", N_("No such person in the household"))
        if not isinstance(ident, dict):
            raise Invalid(f"identities.{member}", N_("Should be {id_number, name}"))
        number = str(ident.get("id_number") or "").upper()
        v.check_id(f"identities.{member}.id_number", number)
        name = str(ident.get("name") or "").strip()
        if not name:
            raise Invalid(f"identities.{member}.name", N_("Required"))
        out[member] = {"id_number": number, "name": name}
    return out


def _day(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def _sla(status: str, on: dt.date) -> dt.date | None:
    days = review.SLA_DAYS.get(status)
    return on + dt.timedelta(days=days) if days else None


def evaluate(
    session: Session, program: str, household: dict, beneficiary: str | None, as_of: dt.date
) -> dict:
    """The engine's verdict. Where the document leaves the amount to the county and the county has published none
    on the parameter desk, the rate it entered for payments (pay_rate) is filled in; a desk value wins, so a
    publication reaches new applications at once."""
    sp = service_program(program)
    county = household.get("jurisdiction") if isinstance(household, dict) else None
    if not sp.rate_parameter or not isinstance(county, str) or not regions.exists(county):
        return eligibility.check(household, program, beneficiary, as_of)
    verdict = None
    if published.has_published(sp.rate_parameter):
        # whether the desk's value is the one the program reads shows in the answer's provenance
        verdict = eligibility.check(household, program, beneficiary, as_of)
        if _published_on_desk(verdict, sp.rate_parameter):
            return verdict
    amount = rates.rate_on(session, program, county, as_of)
    if amount is None:
        return verdict or eligibility.check(household, program, beneficiary, as_of)
    # nothing on the desk for it: one run of the engine with the county's rate
    return eligibility.check(household, program, beneficiary, as_of, {sp.rate_parameter: float(amount)})


def _published_on_desk(verdict: dict, parameter: str) -> bool:
    provenance = (verdict.get("entitlement") or {}).get("provenance") or []
    return any(p.get("parameter") == parameter and p.get("source") == "desk" for p in provenance)


def submit(
    session: Session,
    actor: Actor,
    data: dict,
    *,
    origin: str = "citizen",
    as_of: dt.date | None = None,
    answer_row: Callable[[Case], dict | None] | None = None,
) -> Case:
    """A new application (or, from `proactive`, an offer), checked by the engine. `answer_row`, a function of the
    new case giving a row of the request's idempotency key (`idempotency.answer_row`) or None, lets PostgreSQL's
    one statement store the API's answer with the case."""
    as_of = as_of or dt.date.today()
    sp = service_program(v.text(data, "program", max_len=80))
    household = data.get("household")
    if not isinstance(household, dict):
        raise Invalid(
            "household", N_("Enter the household information (or prefill it from the population database)")
        )
    identities = _identities(data, household)
    applicant, behalf = proxy.principal(session, actor, data.get("for_id_number"), "application")
    if applicant not in {i["id_number"] for i in identities.values()}:
        raise Invalid("identities", N_("The applicant must be a member of the household"))
    beneficiary = v.text(data, "beneficiary", max_len=32)
    if beneficiary != "household" and beneficiary not in identities:
        raise Invalid("beneficiary", N_("Enter the beneficiary's ID number"))
    county = v.region(household, "jurisdiction", county=True)
    town = v.town(data, "town", county, required=True)
    account_no = v.account(data)
    bank_code = v.text(data, "bank_code", required=bool(account_no), max_len=12)
    phone = v.phone(data)
    verdict = evaluate(
        session, sp.program, household, beneficiary if beneficiary != "household" else None, as_of
    )
    if not verdict["eligible"]:
        raise _not_eligible(verdict)
    ent = verdict["entitlement"]
    who = identities.get(beneficiary) or next(i for i in identities.values() if i["id_number"] == applicant)
    applicant_name = next(i["name"] for i in identities.values() if i["id_number"] == applicant)
    status = "offered" if origin == "proactive" else "submitted"
    case = Case(
        program=sp.program,
        applicant_id_number=applicant,
        applicant_name=applicant_name,
        beneficiary_id_number=who["id_number"],
        beneficiary_name=who["name"],
        beneficiary_member=beneficiary,
        county=county,
        town=town,
        household=household,
        identities=identities,
        eligibility=verdict,
        amount=None if ent["amount"] is None else Decimal(str(ent["amount"])),
        unit=ent.get("unit"),
        period_start=_day((ent.get("period") or {}).get("start")),
        period_end=_day((ent.get("period") or {}).get("end")),
        phone=phone,
        account_no=account_no,
        bank_code=bank_code,
        status=status,
        origin=origin,
        filed_by=ref(actor),
        on_behalf_of=behalf,
        sla_due=_sla(status, as_of),
        updated_at=v.now(),
    )
    case.version = 1  # what the column's default stores; the object is answered without a reload
    action = "submit" if status == "submitted" else "offer"

    def notes(case_no: str) -> list[dict]:
        return notifications.rows(
            applicant,
            f"case.{status}",
            f"case:{case_no}",
            OFFERED_MESSAGE if status == "offered" else SUBMITTED_MESSAGE,
            phone,
            {"program": ent["title"], "case": case_no, "explanation": ent["explanation"]},
        )

    step = {
        "action": action,
        "from_status": None,
        "to_status": status,
        "actor": ref(actor),
        "on_behalf_of": behalf,
        "reason": None,
    }
    if session.get_bind().dialect.name == "postgresql":
        # The case, its notifications, its step and its audit entry (with its chain's head) in one statement: a
        # round trip less for each, and each of a busy server's round trips waits for a core twice.
        def entry(case_no: str) -> dict | None:
            return audit.append_params(
                ref(actor),
                f"case.{action}",
                f"case:{case_no}",
                _step_detail(case, None, status, None),
                behalf,
            )

        head, audited = _insert_case(session, case, as_of, notes, step, entry, answer_row)
        if (
            not audited
        ):  # an SM3 chain (or a detail the statement cannot hash): the head is locked, write it here
            _audit_step(session, case, actor, action, None, status, None, behalf, head)
        return case
    _insert_case(session, case, as_of)
    session.execute(_INSERT_NOTIFICATION, notes(case.case_no))
    # Last, so the audit chain's head is held only for the entry and the commit.
    _step(session, case, actor, action, None, status, None, behalf)
    return case


def _not_eligible(verdict: dict) -> Invalid:
    return Invalid(
        "program", N_("Checked by the rules engine, not eligible: %(reason)s"), reason=verdict["reason"]
    )


# Built once: coercing the values into a new statement per submission cost more than executing it. No conflict
# target: a clash on the case number is caught here too (and drawn again), not raised as an error.
_INSERT_CASE = {
    name: make(Case.__table__).on_conflict_do_nothing().returning(Case.__table__.c.id)
    for name, make in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}


# `inline()`: no RETURNING of the new row's id, which nothing reads (fetching it, and the result description that
# comes with it, cost more than the insert itself on the busiest path).
_INSERT_STEP = insert(CaseStep.__table__).inline()
_INSERT_NOTIFICATION = insert(Notification.__table__).inline()


_CASE_COLUMNS = [c for c in Case.__table__.columns if c.key not in ("id", "created_at")]
_STEP_COLUMNS = [c for c in CaseStep.__table__.columns if c.key not in ("id", "case_id")]
_NOTE_COLUMNS = [
    c for c in Notification.__table__.columns if c.key not in ("id", "error", "created_at", "sent_at")
]
_KEY_COLUMNS = [c for c in IdempotentRequest.__table__.columns if c.key != "created_at"]


def _with_followers(notes: int, keyed: bool):
    """PostgreSQL: the case INSERT … ON CONFLICT DO NOTHING RETURNING id, and in the same statement its `notes`
    notification rows, its step and (`keyed`) the request's idempotency key with its answer, each inserted only
    if the case was (a taken number or a twin inserts nothing; a key already stored raises, as its own INSERT
    would). Parameters: the case's columns, `s_<column>` for the step, `n<i>_<column>` for notification i,
    `k_<column>` for the key."""
    t = Case.__table__
    new = (
        pg_insert(t)
        .values({c.key: bindparam(c.key, type_=c.type) for c in _CASE_COLUMNS})
        .on_conflict_do_nothing()
        .returning(t.c.id)
        .cte("new_case")
    )
    followers = [
        insert(CaseStep.__table__)
        .from_select(
            ["case_id", *(c.key for c in _STEP_COLUMNS)],
            select(new.c.id, *(bindparam(f"s_{c.key}", type_=c.type) for c in _STEP_COLUMNS)),
        )
        .cte("new_step")
    ]
    if keyed:  # the request's idempotency key and its answer, `k_<column>`
        followers.append(
            insert(IdempotentRequest.__table__)
            .from_select(
                [c.key for c in _KEY_COLUMNS],
                select(*(bindparam(f"k_{c.key}", type_=c.type) for c in _KEY_COLUMNS)).select_from(new),
            )
            .cte("new_key")
        )
    for i in range(notes):
        followers.append(
            insert(Notification.__table__)
            .from_select(
                [c.key for c in _NOTE_COLUMNS],
                select(*(bindparam(f"n{i}_{c.key}", type_=c.type) for c in _NOTE_COLUMNS)).select_from(new),
            )
            .cte(f"new_note{i}")
        )
    # The audit chain's head, read and locked here only if the case was inserted: a taken number holds no lock;
    # and the case's audit entry appended to it (a SHA-256 chain's; else `audit.record` writes it after)
    head = audit.head_pg(exists(select(new.c.id))).cte("head")
    entry, moved = audit.append_pg(head)
    audited = exists(select(moved.c.chain)).label("audited")
    return DriverStatement(  # on the driver's cursor: the busiest write
        select(new.c.id, audited, *head.c)
        .select_from(new.outerjoin(head, true()))
        .add_cte(*followers, entry, moved)
    )


# built once: the in-app message, and the SMS; with the request's idempotency key or without
_CASE_WITH_FOLLOWERS = {(n, k): _with_followers(n, k) for n in (1, 2) for k in (False, True)}
# No entry for the statement to append (`audit.append_params` gave none): `audit.record` writes it
_NO_ENTRY = {
    **{f"audit_{k}": None for k in ("a1", "a2", "a3", "at", "actor", "on_behalf_of", "action", "subject")},
    "audit_detail": {},
    "audit_alg": "none",
    "audit_write": False,
}
_NOTE_DEFAULTS = {"status": Notification.__table__.c.status.default.arg, "attempts": 0}


def _insert_case(
    session: Session,
    case: Case,
    as_of: dt.date,
    notes: Callable[[str], list[dict]] | None = None,
    step: dict | None = None,
    entry: Callable[[str], dict | None] | None = None,
    answer_row: Callable[[Case], dict | None] | None = None,
) -> tuple[tuple | None, bool]:
    """The case, numbered here, as one Core INSERT … ON CONFLICT DO NOTHING RETURNING id (no ORM flush on the
    busiest write); the database's unique (program, beneficiary) decides between twins, even ones submitted at the
    same instant, and a taken case number is drawn again. The object then joins the session as if loaded, so
    callers (and later changes to it) work as with `add`. On PostgreSQL, `notes` (the notification rows of a case
    number) and `step` (its step's columns but `at`) are inserted by the same statement, which also reads and
    locks the head of the case's audit chain and appends `entry` (`audit.append_params` of a case number) to it,
    and `answer_row` (of the case as numbered) inserts the request's idempotency key with its answer. Returns
    (the head as it was read, for `audit.record(head=...)`; whether the entry was appended)."""
    statement = _INSERT_CASE[session.get_bind().dialect.name]
    values = {c.key: getattr(case, c.key) for c in _CASE_COLUMNS}
    head, audited = None, False
    for _ in range(3):
        values["case_no"] = case.case_no = v.reference("SQ", as_of)
        if notes is not None and step is not None:
            rows = notes(case.case_no)
            params = {**values, **{f"s_{k}": x for k, x in {**step, "at": v.now()}.items()}}
            for i, row in enumerate(rows):
                params.update({f"n{i}_{k}": x for k, x in {**_NOTE_DEFAULTS, **row}.items()})
            appended = entry(case.case_no) if entry is not None else None
            params.update(appended or _NO_ENTRY)
            params["audit_chain"] = audit.chain_of(f"case:{case.case_no}")
            key = answer_row(case) if answer_row is not None else None
            if key is not None:
                params.update({f"k_{k}": x for k, x in key.items()})
            row = _CASE_WITH_FOLLOWERS[len(rows), key is not None].first(session, params)
            case.id, audited, head = (row[0], row[1], tuple(row[2:])) if row else (None, False, None)
            if head is not None and head[0] is None:  # no head row: `audit.record` reads it (and says so)
                head = None
        else:
            case.id = session.execute(statement, values).scalar()
        if case.id is not None:
            break
        existing = session.execute(
            select(Case.case_no).where(
                Case.program == case.program, Case.beneficiary_id_number == case.beneficiary_id_number
            )
        ).scalar()
        if existing is not None:
            raise Conflict(
                "beneficiary",
                N_("This beneficiary already has an application for this programme (%(case)s)"),
                case=existing,
            )
    else:
        raise Conflict(
            "beneficiary",
            N_("This beneficiary already has an application for this programme (submitted at the same time)"),
        )
    make_transient_to_detached(case)
    session.add(case)
    return head, audited


def _step(
    session: Session,
    case: Case,
    actor: Actor,
    action: str,
    before: str | None,
    after: str,
    reason: str | None,
    behalf: str | None,
) -> None:
    session.execute(
        _INSERT_STEP,
        {
            "case_id": case.id,
            "action": action,
            "from_status": before,
            "to_status": after,
            "actor": ref(actor),
            "on_behalf_of": behalf,
            "reason": reason,
            "at": v.now(),
        },
    )
    _audit_step(session, case, actor, action, before, after, reason, behalf)


def _audit_step(
    session: Session,
    case: Case,
    actor: Actor,
    action: str,
    before: str | None,
    after: str,
    reason: str | None,
    behalf: str | None,
    head: tuple | None = None,
) -> None:
    audit.record(
        session,
        ref(actor),
        f"case.{action}",
        f"case:{case.case_no}",
        _step_detail(case, before, after, reason),
        on_behalf_of=behalf,
        head=head,
    )


def _step_detail(case: Case, before: str | None, after: str, reason: str | None) -> dict:
    return {
        "from": before,
        "to": after,
        "reason": reason,
        "program": case.program,
        "beneficiary": mask(case.beneficiary_id_number),
        "version": case.version,
    }


def get(session: Session, actor: Actor, case_no: str, *, for_update: bool = False) -> Case:
    q = select(Case).where(Case.case_no == case_no)
    if for_update:
        q = q.with_for_update()
    case = session.execute(q).scalar_one_or_none()
    if case is None or not may_read(session, actor, case):
        raise NotFound("case_no", N_("No such application"))
    return case


def may_read(session: Session, actor: Actor, case: Case) -> bool:
    name = office(actor)
    if name == "citizen":
        return actor.id_number in (case.applicant_id_number, case.beneficiary_id_number) or (
            proxy.active_consent(session, case.applicant_id_number, actor.id_number, "application")
            is not None
        )
    if name == "town":
        return can_see(actor, case.county, case.town)
    return can_see(actor, case.county, None)


def act(
    session: Session,
    actor: Actor,
    case_no: str,
    action: str,
    reason: str | None = None,
    expected_version: int | None = None,
    changes: dict | None = None,
) -> Case:
    """Apply one review action. Refused (and nothing stored) when illegal, out of scope or stale."""
    case = get(session, actor, case_no, for_update=True)
    behalf = None
    name = office(actor)
    if name == "citizen":
        _, behalf = proxy.principal(session, actor, case.applicant_id_number, "application")
    elif name in ("town", "county"):
        require_office(actor, case.county, case.town if name == "town" else None, ("town", "county"))
    elif name != "system":
        raise Forbidden("actor.role", N_("Not allowed to review applications"))
    if expected_version is not None and expected_version != case.version:
        raise Conflict(
            "version",
            N_(
                "The application was updated by someone else (current version %(version)s); refresh and try again"
            ),
            version=case.version,
        )
    to = review.next_state(case.status, action, name, reason)
    sp = service_program(case.program)
    if action == "town_pass":
        have = {a.name.split(".")[0] for a in attachments(session, case)}
        missing = [item for item in sp.attachments if item not in have]
        if missing:
            raise Invalid("attachments", N_("Missing materials: %(items)s"), items="、".join(missing))
    if action == "resubmit" and changes:
        _apply_changes(session, case, changes)
    if to == "approved" and case.amount is None:
        raise Invalid(
            "amount",
            N_(
                "The county must set this programme's amount before approval (enter the county standard first)"
            ),
        )
    if to == "approved" and not case.account_no:
        raise Invalid("account_no", N_("The household's one-card account is needed before approval"))
    before = case.status
    case.status, case.version, case.updated_at = to, case.version + 1, v.now()
    case.sla_due = _sla(to, dt.date.today())
    _step(session, case, actor, action, before, to, reason, behalf)
    if to == "approved":
        pay_entitlements.register(
            session,
            ref(actor),
            case_ref=f"case:{case.case_no}",
            program=case.program,
            beneficiary_id_number=case.beneficiary_id_number,
            beneficiary_name=case.beneficiary_name,
            payee_id_number=case.applicant_id_number,
            payee_name=case.applicant_name,
            account_no=case.account_no,
            bank_code=case.bank_code or "",
            county=case.county,
            amount=case.amount,
            frequency=sp.frequency,
            start=case.period_start,
            end=case.period_end,
        )
    if before == "approved" and to == "declined":
        pay_entitlements.stop(
            session, actor, case.program, case.beneficiary_id_number, "declined", dt.date.today()
        )
    notifications.notify(
        session,
        case.applicant_id_number,
        f"case.{to}",
        f"case:{case.case_no}",
        CHANGED_REASON_MESSAGE if reason else CHANGED_MESSAGE,
        params={
            "case": case.case_no,
            "status": notifications.label(STATUS_LABELS[to]),
            **({"reason": reason} if reason else {}),
        },
        phone=case.phone,
    )
    return case


def _apply_changes(session: Session, case: Case, changes: dict) -> None:
    """Correction on resubmission: account, phone, household (re-checked by the engine)."""
    if "account_no" in changes:
        case.account_no = v.account(changes)
        case.bank_code = v.text(changes, "bank_code", required=bool(case.account_no), max_len=12)
    if "phone" in changes:
        case.phone = v.phone(changes)
    if "household" in changes:
        household = changes["household"]
        if not isinstance(household, dict):
            raise Invalid("household", N_("Should be household information"))
        verdict = evaluate(
            session,
            case.program,
            household,
            None if case.beneficiary_member == "household" else case.beneficiary_member,
            dt.date.today(),
        )
        if not verdict["eligible"]:
            raise _not_eligible(verdict)
        case.household, case.eligibility = household, verdict
        amount = verdict["entitlement"]["amount"]
        case.amount = None if amount is None else Decimal(str(amount))


def add_attachment(
    session: Session, actor: Actor, case_no: str, name: str, content_type: str, data: bytes
) -> Attachment:
    case = get(session, actor, case_no, for_update=True)
    _, behalf = proxy.principal(session, actor, case.applicant_id_number, "application")
    if case.status not in ATTACHABLE:
        raise Conflict("status", NOT_ATTACHABLE[case.status])
    name = v.text({"name": name}, "name", max_len=200)
    if content_type not in ATTACHMENT_TYPES:
        raise Invalid("content_type", N_("Materials should be PDF, JPEG or PNG"))
    if not data:
        raise Invalid("file", N_("The file is empty"))
    if len(data) > MAX_ATTACHMENT:
        raise Invalid("file", N_("The file cannot exceed 5MB"))
    row = Attachment(
        case_id=case.id,
        name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        added_by=ref(actor),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        row.added_by,
        "case.attach",
        f"case:{case.case_no}",
        {"name": name, "sha256": row.sha256, "size": row.size},
        on_behalf_of=behalf,
    )
    return row


def attachments(session: Session, case: Case) -> list[Attachment]:
    return list(
        session.execute(
            select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)
        ).scalars()
    )


def steps(session: Session, case: Case) -> list[CaseStep]:
    return list(
        session.execute(select(CaseStep).where(CaseStep.case_id == case.id).order_by(CaseStep.id)).scalars()
    )


def queue(
    session: Session,
    actor: Actor,
    status: str | None = None,
    overdue_only: bool = False,
    today: dt.date | None = None,
    limit: int = 200,
) -> list[Case]:
    """An official's work list, scoped to their county (or town); the oldest deadline first."""
    name = office(actor)
    if name not in ("town", "county"):
        raise Forbidden("actor.role", N_("Only town and county staff have a review queue"))
    q = select(Case).where(Case.county == actor.county)
    if name == "town":
        q = q.where(Case.town == actor.town)
    default = ("submitted", "town_review") if name == "town" else ("county_confirmation",)
    if status:
        if status not in review.STATES:
            raise Invalid("status", N_("Unknown status %(status)s"), status=status)
        q = q.where(Case.status == status)
    else:
        q = q.where(Case.status.in_(default))
    if overdue_only:
        q = q.where(Case.sla_due < (today or dt.date.today()))
    return list(session.execute(q.order_by(Case.sla_due, Case.id).limit(limit)).scalars())


def is_overdue(case: Case, today: dt.date | None = None) -> bool:
    return (
        case.status not in review.FINAL
        and case.sla_due is not None
        and case.sla_due < (today or dt.date.today())
    )


def of_citizen(session: Session, id_number: str) -> list[Case]:
    return list(
        session.execute(
            select(Case)
            .where((Case.applicant_id_number == id_number) | (Case.beneficiary_id_number == id_number))
            .order_by(Case.id.desc())
        ).scalars()
    )


def pending_or_approved(session: Session, programs: set[str], county: str) -> list[Case]:
    """The county's applications for `programs` that are not refused, withdrawn or declined (the assistance
    cycle's applicants)."""
    return list(
        session.execute(
            select(Case).where(
                Case.program.in_(programs),
                Case.county == county,
                Case.status.not_in(("rejected", "withdrawn", "declined")),
            )
        ).scalars()
    )
