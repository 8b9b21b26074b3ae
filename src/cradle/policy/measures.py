"""A pack's measures.yaml: the tasks and measures its implementation plan lists, with their owners.

    owners_note: 文件未逐项列明责任单位；…          # who the text makes responsible, when it names no owner per measure
    county_governments: true                      # every county's Party committee and government carries out
                                                  # every measure (白银 二、1 “以下均需各县区党委和政府落实”)
    starts: 2023-09-20                            # when the plan took effect: recurring tasks fall due from then
    measures:
      - {id: zibo.3-2, title: 多渠道构建托育服务网络体系, clause: "二（三）2", section: 发展普惠性托育服务体系,
         owners: [教育部门, 卫生健康部门], owners_text: "由教育部门将其纳入幼儿园管理…", due: 2025-12-31,
         tasks: [{title: 幼儿园托班纳入幼儿园管理, lead: [教育部门]},
                 {title: 托班卫生保健、保育指导、备案统计, lead: [卫生健康部门]}]}

A measure belongs to the pack's region and, unless the file names another of the pack's documents
(`document:`), to its first document. `owners_text` is the document's 责任单位 verbatim; `owners` splits it.
A measure is carried out as one or more tasks, each with its 牵头 (`lead`) and 配合 (`support`) units as the
document names them: `tasks:` where the text gives different units different parts, else one task whose lead
is the first owner and whose support is the rest (none when the document names no owner). A task's `basis`
says where its units come from: `text` (named in the measure's text, the default) or `duty` (the document
names none; assigned by the departments' duties, 按职责分工). A task's `due` and `recurring` (annual,
quarterly) default to its measure's; `at: county` (or `city`) when only the units of that level carry it out
(“各县区每年向市委、市政府报告”), otherwise the document's region and every region below it do. Monitoring's plan tracker (`cradle.monitoring.plan`) takes the units'
reports on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cradle.policy.errors import PackError

FILE_KEYS = {"document", "owners_note", "county_governments", "starts", "measures"}
MEASURE_KEYS = {
    "id",
    "title",
    "clause",
    "section",
    "owners",
    "owners_text",
    "due",
    "recurring",
    "note",
    "tasks",
}
TASK_KEYS = {"title", "lead", "support", "basis", "due", "recurring", "at"}
LEVELS = ("city", "county")
RECURRING = ("annual", "quarterly")
BASES = ("text", "duty")


@dataclass(frozen=True)
class Task:
    id: str  # <measure id>.<n>
    title: str
    lead: tuple[str, ...]  # 牵头单位 as the document names them; empty when it names none
    support: tuple[str, ...]  # 配合单位
    basis: str  # text | duty
    due: dt.date | None
    recurring: str | None  # annual | quarterly
    at: str | None = None  # city | county: carried out by each unit of that level (None: by every level)


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
    starts: dt.date | None = None  # when the plan took effect
    tasks: tuple[Task, ...] = ()


def _text_or_none(raw: dict, key: str, where: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise PackError(f"{where}.{key}: not a text: {value!r}")
    return value


def _date(value, where: str) -> dt.date | None:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise PackError(f"{where}: not a date: {value!r}") from None
    if value is not None and not isinstance(value, dt.date):
        raise PackError(f"{where}: not a date: {value!r}")
    return value


def _units(raw: dict, key: str, where: str) -> tuple[str, ...]:
    units = raw.get(key) or []
    if not isinstance(units, list) or not all(isinstance(u, str) and u.strip() for u in units):
        raise PackError(f"{where}.{key}: must be a list of department names")
    return tuple(units)


def _recurring(raw: dict, where: str) -> str | None:
    value = _text_or_none(raw, "recurring", where)
    if value is not None and value not in RECURRING:
        raise PackError(f"{where}.recurring: one of {', '.join(RECURRING)}, not {value!r}")
    return value


def _tasks(
    raw: dict, measure_id: str, title: str, owners: tuple, due, recurring, where: str
) -> tuple[Task, ...]:
    given = raw.get("tasks")
    if given is None:
        return (Task(f"{measure_id}.1", title, owners[:1], owners[1:], "text", due, recurring),)
    if not isinstance(given, list) or not given:
        raise PackError(f"{where}.tasks: must be a list of tasks")
    out = []
    for k, t in enumerate(given):
        here = f"{where}.tasks[{k}]"
        if not isinstance(t, dict):
            raise PackError(f"{here}: must be a mapping")
        unknown = set(t) - TASK_KEYS
        if unknown:
            raise PackError(f"{here}: unknown keys {sorted(unknown)}")
        lead = _units(t, "lead", here)
        if not lead:
            raise PackError(f"{here}.lead: name the leading unit")
        basis = t.get("basis", "text")
        if basis not in BASES:
            raise PackError(f"{here}.basis: one of {', '.join(BASES)}, not {basis!r}")
        at = t.get("at")
        if at is not None and at not in LEVELS:
            raise PackError(f"{here}.at: one of {', '.join(LEVELS)}, not {at!r}")
        out.append(
            Task(
                f"{measure_id}.{k + 1}",
                _text_or_none(t, "title", here) or title,
                lead,
                _units(t, "support", here),
                basis,
                _date(t.get("due"), f"{here}.due") or due,
                _recurring(t, here) or recurring,
                at,
            )
        )
    return tuple(out)


def _measure(raw, file: dict, document: str, region: str, where: str) -> Measure:
    if not isinstance(raw, dict):
        raise PackError(f"{where}: must be a mapping")
    unknown = set(raw) - MEASURE_KEYS
    if unknown:
        raise PackError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "title", "clause"):
        if raw.get(key) is None or not str(raw[key]).strip():
            raise PackError(f"{where}.{key}: missing")
    owners = _units(raw, "owners", where)
    due = _date(raw.get("due"), f"{where}.due")
    recurring = _recurring(raw, where)
    measure_id, title = str(raw["id"]), str(raw["title"])
    return Measure(
        id=measure_id,
        title=title,
        clause=str(raw["clause"]),
        section=_text_or_none(raw, "section", where) or "",
        document=document,
        jurisdiction=region,
        owners=owners,
        owners_text=_text_or_none(raw, "owners_text", where),
        owners_note=file.get("owners_note"),
        due=due,
        recurring=recurring,
        note=_text_or_none(raw, "note", where),
        county_governments=file.get("county_governments", False),
        starts=_date(file.get("starts"), f"{where.partition(':')[0]}: starts"),
        tasks=_tasks(raw, measure_id, title, owners, due, recurring, where),
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
