"""Mother and father links from 公安's household register, for persons the 卫健 birth records do not cover.

Birth records (from 2000 on) are the only other source of parents, so adults born earlier would have no
parents and no grandparents in `cradle household`. The 户 says more: a child of the head (GB/T 4761 `20` 子,
`30` 女) is the child of the head and of the head's spouse (`10`/`11`/`12`), mother or father by their sex; a
grandchild of the head (`40`) is the child of the head's child in the same 户, when there is exactly one.

Set-based, the same SQL on both databases, run after each 公安 ingest (`cradle.registry.ingest.ingest_frames`)
over the whole register, so a 户 split across files or batches is judged once all of it is in. A link is a
relation row whose source is the 公安 record that names the child's place in the 户 (a fact keeps its source),
written once (idempotent), never for a person a 卫健 birth record gives parents, and only when unambiguous:
one head, one spouse, parents of different sexes, each born before the child.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

HEAD, SPOUSE, CHILD, GRANDCHILD = ("01", "02"), ("10", "11", "12"), ("20", "30"), ("40",)


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(f"'{c}'" for c in codes)


def _one(name: str, codes: tuple[str, ...]) -> str:
    """Per 户 (region + 户号), the person holding one of `codes` and how many distinct persons do."""
    return f"""{name} AS (SELECT region, hh, MIN(person_id) AS pid, COUNT(DISTINCT person_id) AS n
                         FROM members WHERE rel IN ({_codes(codes)}) GROUP BY region, hh)"""


# INSERT first, its SELECT carrying the WITH: Python's sqlite3 reports no row count for a statement that starts
# with WITH
DERIVE_SQL = f"""
INSERT INTO registry_relation (source_id, relation, person_id, relative_id, valid_from)
WITH members AS (
    SELECT h.source_id, h.person_id, h.region, h.household_no AS hh, h.relation_to_head AS rel, h.valid_from
    FROM registry_hukou_event h
    WHERE h.event IN ('register', 'move_in') AND h.household_no IS NOT NULL AND h.relation_to_head IS NOT NULL
),
{_one("heads", HEAD)},
{_one("spouses", SPOUSE)},
{_one("kids", CHILD)},
candidates AS (
    SELECT c.source_id, c.person_id, x.pid AS parent, c.valid_from FROM members c
    JOIN heads x ON x.region = c.region AND x.hh = c.hh AND x.n = 1 WHERE c.rel IN ({_codes(CHILD)})
    UNION ALL
    SELECT c.source_id, c.person_id, x.pid, c.valid_from FROM members c
    JOIN spouses x ON x.region = c.region AND x.hh = c.hh AND x.n = 1 WHERE c.rel IN ({_codes(CHILD)})
    UNION ALL
    SELECT c.source_id, c.person_id, x.pid, c.valid_from FROM members c
    JOIN kids x ON x.region = c.region AND x.hh = c.hh AND x.n = 1 WHERE c.rel IN ({_codes(GRANDCHILD)})
),
typed AS (
    SELECT c.source_id, c.person_id, c.parent, c.valid_from,
           CASE WHEN p.sex = 'F' THEN 'mother' ELSE 'father' END AS relation
    FROM candidates c
    JOIN registry_person p ON p.id = c.parent
    JOIN registry_person k ON k.id = c.person_id
    WHERE c.parent <> c.person_id AND p.birth_date < k.birth_date
),
links AS (  -- two candidates for one relation of one record (head and spouse of one sex): neither
    SELECT source_id, relation, MIN(person_id) AS person_id, MIN(parent) AS relative_id, MIN(valid_from) AS valid_from
    FROM typed GROUP BY source_id, relation HAVING COUNT(*) = 1
)
SELECT l.source_id, l.relation, l.person_id, l.relative_id, l.valid_from FROM links l
WHERE NOT EXISTS (SELECT 1 FROM registry_relation r WHERE r.source_id = l.source_id AND r.relation = l.relation)
  AND NOT EXISTS (SELECT 1 FROM registry_relation r
                  JOIN registry_source_record sr ON sr.id = r.source_id AND sr.dept = 'weijian'
                  WHERE r.person_id = l.person_id AND r.relation IN ('mother', 'father'))
"""


def derive_parents(conn: Connection) -> int:
    """Write the 户-derived mother/father links not yet stored; returns how many (the caller commits)."""
    return conn.execute(text(DERIVE_SQL)).rowcount or 0
