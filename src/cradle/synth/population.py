"""A synthetic county: persons with ages from the census shape, mothers chosen by age-specific fertility and
birth order, husbands, households, deaths, hukou moves, work and special families (only-child and rural
two-daughter parents, 失独 and disabled-child families, and those of them who died or moved away in the last
year). Deterministic for a seed.

Arrays are NumPy (index = person number) so that millions of persons take seconds, not minutes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from cradle import regions
from cradle.errors import N_, Invalid
from cradle.registry.historic_regions import code_for
from cradle.synth import names
from cradle.synth.shape import SEX_RATIO_AT_BIRTH, TWIN_RATE, asfr, single_year_age_weights

DAY = np.timedelta64(1, "D")
PARITY_WEIGHT = np.array([1.0, 1.15, 0.32, 0.08, 0.02])  # relative chance of a next birth by children so far


@dataclass
class Population:
    as_of: dt.date
    county: str
    n: int
    sex: np.ndarray  # 'M' | 'F'
    birth: np.ndarray  # datetime64[D]
    death: np.ndarray  # datetime64[D], NaT = alive
    name: np.ndarray
    mother: np.ndarray  # person index or -1
    father: np.ndarray
    spouse: np.ndarray
    married_on: np.ndarray
    divorced_on: np.ndarray
    household: np.ndarray  # household number (int)
    rel_to_head: np.ndarray  # GB/T 4761 code
    rural: np.ndarray  # bool, by household
    id_region: np.ndarray  # region in the ID number (birth registration)
    moved_in: np.ndarray  # datetime64[D] or NaT
    moved_out: np.ndarray
    resident_region: np.ndarray  # '' = lives at hukou
    employment: np.ndarray  # employee | flexible | none
    employed_from: np.ndarray
    wage: np.ndarray
    employer: np.ndarray
    low_income: np.ndarray  # bool (per household head)
    fp_status: (
        np.ndarray
    )  # '' | only_child_certificate | rural_two_daughters | special_bereaved | special_disabled
    id_number: np.ndarray


def _dates(as_of: dt.date, days_back: np.ndarray) -> np.ndarray:
    return np.datetime64(as_of, "D") - days_back.astype("timedelta64[D]")


def _years(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Completed years from date a to date b (vectorised)."""
    return ((b - a).astype(int) / 365.2425).astype(int)


def id_numbers(region: np.ndarray, birth: np.ndarray, sex: np.ndarray) -> np.ndarray:
    """GB 11643 numbers, unique per (region, birth date, sex) by a running sequence; check digit vectorised."""
    n = len(region)
    key = np.char.add(np.char.add(region.astype(str), birth.astype(str)), sex.astype(str))
    order = np.argsort(key, kind="stable")
    sk = key[order]
    starts = np.r_[True, sk[1:] != sk[:-1]]
    grp_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    seq_sorted = np.arange(n) - grp_start
    seq = np.empty(n, dtype=int)
    seq[order] = seq_sorted
    code = (seq % 500) * 2 + (sex == "M")
    ymd = np.char.replace(birth.astype(str), "-", "")
    body = np.char.add(np.char.add(region.astype(str), ymd), np.char.zfill(code.astype(str), 3))
    digits = np.frombuffer("".join(body.tolist()).encode(), dtype=np.uint8).reshape(n, 17) - 48
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    check = np.array(list("10X98765432"))[(digits * weights).sum(axis=1) % 11]
    return np.char.add(body, check)


def _valid_at_birth(id_region: np.ndarray, birth: np.ndarray) -> np.ndarray:
    """An ID number carries the code in use when it was first issued: persons born before their county got its
    present code get the predecessor's (cradle.idcard, via stdnum, checks that the code existed then)."""
    years = birth.astype("datetime64[Y]").astype(int) + 1970
    key = id_region.astype(int) * 10000 + years
    uniq, inverse = np.unique(key, return_inverse=True)
    mapped = []
    for k in uniq.tolist():
        region, year = f"{k // 10000:06d}", k % 10000
        city = regions.city_of(region) or region
        names_near = tuple(r.name for r in regions.children(city)) if city != region else ()
        mapped.append(code_for(region, year, names_near))
    return np.array(mapped, dtype="<U6")[inverse.reshape(-1)]


