"""Region codes as monitoring takes them: a code that is not in GB/T 2260 is refused, naming the field."""

from __future__ import annotations

from cradle import regions
from cradle.errors import DEFAULT_LOCALE, N_, Invalid, NotFound, translate

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


class RegionInvalid(Invalid):
    """A refusal whose ``region`` parameter is a region code, said by its name in the reader's language."""

    def text(self, locale: str = DEFAULT_LOCALE) -> str:
        params = dict(self.params)
        params["region"] = regions.local_name(params["region"], locale)
        return translate(self.message_id, params, locale)
