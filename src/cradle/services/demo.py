"""Demo data for `make run`: 张店区 (淄博) families with 生育登记, 出生一件事 tasks in several states, 保育费补助
applications in every review state, and last month's payment batch paid through a bank return file; plus
accounts to sign in with (password `DEMO_PASSWORD`): the demo mother (her ID number), `demo-town`,
`demo-county`, `demo-weijian`. Everything goes through the same service functions as the pages."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from cradle.auth import roles
from cradle.auth.accounts import create_account, register_citizen
from cradle.auth.actor import Actor
from cradle.idcard import birth_date_of, make_id_number
from cradle.payments import bankfile, batches
from cradle.services import applications, bundle, certificates, registration

COUNTY, TOWN = "370303", "370303001"
PROGRAM = "zibo.nursery_fee_subsidy"
DEMO_PASSWORD = "Demo-Passw0rd!"
FAMILIES = ("刘芳", "陈静", "王丽", "赵敏", "孙悦", "周洁", "吴倩")
# The review state each family's application is left in (the first is the demo mother's, approved and paid).
STATES = ("approved", "approved", "county_confirmation", "town_review", "submitted", "returned", "rejected")
PATHS = {
    "submitted": (),
    "town_review": ("town_accept",),
    "county_confirmation": ("town_accept", "town_pass"),
    "approved": ("town_accept", "town_pass", "county_approve"),
    "returned": ("town_return",),
    "rejected": ("town_accept", "town_reject"),
}

town = Actor(id="demo-town", role=roles.TOWN, region=TOWN, name="马站街道 乡镇专干")
county = Actor(id="demo-county", role=roles.COUNTY, region=COUNTY, name="张店区卫健局")
weijian = Actor(id="demo-weijian", role=roles.DEPT, region=COUNTY, dept="weijian", name="张店区卫健窗口")


def family(n: int, today: dt.date) -> dict:
    born = today - dt.timedelta(days=70 + 9 * n)
    return {
        "name": FAMILIES[n],
        "born": born,
        "mother": make_id_number(COUNTY, dt.date(1992, 3, 1) + dt.timedelta(days=40 * n), 60 + n, "F"),
        "father": make_id_number(COUNTY, dt.date(1990, 6, 1) + dt.timedelta(days=40 * n), 70 + n, "M"),
        "c1": make_id_number(COUNTY, dt.date(2020, 4, 1) + dt.timedelta(days=20 * n), 80 + n, "F"),
        "c2": make_id_number(COUNTY, born, 90 + n, "M"),
    }


def _apply(s: Session, f: dict, n: int) -> str:
    mother = Actor(id=f"demo-m{n}", role=roles.CITIZEN, id_number=f["mother"], name=f["name"])
    reg = registration.register(
        s,
        mother,
        {
            "mother_id_number": f["mother"],
            "mother_name": f["name"],
            "father_id_number": f["father"],
            "father_name": f"{f['name'][0]}先生",
            "hukou_region": COUNTY,
            "residence_region": COUNTY,
            "expected_birth": f["born"].isoformat(),
            "child_order": 2,
            "phone": f"1380000{n:04d}",
        },
    )
    certificates.issue_registration(s, mother, reg.reg_no)
    b = bundle.apply(
        s,
        mother,
        {
            "registration_no": reg.reg_no,
            "mother_id_number": f["mother"],
            "mother_name": f["name"],
            "father_id_number": f["father"],
            "father_name": f"{f['name'][0]}先生",
            "child_name": f"宝宝{n + 1}",
            "child_sex": "M",
            "child_birth_date": f["born"].isoformat(),
            "birth_hospital": "淄博市妇幼保健院",
            "hukou_region": COUNTY,
            "phone": f"1380000{n:04d}",
            "account_no": f"62170000000000{n:05d}",
            "maternity_insured": n % 2 == 0,
        },
    )
    tasks = bundle.tasks(s, b)
    for i, t in enumerate(tasks):  # departments at different points
        if t.dept == "weijian" and i <= n % 3:
            bundle.move(s, weijian, t.id, "start")
            if n % 2 == 0:
                bundle.move(s, weijian, t.id, "complete", result={"certificate_no": f"Q37{n:07d}"})
    household = {
        "jurisdiction": COUNTY,
        "members": [
            {
                "id": "m",
                "relation": "mother",
                "sex": "F",
                "birth_date": birth_date_of(f["mother"]).isoformat(),
                "hukou": COUNTY,
            },
            {
                "id": "c1",
                "relation": "child",
                "sex": "F",
                "birth_date": birth_date_of(f["c1"]).isoformat(),
                "birth_order": 1,
            },
            {
                "id": "c2",
                "relation": "child",
                "sex": "M",
                "birth_date": f["born"].isoformat(),
                "birth_order": 2,
                "care": {"type": "nursery", "registered": True, "inclusive": True},
            },
        ],
        "events": [{"type": "birth", "child": "c2", "date": f["born"].isoformat()}],
    }
    case = applications.submit(
        s,
        mother,
        {
            "program": PROGRAM,
            "household": household,
            "beneficiary": "c2",
            "town": TOWN,
            "identities": {
                "m": {"id_number": f["mother"], "name": f["name"]},
                "c1": {"id_number": f["c1"], "name": f"大宝{n + 1}"},
                "c2": {"id_number": f["c2"], "name": f"宝宝{n + 1}"},
            },
            "account_no": f"62170000000000{n:05d}",
            "bank_code": "ZBBANK",
            "phone": f"1380000{n:04d}",
        },
    )
    for action in PATHS[STATES[n]]:
        actor = county if action.startswith("county") else town
        reason = {
            "town_return": "请补充托育机构出具的入托证明",
            "town_reject": "经核实未在已备案托育机构入托",
        }.get(action)
        applications.act(s, actor, case.case_no, action, reason=reason)
    return case.case_no


def _accounts(s: Session, mother: dict) -> None:
    register_citizen(s, mother["mother"], mother["name"], "13800000000", DEMO_PASSWORD, "demo")
    for username, role, region, dept in (
        (
            "demo-village",
            roles.VILLAGE,
            f"{TOWN}001",
            None,
        ),  # the assistance list's 村 (cradle.assistance.demo)
        ("demo-town", roles.TOWN, TOWN, None),
        ("demo-county", roles.COUNTY, COUNTY, None),
        ("demo-weijian", roles.DEPT, COUNTY, "weijian"),
    ):
        create_account(
            s,
            "cli",
            username=username,
            role=role,
            name=username,
            password=DEMO_PASSWORD,
            region=region,
            department=dept,
        )


def load_demo(session: Session, today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    fams = [family(n, today) for n in range(len(FAMILIES))]
    for n, f in enumerate(fams):
        _apply(session, f, n)
    period = f"{min(f['born'] for f in fams[:2]):%Y-%m}"
    batch = batches.generate(session, county, PROGRAM, period, COUNTY)
    with tempfile.TemporaryDirectory(prefix="cradle-demo-pay-") as d:
        out = Path(d) / "bank.csv"
        bankfile.export(session, county, batch.batch_no, out)
        lines = out.read_text(encoding="utf-8-sig").splitlines()[1:]
    answer = ["付款编号,结果,银行流水号,失败原因,金额"]
    for i, line in enumerate(lines, 1):
        cols = line.split(",")
        answer.append(f"{cols[1]},S,DEMO{i:06d},,{cols[5]}")
    bankfile.import_return(session, county, batch.batch_no, ("\r\n".join(answer) + "\r\n").encode())
    _accounts(session, fams[0])
