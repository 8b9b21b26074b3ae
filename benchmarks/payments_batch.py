"""A monthly payment batch for N entitlements (default 1,000,000), generated and exported, with ID numbers
encrypted at rest as the application stores them (cradle.fieldcrypt).

    flock /tmp/bench.lock .venv/bin/python benchmarks/payments_batch.py [N] [--db postgres|sqlite]

PostgreSQL is a throw-away server; SQLite a file in a temporary folder. Loading the entitlements is setup, not
timed. Prints generate and export apart, each with wall seconds, this process's CPU seconds and the PostgreSQL
server's, and the load average. Then checks what was made: one payment per entitlement, a replayed generation
refused with nothing added, the file's row count and amount total equal to the batch's, a sample of file rows
traced back (付款编号 → payment → decrypted beneficiary ID number) to the person whose payee and account they
carry, and both steps in the audit log.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import resource
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import String, func, select, type_coerce

from cradle import fieldcrypt
from cradle.audit import AuditEntry
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.db import get_engine, session_scope, upgrade
from cradle.errors import Conflict
from cradle.idcard import make_id_number
from cradle.payments import bankfile, batches
from cradle.payments.models import Payment
from cradle.testing.postgres import server_cpu_seconds, start_temp_postgres

COUNTY = "620402"
PROGRAM = "baiyin.childcare_allowance"
PERIOD = "2025-07"
SAMPLE = 2000


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def person(i: int) -> tuple[str, str]:
    """The i-th child's and mother's ID numbers: well-formed and distinct for i < 3,650,000."""
    born = dt.date(2025, 1, 1) + dt.timedelta(days=i // 500 % 365)
    region = f"62{i // 182_500 + 10:02d}02"  # 182,500 numbers per region code
    return (
        make_id_number(region, born, i % 500, "M"),
        make_id_number(region, dt.date(1990, 1, 1) + dt.timedelta(days=i // 500 % 365), i % 500, "F"),
    )


def load(url: str, n: int) -> list[str]:
    """N active monthly entitlements of COUNTY, ID numbers encrypted; returns the children's ID numbers."""
    ring = fieldcrypt.keyring()
    children: list[str] = []
    step = 100_000
    engine = get_engine(url)
    for lo in range(0, n, step):
        ids = range(lo, min(n, lo + step))
        pairs = [person(i) for i in ids]
        children += [c for c, _ in pairs]
        kids = ring.encrypt_many([c for c, _ in pairs])
        mothers = ring.encrypt_many([m for _, m in pairs])
        if engine.dialect.name == "postgresql":
            buf = io.StringIO()
            for i, kid, mother in zip(ids, kids, mothers, strict=True):
                buf.write(
                    f"case:B{i}\t{PROGRAM}\t{kid}\t孩{i}\t{mother}\t母{i}\t{6217000000000000000 + i}\t"
                    f"GSBANK\t{COUNTY}\t200.00\tmonthly\t2025-03-10\t2028-03-10\tactive\n"
                )
            raw = engine.raw_connection()
            try:
                cols = (
                    "case_ref, program, beneficiary_id_number, beneficiary_name, payee_id_number, payee_name, "
                    'account_no, bank_code, county, amount, frequency, start, "end", status'
                )
                with raw.cursor().copy(f"COPY pay_entitlement ({cols}) FROM STDIN") as copy:
                    copy.write(buf.getvalue())
                raw.commit()
            finally:
                raw.close()
        else:  # the stored (encrypted) form straight into the table: the ORM column would encrypt it again
            rows = [
                (
                    f"case:B{i}",
                    PROGRAM,
                    kid,
                    f"孩{i}",
                    mother,
                    f"母{i}",
                    str(6217000000000000000 + i),
                    "GSBANK",
                    COUNTY,
                    "200.00",
                    "monthly",
                    "2025-03-10",
                    "2028-03-10",
                    "active",
                    "",
                )
                for i, kid, mother in zip(ids, kids, mothers, strict=True)
            ]
            with engine.begin() as c:
                c.exec_driver_sql(
                    "INSERT INTO pay_entitlement (case_ref, program, beneficiary_id_number, beneficiary_name, "
                    'payee_id_number, payee_name, account_no, bank_code, county, amount, frequency, start, "end", '
                    "status, claim) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
    return children


def timed(label: str, data_dir: Path | None, fn):
    load0, t0, c0, s0 = loadavg(), time.perf_counter(), cpu(), server_cpu_seconds(data_dir)
    result = fn()
    wall, proc, server = time.perf_counter() - t0, cpu() - c0, server_cpu_seconds(data_dir) - s0
    srv = f", server CPU {server:.1f} s" if data_dir else ""
    print(
        f"{label}: {wall:.1f} s wall, process CPU {proc:.1f} s{srv}; load {load0} → {loadavg()}", flush=True
    )
    return result, wall


def check(url: str, n: int, batch_no: str, out: Path, children: list[str], actor: Actor) -> None:
    """What the benchmark made is right; any failure stops it with the reason."""
    with session_scope(url) as s:
        count = s.execute(select(func.count()).select_from(Payment)).scalar()
        stored = s.execute(select(func.min(type_coerce(Payment.beneficiary_id_number, String)))).scalar()
        batch = batches.get_batch(s, actor, batch_no)
        b_count, b_total = batch.count, batch.total
        audited = set(
            s.execute(select(AuditEntry.action).where(AuditEntry.subject == f"batch:{batch_no}")).scalars()
        )
    assert count == n == b_count, f"payments {count:,}, batch count {b_count:,}, expected {n:,}"
    try:
        with session_scope(url) as s:
            batches.generate(s, actor, PROGRAM, PERIOD, COUNTY)
        raise AssertionError("a replayed generation was not refused")
    except Conflict:
        pass
    with session_scope(url) as s:
        assert s.execute(select(func.count()).select_from(Payment)).scalar() == n, "the replay added payments"
    assert {"batch.generate", "batch.export"} <= audited, f"audit entries: {sorted(audited)}"

    rows, total, sample = 0, Decimal(0), {}
    keep = set(random.Random(7).sample(range(1, n + 1), min(SAMPLE, n)))
    with open(out, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        assert next(reader) == bankfile.EXPORT_COLUMNS
        for row in reader:
            rows += 1
            total += Decimal(row[5])
            if rows in keep:
                sample[int(row[1][1:])] = row
    assert rows == n and total == b_total, f"file: {rows:,} rows, {total} CNY; batch {b_count:,}, {b_total}"
    index = {c: i for i, c in enumerate(children)}
    with session_scope(url) as s:  # the ORM column decrypts
        found = dict(
            s.execute(
                select(Payment.id, Payment.beneficiary_id_number).where(Payment.id.in_(list(sample)))
            ).all()
        )
    for pid, row in sample.items():
        i = index[found[pid]]  # a KeyError: the payment's decrypted ID number is no one's
        assert (row[2], row[3], row[5]) == (f"母{i}", str(6217000000000000000 + i), "200.00"), (pid, row, i)
    print(
        f"checked: {count:,} payments (one per entitlement, ID numbers stored as {stored[:6]}…), replay "
        f"refused and added nothing; file {rows:,} rows, {total} CNY = batch total; {len(sample):,} sampled "
        f"rows decrypt to the persons whose payee and account they carry; generate and export audited"
    )


def main(n: int, db: str) -> None:
    server = start_temp_postgres() if db == "postgres" else None
    folder = Path(tempfile.mkdtemp())
    try:
        url = server.create_database("bench_pay") if server else f"sqlite:///{folder}/pay.db"
        data_dir = server.root / "data" if server else None
        upgrade(url)
        t = time.perf_counter()
        children = load(url, n)
        print(
            f"{db}: loaded {n:,} entitlements, ID numbers encrypted ({fieldcrypt.crypto_mode()}), in "
            f"{time.perf_counter() - t:.1f} s (setup, not timed)",
            flush=True,
        )
        actor = Actor(id="bench", role=roles.DEPT, region=COUNTY, dept="caizheng")
        out = folder / "batch.csv"

        def generate():
            with session_scope(url) as s:
                return batches.generate(s, actor, PROGRAM, PERIOD, COUNTY).batch_no

        def export():
            with session_scope(url) as s:
                return bankfile.export(s, actor, batch_no, out)

        batch_no, t_gen = timed("generate", data_dir, generate)
        result, t_exp = timed("export", data_dir, export)
        print(
            f"total {t_gen + t_exp:.1f} s (target < 60 s) for {n:,} entitlements; file {result['rows']:,} rows, "
            f"{out.stat().st_size / 1e6:.0f} MB, total {result['total']} CNY",
            flush=True,
        )
        check(url, n, batch_no, out, children, actor)
        get_engine(url).dispose()
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    args = ap.parse_args()
    main(args.n, args.db)
