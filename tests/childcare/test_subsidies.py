import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cradle.childcare import subsidies
from cradle.childcare.facilities import facility_input, update_facility
from cradle.childcare.inspections import add_credit_record
from cradle.childcare.models import SubsidyApplication, SubsidySlot
from cradle.db import session_scope
from cradle.errors import IllegalTransition, Invalid, Unavailable

from .helpers import filed_facility

ON = dt.date(2025, 3, 1)


def zibo_rule(facility: dict, on: dt.date) -> dict:
    """The contract of cradle.policy.facility.calc_facility for the two Zibo programs (003… 二（三）1), used
    while the Zibo pack is not loaded; test_real_engine below runs the engine itself when it is."""
    out = []
    if facility["jurisdiction"].startswith("3703") and facility["registered"]:
        if facility["inclusive"] and facility["inclusive_slots"] > 0:
            out.append(
                {
                    "program": subsidies.CONSTRUCTION,
                    "amount": 1500 * facility["inclusive_slots"],
                    "citations": [{"document": "003_9583e153e8ef1680.txt", "clause": "二（三）1"}],
                    "explanation": f"普惠托位{facility['inclusive_slots']}个×1500元",
                }
            )
        if facility["demonstration"]:
            out.append(
                {
                    "program": subsidies.AWARD,
                    "amount": 50000,
                    "citations": [{"document": "003_9583e153e8ef1680.txt", "clause": "二（三）1"}],
                }
            )
    return {"as_of": on.isoformat(), "jurisdiction": facility["jurisdiction"], "entitlements": out}


def test_apply_review_pay_and_never_twice(migrated_db_url):
    with session_scope(migrated_db_url) as s:
        fid = filed_facility(s, demonstration=True).id
    with session_scope(migrated_db_url) as s:
        app = subsidies.apply(s, fid, subsidies.CONSTRUCTION, ON, calc=zibo_rule)
        assert (app.units, app.amount, app.status) == (80, 120000, "applied")
        assert app.citation == "003_9583e153e8ef1680.txt 二（三）1"
        with pytest.raises(Invalid, match="全部享受过"):  # reserved while under review
            subsidies.apply(s, fid, subsidies.CONSTRUCTION, ON, calc=zibo_rule)
        subsidies.transition(s, app.id, "approve", ON)
        assert app.status == "payable"
        with pytest.raises(Invalid) as err:
            subsidies.transition(s, app.id, "pay", ON)
        assert err.value.field == "payment_ref"
        subsidies.transition(s, app.id, "pay", ON, payment_ref="YKT-2025-0001")
        with pytest.raises(IllegalTransition):
            subsidies.transition(s, app.id, "approve", ON)
        award = subsidies.apply(s, fid, subsidies.AWARD, ON, calc=zibo_rule)
        assert (award.units, award.amount) == (1, 50000)
        with pytest.raises(Invalid, match="已享受过示范"):
            subsidies.apply(s, fid, subsidies.AWARD, ON, calc=zibo_rule)
    with session_scope(migrated_db_url) as s:
        # the facility grows by 20 slots: only those 20 can still be subsidised
        f = subsidies.get_facility(s, fid)
        data = facility_input(f)
        data["slots"][2]["slots"] = 60
        data["slots"][2]["classes"] = 3
        update_facility(s, fid, data, on=ON)
        more = subsidies.apply(s, fid, subsidies.CONSTRUCTION, ON, calc=zibo_rule)
        assert (more.units, more.amount) == (20, 30000)
        slot_nos = sorted(
            s.scalars(select(SubsidySlot.slot_no).where(SubsidySlot.program == subsidies.CONSTRUCTION))
        )
        assert slot_nos == list(range(1, 101))
        subsidies.transition(s, more.id, "reject", ON, note="材料不全")
        assert subsidies.granted_units(s, fid, subsidies.CONSTRUCTION) == 80  # released for a new application
        again = subsidies.apply(s, fid, subsidies.CONSTRUCTION, ON, calc=zibo_rule)
        assert again.units == 20


def test_unique_slot_constraint_holds_in_the_database(migrated_db_url):
    with session_scope(migrated_db_url) as s:
        fid = filed_facility(s).id
        app = subsidies.apply(s, fid, subsidies.CONSTRUCTION, ON, calc=zibo_rule)
        app_id = app.id
    with pytest.raises(IntegrityError), session_scope(migrated_db_url) as s:
        s.add(SubsidySlot(application_id=app_id, facility_id=fid, program=subsidies.CONSTRUCTION, slot_no=1))
        s.flush()
    with session_scope(migrated_db_url) as s:
        assert s.scalar(select(func.count()).select_from(SubsidySlot)) == 80


def test_racing_applications_cannot_both_take_the_slots(migrated_db_url, monkeypatch):
    """Two officials' sessions both saw the 80 slots as free; the database refuses the second application."""
    with session_scope(migrated_db_url) as s:
        fid = filed_facility(s).id
    with session_scope(migrated_db_url) as a:
        subsidies.apply(a, fid, subsidies.CONSTRUCTION, ON, calc=zibo_rule)
    monkeypatch.setattr(subsidies, "taken_slots", lambda *args: set())  # b's view from before a committed
    with session_scope(migrated_db_url) as b:
        with pytest.raises(Invalid, match="已在其他申请"):
            subsidies.apply(b, fid, subsidies.CONSTRUCTION, ON, calc=zibo_rule)
        assert b.scalar(select(func.count()).select_from(SubsidyApplication)) == 1  # savepoint rolled back
    with session_scope(migrated_db_url) as s:
        assert s.scalar(select(func.count()).select_from(SubsidySlot)) == 80


def test_refusals(session):
    fac = filed_facility(session, 1, type="private", inclusive=False)
    with pytest.raises(Invalid, match="仅普惠"):
        subsidies.apply(session, fac.id, subsidies.CONSTRUCTION, ON, calc=zibo_rule)
    with pytest.raises(Invalid, match="仅市级示范"):
        subsidies.apply(session, fac.id, subsidies.AWARD, ON, calc=zibo_rule)
    with pytest.raises(Invalid) as err:
        subsidies.apply(session, fac.id, "zibo.free_money", ON, calc=zibo_rule)
    assert err.value.field == "program"
    other = filed_facility(session, 2, region="620402")
    with pytest.raises(Invalid, match="不符合"):
        subsidies.apply(session, other.id, subsidies.CONSTRUCTION, ON, calc=zibo_rule)
    black = filed_facility(session, 3)
    add_credit_record(session, black.id, {"list_type": "black", "reason": "x", "start_on": "2025-01-01"})
    with pytest.raises(Invalid, match="黑名单"):
        subsidies.apply(session, black.id, subsidies.CONSTRUCTION, ON, calc=zibo_rule)


def test_real_engine(session):
    fac = filed_facility(session, demonstration=True)
    try:
        found = subsidies.entitlements(session, fac.id, ON)
    except Unavailable:
        pytest.skip("policy engine has no cradle.policy.facility yet")
    if not any(e["program"] == subsidies.CONSTRUCTION for e in found):
        pytest.skip("the Zibo pack with the facility programs is not loaded yet")
    app = subsidies.apply(session, fac.id, subsidies.CONSTRUCTION, ON)
    assert (app.units, app.amount) == (80, 120000)
    assert subsidies.apply(session, fac.id, subsidies.AWARD, ON).amount == 50000
