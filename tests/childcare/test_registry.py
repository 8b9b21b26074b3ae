import datetime as dt

import pytest
from sqlalchemy import func, select

from cradle.childcare.facilities import (
    facility_dict,
    facility_input,
    get_facility,
    list_facilities,
    register_facility,
    update_facility,
)
from cradle.childcare.models import Facility
from cradle.db import session_scope
from cradle.errors import Invalid, OutOfScope

from .helpers import credit_code, facility_data


def test_register_and_read_back(session):
    f = register_facility(session, facility_data(1))
    got = facility_dict(session, get_facility(session, f.id), on=dt.date(2024, 3, 1), detail=True)
    assert got["slots"] == 80 and got["vacancies"] == 80 and got["enrolled"] == 0
    assert got["inclusive"] is True  # inclusive_private defaults to 普惠
    assert got["region_name"] == "张店区"
    assert got["filing_status"] is None and got["filing_status_label"] == "未备案"
    assert {g["age_group"]: g["fee_monthly"] for g in got["slot_groups"]} == {
        "infant": 1800,
        "toddler": 1500,
        "older": 1200,
    }
    assert len(got["staff"]) == 19


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("credit_code", "91370303MA3C12345X", "校验位"),
        ("credit_code", "12345", "18位"),
        ("region_code", "370399", "县级行政区划代码"),
        ("region_code", "370300", "县级行政区划代码"),
        ("type", "hotel", "应为"),
        ("floor_area_m2", -5, "应大于0"),
        ("rooms", -1, "不能为负数"),
        ("opening_date", "2024-13-01", "日期格式"),
        ("colour", "red", "未知字段"),
    ],
)
def test_bad_fields_are_refused_by_name(session, field, value, message):
    with pytest.raises(Invalid) as err:
        register_facility(session, facility_data(1, **{field: value}))
    assert err.value.field == field
    assert message in err.value.message
    assert session.scalar(select(func.count()).select_from(Facility)) == 0


def test_negative_slots_refused_with_path(session):
    data = facility_data(1)
    data["slots"][1]["slots"] = -3
    with pytest.raises(Invalid) as err:
        register_facility(session, data)
    assert err.value.field == "slots[1].slots"
    assert "负数" in err.value.message


def test_class_size_limit_of_the_standard(session):
    data = facility_data(1)
    data["slots"][0] = {"age_group": "infant", "slots": 11, "classes": 1, "fee_monthly": 1000}
    with pytest.raises(Invalid) as err:
        register_facility(session, data)
    assert err.value.field == "slots[0].slots" and "10" in err.value.message


def test_duplicate_credit_code_refused(session):
    register_facility(session, facility_data(1))
    with pytest.raises(Invalid, match="已登记") as err:
        register_facility(session, facility_data(1, name="另一家"))
    assert err.value.field == "credit_code"


def test_scope_limits_registration_and_listing(session):
    register_facility(session, facility_data(1, region="370303"))
    register_facility(session, facility_data(2, region="370302"))
    register_facility(session, facility_data(3, region="620402"))
    with pytest.raises(OutOfScope):
        register_facility(session, facility_data(4, region="620402"), scope="370300")
    assert [f.region_code for f in list_facilities(session, scope="370300")] == ["370302", "370303"]
    assert [f.region_code for f in list_facilities(session, region="370303")] == ["370303"]
    assert [f.region_code for f in list_facilities(session, region="620000")] == ["620402"]
    other = list_facilities(session, region="620402")[0]
    with pytest.raises(OutOfScope):
        get_facility(session, other.id, scope="370303")


def test_update_keeps_data_when_refused(cc_url):
    with session_scope(cc_url) as s:
        fid = register_facility(s, facility_data(1)).id
    with session_scope(cc_url) as s:
        data = facility_input(get_facility(s, fid))
        data["slots"][2]["slots"] = -1
        with pytest.raises(Invalid):
            update_facility(s, fid, data)
    with session_scope(cc_url) as s:
        assert sorted(g.slots for g in get_facility(s, fid).slots) == [10, 30, 40]
        data = facility_input(get_facility(s, fid))
        data["slots"][2]["slots"] = 20
        data["name"] = "改名托育园"
        update_facility(s, fid, data)
    with session_scope(cc_url) as s:
        f = get_facility(s, fid)
        assert f.name == "改名托育园" and sorted(g.slots for g in f.slots) == [10, 20, 30]


def test_credit_code_helper_is_valid():
    from cradle.idcard import check_credit_code

    assert check_credit_code(credit_code("370303", 7)) is None
