"""The one Actor as the services know it: the office an account acts for, its area, and the name the services'
records give it (kept as it was when the services had an Actor of their own)."""

from __future__ import annotations

import pytest

from cradle.auth.actor import SYSTEM, Actor
from cradle.errors import Forbidden
from cradle.services import offices

from .helpers import MOTHER


def account(role, region=None, dept=None, id_number=None):
    return Actor(
        id="account:9", role=role, region=region, dept=dept, id_number=id_number, name="测", account_id=9
    )


def test_accounts_act_for_an_office():
    county = account("county_official", "370303")
    assert offices.office(county) == "county" and county.county == "370303"
    assert offices.can_see(county, "370303", None) and not offices.can_see(county, "370304", None)
    town = account("town_official", "370303001")
    assert (offices.office(town), town.county, town.town) == ("town", "370303", "370303001")
    assert offices.can_see(town, "370303", "370303001") and not offices.can_see(town, "370303", "370303002")
    assert offices.office(account("dept_clerk", "370303", dept="weijian")) == "dept"
    assert offices.office(account("dept_clerk", "370303", dept="caizheng")) == "finance"
    assert offices.office(account("dept_clerk", "370303", dept="tongji")) is None  # no desk of the services
    assert offices.office(account("citizen", id_number=MOTHER)) == "citizen"
    assert offices.office(account("city_official", "370300")) is None  # the services have no city office yet
    assert offices.office(SYSTEM) == "system" and offices.can_see(SYSTEM, "370304", None)


def test_the_services_name_an_actor_by_office():
    county = account("county_official", "370303")
    assert offices.ref(county) == "county:account:9@370303"
    assert county.ref == "county_official:account:9@370303"  # the rest of the app names the account's role
    assert offices.ref(account("town_official", "370303001")) == "town:account:9@370303001"
    assert offices.ref(account("dept_clerk", "370303", dept="weijian")) == "dept:account:9@370303/weijian"
    assert offices.ref(account("dept_clerk", "370303", dept="caizheng")) == "finance:account:9@370303"
    citizen = account("citizen", id_number=MOTHER)
    assert offices.ref(citizen) == citizen.ref == f"citizen:{MOTHER[:6]}{'*' * 10}{MOTHER[-2:]}:测"
    assert offices.ref(SYSTEM) == SYSTEM.ref == "system:system@"


def test_an_office_is_required_and_its_area():
    town = account("town_official", "370303001")
    with pytest.raises(Forbidden) as wrong:
        offices.require_office(town, "370303", "370303001", ("county",))
    assert wrong.value.field == "actor.role" and "county" in wrong.value.message
    with pytest.raises(Forbidden) as away:
        offices.require_office(town, "370303", "370303002", ("town", "county"))
    assert away.value.field == "actor.scope"
    offices.require_office(town, "370303", "370303001", ("town", "county"))
