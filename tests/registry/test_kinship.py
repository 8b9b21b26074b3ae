"""Parents from 公安's household register for persons born before the 卫健 birth records, on both databases."""

import datetime as dt
import json
import threading

import polars as pl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cradle.cli import app
from cradle.db import make_engine
from cradle.idcard import make_id_number
from cradle.registry import kinship
from cradle.registry import models as m
from cradle.registry.household import build_household
from cradle.registry.ingest import ingest_file

ON = dt.date(2025, 7, 1)
COLS = [
    "record_no",
    "id_number",
    "name",
    "sex",
    "birth_date",
    "event",
    "event_date",
    "hukou_region",
    "household_no",
    "relation_to_head",
    "hukou_type",
]
_seq = iter(range(100, 999))


def _id(born: str, sex: str) -> str:
    return make_id_number("370303", dt.date.fromisoformat(born), next(_seq), sex)


def _person(rec: str, name: str, sex: str, born: str, hh: str, rel: str) -> dict:
    return {"rec": rec, "id": _id(born, sex), "name": name, "sex": sex, "born": born, "hh": hh, "rel": rel}


# 户 H1: three generations; the grandchild (born 1995) has no birth record
ZHANG = _person("G01", "张建国", "M", "1940-02-03", "H1", "02")
LI = _person("G02", "李秀英", "F", "1942-05-06", "H1", "10")
WEI = _person("G03", "张伟", "M", "1968-07-08", "H1", "20")
WANG = _person("G04", "王芳", "F", "1970-01-02", "H1", "80")
LILY = _person("G05", "张丽", "F", "1995-09-10", "H1", "40")
# 户 H2: a daughter born 1995, and a son whose 卫健 birth record names another father
ZHAO = _person("G11", "赵刚", "M", "1966-03-04", "H2", "02")
QIAN = _person("G12", "钱红", "F", "1968-04-05", "H2", "10")
MIN = _person("G13", "赵敏", "F", "1995-06-07", "H2", "30")
QIANG = _person("G14", "赵强", "M", "2010-08-09", "H2", "20")
SUN = _person("G15", "孙明", "M", "1965-10-11", "H9", "02")
# 户 H3: two children of the head, so the grandchild's parent is ambiguous
ZHOU = _person("G21", "周海", "M", "1945-01-01", "H3", "02")
ZHOU_A = _person("G22", "周安", "M", "1970-02-02", "H3", "20")
ZHOU_B = _person("G23", "周蓓", "F", "1972-03-03", "H3", "30")
ZHOU_C = _person("G24", "周晨", "F", "1998-04-04", "H3", "40")
# 户 H5: a child with derived parents first, whose later birth record names another father
WU = _person("G31", "吴勇", "M", "1975-05-05", "H5", "02")
ZHENG = _person("G32", "郑丹", "F", "1977-06-06", "H5", "10")
WU_JR = _person("G33", "吴小", "M", "2012-07-07", "H5", "20")
FENG = _person("G34", "冯涛", "M", "1974-08-08", "H8", "02")
EVERYONE = [
    ZHANG,
    LI,
    WEI,
    WANG,
    LILY,
    ZHAO,
    QIAN,
    MIN,
    QIANG,
    SUN,
    ZHOU,
    ZHOU_A,
    ZHOU_B,
    ZHOU_C,
    WU,
    ZHENG,
    WU_JR,
    FENG,
]


def _gongan(path, people, event="register", on=None):
    rows = [
        [
            p["rec"],
            p["id"],
            p["name"],
            "1" if p["sex"] == "M" else "2",
            p["born"],
            event,
            on or p["born"],
            "370303",
            p["hh"],
            p["rel"],
            "2",
        ]
        for p in people
    ]
    pl.DataFrame(rows, schema=dict.fromkeys(COLS, pl.String), orient="row").write_csv(path)


def _birth(path, rec, child, mother, father):
    pl.DataFrame(
        [
            {
                "record_no": rec,
                "id_number": child["id"],
                "name": child["name"],
                "sex": "1" if child["sex"] == "M" else "2",
                "birth_date": child["born"],
                "event": "birth",
                "event_date": child["born"],
                "region": "370303",
                "mother_id_number": mother["id"],
                "mother_name": mother["name"],
                "father_id_number": father["id"],
                "father_name": father["name"],
                "birth_order": "1",
                "babies": "1",
                "delivery_mode": "1",
                "dystocia": "0",
                "in_policy_cost": "5000",
            }
        ]
    ).write_csv(path)


