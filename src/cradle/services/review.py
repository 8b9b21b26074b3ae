"""The review of an application as a pure transition table: town review, then county confirmation (陆河 奖励扶助:
乡镇审核、县级确认). Nothing here touches the database; `applications.act()` applies the table.

States: offered (opened by 免申即享, awaiting the citizen) · submitted · town_review · county_confirmation ·
returned (for correction) · approved · rejected · withdrawn · declined.
"""

from __future__ import annotations

from dataclasses import dataclass

from cradle.errors import N_, IllegalTransition, Invalid

STATES = (
    "offered",
    "submitted",
    "town_review",
    "county_confirmation",
    "returned",
    "approved",
    "rejected",
    "withdrawn",
    "declined",
)
FINAL = ("approved", "rejected", "withdrawn", "declined")
CITIZEN_ROLES = ("citizen",)


@dataclass(frozen=True)
class Transition:
    to: str
    roles: tuple[str, ...]
    reason_required: bool = False


# (state, action) -> Transition. Everything not listed is refused.
TABLE: dict[tuple[str, str], Transition] = {
    ("offered", "accept"): Transition("submitted", CITIZEN_ROLES),
    ("offered", "decline"): Transition("declined", CITIZEN_ROLES),
    ("offered", "grant_direct"): Transition(
        "approved", ("system",)
    ),  # 免申即享 where the program pays directly
    ("submitted", "town_accept"): Transition("town_review", ("town",)),
    ("submitted", "town_return"): Transition("returned", ("town",), True),
    ("submitted", "withdraw"): Transition("withdrawn", CITIZEN_ROLES),
    ("town_review", "town_pass"): Transition("county_confirmation", ("town",)),
    ("town_review", "town_return"): Transition("returned", ("town",), True),
    ("town_review", "town_reject"): Transition("rejected", ("town",), True),
    ("town_review", "withdraw"): Transition("withdrawn", CITIZEN_ROLES),
    ("county_confirmation", "county_approve"): Transition("approved", ("county",)),
    ("county_confirmation", "county_return"): Transition("returned", ("county",), True),
    ("county_confirmation", "county_reject"): Transition("rejected", ("county",), True),
    ("returned", "resubmit"): Transition("submitted", CITIZEN_ROLES),
    ("returned", "withdraw"): Transition("withdrawn", CITIZEN_ROLES),
    ("approved", "decline"): Transition("declined", CITIZEN_ROLES),  # direct payment (免申即享) refused
    ("rejected", "reopen"): Transition("town_review", ("town", "county"), True),  # an upheld appeal
}
ACTIONS = tuple(sorted({action for _, action in TABLE}))

# Days an official has to act in each state (shown on the queue; overdue cases are flagged).
SLA_DAYS = {"submitted": 3, "town_review": 10, "county_confirmation": 10, "offered": 30, "returned": 30}


def next_state(state: str, action: str, role: str | None, reason: str | None = None) -> str:
    """The state after `action` by an actor of office `role` (`cradle.services.offices`), or IllegalTransition /
    Invalid naming why not."""
    if state not in STATES:
        raise Invalid("status", N_("Unknown status %(status)s"), status=repr(state))
    if action not in ACTIONS:
        raise Invalid("action", N_("Unknown operation %(action)s"), action=repr(action))
    t = TABLE.get((state, action))
    if t is None:
        raise IllegalTransition(
            "action", N_("“%(action)s” cannot be done in state “%(state)s”"), action=action, state=state
        )
    if role not in t.roles:
        raise IllegalTransition(
            "actor.role",
            N_("“%(action)s” is for %(roles)s, not %(role)s"),
            action=action,
            roles="/".join(t.roles),
            role=role,
        )
    if t.reason_required and not (reason and reason.strip()):
        raise Invalid("reason", N_("“%(action)s” needs a reason"), action=action)
    return t.to


def allowed_actions(state: str, role: str | None) -> list[str]:
    return sorted(a for (s, a), t in TABLE.items() if s == state and role in t.roles)
