"""Pre-filling an application from the population data hub.

The registry owns the household builder (a person → the engine's household JSON, with the members' ID numbers).
This module only calls it; it never reads the registry's tables. Until the registry publishes the builder
(`cradle.registry.households.household_for_person(session, id_number, as_of)` returning
`{"household": {...}, "identities": {member_id: {"id_number", "name"}}}`), `available()` is False and the
application form asks the citizen for the household instead.
"""

from __future__ import annotations

import datetime as dt
import importlib

from sqlalchemy.orm import Session

from cradle.services.errors import NotFound

BUILDER = ("cradle.registry.households", "household_for_person")


def _builder():
    try:
        module = importlib.import_module(BUILDER[0])
    except ModuleNotFoundError:
        return None
    return getattr(module, BUILDER[1], None)


def available() -> bool:
    return _builder() is not None


def prefill(session: Session, id_number: str, as_of: dt.date) -> dict | None:
    """{"household", "identities"} from the registry, or None when the builder is not there yet."""
    builder = _builder()
    if builder is None:
        return None
    found = builder(session, id_number, as_of)
    if not found:
        raise NotFound("applicant_id_number", "人口库中没有此人的家庭信息")
    return found
