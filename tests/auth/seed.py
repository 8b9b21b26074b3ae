"""A 张店区 (370303) childcare facility with a filing, an enrolled child and an inspection finding, and 张店区
registry rows (an ingest run, a person, a quarantined row, an identity candidate and a merge), for the scope
tests; MARKERS are strings that only its data contains."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from stdnum.cn import uscc

from cradle.childcare import enrolment, filing, inspections
from cradle.childcare.facilities import register_facility
from cradle.childcare.standards import CHECKLIST
from cradle.db import make_engine, session_scope
from cradle.idcard import make_id_number

CHILD_ID = make_id_number("370303", dt.date(2023, 9, 10), 7, "M")
CHILD_NAME = "范围测试小明"
FACILITY_NAME = "范围测试托育园"
REG_ID = make_id_number("370303", dt.date(1991, 5, 6), 8, "F")
REG_BAD_ID = REG_ID[:-1] + ("0" if REG_ID[-1] != "0" else "1")
REG_NAMES = ("范围测试户主", "范围测试隔离人", "范围测试待核人", "范围测试合并人")
HEALTH_ID = make_id_number("370303", dt.date(1993, 3, 3), 9, "F")
HEALTH_NAME = "范围测试孕妇"
HEALTH_CHILD_ID = make_id_number("370303", dt.date(2024, 8, 8), 11, "M")
ASSIST_NAME = "范围测试扶助人"
ASSIST_ID = make_id_number("370303", dt.date(1990, 3, 3), 9, "F")
# 370303's monitoring: a plan report (its progress text, its evidence file's name), a survey and a what-if run
MON_MARKERS = ("范围测试托班进展", "范围测试佐证.pdf", "范围测试抽样员", "范围测试模拟人")


def credit_code(region: str, n: int) -> str:
    body = f"52{region}MJ{n:07d}"
    return body + uscc.calc_check_digit(body)


def facility_data(region: str = "370303", n: int = 1, name: str = FACILITY_NAME) -> dict:
    return {
        "credit_code": credit_code(region, n),
        "name": name,
        "type": "inclusive_private",
        "address": f"测试路{n}号",
        "region_code": region,
        "floor_area_m2": 600,
        "outdoor_area_m2": 200,
        "rooms": 6,
        "opening_date": "2024-01-01",
        "slots": [{"age_group": "toddler", "slots": 30, "classes": 2, "fee_monthly": 1500}],
        "staff": [
            {
                "name": "王园长",
                "role": "director",
                "education": "bachelor",
                "years_experience": 5,
                "qualification": "育婴员一级",
            }
        ]
        + [{"name": f"保育员{i}", "role": "caregiver", "qualification": "保育师"} for i in range(8)]
        + [
            {"name": "李医生", "role": "health", "qualification": "护士"},
            {"name": "张保安", "role": "security"},
        ],
    }


def seed(url: str) -> dict:
    with session_scope(url) as s:
        f = register_facility(s, facility_data())
        other = register_facility(s, facility_data("370304", 2, "淄川测试托育园"))
        on = dt.date(2024, 2, 1)
        fl = filing.open_filing(s, f.id, actor="operator", on=on)
        filing.transition(s, fl.id, "complete", actor="county", on=on)
        filing.record_checks(s, fl.id, {k: "pass" for k, v in CHECKLIST.items() if not v["auto"]})
        filing.transition(s, fl.id, "accept", actor="county", on=on)
        e = enrolment.enrol(
            s, f.id, {"child_id_number": CHILD_ID, "child_name": CHILD_NAME, "start_on": "2025-03-01"}
        )
        ins = inspections.record_inspection(
            s,
            f.id,
            {
                "visited_on": "2025-04-01",
                "inspector": "刘",
                "result": "corrections",
                "findings": [{"item": "fire_safety", "description": "灭火器过期", "deadline": "2025-04-10"}],
            },
        )
        finding_id = ins.findings[0].id if getattr(ins, "findings", None) else 1
        ids = {
            "facility_id": f.id,
            "other_facility_id": other.id,
            "filing_id": fl.id,
            "enrolment_id": e.id,
            "finding_id": finding_id,
            "credit_code": f.credit_code,
        }
    registry = seed_registry(url)
    return {**ids, **registry, **seed_monitoring(url), **seed_assistance(url), **seed_health(url)}


def seed_assistance(url: str) -> dict:
    """A 370303 assistance list of 2024 with an objection, and a special family with a contact and a task."""
    from cradle.assistance.models import Contact, Cycle, Entry, Family, Objection, Task, Visit

    with session_scope(url) as s:
        c = Cycle(county="370303", year=2024, status="publicized", created_by="seed")
        s.add(c)
        s.flush()
        e = Entry(
            cycle_id=c.id,
            program="zibo.special_assistance_bereaved",
            id_number=ASSIST_ID,
            name=ASSIST_NAME,
            household=ASSIST_ID,
            source="registry",
            reason="x",
            frequency="monthly",
            status="posted",
        )
        f = Family(
            household=ASSIST_ID,
            name=ASSIST_NAME,
            county="370303",
            kind="bereaved",
            joined_on=dt.date(2024, 3, 1),
        )
        s.add_all([e, f])
        s.flush()
        o = Objection(
            entry_id=e.id, raised_on=dt.date(2024, 3, 2), raised_by="seed", grounds=ASSIST_NAME, status="open"
        )
        v = Visit(
            family_id=f.id,
            visited_on=dt.date(2024, 3, 3),
            visitor=ASSIST_NAME,
            done="x",
            needs=[],
            recorded_by="seed",
        )
        s.add_all(
            [
                o,
                v,
                Contact(
                    family_id=f.id,
                    kind="official",
                    name=ASSIST_NAME,
                    since=dt.date(2024, 3, 1),
                    set_by="seed",
                ),
            ]
        )
        s.flush()
        t = Task(
            family_id=f.id,
            visit_id=v.id,
            county="370303",
            need="housing",
            department="zhujian",
            deadline=dt.date(2024, 5, 1),
        )
        s.add(t)
        s.flush()
        return {"entry_id": e.id, "objection_id": o.id, "family_id": f.id, "task_id": t.id}


def seed_monitoring(url: str) -> dict:
    """A 370303 教育局 report on its plan task with an evidence file, a survey of 370303's households (the registry
    rows above) and a what-if run of 370303."""
    from cradle.auth.actor import Actor
    from cradle.monitoring import plan, survey_store
    from cradle.monitoring.models import Run

    edu = Actor(
        id="account:0", role="dept_clerk", region="370303", dept="jiaoyu", name="范围测试", account_id=None
    )
    surveyor = Actor(id="account:0", role="county_official", region="370303", name=MON_MARKERS[2])
    with session_scope(url) as s:
        report = plan.submit(
            s,
            edu,
            "370303",
            "zibo.3-2.1",
            "2025",
            MON_MARKERS[0],
            dt.date(2025, 12, 1),
            files=[(MON_MARKERS[1], "application/pdf", b"%PDF-1.4 scope")],
            today=dt.date(2026, 1, 5),
        )
        sample = survey_store.draw(s, surveyor, "370303", 2024, 1.0, seed=1)
        run = Run(
            kind="whatif",
            region="370303",
            settings={
                "parameter": "x",
                "value": 1,
                "years": [2025],
                "source": "synthetic",
                "persons": 10,
                "on": "2025-06-30",
            },
            status="failed",
            done=0,
            total=3,
            started_by=MON_MARKERS[3],
        )
        s.add(run)
        s.flush()
        return {
            "report_id": report.id,
            "evidence_id": report.evidence[0].id,
            "survey_id": sample.id,
            "monitoring_run_id": run.id,
        }


def seed_health(url: str) -> dict:
    """A 370303 妇幼保健院 with a red-grade pregnancy (its 高危专案), a maternal death report, a child's screening, a
    woman's check, an offer and a 生育咨询指导 follow-up."""
    from types import SimpleNamespace

    from cradle.auth.actor import from_account
    from cradle.auth.testing import make_account
    from cradle.health import deaths, guidance, institutions, pregnancies, screenings
    from cradle.health.models import Offer

    with session_scope(url) as s:
        inst = institutions.register(s, "cli", "HSCOPE01", "范围测试妇幼保健院", "370303", "mch", True)
        inst_id = inst.id
    worker = from_account(make_account(url, "health_worker", "370303", institution_id=inst_id), "session")
    with session_scope(url) as s:
        data = {
            "pregnancy_no": "SCOPE-P1",
            "id_number": HEALTH_ID,
            "name": HEALTH_NAME,
            "filed_on": "2025-01-10",
        }
        pregnancies.file(s, worker, {**data, "weeks": "9"})
        pregnancies.assess(s, worker, "SCOPE-P1", {"grade": "red", "assessed_on": "2025-01-10"})
        death = deaths.report(
            s,
            worker,
            {
                "kind": "maternal",
                "id_number": HEALTH_ID,
                "name": HEALTH_NAME,
                "died_on": "2025-03-01",
                "cause": "O72.1",
            },
        )
        screenings.record_child(
            s,
            worker,
            {
                "kind": "hearing",
                "id_number": HEALTH_CHILD_ID,
                "name": HEALTH_NAME + "之子",
                "recorded_on": "2024-08-10",
                "result": "pass",
            },
        )
        screenings.record_women(
            s,
            worker,
            {
                "kind": "cervical",
                "id_number": HEALTH_ID,
                "name": HEALTH_NAME,
                "served_on": "2025-02-01",
                "result": "normal",
            },
        )
        offer = Offer(
            marriage_ref=1,
            id_number=HEALTH_ID,
            name=HEALTH_NAME,
            sex="F",
            birth_date=dt.date(1993, 3, 3),
            spouse_name="范围测试丈夫",
            region="370303",
            married_on=dt.date(2025, 1, 1),
            kind="premarital",
            status="offered",
            offered_on=dt.date(2025, 1, 2),
            institution_code="HSCOPE01",
        )
        s.add(offer)
        registration = SimpleNamespace(
            reg_no="SYSCOPE1", mother_id_number=HEALTH_ID, mother_name=HEALTH_NAME, residence_region="370303"
        )
        follow_up = guidance.for_registration(s, registration)
        s.flush()
        return {
            "pregnancy_no": "SCOPE-P1",
            "case_id": pregnancies.detail(s, worker, "SCOPE-P1")["case"].id,
            "death_id": death.id,
            "offer_id": offer.id,
            "guidance_id": follow_up.id,
            "institution_code": "HSCOPE01",
        }


