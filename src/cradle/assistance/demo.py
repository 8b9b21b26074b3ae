"""Demo data for `make run`: 张店区's assistance list of this year in its 公示 (posted three days ago, one objection
waiting for a decision), from sixty synthetic family-planning families living in two villages of one town; the
first village has posted its part. The county has placed every family in the town and its villages and opened
the 公示. The demo village, town and county accounts (cradle.services.demo) take the next steps at /assistance (the
village: its own people only; the town: its own town's); the health demo's hospital doctor (demo-fuyou) asks the
priority question at /assistance/priority."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from cradle.assistance import cycle, rows, sample
from cradle.auth import roles
from cradle.auth.actor import Actor

COUNTY, TOWN = "370303", "370303001"
VILLAGES = (f"{TOWN}001", f"{TOWN}002")
village = Actor(id="demo-village", role=roles.VILLAGE, region=VILLAGES[0], name="马站街道 一村村委")
county = Actor(id="demo-county", role=roles.COUNTY, region=COUNTY, name="张店区卫健局")


def load_demo(session: Session) -> None:
    today = dt.date.today()
    year = today.year
    c = cycle.find_candidates(session, county, COUNTY, year, sample.county(COUNTY, 60, start=5000))
    listed = rows.read(session, c.id)
    numbers = sorted({e["id_number"] for e in listed})
    home = {n: VILLAGES[i % 2] for i, n in enumerate(numbers)}
    cycle.set_accounts(  # the county places each person in the town and a village
        session,
        county,
        COUNTY,
        year,
        [
            {"id_number": n, "account_no": f"6217001{i:012d}", "town": TOWN, "village": home[n]}
            for i, n in enumerate(numbers)
        ],
    )
    cycle.publicize(session, county, COUNTY, year, start=today - dt.timedelta(days=3), days=7)
    cycle.post_notice(session, village, COUNTY, year, today=today - dt.timedelta(days=2))
    first = next(e for e in listed if home[e["id_number"]] == VILLAGES[0])
    cycle.object_to(session, village, first["id"], "群众反映其子女已于去年回乡生育二孩", today=today)
