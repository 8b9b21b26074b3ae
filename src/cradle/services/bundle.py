"""出生一件事 (陆河, 白银 with 社保卡, 山西, 绍兴 出生养育一件事): one application after a birth creates a linked task
for each department; the data are entered once and every task reads them from the bundle.

Each task moves received → in_progress → done | rejected (with a reason); a rejected task can be taken up again
(rejected → in_progress) once the citizen has corrected the data. Each department works from its own queue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth.actor import Actor
from cradle.errors import N_, Conflict, Forbidden, IllegalTransition, Invalid, NotFound, translate
from cradle.idcard import mask
from cradle.policy.dates import add_months, add_years, day, iso
from cradle.services import notifications, proxy
from cradle.services import validate as v
from cradle.services.models import BirthBundle, BirthRegistration, BundleTask
from cradle.services.offices import office, ref


@dataclass(frozen=True)
class TaskKind:
    kind: str
    dept: str
    title: str  # message id; in Chinese (`title_text`) in the API's answers and the citizen's messages
    fields: tuple[str, ...]  # which of the bundle's data this department uses
    days: int | None = None  # service deadline in days from the application
    rule_deadline: str | None = None  # "insurance_6_months" | "claim_3_years"
    needs_maternity_insurance: bool = False


TASKS = (
    TaskKind(
        "birth_certificate",
        "weijian",
        N_("Birth medical certificate"),
        (
            "child_name",
            "child_sex",
            "child_birth_date",
            "birth_hospital",
            "mother_id_number",
            "father_id_number",
        ),
        days=5,
    ),
    TaskKind(
        "vaccination_certificate",
        "weijian",
        N_("Vaccination certificate"),
        ("child_name", "child_birth_date", "mother_id_number", "phone"),
        days=5,
    ),
    TaskKind(
        "hukou_registration",
        "gongan",
        N_("Hukou registration"),
        (
            "child_name",
            "child_sex",
            "child_birth_date",
            "hukou_region",
            "mother_id_number",
            "father_id_number",
        ),
        days=10,
    ),
    TaskKind(
        "medical_insurance",
        "yibao",
        N_("Medical insurance enrolment (within 6 months of birth; costs before enrolment are reimbursed)"),
        ("child_name", "child_birth_date", "hukou_region"),
        rule_deadline="insurance_6_months",
    ),
    TaskKind(
        "social_security_card",
        "renshe",
        N_("Social security card"),
        ("child_name", "child_sex", "child_birth_date", "phone", "hukou_region"),
        days=15,
    ),
    TaskKind(
        "maternity_reimbursement",
        "yibao",
        N_("Maternity insurance reimbursement"),
        ("mother_id_number", "child_birth_date", "birth_hospital", "account_no"),
        rule_deadline="claim_3_years",
        needs_maternity_insurance=True,
    ),
    TaskKind(
        "maternity_allowance",
        "renshe",
        N_("Maternity allowance"),
        ("mother_id_number", "child_birth_date", "account_no"),
        rule_deadline="claim_3_years",
        needs_maternity_insurance=True,
    ),
)
KINDS = {t.kind: t for t in TASKS}
TITLES = {t.kind: t.title for t in TASKS}  # message ids, for the pages
TASK_TABLE = {
    ("received", "start"): "in_progress",
    ("in_progress", "complete"): "done",
    ("received", "reject"): "rejected",
    ("in_progress", "reject"): "rejected",
    ("rejected", "start"): "in_progress",
}
STATUS_LABELS = {
    "received": N_("Received"),
    "in_progress": N_("In progress"),
    "done": N_("Completed"),
    "rejected": N_("Sent back"),
}
# Why `action` (a parameter) cannot be done in the task's status.
NOT_NOW = {
    "received": N_("“%(action)s” cannot be done while the task is “Received”"),
    "in_progress": N_("“%(action)s” cannot be done while the task is “In progress”"),
    "done": N_("“%(action)s” cannot be done while the task is “Completed”"),
    "rejected": N_("“%(action)s” cannot be done while the task is “Sent back”"),
}


# The mother's notifications (message ids; see cradle.services.notifications).
RECEIVED_MESSAGE = N_(
    "Your birth bundle has been received (%(bundle)s); each department handles its part, and you can follow "
    "progress under “My matters”."
)
TASK_MESSAGE = N_("Birth bundle · %(task)s: %(status)s")
TASK_MESSAGE_REASON = N_("Birth bundle · %(task)s: %(status)s. Reason: %(reason)s")


def title_text(kind: str) -> str:
    """A task's title in Chinese (the API's answers, the citizen's messages and SMS)."""
    return translate(KINDS[kind].title, {})


