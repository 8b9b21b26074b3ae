"""The 妇幼 indicators, computed from the records for a region (its counties' records) and a calendar year.

Each indicator is `(value, numerator, denominator)`, value = numerator / denominator × the catalogue's scale
(cradle/monitoring/data/indicators.yaml). An indicator is left out when its records do not exist for the region
and year (no deliveries, no marriages, nobody of the age in the registry): monitoring then keeps the value a
department entered. The definitions (`DEFINITIONS`, docs/health.md) follow the national 妇幼卫生 statistics and
the 国家基本公共卫生服务规范 (第三版); where the records call for a choice, it is said there.

Records count where the woman or child lives (`region` of the record); births are 活产 of the year's deliveries;
populations (women 35–64, girls, children) are the registry's residents on the year's last day (or today),
through `cradle.registry.roster`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

from cradle.fieldcrypt import as_stored
from cradle.health import access
from cradle.health.models import (
    ChildRecord,
    DeathReport,
    Delivery,
    InfectionRecord,
    MaternalVisit,
    Pregnancy,
    WomenService,
)
from cradle.registry import roster

Result = tuple[float, float, float]
# What a region's records give an indicator, before the ratio: (numerator, denominator or None where the registry
# gives it, held: whether the records hold it there). Counts, so a region's parts are the sums of its counties'.
Part = tuple[int, int | None, bool]
EARLY_WEEKS = 13  # 早孕: filed and first checked before the 13th week
CHECKS = 5  # 系统管理: at least five antenatal checks (the filing's counts as the first)
POSTPARTUM_DAYS = 28  # 产后访视 within 28 days of the delivery
CERVICAL_YEARS = 5  # 宫颈癌人群筛查: screened within the last five years
TWO_CANCER_YEARS = 3  # 两癌检查: one screening of each per three-year cycle
HPV_AGE = 13  # 适龄女生: the year a girl turns 13
UNDER3_MONTHS = (1, 3, 6, 8, 12, 18, 24, 30)  # checks due before the third birthday (4:2:2)
MAX_BATCH = 900  # values per IN list


@dataclass(frozen=True)
class Definition:
    numerator: str
    denominator: str


DEFINITIONS: dict[str, Definition] = {
    "maternal_system_management_rate": Definition(
        "年内分娩、孕13周前建册并首次产前检查、产前检查不少于5次、新法接生、产后28天内接受产后访视的产妇数",
        "年内活产数",
    ),
    "early_booking_rate": Definition("年内分娩、孕13周前建册并进行第一次产前检查的产妇数", "年内活产数"),
    "maternal_mortality": Definition("年内孕产妇死亡数（死亡个案报告）", "年内活产数"),
    "neonatal_mortality": Definition("年内出生后28天内死亡的新生儿数", "年内活产数"),
    "infant_mortality": Definition("年内未满1岁的婴儿死亡数", "年内活产数"),
    "infant_toddler_mortality": Definition("年内未满3岁的婴幼儿死亡数", "年内活产数"),
    "under5_mortality": Definition("年内未满5岁的儿童死亡数", "年内活产数"),
    "prenatal_hiv_syphilis_hbv_testing_rate": Definition(
        "年内分娩的产妇中孕期接受艾滋病、梅毒和乙肝三项检测的人数", "年内分娩的产妇数"
    ),
    "hiv_syphilis_treatment_rate": Definition(
        "年内检出的艾滋病、梅毒感染孕产妇中接受相应治疗的人次", "年内检出的艾滋病、梅毒感染孕产妇人次"
    ),
    "hiv_mother_to_child_transmission_rate": Definition(
        "年内随访结局确定的艾滋病感染孕产妇所生儿童中感染艾滋病的人数",
        "年内随访结局确定的艾滋病感染孕产妇所生儿童数",
    ),
    "newborn_metabolic_screening_rate": Definition(
        "年内出生并接受遗传代谢性疾病筛查的新生儿数", "年内活产数"
    ),
    "newborn_hearing_screening_rate": Definition("年内出生并接受听力筛查的新生儿数", "年内活产数"),
    "cervical_cancer_screening_rate": Definition(
        "35—64岁妇女中近5年（含当年）接受过宫颈癌筛查的人数", "年末35—64岁常住（户籍）妇女数"
    ),
    "two_cancer_screening_rate": Definition(
        "35—64岁妇女中本轮（近3年，含当年）宫颈癌、乳腺癌均已检查的人数",
        "年末35—64岁常住（户籍）妇女数（应查人数）",
    ),
    "premarital_check_rate": Definition("年内接受婚前医学检查的人数", "年内结婚登记人数（每对2人）"),
    "preconception_check_coverage": Definition(
        "年内建册的孕妇中建册前12个月内接受过孕前优生健康检查的人数",
        "年内建册的孕妇数（计划怀孕并已怀孕的目标人群）",
    ),
    "child_health_management_rate": Definition(
        "年内接受1次及以上健康检查的0—6岁儿童数", "年末0—6岁常住（户籍）儿童数"
    ),
    "under3_system_management_rate": Definition(
        "年内（至统计日）按月龄（1、3、6、8、12、18、24、30月龄）接受了应查次数健康检查的3岁以下儿童数",
        "年末3岁以下常住（户籍）儿童数（11月30日前出生）",
    ),
    "hpv_vaccination_coverage": Definition(
        "年内满13周岁的女孩中已接种HPV疫苗（至少1剂）的人数", "年内满13周岁的常住（户籍）女孩数"
    ),
}
# The indicators by the records they read (`parts` counts a group at a time; a record's change reaches the groups
# that read its table, `models.COUNTED_GROUPS`).
GROUP_OF: dict[str, str] = {
    **dict.fromkeys(
        (
            "maternal_system_management_rate",
            "early_booking_rate",
            "prenatal_hiv_syphilis_hbv_testing_rate",
            "maternal_mortality",
            "neonatal_mortality",
            "infant_mortality",
            "infant_toddler_mortality",
            "under5_mortality",
            "newborn_metabolic_screening_rate",
            "newborn_hearing_screening_rate",
        ),
        "births",
    ),
    "hiv_syphilis_treatment_rate": "infections",
    "hiv_mother_to_child_transmission_rate": "infections",
    **dict.fromkeys(
        (
            "premarital_check_rate",
            "preconception_check_coverage",
            "cervical_cancer_screening_rate",
            "two_cancer_screening_rate",
            "hpv_vaccination_coverage",
        ),
        "women",
    ),
    "child_health_management_rate": "children",
    "under3_system_management_rate": "children",
}
GROUPS = ("births", "infections", "women", "children")
SCALE = {
    "maternal_mortality": 100_000,
    "neonatal_mortality": 1000,
    "infant_mortality": 1000,
    "infant_toddler_mortality": 1000,
    "under5_mortality": 1000,
}


def _ratio(out: dict, key: str, num: float, den: float) -> None:
    if den > 0:
        out[key] = (num / den * SCALE.get(key, 100), float(num), float(den))


def _part(out: dict, key: str, num: int, den: int | None, held: bool) -> None:
    out[key] = (int(num), None if den is None else int(den), bool(held))


def _years(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def _chunks(values: list) -> list[list]:
    return [values[i : i + MAX_BATCH] for i in range(0, len(values), MAX_BATCH)]


def _births(session: Session, counties: list[str], start: dt.date, end: dt.date, out: dict) -> None:
    """Indicators over the year's deliveries: 系统管理, 早孕建册, testing, mortality, newborn screening. Held where
    the year's deliveries have live births."""
    d = Delivery
    born = list(
        session.execute(
            select(d.pregnancy_no, d.live_births, d.new_method, d.delivered_on).where(
                d.region.in_(counties), d.delivered_on.between(start, end)
            )
        )
    )
    live = sum(b.live_births for b in born)
    held = live > 0
    early = managed = all_three = 0
    if born:
        born_here = select(d.pregnancy_no).where(d.region.in_(counties), d.delivered_on.between(start, end))
        weeks = dict(
            session.execute(
                select(Pregnancy.pregnancy_no, Pregnancy.weeks_at_filing).where(
                    Pregnancy.pregnancy_no.in_(born_here)
                )
            ).all()
        )
        checks, postpartum, tested = defaultdict(int), {}, defaultdict(set)
        v = MaternalVisit
        for no, kind, n, first in session.execute(
            select(v.pregnancy_no, v.kind, func.count(), func.min(v.visited_on))
            .where(v.pregnancy_no.in_(born_here))
            .group_by(v.pregnancy_no, v.kind)
        ):
            if kind == "antenatal":
                checks[no] = n
            else:
                postpartum[no] = first
        i = InfectionRecord
        for no, hiv, syph, hbv in session.execute(
            select(
                i.pregnancy_no,
                type_coerce(i.hiv, String),  # present or not is all that counts here: no decryption
                type_coerce(i.syphilis, String),
                type_coerce(i.hbv, String),
            ).where(i.kind == "test", i.pregnancy_no.in_(born_here))
        ):
            tested[no].update(k for k, value in (("hiv", hiv), ("syphilis", syph), ("hbv", hbv)) if value)
        for b in born:
            w = weeks.get(b.pregnancy_no)
            is_early = w is not None and w < EARLY_WEEKS
            early += is_early
            visited = postpartum.get(b.pregnancy_no)
            managed += bool(
                is_early
                and 1 + checks.get(b.pregnancy_no, 0) >= CHECKS
                and b.new_method
                and visited is not None
                and (visited - b.delivered_on).days <= POSTPARTUM_DAYS
            )
            all_three += len(tested.get(b.pregnancy_no, ())) == 3
    _part(out, "maternal_system_management_rate", managed, live, held)
    _part(out, "early_booking_rate", early, live, held)
    _part(out, "prenatal_hiv_syphilis_hbv_testing_rate", all_three, len(born), held)

    deaths = session.execute(
        select(DeathReport.kind, DeathReport.birth_date, DeathReport.died_on).where(
            DeathReport.region.in_(counties), DeathReport.died_on.between(start, end)
        )
    ).all()
    _part(out, "maternal_mortality", sum(k == "maternal" for k, _, _ in deaths), live, held)
    children = [(b, on) for k, b, on in deaths if k == "child"]
    _part(out, "neonatal_mortality", sum((on - b).days < 28 for b, on in children), live, held)
    for key, years in (("infant_mortality", 1), ("infant_toddler_mortality", 3), ("under5_mortality", 5)):
        _part(out, key, sum(_years(b, on) < years for b, on in children), live, held)

    c = ChildRecord
    for kind, key in (
        ("metabolic", "newborn_metabolic_screening_rate"),
        ("hearing", "newborn_hearing_screening_rate"),
    ):
        screened = _persons(
            session,
            c,
            c.kind == kind,
            c.recorded_on.between(start, end + dt.timedelta(days=366)),  # newborn screening: the first year
            c.region.in_(counties),
            c.birth_date.between(start, end),
        )
        _part(out, key, screened, live, held)


