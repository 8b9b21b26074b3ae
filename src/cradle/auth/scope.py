"""Region scope: GB/T 2260 codes (6 digits), 乡镇/街道 codes (9 digits, the first 6 a county), 村/社区 codes (12
digits, the first 9 its town: the statistical division code) and "cn". Towns and villages have no table of
names here: a code of either is valid when its first six digits are a county."""

from __future__ import annotations

from cradle import regions
from cradle.auth import roles
from cradle.web.nav import N_


def valid_region(code: str | None) -> bool:
    if not code:
        return False
    if code == regions.NATIONAL:
        return True
    if len(code) in (9, 12) and code.isdigit():
        return regions.exists(code[:6]) and regions.get(code[:6]).level == "county"
    return regions.exists(code)


def level(code: str) -> str:
    if code == regions.NATIONAL:
        return "national"
    return {9: "town", 12: "village"}.get(len(code)) or regions.get(code).level


def in_scope(code: str | None, scope: str | None) -> bool:
    """True when `code` lies inside `scope` (or is it). Unknown or empty codes are outside every scope but "cn"."""
    if scope == regions.NATIONAL:
        return True
    if not code or not scope or not valid_region(code) or not valid_region(scope):
        return False
    if len(scope) in (9, 12):
        return code[: len(scope)] == scope
    return regions.is_within(code[:6], scope)


def region_problem(role: str, region: str | None) -> str | None:
    """None when `region` suits `role`; otherwise the message id of the problem."""
    if role == roles.CITIZEN:
        return None
    if not valid_region(region):
        return N_("Unknown region code.")
    if region == regions.NATIONAL:
        return (
            None
            if role in roles.NATIONAL_ALLOWED
            else N_("Only auditors and administrators may have national scope.")
        )
    wanted = roles.REGION_LEVEL.get(role)
    if wanted and level(region) != wanted:
        return N_("This role needs a region code of another level.")
    return None