def _parents(s: Session, person: dict) -> dict[str, tuple[str, str]]:
    """relation → (relative's name, the source department)."""
    rel = m.Relation
    q = (
        select(rel.relation, m.Person.name, m.SourceRecord.dept)
        .join(m.Person, m.Person.id == rel.relative_id)
        .join(m.SourceRecord, m.SourceRecord.id == rel.source_id)
        .where(rel.person_id == _pid(s, person), rel.relation.in_(("mother", "father")))
    )
    found = s.execute(q).all()
    assert len(found) == len({r for r, _, _ in found}), found  # one link per relation
    return {r: (name, dept) for r, name, dept in found}


def _pid(s: Session, person: dict) -> int:
    return s.execute(select(m.Person.id).where(m.Person.id_number == person["id"])).scalar_one()


def test_parents_and_grandparents_from_the_household_register(migrated_db_url, tmp_path, monkeypatch):
    engine = make_engine(migrated_db_url)
    _birth(tmp_path / "weijian.csv", "W1", QIANG, QIAN, SUN)  # 卫健 first for 赵强
    ingest_file("weijian", tmp_path / "weijian.csv", engine=engine)
    _gongan(tmp_path / "gongan.csv", EVERYONE)
    assert ingest_file("gongan", tmp_path / "gongan.csv", engine=engine).accepted == len(EVERYONE)

    with Session(engine) as s:
        assert _parents(s, LILY) == {"father": ("张伟", "gongan")}  # the head's only child in the 户
        assert _parents(s, WEI) == {"father": ("张建国", "gongan"), "mother": ("李秀英", "gongan")}
        assert _parents(s, MIN) == {"father": ("赵刚", "gongan"), "mother": ("钱红", "gongan")}
        assert _parents(s, QIANG) == {
            "father": ("孙明", "weijian"),
            "mother": ("钱红", "weijian"),
        }  # not overridden
        assert _parents(s, ZHOU_A) == {"father": ("周海", "gongan")}
        assert _parents(s, ZHOU_C) == {}  # two children of the head: which one is the parent is not known
        assert _parents(s, ZHANG) == {} and _parents(s, WANG) == {}
        # each derived link points at the 公安 record that placed the child in the 户
        rec = s.execute(
            select(m.SourceRecord.record_no)
            .join(m.Relation, m.Relation.source_id == m.SourceRecord.id)
            .where(m.Relation.person_id == _pid(s, LILY))
        ).scalar_one()
        assert rec == LILY["rec"]
        links = s.execute(select(func.count()).select_from(m.Relation)).scalar_one()

    # `cradle household` for the grandchild born in 1995 finds her father and his parents
    monkeypatch.setenv("CRADLE_DATABASE_URL", migrated_db_url)
    out = CliRunner().invoke(app, ["household", LILY["id"], "--on", ON.isoformat()])
    assert out.exit_code == 0, out.output
    members = {x["name"]: x["relation"] for x in json.loads(out.stdout)["members"]}
    assert members == {"张伟": "father", "张丽": "child", "张建国": "grandparent", "李秀英": "grandparent"}
    with Session(engine) as s:
        h = {x["name"]: x["relation"] for x in build_household(s, MIN["id"], ON)["members"]}
        assert h["赵刚"] == "father" and h["钱红"] == "mother" and h["赵敏"] == "child"

    # another 公安 run, and the derivation run again, store no link twice
    _gongan(tmp_path / "gongan2.csv", [{**FENG, "rec": "G98"}], event="move_out")
    ingest_file("gongan", tmp_path / "gongan2.csv", engine=engine)
    with engine.begin() as conn:
        assert kinship.derive_parents(conn) == 0
    with Session(engine) as s:
        assert s.execute(select(func.count()).select_from(m.Relation)).scalar_one() == links
    engine.dispose()


