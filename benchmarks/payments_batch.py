"""A monthly payment batch for N entitlements (default 1,000,000) on a throw-away PostgreSQL: generated and exported.

    .venv/bin/python benchmarks/payments_batch.py [N]

Prints the seconds to load (not part of the target), generate the batch and export the bank file, and checks
that the batch holds exactly one payment per entitlement.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from cradle.db import get_engine, session_scope, upgrade
from cradle.payments import bankfile, batches
from cradle.payments.models import Payment
from cradle.services.actors import Actor
from cradle.testing.postgres import start_temp_postgres

COUNTY = "620402"
PROGRAM = "baiyin.childcare_allowance"


def load(url: str, n: int) -> None:
    raw = get_engine(url).raw_connection()
    try:
        cur = raw.cursor()
        cols = ("case_ref, program, beneficiary_id_number, beneficiary_name, payee_id_number, payee_name, account_no, "
                "bank_code, county, amount, frequency, start, \"end\", status")
        step = 200_000
        for lo in range(0, n, step):
            buf = io.StringIO()
            for i in range(lo, min(n, lo + step)):
                buf.write(f"case:B{i}\t{PROGRAM}\tB{i:017d}\t孩{i}\tM{i:017d}\t母{i}\t{6217000000000000000 + i}\t"
                          f"GSBANK\t{COUNTY}\t200.00\tmonthly\t2025-03-10\t2028-03-10\tactive\n")
            with cur.copy(f"COPY pay_entitlement ({cols}) FROM STDIN") as copy:
                copy.write(buf.getvalue())
        raw.commit()
    finally:
        raw.close()


def main(n: int) -> None:
    server = start_temp_postgres()
    try:
        url = server.create_database("bench_pay")
        upgrade(url)
        t = time.perf_counter()
        load(url, n)
        print(f"loaded {n:,} entitlements in {time.perf_counter() - t:.1f} s (setup, not timed)")
        actor = Actor(id="bench", role="finance", county=COUNTY)
        out = Path(tempfile.mkdtemp()) / "batch.csv"
        t0 = time.perf_counter()
        with session_scope(url) as s:
            batch = batches.generate(s, actor, PROGRAM, "2025-07", COUNTY)
            batch_no = batch.batch_no
        t1 = time.perf_counter()
        with session_scope(url) as s:
            result = bankfile.export(s, actor, batch_no, out)
        t2 = time.perf_counter()
        with session_scope(url) as s:
            count = s.execute(select(func.count()).select_from(Payment)).scalar()
        print(f"generate: {t1 - t0:.1f} s; export: {t2 - t1:.1f} s; total {t2 - t0:.1f} s "
              f"(target < 60 s); rows {result['rows']:,}, total {result['total']} CNY, file "
              f"{out.stat().st_size / 1e6:.0f} MB; payments in table {count:,} (expected {n:,})")
        get_engine(url).dispose()
    finally:
        server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
