"""Mother and father links from 公安's household register, for persons the 卫健 birth records do not cover.

Birth records (from 2000 on) are the only other source of parents, so adults born earlier would have no
parents and no grandparents in `cradle household`. The 户 says more: a child of the head (GB/T 4761 `20` 子,
`30` 女) is the child of the head and of the head's spouse (`10`/`11`/`12`), mother or father by their sex; a
grandchild of the head (`40`) is the child of the head's child in the same 户, when there is exactly one.

Set-based, the same SQL on both databases, run after each 公安 ingest (`cradle.registry.ingest.ingest_frames`)
over the households (region + 户号) that run touched, each judged with all its members stored so far, so a 户
split across files or batches is judged once all of it is in and the result is that of the whole register (the
derivation reads only the 户's own events; persons, births and links are never changed by a 公安 run). A
one-row correction file pays for its own 户, not for the register. Runs that failed or were interrupted never
derived their 户, so their households are taken in too. A link is a relation row whose source is the 公安 record that names the child's place in the 户 (a fact keeps its source),
written once (idempotent), never for a person who has a 卫健 birth record, and only when unambiguous: one
head, one spouse, parents of different sexes, each born before the child.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, text

HEAD, SPOUSE, CHILD, GRANDCHILD = ("01", "02"), ("10", "11", "12"), ("20", "30"), ("40",)
_PLACED = "event IN ('register', 'move_in') AND household_no IS NOT NULL"
# Subqueries over the base table, not CTEs: PostgreSQL plans a CTE used several times from no statistics, and
# its one-row guesses turned the anti-joins into nested loops over the whole registry.
WHOLE = "registry_hukou_event"
# Records of a run beyond which the whole register is judged at once (the same links): building the scope and
# probing it cost more than one hash pass over all the events (benchmarks/kinship_derive.py).
WHOLE_BEYOND = 20_000
SCOPE = "kinship_scope"  # temporary: the (region, 户号) pairs a run touched
# The touched 户's events, found through ix_registry_hukou_event_household (one probe per 户).
# A semi-join, not a join: PostgreSQL estimated the join of two (region, 户号) sets at one row and took nested
# loops; IN lets SQLite drive the probes from the scope and PostgreSQL hash it when the scope is large.
SCOPED = (
    "(SELECT * FROM registry_hukou_event WHERE (region, household_no) IN "
    f"(SELECT region, household_no FROM {SCOPE}))"
)


def _members(events: str) -> str:
    return (
        "(SELECT source_id, person_id, region, household_no AS hh, relation_to_head AS rel, valid_from "
        f"FROM {events} ev WHERE {_PLACED} AND relation_to_head IS NOT NULL)"
    )


RELATION = "CASE WHEN p.sex = 'F' THEN 'mother' ELSE 'father' END"


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(f"'{c}'" for c in codes)


def _one(codes: tuple[str, ...], name: str) -> str:
    """The 户's one person holding one of `codes`, NULL if none or several (MIN = MAX)."""
    pid = f"CASE WHEN rel IN ({_codes(codes)}) THEN person_id END"
    return f"CASE WHEN MIN({pid}) = MAX({pid}) THEN MIN({pid}) END AS {name}"


def _households(events: str) -> str:
    """One row per 户 with its one head, spouse and child of the head: one GROUP BY over the members, where three
    (one per role, each joined back) made PostgreSQL misjudge the HAVING filters' rows and loop over the scope."""
    return (
        f"(SELECT region, hh, {_one(HEAD, 'head')}, {_one(SPOUSE, 'spouse')}, {_one(CHILD, 'child')} "
        f"FROM {_members(events)} mm GROUP BY region, hh)"
    )


# Each child of the head meets the head (kind 1) and the spouse (2); a grandchild the head's child (3).
_KINDS = "(SELECT 1 AS kind UNION ALL SELECT 2 UNION ALL SELECT 3)"
_PARENT = "CASE n.kind WHEN 1 THEN h.head WHEN 2 THEN h.spouse ELSE h.child END"


