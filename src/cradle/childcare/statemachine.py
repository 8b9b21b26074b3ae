"""A small explicit state machine: a transitions table {(state, action): next_state}."""

from __future__ import annotations

from cradle.errors import IllegalTransition


class StateMachine:
    def __init__(self, transitions: dict[tuple[str, str], str], refusal: str, refusal_in_end_state: str):
        """`refusal`: the message id of a move the table lacks (`%(state)s`, `%(action)s`, `%(allowed)s`);
        `refusal_in_end_state`: the same for a state no move leaves."""
        self.transitions = transitions
        self.refusal = refusal
        self.refusal_in_end_state = refusal_in_end_state

    def allowed(self, state: str) -> list[str]:
        return sorted(action for (s, action) in self.transitions if s == state)

    def next(self, state: str, action: str) -> str:
        try:
            return self.transitions[(state, action)]
        except KeyError:
            allowed = self.allowed(state)
            message = self.refusal if allowed else self.refusal_in_end_state
            raise IllegalTransition(
                "action", message, state=state, action=action, allowed="、".join(allowed)
            ) from None
