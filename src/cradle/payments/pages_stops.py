"""The payments page's "stop payments" form (death or moving away), calling `stops.stop_for` like the API and
`cradle payments stop`; a refusal is shown beside its field on the payments page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cradle.errors import DomainError
from cradle.payments import stops
from cradle.payments.pages import FormDep, Payer, index_page
from cradle.services.web import error_list, see_other
from cradle.web.session import RequestSession

router = APIRouter(include_in_schema=False)
# The service's field names → the form's ("nothing being paid" names the person).
RENAME = {"beneficiary": "beneficiary_id_number", "program": "stop_program"}


@router.post("/payments/stops")
def stop(request: Request, s: RequestSession, actor: Payer, form: FormDep) -> Response:
    data = {
        **form,
        "beneficiary_id_number": form.get("beneficiary_id_number", "").upper(),
        "program": form.get("stop_program") or None,
    }
    try:
        rows = stops.stop_for(s, actor, data)
    except DomainError as exc:
        s.rollback()
        return index_page(request, s, actor, error_list(request, exc, RENAME), form, status_code=exc.status)
    return see_other(f"/payments?stopped={len(rows)}")
