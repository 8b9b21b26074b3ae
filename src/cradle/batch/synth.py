"""A fast, seeded synthetic population in the batch layout (the three tables `Population.from_frames` reads).

Vectorised NumPy, so 35 million persons take seconds, not hours. Households are spread over every county of
the region; the shares are shaped after the 2020 census and national statistics, rounded (they are inputs for
testing and benchmarks, not estimates): about 2–2.5% of persons under three, one birth event per child under
three, a tenth of those children in nurseries, most children of three to six in kindergarten, a twentieth of
households with a recent home purchase, 10% of persons with their hukou in another county.

households: household_id (int64), jurisdiction, only_child_certificate, rural_two_daughters, special_family,
low_income, owns_home, public_rental_eligible, purchase_date, purchase_new_commercial, purchase_home_number,
deed_tax_paid, renting, monthly_rent.
persons: household_id, person_id (int64, unique), relation, female, birth_date, hukou, employment, …, orphan.
births: household_id, child_id, date, babies, dystocia, delivery_cost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from cradle import regions
from cradle.errors import N_, Invalid
from cradle.policy.population import CARE, EMPLOYMENT, INSURANCE, RELATION

TABLES = ("households", "persons", "births")
# Households: children per household (0–3) and grandparents living with them (0–2).
CHILDREN_P = np.array([0.40, 0.36, 0.19, 0.05])
GRANDPARENTS_P = np.array([0.72, 0.13, 0.15])
SINGLE_PARENT = 0.08


@dataclass
class Frames:
    households: pl.DataFrame
    persons: pl.DataFrame
    births: pl.DataFrame

    @property
    def n_persons(self) -> int:
        return self.persons.height

    def write(self, out: Path | str) -> Path:
        """Writes households.parquet, persons.parquet, births.parquet into the directory `out`."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            getattr(self, name).write_parquet(out / f"{name}.parquet", row_group_size=256 * 1024)
        return out


def counties(code: str) -> list[str]:
    """The county-level units of `code` (itself for a county); Invalid naming the field when unknown."""
    if not regions.exists(code):
        raise Invalid("region", N_("unknown region code %(region)s"), region=code)
    region = regions.get(code)
    if region.level == "county":
        return [code]
    found = [r.code for r in regions.descendants(code, "county")]
    if not found:
        raise Invalid("region", N_("%(region)s has no county-level units"), region=code)
    return found


def _days(rng, lo_years: float, hi_years: float, n: int) -> np.ndarray:
    return (rng.uniform(lo_years, hi_years, n) * 365.25).astype(np.int64)


