"""Reading an application's attachments: the people the case belongs to (applicant, beneficiary, a proxy with
consent) and the town or county reviewers whose area it lies in. Departments and finance see cases of their
county for their own work, but not the family's documents; the API and the pages both ask here."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth.actor import Actor
from cradle.errors import N_, NotFound
from cradle.services import applications, proxy
from cradle.services.models import Attachment, Case
from cradle.services.offices import office, ref

READERS = ("citizen", "town", "county", "system")


def listing(session: Session, actor: Actor, case_no: str) -> tuple[Case, list[Attachment]]:
    case = _case(session, actor, case_no)
    return case, applications.attachments(session, case)


def fetch(session: Session, actor: Actor, case_no: str, attachment_id: int) -> Attachment:
    """One attachment with its bytes; the download is audited (whose documents were read, by whom)."""
    case = _case(session, actor, case_no)
    row = session.execute(
        select(Attachment).where(Attachment.id == attachment_id, Attachment.case_id == case.id)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("attachment_id", N_("No such material"))
    behalf = None
    own = (case.applicant_id_number, case.beneficiary_id_number)
    if office(actor) == "citizen" and actor.id_number not in own:  # a proxy: the audit names both people
        _, behalf = proxy.principal(session, actor, case.applicant_id_number, "application")
    audit.record(
        session,
        ref(actor),
        "case.attachment_read",
        f"case:{case.case_no}",
        {"attachment": row.id, "name": row.name, "sha256": row.sha256},
        on_behalf_of=behalf,
    )
    return row


def _case(session: Session, actor: Actor, case_no: str) -> Case:
    # Same answer as a case that does not exist, so a refusal does not reveal that the case does.
    if office(actor) not in READERS:
        raise NotFound("case_no", N_("No such application"))
    return applications.get(session, actor, case_no)
