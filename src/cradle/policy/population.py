"""Households in columns: the one representation the engine computes on, for one household or millions.

Three entities, each a dict of NumPy arrays of equal length:
- persons:    one row per member; `hh` is the row of its household
- households: one row per household
- births:     one row per delivery; `child` (its first newborn listed) and `mother` are person rows (-1 when
              absent), `babies` counts its newborns. Its newborns are the household's children born on its
              date (`newborns`): twins are one delivery, whether given as one event or one row per child.
Enumerations are small integers (see the *_CODES maps) so that formulas are plain array comparisons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from cradle.policy.dates import NAT
from cradle.policy.household import BirthEvent, HomePurchaseEvent, Household, RentingEvent

RELATION = {"mother": 1, "father": 2, "child": 3, "grandparent": 4, "other": 5}
EMPLOYMENT = {"none": 0, "employee": 1, "flexible": 2}
INSURANCE = {"none": 0, "employee": 1, "resident": 2}
CARE = {"none": 0, "home": 1, "nursery": 2, "kindergarten": 3}
SPECIAL_FAMILY = {None: 0, "bereaved": 1, "disabled_child": 2}
SOCIAL_INSURANCE = {"none": 0, "enterprise": 1, "public_institution": 2, "resident": 3}
DIAGNOSIS = {None: 0, "cerebral_palsy": 1, "autism": 2}
HUKOU_TYPE = {None: 0, "rural": 1, "urban": 2}

# Column name -> NumPy dtype, per entity. Dates are datetime64[D]; missing numbers are NaN.
PERSON_COLUMNS = {
    "hh": np.int64,
    "relation": np.int8,
    "female": bool,
    "birth_date": "datetime64[D]",
    "hukou": np.int64,
    "employment": np.int8,
    "medical_insurance": np.int8,
    "maternity_insurance": bool,
    "employer_avg_monthly_wage": float,
    "birth_order": np.int16,
    "care_type": np.int8,
    "care_public": bool,
    "care_inclusive": bool,
    "care_registered": bool,
    "deceased": bool,
    "disability": bool,
    "orphan": bool,
    "diagnosis": np.int8,
    "pregnancy_months": np.int8,
    "social_insurance": np.int8,
    "marriage_date": "datetime64[D]",
    "assisted_reproduction": bool,
    "care_left": "datetime64[D]",
    "hukou_type": np.int8,
    "death_date": "datetime64[D]",
    "disability_grade": np.int8,  # 0: not given
    "adopted": bool,
    "cannot_self_care": bool,
    "hospitalized": bool,
}
# Person columns a batch table may lack (added after the batch layout was fixed): read as "not given".
OPTIONAL_PERSON_COLUMNS = (
    "diagnosis",
    "pregnancy_months",
    "social_insurance",
    "marriage_date",
    "assisted_reproduction",
    "care_left",
    "hukou_type",
    "death_date",
    "disability_grade",
    "adopted",
    "cannot_self_care",
    "hospitalized",
)
HOUSEHOLD_COLUMNS = {
    "jurisdiction": np.int64,
    "only_child_certificate": bool,
    "rural_two_daughters": bool,
    "special_family": np.int8,
    "low_income": bool,
    "owns_home": bool,
    "public_rental_eligible": bool,
    "purchase_date": "datetime64[D]",
    "purchase_new_commercial": bool,
    "purchase_home_number": np.int16,
    "deed_tax_paid": float,
    "renting": bool,
    "monthly_rent": float,
    "certificate_date": "datetime64[D]",
    "lump_sum_received": bool,
}
# Household columns a batch table may lack, as OPTIONAL_PERSON_COLUMNS.
OPTIONAL_HOUSEHOLD_COLUMNS = ("certificate_date", "lump_sum_received")
BIRTH_COLUMNS = {
    "hh": np.int64,
    "child": np.int64,
    "mother": np.int64,
    "date": "datetime64[D]",
    "babies": np.int16,
    "dystocia": bool,
    "delivery_cost": float,
}


@dataclass
class Part:
    """Some households' columns (Population.columns_of) and where their rows come from: `person_take` and
    `household_take` cut a whole-population array down to them, an array of rows or, when they are one run
    of the source's rows, a slice (then a cut is a view, not a copy)."""

    persons: Mapping[str, np.ndarray]
    households: Mapping[str, np.ndarray]
    births: Mapping[str, np.ndarray]
    person_take: np.ndarray | slice
    household_take: np.ndarray | slice

    @property
    def person_origin(self) -> np.ndarray:
        """Rows in the population this part was taken from."""
        return _rows_of_take(self.person_take)

    @property
    def household_origin(self) -> np.ndarray:
        return _rows_of_take(self.household_take)

    def persons_in_whole(self, rows: np.ndarray) -> np.ndarray:
        """The whole population's rows of some of this part's person rows."""
        take = self.person_take
        return rows + take.start if type(take) is slice else take[rows]

    def households_in_whole(self, rows: np.ndarray) -> np.ndarray:
        take = self.household_take
        return rows + take.start if type(take) is slice else take[rows]