def seed_registry(url: str) -> dict:
    """A 370303 公安 file: one person stored, one row quarantined (bad check digit); a look-alike without an ID
    number queued against the person, and another merged into them."""
    from cradle.registry import identity
    from cradle.registry import models as m
    from cradle.registry.ingest import ingest_file

    head = "record_no,id_number,name,sex,birth_date,event,event_date,hukou_region,household_no,relation_to_head\n"
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "gongan.csv"
        path.write_text(
            head + f"S1,{REG_ID},{REG_NAMES[0]},2,1991-05-06,register,1991-05-06,370303,H9,02\n"
            f"S2,{REG_BAD_ID},{REG_NAMES[1]},2,1991-05-06,register,1991-05-06,370303,H9,20\n",
            encoding="utf-8",
        )
        engine = make_engine(url)
        run_id = ingest_file("gongan", path, engine=engine).run_id
        engine.dispose()
    with session_scope(url) as s:
        (person,) = s.query(m.Person).filter(m.Person.id_number == REG_ID).all()
        (row,) = s.query(m.QuarantineRow).filter(m.QuarantineRow.run_id == run_id).all()
        born = dt.date(1991, 5, 6)
        lookalike = m.Person(name=REG_NAMES[2], sex="F", birth_date=born, region="370303")
        merged = m.Person(name=REG_NAMES[3], sex="F", birth_date=born, region="370303")
        s.add_all([lookalike, merged])
        s.flush()
        cand = m.MatchCandidate(
            person_id=lookalike.id, candidate_id=person.id, basis=identity.BASIS, status="pending"
        )
        s.add(cand)
        merge = identity.merge(s, merged.id, person.id, actor="seed", reason="测试合并")
        s.flush()
        return {
            "run_id": run_id,
            "person_id": person.id,
            "row_id": row.id,
            "candidate_id": cand.id,
            "merge_id": merge.id,
        }


def markers(ids: dict) -> list[str]:
    return [
        FACILITY_NAME,
        CHILD_ID,
        CHILD_NAME,
        ids["credit_code"],
        "灭火器过期",
        REG_ID,
        REG_BAD_ID,
        *REG_NAMES,
        ASSIST_NAME,
        ASSIST_ID,
        *MON_MARKERS,
        HEALTH_ID,
        HEALTH_NAME,
        HEALTH_CHILD_ID,
    ]