def _infections(session: Session, counties: list[str], start: dt.date, end: dt.date, out: dict) -> None:
    i = InfectionRecord
    positive: set[tuple[str, str]] = set()
    for no, hiv, syph in session.execute(
        select(i.pregnancy_no, i.hiv, i.syphilis).where(
            i.kind == "test",
            i.region.in_(counties),
            i.recorded_on.between(start, end),
            (i.hiv == "positive") | (i.syphilis == "positive"),
        )
    ):
        positive |= {(no, name) for name, value in (("hiv", hiv), ("syphilis", syph)) if value == "positive"}
    if positive:
        treated: set[tuple[str, str]] = set()
        for part in _chunks(sorted({no for no, _ in positive})):
            treated |= {
                (no, infection)
                for no, infection in session.execute(
                    select(i.pregnancy_no, i.infection).where(i.kind == "treat", i.pregnancy_no.in_(part))
                )
            }
    else:
        treated = set()
    _part(out, "hiv_syphilis_treatment_rate", len(positive & treated), len(positive), bool(positive))
    results = session.scalars(
        select(i.result).where(
            i.kind == "child", i.infection == "hiv", i.region.in_(counties), i.recorded_on.between(start, end)
        )
    ).all()
    infected = sum(r == "positive" for r in results)
    _part(out, "hiv_mother_to_child_transmission_rate", infected, len(results), bool(results))


