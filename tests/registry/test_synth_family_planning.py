"""The synthetic county holds the families 奖励扶助 and 特别扶助 are about, and the year's deaths and moves that
the yearly review acts on (issue 22, item 5)."""

import datetime as dt

import numpy as np

from cradle.synth.population import generate

AS_OF = dt.date(2025, 6, 30)


def test_family_planning_families_deaths_and_moves_in_the_year():
    p = generate("441523", 20000, 11, AS_OF)
    today = np.datetime64(AS_OF, "D")
    year_ago = today - 365
    age = (today - p.birth).astype(int) / 365.25
    alive = np.isnat(p.death) | (p.death > today)
    status = p.fp_status
    # only-child and rural two-daughter parents of the age reward assistance starts at, living, rural and not
    only_60 = (status == "only_child_certificate") & (age >= 60) & alive
    assert only_60.sum() > 20 and p.rural[only_60].any() and (~p.rural[only_60]).any()
    two = status == "rural_two_daughters"
    assert ((age >= 60) & two & alive).sum() > 0 and p.rural[two & (p.sex == "F")].all()
    # 失独 and disabled-child families, at a small rate of the one-child parents aged 49+, couples both marked
    bereaved = np.flatnonzero(status == "special_bereaved")
    disabled = np.flatnonzero(status == "special_disabled")
    eligible_age = ((status != "") & (status != "rural_two_daughters") & (age >= 49)).sum()
    assert 0 < len(bereaved) < 0.1 * eligible_age and 0 < len(disabled) < 0.1 * eligible_age
    assert (status[p.spouse[bereaved[p.spouse[bereaved] >= 0]]] == "special_bereaved").all()
    children = np.flatnonzero(np.isin(p.mother, bereaved))
    assert len(children) and (~np.isnat(p.death[children])).all()  # the only child of a 失独 mother died
    # the year's changes: family-planning parents who died or moved their hukou away in the last year
    fp = status != ""
    died = fp & (p.death > year_ago) & (p.death <= today)
    moved = fp & (p.moved_out > year_ago) & (p.moved_out <= today)
    assert died.sum() >= 5 and moved.sum() >= 2
    assert (p.death[died] > p.birth[died]).all()
    # deterministic for a seed
    again = generate("441523", 20000, 11, AS_OF)
    assert (again.fp_status == status).all()
    assert (again.death.astype(np.int64) == p.death.astype(np.int64)).all()
