"""A 张店区 family walked through the pages: accounts, sign-in, and the form data the pages take."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from cradle.auth.testing import PASSWORD, make_account
from cradle.db import session_scope
from cradle.idcard import make_id_number

COUNTY, TOWN, OTHER_TOWN = "370303", "370303001", "370303002"
TODAY = dt.date.today()
BORN = TODAY - dt.timedelta(days=60)
MOTHER = make_id_number(COUNTY, dt.date(1993, 4, 2), 21, "F")
FATHER = make_id_number(COUNTY, dt.date(1991, 8, 20), 22, "M")
CHILD1 = make_id_number(COUNTY, dt.date(2020, 5, 1), 23, "F")
CHILD2 = make_id_number(COUNTY, BORN, 24, "M")


def citizen_account(url: str, id_number: str = MOTHER, name: str = "刘芳"):
    from cradle.auth.accounts import register_citizen

    with session_scope(url) as s:
        account = register_citizen(s, id_number, name, "13800000021", PASSWORD, "test")
        s.expunge(account)
    return account


def sign_in(client, username: str) -> str:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return r.json()["csrf_token"]


def official(url: str, role: str, region: str, **fields):
    return make_account(url, role, region, **fields).username


def registration_form() -> dict:
    return {
        "mother_name": "刘芳",
        "mother_id_number": MOTHER,
        "father_name": "张伟",
        "father_id_number": FATHER,
        "hukou_region": COUNTY,
        "residence_region": COUNTY,
        "expected_birth": BORN.isoformat(),
        "child_order": "2",
        "phone": "13800000021",
    }


def bundle_form(reg_no: str) -> dict:
    return {
        "registration_no": reg_no,
        "mother_name": "刘芳",
        "mother_id_number": MOTHER,
        "father_name": "张伟",
        "father_id_number": FATHER,
        "child_name": "张小二",
        "child_sex": "M",
        "child_birth_date": BORN.isoformat(),
        "birth_hospital": "淄博市妇幼保健院",
        "hukou_region": COUNTY,
        "phone": "13800000021",
        "account_no": "6217000000000000021",
        "maternity_insured": "1",
    }


def apply_form(**over) -> dict:
    data = {
        "program": "zibo.nursery_fee_subsidy",
        "jurisdiction": COUNTY,
        "town": TOWN,
        "m_name": "刘芳",
        "m_id_number": MOTHER,
        "f_name": "张伟",
        "f_id_number": FATHER,
        "c1_name": "张小一",
        "c1_id_number": CHILD1,
        "c2_name": "张小二",
        "c2_id_number": CHILD2,
        "c2_nursery": "1",
        "beneficiary": "c2",
        "account_no": "6217000000000000021",
        "bank_code": "ZBBANK",
        "phone": "13800000021",
        "intent": "submit",
    }
    data.update(over)
    return data


def return_file(export_csv: bytes, result: str = "S") -> bytes:
    rows = list(csv.DictReader(io.StringIO(export_csv.decode("utf-8-sig"))))
    out = io.StringIO()
    out.write("付款编号,结果,银行流水号,失败原因,金额\r\n")
    for n, row in enumerate(rows, 1):
        reason = "" if result == "S" else "账户已销户"
        out.write(f"{row['付款编号']},{result},B{n:08d},{reason},{row['金额']}\r\n")
    return out.getvalue().encode("utf-8")


def field_error(html: str, field: str) -> str | None:
    """The message shown beside the form field `field`, or None."""
    m = re.search(rf'<p class="field-error" id="e-{re.escape(field)}">([^<]*)</p>', html)
    return m.group(1) if m else None