_RESIDENTS: dict[tuple, dict] = {}  # the registry's answers, by what was asked and the registry's version
_KEEP = 64


def residents(
    session: Session, counties: list[str], year: int, on: dt.date
) -> dict[tuple[str, dt.date], int]:
    """{(sex, birth date): residents on `on`} of the ages the indicators count (women 35–64, girls turning
    `HPV_AGE`, children 0–6 at the year's end), asked of the registry once per registry version: counting them
    walks every resident of those ages, and nothing changes them between two ingests."""
    windows = [
        (dt.date(year - 64, 1, 1), dt.date(year - 35, 12, 31), "F"),
        (dt.date(year - HPV_AGE, 1, 1), dt.date(year - HPV_AGE, 12, 31), "F"),
        (dt.date(year - 6, 1, 1), dt.date(year, 12, 31), None),
    ]
    key = (str(session.get_bind().url), roster.version(session), tuple(counties), on, tuple(windows))
    if key not in _RESIDENTS:
        if len(_RESIDENTS) >= _KEEP:
            _RESIDENTS.pop(next(iter(_RESIDENTS)))
        _RESIDENTS[key] = roster.residents_by_birth_date(session, counties, on, windows)
    return _RESIDENTS[key]


def _people(pop: dict, born_from: dt.date, born_to: dt.date, sex: str | None = None) -> int:
    return sum(n for (s, born), n in pop.items() if born_from <= born <= born_to and sex in (None, s))