def _rows_of_take(take: np.ndarray | slice) -> np.ndarray:
    return np.arange(take.start, take.stop, dtype=np.int64) if type(take) is slice else take


@dataclass
class Population:
    persons: Mapping[str, np.ndarray]  # dicts, or TakenColumns for a sub-population
    households: Mapping[str, np.ndarray]
    births: Mapping[str, np.ndarray]
    person_ids: np.ndarray  # member id within its household (output only)
    household_ids: np.ndarray  # household id (output only)
    person_origin: np.ndarray | None = None  # rows in the population this one was taken from
    household_origin: np.ndarray | None = None
    _sorted: dict = field(default_factory=dict, repr=False, compare=False)  # entity -> rows ordered by `hh`
    # Per household: the first listed mother's person row (`first_mothers`), when the births' mothers were
    # found with it: the engine's `Ctx.mother_of` for the whole population, not searched for again
    mothers: np.ndarray | None = field(default=None, repr=False, compare=False)
    # (person rows, delivery rows) of the newborns (`newborns`), when the deliveries were found with them: the
    # engine's `Ctx.newborns` for the whole population, not matched again
    newborns: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False, compare=False)

    @property
    def n_persons(self) -> int:
        return len(self.person_ids)

    @property
    def n_households(self) -> int:
        return len(self.household_ids)

    def take_households(self, rows: np.ndarray) -> Population:
        """The sub-population of the given household rows, with person and birth indices renumbered."""
        part = self.columns_of(rows)
        return Population(
            part.persons,
            part.households,
            part.births,
            self.person_ids[part.person_origin],
            self.household_ids[part.household_origin],
            person_origin=part.person_origin,
            household_origin=part.household_origin,
        )

    def columns_of(self, rows: np.ndarray) -> Part:
        """The columns of the given household rows (what the engine computes a pack on), without the ids.
        Person and birth indices are renumbered; other columns are cut when first read (TakenColumns), since
        a pack's formulas read a few of them."""
        rows = np.asarray(rows, dtype=np.int64)
        one_run = len(rows) > 0 and rows[-1] - rows[0] + 1 == len(rows) and (np.diff(rows) == 1).all()
        if one_run and self._by_household():
            return self._run_of(int(rows[0]), int(rows[-1]) + 1)
        new_index = np.full(self.n_households, -1, dtype=np.int64)
        new_index[rows] = np.arange(len(rows))
        person_hh = new_index[self.persons["hh"]]
        prows = np.flatnonzero(person_hh >= 0)
        birth_hh = new_index[self.births["hh"]]
        brows = np.flatnonzero(birth_hh >= 0)
        fixed_births = {"hh": birth_hh[brows]}
        for key in (
            "child",
            "mother",
        ):  # members of the birth's household, so found among `prows` (ascending)
            old = self.births[key][brows]
            pos = np.minimum(np.searchsorted(prows, old), max(len(prows) - 1, 0))
            fixed_births[key] = np.where((old >= 0) & (len(prows) > 0) & (prows[pos] == old), pos, -1)
        return Part(
            TakenColumns(self.persons, prows, {"hh": person_hh[prows]}),
            TakenColumns(self.households, rows, {}),
            TakenColumns(self.births, brows, fixed_births),
            prows,
            rows,
        )

    def _by_household(self) -> bool:
        """Whether persons and births are listed household by household in household order (the batch tables'
        and the synthetic population's layout), checked once."""
        found = self._sorted.get("all")
        if found is None:
            found = self._sorted["all"] = all(
                len(hh) < 2 or bool((hh[1:] >= hh[:-1]).all())
                for hh in (np.asarray(self.persons["hh"]), np.asarray(self.births["hh"]))
            )
        return found

    def _run_of(self, first: int, stop: int) -> Part:
        """columns_of for the households first..stop-1 of a population listed household by household: their
        persons and births are runs of rows too, found by binary search, and every column is a view."""
        person_hh, birth_hh = np.asarray(self.persons["hh"]), np.asarray(self.births["hh"])
        p0, p1 = (int(i) for i in np.searchsorted(person_hh, [first, stop]))
        b0, b1 = (int(i) for i in np.searchsorted(birth_hh, [first, stop]))
        fixed_births = {"hh": birth_hh[b0:b1] - first}
        for key in ("child", "mother"):  # members of the birth's household, so within p0..p1
            old = np.asarray(self.births[key][b0:b1])
            fixed_births[key] = np.where((old >= p0) & (old < p1), old - p0, -1)
        persons, households = slice(p0, p1), slice(first, stop)
        return Part(
            TakenColumns(self.persons, persons, {"hh": person_hh[persons] - first}),
            TakenColumns(self.households, households, {}),
            TakenColumns(self.births, slice(b0, b1), fixed_births),
            persons,
            households,
        )

    # --- construction -------------------------------------------------------------------------------------

    @classmethod
    def from_households(cls, households: list[Household], ids: list[str] | None = None) -> Population:
        people: list[tuple] = []  # a row per member, in PERSON_COLUMNS' order
        h: dict[str, list] = {k: [] for k in HOUSEHOLD_COLUMNS}
        b: dict[str, list] = {k: [] for k in BIRTH_COLUMNS if k != "mother"}
        person_ids: list[str] = []
        nan = np.nan
        mothers: list[int] = []  # per household: its first listed mother's person row, -1 when none is
        for row, hh in enumerate(households):
            index = {}
            mothers.append(-1)
            for m in hh.members:
                if mothers[-1] < 0 and m.relation == "mother":
                    mothers[-1] = len(person_ids)
                index[m.id] = len(person_ids)
                person_ids.append(m.id)
                care = m.care
                wage = m.employer_avg_monthly_wage
                people.append(
                    (
                        row,
                        RELATION[m.relation],
                        m.sex == "F",
                        m.birth_date,
                        int(m.hukou or hh.jurisdiction),
                        EMPLOYMENT[m.employment],
                        INSURANCE[m.medical_insurance],
                        m.maternity_insurance,
                        nan if wage is None else wage,
                        m.birth_order or 0,
                        CARE[care.type] if care else 0,
                        bool(care and care.public),
                        bool(care and care.inclusive),
                        bool(care and care.registered),
                        m.deceased,
                        m.disability,
                        m.orphan,
                        DIAGNOSIS[m.diagnosis],
                        m.pregnancy_months or 0,
                        SOCIAL_INSURANCE[m.social_insurance],
                        m.marriage_date,
                        m.assisted_reproduction,
                        care.left if care else None,
                        HUKOU_TYPE[m.hukou_type],
                        m.death_date,
                        m.disability_grade or 0,
                        m.adopted,
                        m.cannot_self_care,
                        m.hospitalized,
                    )
                )
            fp = hh.family_planning
            h["jurisdiction"].append(int(hh.jurisdiction))
            h["only_child_certificate"].append(fp.only_child_certificate)
            h["rural_two_daughters"].append(fp.rural_two_daughters)
            h["special_family"].append(SPECIAL_FAMILY[fp.special_family])
            h["low_income"].append(hh.low_income)
            h["owns_home"].append(hh.housing.owns_home)
            h["public_rental_eligible"].append(hh.housing.public_rental_eligible)
            purchase = next((e for e in hh.events if isinstance(e, HomePurchaseEvent)), None)
            renting = next((e for e in hh.events if isinstance(e, RentingEvent)), None)
            h["purchase_date"].append(purchase.date if purchase else None)
            h["purchase_new_commercial"].append(bool(purchase and purchase.new_commercial))
            h["purchase_home_number"].append(purchase.home_number if purchase else 0)
            h["deed_tax_paid"].append(
                np.nan if not purchase or purchase.deed_tax_paid is None else purchase.deed_tax_paid
            )
            h["renting"].append(renting is not None)
            h["monthly_rent"].append(renting.monthly_rent if renting else np.nan)
            h["certificate_date"].append(fp.certificate_date)
            h["lump_sum_received"].append(fp.lump_sum_received)
            for e in hh.events:
                if isinstance(e, BirthEvent):
                    for kid in e.newborns:  # a row per newborn, as the batch tables have them
                        b["hh"].append(row)
                        b["child"].append(index[kid])
                        b["date"].append(e.date)
                        b["babies"].append(e.babies or 1)
                        b["dystocia"].append(e.dystocia)
                        b["delivery_cost"].append(
                            np.nan if e.in_policy_delivery_cost is None else e.in_policy_delivery_cost
                        )
        p = dict(
            zip(
                PERSON_COLUMNS,
                zip(*people, strict=True) if people else [()] * len(PERSON_COLUMNS),
                strict=True,
            )
        )
        persons = _arrays(p, PERSON_COLUMNS)
        per_newborn = _arrays(b, {k: v for k, v in BIRTH_COLUMNS.items() if k != "mother"})
        mother_of = np.array(mothers, dtype=np.int64)  # as first_mothers finds them
        return cls(
            persons=persons,
            households=_arrays(h, HOUSEHOLD_COLUMNS),
            births=deliveries(per_newborn, persons, mother_of),
            person_ids=np.array(person_ids, dtype=object),
            household_ids=np.array(
                ids if ids is not None else [str(i) for i in range(len(households))], dtype=object
            ),
        )

    @classmethod
    def from_frames(cls, households: pl.DataFrame, persons: pl.DataFrame, births: pl.DataFrame) -> Population:
        """From the batch layout (docs/batch.md): tables keyed by household_id / person_id.

        households: household_id + HOUSEHOLD_COLUMNS; persons: household_id, person_id + PERSON_COLUMNS
        (without hh); births: household_id, child_id + BIRTH_COLUMNS (without hh, child, mother).

        Rows keep table order: persons with `hh` their household's row, births with `child` the row of their
        child in the same household and `mother` the first listed mother of the household. Integer ids (the
        batch's case) are matched with array searches and stay integers; other ids go through joins and
        become text. Both give the same arrays (a test checks this).
        """
        if all(
            f[c].dtype.is_integer()
            for f, c in (
                (households, "household_id"),
                (persons, "household_id"),
                (persons, "person_id"),
                (births, "household_id"),
                (births, "child_id"),
            )
        ):
            return cls._from_integer_frames(households, persons, births)
        hh_ids = households["household_id"]
        hh_index = pl.DataFrame({"household_id": hh_ids, "_hh": np.arange(len(hh_ids))})
        persons = persons.join(hh_index, on="household_id", how="left", maintain_order="left")
        if persons["_hh"].null_count():
            raise ValueError("persons: household_id not in households")
        p = {"hh": persons["_hh"].to_numpy()}
        for col, dtype in PERSON_COLUMNS.items():
            if col != "hh":
                p[col] = person_column(persons, col, dtype)
        h = {col: column_array(households, col, dtype) for col, dtype in HOUSEHOLD_COLUMNS.items()}
        pidx = persons.select("household_id", "person_id").with_row_index("_p")
        h = {col: household_column(households, col, dtype) for col, dtype in HOUSEHOLD_COLUMNS.items()}
        pidx = persons.select("household_id", "person_id", "relation").with_row_index("_p")
        b_frame = births.join(hh_index, on="household_id", how="left", maintain_order="left")
        b_frame = b_frame.join(
            pidx.select("household_id", pl.col("person_id").alias("child_id"), pl.col("_p").alias("_child")),
            on=["household_id", "child_id"],
            how="left",
            maintain_order="left",
        )
        b = {
            "hh": b_frame["_hh"].to_numpy(),
            "child": b_frame["_child"].fill_null(-1).cast(pl.Int64).to_numpy(),
        }
        for col, dtype in BIRTH_COLUMNS.items():
            if col not in b and col != "mother":
                b[col] = column_array(b_frame, col, dtype)
        b = deliveries(b, p, first_mothers(p["relation"], p["hh"], len(hh_ids)))
        return cls(
            p, h, b, persons["person_id"].cast(pl.String).to_numpy(), hh_ids.cast(pl.String).to_numpy()
        )

    @classmethod
    def _from_integer_frames(
        cls, households: pl.DataFrame, persons: pl.DataFrame, births: pl.DataFrame
    ) -> Population:
        """from_frames for integer ids: keys found by sorting and binary search, no joins, no id text (turning
        millions of ids into Python strings costs as much as the engine on them; the output writes them as
        text all the same)."""
        hh_ids = households["household_id"].to_numpy()
        person_hh = _rows_of(hh_ids, persons["household_id"].to_numpy(), "persons")
        p = {"hh": person_hh}
        for col, dtype in PERSON_COLUMNS.items():
            if col != "hh":
                p[col] = person_column(persons, col, dtype)
        h = {col: household_column(households, col, dtype) for col, dtype in HOUSEHOLD_COLUMNS.items()}
        person_ids = persons["person_id"].to_numpy()
        # a person's key within its household: (household row, person id) -> person row
        stride = np.int64(person_ids.max() + 1) if len(person_ids) else np.int64(1)
        pkey = person_hh * stride + person_ids
        birth_hh = _rows_of(hh_ids, births["household_id"].to_numpy(), "births")
        bkey = birth_hh * stride + births["child_id"].to_numpy()
        order = np.argsort(pkey, kind="stable")
        pos = np.minimum(np.searchsorted(pkey[order], bkey), max(len(pkey) - 1, 0))
        child = np.where((len(pkey) > 0) & (pkey[order][pos] == bkey), order[pos], -1) if len(bkey) else bkey
        b = {"hh": birth_hh, "child": child.astype(np.int64)}
        for col, dtype in BIRTH_COLUMNS.items():
            if col not in b and col != "mother":
                b[col] = column_array(births, col, dtype)
        b = deliveries(b, p, first_mothers(p["relation"], person_hh, len(hh_ids)))
        return cls(p, h, b, person_ids, hh_ids)


