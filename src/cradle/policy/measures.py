"""A pack's measures.yaml: the tasks and measures its implementation plan lists, with their owners.

    owners_note: 文件未逐项列明责任单位；…          # who the text makes responsible, when it names no owner per measure
    county_governments: true                      # every county's Party committee and government carries out
                                                  # every measure (白银 二、1 “以下均需各县区党委和政府落实”)
    measures:
      - {id: zibo.3-2, title: 多渠道构建托育服务网络体系, clause: "二（三）2", section: 发展普惠性托育服务体系,
         owners: [教育部门, 卫生健康部门], owners_text: "由教育部门将其纳入幼儿园管理…", due: 2025-12-31}

A measure belongs to the pack's region and, unless the file names another of the pack's documents
(`document:`), to its first document. `owners_text` is the document's 责任单位 verbatim; `owners` splits it.
Monitoring's plan tracker (`cradle.monitoring.plan`) records the departments' progress on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cradle.policy.errors import PackError

FILE_KEYS = {"document", "owners_note", "county_governments", "measures"}
MEASURE_KEYS = {"id", "title", "clause", "section", "owners", "owners_text", "due", "recurring", "note"}


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    clause: str
    section: str
    document: str
    jurisdiction: str
    owners: tuple[str, ...]
    owners_text: str | None
    owners_note: str | None
    due: dt.date | None
    recurring: str | None = None
    note: str | None = None
    county_governments: bool = False  # every county's Party committee and government may report on it


def _text_or_none(raw: dict, key: str, where: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise PackError(f"{where}.{key}: not a text: {value!r}")
    return value


def _measure(raw, file: dict, document: str, region: str, where: str) -> Measure:
    if not isinstance(raw, dict):
        raise PackError(f"{where}: must be a mapping")
    unknown = set(raw) - MEASURE_KEYS
    if unknown:
        raise PackError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "title", "clause"):
        if raw.get(key) is None or not str(raw[key]).strip():
            raise PackError(f"{where}.{key}: missing")
    owners = raw.get("owners") or []
    if not isinstance(owners, list) or not all(isinstance(o, str) and o.strip() for o in owners):
        raise PackError(f"{where}.owners: must be a list of department names")
    due = raw.get("due")
    if isinstance(due, str):
        try:
            due = dt.date.fromisoformat(due)
        except ValueError:
            raise PackError(f"{where}.due: not a date: {due!r}") from None
    if due is not None and not isinstance(due, dt.date):
        raise PackError(f"{where}.due: not a date: {due!r}")
    return Measure(
        id=str(raw["id"]),
        title=str(raw["title"]),
        clause=str(raw["clause"]),
        section=_text_or_none(raw, "section", where) or "",
        document=document,
        jurisdiction=region,
        owners=tuple(owners),
        owners_text=_text_or_none(raw, "owners_text", where),
        owners_note=file.get("owners_note"),
        due=due,
        recurring=_text_or_none(raw, "recurring", where),
        note=_text_or_none(raw, "note", where),
        county_governments=file.get("county_governments", False),
    )


def load_measures(raw: dict, region: str, documents: list[str], source: str) -> list[Measure]:
    """The measures of a pack's measures.yaml mapping; errors name the file and the field."""
    if not isinstance(raw, dict):
        raise PackError(f"{source}: must be a mapping with measures")
    unknown = set(raw) - FILE_KEYS
    if unknown:
        raise PackError(f"{source}: unknown keys {sorted(unknown)}")
    if not documents:
        raise PackError(f"{source}: measures need a document in pack.yaml")
    document = str(raw.get("document", documents[0]))
    if document not in documents:
        raise PackError(f"{source}: document: {document} is not one of the pack's documents {documents}")
    _text_or_none(raw, "owners_note", source)
    if not isinstance(raw.get("county_governments", False), bool):
        raise PackError(f"{source}: county_governments: must be true or false")
    measures = [
        _measure(m, raw, document, region, f"{source}: measures[{i}]")
        for i, m in enumerate(raw.get("measures") or [])
    ]
    ids = [m.id for m in measures]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise PackError(f"{source}: measures: duplicate ids {dupes}")
    return measures
