"""Pre-filling an application from the population data hub.

The registry owns the household builder (`cradle.registry.household.build_household(session, id_number, on)`:
a person → the engine's household JSON, each member carrying its `id_number` and `name` where the registry
knows them). This module only calls it and never reads the registry's tables; it splits the identities off so
the application gets `{"household": …, "identities": {member_id: {"id_number", "name"}}}`.
"""

from __future__ import annotations

import copy
import datetime as dt

from sqlalchemy.orm import Session

from cradle.errors import DomainError, NotFound


def _builder():
    try:
        # deferred: the registry is a domain a deployment may leave out
        from cradle.registry.household import build_household
    except ImportError:  # a deployment without the registry domain
        return None
    return build_household


def available() -> bool:
    return _builder() is not None


def prefill(
    session: Session, id_number: str, as_of: dt.date, field: str = "applicant_id_number"
) -> dict | None:
    """{"household", "identities"} from the registry, None without a registry; NotFound naming `field` when the
    registry does not know the person."""
    build = _builder()
    if build is None:
        return None
    try:
        household = copy.deepcopy(build(session, id_number, as_of))
    except DomainError as exc:  # the registry's refusal (no such person, no household on the date), its words
        raise NotFound(field, exc.message_id, code=exc.code, **exc.params) from None
    identities = {}
    for member in household.get("members", []):
        number, name = member.pop("id_number", None), member.pop("name", None)
        if number and name:
            identities[member["id"]] = {"id_number": number, "name": name}
    return {"household": household, "identities": identities}
