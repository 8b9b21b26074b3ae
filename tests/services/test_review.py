"""The review transition table: every legal transition, and every other (state, action, role) refused."""

from __future__ import annotations

import itertools

import pytest

from cradle.errors import IllegalTransition, Invalid
from cradle.services import review
from cradle.services.offices import OFFICES as ROLES


def test_happy_path():
    s = "submitted"
    for action, role in [("town_accept", "town"), ("town_pass", "town"), ("county_approve", "county")]:
        s = review.next_state(s, action, role)
    assert s == "approved"


@pytest.mark.parametrize(
    ("state", "action", "role"),
    [(s, a, r) for s, a, r in itertools.product(review.STATES, review.ACTIONS, ROLES)],
)
def test_every_combination(state, action, role):
    t = review.TABLE.get((state, action))
    if t is not None and role in t.roles:
        reason = "理由" if t.reason_required else None
        assert review.next_state(state, action, role, reason) == t.to
        if t.reason_required:
            with pytest.raises(Invalid) as exc:
                review.next_state(state, action, role, "  ")
            assert exc.value.field == "reason"
    else:
        with pytest.raises(IllegalTransition):
            review.next_state(state, action, role, "理由")


def test_final_states_have_no_exit_except_listed():
    for state in ("withdrawn", "declined"):
        assert all(review.allowed_actions(state, r) == [] for r in ROLES)
    assert review.allowed_actions("rejected", "county") == ["reopen"]
    assert review.allowed_actions("approved", "citizen") == ["decline"]


def test_unknown_state_and_action():
    with pytest.raises(Invalid) as exc:
        review.next_state("nope", "town_accept", "town")
    assert exc.value.field == "status"
    with pytest.raises(Invalid) as exc:
        review.next_state("submitted", "approve_all", "town")
    assert exc.value.field == "action"
