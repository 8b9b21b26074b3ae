"""Which programs the cycle runs in a county: every pack program that is reward assistance (奖励扶助, paid yearly)
or special assistance (特别扶助, paid monthly), found by id so the programs each pack adds join the cycle."""

from __future__ import annotations

from cradle.errors import N_, Invalid
from cradle.policy.packs import programs_for
from cradle.policy.program import Program

KINDS = {
    "reward_assistance": ("reward", "yearly"),
    "special_assistance_bereaved": ("bereaved", "monthly"),
    "special_assistance_disabled": ("disabled_child", "monthly"),
}


def kind_of(program_id: str) -> str:
    return KINDS[program_id.rsplit(".", 1)[-1]][0]


def frequency_of(program_id: str) -> str:
    return KINDS[program_id.rsplit(".", 1)[-1]][1]


def is_special(program_id: str) -> bool:
    return kind_of(program_id) != "reward"


def for_county(county: str) -> list[Program]:
    """The county's assistance programs; Invalid naming `region` when it has none (or is no county)."""
    found = [p for p in programs_for(county) if p.id.rsplit(".", 1)[-1] in KINDS]
    if not found:
        raise Invalid("region", N_("%(region)s has no family-planning assistance programme"), region=county)
    return found