def _kept(session: Session, model, date_col, kinds, counties, start: dt.date, end: dt.date) -> bool:
    """Whether the region has any record of these kinds in the period: without them the records say nothing
    (the institutions do not send them yet), and the indicator is left to the entered values."""
    return (
        session.scalar(
            select(model.id)
            .where(model.kind.in_(kinds), model.region.in_(counties), date_col.between(start, end))
            .limit(1)
        )
        is not None
    )


def _persons(session: Session, model, *where) -> int:
    """How many persons (ID numbers, as stored) the rows matching `where` name. Grouped, then counted: SQLite
    sorts a group's keys in one batch, where COUNT(DISTINCT) inserts each into a b-tree (three times slower)."""
    key = type_coerce(model.id_number, String)
    return session.scalar(
        select(func.count()).select_from(select(key).where(*where).group_by(key).subquery())
    )


def _distinct(session: Session, model, date_col, kinds, counties, start, end, born_from, born_to) -> int:
    return _persons(
        session,
        model,
        model.kind.in_(kinds),
        model.region.in_(counties),
        date_col.between(start, end),
        model.birth_date.between(born_from, born_to),
    )


def _women(session: Session, counties: list[str], year: int, on: dt.date, out: dict) -> None:
    """Women's records; the denominators of premarital checks, screenings and HPV are the registry's
    (`_denominator`)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    w = WomenService
    checked, kept = 0, _kept(session, w, w.served_on, ("premarital",), counties, start, end)
    if kept:
        checked = _persons(
            session, w, w.kind == "premarital", w.region.in_(counties), w.served_on.between(start, end)
        )
    _part(out, "premarital_check_rate", checked, None, kept)

    seen: dict[int, bool] = {}
    kept = _kept(session, w, w.served_on, ("preconception",), counties, dt.date(year - 1, 1, 1), end)
    if kept:  # each pregnancy filed in the year, with its woman's preconception checks of the two years
        p = Pregnancy
        checks = (
            select(as_stored(w.id_number), w.served_on)
            .where(w.kind == "preconception", w.served_on.between(dt.date(year - 1, 1, 1), end))
            .subquery()
        )
        for pid, filed_on, served in session.execute(
            select(p.id, p.filed_on, checks.c.served_on)
            .outerjoin(checks, checks.c.id_number == type_coerce(p.id_number, String))
            .where(p.region.in_(counties), p.filed_on.between(start, end))
        ):
            before = served is not None and filed_on - dt.timedelta(days=365) <= served <= filed_on
            seen[pid] = seen.get(pid, False) or before
    _part(out, "preconception_check_coverage", sum(seen.values()), len(seen), kept)

    screened = _kept(
        session,
        w,
        w.served_on,
        ("cervical", "breast"),
        counties,
        dt.date(year - CERVICAL_YEARS + 1, 1, 1),
        end,
    )
    cervical = both = 0
    if screened:
        cervical = _distinct(
            session,
            w,
            w.served_on,
            ("cervical",),
            counties,
            dt.date(year - CERVICAL_YEARS + 1, 1, 1),
            end,
            dt.date(year - 64, 1, 1),
            dt.date(year - 35, 12, 31),
        )
        both = len(
            session.execute(
                select(type_coerce(w.id_number, String))
                .where(
                    w.kind.in_(("cervical", "breast")),
                    w.region.in_(counties),
                    w.served_on.between(dt.date(year - TWO_CANCER_YEARS + 1, 1, 1), end),
                    w.birth_date.between(dt.date(year - 64, 1, 1), dt.date(year - 35, 12, 31)),
                )
                .group_by(type_coerce(w.id_number, String))
                .having(func.min(w.kind) != func.max(w.kind))  # both kinds
            ).all()
        )
    _part(out, "cervical_cancer_screening_rate", cervical, None, screened)
    _part(out, "two_cancer_screening_rate", both, None, screened)
    jabbed, kept = 0, _kept(session, w, w.served_on, ("hpv",), counties, start, end)
    if kept:
        girls_born = dt.date(year - HPV_AGE, 1, 1), dt.date(year - HPV_AGE, 12, 31)
        jabbed = _distinct(session, w, w.served_on, ("hpv",), counties, dt.date(1900, 1, 1), end, *girls_born)
    _part(out, "hpv_vaccination_coverage", jabbed, None, kept)


def _children(session: Session, counties: list[str], year: int, on: dt.date, out: dict) -> None:
    """Children's health checks; the denominators are the registry's (`_denominator`)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    c = ChildRecord
    seen = complete = 0
    kept = _kept(session, c, c.recorded_on, ("visit",), counties, start, end)
    if kept:
        seen = _distinct(
            session, c, c.recorded_on, ("visit",), counties, start, end, dt.date(year - 6, 1, 1), end
        )
        visits: dict[tuple[str, dt.date], int] = defaultdict(int)
        for number, born in session.execute(
            select(as_stored(c.id_number), c.birth_date).where(
                c.kind == "visit",
                c.region.in_(counties),
                c.recorded_on.between(start, end),
                c.birth_date.between(dt.date(year - 2, 1, 1), dt.date(year, 11, 30)),
            )
        ):
            visits[(number, born)] += 1
        for (_, born), n in visits.items():
            due = sum(start <= _add_months(born, months) <= on for months in UNDER3_MONTHS)
            complete += due > 0 and n >= due
    _part(out, "child_health_management_rate", seen, None, kept)
    _part(out, "under3_system_management_rate", complete, None, kept)


