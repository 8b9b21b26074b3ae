"""The 1% household sample survey (淄博 二（一）3) drawn from the registry's households (户号).

The frame is every household registered in the region on ``as_of``: a person belongs to the 户号 of their
newest 户籍 event on or before that day (none if that event is a move-out or a death cancellation, or the
person has died); the household lies in the county where most of its members are registered and is urban
or rural by its members' 户口性质 (majority; unknown when none is given). Strata are county × urban/rural.
The sample and its estimators are :mod:`cradle.monitoring.survey`'s; the full-registry value of each
estimate is returned beside it, since here the whole frame is known (it lets a reader see the sampling error).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import regions
from cradle.atomicfile import atomic_open
from cradle.errors import N_, Invalid
from cradle.monitoring import survey
from cradle.monitoring.areas import checked
from cradle.registry.models import Birth, Death, HukouEvent, Person


@dataclass(frozen=True)
class Frame:
    household: np.ndarray  # 户号
    stratum: np.ndarray  # "county/urban", "county/rural" or "county/unknown"
    size: np.ndarray  # registered persons
    births: np.ndarray  # live births in the year to a child of the household
    under3: np.ndarray  # children under three on as_of
    unnumbered: int  # registered persons without a 户号 (outside the frame)


def _within(code: str, region: str) -> bool:
    return code == region or (regions.exists(code) and regions.is_within(code, region))


def load_frame(session: Session, region: str, year: int, as_of: dt.date | None = None) -> Frame:
    """Households registered in ``region`` (a province, city or county code) on ``as_of`` (default 31 Dec)."""
    checked(region)
    as_of = as_of or dt.date(year, 12, 31)
    live = {
        pid: birth
        for pid, birth in session.execute(
            select(Person.id, Person.birth_date).where(Person.merged_into_id.is_(None))
        )
    }
    dead = {pid for pid, d in session.execute(select(Death.person_id, Death.death_date)) if d <= as_of}
    newest: dict[int, tuple] = {}  # person → (valid_from, source_id, event, region, household_no, hukou_type)
    known_no: dict[
        int, tuple
    ] = {}  # person → newest (valid_from, source_id, household_no, hukou_type) with a 户号
    for pid, vf, sid, event, reg, no, kind in session.execute(
        select(
            HukouEvent.person_id,
            HukouEvent.valid_from,
            HukouEvent.source_id,
            HukouEvent.event,
            HukouEvent.region,
            HukouEvent.household_no,
            HukouEvent.hukou_type,
        )
    ):
        if vf > as_of or pid not in live or event == "correct":
            continue
        if pid not in newest or (vf, sid) > newest[pid][:2]:
            newest[pid] = (vf, sid, event, reg)
        if no and (pid not in known_no or (vf, sid) > known_no[pid][:2]):
            known_no[pid] = (vf, sid, no, kind)
    members: dict[str, list[tuple[int, str, str | None]]] = {}
    unnumbered = 0
    for pid, (_vf, _sid, event, reg) in newest.items():
        if event in ("move_out", "death") or pid in dead or not _within(reg, region):
            continue
        if pid not in known_no:
            unnumbered += 1
            continue
        _, _, no, kind = known_no[pid]
        members.setdefault(no, []).append((pid, reg, kind))
    child_births: dict[int, int] = Counter(
        child
        for child, d in session.execute(select(Birth.child_id, Birth.birth_date))
        if d.year == year and d <= as_of
    )
    three_ago = (
        as_of.replace(year=as_of.year - 3)
        if (as_of.month, as_of.day) != (2, 29)
        else dt.date(as_of.year - 3, 3, 1)
    )
    rows = []
    for no, people in sorted(members.items()):
        county = Counter(reg for _, reg, _ in people).most_common(1)[0][0]
        kinds = Counter(k for _, _, k in people if k in ("urban", "rural"))
        kind = kinds.most_common(1)[0][0] if kinds else "unknown"
        births = sum(child_births.get(pid, 0) for pid, _, _ in people)
        under3 = sum(three_ago < live[pid] <= as_of for pid, _, _ in people)
        rows.append((no, f"{county}/{kind}", len(people), births, under3))
    if not rows:
        raise Invalid(
            "region", N_("No household registered in %(region)s on %(date)s"), region=region, date=as_of
        )
    cols = list(zip(*rows, strict=True))
    return Frame(
        np.array(cols[0], dtype=object),
        np.array(cols[1], dtype=object),
        np.array(cols[2]),
        np.array(cols[3]),
        np.array(cols[4]),
        unnumbered,
    )


@dataclass(frozen=True)
class Result:
    label: str
    estimate: survey.Estimate
    full: float  # the same quantity over the whole frame


def estimate(
    frame: Frame, fraction: float = 0.01, seed: int | None = None
) -> tuple[survey.Sample, list[Result]]:
    """Draw the sample and estimate births, children under 3, persons and the mean household size."""
    s = survey.draw(frame.stratum, fraction, seed)
    i, ones = s.index, np.ones(s.index.size)
    out = [
        Result("births", survey.total(s, frame.births[i]), float(frame.births.sum())),
        Result("under3", survey.total(s, frame.under3[i]), float(frame.under3.sum())),
        Result("persons", survey.total(s, frame.size[i]), float(frame.size.sum())),
        Result("mean_household_size", survey.ratio(s, frame.size[i], ones), float(frame.size.mean())),
    ]
    if frame.size.sum():
        out.append(
            Result(
                "births_per_1000",
                survey.ratio(s, frame.births[i], frame.size[i], scale=1000),
                float(frame.births.sum() / frame.size.sum() * 1000),
            )
        )
    return s, out


def write_sample(frame: Frame, s: survey.Sample, path: Path) -> None:
    """The sampled households with their design weights, one row each (CSV, UTF-8)."""
    with atomic_open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["household_no", "stratum", "weight", "persons", "births", "under3"])
        for k, pos in enumerate(s.index):
            w.writerow(
                [
                    frame.household[pos],
                    s.stratum[k],
                    f"{s.weight[k]:.6g}",
                    frame.size[pos],
                    frame.births[pos],
                    frame.under3[pos],
                ]
            )
