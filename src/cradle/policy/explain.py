"""Turns one eligible row of a ProgramResult into the entitlement of the public output format, with its
citations (by title), a Chinese sentence saying which facts made it apply and how the amount follows, and the
provenance of each figure it read (the release, or the parameter desk)."""

from __future__ import annotations

import numpy as np

from cradle.policy import published
from cradle.policy.engine import ProgramResult
from cradle.policy.parameters import LEVEL_NAMES, Value

UNVERIFIED = "（所依据的规定文本尚未载入，数值待核实）"


def fmt(value) -> str:
    """A fact as a reader expects it: 300 not 300.0, dates as YYYY-MM-DD, booleans as 是/否."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if np.isnan(value):
            return "—"
        return f"{value:.0f}" if value == round(value) else f"{value:.2f}"
    if value is None:
        return "—"
    return str(value)


class RowFacts(dict):
    """str.format mapping over one row: the rule's facts, then the entity's columns."""

    def __init__(self, result: ProgramResult, row: int, extra: dict):
        super().__init__(extra)
        self._result, self._row = result, row

    def __missing__(self, key):
        facts = self._result.rule.facts
        if key in facts:
            v = facts[key]
            if callable(v):  # a fact only sentences need (see Rule.facts): computed when the first is written
                v = facts[key] = v()
            return fmt(v[self._row] if np.ndim(v) else v)
        entity = self._result.ctx.entity(self._result.program.entity)
        if key in entity:
            return fmt(getattr(entity, key)[self._row])
        raise KeyError(key)


def _entry(use, row: int) -> Value | None:
    on = use.on[row] if np.ndim(use.on) else use.on
    region = None
    if use.regions is not None:
        region = str(use.regions[row] if np.ndim(use.regions) else use.regions)
    return use.parameter.entry(on, region)


def _entries(result: ProgramResult, row: int) -> list[tuple[str, Value | None]]:
    """(parameter, value) behind one row (the same for every row when read on one date, so kept)."""
    cached = result.__dict__.get("_entries")
    if cached is not None:
        return cached
    if all(np.ndim(u.on) == 0 and u.regions is None for u in result.uses):
        cached = result.__dict__["_entries"] = [(u.parameter.name, _entry(u, 0)) for u in result.uses]
        return cached
    return [(u.parameter.name, _entry(u, row)) for u in result.uses]


def _day(d: np.datetime64) -> str | None:
    """A day as YYYY-MM-DD, None for NaT."""
    return None if d != d else str(d)  # NaT is the one day unequal to itself


def _desk_sentence(sources: list[dict]) -> str:
    """The figures published on the parameter desk: which office, when, on which document."""
    parts = [
        f"{p['office']}于{p['published_at'][:10]}在参数台发布，依据{p['doc_number']}《{p['title']}》{p['clause']}"
        for p in sources
        if p["source"] == "desk"
    ]
    return f"（{'；'.join(dict.fromkeys(parts))}）" if parts else ""


def entitlement(result: ProgramResult, i: int, person_ids: np.ndarray) -> dict:
    """The i-th eligible row of `result` in the output format."""
    prog, rule = result.program, result.rule
    row = int(result.rows[i])
    used = [(name, e) for name, e in _entries(result, row) if e is not None]
    entries = [e for _, e in used]
    citations = [published.cite(c.document, c.clause) for c in prog.citations]
    for e in entries:
        cited = published.cite(e.document, e.clause)
        if cited not in citations:
            citations.append(cited)
    sources = list({(name, e): published.provenance(name, e) for name, e in used}.values())
    note = rule.note
    amount = None
    extra = {}
    if result.amount is not None:
        a = result.amount[i]
        if isinstance(a, np.datetime64):
            amount = None if np.isnat(a) else str(a)
        elif np.isnan(a):
            level = next((e.set_by for e in entries if e.value is None and e.set_by), None)
            if level == "unconfirmed":  # the regulation holding the figure is not loaded yet
                note = "amount unconfirmed: regulation not loaded"
                extra["amount_note"] = "具体数值所依据的规定尚未载入，待核实"
            elif level:
                note = f"amount set by {level}"
                extra["amount_note"] = f"金额由{LEVEL_NAMES.get(level, level)}核定"
            else:  # a figure not in force for this case: say so rather than name a level that sets it
                note = "amount not determined"
                extra["amount_note"] = "金额暂无法确定"
        else:
            amount = int(a) if float(a).is_integer() else round(float(a), 2)
    start, end = _day(result.start[i]), _day(result.end[i])
    extra.update(amount=fmt(amount), start=fmt(start), end=fmt(end))
    sentence = rule.explanation.format_map(RowFacts(result, row, extra))
    if "amount_note" in extra and "{amount_note}" not in rule.explanation:
        sentence += "，" + extra["amount_note"]
    sentence += _desk_sentence(sources)
    verified = all(e.verified for e in entries)
    if not verified and note != "amount unconfirmed: regulation not loaded":  # already says 待核实
        sentence += UNVERIFIED
    ben = int(result.beneficiary[i])
    out = {
        "program": prog.id,
        "title": prog.title,
        "beneficiary": str(person_ids[ben])
        if ben >= 0
        else prog.entity
        if prog.entity == "facility"
        else "household",
        "kind": prog.kind,
        "amount": amount,
        "unit": prog.unit,
        "period": {"start": start, "end": end},
        "citations": citations,
        "explanation": sentence,
        "provenance": sources,
    }
    if note:
        out["note"] = note
    if (
        rule.encouraged or note == "encouraged"
    ):  # the document only encourages (鼓励): the employer or county decides
        out["encouraged"] = True
    if prog.draft:
        out["draft"] = True
    if not verified:
        out["verified"] = False
    return out


def not_applicable(result: ProgramResult) -> dict:
    """Why a tested program gave nothing: the first failing condition of the row that came closest."""
    prog = result.program
    if result.n_rows == 0:
        reason = {
            "birth": "没有生育事件",
            "newborn": "没有新生儿",
            "person": "没有家庭成员",
            "household": "没有家庭",
            "facility": "没有托育机构",
        }[prog.entity]
    elif result.failed is None or not len(result.rule.conditions):
        reason = "条件不满足"
    else:
        best = int(result.failed.max())
        reason = "不满足：" + result.rule.conditions[best][0]
    return {"program": prog.id, "title": prog.title, "reason": reason}
