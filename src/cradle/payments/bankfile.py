"""Bank files of the 财政补贴资金一卡通 (format: docs/payments.md).

Export: one CSV per batch, UTF-8 with BOM (or GB18030 for banks that ask for it); the first line is the header,
then one line per payment; the file's SHA-256 is stored with the batch. Import: the bank's return file, one line
per payment with its result (S paid, F failed, R returned after payment). The import is all or nothing: any bad
line is reported with its line number and field, and nothing is stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from cradle import audit
from cradle.atomicfile import atomic_path
from cradle.auth.actor import Actor
from cradle.childcare.subsidies import PROGRAMS as FACILITY_PROGRAMS
from cradle.childcare.subsidy_payments import settle
from cradle.errors import N_, Conflict, Invalid
from cradle.payments.batches import get_batch, summary
from cradle.payments.models import Batch, Entitlement, Payment
from cradle.services.offices import ref

EXPORT_COLUMNS = [
    "序号",
    "付款编号",
    "收款人姓名",
    "一卡通账号",
    "开户行代码",
    "金额",
    "项目",
    "期间",
    "批次号",
]
RETURN_COLUMNS = ["付款编号", "结果", "银行流水号", "失败原因", "金额"]
RESULTS = {"S": "paid", "F": "failed", "R": "returned"}
ENCODINGS = ("utf-8-sig", "gb18030")


def payment_ref(payment_id: int) -> str:
    return f"P{payment_id:012d}"


def _parse_ref(value: str) -> int | None:
    if len(value) == 13 and value[0] == "P" and value[1:].isdigit():
        return int(value[1:])
    return None


def export(
    session: Session, actor: Actor, batch_no: str, path: str | Path, encoding: str = "utf-8-sig"
) -> dict:
    """Write the batch's payment file and mark its pending payments exported."""
    if encoding not in ENCODINGS:
        raise Invalid("encoding", N_("The encoding should be %(choices)s"), choices=", ".join(ENCODINGS))
    batch = get_batch(session, actor, batch_no)
    # Claim the batch before writing a line: two files of one batch would have the bank pay every line twice.
    # The row stays locked until commit, so a concurrent export waits and is refused, and a stop waits rather
    # than cancel a payment that is in the file (entitlements.stop locks the batch too).
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    claimed = session.execute(
        update(Batch)
        .where(Batch.id == batch.id, Batch.status == "draft")
        .values(status="exported", exported_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(batch)
    if not claimed:
        raise Conflict(
            "batch_no", N_("Batch status is %(status)s: it cannot be exported again"), status=batch.status
        )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:  # the bank never sees a half-written file (disk full: DiskFull, no file)
        if session.get_bind().dialect.name == "postgresql":
            n, total = _export_copy(session, batch, tmp, encoding)
        else:
            n, total = _export_rows(session, batch, tmp, encoding)
        if n == 0:
            raise Invalid("batch_no", N_("The batch has no payments to send"))
    # The payments stay `pending`; in an exported batch that means "sent, awaiting the bank's return".
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    batch.file_sha256 = digest.hexdigest()
    audit.record(
        session,
        ref(actor),
        "batch.export",
        f"batch:{batch.batch_no}",
        {"rows": n, "total": f"{total:.2f}", "sha256": batch.file_sha256, "encoding": encoding},
    )
    return {
        "batch_no": batch.batch_no,
        "rows": n,
        "total": f"{total:.2f}",
        "sha256": batch.file_sha256,
        "path": str(path),
    }


_COPY = """COPY (SELECT row_number() OVER (ORDER BY p.id), 'P' || lpad(p.id::text, 12, '0'), e.payee_name,
    e.account_no, e.bank_code, to_char(p.amount, 'FM999999990.00'), p.program, p.period, %s
    FROM pay_payment p JOIN pay_entitlement e ON e.id = p.entitlement_id
    WHERE p.batch_id = %s AND p.status = 'pending' ORDER BY p.id) TO STDOUT WITH (FORMAT csv)"""


def _export_copy(session: Session, batch, path: Path, encoding: str) -> tuple[int, Decimal]:
    """PostgreSQL streams the file itself (COPY … TO STDOUT): a million rows in seconds."""
    cur = session.connection().connection.dbapi_connection.cursor()
    with open(path, "wb") as fh:
        fh.write((",".join(EXPORT_COLUMNS) + "\r\n").encode(encoding))
        with cur.copy(_COPY, (batch.batch_no, batch.id)) as copy:
            for chunk in copy:  # one row each; gathering them into bigger writes measured no faster
                data = bytes(chunk).replace(b"\n", b"\r\n")
                fh.write(data if encoding == "utf-8-sig" else data.decode().encode(encoding))
    n, total = session.execute(
        select(func.count(), func.coalesce(func.sum(Payment.amount), 0)).where(
            Payment.batch_id == batch.id, Payment.status == "pending"
        )
    ).one()
    return n, Decimal(str(total))


def _export_rows(session: Session, batch, path: Path, encoding: str) -> tuple[int, Decimal]:
    q = (
        select(
            Payment.id,
            Entitlement.payee_name,
            Entitlement.account_no,
            Entitlement.bank_code,
            Payment.amount,
            Payment.program,
            Payment.period,
        )
        .join(Entitlement, Entitlement.id == Payment.entitlement_id)
        .where(Payment.batch_id == batch.id, Payment.status == "pending")
        .order_by(Payment.id)
    )
    n, total = 0, Decimal(0)
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(EXPORT_COLUMNS)
        for pid, name, account, bank, amount, program, period in session.execute(q):
            n += 1
            total += amount
            writer.writerow(
                (n, payment_ref(pid), name, account, bank, f"{amount:.2f}", program, period, batch.batch_no)
            )
    return n, total


def _read_return(content: bytes) -> list[dict]:
    for enc in ENCODINGS:
        try:
            textual = content.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Invalid("file", N_("The file encoding should be UTF-8 or GB18030"))
    reader = csv.DictReader(io.StringIO(textual))
    if reader.fieldnames is None or [h.strip() for h in reader.fieldnames] != RETURN_COLUMNS:
        raise Invalid(
            "file", N_("The bank return file header should be: %(columns)s"), columns=",".join(RETURN_COLUMNS)
        )
    return list(reader)


def import_return(session: Session, actor: Actor, batch_no: str, content: bytes) -> dict:
    """Apply the bank's return file; errors name `line N.<column>` and leave everything as it was."""
    batch = get_batch(session, actor, batch_no)
    if batch.status not in ("exported", "reconciled"):
        raise Conflict("batch_no", N_("The batch has not been exported yet: no bank return can be imported"))
    rows = _read_return(content)
    if not rows:
        raise Invalid("file", N_("The bank return file has no data rows"))
    payments = {
        p.id: p
        for p in session.execute(
            select(Payment).where(Payment.batch_id == batch.id).with_for_update()
        ).scalars()
    }
    changes: list[dict] = []
    seen: set[int] = set()
    for line, row in enumerate(rows, start=2):
        number = (row.get("付款编号") or "").strip()
        pid = _parse_ref(number)
        if pid is None or pid not in payments:
            raise Invalid(
                f"line {line}.付款编号",
                N_("%(ref)s is not a payment reference of this batch"),
                ref=repr(number),
            )
        if pid in seen:
            raise Invalid(f"line {line}.付款编号", N_("%(ref)s appears twice"), ref=number)
        seen.add(pid)
        result = RESULTS.get((row.get("结果") or "").strip())
        if result is None:
            raise Invalid(
                f"line {line}.结果", N_("Result should be S (success), F (failure) or R (returned)")
            )
        try:
            amount = Decimal((row.get("金额") or "").strip())
        except InvalidOperation:
            raise Invalid(f"line {line}.金额", N_("Amount should be a number")) from None
        pay = payments[pid]
        if amount != pay.amount:
            raise Invalid(
                f"line {line}.金额",
                N_("Amount %(amount)s does not match the payment amount %(expected)s"),
                amount=amount,
                expected=f"{pay.amount:.2f}",
            )
        allowed = {"paid": ("pending",), "failed": ("pending",), "returned": ("pending", "paid")}[result]
        if pay.status == result:
            continue  # the same return file imported again changes nothing
        if pay.status not in allowed:
            raise Invalid(
                f"line {line}.结果",
                N_("Payment status is %(status)s: it cannot become %(result)s"),
                status=pay.status,
                result=result,
            )
        reason = (row.get("失败原因") or "").strip() or None
        if result != "paid" and not reason:
            raise Invalid(f"line {line}.失败原因", N_("Failed or returned payments need a reason"))
        changes.append(
            {
                "pid": pid,
                "st": result,
                "ref": (row.get("银行流水号") or "").strip()[:40] or None,
                "why": reason[:200] if reason else None,
                "before": pay.status,
            }
        )
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if changes:
        table = Payment.__table__
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("pid"))
            .values(
                status=bindparam("st"),
                bank_ref=bindparam("ref"),
                failure_reason=bindparam("why"),
                updated_at=now,
            ),
            [{k: c[k] for k in ("pid", "st", "ref", "why")} for c in changes],
        )
        for c in changes:
            payments[c["pid"]].status = c["st"]
    if batch.program in FACILITY_PROGRAMS:  # a paid facility subsidy marks the childcare application paid
        settle(session, ref(actor), batch.batch_no, [p.id for p in payments.values() if p.status == "paid"])
    if not any(p.status == "pending" for p in payments.values()):
        batch.status, batch.reconciled_at = "reconciled", now
    counts: dict[str, int] = {}
    for c in changes:
        counts[c["st"]] = counts.get(c["st"], 0) + 1
    audit.record(
        session,
        ref(actor),
        "batch.return",
        f"batch:{batch.batch_no}",
        {"lines": len(rows), "changed": counts, "sha256": hashlib.sha256(content).hexdigest()},
    )
    session.flush()
    session.expire_all()
    return {"applied": len(changes), "changed": counts, **summary(session, batch)}
