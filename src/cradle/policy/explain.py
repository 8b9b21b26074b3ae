"""Turns one eligible row of a ProgramResult into the entitlement of the public output format, with its
citations (by title), a Chinese sentence saying which facts made it apply and how the amount follows, and the
provenance of each figure it read (the release, or the parameter desk)."""

from __future__ import annotations

import datetime as dt
import re
from string import Formatter

import numpy as np

from cradle.policy import published
from cradle.policy.engine import ProgramResult
from cradle.policy.parameters import LEVEL_NAMES, Value

_DAY = np.dtype("datetime64[D]")
UNVERIFIED = "（所依据的规定文本尚未载入，数值待核实）"
_UNSEEN = object()


def fmt(value) -> str:
    """A fact as a reader expects it: 300 not 300.0, dates as YYYY-MM-DD, booleans as 是/否."""
    if type(value) is str:
        return value
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value != value:  # NaN
            return "—"
        return f"{value:.0f}" if value == round(value) else f"{value:.2f}"
    if value is None:
        return "—"
    return str(value)


def _ndim(v) -> int:
    """np.ndim, without its call for the usual kinds (an array, a day, a figure)."""
    kind = type(v)
    if kind is np.ndarray:
        return v.ndim
    if kind is np.datetime64 or kind is float or kind is int or kind is str:
        return 0
    return np.ndim(v)


def _fact(result: ProgramResult, row: int, key: str) -> str:
    """One value a sentence names: the rule's fact, else the entity's column, at the row."""
    facts = result.rule.facts
    if key in facts:
        v = facts[key]
        if callable(v):  # a fact only sentences need (see Rule.facts): computed when the first is written
            v = facts[key] = v()
        if type(v) is np.ndarray and v.ndim == 1:  # fmt reads a NumPy scalar as its Python value
            return fmt(v.item(row))
        return fmt(v[row] if _ndim(v) else v)
    entity = result.ctx.entity(result.program.entity)
    if key in entity:
        column = getattr(entity, key)
        # fmt reads a NumPy scalar as its Python value: `item` gives that value at once
        return fmt(column.item(row) if type(column) is np.ndarray and column.ndim == 1 else column[row])
    raise KeyError(key)


class RowFacts(dict):
    """str.format mapping over one row: the rule's facts, then the entity's columns."""

    def __init__(self, result: ProgramResult, row: int, extra: dict):
        super().__init__(extra)
        self._result, self._row = result, row

    def __missing__(self, key):
        return _fact(self._result, self._row, key)


# A sentence template -> the names its fields read, in order (None: a field str.format_map cannot name, e.g.
# positional, or nested in a format spec: written through RowFacts).
_FIELDS: dict[str, tuple[str, ...] | None] = {}


def _fields(template: str) -> tuple[str, ...] | None:
    found = _FIELDS.get(template, ())
    if found == ():
        names: list[str] | None = []
        for _text, field, spec, _conversion in Formatter().parse(template):
            if field is None:
                continue
            root = re.split(r"[.\[]", field, maxsplit=1)[0]
            if not root or root.isdigit() or "{" in (spec or ""):
                names = None
                break
            if root not in names:
                names.append(root)
        found = _FIELDS[template] = None if names is None else tuple(names)
    return found


def sentence(result: ProgramResult, row: int, extra: dict) -> str:
    """The rule's explanation at one row: `extra` (amount, period), then the facts and columns it names."""
    template = result.rule.explanation
    names = _fields(template)
    if names is None:
        return template.format_map(RowFacts(result, row, extra))
    values = dict(extra)
    for key in names:
        if key not in values:
            values[key] = _fact(result, row, key)
    return template.format_map(values)


def _entry(use, row: int) -> Value | None:
    on = use.on
    if _ndim(on):  # a day per row: as a date, a quicker key for the parameter's remembered entries
        on = on.item(row) if on.dtype == _DAY else on[row]
    region = None
    if use.regions is not None:
        region = str(use.regions[row] if _ndim(use.regions) else use.regions)
    return use.parameter.entry(on, region)


def _entries(result: ProgramResult, row: int) -> list[tuple[str, Value]]:
    """(parameter, value) of each figure read behind one row, those without a value left out (the same for every
    row when every figure was read on one date, so kept)."""
    kept = result.__dict__
    cached = kept.get("_entries")
    if cached is not None:
        return cached
    out = []
    found: dict | None = None  # figures read per row: one read again (a derivation several programs share
    # records its reads for each) is looked up once
    for u in result.uses:
        on = u.on
        if u.regions is None and (type(on) is np.datetime64 or not _ndim(on)):
            e = u.parameter.entry(on)  # _entry of a figure read on one date
        else:
            if found is None:
                found = {}
            key = (u.parameter, id(on), id(u.regions))
            e = found.get(key, _UNSEEN)
            if e is _UNSEEN:
                e = found[key] = _entry(u, row)
        if e is not None:
            out.append((u.parameter.name, e))
    if found is None:  # every figure read on one date for every row
        kept["_entries"] = out
    return out


