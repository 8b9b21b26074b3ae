"""Hypothesis strategies for malformed input: household JSON (the calculator's input) and department feed rows.

Both start from a valid value and damage it: a field set to a value of the wrong type or shape, a key dropped,
an unknown key added, the serialised text cut or corrupted. The parsers must answer every one with errors that
name the field, never with a crash.
"""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import strategies as st

from cradle.idcard import make_id_number
from cradle.registry.feeds import FEEDS, Feed

COUNTIES = ["370303", "370323", "620402", "620423", "330602", "330681", "441523", "140105", "141102"]
ON = dt.date(2025, 7, 1)

# Values of the wrong type, size or shape, and strings that break naive parsers.
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "null",
    "NaN",
    "Infinity",
    "-1",
    "1e309",
    "9" * 40,
    "2025-02-30",
    "0000-00-00",
    "9999-12-31",
    "2025-13-01",
    "１２３",
    "𠀀𠀁",
    "\u202e",
    "\ufeff",
    "'; DROP TABLE x; --",
    "a" * 5000,
    "370303",
    "X",
    "\r\n",
    '"',
    ",",
    "2025/02/29",
    "20250230",
    "--",
    "true",
]
json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(NASTY_TEXT),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _day(draw, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=draw(st.integers(0, max(0, (hi - lo).days))))


@st.composite
def households(draw) -> dict:
    """A valid household (the catalogue's format), with a mother, maybe a father, and 0–3 children."""
    county = draw(st.sampled_from(COUNTIES))
    mother_birth = _day(draw, dt.date(1965, 1, 1), dt.date(2002, 1, 1))
    members = [
        {
            "id": "m",
            "relation": "mother",
            "sex": "F",
            "birth_date": mother_birth.isoformat(),
            "hukou": county,
            "employment": draw(st.sampled_from(["employee", "flexible", "none"])),
            "medical_insurance": draw(st.sampled_from(["employee", "resident", "none"])),
            "maternity_insurance": draw(st.booleans()),
            "employer_avg_monthly_wage": draw(st.sampled_from([None, 5000, 7800.5])),
        }
    ]
    if draw(st.booleans()):
        members.append(
            {
                "id": "f",
                "relation": "father",
                "sex": "M",
                "birth_date": _day(draw, dt.date(1960, 1, 1), dt.date(2002, 1, 1)).isoformat(),
            }
        )
    events = []
    earliest = mother_birth + dt.timedelta(days=366 * 18)
    for order in range(1, draw(st.integers(0, 3)) + 1):
        born = _day(draw, earliest, ON)
        cid = f"c{order}"
        members.append(
            {
                "id": cid,
                "relation": "child",
                "sex": draw(st.sampled_from(["F", "M"])),
                "birth_date": born.isoformat(),
                "birth_order": order,
                "care": {
                    "type": draw(st.sampled_from(["home", "nursery", "kindergarten"])),
                    "inclusive": draw(st.booleans()),
                    "registered": draw(st.booleans()),
                },
            }
        )
        if draw(st.booleans()):
            events.append(
                {
                    "type": "birth",
                    "child": cid,
                    "date": born.isoformat(),
                    "in_policy_delivery_cost": draw(st.sampled_from([None, 2500, 12000])),
                }
            )
    return {"jurisdiction": county, "members": members, "events": events}


def _paths(value, prefix=()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


def _set(doc, path: tuple, value):
    if not path:
        return value
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    parent[path[-1]] = value
    return doc


def _drop(doc, path: tuple):
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    del parent[path[-1]]
    return doc


@st.composite
def damaged(draw, valid: st.SearchStrategy) -> object:
    """`valid` damaged by 1–3 of: a value replaced, a key or item dropped, an unknown key added."""
    doc = json.loads(json.dumps(draw(valid)))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
        if action == "drop" and path:
            doc = _drop(doc, path)
        elif action == "add" and isinstance(_get(doc, path), dict):
            _get(doc, path)[draw(st.text(min_size=1, max_size=8))] = draw(json_value)
        else:
            doc = _set(doc, path, draw(json_value))
        if not isinstance(doc, dict | list):
            break
    return doc


def _get(doc, path: tuple):
    for p in path:
        doc = doc[p]
    return doc


@st.composite
def damaged_text(draw, valid: st.SearchStrategy) -> bytes:
    """The serialised JSON of `valid`, cut short or with bytes flipped, inserted or deleted."""
    raw = bytearray(json.dumps(draw(valid), ensure_ascii=draw(st.booleans())).encode())
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, max(0, len(raw) - 1)))
        kind = draw(st.sampled_from(["cut", "flip", "insert", "delete"]))
        if kind == "cut":
            del raw[i:]
        elif kind == "flip" and raw:
            raw[i] = draw(st.integers(0, 255))
        elif kind == "insert":
            raw[i:i] = draw(st.binary(min_size=1, max_size=4))
        elif raw:
            del raw[i]
    return bytes(raw)


# -- feed rows ---------------------------------------------------------------------------------------------------
def _valid_cell(draw, feed: Feed, col, person_birth: dt.date, sex: str) -> str | None:
    if col.kind == "id_number":
        return make_id_number("370303", person_birth, draw(st.integers(1, 499)), sex)
    if col.kind == "date":
        return person_birth.isoformat()
    if col.kind == "region":
        return "370303"
    if col.kind in ("enum", "flag"):
        return draw(st.sampled_from(sorted(col.codes)))
    if col.kind in ("int", "money"):
        return str(draw(st.integers(0, 20000)))
    return draw(st.text(alphabet="王李张刘陈明华芳0123456789AB", min_size=1, max_size=6))


@st.composite
def feed_rows(draw, dept: str) -> tuple[list[str], list[dict[str, str | None]]]:
    """(header, rows) of `dept`'s feed: mostly well-formed rows, some cells replaced by junk, columns maybe
    left out or extra ones added."""
    feed = FEEDS[dept]
    header = [c.name for c in feed.columns]
    if draw(st.booleans()):
        header = [h for h in header if draw(st.integers(0, 9)) > 0]  # a column sometimes missing
    if draw(st.booleans()):
        header.append(draw(st.sampled_from(["extra", "备注", "_row_no", "__index_level_0__"])))
    rows = []
    for n in range(draw(st.integers(1, 6))):
        born = _day(draw, dt.date(1950, 1, 1), dt.date(2024, 12, 31))
        sex = draw(st.sampled_from(["M", "F"]))
        row: dict[str, str | None] = {}
        for col in feed.columns:
            row[col.name] = _valid_cell(draw, feed, col, born, sex)
        row["record_no"] = f"R{n:04d}"
        row["sex"] = "1" if sex == "M" else "2"
        row["id_number"] = make_id_number("370303", born, 10 + n, sex)
        for name in list(row):
            if draw(st.integers(0, 4)) == 0:
                row[name] = draw(st.one_of(st.none(), st.sampled_from(NASTY_TEXT), st.text(max_size=30)))
        rows.append({h: row.get(h, "x") for h in header})
    return header, rows