def status_text(status: str) -> str:
    return translate(STATUS_LABELS[status], {})


def _deadline(t: TaskKind, birth: dt.date, today: dt.date) -> dt.date | None:
    if t.rule_deadline == "insurance_6_months":  # 陆河: 新生儿出生6个月内参保
        return dt.date.fromisoformat(iso(add_months(day(birth), 6)))
    if t.rule_deadline == "claim_3_years":  # 陆河: 生育医疗费用和津贴 分娩3年内申领
        return dt.date.fromisoformat(iso(add_years(day(birth), 3)))
    return today + dt.timedelta(days=t.days) if t.days else None


def apply(session: Session, actor: Actor, data: dict) -> BirthBundle:
    mother = v.id_number(data, "mother_id_number", sex="F")
    father = v.id_number(data, "father_id_number", required=False, sex="M")
    if office(actor) == "citizen" and actor.id_number in (mother, father):
        behalf = None
    else:
        _, behalf = proxy.principal(session, actor, mother, "bundle")
    today = dt.date.today()
    clean = {
        "mother_id_number": mother,
        "mother_name": v.text(data, "mother_name"),
        "father_id_number": father,
        "father_name": v.text(data, "father_name", required=bool(father)),
        "child_name": v.text(data, "child_name", max_len=32),
        "child_sex": v.text(data, "child_sex", max_len=1),
        "child_birth_date": v.date(
            data, "child_birth_date", earliest=today - dt.timedelta(days=366), latest=today
        ),
        "birth_hospital": v.text(data, "birth_hospital", max_len=100),
        "hukou_region": v.region(data, "hukou_region", county=True),
        "phone": v.phone(data, required=True),
        "account_no": v.account(data),
        "maternity_insured": bool(data.get("maternity_insured")),
        "registration_no": v.text(data, "registration_no", required=False, max_len=24),
    }
    if clean["child_sex"] not in ("F", "M"):
        raise Invalid("child_sex", N_("Sex should be F or M"))
    if clean["maternity_insured"] and not clean["account_no"]:
        raise Invalid("account_no", N_("The bank account is needed to claim maternity insurance benefits"))
    registration_id = None
    if clean["registration_no"]:
        reg = session.execute(
            select(BirthRegistration).where(BirthRegistration.reg_no == clean["registration_no"])
        ).scalar_one_or_none()
        if reg is None or reg.mother_id_number != mother:
            raise Invalid("registration_no", N_("No such birth registration for this mother"))
        registration_id = reg.id
    stored = {k: (val.isoformat() if isinstance(val, dt.date) else val) for k, val in clean.items()}
    bundle = BirthBundle(
        bundle_no=v.reference("CS", today),
        mother_id_number=mother,
        child_name=clean["child_name"],
        child_birth_date=clean["child_birth_date"],
        county=clean["hukou_region"],
        data=stored,
        registration_id=registration_id,
        filed_by=ref(actor),
        on_behalf_of=behalf,
    )
    try:
        with session.begin_nested():
            session.add(bundle)
            session.flush()
    except IntegrityError:
        raise Conflict("child_name", N_("This child's birth bundle has already been applied for")) from None
    for t in TASKS:
        if t.needs_maternity_insurance and not clean["maternity_insured"]:
            continue
        session.add(
            BundleTask(
                bundle_id=bundle.id,
                kind=t.kind,
                dept=t.dept,
                county=bundle.county,
                deadline=_deadline(t, clean["child_birth_date"], today),
                updated_by=bundle.filed_by,
                updated_at=v.now(),
            )
        )
    session.flush()
    audit.record(
        session,
        bundle.filed_by,
        "bundle.apply",
        f"bundle:{bundle.bundle_no}",
        {
            "mother": mask(mother),
            "child_birth_date": clean["child_birth_date"],
            "tasks": [t.kind for t in tasks(session, bundle)],
        },
        on_behalf_of=behalf,
    )
    notifications.notify(
        session,
        mother,
        "bundle.received",
        f"bundle:{bundle.bundle_no}",
        RECEIVED_MESSAGE,
        params={"bundle": bundle.bundle_no},
        phone=clean["phone"],
    )
    return bundle


def tasks(session: Session, bundle: BirthBundle) -> list[BundleTask]:
    return list(
        session.execute(
            select(BundleTask).where(BundleTask.bundle_id == bundle.id).order_by(BundleTask.id)
        ).scalars()
    )