_ISO: dict[dt.date, str] = {}


def _iso(d: dt.date) -> str:
    """`d.isoformat()`, remembered: answers write the same few days (births, birthdays, the as-of date) again
    and again, and formatting one costs several times a look-up."""
    found = _ISO.get(d)
    if found is None:
        if len(_ISO) >= 100_000:
            _ISO.clear()
        found = _ISO[d] = d.isoformat()
    return found


def _day(days: np.ndarray, i: int) -> str | None:
    """The i-th day as YYYY-MM-DD, None for NaT."""
    if days.dtype is _DAY or days.dtype == _DAY:
        d = days.item(i)  # a date, None for NaT (an int beyond the years of a date)
        if d is None or type(d) is dt.date:
            return None if d is None else _iso(d)
    d = days[i]
    return None if d != d else str(d)  # NaT is the one day unequal to itself


def _desk_sentence(sources: list[dict]) -> str:
    """The figures published on the parameter desk: which office, when, on which document."""
    parts = [
        f"{p['office']}于{p['published_at'][:10]}在参数台发布，依据{p['doc_number']}《{p['title']}》{p['clause']}"
        for p in sources
        if p["source"] == "desk"
    ]
    return f"（{'；'.join(dict.fromkeys(parts))}）" if parts else ""


def _sources(used: list[tuple[str, Value]]) -> list[dict]:
    """The provenance of each figure read, once per (parameter, value): the same value object read again is
    set aside by identity, and values are compared (hashing every field) only when a parameter gave two."""
    pairs = list({(name, id(e)): (name, e) for name, e in used}.values())
    if len({name for name, _ in pairs}) < len(pairs):
        return list({(name, e): published.provenance(name, e) for name, e in pairs}.values())
    return [published.provenance(name, e) for name, e in pairs]


# (id of the program, then each figure's parameter and the id of its value) -> what an entitlement says of
# those figures; the program and the values are kept with it, so that an id is not taken again by another
# object while the entry is kept.
_BEHIND: dict[tuple, tuple] = {}
_BEHIND_OF = [-1]  # the desk's generation the entries were written under


def _behind(prog, used: list[tuple[str, Value]]) -> tuple[list, list[dict], list[dict], str, bool, bool]:
    """(the values, citations, provenance, the desk's sentence, whether every value is verified, whether the
    program comes from a draft) of an entitlement of `prog` reading the figures `used`: the same for every
    household reading those values, so written once (until the desk lays its values over again)."""
    if _BEHIND_OF[0] != published.generation() or len(_BEHIND) >= 10_000:
        _BEHIND.clear()
        _BEHIND_OF[0] = published.generation()
    key = (id(prog), *[part for name, e in used for part in (name, id(e))])
    found = _BEHIND.get(key)
    if found is None or found[0] is not prog:
        entries = [e for _, e in used]
        citations = [published.cite(c.document, c.clause) for c in prog.citations]
        for e in entries:
            cited = published.cite(e.document, e.clause)
            if cited not in citations:
                citations.append(cited)
        sources = _sources(used)
        found = _BEHIND[key] = (
            prog,
            entries,
            citations,
            sources,
            _desk_sentence(sources),
            all(e.verified for e in entries),
            prog.draft,
        )
    return found[1:]


def entitlement(result: ProgramResult, i: int, person_ids: np.ndarray) -> dict:
    """The i-th eligible row of `result` in the output format."""
    prog, rule = result.program, result.rule
    row = int(result.rows[i])
    used = _entries(result, row)
    entries, citations, sources, desk, verified, draft = _behind(prog, used)
    note = rule.note
    amount = None
    extra = {}
    if result.amount is not None:
        if result.amount.dtype.kind == "M":  # a deadline
            amount = _day(result.amount, i)
        elif (a := result.amount.item(i)) != a:  # NaN
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
            a = float(a)
            amount = int(a) if a.is_integer() else round(a, 2)
    start, end = _day(result.start, i), _day(result.end, i)
    extra["amount"] = fmt(amount)
    extra["start"] = "—" if start is None else start  # fmt of a day's text, or of no day
    extra["end"] = "—" if end is None else end
    said = sentence(result, row, extra)
    if "amount_note" in extra and "{amount_note}" not in rule.explanation:
        said += "，" + extra["amount_note"]
    said += desk
    if not verified and note != "amount unconfirmed: regulation not loaded":  # already says 待核实
        said += UNVERIFIED
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
        "citations": list(citations),
        "explanation": said,
        "provenance": list(sources),
    }
    if note:
        out["note"] = note
    if (
        rule.encouraged or note == "encouraged"
    ):  # the document only encourages (鼓励): the employer or county decides
        out["encouraged"] = True
    if draft:
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
