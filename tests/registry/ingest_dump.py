"""Every registry table as stored, in a form that does not depend on the order rows were written in: ids replaced
by what they stand for (a person by its ID number, or its name and birth date; a source record by department and
record number), values decrypted, timestamps left out, rows sorted. `digests` gives each table's SHA-256 and row
count, which `tests/registry/test_ingest_equivalence.py` compares with those the ingest stored before."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlalchemy import Engine, select

from cradle.registry import models as m

TABLES = [
    t
    for t in m.Base.metadata.sorted_tables
    if t.name.startswith("registry_") and t.name not in ("registry_merge_audit",)
]
PERSON_COLUMNS = {
    "person_id",
    "relative_id",
    "child_id",
    "mother_id",
    "father_id",
    "spouse_id",
    "candidate_id",
    "merged_into_id",
}
LEFT_OUT = {"id", "started_at", "finished_at", "updated_at", "decided_at"}


def dump(engine: Engine) -> dict[str, list[str]]:
    with engine.connect() as conn:
        persons = {
            r.id: r.id_number or f"~{r.name}|{r.birth_date}|{r.sex}"
            for r in conn.execute(select(m.Person.__table__))
        }
        sources = {r.id: f"{r.dept}:{r.record_no}" for r in conn.execute(select(m.SourceRecord.__table__))}
        out = {}
        for table in TABLES:
            rows = []
            for r in conn.execute(select(table)).mappings():
                row = {}
                for k, v in r.items():
                    if k in LEFT_OUT:
                        continue
                    if k in PERSON_COLUMNS and v is not None:
                        v = persons[v]
                    elif k == "source_id" and v is not None:
                        v = sources.get(v, f"?{v}")
                    elif k == "file_name" and v is not None:
                        v = Path(v).name
                    row[k] = v
                rows.append(json.dumps(row, sort_keys=True, default=str, ensure_ascii=False))
            out[table.name] = sorted(rows)
    return out


def digests(engine: Engine) -> dict[str, list]:
    return {
        name: [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()]
        for name, rows in dump(engine).items()
    }
