"""The 妇幼 indicators computed from the records: exact numerators and denominators on a small county built by
hand (both databases), and, for synthetic counties of the five documents' jurisdictions, every health indicator a
document sets a target for computed from the records, stored by monitoring's refresh (computed, source 妇幼健康记录) and shown
on the dashboard against its target."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cradle.db import make_engine, session_scope
from cradle.errors import DomainError
from cradle.health import deaths, indicators, pregnancies, screenings
from cradle.idcard import make_id_number
from cradle.monitoring import catalogue, values
from cradle.monitoring.refresh import refresh
from cradle.policy.packs import load_packs
from cradle.registry.ingest import ingest_directory, ingest_file
from cradle.synth.feeds import FORMATS, write_feeds
from cradle.synth.health import HealthRates
from cradle.synth.population import generate
from cradle.testing.postgres import copy_sqlite
from cradle.web.app import create_app

from .conftest import COUNTY

YEAR = 2024
MCH = "H37030301"
GONGAN = "record_no,id_number,name,sex,birth_date,event,event_date,hukou_region\n"


def _id(born: dt.date, n: int, sex: str = "F") -> str:
    return make_id_number(COUNTY, born, n, sex)


WOMEN = [_id(dt.date(1984, 3, 1), n) for n in range(4)]  # 40 at the end of 2024
GIRLS = [_id(dt.date(2011, 5, 1), 10 + n) for n in range(2)]  # turn 13 in 2024
KIDS = {  # born, health checks in 2024
    _id(dt.date(2024, 1, 15), 20, "M"): ["2024-02-15", "2024-04-15", "2024-07-15", "2024-09-15"],
    _id(dt.date(2022, 6, 1), 21, "M"): ["2024-06-01"],
    _id(dt.date(2023, 3, 10), 22, "F"): [],
}


def _registry(url: str, folder: Path) -> None:
    """Residents of 370303 (the denominators), and one marriage registered in 2024."""
    rows = [
        f"G{i},{number},居民{i},{'2' if int(number[16]) % 2 == 0 else '1'},{number[6:10]}-{number[10:12]}-{number[12:14]},"
        f"register,{number[6:10]}-{number[10:12]}-{number[12:14]},{COUNTY}"
        for i, number in enumerate([*WOMEN, *GIRLS, *KIDS])
    ]
    (folder / "gongan.csv").write_text(GONGAN + "\n".join(rows) + "\n", encoding="utf-8")
    husband = _id(dt.date(1990, 1, 1), 30, "M")
    (folder / "minzheng.csv").write_text(
        "record_no,id_number,name,sex,birth_date,event,event_date,region,spouse_id_number,spouse_name,spouse_sex\n"
        f"MZ1,{WOMEN[0]},居民0,2,1984-03-01,marriage,2024-05-01,{COUNTY},{husband},丈夫,1\n",
        encoding="utf-8",
    )
    engine = make_engine(url)
    for dept in ("gongan", "minzheng"):
        assert ingest_file(dept, folder / f"{dept}.csv", engine=engine).quarantined == 0
    engine.dispose()


def _records(url: str, doctor) -> None:
    mothers = [_id(dt.date(1992, 1, 1 + n), 40 + n) for n in range(4)]
    plan = [  # weeks at filing, antenatal visits after the filing, live births, new method, tests
        (8, 4, 1, "1", {"hiv": "positive", "syphilis": "negative", "hbv": "negative"}),
        (8, 2, 2, "1", {"hiv": "negative"}),
        (15, 5, 1, "1", {"hiv": "negative", "syphilis": "positive", "hbv": "negative"}),
        (9, 4, 1, "0", None),
    ]
    with session_scope(url) as s:
        for n, (weeks, visits, live, new, tests) in enumerate(plan):
            no = f"P{n}"
            pregnancies.file(
                s,
                doctor,
                {
                    "pregnancy_no": no,
                    "id_number": mothers[n],
                    "name": f"孕妇{n}",
                    "filed_on": "2024-01-10",
                    "weeks": str(weeks),
                },
            )
            for v in range(visits):
                pregnancies.visit(s, doctor, no, {"visited_on": f"2024-0{2 + v}-01"})
            if tests:
                pregnancies.infection(s, doctor, no, {"kind": "test", "recorded_on": "2024-01-20", **tests})
            pregnancies.deliver(
                s, doctor, no, {"delivered_on": "2024-08-01", "live_births": str(live), "new_method": new}
            )
            pregnancies.postpartum(s, doctor, no, {"visited_on": "2024-08-10"})
        pregnancies.infection(
            s, doctor, "P0", {"kind": "treat", "recorded_on": "2024-02-01", "infection": "hiv"}
        )
        for result in ("negative", "positive"):
            pregnancies.infection(
                s,
                doctor,
                "P2",
                {"kind": "child", "recorded_on": "2024-09-01", "infection": "hiv", "result": result},
            )
        newborns = [_id(dt.date(2024, 8, 1), 50 + n, "M") for n in range(5)]
        for n, child in enumerate(newborns[:4]):
            screenings.record_child(
                s,
                doctor,
                {
                    "kind": "metabolic",
                    "id_number": child,
                    "name": f"新生儿{n}",
                    "recorded_on": "2024-08-04",
                    "result": "pass",
                },
            )
        screenings.record_child(  # screened twice: one child
            s,
            doctor,
            {
                "kind": "metabolic",
                "id_number": newborns[0],
                "name": "新生儿0",
                "recorded_on": "2024-08-20",
                "result": "pass",
            },
        )
        for child in newborns[:2]:
            screenings.record_child(
                s,
                doctor,
                {
                    "kind": "hearing",
                    "id_number": child,
                    "name": "新生儿",
                    "recorded_on": "2024-08-03",
                    "result": "refer",
                },
            )
        for number, checks in KIDS.items():
            for on in checks:
                screenings.record_child(
                    s, doctor, {"kind": "visit", "id_number": number, "name": "儿童", "recorded_on": on}
                )
        for kind, who, on in (
            ("cervical", WOMEN[0], "2024-03-01"),
            ("breast", WOMEN[0], "2023-03-01"),
            ("cervical", WOMEN[1], "2020-05-01"),
            ("breast", WOMEN[2], "2024-05-01"),
            ("premarital", WOMEN[0], "2024-04-20"),
            ("preconception", mothers[0], "2023-06-01"),
            ("preconception", mothers[1], "2022-06-01"),  # more than a year before her filing
        ):
            screenings.record_women(
                s,
                doctor,
                {"kind": kind, "id_number": who, "name": "妇女", "served_on": on, "result": "normal"},
            )
        screenings.record_women(
            s,
            doctor,
            {"kind": "hpv", "id_number": GIRLS[0], "name": "女孩", "served_on": "2024-04-01", "dose": "1"},
        )
        deaths.report(
            s,
            doctor,
            {
                "kind": "maternal",
                "id_number": mothers[3],
                "name": "孕妇3",
                "died_on": "2024-08-20",
                "cause": "O72.1",
            },
        )
        deaths.report(
            s,
            doctor,
            {
                "kind": "child",
                "id_number": newborns[4],
                "name": "新生儿4",
                "died_on": "2024-08-11",
                "cause": "P07",
            },
        )
        two = _id(dt.date(2022, 5, 1), 60, "F")
        deaths.report(
            s,
            doctor,
            {"kind": "child", "id_number": two, "name": "幼儿", "died_on": "2024-06-01", "cause": "J18"},
        )


EXPECTED = {  # (numerator, denominator)
    "maternal_system_management_rate": (
        1,
        5,
    ),  # P0 only: P1 has 3 checks, P2 filed at week 15, P3 not new method
    "early_booking_rate": (3, 5),
    "prenatal_hiv_syphilis_hbv_testing_rate": (2, 4),
    "maternal_mortality": (1, 5),
    "neonatal_mortality": (1, 5),
    "infant_mortality": (1, 5),
    "infant_toddler_mortality": (2, 5),
    "under5_mortality": (2, 5),
    "newborn_metabolic_screening_rate": (4, 5),
    "newborn_hearing_screening_rate": (2, 5),
    "hiv_syphilis_treatment_rate": (1, 2),
    "hiv_mother_to_child_transmission_rate": (1, 2),
    "cervical_cancer_screening_rate": (2, 4),
    "two_cancer_screening_rate": (1, 4),
    "hpv_vaccination_coverage": (1, 2),
    "premarital_check_rate": (1, 2),
    "preconception_check_coverage": (1, 4),
    "child_health_management_rate": (2, 3),
    "under3_system_management_rate": (1, 3),
}


def test_each_indicator_counts_its_records(hurl, workers, tmp_path):
    _registry(hurl, tmp_path)
    _records(hurl, workers[MCH])
    with session_scope(hurl) as s:
        got = indicators.compute(s, COUNTY, YEAR, dt.date(2025, 6, 30))
        assert {k: (n, d) for k, (_, n, d) in got.items()} == EXPECTED
        assert got["maternal_mortality"][0] == pytest.approx(20_000)
        assert got["under5_mortality"][0] == pytest.approx(400)
        assert got["early_booking_rate"][0] == pytest.approx(60)
        assert indicators.compute(s, "370300", YEAR, dt.date(2025, 6, 30)) == got  # the city: its one county
        assert (
            indicators.compute(s, "370304", YEAR, dt.date(2025, 6, 30)) == {}
        )  # no records, nothing computed
        assert set(indicators.DEFINITIONS) == set(EXPECTED)
        # monitoring stores them (computed, from the health records); an entered value stays where the records say
        # nothing
        values.record(
            s,
            [values.Entry("standard_mch_institutions", COUNTY, YEAR, 1, "年报", dt.date(2025, 1, 5))],
            "卫生健康委",
            "u",
        )
        rows = refresh(s, [COUNTY], YEAR, dt.date(2025, 6, 30))
        stored = {r.indicator_id: r for r in rows if r.source.startswith("妇幼健康记录")}
        assert set(stored) == set(EXPECTED)
        assert (stored["early_booking_rate"].numerator, stored["early_booking_rate"].denominator) == (3, 5)
        assert values.current(s, "standard_mch_institutions", COUNTY, YEAR).method == "entered"
        # typed entry is closed where the records give the indicator, open where they do not
        typed = {"indicator_id": "early_booking_rate", "year": str(YEAR), "value": "60", "source": "年报"}
        typed["source_date"] = "2025-01-05"
        with pytest.raises(DomainError) as exc:
            values.enter(s, {**typed, "region": COUNTY}, "卫生健康委", "u")
        assert [(p.field, p.code) for p in exc.value.items()] == [("indicator_id", "computed")]
        assert values.enter(s, {**typed, "region": "370304"}, "卫生健康委", "u").method == "entered"


def _health_targets() -> dict[str, set[str]]:
    """{jurisdiction: health indicators a document sets a target for there}."""
    out: dict[str, set[str]] = {}
    for pack in load_packs():
        for t in pack.targets:
            if t.indicator in indicators.DEFINITIONS:
                out.setdefault(t.jurisdiction, set()).add(t.indicator)
    return out


COUNTIES = {
    "441523": "441523",
    "370300": "370303",
    "620400": "620402",
    "140000": "140105",
}  # a county in each


@pytest.fixture(scope="module")
def five_documents(tmp_path_factory, _migrated_sqlite_template):
    """A synthetic county in each document's jurisdiction (陆河, 淄博, 白银, 山西; 绍兴 sets no health target),
    every feed ingested, monitoring refreshed for 2024."""
    url = copy_sqlite(_migrated_sqlite_template, tmp_path_factory.mktemp("five"))  # migrated
    engine = make_engine(url)
    rates = HealthRates(years=3, maternal_death=0.01)
    for n, county in enumerate(COUNTIES.values()):
        out = tmp_path_factory.mktemp(county)
        write_feeds(
            generate(county, 1500, 30 + n, dt.date(2025, 6, 30)),
            out,
            seed=30 + n,
            dirty_rate=0.0,
            formats=dict.fromkeys(FORMATS, ("csv", "utf-8")),
            health_rates=rates,
        )
        for path in out.glob("*.csv"):  # record numbers are unique within a department, not across counties
            if path.name != "dirty_rows.csv":
                frame = pl.read_csv(path, infer_schema=False)
                frame.with_columns((pl.lit(county) + pl.col("record_no")).alias("record_no")).write_csv(path)
        ingest_directory(out, engine=engine)
    engine.dispose()
    with session_scope(url) as s:
        refresh(s, [*COUNTIES, *COUNTIES.values()], YEAR, dt.date(2025, 6, 30))
    return url


def test_every_health_indicator_of_the_five_documents_is_computed_from_records(five_documents, monkeypatch):
    targets = _health_targets()
    assert set(targets) <= set(COUNTIES) and "441523" in targets  # the jurisdictions setting health targets
    monkeypatch.setenv("CRADLE_DATABASE_URL", five_documents)
    client = TestClient(create_app(["cradle.monitoring.pages"]))
    cat = catalogue.load()
    with session_scope(five_documents) as s:
        for region, wanted in targets.items():
            for ind in wanted:
                row = values.current(s, ind, region, YEAR)
                assert row is not None and row.method == "computed", (region, ind)
                assert row.denominator > 0 and row.source.startswith("妇幼健康记录")
            html = client.get(f"/monitoring/{region}", params={"year": YEAR}).text
            for ind in wanted:  # each shown with its value and the document's target
                card = re.search(rf'data-indicator="{ind}">(.*?)</li>', html, re.S)
                assert card, (region, ind)
                number = re.search(r'<span class="mon-number">([^<]*)</span>', card.group(1)).group(1)
                assert number != "—" and cat.indicator(ind).name in card.group(1)
                assert "无目标" not in card.group(1)


def test_monitoring_values_lists_value_numerator_denominator_and_source(five_documents, monkeypatch):
    from cradle.cli import app

    with session_scope(five_documents) as s:
        values.record(
            s,
            [values.Entry("standard_mch_institutions", "441523", YEAR, 1, "年报", dt.date(2025, 1, 5))],
            "卫生健康委",
            "u",
        )
    monkeypatch.setenv("CRADLE_DATABASE_URL", five_documents)
    res = CliRunner().invoke(
        app, ["monitoring", "values", "--region", "441523", "--year", str(YEAR), "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    listed = {v["indicator"]: v for v in json.loads(res.output)["values"]}
    assert set(indicators.DEFINITIONS) <= set(listed)
    assert all(listed[k]["source"] == "records" for k in indicators.DEFINITIONS)
    mmr = listed["maternal_mortality"]
    assert mmr["value"] == pytest.approx(mmr["numerator"] / mmr["denominator"] * 100_000)
    assert listed["standard_mch_institutions"]["source"] == "entered"
    assert listed["births"]["source"] == "registry"
    bad = CliRunner().invoke(app, ["monitoring", "values", "--region", "999999", "--year", "2024"])
    assert bad.exit_code == 2 and "999999" in bad.output
