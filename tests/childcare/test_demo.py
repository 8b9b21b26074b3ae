import datetime as dt

from cradle.childcare.capacity import capacity_report
from cradle.childcare.demo import load_demo
from cradle.childcare.disclosure import public_listing


def test_demo_loads_and_discloses(session):
    load_demo(session)
    listing = public_listing(session, dt.date(2025, 5, 1))
    assert sum(len(c["facilities"]) for c in listing["counties"]) == 5
    zhangdian = next(c for c in listing["counties"] if c["region"] == "370303")
    assert zhangdian["slots"] == 135 and zhangdian["vacancies"] == 135 - 12
    assert capacity_report(session, "370300", dt.date(2025, 5, 1))["region"]["slots"] == 155
