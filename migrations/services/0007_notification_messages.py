"""services: a notification is a message id with its parameters (JSON), said in the reader's language when shown.

The rows written before hold their Chinese in `text`. Each known message is recognised once, here, by its Chinese
wording as it was written (the zh texts below, frozen: the catalogue may change later, these rows do not), and
rewritten as its id and parameters; a label inside one (a status, a task's title) becomes `{"message": id}`. A
row that matches none keeps its text as a literal and is shown as stored.

Revision ID: services_0007
Revises: services_0006
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "services_0007"
down_revision = "services_0006"
branch_labels = None
depends_on = None

# message id → the Chinese the code wrote for it.
ZH = {
    "Your birth registration is complete, registration number %(reg_no)s (no approval needed; you can download "
    "and print the registration certificate).": "您的生育登记已完成，登记号 %(reg_no)s（无需审批，可下载打印登记凭证）。",
    "%(program)s: opened for you; please confirm or decline (%(case)s). %(explanation)s": (
        "%(program)s：已为您主动开通，请确认或放弃（%(case)s）。%(explanation)s"
    ),
    "%(program)s: application submitted (%(case)s). %(explanation)s": "%(program)s：申请已提交（%(case)s）。%(explanation)s",
    "Your application %(case)s: %(status)s. Reason: %(reason)s": "您的申请 %(case)s 状态：%(status)s。理由：%(reason)s",
    "Your application %(case)s: %(status)s": "您的申请 %(case)s 状态：%(status)s",
    "Your appeal has been received (%(appeal)s); you will have an answer by %(due)s.": (
        "您的申诉已受理（%(appeal)s），将于 %(due)s 前答复。"
    ),
    "Your appeal %(appeal)s is not upheld: %(outcome)s": "您的申诉 %(appeal)s 不成立：%(outcome)s",
    "Your appeal %(appeal)s is upheld: %(outcome)s": "您的申诉 %(appeal)s 成立：%(outcome)s",
    "Your birth bundle has been received (%(bundle)s); each department handles its part, and you can follow "
    "progress under “My matters”.": "出生一件事已受理（%(bundle)s），各部门将分别办理，进度可在“我的事项”查看。",
    "Birth bundle · %(task)s: %(status)s. Reason: %(reason)s": "出生一件事·%(task)s：%(status)s。原因：%(reason)s",
    "Birth bundle · %(task)s: %(status)s": "出生一件事·%(task)s：%(status)s",
    "You and %(spouse)s have registered your marriage. Under the marriage-and-birth bundle you can have a free "
    "premarital medical check and a free preconception health check: sign in and book them under “My health "
    "services”.": (
        "您与%(spouse)s已办理结婚登记。按照婚育一件事，您可享受免费婚前医学检查和孕前优生健康检查，"
        "请登录后在“我的健康服务”中预约。"
    ),
    "You have booked the %(kind)s: %(place)s, %(date)s.": "您已预约%(kind)s：%(place)s，%(date)s。",
}
REMINDER = "Reminder: %(deadline)s"  # 提醒：<a deadline below>
DEADLINES = {
    "%(task)s: to be done by %(due)s": "%(task)s：请于 %(due)s 前办理",
    "%(program)s is paid until %(due)s (when %(who)s turns 3)": "%(program)s发放至 %(due)s（%(who)s满3周岁）止",
    "%(program)s: deadline %(due)s. %(explanation)s": "%(program)s：%(due)s 截止。%(explanation)s",
}
# The labels a message carried, by their Chinese: a case's status, a birth-bundle task's title and status, a check.
CASE_STATUSES = {
    "待您确认": "Awaiting your confirmation",
    "已提交": "Submitted",
    "乡镇审核中": "Under town review",
    "县级确认中": "Under county confirmation",
    "退回补正": "Returned for correction",
    "已批准": "Approved",
    "不予批准": "Not approved",
    "已撤回": "Withdrawn",
    "已放弃": "Declined",
}
TASK_STATUSES = {"已受理": "Received", "办理中": "In progress", "已办结": "Completed", "已退回": "Sent back"}
TASKS = {
    "出生医学证明": "Birth medical certificate",
    "预防接种证": "Vaccination certificate",
    "户口登记": "Hukou registration",
    "医保参保（出生6个月内参保，参保前费用可报销）": (
        "Medical insurance enrolment (within 6 months of birth; costs before enrolment are reimbursed)"
    ),
    "社保卡申领": "Social security card",
    "生育保险报销": "Maternity insurance reimbursement",
    "生育津贴": "Maternity allowance",
}
CHECKS = {"婚前医学检查": "Premarital medical check", "孕前优生健康检查": "Preconception health check"}
LABELS = {  # (message id, parameter) → its labels
    ("Your application %(case)s: %(status)s. Reason: %(reason)s", "status"): CASE_STATUSES,
    ("Your application %(case)s: %(status)s", "status"): CASE_STATUSES,
    ("Birth bundle · %(task)s: %(status)s. Reason: %(reason)s", "task"): TASKS,
    ("Birth bundle · %(task)s: %(status)s. Reason: %(reason)s", "status"): TASK_STATUSES,
    ("Birth bundle · %(task)s: %(status)s", "task"): TASKS,
    ("Birth bundle · %(task)s: %(status)s", "status"): TASK_STATUSES,
    ("You have booked the %(kind)s: %(place)s, %(date)s.", "kind"): CHECKS,
    ("%(task)s: to be done by %(due)s", "task"): TASKS,
}
_PART = re.compile(r"%\((\w+)\)s")
_WILD = {  # what a part can be: numbers and dates have no spaces; free text may hold anything
    "reg_no": r"\S+",
    "case": r"[^\s（）]+",
    "appeal": r"[^\s（）]+",
    "bundle": r"[^\s（）]+",
    "due": r"\d{4}-\d{2}-\d{2}",
    "date": r"\d{4}-\d{2}-\d{2}",
}


def _pattern(zh: str) -> re.Pattern:
    pieces = _PART.split(zh)  # text, name, text, name, ..., text
    return re.compile(
        "".join(
            re.escape(p) if i % 2 == 0 else f"(?P<{p}>{_WILD.get(p, '.+?' if i < len(pieces) - 2 else '.*')})"
            for i, p in enumerate(pieces)
        ),
        re.S,
    )


def _parse(text: str, messages: dict) -> tuple[str, dict] | None:
    """(message id, params) of a text said as one of `messages`, its labels as {"message": id}; else None."""
    for message_id, zh in messages.items():
        m = _pattern(zh).fullmatch(text)
        if m is None:
            continue
        params = {}
        for name, value in m.groupdict().items():
            labels = LABELS.get((message_id, name))
            if labels is None:
                params[name] = value
            elif value in labels:
                params[name] = {"message": labels[value]}
            else:
                break  # a label no longer known: try the next wording
        else:
            return message_id, params
    return None


def parse(text: str) -> tuple[str, dict] | None:
    if text.startswith("提醒："):
        found = _parse(text[3:], DEADLINES)
        if found is None:
            return None
        return REMINDER, {"deadline": {"message": found[0], "params": found[1]}}
    return _parse(text, ZH)


def _say(message_id: str, params: dict) -> str:
    zh = {**ZH, **DEADLINES, REMINDER: "提醒：%(deadline)s"}[message_id]
    values = {}
    for name, value in params.items():
        if isinstance(value, dict):
            inner = value.get("params")
            if inner is not None:
                values[name] = _say(value["message"], inner)
            else:
                values[name] = next(
                    (
                        k
                        for table in (CASE_STATUSES, TASK_STATUSES, TASKS, CHECKS)
                        for k, v in table.items()
                        if v == value["message"]
                    ),
                    value["message"],
                )
        else:
            values[name] = value
    return zh % values


notification = sa.table(
    "svc_notification",
    sa.column("id", sa.Integer),
    sa.column("message", sa.Text),
    sa.column("params", sa.JSON),
    sa.column("text", sa.Text),
)


def upgrade() -> None:
    with op.batch_alter_table("svc_notification") as batch:
        batch.add_column(sa.Column("message", sa.Text(), nullable=True))
        batch.add_column(sa.Column("params", sa.JSON(), nullable=True))
        batch.alter_column("text", existing_type=sa.Text(), nullable=True)
    bind = op.get_bind()
    rows = bind.execute(sa.select(notification.c.id, notification.c.text)).all()
    for row_id, text in rows:
        found = parse(text or "")
        if found is not None:
            bind.execute(
                notification.update()
                .where(notification.c.id == row_id)
                .values(message=found[0], params=found[1] or None, text=None)
            )


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(notification.c.id, notification.c.message, notification.c.params).where(
            notification.c.message.is_not(None)
        )
    ).all()
    for row_id, message_id, params in rows:
        try:
            text = _say(message_id, params or {})
        except (KeyError, TypeError, ValueError):
            text = message_id
        bind.execute(notification.update().where(notification.c.id == row_id).values(text=text))
    with op.batch_alter_table("svc_notification") as batch:
        batch.alter_column("text", existing_type=sa.Text(), nullable=False)
        batch.drop_column("params")
        batch.drop_column("message")
