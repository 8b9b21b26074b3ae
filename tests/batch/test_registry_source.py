"""Catalogue households (what the registry's builder returns) into the batch layout and back."""

import json
from pathlib import Path

import polars as pl

from cradle.batch.compute import entitlements
from cradle.batch.registry_source import to_frames
from cradle.policy.calc import calc_household
from cradle.policy.population import Population

from .conftest import ON
from .helpers import batch_rows, calc_rows

EXAMPLE = Path(__file__).resolve().parent.parent / "policy" / "household_370303.json"


def test_households_through_the_batch_layout_equal_calc(tmp_path):
    household = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    frames = to_frames([household, household], ON)
    frames.write(tmp_path)
    back = [pl.read_parquet(tmp_path / f"{n}.parquet") for n in ("households", "persons", "births")]
    table = entitlements(Population.from_frames(*back), ON)
    expected = calc_rows(calc_household(household, ON))
    assert expected
    for hid in ("1", "2"):
        rows = table.filter(pl.col("household") == hid).with_columns(
            pl.col("beneficiary").str.replace(r"^\d+:", ""))
        assert batch_rows(rows.to_dicts()) == expected