def first_mothers(relation: np.ndarray, person_hh: np.ndarray, n_households: int) -> np.ndarray:
    """Per household: the first listed mother's person row, -1 when none is listed."""
    out = np.full(n_households, -1, dtype=np.int64)
    mothers = np.flatnonzero(relation == RELATION["mother"])[::-1]
    out[person_hh[mothers]] = mothers  # the first listed wins
    return out


# (household row, day) as one int64: days from 1970 within ±2**16 (1790-2149), households below 2**46
_DAY_SPAN = np.int64(1 << 17)


def _day_key(hh: np.ndarray, days: np.ndarray) -> np.ndarray:
    return hh.astype(np.int64) * _DAY_SPAN + (
        days.astype("datetime64[D]").astype(np.int64) + (_DAY_SPAN >> 1)
    )


_FEW = 16  # rows matched in Python rather than by sorting (one household's children and births)


def newborns(
    person_hh: np.ndarray,
    birth_date: np.ndarray,
    is_child: np.ndarray,
    birth_hh: np.ndarray,
    birth_day: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The newborns of each delivery: (person rows, their delivery rows), the household's children born on a
    delivery's date. One sort of the deliveries and a binary search per child."""
    if not len(birth_hh):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    if (
        len(person_hh) <= _FEW and len(birth_hh) <= _FEW
    ):  # a household's: matched in Python, without the masks
        first: dict = {}
        for j, key in enumerate(zip(birth_hh.tolist(), _as_days(birth_day).tolist(), strict=True)):
            if key[1] is not None:  # a delivery without a date has no newborn
                first.setdefault(key, j)
        kids, of = [], []
        days = _as_days(birth_date).tolist()
        for kid, (hh, child, day) in enumerate(zip(person_hh.tolist(), is_child.tolist(), days, strict=True)):
            j = first.get((hh, day), -1) if child and day is not None else -1
            if j >= 0:
                kids.append(kid)
                of.append(j)
        return np.array(kids, dtype=np.int64), np.array(of, dtype=np.int64)
    if np.isnat(birth_day).any():
        kids = np.flatnonzero(is_child & ~np.isnat(birth_date))
    else:  # only children born between the first and the last delivery can be one's newborn
        kids = np.flatnonzero(is_child & (birth_date >= birth_day.min()) & (birth_date <= birth_day.max()))
    if not len(kids):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    if len(kids) <= _FEW and len(birth_hh) <= _FEW:  # a household's: matched in Python, without the sorts
        first: dict = {}
        births = zip(birth_hh.tolist(), birth_day.astype("datetime64[D]").tolist(), strict=True)
        for j, key in enumerate(births):
            first.setdefault(key, j)
        keys = zip(person_hh[kids].tolist(), birth_date[kids].astype("datetime64[D]").tolist(), strict=True)
        found = [(kid, first.get(key, -1)) for kid, key in zip(kids.tolist(), keys, strict=True)]
        return (
            np.array([kid for kid, j in found if j >= 0], dtype=np.int64),
            np.array([j for _, j in found if j >= 0], dtype=np.int64),
        )
    bkey = _day_key(birth_hh, birth_day)
    order = np.argsort(bkey, kind="stable")
    pkey = _day_key(person_hh[kids], birth_date[kids])
    pos = np.minimum(np.searchsorted(bkey[order], pkey), len(bkey) - 1)
    hit = bkey[order][pos] == pkey
    return kids[hit], order[pos[hit]].astype(np.int64)


def _as_days(days: np.ndarray) -> np.ndarray:
    """`days` as datetime64[D] (itself when it is already: no copy to read it)."""
    return days if days.dtype == _DAY else days.astype(_DAY)


def deliveries(
    rows: Mapping[str, np.ndarray],
    persons: Mapping[str, np.ndarray],
    mother_of: np.ndarray,
    found: dict | None = None,
) -> dict:
    """The births table, one row per delivery, from rows per newborn (the batch's births table, one event's
    newborns): rows of a household on one date are one delivery. Its `child` is its first newborn listed,
    `babies` the most of the babies given, the rows and the household's children born that day, `dystocia`
    any row's, `delivery_cost` the largest given; `mother` the household's first listed mother. `found`, when
    given, receives the newborns matched on the way ("newborns": their person rows and delivery rows)."""
    hh = np.asarray(rows["hh"], dtype=np.int64)
    day = np.asarray(rows["date"], dtype="datetime64[D]")
    if not len(hh):
        return {k: np.empty(0, dtype=dtype) for k, dtype in BIRTH_COLUMNS.items()}
    child = np.asarray(rows["child"], dtype=np.int64)
    if len(hh) == 1:  # one newborn (one household's birth): it is the delivery
        _, of = newborns(
            persons["hh"], persons["birth_date"], persons["relation"] == RELATION["child"], hh, day
        )
        babies = max(int(rows["babies"][0]), 1, len(of))
        return {
            "hh": hh.copy(),
            "child": child.copy(),
            "mother": mother_of[hh],
            "date": day.copy(),
            "babies": np.array([babies], dtype=BIRTH_COLUMNS["babies"]),
            "dystocia": np.array(rows["dystocia"], dtype=bool),
            "delivery_cost": np.array(rows["delivery_cost"], dtype=float),
        }
    order = np.lexsort((np.where(child >= 0, child, np.iinfo(np.int64).max), _day_key(hh, day)))
    key = _day_key(hh, day)[order]
    starts = np.r_[0, np.flatnonzero(key[1:] != key[:-1]) + 1]
    first = order[starts]
    out_hh, out_day = hh[first], day[first]
    kids, of = newborns(
        persons["hh"], persons["birth_date"], persons["relation"] == RELATION["child"], out_hh, out_day
    )
    if found is not None:
        found["newborns"] = (kids, of)
    babies = np.maximum.reduceat(np.asarray(rows["babies"], dtype=np.int64)[order], starts)
    babies = np.maximum(babies, np.diff(np.r_[starts, len(order)]))
    babies = np.maximum(babies, np.bincount(of, minlength=len(starts)))
    return {
        "hh": out_hh,
        "child": child[first],
        "mother": mother_of[out_hh],
        "date": out_day,
        "babies": babies.astype(BIRTH_COLUMNS["babies"]),
        "dystocia": np.logical_or.reduceat(np.asarray(rows["dystocia"], dtype=bool)[order], starts),
        "delivery_cost": np.fmax.reduceat(np.asarray(rows["delivery_cost"], dtype=float)[order], starts),
    }


def _rows_of(keys: np.ndarray, wanted: np.ndarray, what: str) -> np.ndarray:
    """Row of each `wanted` key among `keys` (unique); ValueError naming `what` when one is missing."""
    order = np.argsort(keys, kind="stable")
    pos = np.searchsorted(keys[order], wanted)
    pos = np.minimum(pos, len(keys) - 1) if len(keys) else pos
    found = len(keys) > 0 and keys[order][pos] == wanted
    if not np.all(found):
        raise ValueError(f"{what}: household_id not in households")
    return order[pos].astype(np.int64)


class TakenColumns(Mapping):
    """The columns of `source` at `rows`, each cut on first read and kept; `fixed` columns are given."""

    def __init__(
        self, source: Mapping[str, np.ndarray], rows: np.ndarray | slice, fixed: dict[str, np.ndarray]
    ):
        self._source, self._rows, self._taken = source, rows, dict(fixed)

    def __getitem__(self, key: str) -> np.ndarray:
        found = self._taken.get(key)
        if found is None:
            found = self._taken[key] = self._source[key][self._rows]
        return found

    def __iter__(self):
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)


