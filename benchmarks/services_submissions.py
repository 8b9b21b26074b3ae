"""Application submissions under concurrent load on a throw-away PostgreSQL, with replays.

    .venv/bin/python benchmarks/services_submissions.py [submissions] [threads] [processes]

`processes` > 1 runs that many submitting processes (like `uvicorn --workers N`), each with `threads` threads.

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

from cradle import audit
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.db import get_engine, session_scope, upgrade
from cradle.errors import Conflict
from cradle.idcard import make_id_number
from cradle.payments import rates
from cradle.services import applications
from cradle.services.models import Case
from cradle.testing.postgres import start_temp_postgres

COUNTY = "620402"


def application(i: int) -> tuple[Actor, dict]:
    mother = make_id_number(COUNTY, dt.date(1990, 1, 1) + dt.timedelta(days=i // 400), i % 400, "F")
    c1 = make_id_number(COUNTY, dt.date(2020, 1, 1) + dt.timedelta(days=i // 400), i % 400, "M")
    c2 = make_id_number(COUNTY, dt.date(2025, 1, 1) + dt.timedelta(days=i // 400 % 300), i % 400, "M")
    hh = {
        "jurisdiction": COUNTY,
        "members": [
            {"id": "m", "relation": "mother", "sex": "F", "birth_date": "1990-01-01"},
            {"id": "c1", "relation": "child", "sex": "M", "birth_date": "2020-01-01", "birth_order": 1},
            {"id": "c2", "relation": "child", "sex": "M", "birth_date": "2025-03-01", "birth_order": 2},
        ],
        "events": [{"type": "birth", "child": "c2", "date": "2025-03-01"}],
    }
    data = {
        "program": "baiyin.childcare_allowance",
        "household": hh,
        "beneficiary": "c2",
        "town": "620402001",
        "identities": {
            "m": {"id_number": mother, "name": f"母{i}"},
            "c1": {"id_number": c1, "name": "甲"},
            "c2": {"id_number": c2, "name": "乙"},
        },
        "account_no": f"62170000{i:011d}",
        "bank_code": "GSBANK",
    }
    return Actor(id=f"m{i}", role=roles.CITIZEN, id_number=mother, name=f"母{i}"), data


def _submit(url: str, item) -> tuple[float, bool]:
    actor, data = item
    t = time.perf_counter()
    try:
        with session_scope(url) as s:
            applications.submit(s, actor, data)
        ok = True
    except Conflict:
        ok = False
    return time.perf_counter() - t, ok


def _worker(args) -> dict:
    """One server process: `threads` concurrent submitters over its share, started at the shared instant."""
    url, lo, hi, threads, warm, start_at = args
    work = [application(i) for i in range(lo, hi)]
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda it: _submit(url, it), [application(i) for i in warm]))  # connections, packs
        time.sleep(max(0.0, start_at - time.time()))
        cpu, t0 = time.process_time(), time.time()
        results = list(pool.map(lambda it: _submit(url, it), work))
        t1, cpu = time.time(), time.process_time() - cpu
        replays = list(pool.map(lambda it: _submit(url, it), work))
    get_engine(url).dispose()
    return {
        "lat": [r[0] for r in results],
        "ok": sum(ok for _, ok in results),
        "t0": t0,
        "t1": t1,
        "cpu": cpu,
        "replays_ok": sum(ok for _, ok in replays),
    }


def prepared_database(pg, name: str) -> str:
    """A migrated database on the throw-away server `pg`, with 白银区's 育儿补贴 standard set (200 a month); its URL."""
    url = prepared(pg.create_database(name))
    get_engine(url).dispose()
    return url


def prepared(url: str) -> str:
    """The database at `url` migrated, with 白银区's 育儿补贴 standard set (200 a month); its URL."""
    upgrade(url)
    with session_scope(url) as s:
        rates.set_rate(
            s,
            Actor(id="c", role=roles.COUNTY, region=COUNTY),
            "baiyin.childcare_allowance",
            COUNTY,
            dt.date(2024, 1, 1),
            200,
            "bench",
        )
    return url


def main(n: int, threads: int, processes: int = 1) -> None:
    import multiprocessing as mp

    server = start_temp_postgres()
    try:
        url = prepared_database(server, "bench_svc")
        warm_n = threads * 2
        share = (n - warm_n * processes) // processes
        jobs, start_at = [], time.time() + 8 + 2 * processes
        for p in range(processes):
            base = p * (warm_n + share)
            jobs.append(
                (url, base + warm_n, base + warm_n + share, threads, range(base, base + warm_n), start_at)
            )
        with mp.get_context("fork").Pool(processes) as pool:
            out = pool.map(_worker, jobs)
        lat = sorted(x for o in out for x in o["lat"])
        wall = max(o["t1"] for o in out) - min(o["t0"] for o in out)
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
        with session_scope(url) as s:
            cases = s.execute(select(func.count()).select_from(Case)).scalar()
            dups = s.execute(
                select(func.count()).select_from(
                    select(Case.program, Case.beneficiary_id_number)
                    .group_by(Case.program, Case.beneficiary_id_number)
                    .having(func.count() > 1)
                    .subquery()
                )
            ).scalar()
            check = audit.verify(s)
        print(
            f"{len(lat)} submissions, {processes} process(es) x {threads} threads: {len(lat) / wall:.0f}/s, "
            f"p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, mean {statistics.mean(lat) * 1000:.1f} ms; "
            f"client+app CPU {sum(o['cpu'] for o in out) / len(lat) * 1000:.2f} ms per submission"
        )
        print(
            f"replays accepted: {sum(o['replays_ok'] for o in out)} (must be 0); cases {cases} "
            f"(expected {processes * (warm_n + share)}); duplicate (program, beneficiary) groups: {dups}; "
            f"audit log {check.entries} entries, {'verified' if check.ok else f'BROKEN: {check.problem}'}"
        )
        get_engine(url).dispose()
    finally:
        server.stop()


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 3000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 8,
        int(sys.argv[3]) if len(sys.argv) > 3 else 1,
    )
