"""Candidate detection (免申即享) over a whole population gives, person for person, what the rules engine answers for
each household on its own: the same people, programs, amounts and reasons (the reasons are written once per
distinct set of facts, so this checks that grouping loses nothing)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from cradle.assistance import detection, sample
from cradle.assistance.programs import for_county
from cradle.batch.synth import generate
from cradle.errors import Problems
from cradle.policy.calc import calc_household
from cradle.policy.engine import run
from cradle.policy.explain import entitlement
from cradle.policy.population import Population

COUNTY = "620402"
AS_OF = dt.date(2025, 1, 1)


def _county() -> list[dict]:
    households = sample.county(COUNTY, 190)
    households[3]["members"][0]["id_number"] = "622101196001010000"  # a broken record: skipped
    del households[5]["members"][1]["id_number"]  # a father without an ID number: not listed
    households[7]["members"][0]["deceased"] = True
    households[8]["members"].append(
        {"id": "c2", "relation": "child", "sex": "M", "birth_date": "2017-05-01", "birth_order": 2}
    )
    households[9]["members"][0]["hukou"] = "140105"  # moved away
    households[10]["family_planning"]["certificate_date"] = "2016-03-01"  # after 全面两孩
    return households


def _per_household(households: list[dict], programs: set[str]) -> list[tuple]:
    """The engine asked household by household (as `cradle calc` does), in the same order."""
    out = []
    for h in households:
        try:
            answer = calc_household(h, AS_OF)
        except Problems:
            continue
        by_id = {m["id"]: m for m in reversed(h["members"])}
        for e in answer["entitlements"]:
            if e["program"] not in programs or e["beneficiary"] == "household":
                continue
            member = by_id[e["beneficiary"]]
            if member.get("id_number"):
                key = detection.family_key(h) or member["id_number"]
                out.append((e["program"], member["id_number"], key, e["explanation"], e["amount"]))
    return out


def test_county_detection_matches_the_engine_household_by_household():
    households = _county()
    programs = {p.id for p in for_county(COUNTY)}
    found = [
        (f.program, f.id_number, f.household, f.reason, f.amount)
        for f in detection.detect(households, AS_OF, programs)
    ]
    expected = _per_household(households, programs)
    assert sorted(found) == sorted(expected)
    assert len(found) > 100
    assert len({f[3] for f in found}) > 5  # ages and families differ: many sentences, each right
    assert not any(f[1] == households[3]["members"][0]["id_number"] for f in found)


@pytest.mark.parametrize("seed", [1, 2])
def test_population_reasons_are_the_sentences_row_by_row(seed):
    frames = generate(COUNTY, 20_000, seed, AS_OF)
    pop = Population.from_frames(frames.households, frames.persons, frames.births)
    programs = {p.id for p in for_county(COUNTY)}
    table = detection.found(pop, AS_OF, programs)
    expected = []
    for res in run(pop, AS_OF, only=programs):
        for i in np.flatnonzero(res.beneficiary >= 0):
            e = entitlement(res, int(i), pop.person_ids)
            expected.append((res.program.id, int(res.beneficiary[i]), e["explanation"], e["amount"]))
    got = [
        (program, person, reason, detection._amount(amount))
        for program, person, _, reason, amount in table.iter_rows()
    ]
    assert got == expected
    assert len(got) > 50


def test_province_detection_names_the_layout_ids(tmp_path):
    frames = generate(COUNTY, 8_000, 3, AS_OF)
    frames.write(tmp_path)
    programs = {p.id for p in for_county(COUNTY)}
    table = detection.province(tmp_path, COUNTY, AS_OF, programs, workers=1, max_households=1_000)
    pop = Population.from_frames(frames.households, frames.persons, frames.births)
    whole = detection.found(pop, AS_OF, programs)
    assert sorted(zip(table["program"], table["person_id"], table["reason"], strict=True)) == sorted(
        zip(
            whole["program"],
            [str(pop.person_ids[i]) for i in whole["person"]],
            whole["reason"],
            strict=True,
        )
    )
    assert table.height > 10
