"""A small explicit state machine: a transitions table {(state, action): next_state}."""

from __future__ import annotations

from cradle.childcare.errors import IllegalTransition


class StateMachine:
    def __init__(self, name: str, transitions: dict[tuple[str, str], str]):
        self.name = name
        self.transitions = transitions

    def allowed(self, state: str) -> list[str]:
        return sorted(action for (s, action) in self.transitions if s == state)

    def next(self, state: str, action: str) -> str:
        try:
            return self.transitions[(state, action)]
        except KeyError:
            raise IllegalTransition(self.name, state, action, self.allowed(state)) from None
