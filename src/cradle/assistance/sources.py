"""Where a county's candidates come from: its registry households on the date (the population data hub, as the
batch runs read it) and the applications filed for the assistance programs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from cradle.batch.registry_source import registry_households
from cradle.services.applications import pending_or_approved


def households(session: Session, county: str, on: dt.date) -> list[dict]:
    return registry_households(session, county, on)


def applications(session: Session, programs: set[str], county: str) -> list[dict]:
    return [
        {
            "program": c.program,
            "id_number": c.beneficiary_id_number,
            "name": c.beneficiary_name,
            "town": c.town,
            "account_no": c.account_no,
            "bank_code": c.bank_code,
            "reason": ((c.eligibility or {}).get("entitlement") or {}).get("explanation")
            or f"申请 {c.case_no}",
        }
        for c in pending_or_approved(session, programs, county)
    ]