def _arrays(cols: dict[str, list], schema: dict) -> dict[str, np.ndarray]:
    out = {}
    for k, dtype in schema.items():
        values = cols[k]
        if dtype == "datetime64[D]":
            if all(v is None or type(v) is dt.date for v in values):
                # day numbers: several times quicker than NumPy's conversion of each date object
                out[k] = np.array(
                    [_NAT_DAY if v is None else v.toordinal() - _EPOCH_ORDINAL for v in values],
                    dtype=np.int64,
                ).view(_DAY)
            else:
                out[k] = np.array([NAT if v is None else np.datetime64(v, "D") for v in values], dtype=dtype)
        else:  # numbers convert in one call
            out[k] = np.array(values, dtype=dtype)
    return out


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()  # day 0 of datetime64[D]
_NAT_DAY = np.iinfo(np.int64).min  # NaT's day number
_DAY = np.dtype("datetime64[D]")


def person_column(persons: pl.DataFrame, col: str, dtype) -> np.ndarray:
    """A person column of a batch table; an optional one the table lacks is "not given" for everyone."""
    return _optional_column(persons, col, dtype, OPTIONAL_PERSON_COLUMNS)


def household_column(households: pl.DataFrame, col: str, dtype) -> np.ndarray:
    """A household column of a batch table; an optional one the table lacks is "not given" for everyone."""
    return _optional_column(households, col, dtype, OPTIONAL_HOUSEHOLD_COLUMNS)


def _optional_column(frame: pl.DataFrame, col: str, dtype, optional: tuple[str, ...]) -> np.ndarray:
    if col in optional and col not in frame.columns:
        return np.full(frame.height, NAT) if dtype == "datetime64[D]" else np.zeros(frame.height, dtype)
    return column_array(frame, col, dtype)


def column_array(frame: pl.DataFrame, col: str, dtype) -> np.ndarray:
    """One column of a batch table as the engine's array: dates as days, missing numbers NaN, flags False."""
    s = frame[col]
    if dtype == "datetime64[D]":
        return s.cast(pl.Date).to_numpy().astype("datetime64[D]")
    if dtype is float:
        return s.cast(pl.Float64).fill_null(np.nan).to_numpy()
    if dtype is bool:
        return s.fill_null(False).cast(pl.Boolean).to_numpy()
    return s.fill_null(0).to_numpy().astype(dtype)
