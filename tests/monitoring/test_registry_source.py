"""Registry tables → monitoring records → computed indicators stored (method computed)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from cradle.db import session_scope
from cradle.monitoring import compute, refresh, values
from cradle.monitoring.registry_source import load_records
from cradle.registry.models import (
    Birth,
    CareEnrolment,
    Death,
    HukouEvent,
    IngestRun,
    Person,
    Residence,
    SourceRecord,
)

D = dt.date


def build(s):
    run = IngestRun(dept="test", file_name="t.csv")
    s.add(run)
    s.flush()
    seq = itertools.count(1)

    def src(event, date):
        n = next(seq)
        r = SourceRecord(
            dept="test", record_no=str(n), row_hash=n, run_id=run.id, row_no=n, event=event, valid_from=date
        )
        s.add(r)
        s.flush()
        return r.id

    def person(sex, birth, region, hukou_event="register"):
        p = Person(name="x", sex=sex, birth_date=birth)
        s.add(p)
        s.flush()
        s.add(
            HukouEvent(
                source_id=src(hukou_event, birth),
                person_id=p.id,
                event=hukou_event,
                region=region,
                valid_from=birth,
            )
        )
        return p

    mothers = [person("F", D(1995, 3, 1), "370303") for _ in range(4)]
    kids = []
    for i, m in enumerate(mothers):
        kid = person("M" if i < 3 else "F", D(2024, 2 + i, 10), "370303")
        s.add(
            Birth(
                source_id=src("birth", kid.birth_date),
                child_id=kid.id,
                mother_id=m.id,
                birth_date=kid.birth_date,
                region="370303",
                birth_order=1 + i % 3,
            )
        )
        kids.append(kid)
    # one baby dies at 10 days → neonatal and infant death
    s.add(
        Death(
            source_id=src("death", D(2024, 2, 20)),
            person_id=kids[0].id,
            death_date=D(2024, 2, 20),
            region="370303",
        )
    )
    # a woman who moved out of 张店 and lives (常住) in 淄川
    mover = person("F", D(1990, 1, 1), "370303")
    s.add(
        HukouEvent(
            source_id=src("move_out", D(2024, 6, 1)),
            person_id=mover.id,
            event="move_out",
            region="370303",
            valid_from=D(2024, 6, 1),
        )
    )
    s.add(
        Residence(
            source_id=src("resident", D(2024, 6, 2)),
            person_id=mover.id,
            region="370302",
            valid_from=D(2024, 6, 2),
        )
    )
    # kindergarten: two children, one in an inclusive kindergarten
    for inclusive in (True, False):
        child = person("F", D(2020, 5, 5), "370303")
        s.add(
            CareEnrolment(
                source_id=src("enrol", D(2023, 9, 1)),
                person_id=child.id,
                care_type="kindergarten",
                event="enrol",
                inclusive=inclusive,
                public=False,
                valid_from=D(2023, 9, 1),
            )
        )


def test_records_and_indicators_from_registry(migrated_db_url):
    with session_scope(migrated_db_url) as s:
        build(s)
    with session_scope(migrated_db_url) as s:
        rec = load_records(s, D(2024, 12, 31))
        assert sorted(rec.person_region).count("370302") == 1
        assert len(rec.birth_date) == 4 and rec.move_sign == [-1]
        assert compute.compute(rec, "births", "370303", 2024)[0] == 4
        assert compute.compute(rec, "births", "370300", 2024)[0] == 4  # the city includes its districts
        assert compute.compute(rec, "sex_ratio_at_birth", "370303", 2024)[0] == pytest.approx(300.0)
        assert compute.compute(rec, "neonatal_mortality", "370303", 2024)[0] == pytest.approx(250.0)
        assert compute.compute(rec, "infant_mortality", "370303", 2024)[0] == pytest.approx(250.0)
        assert compute.compute(rec, "second_birth_share", "370303", 2024)[0] == pytest.approx(
            25.0
        )  # orders 1, 2, 3, 1
        assert compute.compute(rec, "third_plus_birth_share", "370303", 2024)[0] == pytest.approx(25.0)
        assert compute.compute(rec, "inclusive_kindergarten_coverage", "370303", 2024)[0] == pytest.approx(
            50.0
        )
        assert compute.compute(rec, "total_fertility_rate", "370303", 2024) is None  # too few women to judge
    with session_scope(migrated_db_url) as s:
        rows = refresh.refresh(s, ["370303"], 2024)
        assert {r.indicator_id for r in rows} >= {"births", "sex_ratio_at_birth", "infant_mortality"}
        assert all(r.method == "computed" for r in rows)
    with session_scope(migrated_db_url) as s:
        assert refresh.refresh(s, ["370303"], 2024) == []  # unchanged values are not stored again
        assert values.current(s, "births", "370303", 2024).value == 4