def generate(county: str, persons: int, seed: int, as_of: dt.date) -> Population:
    if not regions.exists(county):
        raise Invalid("region", N_("Unknown region code %(region)s"), region=county)
    rng = np.random.default_rng(seed)
    n = persons
    today = np.datetime64(as_of, "D")
    province = regions.province_of(county)
    others = [r.code for r in regions.descendants(province, "county") if r.code != county] or [county]

    # Ages and sexes of the living, then a few recently deceased (mostly old) so death records exist.
    ages = rng.choice(101, size=n, p=single_year_age_weights(county))
    birth = _dates(as_of, ages * 365 + rng.integers(0, 365, n))
    p_male = np.where(ages < 60, SEX_RATIO_AT_BIRTH / (1 + SEX_RATIO_AT_BIRTH), 0.47)
    sex = np.where(rng.random(n) < p_male, "M", "F")
    death = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    dead = rng.random(n) < np.where(ages >= 65, 0.06, 0.002)
    death[dead] = today - rng.integers(30, 5 * 365, dead.sum()).astype("timedelta64[D]")
    death[dead] = np.maximum(death[dead], birth[dead] + DAY)

    # Mothers, year by year from the oldest child: weight = fertility at her age × chance of her next birth.
    mother = np.full(n, -1)
    parity = np.zeros(n, dtype=int)
    last_birth = np.full(n, np.datetime64("1800-01-01"), dtype="datetime64[D]")
    women = np.flatnonzero(sex == "F")
    child_ages = _years(birth, np.full(n, today))
    has_mother_p = np.where(child_ages < 18, 0.97, np.where(child_ages < 45, 0.55, 0.0))
    wants_mother = rng.random(n) < has_mother_p
    for year in range(int(child_ages.max()), -1, -1):
        kids = np.flatnonzero(wants_mother & (child_ages == year))
        if len(kids) == 0:
            continue
        kids = kids[np.argsort(birth[kids])]
        mid = birth[kids[len(kids) // 2]]
        age_then = _years(birth[women], np.full(len(women), mid))
        spaced = (mid - last_birth[women]).astype(int) > 300
        w = asfr(age_then) * PARITY_WEIGHT[np.minimum(parity[women], 4)] * spaced
        w *= np.isnat(death[women]) | (death[women] > mid)
        ok = np.flatnonzero(w > 0)
        if len(ok) == 0:
            continue
        k = min(len(kids), len(ok))
        chosen = women[rng.choice(ok, size=k, replace=False, p=w[ok] / w[ok].sum())]
        kids = kids[:k]
        twins = np.flatnonzero(rng.random(k) < TWIN_RATE)
        twins = twins[twins > 0]
        chosen[twins] = chosen[twins - 1]
        birth[kids[twins]] = birth[kids[twins - 1]]
        mother[kids] = chosen
        np.add.at(parity, chosen, 1)
        last_birth[chosen] = np.maximum(last_birth[chosen], birth[kids])
    # Children must be born after their mother turned 15: resample ages made this true by construction.

    # Husbands: mothers first, then some childless women 22+, matched to unmarried men about two years older.
    spouse = np.full(n, -1)
    married_on = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    adult_age = _years(birth, np.full(n, today))
    wives = np.flatnonzero((sex == "F") & ((parity > 0) | ((adult_age >= 22) & (rng.random(n) < 0.55))))
    men = np.flatnonzero((sex == "M") & (adult_age >= 22))
    men = men[np.argsort(birth[men])]
    men_birth = birth[men].astype(int)
    taken = np.zeros(len(men), dtype=bool)
    target = birth[wives].astype(int) - rng.normal(730, 700, len(wives)).astype(int)
    perm = rng.permutation(len(wives))
    for w_i, t in zip(perm, target[perm], strict=True):
        pos = int(np.searchsorted(men_birth, t))
        for step in range(200):  # nearest free man on either side, at most six years off
            hit = -1
            for cand in (pos + step, pos - step - 1):
                if 0 <= cand < len(men) and not taken[cand] and abs(men_birth[cand] - t) < 6 * 365:
                    hit = cand
                    break
            if hit >= 0:
                taken[hit] = True
                wife, husband = wives[w_i], men[hit]
                spouse[wife], spouse[husband] = husband, wife
                break
    wives = np.flatnonzero((sex == "F") & (spouse >= 0))
    husbands = spouse[wives]
    first_child = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    kids_all = np.flatnonzero(mother >= 0)
    order = kids_all[np.argsort(birth[kids_all])[::-1]]
    first_child[mother[order]] = birth[order]  # the last write is the oldest child
    adult_from = np.maximum(birth[wives] + 22 * 365 * DAY, birth[husbands] + 22 * 365 * DAY)
    wed = np.where(
        np.isnat(first_child[wives]),
        adult_from + rng.integers(0, 3 * 365, len(wives)) * DAY,
        first_child[wives] - rng.integers(200, 3 * 365, len(wives)) * DAY,
    )
    wed = np.minimum(np.maximum(wed, birth[wives] + 20 * 365 * DAY), today - DAY)
    married_on[wives] = wed
    married_on[husbands] = wed
    father = np.where(mother >= 0, spouse[np.maximum(mother, 0)], -1)
    father[mother < 0] = -1
    divorced_on = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    div = wives[rng.random(len(wives)) < 0.03]
    span = np.maximum((today - married_on[div]).astype(int), 2)
    divorced_on[div] = married_on[div] + rng.integers(1, span) * DAY

    # Households: a couple with their unmarried children; everyone else heads their own.
    household = np.full(n, -1)
    rel = np.full(n, "01", dtype="<U2")
    couples = wives[np.isnat(divorced_on[wives])]
    hh_of = np.arange(len(couples))
    household[spouse[couples]] = hh_of
    rel[spouse[couples]] = "02"
    household[couples] = hh_of
    rel[couples] = "10"
    single_kid = (mother >= 0) & (spouse < 0) & (household < 0)
    kid_hh = household[np.maximum(mother, 0)]
    joins = single_kid & (kid_hh >= 0)
    household[joins] = kid_hh[joins]
    rel[joins] = np.where(sex[joins] == "M", "20", "30")
    rest = np.flatnonzero(household < 0)
    household[rest] = len(couples) + np.arange(len(rest))
    rel[rest] = "02"
    n_hh = household.max() + 1
    rural_hh = rng.random(n_hh) < 0.55
    rural = rural_hh[household]

    # Hukou moves: some were born elsewhere and moved in; some moved out; some live away from the hukou.
    id_region = np.full(n, county, dtype="<U6")
    born_elsewhere = (rng.random(n) < 0.08) & (mother < 0)
    id_region[born_elsewhere] = rng.choice(others, born_elsewhere.sum())
    moved_in = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    gap = np.maximum((today - birth[born_elsewhere]).astype(int), 2)
    moved_in[born_elsewhere] = birth[born_elsewhere] + rng.integers(1, gap) * DAY
    moved_out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    leave = (rng.random(n) < 0.02) & (adult_age >= 18) & np.isnat(death)
    moved_out[leave] = today - rng.integers(30, 3 * 365, leave.sum()) * DAY
    moved_out[leave] = np.maximum(moved_out[leave], birth[leave] + 18 * 365 * DAY)
    resident_region = np.full(n, "", dtype="<U6")
    away = (rng.random(n) < 0.12) & (adult_age >= 18)
    resident_region[away] = rng.choice(others, away.sum())

    # Work: by age; employees carry their employer's average wage (basis of 生育津贴).
    employment = np.full(n, "none", dtype="<U8")
    working_age = (adult_age >= 18) & (adult_age < 60) & np.isnat(death)
    draw = rng.random(n)
    employment[working_age & (draw < 0.45)] = "employee"
    employment[working_age & (draw >= 0.45) & (draw < 0.62)] = "flexible"
    employed_from = np.maximum(birth + (18 + rng.integers(0, 8, n)) * 365 * DAY, np.datetime64("2005-01-01"))
    employed_from = np.minimum(employed_from, today - DAY)
    wage = np.where(employment == "employee", rng.integers(40, 120, n) * 100, 0)
    employer = np.full(n, "", dtype="<U18")
    employer_pool = _credit_codes(rng, county, 60)
    employer[employment == "employee"] = rng.choice(employer_pool, (employment == "employee").sum())

    low_income = np.zeros(n, dtype=bool)
    heads = np.flatnonzero(rel == "02")
    low_income[heads[rng.random(len(heads)) < 0.03]] = True

    fp_status = _family_planning(rng, n, sex, birth, death, mother, spouse, rural, parity, today)
    # A stream of its own, so that adding these changes left every other draw as it was.
    _year_of_changes(np.random.default_rng([seed, 22]), fp_status, birth, death, moved_out, today)

    surname = names.surnames(rng, n)
    for k in np.flatnonzero(father >= 0)[np.argsort(birth[father >= 0])]:  # fathers before their children
        surname[k] = surname[father[k]]
    name = np.char.add(surname, names.given_names(rng, sex))
    return Population(
        as_of,
        county,
        n,
        sex,
        birth,
        death,
        name,
        mother,
        father,
        spouse,
        married_on,
        divorced_on,
        household,
        rel,
        rural,
        id_region,
        moved_in,
        moved_out,
        resident_region,
        employment,
        employed_from,
        wage,
        employer,
        low_income,
        fp_status,
        id_numbers(_valid_at_birth(id_region, birth), birth, sex),
    )


def _family_planning(rng, n, sex, birth, death, mother, spouse, rural, parity, today) -> np.ndarray:
    """独生子女证 for one-child couples of the policy era, 农村双女户, and 特殊家庭 among older one-child parents."""
    status = np.full(n, "", dtype="<U24")
    kids = np.flatnonzero(mother >= 0)
    moms = np.flatnonzero((parity > 0) & (spouse >= 0))
    first = {}
    daughters = np.zeros(n, dtype=int)
    for k in kids[np.argsort(birth[kids])]:
        first.setdefault(mother[k], k)
        daughters[mother[k]] += sex[k] == "F"
    for m in moms:
        kid = first[m]
        era = birth[kid] < np.datetime64("2016-01-01")
        if parity[m] == 1 and era:
            age = (today - birth[m]).astype(int) / 365.25
            draw = rng.random()
            if age >= 49 and draw < 0.03:
                status[m] = "special_bereaved"
                death[kid] = min(today - DAY * int(rng.integers(30, 3650)), today - DAY)
                death[kid] = max(death[kid], birth[kid] + DAY)
            elif age >= 49 and draw < 0.05:
                status[m] = "special_disabled"
            elif rng.random() < (0.3 if rural[m] else 0.6):
                status[m] = "only_child_certificate"
        elif parity[m] == 2 and daughters[m] == 2 and rural[m] and era and rng.random() < 0.8:
            status[m] = "rural_two_daughters"
    has = np.flatnonzero(status != "")
    status[spouse[has]] = status[has]
    return status


def _year_of_changes(rng, fp_status, birth, death, moved_out, today) -> None:
    """Family-planning parents who died or moved their hukou away during the year before the as-of date (the
    people the yearly review of 奖励扶助 and 特别扶助 takes off its list): deaths more likely with age, from about
    1% a year at 60 to a fifth at 90, and 2% moves; test inputs of a plausible size, not estimates."""
    fp = np.flatnonzero((fp_status != "") & np.isnat(death) & np.isnat(moved_out))
    age = (today - birth[fp]).astype(int) / 365.25
    dies = rng.random(len(fp)) < np.clip(0.01 * np.exp((age - 60) / 10.5), 0, 0.2)
    dead = fp[dies]
    death[dead] = np.maximum(today - rng.integers(0, 365, len(dead)) * DAY, birth[dead] + DAY)
    rest = fp[~dies]
    moves = rest[rng.random(len(rest)) < 0.02]
    moved_out[moves] = today - rng.integers(0, 365, len(moves)) * DAY


def _credit_codes(rng: np.random.Generator, county: str, k: int) -> np.ndarray:
    from stdnum.cn import uscc

    out = []
    for i in range(k):
        body = f"91{county}MA{i:04d}{int(rng.integers(0, 999)):03d}"[:17]
        out.append(body + uscc.calc_check_digit(body))
    return np.array(out)
