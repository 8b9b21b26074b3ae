"""One partition's entitlements: the engine's ProgramResults flattened into one table.

Columns (ENTITLEMENT_SCHEMA): program, kind, beneficiary (person_id, or "household"), amount (null where the
document leaves it to a lower level or the program has no amount), deadline (for deadline programs, whose
"amount" is a date), unit, period_start, period_end, household (household_id), county (jurisdiction).

The table is built as Arrow columns in one pass over the results (NumPy arrays concatenated once, the ids turned
into text only for the rows granted); `entitlements()` gives it as a Polars frame, `entitlement_table()` as the
Arrow table the batch writes (its program, kind and unit columns dictionary-encoded: a handful of texts repeated
over every row).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from cradle.policy.engine import run
from cradle.policy.population import Population

ENTITLEMENT_SCHEMA = {
    "program": pl.String,
    "kind": pl.String,
    "beneficiary": pl.String,
    "amount": pl.Float64,
    "deadline": pl.Date,
    "unit": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "household": pl.String,
    "county": pl.Int64,
}
TEXTS = {"program": "id", "kind": "kind", "unit": "unit"}  # column: the Program attribute (one per program)
ARROW_SCHEMA = pa.schema(
    [
        ("program", pa.string()),
        ("kind", pa.string()),
        ("beneficiary", pa.string()),
        ("amount", pa.float64()),
        ("deadline", pa.date32()),
        ("unit", pa.string()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("household", pa.string()),
        ("county", pa.int64()),
    ]
)
_NO_DAY = np.empty(0, dtype="datetime64[D]")


# "00" to "99" as two bytes each: a number's decimal text is written two digits at a time
_PAIRS = np.frombuffer("".join(f"{i:02d}" for i in range(100)).encode(), dtype=np.uint16)


def _texts(ids: np.ndarray) -> pa.Array:
    """Ids as text: integers written in decimal (as Polars casts them), texts as they are."""
    if ids.dtype.kind in "iu":
        found = _decimal(ids)
        return found if found is not None else pc.cast(pa.array(ids, type=pa.int64()), pa.string())
    return pc.cast(pa.array(ids), pa.string())


def _decimal(ids: np.ndarray) -> pa.Array | None:
    """Integers of one number of digits (a partition's ids, usually) as decimal text, written into the text
    array's buffers two digits at a time (about twice as quick as Arrow's cast); None for other ids."""
    if len(ids) < 2:
        return None
    lo, hi = int(ids.min()), int(ids.max())
    if lo < 0 or len(str(lo)) != len(str(hi)):
        return None
    digits = len(str(hi))
    n = len(ids)
    out = np.empty((n, digits), dtype=np.uint8)
    odd = digits % 2  # an odd count: the leading digit alone, the others in pairs
    pairs = out[:, odd:].view(np.uint16)
    rest = ids.astype(np.uint32 if hi < 2**32 else np.uint64)
    for j in range(pairs.shape[1] - 1, -1, -1):
        ahead = rest // 100
        pairs[:, j] = _PAIRS[rest - ahead * 100]
        rest = ahead
    if odd:
        out[:, 0] = rest + ord("0")
    data = out.reshape(-1)
    offsets = np.arange(0, (n + 1) * digits, digits, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype("datetime64[D]", copy=False), type=pa.date32())  # NaT is null


def _repeated(values: list[str | None], counts: np.ndarray) -> pa.DictionaryArray:
    """values[i] repeated counts[i] times, as a dictionary of the distinct texts (None: null)."""
    distinct = list(dict.fromkeys(v for v in values if v is not None))
    codes = np.array([-1 if v is None else distinct.index(v) for v in values], dtype=np.int32)
    rows = np.repeat(codes, counts)
    return pa.DictionaryArray.from_arrays(
        pa.array(rows, type=pa.int32(), mask=rows < 0), pa.array(distinct, type=pa.string())
    )


def entitlement_table(
    pop: Population, as_of: dt.date, overrides: dict | None = None, only: set[str] | None = None
) -> pa.Table:
    """Every eligible row of every program for `pop` as of `as_of`, in ARROW_SCHEMA (program, kind and unit
    as dictionaries), rows in program order and within a program in the engine's order."""
    granted = [res for res in run(pop, as_of, overrides=overrides, only=only) if len(res.rows)]
    counts = np.array([len(res.rows) for res in granted], dtype=np.int64)
    amounts, deadlines = [], []
    for res, k in zip(granted, counts, strict=True):
        amount = np.full(k, np.nan) if res.amount is None else res.amount
        if amount.dtype.kind == "M":
            deadlines.append(amount.astype("datetime64[D]"))
            amounts.append(np.full(k, np.nan))
        else:
            deadlines.append(np.full(k, np.datetime64("NaT"), dtype="datetime64[D]"))
            amounts.append(amount.astype(float))

    def joined(arrays: list[np.ndarray], empty: np.ndarray) -> np.ndarray:
        return np.concatenate(arrays) if arrays else empty

    beneficiary = joined([res.beneficiary for res in granted], np.empty(0, dtype=np.int64))
    household = joined([res.household for res in granted], np.empty(0, dtype=np.int64))
    amount = joined(amounts, np.empty(0))
    by_person = beneficiary >= 0
    person_ids = np.asarray(pop.person_ids)
    if len(person_ids):
        beneficiary_text = _texts(person_ids[np.maximum(beneficiary, 0)])
    else:  # households without members listed: only household entitlements
        beneficiary_text = pa.nulls(len(beneficiary), pa.string())
    if not by_person.all():  # a household's entitlement (row -1) is written "household"
        beneficiary_text = pc.if_else(
            pa.array(by_person), beneficiary_text, pa.scalar("household", pa.string())
        )
    columns = {
        name: _repeated([getattr(res.program, attr) for res in granted], counts)
        for name, attr in TEXTS.items()
    }
    columns.update(
        beneficiary=beneficiary_text,
        amount=pa.array(amount, type=pa.float64(), mask=np.isnan(amount)),
        deadline=_dates(joined(deadlines, _NO_DAY)),
        period_start=_dates(joined([res.start for res in granted], _NO_DAY)),
        period_end=_dates(joined([res.end for res in granted], _NO_DAY)),
        household=_texts(np.asarray(pop.household_ids)[household]),
        county=pa.array(np.asarray(pop.households["jurisdiction"])[household], type=pa.int64()),
    )
    return pa.table({name: columns[name] for name in ARROW_SCHEMA.names})


def plain(table: pa.Table) -> pa.Table:
    """`table` in ARROW_SCHEMA with its dictionary columns decoded (what a reader of the written file sees)."""
    return table.cast(ARROW_SCHEMA)


def entitlements(
    pop: Population, as_of: dt.date, overrides: dict | None = None, only: set[str] | None = None
) -> pl.DataFrame:
    """Every eligible row of every program for `pop` as of `as_of`, in ENTITLEMENT_SCHEMA."""
    return pl.from_arrow(plain(entitlement_table(pop, as_of, overrides, only))).cast(ENTITLEMENT_SCHEMA)