def task_view(bundle: BirthBundle, task: BundleTask) -> dict:
    """What a department sees: only the fields its task uses, ID numbers masked."""
    t = KINDS[task.kind]
    data = {f: bundle.data.get(f) for f in t.fields}
    for f in ("mother_id_number", "father_id_number"):
        if data.get(f):
            data[f] = mask(data[f])
    return {
        "task_id": task.id,
        "bundle_no": bundle.bundle_no,
        "kind": task.kind,
        "title": title_text(task.kind),
        "dept": task.dept,
        "status": task.status,
        "deadline": task.deadline,
        "reason": task.reason,
        "data": data,
    }


def move(
    session: Session,
    actor: Actor,
    task_id: int,
    action: str,
    reason: str | None = None,
    result: dict | None = None,
) -> BundleTask:
    task = session.execute(
        select(BundleTask).where(BundleTask.id == task_id).with_for_update()
    ).scalar_one_or_none()
    if task is None:
        raise NotFound("task_id", N_("No such task"))
    if office(actor) != "dept" or actor.dept != task.dept or actor.county != task.county:
        raise Forbidden("actor", N_("The task does not belong to your department or jurisdiction"))
    to = TASK_TABLE.get((task.status, action))
    if to is None:
        raise IllegalTransition("action", NOT_NOW[task.status], action=action)
    if to == "rejected" and not (reason or "").strip():
        raise Invalid("reason", N_("Returning needs a reason given"))
    before = task.status
    task.status, task.reason, task.updated_by, task.updated_at = (
        to,
        reason if to == "rejected" else None,
        ref(actor),
        v.now(),
    )
    if result is not None:
        task.result = result
    bundle = session.get(BirthBundle, task.bundle_id)
    audit.record(
        session,
        task.updated_by,
        f"task.{action}",
        f"bundle:{bundle.bundle_no}",
        {"task": task.kind, "from": before, "to": to, "reason": reason, "result": result},
    )
    if to in ("done", "rejected"):
        notifications.notify(
            session,
            bundle.mother_id_number,
            f"task.{to}",
            f"bundle:{bundle.bundle_no}",
            TASK_MESSAGE_REASON if reason else TASK_MESSAGE,
            params={
                "task": notifications.label(KINDS[task.kind].title),
                "status": notifications.label(STATUS_LABELS[to]),
                **({"reason": reason} if reason else {}),
            },
            phone=bundle.data.get("phone"),
        )
    return task


def dept_queue(session: Session, actor: Actor, status: str | None = None) -> list[dict]:
    if office(actor) != "dept":
        raise Forbidden("actor.role", N_("Only department desks have a task queue"))
    q = (
        select(BundleTask, BirthBundle)
        .join(BirthBundle, BirthBundle.id == BundleTask.bundle_id)
        .where(BundleTask.dept == actor.dept, BundleTask.county == actor.county)
    )
    q = (
        q.where(BundleTask.status == status)
        if status
        else q.where(BundleTask.status.in_(("received", "in_progress")))
    )
    return [task_view(b, t) for t, b in session.execute(q.order_by(BundleTask.deadline, BundleTask.id))]


def timeline(session: Session, actor: Actor, bundle_no: str) -> dict:
    """The citizen's single view of every department's progress."""
    bundle = session.execute(
        select(BirthBundle).where(BirthBundle.bundle_no == bundle_no)
    ).scalar_one_or_none()
    if bundle is None or not (
        office(actor) == "citizen"
        and (
            actor.id_number in (bundle.mother_id_number, bundle.data.get("father_id_number"))
            or proxy.active_consent(session, bundle.mother_id_number, actor.id_number, "bundle")
        )
    ):
        raise NotFound("bundle_no", N_("No such birth bundle"))
    events = audit.history(session, f"bundle:{bundle.bundle_no}")
    return {
        "bundle_no": bundle.bundle_no,
        "child_name": bundle.child_name,
        "child_birth_date": bundle.child_birth_date.isoformat(),
        "tasks": [
            {
                "kind": t.kind,
                "title": title_text(t.kind),
                "status": t.status,
                "status_text": status_text(t.status),
                "deadline": t.deadline and t.deadline.isoformat(),
                "reason": t.reason,
            }
            for t in tasks(session, bundle)
        ],
        "events": [
            {
                "at": e.at.isoformat(timespec="seconds"),
                "action": e.action,
                "task": e.detail.get("task"),
                "to": e.detail.get("to"),
            }
            for e in events
        ],
    }


def of_person(session: Session, id_number: str) -> list[BirthBundle]:
    return list(
        session.execute(
            select(BirthBundle)
            .where(BirthBundle.mother_id_number == id_number)
            .order_by(BirthBundle.id.desc())
        ).scalars()
    )