def test_a_later_birth_record_wins_over_the_household_register(migrated_db_url, tmp_path):
    engine = make_engine(migrated_db_url)
    # moved in after the birth: the 户's links are newer than the birth record's, which must still win
    _gongan(tmp_path / "gongan.csv", [WU, ZHENG, WU_JR, FENG], event="move_in", on="2020-01-01")
    ingest_file("gongan", tmp_path / "gongan.csv", engine=engine)
    with Session(engine) as s:
        assert _parents(s, WU_JR) == {"father": ("吴勇", "gongan"), "mother": ("郑丹", "gongan")}
    _birth(tmp_path / "weijian.csv", "W1", WU_JR, ZHENG, FENG)
    ingest_file("weijian", tmp_path / "weijian.csv", engine=engine)
    with Session(engine) as s:
        h = {x["name"]: x["relation"] for x in build_household(s, WU_JR["id"], ON)["members"]}
        assert h["冯涛"] == "father" and h["郑丹"] == "mother" and "吴勇" not in h
        # the batch's bulk registry source answers the same (cradle.batch.registry_region)
        from cradle.batch.registry_region import RegionFacts
        from cradle.registry.household import household_of

        child = s.get(m.Person, _pid(s, WU_JR))
        bulk = household_of(RegionFacts(s, ON, [child.id]), child)
        assert {x["name"]: x["relation"] for x in bulk["members"]} == h
    engine.dispose()


def _links(conn) -> set[tuple]:
    rel = m.Relation
    return set(
        conn.execute(select(rel.source_id, rel.relation, rel.person_id, rel.relative_id, rel.valid_from))
    )


def test_a_run_judges_only_the_households_it_touched(migrated_db_url, tmp_path, monkeypatch):
    engine = make_engine(migrated_db_url)
    # 户 H1 split across two files: the grandchild comes in the second, which touches no other 户
    first = [p for p in EVERYONE if p is not LILY]
    _gongan(tmp_path / "gongan1.csv", first)
    ingest_file("gongan", tmp_path / "gongan1.csv", engine=engine)
    with Session(engine) as s:
        assert _parents(s, WEI) == {"father": ("张建国", "gongan"), "mother": ("李秀英", "gongan")}
        min_id = _pid(s, MIN)
    # 户 H2 loses its links: only a run touching H2 (or the whole register) restores them
    with engine.begin() as conn:
        conn.execute(m.Relation.__table__.delete().where(m.Relation.person_id == min_id))
        before = _links(conn)
    _gongan(tmp_path / "gongan2.csv", [LILY])
    ingest_file("gongan", tmp_path / "gongan2.csv", engine=engine)
    with engine.connect() as conn:
        added = _links(conn) - before
        assert _links(conn) >= before
    with Session(engine) as s:
        # judged with the members the first file stored: the head's only child is her father
        assert _parents(s, LILY) == {"father": ("张伟", "gongan")}
        assert _parents(s, MIN) == {}  # H2 was not touched by the second run
        assert {r[2] for r in added} == {_pid(s, LILY)}

    # the whole-register derivation restores H2 and otherwise finds what the scoped runs wrote
    with engine.begin() as conn:
        assert kinship.derive_parents(conn) == 2
        scoped = _links(conn)
    with Session(engine) as s:
        assert _parents(s, MIN) == {"father": ("赵刚", "gongan"), "mother": ("钱红", "gongan")}
    # from nothing: the whole register and a scope of every 户 write the same links
    with engine.connect() as conn:
        conn.execute(m.Relation.__table__.delete())
        assert kinship.derive_parents(conn) == len(scoped)
        whole = _links(conn)
        conn.rollback()
        conn.execute(m.Relation.__table__.delete())
        conn.execute(m.IngestRun.__table__.update().values(status="failed"))  # never derived: all in scope
        assert kinship.derive_parents(conn, run_id=0) == len(scoped)
        assert _links(conn) == whole == scoped
        conn.rollback()
        # a register too large for one pass is judged in parts by the 户号's last character: the same links
        conn.execute(m.Relation.__table__.delete())
        monkeypatch.setattr(kinship, "PART_MEMBERS", 4)
        assert len(kinship._whole_in_parts(conn)) >= 3
        assert kinship.derive_parents(conn) == len(scoped)
        assert _links(conn) == whole
        conn.rollback()
    engine.dispose()


