"""Region codes as monitoring takes them: a code that is not in GB/T 2260 is refused, naming the field."""

from __future__ import annotations

from cradle import regions
from cradle.errors import N_, Invalid, NotFound

UNKNOWN = N_("Unknown region code %(region)s")


def checked(code: str, field: str = "region") -> str:
    """``code`` when it is a region; otherwise 422 (a bad parameter)."""
    if not regions.exists(code):
        raise Invalid(field, UNKNOWN, region=repr(code), code="unknown_code")
    return code


def found(code: str) -> str:
    """``code`` when it is a region; otherwise 404 (a page or record that is not there)."""
    if not regions.exists(code):
        raise NotFound("region", UNKNOWN, region=repr(code))
    return code
