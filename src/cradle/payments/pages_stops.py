"""The payments page's "stop payments" form (death or moving away), calling `stops.stop_for` like the API and
`cradle payments stop`; a refusal is shown beside its field on the payments page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from cradle.db import RequestSession
from cradle.payments import stops
from cradle.services.errors import ServiceError
from cradle.services.web import error_list, form_data, guarded, page_actor, see_other

router = APIRouter(include_in_schema=False)
FormDep = Annotated[dict, Depends(form_data)]
# The service's field names → the form's ("nothing being paid" names the person).
RENAME = {"beneficiary": "beneficiary_id_number", "program": "stop_program"}


@router.post("/payments/stops")
@guarded
def stop(request: Request, s: RequestSession, form: FormDep) -> Response:
    from cradle.payments.pages import ROLES, _index

    actor = page_actor(request, *ROLES)
    data = {
        **form,
        "beneficiary_id_number": form.get("beneficiary_id_number", "").upper(),
        "program": form.get("stop_program") or None,
    }
    try:
        rows = stops.stop_for(s, actor, data)
    except ServiceError as exc:
        s.rollback()
        return _index(request, s, actor, error_list(exc, RENAME), form, status_code=exc.status)
    return see_other(f"/payments?stopped={len(rows)}")
