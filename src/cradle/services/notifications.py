"""Notifications: every state change a citizen cares about goes to the outbox as an in-app message and, when a
phone number is known, an SMS that `dispatch()` hands to the configured sender.

A notification is stored as an English message id and its parameters (`message`, `params`), like an error of
`cradle.errors`, and said in the reader's language when shown: `text(row, locale)`. An SMS goes out in Chinese, the
default. A parameter that is itself a label (a status, a task's title) is stored as `label(id)` and translated
too; names, numbers and free text entered by staff are stored as said. Rows written before message ids keep their
Chinese in `text` and are shown as stored.

The sender is pluggable: `CRADLE_SMS_SENDER` is `file` (default: JSON lines in `<data_dir>/sms/outbox.jsonl`, so
nothing leaves the machine in a test) or `module:Class` with a `send(phone, text)` method.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.config import get_settings
from cradle.errors import DEFAULT_LOCALE, translate
from cradle.idcard import mask
from cradle.services.models import Notification
from cradle.services.validate import now


class FileSink:
    def __init__(self, path: Path | None = None):
        self.path = path or get_settings().data_dir / "sms" / "outbox.jsonl"

    def send(self, phone: str, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(
                json.dumps({"phone": phone, "text": text, "at": now().isoformat()}, ensure_ascii=False) + "\n"
            )


def configured_sender():
    spec = get_settings().sms_sender
    if spec == "file":
        return FileSink()
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)()


def label(message_id: str) -> dict:
    """A parameter that is a label in the message catalogue (a status, a task's title): translated when shown."""
    return {"message": message_id}


def say(message_id: str, params: dict | None, locale: str = DEFAULT_LOCALE) -> str:
    """A stored message in `locale`, its label parameters translated first."""
    resolved = {
        name: say(value["message"], value.get("params"), locale) if isinstance(value, dict) else value
        for name, value in (params or {}).items()
    }
    return translate(message_id, resolved, locale)


def text(row: Notification, locale: str = DEFAULT_LOCALE) -> str:
    """What the notification says to a reader of `locale` (an SMS: the default, Chinese)."""
    if row.message:
        return say(row.message, row.params, locale)
    return row.text or ""  # written before message ids: shown as stored


def rows(
    recipient_id_number: str,
    kind: str,
    subject: str,
    message: str,
    phone: str | None = None,
    params: dict | None = None,
) -> list[dict]:
    """The outbox rows for one change: the in-app message, and the SMS when a phone number is known (for a
    Core `insert(Notification)`, as the busiest writes use). `message` is an English message id (`N_`),
    `params` its `%(name)s` values: plain JSON values, or `label(id)` for a label."""
    out = [
        {
            "recipient_id_number": recipient_id_number,
            "channel": "inapp",
            "kind": kind,
            "subject": subject,
            "message": message,
            "params": params or None,
            "text": None,
            "phone": None,
        }
    ]
    if phone:
        out.append({**out[0], "channel": "sms", "phone": phone})
    return out


def notify(
    session: Session,
    recipient_id_number: str,
    kind: str,
    subject: str,
    message: str,
    phone: str | None = None,
    *,
    params: dict | None = None,
) -> list[Notification]:
    found = [Notification(**row) for row in rows(recipient_id_number, kind, subject, message, phone, params)]
    session.add_all(found)  # flushed with the caller's next statement (one flush for the whole change)
    return found


def inbox(session: Session, id_number: str, limit: int = 50) -> list[Notification]:
    return list(
        session.execute(
            select(Notification)
            .where(Notification.recipient_id_number == id_number, Notification.channel == "inapp")
            .order_by(Notification.id.desc())
            .limit(limit)
        ).scalars()
    )


def mark_read(session: Session, id_number: str, notification_id: int) -> None:
    row = session.get(Notification, notification_id)
    if row is not None and row.recipient_id_number == id_number and row.channel == "inapp":
        row.status = "read"


def dispatch(session: Session, sender=None, limit: int = 1000) -> dict:
    """Send pending SMS; a failure is kept (status failed, error) and retried on the next run up to 3 times."""
    sender = sender or configured_sender()
    rows = (
        session.execute(
            select(Notification)
            .where(
                Notification.channel == "sms",
                Notification.status.in_(("pending", "failed")),
                Notification.attempts < 3,
            )
            .order_by(Notification.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        .scalars()
        .all()
    )
    sent = failed = 0
    for row in rows:
        row.attempts += 1
        try:
            sender.send(row.phone, text(row))
        except Exception as exc:  # a sender's failure must not lose the message
            row.status, row.error = "failed", f"{type(exc).__name__}: {exc}"[:200]
            failed += 1
        else:
            row.status, row.sent_at, row.error = "sent", now(), None
            sent += 1
    return {"sent": sent, "failed": failed}


def describe(row: Notification) -> str:
    """For logs: the recipient masked."""
    return f"{row.channel} {row.kind} → {mask(row.recipient_id_number)}"