def generate(region: str, persons: int, seed: int, as_of: dt.date) -> Frames:
    """About `persons` persons (exactly, unless the last household would overshoot by its size) in `region`."""
    if persons < 1:
        raise Invalid("persons", N_("must be at least 1"))
    rng = np.random.default_rng(seed)
    codes = np.array([int(c) for c in counties(region)], dtype=np.int64)
    province = int(regions.province_of(str(codes[0])))
    today = np.datetime64(as_of, "D")

    # Household composition; enough households for `persons`, then cut at the household that reaches it.
    n_hh = persons // 2 + 16  # households have at least 1 person and 3.2 on average: always enough
    kids = rng.choice(4, n_hh, p=CHILDREN_P)
    grand = rng.choice(3, n_hh, p=GRANDPARENTS_P)
    single = rng.random(n_hh) < SINGLE_PARENT
    size = 2 - single + kids + grand
    total = np.cumsum(size)
    if total[-1] < persons:
        raise Invalid("persons", N_("too few households drawn"))  # impossible: the mean size is above 2
    n_hh = int(np.searchsorted(total, persons) + 1)
    kids, grand, single, size = kids[:n_hh], grand[:n_hh], single[:n_hh], size[:n_hh]
    n = int(size.sum())

    weights = rng.gamma(4.0, 1.0, len(codes))
    # Sorted, so each county's households are one household-id range (partitions read only their row groups).
    jurisdiction = np.sort(codes[rng.choice(len(codes), n_hh, p=weights / weights.sum())])
    hh_ids = np.arange(n_hh, dtype=np.int64) + 1

    # Mother's age sets the generation: children born when she was 20–42, grandparents 24–32 years older.
    mother_age = rng.uniform(21, 62, n_hh)
    # Per household: member slots in order mother, father, children (eldest first), grandparents.
    hh_of = np.repeat(np.arange(n_hh), size)
    first = np.concatenate([[0], np.cumsum(size)[:-1]])
    slot = np.arange(n) - first[hh_of]
    n_par = (2 - single)[hh_of]
    is_mother = slot == 0
    is_father = (slot == 1) & (n_par == 2)
    child_k = slot - n_par  # 0-based child index when < kids
    is_child = (child_k >= 0) & (child_k < kids[hh_of])

    relation = np.where(
        is_mother,
        RELATION["mother"],
        np.where(
            is_father, RELATION["father"], np.where(is_child, RELATION["child"], RELATION["grandparent"])
        ),
    ).astype(np.int8)
    female = np.where(is_mother, True, np.where(is_father, False, rng.random(n) < 0.485))
    # Ages: mother, father (±), children spaced from the youngest, grandparents.
    m_age = mother_age[hh_of]
    youngest_at = rng.uniform(0, 1, n_hh)  # how far into her fertile years the last birth came
    last_birth_age = 20 + (np.minimum(mother_age, 42) - 20) * youngest_at  # mother's age at the last birth
    youngest = np.maximum(mother_age - last_birth_age, 0)[hh_of]  # youngest child's age now
    gap = rng.uniform(1.2, 4.5, n)
    n_kids = kids[hh_of]
    age = np.select(
        [is_mother, is_father, is_child],
        [m_age, m_age + rng.normal(2, 2.5, n), youngest + (n_kids - 1 - child_k) * gap],
        m_age + rng.uniform(24, 32, n),
    )
    # Children must be at least 12 years younger than the mother: compress gaps when needed.
    age = np.where(is_child, np.minimum(age, np.maximum(m_age - 16 - child_k * 0.5, 0)), age)
    age = np.where(is_father, np.maximum(age, 20), age)
    birth_date = today - (age * 365.25).astype(np.int64) - 1
    birth_date = birth_date.astype("datetime64[D]")
    birth_order = np.where(is_child, child_k + 1, 0).astype(np.int16)

    own = jurisdiction[hh_of]
    other_county = codes[rng.integers(0, len(codes), n)]
    r = rng.random(n)
    hukou = np.where(
        r < 0.87, own, np.where(r < 0.97, other_county, 110101 if province != 110000 else 310101)
    )

    adult = ~is_child
    work_age = adult & (age < 60)
    er = rng.random(n)
    employment = np.where(
        work_age & (er < 0.55),
        EMPLOYMENT["employee"],
        np.where(work_age & (er < 0.70), EMPLOYMENT["flexible"], EMPLOYMENT["none"]),
    ).astype(np.int8)
    employee = employment == EMPLOYMENT["employee"]
    medical = np.where(
        employee | ((employment == EMPLOYMENT["flexible"]) & (rng.random(n) < 0.5)),
        INSURANCE["employee"],
        np.where(rng.random(n) < 0.95, INSURANCE["resident"], INSURANCE["none"]),
    ).astype(np.int8)
    maternity = employee & (rng.random(n) < 0.9)
    wage = np.where(employee, np.round(rng.lognormal(8.9, 0.35, n), 0), np.nan)

    care_r = rng.random(n)
    under3 = is_child & (age < 3)
    preschool = is_child & (age >= 3) & (age < 6)
    care = np.select(
        [under3 & (care_r < 0.10), under3 & (care_r < 0.45), preschool & (care_r < 0.88)],
        [CARE["nursery"], CARE["home"], CARE["kindergarten"]],
        CARE["none"],
    ).astype(np.int8)
    in_care = (care == CARE["nursery"]) | (care == CARE["kindergarten"])
    care_public = in_care & (rng.random(n) < 0.5)
    care_inclusive = in_care & ~care_public & (rng.random(n) < 0.6)
    care_registered = in_care & (rng.random(n) < 0.85)
    disability = rng.random(n) < 0.01
    deceased = np.zeros(n, dtype=bool)
    orphan = is_child & (rng.random(n) < 0.0005)
    person_ids = np.arange(n, dtype=np.int64) + 1

    persons_df = pl.DataFrame(
        {
            "household_id": hh_ids[hh_of],
            "person_id": person_ids,
            "relation": relation,
            "female": female,
            "birth_date": birth_date,
            "hukou": hukou,
            "employment": employment,
            "medical_insurance": medical,
            "maternity_insurance": maternity,
            "employer_avg_monthly_wage": wage,
            "birth_order": birth_order,
            "care_type": care,
            "care_public": care_public,
            "care_inclusive": care_inclusive,
            "care_registered": care_registered,
            "deceased": deceased,
            "disability": disability,
            "orphan": orphan,
        }
    )

    # Births: one event per child under three (the window of every birth-linked program).
    b_rows = np.flatnonzero(under3)
    nb = len(b_rows)
    births_df = pl.DataFrame(
        {
            "household_id": hh_ids[hh_of[b_rows]],
            "child_id": person_ids[b_rows],
            "date": birth_date[b_rows],
            "babies": np.ones(nb, dtype=np.int16),
            "dystocia": rng.random(nb) < 0.1,
            "delivery_cost": np.where(
                rng.random(nb) < 0.7, np.round(rng.uniform(2500, 12000, nb), 0), np.nan
            ),
        }
    )

    # Households: family planning, housing, a recent purchase (within three years) or renting.
    n_children = kids
    owns = rng.random(n_hh) < 0.7
    bought = rng.random(n_hh) < 0.05
    purchase = np.where(bought, today - _days(rng, 0, 3, n_hh), np.datetime64("NaT")).astype("datetime64[D]")
    renting = ~owns & (rng.random(n_hh) < 0.6)
    households_df = pl.DataFrame(
        {
            "household_id": hh_ids,
            "jurisdiction": jurisdiction,
            "only_child_certificate": (n_children == 1) & (rng.random(n_hh) < 0.3),
            "rural_two_daughters": (n_children == 2) & (rng.random(n_hh) < 0.05),
            "special_family": np.where(rng.random(n_hh) < 0.003, rng.integers(1, 3, n_hh), 0).astype(np.int8),
            "low_income": rng.random(n_hh) < 0.03,
            "owns_home": owns | bought,
            "public_rental_eligible": ~owns & (rng.random(n_hh) < 0.15),
            "purchase_date": purchase,
            "purchase_new_commercial": bought & (rng.random(n_hh) < 0.6),
            "purchase_home_number": np.where(
                bought, rng.choice([1, 2, 3], n_hh, p=[0.6, 0.35, 0.05]), 0
            ).astype(np.int16),
            "deed_tax_paid": np.where(bought, np.round(rng.uniform(8000, 60000, n_hh), 0), np.nan),
            "renting": renting & ~bought,
            "monthly_rent": np.where(renting & ~bought, np.round(rng.uniform(600, 3500, n_hh), 0), np.nan),
        }
    )
    return Frames(households_df, persons_df, births_df)
