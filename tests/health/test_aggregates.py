"""The 妇幼 indicators from the counts kept per county and year equal the indicators read from the records (the
reference, `indicators.compute`) on both databases, for a county, another county and their city, after records
entered on the pages, a feed's rows (one of them a visit in another county for a pregnancy delivered here),
corrections and a deletion, and a death review; stored counts are read as stored until a record they count
changes, and `cradle health rebuild-aggregates` counts them again from the records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, text
from typer.testing import CliRunner

from cradle.db import make_engine, session_scope
from cradle.health import aggregates, deaths, indicators
from cradle.health.models import DeathReport, IndicatorCount, MaternalVisit, Pregnancy, WomenService
from cradle.idcard import make_id_number
from cradle.registry.ingest import ingest_file

from .conftest import COUNTY, OTHER, county_official
from .test_feeds import _row, _write
from .test_indicators import MCH, YEAR, _id, _records, _registry

ON = dt.date(2025, 6, 30)
CITY = "370300"
REGIONS = (COUNTY, OTHER, CITY)
P1_MOTHER = _id(dt.date(1992, 1, 2), 41)  # P1 of `_records`: filed at week 8, 2 checks after the filing
FED = make_id_number(OTHER, dt.date(1993, 4, 1), 70, "F")
FED_CHILD = make_id_number(OTHER, dt.date(2024, 8, 1), 71, "M")
SCREENED = make_id_number(OTHER, dt.date(1980, 2, 1), 72, "F")


def _same(url: str) -> dict[str, dict]:
    """Both computations of each region, asserted equal; the kept counts' values returned."""
    got = {}
    with session_scope(url) as s:
        for code in REGIONS:
            kept = aggregates.compute(s, code, YEAR, ON)
            assert kept == indicators.compute(s, code, YEAR, ON), code
            got[code] = kept
    return got


def _fed(rows: list[dict]) -> list[dict]:
    inst = {"institution_code": "H37030401", "institution_name": "淄川区人民医院", "institution_kind": "2"}
    return [{**r, **inst} for r in rows]


def _feeds(url: str, folder) -> None:
    born, region = "1993-04-01", {"region": OTHER}
    preg = {"pregnancy_no": "FP1", **region}
    maternal = [
        _row("FM1", FED, "赵敏", "2", born, "file", "2024-01-05", weeks="8", **preg),
        *(
            _row(
                f"FM{2 + n}",
                FED,
                "赵敏",
                "2",
                born,
                "visit",
                f"2024-0{2 + n}-01",
                weeks=str(12 + 4 * n),
                **preg,
            )
            for n in range(5)
        ),
        _row(
            "FM7", FED, "赵敏", "2", born, "test", "2024-01-20", hiv_result="1", syphilis_result="1", **preg
        ),
        _row("FM8", FED, "赵敏", "2", born, "delivery", "2024-08-01", live_births="1", **preg),
        _row("FM9", FED, "赵敏", "2", born, "postpartum", "2024-08-09", **preg),
        # two more checks of P1 (delivered in 370303), made in 370304: P1 becomes 系统管理 in 370303
        *(
            _row(f"FV{n}", P1_MOTHER, "孕妇1", "2", "1992-01-02", "visit", f"2024-0{6 + n}-01", **region)
            | {"pregnancy_no": "P1"}
            for n in range(2)
        ),
    ]
    child = [  # two rows of one county: its change number raised once (PostgreSQL refuses a row upserted twice)
        _row("FC1", FED_CHILD, "赵小宝", "1", "2024-08-01", "metabolic", "2024-08-04", result="1", **region),
        _row("FC2", FED_CHILD, "赵小宝", "1", "2024-08-01", "hearing", "2024-08-04", result="1", **region),
    ]
    women = [
        _row("FW1", SCREENED, "钱芳", "2", "1980-02-01", "cervical", "2024-05-01", result="1", **region),
        _row("FW2", FED, "赵敏", "2", born, "preconception", "2023-07-01", result="1", **region),
    ]
    died = [
        _row(
            "FD1",
            FED_CHILD,
            "赵小宝",
            "1",
            "2024-08-01",
            "death",
            "2024-09-01",
            death_kind="2",
            cause="P07",
            **region,
        )
    ]
    engine = make_engine(url)
    for dept, rows in (
        ("fuyou_maternal", maternal),
        ("fuyou_child", child),
        ("fuyou_women", women),
        ("fuyou_death", died),
    ):
        done = ingest_file(dept, _write(folder / f"{dept}.csv", dept, _fed(rows)), engine=engine)
        assert (done.accepted, done.quarantined) == (len(rows), 0), (dept, dict(done.reasons))
    engine.dispose()


