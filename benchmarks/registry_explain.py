"""The population data hub's main queries on PostgreSQL, measured: EXPLAIN (ANALYZE, BUFFERS) of each on a
throw-away server (production settings) holding a synthetic county registry, with the tables' and indexes'
sizes; and the same per-person and per-chunk reads against a fact table partitioned by person (by hash, and by
ranges of ids), the choice docs/deploy.md makes for a province.

    flock /tmp/bench.lock .venv/bin/python benchmarks/registry_explain.py --persons 500000 [--region 140105]

The SQL is each query as the code sends it (cradle.registry.lookup, identity, household, kinship, quarantine;
cradle.batch.registry_source and registry_region), with one person's, 户's or chunk's values; an IN list of
ids is written as the `= ANY(array)` PostgreSQL makes of it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from cradle.db import make_engine, upgrade
from cradle.registry.ingest import ingest_directory
from cradle.synth.feeds import write_feeds
from cradle.synth.population import generate
from cradle.testing.postgres import PRODUCTION_SETTINGS, start_temp_postgres

ON = dt.date(2025, 6, 30)
PARTITIONS = 16


def queries(p: dict) -> list[tuple[str, str, dict]]:
    """(what, SQL, parameters) for each query measured."""
    one = {"id": p["person"], "on": ON}
    return [
        (
            "lookup.find_person: a person by ID number (ingest joins on the same index)",
            "SELECT * FROM registry_person WHERE id_number = :n",
            {"n": p["id_number"]},
        ),
        (
            "identity.cluster: records merged into a person",
            "SELECT id FROM registry_person WHERE merged_into_id IN (:id)",
            one,
        ),
        (
            "household._latest: a person's newest 户籍 event on the date",
            "SELECT * FROM registry_hukou_event WHERE person_id IN (:id) AND valid_from <= :on "
            "ORDER BY valid_from DESC, source_id DESC LIMIT 1",
            one,
        ),
        (
            "household.parents: a person's mother and father, birth records first",
            "SELECT r.relation, r.relative_id FROM registry_relation r "
            "LEFT JOIN registry_source_record s ON s.id = r.source_id "
            "WHERE r.person_id IN (:id) AND r.relation IN ('mother', 'father') AND r.valid_from <= :on "
            "ORDER BY r.relation DESC, CASE WHEN s.dept = 'weijian' THEN 1 ELSE 0 END, r.valid_from, r.source_id",
            one,
        ),
        (
            "household.children: persons whose mother or father is the person",
            "SELECT person_id FROM registry_relation WHERE relative_id IN (:mother) "
            "AND relation IN ('mother', 'father') AND valid_from <= :on",
            {"mother": p["mother"], "on": ON},
        ),
        (
            "household.spouse: the newest marriage event",
            "SELECT * FROM registry_marriage WHERE (person_id IN (:mother) OR spouse_id IN (:mother)) "
            "AND valid_from <= :on ORDER BY valid_from DESC, source_id DESC LIMIT 1",
            {"mother": p["mother"], "on": ON},
        ),
        (
            "registry_region.RegionFacts: one table's facts for a chunk of 5,000 persons",
            "SELECT * FROM registry_insurance WHERE person_id = ANY(CAST(:ids AS bigint[])) AND valid_from <= :on",
            {"ids": p["chunk"], "on": ON},
        ),
        (
            "registry_source.region_persons: every person's newest 户籍 event (the batch's first read)",
            "SELECT count(*) FROM registry_hukou_event h JOIN (SELECT person_id, max(valid_from) AS d "
            "FROM registry_hukou_event WHERE valid_from <= :on GROUP BY person_id) l "
            "ON l.person_id = h.person_id AND l.d = h.valid_from "
            "JOIN registry_person p ON p.id = h.person_id "
            "WHERE p.id_number IS NOT NULL AND p.merged_into_id IS NULL",
            {"on": ON},
        ),
        (
            "kinship: the events of one 户 (region, 户号)",
            "SELECT * FROM registry_hukou_event WHERE region = :region AND household_no = :hh",
            {"region": p["region"], "hh": p["household_no"]},
        ),
        (
            "identity matching: look-alikes without an ID number (partial index)",
            "SELECT id FROM registry_person WHERE birth_date = :d AND name = :name AND id_number IS NULL",
            {"d": p["birth_date"], "name": p["name"]},
        ),
        (
            "ingest: a department's record by its number",
            "SELECT id FROM registry_source_record WHERE dept = 'gongan' AND record_no = :r",
            {"r": p["record_no"]},
        ),
        (
            "quarantine: a county's open rows, first page",
            "SELECT * FROM registry_quarantine WHERE region = :region AND status = 'open' ORDER BY id LIMIT 50",
            {"region": p["region"]},
        ),
    ]


def samples(conn) -> dict:
    q = lambda sql: conn.execute(text(sql)).first()  # noqa: E731
    mother = q(
        "SELECT mother_id FROM registry_birth ORDER BY source_id OFFSET (SELECT count(*) / 2 FROM registry_birth) LIMIT 1"
    )[0]
    person = q(f"SELECT person_id FROM registry_relation WHERE relative_id = {mother} LIMIT 1")[0]
    hh = q(
        f"SELECT region, household_no FROM registry_hukou_event WHERE person_id = {mother} AND household_no IS NOT NULL LIMIT 1"
    )
    unnumbered = q("SELECT birth_date, name FROM registry_person WHERE id_number IS NULL LIMIT 1") or (
        ON,
        "无",
    )
    chunk = [
        r[0]
        for r in conn.execute(text("SELECT id FROM registry_person ORDER BY id LIMIT 5000 OFFSET 100000"))
    ]
    return {
        "mother": mother,
        "person": person,
        "id_number": q(f"SELECT id_number FROM registry_person WHERE id = {mother}")[0],
        "region": hh[0],
        "household_no": hh[1],
        "birth_date": unnumbered[0],
        "name": unnumbered[1],
        "record_no": q(
            "SELECT record_no FROM registry_source_record WHERE dept = 'gongan' OFFSET 777 LIMIT 1"
        )[0],
        "chunk": chunk,
    }


def explain(conn, sql: str, params: dict, seqscan: bool = True) -> str:
    """The plan as run; a long id list is shown as its length. `seqscan=False` shows the index path, which the
    planner takes on its own once a table is large against the list (a province's tables are ~70× these)."""
    conn.execute(text(f"SET enable_seqscan = {'on' if seqscan else 'off'}"))
    rows = conn.execute(text(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}"), params).scalars().all()
    conn.execute(text("RESET enable_seqscan"))
    return re.sub(
        r"'\{[0-9,]{200,}\}'", lambda m: f"'{{…{m.group(0).count(',') + 1} ids…}}'", "\n".join(rows)
    )


def sizes(conn) -> str:
    """Every registry table and index with its rows (the planner's estimate) and size on disk."""
    rows = conn.execute(
        text(
            "SELECT t.relname, t.relname, t.reltuples::bigint, pg_relation_size(t.oid) FROM pg_class t "
            "WHERE t.relkind = 'r' AND t.relname LIKE 'registry%' "
            "UNION ALL SELECT t.relname, i.relname, NULL, pg_relation_size(i.oid) FROM pg_index x "
            "JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE t.relname LIKE 'registry%' ORDER BY 1, 3 NULLS LAST, 2"
        )
    ).all()
    return "\n".join(
        f"{name:45s} {f'{tuples:,d} rows' if tuples is not None else '':>16s} {size / 2**20:9.1f} MiB"
        if tuples is not None
        else f"  {name:43s} {'':>16s} {size / 2**20:9.1f} MiB"
        for _table, name, tuples, size in rows
    )


def partitioned(conn, p: dict, method: str) -> list[tuple[str, str]]:
    """registry_insurance copied into a table partitioned by person (`method` HASH or RANGE of person_id, in
    PARTITIONS parts), keyed (person_id, source_id) in every partition."""
    conn.execute(text("DROP TABLE IF EXISTS part_insurance"))
    conn.execute(
        text(
            "CREATE TABLE part_insurance (LIKE registry_insurance INCLUDING DEFAULTS) "
            f"PARTITION BY {method} (person_id)"
        )
    )
    lo, hi = conn.execute(text("SELECT min(person_id), max(person_id) + 1 FROM registry_insurance")).one()
    step = -(-(hi - lo) // PARTITIONS)
    for i in range(PARTITIONS):
        bounds = (
            f"WITH (MODULUS {PARTITIONS}, REMAINDER {i})"
            if method == "HASH"
            else f"FROM ({lo + i * step}) TO ({lo + (i + 1) * step})"
        )
        conn.execute(text(f"CREATE TABLE part_insurance_{i} PARTITION OF part_insurance FOR VALUES {bounds}"))
    conn.execute(text("INSERT INTO part_insurance SELECT * FROM registry_insurance"))
    conn.execute(text("ALTER TABLE part_insurance ADD PRIMARY KEY (person_id, source_id)"))
    conn.execute(text("ANALYZE part_insurance"))
    conn.commit()
    one = (
        "SELECT * FROM part_insurance WHERE person_id IN (:id) AND valid_from <= :on "
        "ORDER BY valid_from DESC, source_id DESC LIMIT 1"
    )
    chunk = "SELECT * FROM part_insurance WHERE person_id = ANY(CAST(:ids AS bigint[])) AND valid_from <= :on"
    ids = {"ids": p["chunk"], "on": ON}
    return [
        ("one person", explain(conn, one, {"id": p["mother"], "on": ON})),
        ("5,000 persons, as planned", explain(conn, chunk, ids)),
        ("5,000 persons, index path", explain(conn, chunk, ids, seqscan=False)),
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=500_000)
    ap.add_argument("--region", default="140105")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    server = start_temp_postgres(PRODUCTION_SETTINGS)
    try:
        url = server.create_database("registry")
        upgrade(url)
        engine = make_engine(url)
        with tempfile.TemporaryDirectory(prefix="cradle-explain-") as d:
            t0 = time.perf_counter()
            write_feeds(generate(args.region, args.persons, args.seed, ON), Path(d), seed=args.seed)
            t1 = time.perf_counter()
            ingest_directory(d, engine=engine)
            t2 = time.perf_counter()
        print(
            f"# {args.persons:,d} synthetic persons of {args.region}: feeds {t1 - t0:.0f} s, ingest {t2 - t1:.0f} s"
        )
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
            print("\n## Tables and indexes\n")
            print(sizes(conn))
            total = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
            print(f"\ndatabase: {total / 2**20:.0f} MiB")
            p = samples(conn)
            for what, sql, params in queries(p):
                print(f"\n## {what}\n\n{sql}\n")
                print(explain(conn, sql, params))
                if "5,000" in what:
                    print("\n### index path\n")
                    print(explain(conn, sql, params, seqscan=False))
                conn.rollback()
            for method in ("HASH", "RANGE"):
                print(
                    f"\n## registry_insurance partitioned by {method} (person_id), {PARTITIONS} partitions\n"
                )
                for what, plan in partitioned(conn, p, method):
                    print(f"\n### {what}\n\n{plan}")
        engine.dispose()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
