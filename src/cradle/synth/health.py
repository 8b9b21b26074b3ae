"""Synthetic 妇幼 records of a synthetic county, at configurable rates, as the four 妇幼 feeds.

From the population (`cradle.synth.population`): a pregnancy file for every birth since the first year written
(早孕建册 week, antenatal visits, a risk assessment in one of the five colours, delivery, postpartum visit, the
HIV/syphilis/HBV tests, treatment of the positives and their children's final status), pregnancies still under
way, newborn metabolic and hearing screening, birth defects, 0–6 health checks, the deaths of children under 5
the population already has, maternal deaths, premarital and preconception checks of married couples, two-cancer
screening of women 35–64 on a three-year cycle, and HPV vaccination of girls in the year they turn 13.

Rates are shares (0–1) and per-event probabilities; `HealthRates.years` says how many calendar years of records
are written (up to the population's date). So that a small county still shows every indicator, at least one
HIV-positive and one syphilis-positive pregnancy is drawn in each year with tests, and one HIV-exposed child's final
status in each year that can have one, while those rates are above 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace

import numpy as np
import polars as pl

from cradle import regions
from cradle.errors import N_, Invalid
from cradle.health.feeds import FEEDS
from cradle.synth.population import DAY, Population

TOWNS = 12  # 乡镇/街道 per synthetic county, as cradle.synth.feeds writes them (<county>101 … <county>112)
SEXCODE = {"M": "1", "F": "2"}
GRADE_CODES = ("1", "2", "3", "4", "5")  # green yellow orange red purple
CHECK_MONTHS = (1, 3, 6, 8, 12, 18, 24, 30, 36, 48, 60, 72)  # 0–6岁儿童健康管理服务 ages, months
MATERNAL_CAUSES = ("O72.1", "O14.1", "O88.2", "O99.4", "O15.0")
CHILD_CAUSES = ("P07.3", "Q24.9", "J18.9", "P21.9", "W69")
DEFECTS = ("Q21.1", "Q35.9", "Q69.9", "Q65.2", "Q90.9")


@dataclass(frozen=True)
class HealthRates:
    years: int = 6  # calendar years of records, ending with the population's date
    early_booking: float = 0.93  # filed before 13 weeks
    five_checks: float = 0.95  # five or more antenatal checks
    postpartum_visit: float = 0.96
    new_method: float = 0.998  # 新法接生
    yellow: float = 0.30  # risk grades; green takes the rest
    orange: float = 0.08
    red: float = 0.02
    purple: float = 0.01
    testing: float = 0.995  # HIV, syphilis and HBV tests in pregnancy
    hiv_positive: float = 0.0005
    syphilis_positive: float = 0.003
    hbv_positive: float = 0.05
    treatment: float = 0.97
    mother_to_child: float = 0.03  # exposed children found infected
    maternal_death: float = 0.0001  # per delivery
    metabolic_screening: float = 0.99
    hearing_screening: float = 0.97
    birth_defect: float = 0.01
    child_check: float = 0.93  # each scheduled 0–6 check held
    premarital: float = 0.7  # each spouse of a marriage
    preconception: float = 0.85  # each spouse of a planned pregnancy
    two_cancer: float = 0.9  # a woman 35–64 screened in her three-year cycle
    hpv: float = 0.8  # girls vaccinated in the year they turn 13
    ongoing: float = 0.7  # pregnancies under way on the date, per year's births

    def with_overrides(self, overrides: dict[str, str]) -> HealthRates:
        """These rates with some replaced (`{"hiv_positive": "0.02"}`), each checked and named when wrong."""
        known = {f.name: f.type for f in fields(self)}
        changes: dict = {}
        for name, raw in overrides.items():
            field = f"health_rate.{name}"
            if name not in known:
                raise Invalid(field, N_("Unknown rate %(name)s"), name=name)
            try:
                value = int(raw) if name == "years" else float(raw)
            except ValueError:
                raise Invalid(field, N_("Enter a number: %(value)s"), value=raw) from None
            if name == "years" and not 1 <= value <= 20:
                raise Invalid(field, N_("Between 1 and 20 years"))
            if name != "years" and not 0 <= value <= 1:
                raise Invalid(field, N_("A rate lies between 0 and 1: %(value)s"), value=raw)
            changes[name] = value
        if (
            changes.get("yellow", self.yellow)
            + changes.get("orange", self.orange)
            + changes.get("red", self.red)
            + changes.get("purple", self.purple)
            > 1
        ):
            raise Invalid("health_rate.yellow", N_("The risk grades' shares add up to more than 1"))
        return replace(self, **changes)


def parse_overrides(items: list[str]) -> dict[str, str]:
    """`["hiv_positive=0.02", …]` → {"hiv_positive": "0.02"}; a malformed item is refused naming it."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise Invalid("health_rate", N_("Write a rate as NAME=VALUE: %(value)s"), value=item)
        out[name.strip()] = value.strip()
    return out


