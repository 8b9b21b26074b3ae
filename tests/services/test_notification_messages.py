"""Notifications are message ids with parameters, said in the reader's language; the rows written in Chinese
before are rewritten once by the services_0007 migration."""

from __future__ import annotations

import json
import re

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from cradle.db import PROJECT_ROOT, make_engine, upgrade
from cradle.services import notifications
from cradle.services.models import Notification

CJK = re.compile(r"[\u3400-\u9fff]")

# (what a row said before message ids, what it says in English now)
OLD_ROWS = [
    (
        "您的生育登记已完成，登记号 R370303-0001（无需审批，可下载打印登记凭证）。",
        "Your birth registration is complete, registration number R370303-0001 (no approval needed; you can "
        "download and print the registration certificate).",
    ),
    ("您的申请 C2025-0042 状态：已批准", "Your application C2025-0042: Approved"),
    (
        "您的申请 C2025-0042 状态：退回补正。理由：缺少出生医学证明",
        "Your application C2025-0042: Returned for correction. Reason: 缺少出生医学证明",
    ),
    (
        "出生一件事·户口登记：已退回。原因：材料不全",
        "Birth bundle · Hukou registration: Sent back. Reason: 材料不全",
    ),
    (
        "出生一件事·医保参保（出生6个月内参保，参保前费用可报销）：已办结",
        "Birth bundle · Medical insurance enrolment (within 6 months of birth; costs before enrolment are "
        "reimbursed): Completed",
    ),
    (
        "出生一件事已受理（B2025-0007），各部门将分别办理，进度可在“我的事项”查看。",
        "Your birth bundle has been received (B2025-0007); each department handles its part, and you can follow "
        "progress under “My matters”.",
    ),
    (
        "您的申诉已受理（A2025-0003），将于 2025-07-01 前答复。",
        "Your appeal has been received (A2025-0003); you will have an answer by 2025-07-01.",
    ),
    ("您的申诉 A2025-0003 不成立：符合规定", "Your appeal A2025-0003 is not upheld: 符合规定"),
    ("提醒：户口登记：请于 2025-02-01 前办理", "Reminder: Hukou registration: to be done by 2025-02-01"),
    (
        "您已预约婚前医学检查：张店区妇幼保健院，2025-06-10。",
        "You have booked the Premarital medical check: 张店区妇幼保健院, 2025-06-10.",
    ),
]
LITERAL = "系统维护通知：今晚停机"  # no known message: kept as said


def test_old_rows_become_message_ids_and_say_the_same(db_url):
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", db_url)
    command.upgrade(cfg, "services_0006")
    engine = make_engine(db_url)
    with engine.begin() as c:
        for i, said in enumerate([old for old, _ in OLD_ROWS] + [LITERAL], start=1):
            c.execute(
                text(
                    "INSERT INTO svc_notification (id, recipient_id_number, channel, kind, subject, text, status,"
                    " attempts) VALUES (:i, 'x', 'inapp', 'k', 's', :t, 'pending', 0)"
                ),
                {"i": i, "t": said},
            )
    engine.dispose()

    upgrade(db_url)

    engine = make_engine(db_url)
    with engine.connect() as c:
        rows = c.execute(text("SELECT id, message, params, text FROM svc_notification ORDER BY id")).all()
    engine.dispose()
    found = [
        Notification(message=m, params=json.loads(p) if isinstance(p, str) else p, text=t)
        for _, m, p, t in rows
    ]
    *converted, literal = found
    assert all(n.message and n.text is None for n in converted)
    assert [notifications.text(n) for n in converted] == [old for old, _ in OLD_ROWS]
    assert [notifications.text(n, "en") for n in converted] == [english for _, english in OLD_ROWS]
    assert (literal.message, literal.text) == (None, LITERAL)
    assert notifications.text(literal, "en") == LITERAL
    bundle_task = converted[3]
    assert bundle_task.params["task"] == {"message": "Hukou registration"}


def test_a_new_notification_is_said_in_each_language(session):
    from cradle.services.appeals import APPEAL_RECEIVED

    (inapp, sms) = notifications.notify(
        session,
        "110101199003077777",
        "appeal.filed",
        "appeal:A1",
        APPEAL_RECEIVED,
        "13800000001",
        params={"appeal": "A1", "due": "2025-07-01"},
    )
    session.flush()
    assert notifications.text(sms) == "您的申诉已受理（A1），将于 2025-07-01 前答复。"  # an SMS: Chinese
    english = notifications.text(inapp, "en")
    assert english == "Your appeal has been received (A1); you will have an answer by 2025-07-01."
    assert not CJK.search(english)
