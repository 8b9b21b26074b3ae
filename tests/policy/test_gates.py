"""A program's gates (cradle.policy.gates) are necessary conditions: over every pack case, computed in every
county a pack serves, no program has an eligible row that its gates turn away, and the calc that skips the
formulas the gates turn away (`answers_only`) grants exactly what running every formula grants."""

import copy
import functools

import pytest

from cradle.errors import Problems
from cradle.policy.cases import load_cases
from cradle.policy.engine import run
from cradle.policy.household import parse_household
from cradle.policy.packs import load_packs
from cradle.policy.population import Population

COUNTIES = ["370303", "620402", "330602", "441523", "140105", "320116"]


@functools.cache
def _households() -> list[tuple[str, object, object]]:
    """Every case's household that validates, in its own county and in each of COUNTIES."""
    found = []
    for case in load_cases():
        if case.errors:
            continue
        for code in [None, *COUNTIES]:
            h = copy.deepcopy(case.household)
            if code is not None:
                old = h.get("jurisdiction")
                h["jurisdiction"] = code
                for m in h.get("members", []):
                    if m.get("hukou") == old:
                        m["hukou"] = code
            try:
                found.append((f"{case.id} @ {code or 'own'}", parse_household(h, case.on), case.on))
            except Problems:
                continue
    return found


def test_some_programs_have_gates():
    gated = [p.id for pack in load_packs() for p in pack.programs if p.requires]
    assert len(gated) >= 30


def test_gates_only_turn_away_programs_that_grant_nothing():
    checked = turned_away = 0
    for name, household, on in _households():
        pop = Population.from_households([household])
        for res in run(pop, on):
            if not res.program.requires or res.rule is None:
                continue
            checked += 1
            if not res.ctx.passes(res.program.requires):
                turned_away += 1
                assert len(res.rows) == 0, f"{name}: {res.program.id} grants a row its gates turn away"
    assert checked and turned_away  # the cases hold households on both sides of the gates


@pytest.mark.parametrize("size", [1, 5])
def test_skipping_what_the_gates_turn_away_grants_the_same(size):
    found = _households()
    for start in range(0, len(found), size):
        chunk = found[start : start + size]
        on = chunk[0][2]
        pop = Population.from_households([h for _, h, _ in chunk])
        every, gated = run(pop, on), run(pop, on, answers_only=True)
        assert [r.program.id for r in every] == [r.program.id for r in gated]
        for a, b in zip(every, gated, strict=True):
            where = (chunk[0][0], a.program.id)
            assert len(a.rows) == len(b.rows), where
            if len(a.rows):  # the same rows, amounts, periods and parameters read, to the byte
                for field in ("rows", "household", "beneficiary", "start", "end", "amount"):
                    x, y = getattr(a, field), getattr(b, field)
                    assert (x is None and y is None) or x.tobytes() == y.tobytes(), (*where, field)
                assert [u.parameter.name for u in a.uses] == [u.parameter.name for u in b.uses], where