def institutions(county: str) -> list[tuple[str, str, str]]:
    """(code, name, kind code) of the county's 妇幼保健院, its people's hospital and one health centre per town."""
    name = regions.name(county)
    out = [(f"H{county}01", f"{name}妇幼保健院", "1"), (f"H{county}02", f"{name}人民医院", "2")]
    out += [(f"H{county}{100 + t:03d}", f"{name}第{t}卫生院", "3") for t in range(1, TOWNS + 1)]
    return out


def _iso(a: np.ndarray) -> list[str]:
    return [str(x) for x in a.astype("datetime64[D]")]


class _Writer:
    """Rows of one feed, built part by part (each a set of persons with one event), then one frame."""

    def __init__(self, dept: str, p: Population, inst: list[tuple[str, str, str]]):
        self.dept, self.p, self.inst, self.parts = dept, p, inst, []
        self.names = [c.name for c in FEEDS[dept].columns]
        self.town = np.char.add(p.county, (101 + p.household % TOWNS).astype(str))
        self.today = np.datetime64(p.as_of, "D")

    def add(self, who: np.ndarray, event, when: np.ndarray, where: np.ndarray, **extra) -> None:
        """`who`: person numbers; `where`: institution numbers; `extra`: column → values (None for blank)."""
        keep = (when <= self.today) & (when >= self.p.birth[who])
        if not keep.any():
            return
        p, inst = self.p, [self.inst[i] for i in np.asarray(where)[keep]]
        cols = {
            "id_number": p.id_number[who][keep].tolist(),
            "name": p.name[who][keep].tolist(),
            "sex": [SEXCODE[s] for s in p.sex[who][keep]],
            "birth_date": _iso(p.birth[who][keep]),
            "event": np.broadcast_to(np.asarray(event), who.shape)[keep].tolist(),
            "event_date": _iso(when[keep]),
            "region": [p.county] * int(keep.sum()),
            "town": self.town[who][keep].tolist(),
            "institution_code": [i[0] for i in inst],
            "institution_name": [i[1] for i in inst],
            "institution_kind": [i[2] for i in inst],
        }
        for name, values in extra.items():
            values = np.broadcast_to(np.asarray(values, dtype=object), who.shape)[keep]
            cols[name] = [None if v is None else str(v) for v in values]
        self.parts.append(cols)

    def frame(self, prefix: str) -> pl.DataFrame:
        n = sum(len(c["id_number"]) for c in self.parts)
        data = {
            c: [v for part in self.parts for v in part.get(c, [None] * len(part["id_number"]))]
            for c in self.names
            if c != "record_no"
        }
        data["record_no"] = [f"{prefix}{i:09d}" for i in range(1, n + 1)]
        return pl.DataFrame({c: data[c] for c in self.names}, schema=dict.fromkeys(self.names, pl.String))


def _at_least_one_a_year(hit: np.ndarray, years: np.ndarray, rate: float, rng) -> np.ndarray:
    """`hit`, with one more drawn in each year that has none, while `rate` is above 0."""
    if rate <= 0:
        return hit
    hit = hit.copy()
    for y in np.unique(years):
        rows = np.flatnonzero(years == y)
        if not hit[rows].any():
            hit[rng.choice(rows)] = True
    return hit


