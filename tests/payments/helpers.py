from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cradle.auth.actor import SYSTEM
from cradle.idcard import make_id_number
from cradle.payments import entitlements

COUNTY = "620402"


def add_entitlements(
    session,
    n: int,
    *,
    program="baiyin.childcare_allowance",
    frequency="monthly",
    start=dt.date(2025, 3, 10),
    end=dt.date(2028, 3, 10),
    amount="200",
    county=COUNTY,
):
    rows = []
    for i in range(n):
        child = make_id_number(county, dt.date(2025, 1, 1) + dt.timedelta(days=i % 300), i, "M")
        rows.append(
            entitlements.register(
                session,
                SYSTEM,
                case_ref=f"case:T{i}",
                program=program,
                beneficiary_id_number=child,
                beneficiary_name=f"孩{i}",
                payee_id_number=make_id_number(county, dt.date(1990, 1, 1), i, "F"),
                payee_name=f"母{i}",
                account_no=f"62170000{i:011d}",
                bank_code="GSBANK",
                county=county,
                amount=Decimal(amount),
                frequency=frequency,
                start=start,
                end=end,
            )
        )
    return rows
