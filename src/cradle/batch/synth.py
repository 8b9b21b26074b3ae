"""A fast, seeded synthetic population in the batch layout (the three tables `Population.from_frames` reads).

Vectorised NumPy, so 35 million persons take seconds, not hours. Households are spread over every county of
the region; the shares are shaped after the 2020 census and national statistics, rounded (they are inputs for
testing and benchmarks, not estimates): about 2–2.5% of persons under three, one birth event per child under
three, a tenth of those children in nurseries, most children of three to six in kindergarten, a twentieth of
households with a recent home purchase, 10% of persons with their hukou in another county.

A tenth of the persons are older couples (the mother 49–88) with their grown children, the families that
计划生育奖励扶助 and 特别扶助 are about: about a third hold an only-child certificate from before 2016, a tenth of the
rural ones are 二女户; among the only-child families about 3% lost the child (失独, with the date of death) and 4%
have a disabled only child (grade 1–4); a few only-child families had another child after 2016. During the year
before the as-of date some of these parents died (the chance rising with age, from about 1% at 60 to a fifth at
90) and 2% of the households moved their hukou out of the province. The rates are inputs for testing and
benchmarks, chosen to be of a plausible size, not estimates.

households: household_id (int64), jurisdiction, only_child_certificate, rural_two_daughters, special_family,
low_income, owns_home, public_rental_eligible, purchase_date, purchase_new_commercial, purchase_home_number,
deed_tax_paid, renting, monthly_rent, certificate_date, lump_sum_received.
persons: household_id, person_id (int64, unique), relation, female, birth_date, hukou, employment, …, orphan,
hukou_type, death_date, disability_grade, adopted, cannot_self_care, hospitalized.
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
from cradle.policy.population import CARE, EMPLOYMENT, HUKOU_TYPE, INSURANCE, RELATION, SPECIAL_FAMILY

TABLES = ("households", "persons", "births")
# Households: children per household (0–3) and grandparents living with them (0–2).
CHILDREN_P = np.array([0.40, 0.36, 0.19, 0.05])
GRANDPARENTS_P = np.array([0.72, 0.13, 0.15])
SINGLE_PARENT = 0.08
OLDER_SHARE = 0.10  # of the persons: older family-planning couples and their grown children
RURAL = 0.45  # persons with a rural hukou (户口性质)


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
    codes = np.array([int(c) for c in counties(region)], dtype=np.int64)
    province = int(regions.province_of(str(codes[0])))
    today = np.datetime64(as_of, "D")
    older = int(persons * OLDER_SHARE)
    young = _young_families(np.random.default_rng(seed), codes, province, today, max(persons - older, 1))
    if older < 2:
        return young
    elders = _older_couples(np.random.default_rng([seed, 22]), codes, province, today, older)
    return _together(young, elders)


def _young_families(rng, codes: np.ndarray, province: int, today: np.datetime64, persons: int) -> Frames:
    """Households of all ages with children under 18 mostly: the population the birth and childcare programs
    are about."""

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
    # Drawn last, so the draws above stay as they were before the column existed.
    rural = rng.random(n_hh) < RURAL
    persons_df = persons_df.with_columns(hukou_type=_hukou_type(rural[hh_of]))
    return Frames(households_df, persons_df, births_df)


def _hukou_type(rural: np.ndarray) -> np.ndarray:
    return np.where(rural, HUKOU_TYPE["rural"], HUKOU_TYPE["urban"]).astype(np.int8)


def _older_couples(rng, codes: np.ndarray, province: int, today: np.datetime64, persons: int) -> Frames:
    """Older couples (some widowed) with their grown children listed as members: only-child and rural
    two-daughter families, 失独 and disabled-only-child families, deaths and hukou moves in the last year."""
    n_hh = persons // 2 + 2
    kind = rng.choice(3, n_hh, p=[0.34, 0.06, 0.60])  # only child, rural two daughters, other families
    only, two_daughters = kind == 0, kind == 1
    mother_age = rng.uniform(49, 88, n_hh)
    # Some only-child families had another child after 2016 (no longer 全面两孩前的独生子女家庭).
    later = only & (mother_age < 55) & (rng.random(n_hh) < 0.05)
    kids = np.where(only, 1 + later, np.where(two_daughters, 2, rng.choice([2, 3], n_hh, p=[0.7, 0.3])))
    size = 2 + kids
    n_hh = int(np.searchsorted(np.cumsum(size), persons) + 1)
    only, two_daughters, later, kids, size = (a[:n_hh] for a in (only, two_daughters, later, kids, size))
    mother_age = mother_age[:n_hh]
    n = int(size.sum())
    jurisdiction = np.sort(codes[rng.integers(0, len(codes), n_hh)])
    rural_hh = two_daughters | (rng.random(n_hh) < 0.5)

    hh_of = np.repeat(np.arange(n_hh), size)
    slot = np.arange(n) - np.concatenate([[0], np.cumsum(size)[:-1]])[hh_of]
    is_mother, is_father, is_child = slot == 0, slot == 1, slot >= 2
    child_k = slot - 2
    first_at = rng.uniform(21, 33, n_hh)  # the mother's age at her first child
    gap = rng.uniform(1.5, 5, n)
    m_age = mother_age[hh_of]
    age = np.select(
        [is_mother, is_father],
        [m_age, np.maximum(m_age + rng.normal(2, 2.5, n), 20)],
        m_age - first_at[hh_of] - child_k * gap,
    )
    birth_date = (today - (age * 365.25).astype(np.int64) - 1).astype("datetime64[D]")
    female = np.where(is_mother, True, np.where(is_father, False, rng.random(n) < 0.485))
    female |= is_child & two_daughters[hh_of]
    second = np.flatnonzero(is_child & (child_k == 1) & later[hh_of])
    after_2016 = np.datetime64("2016-06-01") + rng.integers(0, 4 * 365, len(second)).astype("timedelta64[D]")
    birth_date[second] = np.minimum(after_2016, today - 1)
    special = np.where(
        only,
        rng.choice(
            [0, SPECIAL_FAMILY["bereaved"], SPECIAL_FAMILY["disabled_child"]], n_hh, p=[0.93, 0.03, 0.04]
        ),
        0,
    ).astype(np.int8)
    special[later] = 0
    child = is_child & (child_k == 0)
    kid_hh = hh_of[child]
    # 失独: the only child died between its 10th birthday and the day before the as-of date.
    died_kid = special[kid_hh] == SPECIAL_FAMILY["bereaved"]
    earliest = birth_date[child] + 3653
    span = np.maximum((today - earliest).astype(np.int64), 1)
    kid_death = earliest + (rng.random(len(kid_hh)) * span).astype(np.int64).astype("timedelta64[D]")
    death_date = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    death_date[np.flatnonzero(child)[died_kid]] = np.minimum(kid_death[died_kid], today - 1)
    disability = np.zeros(n, dtype=bool)
    grade = np.zeros(n, dtype=np.int8)
    disabled_kid = np.flatnonzero(child)[special[kid_hh] == SPECIAL_FAMILY["disabled_child"]]
    disability[disabled_kid] = True
    grade[disabled_kid] = rng.choice([1, 2, 3, 4], len(disabled_kid), p=[0.2, 0.3, 0.3, 0.2])
    # Deaths of the parents during the year before the as-of date, more likely with age.
    parent = is_mother | is_father
    q = np.clip(0.01 * np.exp((age - 60) / 10.5), 0, 0.2)
    dies = parent & (rng.random(n) < q)
    death_date[dies] = today - rng.integers(0, 365, n).astype("timedelta64[D]")[dies]
    deceased = ~np.isnat(death_date)
    # Moves: 2% of the households moved their hukou out of the province during the year.
    moved = rng.random(n_hh) < 0.02
    elsewhere = 110101 if province != 110000 else 310101
    hukou = np.where(moved[hh_of] & parent, elsewhere, jurisdiction[hh_of])

    certificate = only
    first_child = np.flatnonzero(child)
    cert_date = np.full(n_hh, np.datetime64("NaT"), dtype="datetime64[D]")
    cert_date[kid_hh] = birth_date[first_child] + rng.integers(120, 3 * 365, len(kid_hh)).astype(
        "timedelta64[D]"
    )
    birth_order = np.where(is_child, child_k + 1, 0).astype(np.int16)
    persons_df = pl.DataFrame(
        {
            "household_id": hh_of.astype(np.int64),
            "person_id": np.arange(n, dtype=np.int64),
            "relation": np.select(
                [is_mother, is_father], [RELATION["mother"], RELATION["father"]], RELATION["child"]
            ).astype(np.int8),
            "female": female,
            "birth_date": birth_date,
            "hukou": hukou.astype(np.int64),
            "employment": np.where(
                ~is_child & (age < 60) & (rng.random(n) < 0.4), EMPLOYMENT["employee"], EMPLOYMENT["none"]
            ).astype(np.int8),
            "medical_insurance": np.full(n, INSURANCE["resident"], dtype=np.int8),
            "maternity_insurance": np.zeros(n, dtype=bool),
            "employer_avg_monthly_wage": np.full(n, np.nan),
            "birth_order": birth_order,
            "care_type": np.zeros(n, dtype=np.int8),
            "care_public": np.zeros(n, dtype=bool),
            "care_inclusive": np.zeros(n, dtype=bool),
            "care_registered": np.zeros(n, dtype=bool),
            "deceased": deceased,
            "disability": disability,
            "orphan": np.zeros(n, dtype=bool),
            "hukou_type": _hukou_type(rural_hh[hh_of]),
            "death_date": death_date,
            "disability_grade": grade,
            "cannot_self_care": parent & (age >= 75) & (rng.random(n) < 0.1),
            "hospitalized": parent & (rng.random(n) < 0.02),
        }
    )
    households_df = pl.DataFrame(
        {
            "household_id": np.arange(n_hh, dtype=np.int64),
            "jurisdiction": jurisdiction,
            "only_child_certificate": certificate,
            "rural_two_daughters": two_daughters,
            "special_family": special,
            "low_income": rng.random(n_hh) < 0.05,
            "owns_home": rng.random(n_hh) < 0.85,
            "public_rental_eligible": rng.random(n_hh) < 0.05,
            "purchase_date": np.full(n_hh, np.datetime64("NaT"), dtype="datetime64[D]"),
            "purchase_new_commercial": np.zeros(n_hh, dtype=bool),
            "purchase_home_number": np.zeros(n_hh, dtype=np.int16),
            "deed_tax_paid": np.full(n_hh, np.nan),
            "renting": np.zeros(n_hh, dtype=bool),
            "monthly_rent": np.full(n_hh, np.nan),
            "certificate_date": np.where(certificate, cert_date, np.datetime64("NaT")),
            "lump_sum_received": (special == SPECIAL_FAMILY["bereaved"]) & (rng.random(n_hh) < 0.8),
        }
    )
    return Frames(households_df, persons_df, _no_births())


def _no_births() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "household_id": np.zeros(0, dtype=np.int64),
            "child_id": np.zeros(0, dtype=np.int64),
            "date": np.zeros(0, dtype="datetime64[D]"),
            "babies": np.zeros(0, dtype=np.int16),
            "dystocia": np.zeros(0, dtype=bool),
            "delivery_cost": np.zeros(0),
        }
    )


def _together(a: Frames, b: Frames) -> Frames:
    """Both populations in one, households sorted by county (each county one household-id range, as
    partitions read them) and numbered 1…, persons numbered after a's."""
    offset = a.households.height
    b_hh = b.households.with_columns(pl.col("household_id") + offset + 1)
    b_persons = b.persons.with_columns(
        pl.col("household_id") + offset + 1, pl.col("person_id") + a.persons["person_id"].max() + 1
    )
    households = pl.concat([a.households, b_hh], how="diagonal_relaxed")
    order = households.with_row_index("_row").sort("jurisdiction", "_row")
    renumber = pl.DataFrame(
        {"household_id": order["household_id"], "_new": np.arange(1, order.height + 1, dtype=np.int64)}
    )

    def moved(frame: pl.DataFrame) -> pl.DataFrame:
        out = frame.join(renumber, on="household_id", how="left", maintain_order="left")
        return out.with_columns(pl.col("_new").alias("household_id")).drop("_new")

    households = moved(order.drop("_row"))
    persons = moved(pl.concat([a.persons, b_persons], how="diagonal_relaxed")).sort(
        "household_id", maintain_order=True
    )
    births = moved(pl.concat([a.births, b.births], how="vertical_relaxed")).sort(
        "household_id", maintain_order=True
    )
    return Frames(households, persons, births)
