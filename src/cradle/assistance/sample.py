"""A synthetic county's family-planning households, as the registry's household builder gives them: for the demo
data, the tests and the benchmark. Parents born 1958–1966 carry ID numbers of a place coded then (622101, a
prefecture code of the time); their hukou is the county. Each family has an only child born in the 1980s unless
`children` says otherwise.

`kind`: "reward" (独生子女证), "two_daughters" (农村二女户), "bereaved" (the only child died), "disabled" (the only
child disabled), "none" (no certificate: nobody qualifies)."""

from __future__ import annotations

import datetime as dt

from cradle.idcard import make_id_number

OLD_PLACE = "622101"
DAYS = 2500  # birth dates spread over about seven years
FAMILY_PLANNING = {
    "reward": {"only_child_certificate": True},
    "two_daughters": {"rural_two_daughters": True},
    "bereaved": {"special_family": "bereaved"},
    "disabled": {"special_family": "disabled_child"},
    "none": {},
}


def _parent(n: int, relation: str, county: str) -> dict:
    sex = "F" if relation == "mother" else "M"
    born = dt.date(1960 if sex == "F" else 1958, 1, 1) + dt.timedelta(days=n % DAYS)
    return {
        "id": relation[0],
        "relation": relation,
        "sex": sex,
        "birth_date": born.isoformat(),
        "hukou": county,
        "id_number": make_id_number(OLD_PLACE, born, n // DAYS, sex),
        "name": f"{'母' if sex == 'F' else '父'}{n}",
    }


def family(county: str, n: int, kind: str, *, children: list[dict] | None = None) -> dict:
    """Family number `n`: distinct ID numbers for n below 1,250,000."""
    kids = children
    if kids is None:
        kids = [{"birth_date": f"{1983 + n % 8}-06-01", "sex": "F"}]
        if kind == "two_daughters":
            kids = [{"birth_date": "1986-03-01", "sex": "F"}, {"birth_date": "1990-03-01", "sex": "F"}]
        if kind == "bereaved":
            kids[0]["deceased"] = True
        if kind == "disabled":
            kids[0].update(disability=True, disability_grade=2)
    members = [_parent(n, "mother", county), _parent(n, "father", county)]
    for i, kid in enumerate(kids, 1):
        members.append({"id": f"c{i}", "relation": "child", "birth_order": i, **kid})
    return {
        "jurisdiction": county,
        "members": members,
        "family_planning": dict(FAMILY_PLANNING[kind]),
        "events": [],
    }


def county(code: str, families: int, start: int = 0) -> list[dict]:
    """`families` households: mostly reward families, a few two-daughter, bereaved and disabled ones."""
    kinds = ("reward",) * 14 + ("two_daughters", "bereaved", "disabled", "none")
    return [family(code, n, kinds[n % len(kinds)]) for n in range(start, start + families)]
