"""The batch layout into a Population, faster than `Population.from_frames` for integer ids.

Same arrays, same row order (a test checks this against `from_frames`): households in table order, persons
in table order with `hh` their household's row, births with `child` the row of their child in the same
household and `mother` the first listed mother of the household. Household and person ids stay integers
(from_frames turns them into Python strings, which costs as much as the engine on a partition); the output
writes them as text all the same. Tables with text ids go through `from_frames`.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from cradle.policy.population import (
    BIRTH_COLUMNS,
    HOUSEHOLD_COLUMNS,
    PERSON_COLUMNS,
    RELATION,
    Population,
    column_array,
)


def _rows_of(keys: np.ndarray, wanted: np.ndarray, what: str) -> np.ndarray:
    """Row of each `wanted` key among `keys` (unique); ValueError naming `what` when one is missing."""
    order = np.argsort(keys, kind="stable")
    pos = np.searchsorted(keys[order], wanted)
    pos = np.minimum(pos, len(keys) - 1) if len(keys) else pos
    found = len(keys) > 0 and keys[order][pos] == wanted
    if not np.all(found):
        raise ValueError(f"{what}: household_id not in households")
    return order[pos]


def population(households: pl.DataFrame, persons: pl.DataFrame, births: pl.DataFrame) -> Population:
    ints = all(f[c].dtype.is_integer() for f, c in ((households, "household_id"), (persons, "household_id"),
                                                   (persons, "person_id"), (births, "household_id"),
                                                   (births, "child_id")))
    if not ints:
        return Population.from_frames(households, persons, births)
    hh_ids = households["household_id"].to_numpy()
    person_hh = _rows_of(hh_ids, persons["household_id"].to_numpy(), "persons")
    p = {"hh": person_hh.astype(np.int64)}
    for col, dtype in PERSON_COLUMNS.items():
        if col != "hh":
            p[col] = column_array(persons, col, dtype)
    h = {col: column_array(households, col, dtype) for col, dtype in HOUSEHOLD_COLUMNS.items()}
    person_ids = persons["person_id"].to_numpy()
    # a person's key within its household: (household row, person id) -> person row
    stride = np.int64(person_ids.max() + 1) if len(person_ids) else np.int64(1)
    pkey = person_hh * stride + person_ids
    birth_hh = _rows_of(hh_ids, births["household_id"].to_numpy(), "births").astype(np.int64)
    bkey = birth_hh * stride + births["child_id"].to_numpy()
    order = np.argsort(pkey, kind="stable")
    pos = np.minimum(np.searchsorted(pkey[order], bkey), max(len(pkey) - 1, 0))
    child = np.where((len(pkey) > 0) & (pkey[order][pos] == bkey), order[pos], -1) if len(bkey) else bkey
    mother_of = np.full(len(hh_ids), -1, dtype=np.int64)
    mothers = np.flatnonzero(p["relation"] == RELATION["mother"])[::-1]
    mother_of[person_hh[mothers]] = mothers  # the first listed wins
    b = {"hh": birth_hh, "child": child.astype(np.int64), "mother": mother_of[birth_hh]}
    for col, dtype in BIRTH_COLUMNS.items():
        if col not in b:
            b[col] = column_array(births, col, dtype)
    return Population(p, h, b, person_ids, hh_ids)