def test_sqlite_reads_the_register_through_a_child_process_as_its_cursor_would(
    migrated_sqlite_url, tmp_path, monkeypatch
):

    engine = make_engine(migrated_sqlite_url)
    _gongan(tmp_path / "gongan.csv", EVERYONE)
    ingest_file("gongan", tmp_path / "gongan.csv", engine=engine)
    with engine.connect() as conn:
        members, persons = kinship._members_sql(kinship.WHOLE), kinship._persons_sql(kinship.WHOLE)
        assert kinship._committed_file(conn)  # nothing uncommitted: the child process reads
        by_child = (
            kinship._read(conn, members, kinship.MEMBERS),
            kinship._read(conn, persons, kinship.PERSONS),
        )
        with monkeypatch.context() as mp:
            mp.setattr(kinship, "_committed_file", lambda conn: None)
            by_cursor = (
                kinship._read(conn, members, kinship.MEMBERS),
                kinship._read(conn, persons, kinship.PERSONS),
            )
        assert by_child[0].height == len(EVERYONE) - 1 and by_child[1].height == len(EVERYONE)  # 王芳: 其他
        for a, b in zip(by_child, by_cursor, strict=True):
            assert a.schema == b.schema and a.sort(a.columns).equals(b.sort(b.columns))
        conn.execute(m.Relation.__table__.delete())  # uncommitted: a reader elsewhere would not see it
        assert kinship._committed_file(conn) is None
    engine.dispose()


def test_a_failed_read_of_the_register_names_the_file(tmp_path):
    import sqlite3

    path = tmp_path / "register.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (a INTEGER)")
    with pytest.raises(RuntimeError, match="(?s)register.db.*no such column: missing"):
        list(kinship._arrow_batches(str(path), "SELECT missing FROM t"))


def test_a_commit_by_another_writer_while_a_run_derives_its_links_does_not_fail_the_run(
    svc_sqlite_url, tmp_path, monkeypatch
):
    """SQLite: a run's links are judged from reads and written after them. Had the reads begun a transaction that
    only later wrote, any commit by another connection meanwhile (a citizen's submission during the daily ingest)
    would fail the write at once, without waiting (SQLITE_BUSY_SNAPSHOT). The write lock is taken first instead:
    the other writer waits for the run, and both land."""
    engine = make_engine(svc_sqlite_url)
    _gongan(tmp_path / "gongan1.csv", [p for p in EVERYONE if p is not LILY])
    ingest_file("gongan", tmp_path / "gongan1.csv", engine=engine)
    other = make_engine(svc_sqlite_url)
    landed = []
    judge = kinship.links

    def judged_while_another_writer_commits(members, persons):
        def write():
            with other.begin() as conn:
                conn.execute(
                    m.Person.__table__.update().where(m.Person.id_number == SUN["id"]).values(name="孙明明")
                )
                landed.append(True)

        writer = threading.Thread(target=write)
        writer.start()
        writer.join(timeout=1)  # it waits for the run's lock (30 s busy timeout), so it is still waiting now
        monkeypatch.setattr(kinship, "_late_writer", writer, raising=False)
        return judge(members, persons)

    monkeypatch.setattr(kinship, "links", judged_while_another_writer_commits)
    _gongan(tmp_path / "gongan2.csv", [LILY])
    ingest_file("gongan", tmp_path / "gongan2.csv", engine=engine)
    kinship._late_writer.join(timeout=30)
    assert landed == [True]
    with Session(engine) as s:
        assert _parents(s, LILY) == {"father": ("张伟", "gongan")}
    engine.dispose()
    other.dispose()


def test_a_run_is_judged_whole_only_when_it_is_large_against_the_register(migrated_db_url):
    """A day's feed into a large register derives its own 户 (scoped); a run of as many records as the register
    has persons, or more, judges the whole register; a small run never does."""
    engine = make_engine(migrated_db_url)
    with Session(engine) as s:
        # the register's size is read from its highest person id
        s.add(m.Person(id=1_000_000, name="甲", sex="F", birth_date=dt.date(1990, 1, 1)))
        s.commit()
    with engine.connect() as conn:
        assert not kinship._judged_whole(conn, 15_000)  # within WHOLE_BEYOND
        assert not kinship._judged_whole(conn, 60_000)  # a day's feed into a million persons
        assert kinship._judged_whole(conn, 600_000)  # more than half as many records as persons
