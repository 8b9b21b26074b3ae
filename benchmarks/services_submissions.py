"""Application submissions under concurrent load on a throw-away PostgreSQL, with replays.

    .venv/bin/python benchmarks/services_submissions.py [submissions] [threads]

Each submission is a different second child in 白银区 (engine check, case, step, audit entry, notification);
then every submission is sent again (a replay) and must be refused as a duplicate. Prints throughput, p50/p99
latency and the duplicate count (must be 0).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from cradle.db import get_engine, session_scope, upgrade
from cradle.idcard import make_id_number
from cradle.payments import rates
from cradle.services import applications
from cradle.services.actors import Actor
from cradle.services.errors import Conflict
from cradle.services.models import Case
from cradle.testing.postgres import start_temp_postgres

COUNTY = "620402"


def application(i: int) -> tuple[Actor, dict]:
    mother = make_id_number(COUNTY, dt.date(1990, 1, 1) + dt.timedelta(days=i // 400), i % 400, "F")
    c1 = make_id_number(COUNTY, dt.date(2020, 1, 1) + dt.timedelta(days=i // 400), i % 400, "M")
    c2 = make_id_number(COUNTY, dt.date(2025, 1, 1) + dt.timedelta(days=i // 400 % 300), i % 400, "M")
    hh = {"jurisdiction": COUNTY, "members": [
        {"id": "m", "relation": "mother", "sex": "F", "birth_date": "1990-01-01"},
        {"id": "c1", "relation": "child", "sex": "M", "birth_date": "2020-01-01", "birth_order": 1},
        {"id": "c2", "relation": "child", "sex": "M", "birth_date": "2025-03-01", "birth_order": 2}],
        "events": [{"type": "birth", "child": "c2", "date": "2025-03-01"}]}
    data = {"program": "baiyin.childcare_allowance", "household": hh, "beneficiary": "c2", "town": "620402001",
            "identities": {"m": {"id_number": mother, "name": f"母{i}"}, "c1": {"id_number": c1, "name": "甲"},
                           "c2": {"id_number": c2, "name": "乙"}},
            "account_no": f"62170000{i:011d}", "bank_code": "GSBANK"}
    return Actor(id=f"m{i}", role="citizen", id_number=mother, name=f"母{i}"), data


def main(n: int, threads: int) -> None:
    server = start_temp_postgres()
    try:
        url = server.create_database("bench_svc")
        upgrade(url)
        with session_scope(url) as s:
            rates.set_rate(s, Actor(id="c", role="county", county=COUNTY), "baiyin.childcare_allowance", COUNTY,
                           dt.date(2024, 1, 1), 200, "bench")
        work = [application(i) for i in range(n)]

        def submit(item):
            actor, data = item
            t = time.perf_counter()
            try:
                with session_scope(url) as s:
                    applications.submit(s, actor, data)
                ok = True
            except Conflict:
                ok = False
            return time.perf_counter() - t, ok

        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(submit, work[:threads * 2]))  # warm-up: connections, packs
            t0 = time.perf_counter()
            results = list(pool.map(submit, work[threads * 2:]))
            wall = time.perf_counter() - t0
            replays = list(pool.map(submit, work))
        lat = sorted(r[0] for r in results)
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
        with session_scope(url) as s:
            cases = s.execute(select(func.count()).select_from(Case)).scalar()
            dups = s.execute(select(func.count()).select_from(
                select(Case.program, Case.beneficiary_id_number).group_by(Case.program, Case.beneficiary_id_number)
                .having(func.count() > 1).subquery())).scalar()
        print(f"{len(results)} submissions, {threads} threads: {len(results) / wall:.0f}/s, "
              f"p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, mean {statistics.mean(lat) * 1000:.1f} ms")
        print(f"replays accepted: {sum(ok for _, ok in replays)} (must be 0); cases {cases} (expected {n}); "
              f"duplicate (program, beneficiary) groups: {dups}")
        get_engine(url).dispose()
    finally:
        server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000, int(sys.argv[2]) if len(sys.argv) > 2 else 8)
