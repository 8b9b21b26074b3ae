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
        # json.dumps(row, sort_keys=True, default=str, ensure_ascii=False), its encoder made once: a dump is some
        # 700,000 rows, and the rows are read as tuples with each column's rule chosen once per table
        encode = json.JSONEncoder(sort_keys=True, default=str, ensure_ascii=False).encode
        out = {}
        for table in TABLES:
            result = conn.execute(select(table))
            columns = [(i, k) for i, k in enumerate(result.keys()) if k not in LEFT_OUT]
            plain = [
                (i, k) for i, k in columns if k not in PERSON_COLUMNS and k not in ("source_id", "file_name")
            ]
            person = [(i, k) for i, k in columns if k in PERSON_COLUMNS]
            source = [(i, k) for i, k in columns if k == "source_id"]
            file_name = [(i, k) for i, k in columns if k == "file_name"]
            rows = []
            for r in result:
                row = {k: r[i] for i, k in plain}
                for i, k in person:
                    v = r[i]
                    row[k] = persons[v] if v is not None else None
                for i, k in source:
                    v = r[i]
                    row[k] = sources.get(v, f"?{v}") if v is not None else None
                for i, k in file_name:
                    v = r[i]
                    row[k] = Path(v).name if v is not None else None
                rows.append(encode(row))
            out[table.name] = sorted(rows)
    return out


def digests(engine: Engine) -> dict[str, list]:
    return {
        name: [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()]
        for name, rows in dump(engine).items()
    }