def test_kept_counts_equal_the_records_after_entries_feeds_corrections_and_a_review(
    hurl, workers, tmp_path, monkeypatch
):
    _registry(hurl, tmp_path)
    _records(hurl, workers[MCH])
    first = _same(hurl)
    assert first[COUNTY]["early_booking_rate"][1:] == (3, 5) and first[OTHER] == {}
    assert first[CITY] == first[COUNTY]

    _feeds(hurl, tmp_path)
    fed = _same(hurl)
    assert fed[COUNTY]["maternal_system_management_rate"][1:] == (2, 5)  # P1's checks made in 370304
    assert fed[OTHER]["maternal_system_management_rate"][1:] == (1, 1)
    assert fed[OTHER]["preconception_check_coverage"][1:] == (1, 1)
    assert fed[CITY]["early_booking_rate"][1:] == (4, 6) and fed[CITY]["under5_mortality"][1:] == (3, 6)

    with session_scope(hurl) as s:  # corrections and a deletion, made through the session
        s.scalar(select(Pregnancy).where(Pregnancy.pregnancy_no == "P2")).weeks_at_filing = 10
        s.delete(
            s.scalar(
                select(WomenService).where(
                    WomenService.kind == "cervical", WomenService.served_on == dt.date(2024, 3, 1)
                )
            )
        )
        s.add(  # P3's postpartum visit, made in 370304
            MaternalVisit(
                pregnancy_no="P3",
                kind="postpartum",
                visited_on=dt.date(2024, 8, 5),
                region=OTHER,
                institution_code="H37030401",
            )
        )
        s.scalar(select(Pregnancy).where(Pregnancy.pregnancy_no == "FP1")).weeks_at_filing = 14
    corrected = _same(hurl)
    assert corrected[COUNTY]["early_booking_rate"][1:] == (4, 5)
    assert corrected[COUNTY]["cervical_cancer_screening_rate"][1:] == (1, 4)
    assert corrected[OTHER]["early_booking_rate"][1:] == (0, 1)

    with session_scope(hurl) as s:
        maternal = s.scalar(select(DeathReport.id).where(DeathReport.kind == "maternal"))
        deaths.review(
            s,
            county_official(),
            maternal,
            {
                "classification": "direct",
                "avoidable": "avoidable",
                "causes": "产后出血处置延误",
                "measures": "每季度开展产后出血演练",
                "reviewed_on": "2024-10-01",
            },
        )
    assert _same(hurl) == corrected

    # stored counts are read as stored: a count altered behind the services' back shows, until rebuilt
    with session_scope(hurl) as s:
        s.execute(
            text(
                "UPDATE health_indicator_count SET numerator = numerator + 7"
                " WHERE region = :r AND year = :y AND indicator = 'early_booking_rate'"
            ),
            {"r": COUNTY, "y": YEAR},
        )
        assert aggregates.compute(s, COUNTY, YEAR, ON)["early_booking_rate"][1] == 11
    from cradle.cli import app

    monkeypatch.setenv("CRADLE_DATABASE_URL", hurl)
    res = CliRunner().invoke(
        app, ["health", "rebuild-aggregates", "--region", CITY, "--year", str(YEAR), "--today", str(ON)]
    )
    assert res.exit_code == 0, res.output
    assert _same(hurl) == corrected
    with session_scope(hurl) as s:  # every county of the city kept, each indicator once
        counties = set(s.scalars(select(IndicatorCount.region).where(IndicatorCount.year == YEAR)))
        assert {COUNTY, OTHER} <= counties
    # the other day of a year under way counts again (under-3 checks due so far, residents on the day)
    with session_scope(hurl) as s:
        assert aggregates.compute(s, CITY, YEAR, dt.date(2024, 7, 1)) == indicators.compute(
            s, CITY, YEAR, dt.date(2024, 7, 1)
        )


def test_a_rebuild_counts_every_county_with_records_from_its_first_year(hurl, workers, tmp_path):
    """`rebuild` with no region (the migration's, filling the table): every county with records, every year from
    the first record's to this one."""
    _registry(hurl, tmp_path)
    _records(hurl, workers[MCH])
    with session_scope(hurl) as s:
        s.execute(text("DELETE FROM health_indicator_count"))
        done = aggregates.rebuild(s, today=ON)
        assert done == {"counties": 1, "years": 6}  # 370303; 2020 (a cervical screening) to 2025
        rows = s.scalars(select(IndicatorCount)).all()
        years = range(2020, 2026)
        assert {(r.region, r.year, r.indicator) for r in rows} == {
            (COUNTY, y, k) for y in years for k in indicators.DEFINITIONS
        }
    _same(hurl)
