"""What-if and batch runs started from the page: settings checked field by field before anything runs; a run
records its progress and result (the batch domain's own figures) and its CSV; a refusal of the batch code is
kept with its message id; another county's official does not see the run."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from cradle.auth.actor import Actor
from cradle.db import session_scope
from cradle.errors import DomainError
from cradle.monitoring import runs
from cradle.monitoring.models import Run

ZHANGDIAN = Actor(id="account:1", role="county_official", region="370303", name="赵科长", account_id=1)
ON = dt.date(2025, 6, 30)
PARAM = "zibo.nursery_fee_subsidy.second_child"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CRADLE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.mark.parametrize(
    "changes, fields",
    [
        ({"parameter": "sx.nope"}, ["parameter"]),
        ({"value": "-5"}, ["value"]),
        ({"years": "2024-2026"}, ["years"]),
        ({"years": "2025-2040"}, ["years"]),
        ({"source": "synthetic", "persons": "0"}, ["persons"]),
        ({"value": "x", "years": "soon", "source": "census"}, ["value", "years", "source"]),
    ],
)
def test_bad_settings_are_named_and_nothing_is_queued(svc_sqlite_url, changes, fields):
    settings = {
        "parameter": PARAM,
        "value": "600",
        "years": "2025-2026",
        "source": "registry",
        "persons": None,
    }
    settings.update(changes)
    with pytest.raises(DomainError) as exc, session_scope(svc_sqlite_url) as s:
        runs.start_whatif(s, ZHANGDIAN, "370303", on=ON, **settings)
    assert [p.field for p in exc.value.items()] == fields
    with session_scope(svc_sqlite_url) as s:
        assert s.query(Run).count() == 0


def test_a_whatif_on_a_synthetic_population_costs_the_change(svc_url, data_dir):
    with session_scope(svc_url) as s:
        run_id = runs.start_whatif(
            s, ZHANGDIAN, "370303", PARAM, "600", "2025-2026", "synthetic", 3000, ON
        ).id
    runs.execute(run_id, svc_url)
    with session_scope(svc_url) as s:
        row = runs.get(s, ZHANGDIAN, run_id)
        assert (row.status, row.done, row.total) == ("done", 3, 3)
        by_year = {r["year"]: r for r in row.result["by_year"]}
        path = runs.result_file(row)
    assert sorted(by_year) == [2025, 2026]
    for r in by_year.values():  # 300 → 600 a month for second children in a nursery: dearer, same people
        assert r["cost_scenario"] > r["cost_base"] and r["cost_diff"] == pytest.approx(
            r["cost_scenario"] - r["cost_base"]
        )
        assert r["beneficiaries_scenario"] == r["beneficiaries_base"]
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    changed = [r for r in rows if r["program"] == "zibo.nursery_fee_subsidy"]
    # the second children's 300 doubles, a third child's 500 stays: dearer, at most twice the base
    assert changed and all(
        float(r["cost_base"]) < float(r["cost_scenario"]) <= 2 * float(r["cost_base"]) for r in changed
    )


def test_a_batch_run_counts_its_partitions_and_writes_the_entitlements(svc_url, data_dir):
    with session_scope(svc_url) as s:
        run_id = runs.start_batch(s, ZHANGDIAN, "370303", ON, "synthetic", 2000).id
    runs.execute(run_id, svc_url)
    with session_scope(svc_url) as s:
        row = runs.get(s, ZHANGDIAN, run_id)
        assert row.status == "done" and row.done == row.total >= 1
        with runs.result_file(row).open(encoding="utf-8") as fh:
            assert sum(1 for _ in fh) - 1 == row.result["entitlements"] > 0
        assert sum(p["entitlements"] for p in row.result["by_program"]) == row.result["entitlements"]


def test_a_refusal_of_the_batch_code_is_kept_and_the_run_is_out_of_other_counties_sight(svc_url, data_dir):
    with session_scope(svc_url) as s:  # the registry holds nobody: the export refuses
        run_id = runs.start_whatif(s, ZHANGDIAN, "370303", PARAM, "600", "2025", "registry", None, ON).id
    runs.execute(run_id, svc_url)
    neighbour = Actor(id="account:2", role="county_official", region="370304", name="x", account_id=2)
    with session_scope(svc_url) as s:
        row = runs.get(s, ZHANGDIAN, run_id)
        assert row.status == "failed" and row.result["error"]["params"]["region"] == "370303"
        assert runs.result_file(row) is None
        with pytest.raises(DomainError) as exc:
            runs.get(s, neighbour, run_id)
        assert exc.value.status == 404 and runs.visible(s, neighbour) == []


def test_an_unknown_parameter_names_the_region_in_the_readers_language(svc_sqlite_url):
    with pytest.raises(DomainError) as exc, session_scope(svc_sqlite_url) as s:
        runs.start_whatif(s, ZHANGDIAN, "370303", "sx.nope", "600", "2025-2026", "registry", None, ON)
    (problem,) = exc.value.items()
    assert problem.field == "parameter" and problem.params["region"] == "370303"  # the code, said when shown
    assert "张店区" in problem.text("zh") and "Zhangdian District" in problem.text("en")
    assert "张店区" not in problem.text("en")