def _links(events: str) -> str:
    return (
        f"SELECT c.source_id, c.person_id, {_PARENT} AS parent, c.valid_from FROM {_members(events)} c "
        f"JOIN {_households(events)} h ON h.region = c.region AND h.hh = c.hh "
        f"JOIN {_KINDS} n ON (n.kind < 3 AND c.rel IN ({_codes(CHILD)})) "
        f"OR (n.kind = 3 AND c.rel IN ({_codes(GRANDCHILD)}))"
    )


# Two candidates for one relation of one record (head and spouse of one sex): neither. A person with a 卫健
# birth record (registry_birth, whose source also gave the birth-record links) gets nothing from the 户.
def derive_sql(events: str) -> str:
    return f"""
INSERT INTO registry_relation (source_id, relation, person_id, relative_id, valid_from)
SELECT l.source_id, l.relation, l.person_id, l.relative_id, l.valid_from FROM (
    SELECT c.source_id, {RELATION} AS relation, MIN(c.person_id) AS person_id, MIN(c.parent) AS relative_id,
           MIN(c.valid_from) AS valid_from
    FROM ({_links(events)}) c
    JOIN registry_person p ON p.id = c.parent
    JOIN registry_person k ON k.id = c.person_id
    WHERE c.parent <> c.person_id AND p.birth_date < k.birth_date
    GROUP BY c.source_id, {RELATION} HAVING COUNT(*) = 1
) l
WHERE NOT EXISTS (SELECT 1 FROM registry_relation r WHERE r.source_id = l.source_id AND r.relation = l.relation)
  AND NOT EXISTS (SELECT 1 FROM registry_birth b WHERE b.child_id = l.person_id)
"""


# The run's records, and those of 公安 runs that ended without deriving (failed, interrupted, killed): their
# committed batches count as duplicates when the file is ingested again, so the new run would not name them.
_RUNS = "SELECT id FROM registry_ingest_run WHERE id = :run OR (dept = 'gongan' AND status <> 'done')"
# The run ids as values, not as a subquery: PostgreSQL then reads their frequency from the statistics and probes
# ix_registry_source_record_run_id for a small run (as a subquery it guessed a share of the table and scanned it).
_RECORDS = text("SELECT COUNT(*) FROM registry_source_record WHERE run_id IN :runs").bindparams(
    bindparam("runs", expanding=True)
)
_TOUCHED = f"""
INSERT INTO {SCOPE} (region, household_no)
SELECT DISTINCT e.region, e.household_no FROM registry_hukou_event e
JOIN registry_source_record s ON s.id = e.source_id
WHERE e.household_no IS NOT NULL AND s.run_id IN :runs
"""


def derive_parents(conn: Connection, run_id: int | None = None) -> int:
    """Write the 户-derived mother/father links not yet stored, over the households run `run_id` touched (None:
    the whole register); returns how many (the caller commits)."""
    runs = [] if run_id is None else list(conn.execute(text(_RUNS), {"run": run_id}).scalars())
    if run_id is None or conn.execute(_RECORDS, {"runs": runs}).scalar_one() > WHOLE_BEYOND:
        return conn.execute(text(derive_sql(WHOLE))).rowcount or 0
    conn.execute(text(f"DROP TABLE IF EXISTS {SCOPE}"))
    conn.execute(
        text(
            f"CREATE TEMPORARY TABLE {SCOPE} (region VARCHAR(6) NOT NULL, household_no VARCHAR(32) NOT NULL, "
            "PRIMARY KEY (region, household_no))"
        )
    )
    try:
        conn.execute(text(_TOUCHED).bindparams(bindparam("runs", expanding=True)), {"runs": runs})
        conn.execute(text(f"ANALYZE {SCOPE}"))  # its row count, for the planner
        return conn.execute(text(derive_sql(SCOPED))).rowcount or 0
    finally:
        conn.execute(text(f"DROP TABLE IF EXISTS {SCOPE}"))
