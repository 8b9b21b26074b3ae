import json
import random

import polars as pl
import pytest

from cradle.batch.household import households_json
from cradle.batch.runner import BatchSpec, read_output, run_batch
from cradle.errors import Invalid
from cradle.policy.calc import calc_household

from .conftest import ON
from .helpers import batch_rows, calc_rows


@pytest.fixture(scope="module")
def full_run(zibo_source, tmp_path_factory):
    out = tmp_path_factory.mktemp("batch-out")
    summary = run_batch(BatchSpec("370300", ON, str(zibo_source), max_households=300), out, workers=1)
    return summary, read_output(out)


def test_every_partition_written(full_run, zibo_frames):
    summary, table = full_run
    assert summary.partitions >= 6  # counties grouped or split into household ranges
    assert summary.households == zibo_frames.households.height
    assert summary.persons == zibo_frames.persons.height
    assert table.height == summary.rows > 0
    assert set(table["program"]) >= {
        "cn.childcare_subsidy",
        "zibo.nursery_fee_subsidy",
        "zibo.deed_tax_subsidy",
    }


def test_random_households_equal_cradle_calc(full_run, zibo_frames):
    _, table = full_run
    f = zibo_frames
    ids = random.Random(11).sample(f.households["household_id"].to_list(), 60)
    # make sure households with births and purchases are in the sample
    ids += f.births["household_id"].head(10).to_list()
    ids += f.households.filter(pl.col("purchase_date").is_not_null())["household_id"].head(10).to_list()
    checked = 0
    for hid, household in households_json(f.households, f.persons, f.births, ids).items():
        expected = calc_rows(calc_household(household, ON))
        got = batch_rows(table.filter(pl.col("household") == str(hid)).to_dicts())
        assert got == expected, hid
        checked += bool(expected)
    assert checked >= 15


def test_family_planning_households_equal_cradle_calc(full_run, zibo_frames):
    """The synthetic older couples (only child, two daughters, 失独, disabled child, deaths and moves in the
    year): the batch gives each 奖励扶助 / 特别扶助 / special-family entitlement that calc gives."""
    _, table = full_run
    f = zibo_frames
    fp = f.households.filter(
        pl.col("only_child_certificate") | pl.col("rural_two_daughters") | (pl.col("special_family") > 0)
    )
    ids = fp["household_id"].to_list()[::3][:50]
    ids += f.persons.filter(pl.col("death_date").is_not_null())["household_id"].head(10).to_list()
    ids += fp.filter(pl.col("special_family") > 0)["household_id"].to_list()
    programs = set()
    for hid, household in households_json(f.households, f.persons, f.births, ids).items():
        expected = calc_rows(calc_household(household, ON))
        got = batch_rows(table.filter(pl.col("household") == str(hid)).to_dicts())
        assert got == expected, hid
        programs |= {row[0] for row in expected}
    assert {"zibo.reward_assistance", "zibo.jinhui_volunteer_priority"} <= programs
    assert programs & {"zibo.special_assistance_bereaved", "zibo.special_assistance_disabled"}


def test_resume_skips_finished_partitions_without_duplicates(zibo_source, tmp_path, full_run):
    spec = BatchSpec("370300", ON, str(zibo_source), max_households=300)
    first = run_batch(spec, tmp_path, workers=1, limit=3)
    assert len(first.parts) == 3
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert len(manifest["done"]) == 3
    (tmp_path / "parts" / "stray.parquet.123.tmp").write_bytes(b"half-written")
    second = run_batch(spec, tmp_path, workers=1)
    assert second.skipped == 3 and len(second.parts) == second.partitions - 3
    assert not list((tmp_path / "parts").glob("*.tmp"))
    table = read_output(tmp_path)
    assert table.sort(table.columns).equals(full_run[1].sort(table.columns))
    third = run_batch(spec, tmp_path, workers=1)
    assert third.parts == [] and third.skipped == third.partitions


def test_other_settings_in_the_same_out_are_refused(zibo_source, tmp_path):
    run_batch(BatchSpec("370300", ON, str(zibo_source), max_households=300), tmp_path, workers=1, limit=1)
    with pytest.raises(Invalid, match="as_of"):
        run_batch(
            BatchSpec("370300", ON.replace(day=1), str(zibo_source), max_households=300), tmp_path, workers=1
        )


def test_two_worker_processes_give_the_same_rows(zibo_source, tmp_path, full_run):
    run_batch(BatchSpec("370302", ON, str(zibo_source), max_households=200), tmp_path, workers=2)
    table = read_output(tmp_path)
    expected = full_run[1].filter(pl.col("county") == 370302)
    assert table.height == expected.height > 0
    assert table.sort(table.columns).equals(expected.sort(table.columns))
