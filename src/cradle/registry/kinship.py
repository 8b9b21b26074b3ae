"""Mother and father links from 公安's household register, for persons the 卫健 birth records do not cover.

Birth records (from 2000 on) are the only other source of parents, so adults born earlier would have no
parents and no grandparents in `cradle household`. The 户 says more: a child of the head (GB/T 4761 `20` 子,
`30` 女) is the child of the head and of the head's spouse (`10`/`11`/`12`), mother or father by their sex; a
grandchild of the head (`40`) is the child of the head's child in the same 户, when there is exactly one.

Set-based, the same SQL on both databases, run after each 公安 ingest (`cradle.registry.ingest.ingest_frames`)
over the whole register, so a 户 split across files or batches is judged once all of it is in. A link is a
relation row whose source is the 公安 record that names the child's place in the 户 (a fact keeps its source),
written once (idempotent), never for a person who has a 卫健 birth record, and only when unambiguous: one
head, one spouse, parents of different sexes, each born before the child.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

HEAD, SPOUSE, CHILD, GRANDCHILD = ("01", "02"), ("10", "11", "12"), ("20", "30"), ("40",)
_PLACED = "event IN ('register', 'move_in') AND household_no IS NOT NULL"
# Subqueries over the base table, not CTEs: PostgreSQL plans a CTE used several times from no statistics, and
# its one-row guesses turned the anti-joins into nested loops over the whole registry.
MEMBERS = (
    "(SELECT source_id, person_id, region, household_no AS hh, relation_to_head AS rel, valid_from "
    f"FROM registry_hukou_event WHERE {_PLACED} AND relation_to_head IS NOT NULL)"
)
RELATION = "CASE WHEN p.sex = 'F' THEN 'mother' ELSE 'father' END"


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(f"'{c}'" for c in codes)


def _one(codes: tuple[str, ...]) -> str:
    """Per 户 (region + 户号), the one person holding one of `codes` (MIN = MAX: hashable, unlike DISTINCT)."""
    return (
        "(SELECT region, household_no AS hh, MIN(person_id) AS pid FROM registry_hukou_event "
        f"WHERE {_PLACED} AND relation_to_head IN ({_codes(codes)}) "
        "GROUP BY region, household_no HAVING MIN(person_id) = MAX(person_id))"
    )


def _links(children: tuple[str, ...], parents: tuple[str, ...]) -> str:
    return (
        f"SELECT c.source_id, c.person_id, x.pid AS parent, c.valid_from FROM {MEMBERS} c "
        f"JOIN {_one(parents)} x ON x.region = c.region AND x.hh = c.hh WHERE c.rel IN ({_codes(children)})"
    )


# Two candidates for one relation of one record (head and spouse of one sex): neither. A person with a 卫健
# birth record (registry_birth, whose source also gave the birth-record links) gets nothing from the 户.
DERIVE_SQL = f"""
INSERT INTO registry_relation (source_id, relation, person_id, relative_id, valid_from)
SELECT l.source_id, l.relation, l.person_id, l.relative_id, l.valid_from FROM (
    SELECT c.source_id, {RELATION} AS relation, MIN(c.person_id) AS person_id, MIN(c.parent) AS relative_id,
           MIN(c.valid_from) AS valid_from
    FROM ({_links(CHILD, HEAD)} UNION ALL {_links(CHILD, SPOUSE)} UNION ALL {_links(GRANDCHILD, CHILD)}) c
    JOIN registry_person p ON p.id = c.parent
    JOIN registry_person k ON k.id = c.person_id
    WHERE c.parent <> c.person_id AND p.birth_date < k.birth_date
    GROUP BY c.source_id, {RELATION} HAVING COUNT(*) = 1
) l
WHERE NOT EXISTS (SELECT 1 FROM registry_relation r WHERE r.source_id = l.source_id AND r.relation = l.relation)
  AND NOT EXISTS (SELECT 1 FROM registry_birth b WHERE b.child_id = l.person_id)
"""


def derive_parents(conn: Connection) -> int:
    """Write the 户-derived mother/father links not yet stored; returns how many (the caller commits)."""
    return conn.execute(text(DERIVE_SQL)).rowcount or 0