def frames(
    p: Population, rng: np.random.Generator, rates: HealthRates | None = None
) -> dict[str, pl.DataFrame]:
    """The four 妇幼 feeds of population `p` as frames (text columns, in each feed's column order)."""
    r = rates or HealthRates()
    today = np.datetime64(p.as_of, "D")
    since = np.datetime64(dt.date(p.as_of.year - r.years + 1, 1, 1), "D")
    inst = institutions(p.county)
    home_centre = 2 + p.household % TOWNS  # each person's own town's health centre
    maternal = _Writer("fuyou_maternal", p, inst)
    child = _Writer("fuyou_child", p, inst)
    deaths = _Writer("fuyou_death", p, inst)
    women = _Writer("fuyou_women", p, inst)

    # Pregnancies ending in a birth since `since` (twins share one), then pregnancies still under way.
    kids = np.flatnonzero((p.mother >= 0) & (p.birth >= since))
    key = p.mother[kids].astype(np.int64) * 100_000 + (p.birth[kids] - np.datetime64("1900-01-01")).astype(
        int
    )
    uniq, first, counts = np.unique(key, return_index=True, return_counts=True)
    mom, delivered = p.mother[kids][first], p.birth[kids][first]
    n_births = len(mom)
    births_a_year = max(n_births / max(r.years, 1), 1)
    recent = set(p.mother[(p.mother >= 0) & (p.birth > today - 400 * DAY)].tolist())
    can = np.flatnonzero(
        (p.sex == "F")
        & np.isnat(p.death)
        & np.isnat(p.moved_out)
        & ((today - p.birth).astype(int) // 365 >= 20)
        & ((today - p.birth).astype(int) // 365 <= 40)
    )
    can = np.array([w for w in can if w not in recent], dtype=int)
    k = min(len(can), int(round(r.ongoing * births_a_year)))
    ongoing = rng.choice(can, size=k, replace=False) if k else np.array([], dtype=int)
    mom = np.r_[mom, ongoing].astype(int)
    n = len(mom)
    is_born = np.arange(n) < n_births
    lmp = np.where(
        is_born,
        np.r_[delivered, np.full(k, today)] - (280 + rng.normal(0, 7, n).astype(int)) * DAY,
        today - rng.integers(40, 270, n) * DAY,
    )
    live = np.r_[counts, np.zeros(k, dtype=int)]
    pno = np.array([f"MC{p.county}{i:07d}" for i in range(1, n + 1)])
    early = rng.random(n) < r.early_booking
    weeks_filed = np.where(early, rng.integers(6, 13, n), rng.integers(13, 28, n))
    filed = lmp + weeks_filed * 7 * DAY + rng.integers(0, 7, n) * DAY
    where_filed = np.where(rng.random(n) < 0.5, home_centre[mom], 0)
    maternal.add(
        mom,
        "file",
        filed,
        where_filed,
        pregnancy_no=pno,
        weeks=weeks_filed,
        edd=_iso(lmp + 280 * DAY),
    )
    end = np.where(is_born, np.r_[delivered, np.full(k, today)], today)
    n_visits = np.where(rng.random(n) < r.five_checks, rng.integers(4, 9, n), rng.integers(0, 4, n))
    for j in range(int(n_visits.max()) if n else 0):
        has = n_visits > j
        span = np.maximum((end - filed).astype(int), 1)
        when = filed + ((j + 1) * span // (n_visits + 1)) * DAY
        rows = np.flatnonzero(has)
        maternal.add(
            mom[rows],
            "visit",
            when[rows],
            where_filed[rows],
            pregnancy_no=pno[rows],
            weeks=((when[rows] - lmp[rows]).astype(int) // 7),
        )
    shares = [1 - r.yellow - r.orange - r.red - r.purple, r.yellow, r.orange, r.red, r.purple]
    grade = rng.choice(GRADE_CODES, size=n, p=shares)
    maternal.add(
        mom,
        "risk",
        filed,
        where_filed,
        pregnancy_no=pno,
        weeks=weeks_filed,
        risk_grade=grade,
        risk_factors=np.where(grade == "1", None, "高龄、瘢痕子宫等（合成数据）"),
    )
    high = np.flatnonzero(np.isin(grade, ("3", "4", "5")))
    again = lmp[high] + 28 * 7 * DAY
    maternal.add(
        mom[high],
        "risk",
        again,
        np.zeros(len(high), dtype=int),
        pregnancy_no=pno[high],
        weeks=28,
        risk_grade=grade[high],
    )

    # HIV, syphilis and HBV in pregnancy: tests, treatment of the positives, their children's final status.
    tested = np.flatnonzero(rng.random(n) < r.testing)
    t_on = filed[tested] + rng.integers(0, 14, len(tested)) * DAY
    t_year = t_on.astype("datetime64[Y]").astype(int)
    hiv = _at_least_one_a_year(rng.random(len(tested)) < r.hiv_positive, t_year, r.hiv_positive, rng)
    # … and one exposed child whose final status (18 months after the birth) falls in each year that can have one
    settled = np.flatnonzero(is_born[tested] & (end[tested] + 540 * DAY <= today))
    settled_year = (end[tested][settled] + 540 * DAY).astype("datetime64[Y]").astype(int)
    hiv[settled] = _at_least_one_a_year(hiv[settled], settled_year, r.hiv_positive, rng)
    syph = _at_least_one_a_year(
        rng.random(len(tested)) < r.syphilis_positive, t_year, r.syphilis_positive, rng
    )
    hbv = rng.random(len(tested)) < r.hbv_positive
    maternal.add(
        mom[tested],
        "test",
        t_on,
        where_filed[tested],
        pregnancy_no=pno[tested],
        hiv_result=np.where(hiv, "2", "1"),
        syphilis_result=np.where(syph, "2", "1"),
        hbv_result=np.where(hbv, "2", "1"),
    )
    for code, positive in (("1", hiv), ("2", syph)):
        treated = tested[positive & (rng.random(len(tested)) < r.treatment)]
        maternal.add(
            mom[treated],
            "treat",
            filed[treated] + 20 * DAY,
            where_filed[treated],
            pregnancy_no=pno[treated],
            infection=code,
        )
    exposed = tested[hiv & is_born[tested]]
    maternal.add(
        mom[exposed],
        "exposed_child",
        end[exposed] + 540 * DAY,
        np.zeros(len(exposed), dtype=int),
        pregnancy_no=pno[exposed],
        infection="1",
        child_result=np.where(rng.random(len(exposed)) < r.mother_to_child, "2", "1"),
    )

    # Deliveries, maternal deaths, postpartum visits.
    born = np.flatnonzero(is_born)
    where_born = np.where(rng.random(n) < 0.5, 0, 1)
    maternal.add(
        mom[born],
        "delivery",
        end[born],
        where_born[born],
        pregnancy_no=pno[born],
        live_births=live[born],
        stillbirths=0,
        weeks=((end[born] - lmp[born]).astype(int) // 7),
        delivery_mode=rng.choice(["1", "2", "3"], len(born), p=[0.55, 0.42, 0.03]),
        new_method=np.where(rng.random(len(born)) < r.new_method, "1", "0"),
    )
    died = born[rng.random(len(born)) < r.maternal_death]
    deaths.add(
        mom[died],
        "death",
        end[died] + rng.integers(0, 42, len(died)) * DAY,
        where_born[died],
        death_kind="1",
        cause=rng.choice(MATERNAL_CAUSES, len(died)),
        place="1",
        pregnancy_no=pno[died],
    )
    visited = born[(rng.random(len(born)) < r.postpartum_visit) & ~np.isin(born, died)]
    maternal.add(
        mom[visited],
        "postpartum",
        end[visited] + rng.integers(3, 28, len(visited)) * DAY,
        home_centre[mom[visited]],
        pregnancy_no=pno[visited],
    )

    # Newborn screening and birth defects, then 0–6 checks and the under-5 deaths the population has.
    metab = kids[rng.random(len(kids)) < r.metabolic_screening]
    child.add(
        metab,
        "metabolic",
        p.birth[metab] + 3 * DAY,
        np.zeros(len(metab), dtype=int),
        result=np.where(rng.random(len(metab)) < 0.01, "2", "1"),
    )
    hear = kids[rng.random(len(kids)) < r.hearing_screening]
    child.add(
        hear,
        "hearing",
        p.birth[hear] + 2 * DAY,
        np.zeros(len(hear), dtype=int),
        result=np.where(rng.random(len(hear)) < 0.03, "2", "1"),
    )
    defect = kids[rng.random(len(kids)) < r.birth_defect]
    child.add(
        defect,
        "defect",
        p.birth[defect] + rng.integers(0, 300, len(defect)) * DAY,
        np.ones(len(defect), dtype=int),
        diagnosis=rng.choice(DEFECTS, len(defect)),
    )
    young = np.flatnonzero(p.birth >= since - (7 * 365 + 2) * DAY)
    for months in CHECK_MONTHS:
        when = p.birth[young] + int(months * 30.44) * DAY
        alive = np.isnat(p.death[young]) | (p.death[young] > when)
        held = young[(when >= since) & alive & (rng.random(len(young)) < r.child_check)]
        child.add(held, "visit", p.birth[held] + int(months * 30.44) * DAY, home_centre[held])
    gone = np.flatnonzero(
        ~np.isnat(p.death) & (p.death >= since) & ((p.death - p.birth).astype(int) < 5 * 365 + 1)
    )
    deaths.add(
        gone,
        "death",
        p.death[gone],
        np.ones(len(gone), dtype=int),
        death_kind="2",
        cause=rng.choice(CHILD_CAUSES, len(gone)),
        place="1",
    )

    # Premarital checks of both spouses, preconception checks of planned pregnancies (both partners).
    wives = np.flatnonzero((p.sex == "F") & (p.spouse >= 0) & (p.married_on >= since))
    for who in (wives, p.spouse[wives]):
        took = rng.random(len(wives)) < r.premarital
        women.add(
            who[took],
            "premarital",
            p.married_on[wives][took] - rng.integers(1, 60, took.sum()) * DAY,
            np.zeros(took.sum(), dtype=int),
            result=np.where(rng.random(took.sum()) < 0.05, "2", "1"),
        )
    planned = np.flatnonzero(rng.random(n) < r.preconception)
    check_on = lmp[planned] - rng.integers(30, 180, len(planned)) * DAY
    women.add(
        mom[planned],
        "preconception",
        check_on,
        home_centre[mom[planned]],
        result=np.where(rng.random(len(planned)) < 0.08, "2", "1"),
    )
    husband = p.spouse[mom[planned]]
    has_h = husband >= 0
    women.add(husband[has_h], "preconception", check_on[has_h], home_centre[mom[planned]][has_h], result="1")

    # Two-cancer screening on a three-year cycle, HPV vaccination in the year a girl turns 13.
    woman = np.flatnonzero((p.sex == "F") & np.isnat(p.moved_out))
    offset = rng.integers(0, 3, len(woman))
    for year in range(int(str(since)[:4]), p.as_of.year + 1):
        age = year - p.birth[woman].astype("datetime64[Y]").astype(int) - 1970
        due = woman[(age >= 35) & (age <= 64) & ((year + offset) % 3 == 0)]
        on = np.datetime64(f"{year}-01-01") + rng.integers(0, 365, len(due)) * DAY
        alive = np.isnat(p.death[due]) | (p.death[due] > on)
        due, on = due[alive], on[alive]
        took = rng.random(len(due)) < r.two_cancer
        both = took & (rng.random(len(due)) < 0.97)
        women.add(
            due[took],
            "cervical",
            on[took],
            home_centre[due[took]],
            result=np.where(rng.random(took.sum()) < 0.04, "2", "1"),
        )
        women.add(
            due[both],
            "breast",
            on[both],
            home_centre[due[both]],
            result=np.where(rng.random(both.sum()) < 0.03, "2", "1"),
        )
        girls = woman[age == 13]
        jab = girls[rng.random(len(girls)) < r.hpv]
        first_dose = np.datetime64(f"{year}-03-01") + rng.integers(0, 240, len(jab)) * DAY
        women.add(jab, "hpv", first_dose, home_centre[jab], dose="1")
        second = rng.random(len(jab)) < 0.9
        women.add(jab[second], "hpv", first_dose[second] + 180 * DAY, home_centre[jab[second]], dose="2")
    return {
        "fuyou_maternal": maternal.frame("FM"),
        "fuyou_child": child.frame("FC"),
        "fuyou_death": deaths.frame("FD"),
        "fuyou_women": women.frame("FW"),
    }


DEPTS = tuple(FEEDS)
