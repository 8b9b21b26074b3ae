"""The household sample drawn from a synthetic registry: frame, weights per stratum, coverage of the truth."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from cradle.db import session_scope
from cradle.monitoring import household_survey as hs
from cradle.registry.models import Birth, Death, HukouEvent, Person

D = dt.date
AS_OF = D(2024, 12, 31)
COUNTIES = ("370302", "370303")  # 淄川, 张店 (淄博)


def build(url: str, households: int = 1200, seed: int = 3) -> dict:
    """Households of 1–6 persons in two counties, urban and rural; returns the true totals by construction."""
    rng = np.random.default_rng(seed)
    persons, events, births = [], [], []
    truth = {"households": 0, "persons": 0, "births": 0, "under3": 0, "strata": {}}
    pid = sid = 0
    for h in range(households):
        county, kind = COUNTIES[h % 2], ("urban", "rural")[(h // 2) % 3 == 0]
        size = int(rng.integers(1, 7)) + (kind == "rural")
        truth["households"] += 1
        truth["persons"] += size
        key = f"{county}/{kind}"
        truth["strata"][key] = truth["strata"].get(key, 0) + 1
        mother = None
        for k in range(size):
            pid += 1
            sid += 1
            baby = k >= 2 and rng.random() < 0.3
            born = D(2024, int(rng.integers(1, 13)), 15) if baby else D(int(rng.integers(1940, 2021)), 6, 1)
            persons.append({"id": pid, "name": "x", "sex": "F" if k == 1 else "M", "birth_date": born})
            events.append(
                {
                    "source_id": sid,
                    "person_id": pid,
                    "event": "register",
                    "region": county,
                    "household_no": f"H{h:06d}",
                    "hukou_type": kind,
                    "valid_from": born,
                }
            )
            mother = pid if k == 1 else mother
            if baby:
                sid += 1
                births.append(
                    {
                        "source_id": sid,
                        "child_id": pid,
                        "mother_id": mother,
                        "birth_date": born,
                        "region": county,
                        "birth_order": 1,
                    }
                )
                truth["births"] += 1
                truth["under3"] += 1
    # outside the frame: a person who moved out, one who died, one without a 户号, one registered elsewhere
    outside = [
        ("move_out", "370302", "H999990"),
        ("register", "370302", "H999991"),
        ("register", "370302", None),
        ("register", "440304", "H999992"),
    ]
    for event, region, no in outside:
        pid += 1
        sid += 1
        persons.append({"id": pid, "name": "x", "sex": "M", "birth_date": D(1980, 1, 1)})
        events.append(
            {
                "source_id": sid,
                "person_id": pid,
                "event": event,
                "region": region,
                "household_no": no,
                "hukou_type": "urban",
                "valid_from": D(2020, 1, 1),
            }
        )
    with session_scope(url) as s:
        s.execute(insert(Person), persons)
        s.execute(insert(HukouEvent), events)
        s.execute(insert(Birth), births)
        s.execute(
            insert(Death),
            [{"source_id": sid + 1, "person_id": pid - 2, "death_date": D(2023, 1, 1), "region": "370302"}],
        )
    return truth


@pytest.fixture
def registry(svc_url):
    return svc_url, build(svc_url)


def test_frame_is_the_registry_households(registry):
    url, truth = registry
    with session_scope(url) as s:
        frame = hs.load_frame(s, "370300", 2024, AS_OF)
        county = hs.load_frame(s, "370303", 2024, AS_OF)
    assert frame.household.size == truth["households"]  # the moved-out, dead and out-of-city are not
    assert frame.size.sum() == truth["persons"] and frame.unnumbered == 1
    assert frame.births.sum() == truth["births"] and frame.under3.sum() == truth["under3"]
    assert dict(zip(*np.unique(frame.stratum, return_counts=True), strict=True)) == truth["strata"]
    assert set(county.stratum) == {"370303/urban", "370303/rural"}


def test_weights_sum_to_the_frame_and_the_seed_repeats(registry):
    url, truth = registry
    with session_scope(url) as s:
        frame = hs.load_frame(s, "370300", 2024, AS_OF)
    sample, _ = hs.estimate(frame, 0.01, seed=5)
    for h, N in truth["strata"].items():
        assert sample.weight[sample.stratum == h].sum() == pytest.approx(N)
        assert sample.n_h[h] == max(2, round(0.01 * N))
    again, _ = hs.estimate(frame, 0.01, seed=5)
    other, _ = hs.estimate(frame, 0.01, seed=6)
    assert list(again.index) == list(sample.index) and list(other.index) != list(sample.index)


def test_intervals_cover_the_full_registry_value(svc_sqlite_url):
    truth = build(svc_sqlite_url)
    with session_scope(svc_sqlite_url) as s:
        frame = hs.load_frame(s, "370300", 2024, AS_OF)
    hits: dict[str, int] = {}
    for seed in range(60):
        _, results = hs.estimate(frame, 0.05, seed=seed)
        for r in results:
            hits[r.label] = hits.get(r.label, 0) + (r.estimate.low <= r.full <= r.estimate.high)
    assert {r.label: r.full for r in results}["persons"] == truth["persons"]
    assert {r.label: r.full for r in results}["mean_household_size"] == pytest.approx(
        truth["persons"] / truth["households"]
    )
    for label, n in hits.items():
        assert n >= 50, (label, n)  # nominal 95% of 60 = 57; a biased estimator or a wrong SE falls far below


def test_cli_writes_the_sample(svc_sqlite_url, tmp_path, monkeypatch):
    from cradle.cli import app

    build(svc_sqlite_url, households=300)
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_sqlite_url)
    out = tmp_path / "sample.csv"
    res = CliRunner().invoke(
        app,
        ["monitoring", "survey", "--region", "370300", "--year", "2024", "--seed", "1", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    assert "300 户 in 4 strata" in res.output and "mean_household_size" in res.output
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("household_no,stratum,weight") and len(rows) == 1 + 8  # 4 strata × 2 minimum
    bad = CliRunner().invoke(app, ["monitoring", "survey", "--region", "999999", "--year", "2024"])
    assert bad.exit_code == 2 and "999999" in bad.output
