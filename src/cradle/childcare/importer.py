"""`cradle facilities import FILE`: load a department's facility list (CSV in UTF-8 or GB18030, Excel .xlsx,
or JSON), row by row, with the same checks as a single registration.

A row that fails is not stored: it goes to cc_import_quarantine with every problem (field and message) and
the row as read, and the rest of the file goes on. With `strict=True` one bad row refuses the whole file and
nothing is stored. A known credit code updates that facility; a new one registers it.

Flat files have one row per facility: the facility fields by their English names (or the Chinese headers in
HEADER_ALIASES), and per age group `slots_<group>`, `classes_<group>`, `fee_<group>` (group: infant, toddler,
older). JSON files hold a list of facility records as the API takes them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from cradle.childcare.facilities import by_credit_code, register_facility, update_facility
from cradle.childcare.models import Facility, ImportQuarantine
from cradle.childcare.validate import check_facility, stored
from cradle.childcare.vocab import AGE_GROUPS, FACILITY_TYPES, chinese
from cradle.errors import N_, Invalid, OutOfScope

HEADER_ALIASES = {
    "统一社会信用代码": "credit_code",
    "机构名称": "name",
    "机构类型": "type",
    "地址": "address",
    "行政区划代码": "region_code",
    "社区": "community",
    "建筑面积": "floor_area_m2",
    "室外面积": "outdoor_area_m2",
    "用房间数": "rooms",
    "普惠": "inclusive",
    "示范": "demonstration",
    "综合服务中心": "comprehensive_centre",
    "承担指导功能": "guidance_role",
    "开办日期": "opening_date",
    "停办日期": "closed_on",
    "纬度": "lat",
    "经度": "lon",
    "乳儿班托位": "slots_infant",
    "托小班托位": "slots_toddler",
    "托大班托位": "slots_older",
    "乳儿班班数": "classes_infant",
    "托小班班数": "classes_toddler",
    "托大班班数": "classes_older",
    "乳儿班月收费": "fee_infant",
    "托小班月收费": "fee_toddler",
    "托大班月收费": "fee_older",
}
SLOT_COLUMNS = {f"{p}_{g}" for p in ("slots", "classes", "fee") for g in AGE_GROUPS}


@dataclass
class ImportResult:
    batch: str
    source: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    quarantined: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "batch": self.batch,
            "source": self.source,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "quarantined": len(self.quarantined),
            "problems": self.quarantined,
        }


@cache
def _types_by_label() -> dict[str, str]:
    """A department's list may name a facility type by its Chinese label."""
    return {chinese(label): key for key, label in FACILITY_TYPES.items()}


def _read_text(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid("file", N_("The file encoding cannot be recognised (UTF-8 or GB18030 expected)"))


def _cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def read_rows(path: Path) -> list[tuple[int, dict]]:
    """(line number, record) pairs; line numbers count the header as line 1 (JSON: position from 1)."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(_read_text(path.read_bytes()))
        except json.JSONDecodeError as exc:
            raise Invalid("file", N_("JSON format error: line %(line)s"), line=exc.lineno) from None
        if not isinstance(data, list):
            raise Invalid("file", N_("A JSON file should be a list of institution records"))
        return [(i + 1, row) for i, row in enumerate(data)]
    if suffix in (".csv", ".txt"):
        reader = csv.reader(io.StringIO(_read_text(path.read_bytes())))
        rows = list(reader)
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = [[_cell(v) for v in r] for r in wb.active.iter_rows(values_only=True)]
        finally:
            wb.close()
    else:
        raise Invalid(
            "file", N_("Unsupported file type %(suffix)s: use CSV, Excel (.xlsx) or JSON"), suffix=suffix
        )
    if not rows:
        raise Invalid("file", N_("The file is empty"))
    header = [HEADER_ALIASES.get((h or "").strip(), (h or "").strip()) for h in rows[0]]
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(_cell(v) for v in row):
            continue
        out.append((n, {h: _cell(v) for h, v in zip(header, row, strict=False) if h}))
    return out


def from_flat(row: dict) -> dict:
    """A flat spreadsheet row as a nested facility record."""
    if any(isinstance(v, list | dict) for v in row.values()):
        return row
    record = {k: v for k, v in row.items() if k not in SLOT_COLUMNS and v is not None}
    if record.get("type") in _types_by_label():
        record["type"] = _types_by_label()[record["type"]]
    slots = []
    for group in AGE_GROUPS:
        if row.get(f"slots_{group}") is None and row.get(f"fee_{group}") is None:
            continue
        entry = {
            "age_group": group,
            "slots": row.get(f"slots_{group}"),
            "fee_monthly": row.get(f"fee_{group}"),
        }
        if row.get(f"classes_{group}") is not None:
            entry["classes"] = row.get(f"classes_{group}")
        slots.append(entry)
    record["slots"] = slots
    return record


def store(
    session: Session, record: dict, scope: str | None = None, on: dt.date | None = None
) -> tuple[str, Facility]:
    """Register a checked record, or update the facility with its credit code: ("created"|"updated", facility).
    Nothing is stored when it raises (Invalid naming the field; a region outside `scope` as region_code)."""
    try:
        with session.begin_nested():
            existing = by_credit_code(session, record["credit_code"])
            if existing is None:
                return "created", register_facility(session, record, scope=scope)
            return "updated", update_facility(session, existing.id, record, scope=scope, on=on)
    except OutOfScope as exc:  # the row's problem, quarantined like the others
        raise Invalid("region_code", exc.message_id, **exc.params) from None


def import_file(
    session: Session,
    path: str | Path,
    strict: bool = False,
    scope: str | None = None,
    on: dt.date | None = None,
) -> ImportResult:
    path = Path(path)
    if not path.exists():
        raise Invalid("file", N_("File %(path)s does not exist"), path=path)
    result = ImportResult(batch=uuid.uuid4().hex[:12], source=path.name)
    seen: dict[str, int] = {}
    staged: list[tuple[int, dict, list[Invalid]]] = []
    for line, raw in read_rows(path):
        result.rows += 1
        record = from_flat(raw) if isinstance(raw, dict) else raw
        clean, problems = check_facility(record)
        code = clean.get("credit_code") if isinstance(clean, dict) else None
        if code and not problems:
            if code in seen:
                problems.append(Invalid("credit_code", N_("Duplicates row %(row)s"), row=seen[code]))
            seen.setdefault(code, line)
        staged.append((line, record, problems))
    if strict and any(p for _, _, p in staged):
        line, _, problems = next(s for s in staged if s[2])
        first = problems[0]
        raise Invalid(f"rows[{line}].{first.field}", first.message_id, **first.params)
    for line, record, problems in staged:
        if not problems:
            try:
                outcome, _facility = store(session, record, scope, on)
                setattr(result, outcome, getattr(result, outcome) + 1)
                continue
            except Invalid as exc:
                if strict:
                    raise Invalid(f"rows[{line}].{exc.field}", exc.message_id, **exc.params) from None
                problems = [exc]
        errors = [stored(p) for p in problems]
        session.add(
            ImportQuarantine(
                batch=result.batch,
                source=path.name,
                row_no=line,
                data=json.dumps(record, ensure_ascii=False, default=str),
                errors=json.dumps(errors, ensure_ascii=False),
            )
        )
        result.quarantined.append({"row": line, "errors": errors})
    session.flush()
    return result
