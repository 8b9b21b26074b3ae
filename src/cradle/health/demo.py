"""Demo data for `make run` (after the registry demo, whose synthetic 张店区 feeds carry the 妇幼 records): the
county's 妇幼保健院 designated a 危重孕产妇救治中心, the nightly sync run on the demo date (high-risk cases opened,
couples offered their checks), a maternal death reported and reviewed (its hospital on the 约谈 list) and a
child's death awaiting review, and the account `demo-fuyou` (a doctor of the 妇幼保健院, password
`cradle.services.demo.DEMO_PASSWORD`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.auth import roles
from cradle.auth.accounts import create_account
from cradle.auth.actor import Actor, from_account
from cradle.health import access, deaths, institutions, sync
from cradle.health.models import Delivery, Pregnancy
from cradle.registry.demo import DEMO_COUNTY
from cradle.services.demo import DEMO_PASSWORD
from cradle.synth.health import institutions as synthetic_institutions

DEMO_DATE = dt.date(2025, 6, 30)  # the synthetic population's date


def load_demo(session: Session) -> None:
    mch, hospital = (code for code, _, _ in synthetic_institutions(DEMO_COUNTY)[:2])
    if access.institution_by_code(session, mch) is None:  # the registry demo did not run
        return
    institutions.designate(session, "cli", mch, True)
    sync.run(session, DEMO_DATE)
    inst = access.institution_by_code(session, hospital)
    account = create_account(
        session,
        "cli",
        username="demo-fuyou",
        role=roles.HEALTH,
        name="张店区人民医院 产科医生",
        password=DEMO_PASSWORD,
        region=DEMO_COUNTY,
        institution_id=inst.id,
    )
    doctor = from_account(account, "session")
    county = Actor(id="demo-county-health", role=roles.COUNTY, region=DEMO_COUNTY, name="张店区卫健局")
    found = session.execute(
        select(Pregnancy, Delivery.delivered_on)
        .join(Delivery, Delivery.pregnancy_no == Pregnancy.pregnancy_no)
        .where(Delivery.institution_code == hospital, Delivery.delivered_on >= dt.date(2024, 1, 1))
        .order_by(Delivery.delivered_on)
        .limit(1)
    ).first()
    if found is not None:
        mother, delivered = found
        death = deaths.report(
            session,
            doctor,
            {
                "kind": "maternal",
                "id_number": mother.id_number,
                "name": mother.name,
                "died_on": (delivered + dt.timedelta(days=3)).isoformat(),
                "cause": "O72.1 产后出血",
                "place": "hospital",
                "pregnancy_no": mother.pregnancy_no,
            },
        )
        deaths.review(
            session,
            county,
            death.id,
            {
                "classification": "direct",
                "avoidable": "conditional",
                "causes": "产后出血识别延迟，输血准备不足",
                "measures": "产后出血演练每季度一次；血库备血流程纳入急救预案",
                "reviewed_on": (delivered + dt.timedelta(days=40)).isoformat(),
            },
        )
    session.commit()