def _denominator(session: Session, counties: list[str], year: int, on: dt.date, key: str) -> int:
    """The registry's count an indicator divides by: residents of the age on `on` (asked once per registry
    version, `residents`), or the persons registering marriage in the year (2 a couple)."""
    if key == "premarital_check_rate":
        return 2 * roster.marriages_registered(session, counties, dt.date(year, 1, 1), dt.date(year, 12, 31))
    pop = residents(session, counties, year, on)
    if key in ("cervical_cancer_screening_rate", "two_cancer_screening_rate"):
        return _people(pop, dt.date(year - 64, 1, 1), dt.date(year - 35, 12, 31), "F")
    if key == "hpv_vaccination_coverage":
        return _people(pop, dt.date(year - HPV_AGE, 1, 1), dt.date(year - HPV_AGE, 12, 31), "F")
    if key == "child_health_management_rate":
        return _people(pop, dt.date(year - 6, 1, 1), dt.date(year, 12, 31))
    return _people(pop, dt.date(year - 2, 1, 1), dt.date(year, 11, 30))  # under 3, born before 1 December


def counties_of(code: str) -> list[str]:
    return access.counties_within(code)


def as_of(year: int, today: dt.date | None = None) -> dt.date:
    """The day a year's indicators are counted on: its last day, or today within it."""
    return min(dt.date(year, 12, 31), today or dt.date.today())


def parts(
    session: Session, counties: list[str], year: int, on: dt.date, groups: tuple[str, ...] | None = None
) -> dict[str, Part]:
    """What the records of `counties` give each indicator of `year` counted on `on`, read from the records (of
    the indicators of `groups`, default all)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out: dict[str, Part] = {}
    wanted = GROUPS if groups is None else groups
    if "births" in wanted:
        _births(session, counties, start, end, out)
    if "infections" in wanted:
        _infections(session, counties, start, end, out)
    if "women" in wanted:
        _women(session, counties, year, on, out)
    if "children" in wanted:
        _children(session, counties, year, on, out)
    return out


def results(
    session: Session, counties: list[str], year: int, on: dt.date, given: dict[str, Part]
) -> dict[str, Result]:
    """The indicators `given` parts make: those the records hold, over their denominator (the registry's where
    the records leave it), when it is not zero."""
    out: dict[str, Result] = {}
    for key, (num, den, held) in given.items():
        if held:
            _ratio(out, key, num, _denominator(session, counties, year, on, key) if den is None else den)
    return out


def compute(session: Session, code: str, year: int, today: dt.date | None = None) -> dict[str, Result]:
    """Every 妇幼 indicator the records give for region `code` in `year`, read from the records (the reference
    `cradle.health.aggregates` keeps its counts equal to)."""
    counties = counties_of(code)
    if not counties:
        return {}
    on = as_of(year, today)
    return results(session, counties, year, on, parts(session, counties, year, on))
