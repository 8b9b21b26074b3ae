"""Where one application submission's time goes: statements and CPU per submission, in process and through the
app (the ASGI stack, sign-in to answer, in one thread), on a throw-away PostgreSQL (or SQLite with --sqlite).

    .venv/bin/python benchmarks/services_profile.py [submissions] [--sqlite] [--profile] [--top=N]

Each phase runs `submissions` different applications (as `services_submissions.py`, one client, one at a time)
after a warm-up and prints the round trips to the database per submission (every statement the driver executes,
BEGIN and COMMIT included), the CPU per submission (this process: the app, the driver and the client's calls) and,
with --profile, cProfile's top functions by own time and by cumulative time. The app phase sends each request as
`services_http.py` does (a citizen's own bearer token, an Idempotency-Key) through the whole app, endpoints run in
the same thread (no thread hop) so one profile covers it all; uvicorn's HTTP parsing is not in it.
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from sqlalchemy import event  # noqa: E402

from cradle.db import get_engine, session_scope  # noqa: E402
from cradle.testing.asgi import call  # noqa: E402
from services_http import SECRET, make_citizens  # noqa: E402
from services_submissions import application, prepared, prepared_database  # noqa: E402

PATH = "/api/v1/services/cases"


class Statements:
    """Counts what the engine's connections execute, BEGIN and COMMIT (and ROLLBACK) included."""

    def __init__(self, engine) -> None:
        self.n, self.kinds = 0, {}
        event.listen(engine, "before_cursor_execute", self._stmt)
        for name in ("begin", "commit", "rollback"):
            event.listen(engine, name, lambda conn, name=name: self._count(name.upper()))

    def _stmt(self, conn, cursor, statement, parameters, context, executemany) -> None:
        head = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "?"
        self._count(head)

    def _count(self, kind: str) -> None:
        self.n += 1
        self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def reset(self) -> None:
        self.n, self.kinds = 0, {}


def _report(
    name: str, n: int, cpu: float, wall: float, stmts: Statements, prof: cProfile.Profile | None, top: int
):
    kinds = ", ".join(f"{k} {v / n:.2f}" for k, v in sorted(stmts.kinds.items(), key=lambda kv: -kv[1]))
    print(
        f"{name}: {n} submissions, {cpu / n * 1000:.2f} ms CPU and {wall / n * 1000:.2f} ms wall a submission; "
        f"{stmts.n / n:.2f} round trips a submission ({kinds})"
    )
    if prof is not None:
        if os.environ.get("PROFILE_DUMP"):
            prof.dump_stats(f"{os.environ['PROFILE_DUMP']}.{name.replace(' ', '_')}")
        st = pstats.Stats(prof)
        st.sort_stats("tottime").print_stats(top)
        st.sort_stats("cumulative").print_stats(top)


def in_process(url: str, lo: int, hi: int, stmts: Statements, profile: bool, top: int) -> None:
    from cradle.services import applications

    work = [application(i) for i in range(lo, hi)]
    for actor, data in [application(i) for i in range(lo - 20, lo)]:  # warm-up
        with session_scope(url) as s:
            applications.submit(s, actor, data)
    stmts.reset()
    prof = cProfile.Profile(time.process_time) if profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if prof:
        prof.enable()
    for actor, data in work:
        with session_scope(url) as s:
            applications.submit(s, actor, data)
    if prof:
        prof.disable()
    _report("in process", len(work), time.process_time() - cpu, time.perf_counter() - wall, stmts, prof, top)


def through_app(url: str, lo: int, hi: int, stmts: Statements, profile: bool, top: int) -> None:
    import anyio.to_thread

    from cradle.web.app import serve_app

    async def same_thread(func, *args, **_kw):  # the endpoint in this thread: one profile covers the request
        return func(*args)

    anyio.to_thread.run_sync = same_thread
    app = serve_app()
    tokens = (
        make_citizens(url, lo - 20, hi)
        if url.startswith("postgresql")
        else _sqlite_citizens(url, lo - 20, hi)
    )
    requests = []
    for i in range(lo - 20, hi):
        body = json.dumps(application(i)[1], ensure_ascii=False).encode()
        headers = [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"authorization", f"Bearer {tokens[i]}".encode()),
            (b"idempotency-key", f"k{i}".encode()),
        ]
        requests.append((headers, body))

    async def run(batch) -> list[int]:
        return [(await call(app, "POST", PATH, [b], h)).status for h, b in batch]

    async def main() -> None:
        async with app.router.lifespan_context(app):
            bad = [s for s in await run(requests[:20]) if s != 201]  # warm-up
            stmts.reset()
            prof = cProfile.Profile(time.process_time) if profile else None
            cpu, wall = time.process_time(), time.perf_counter()
            if prof:
                prof.enable()
            bad += [s for s in await run(requests[20:]) if s != 201]
            if prof:
                prof.disable()
            _report(
                "through the app",
                len(requests) - 20,
                time.process_time() - cpu,
                time.perf_counter() - wall,
                stmts,
                prof,
                top,
            )
            if bad:
                print(f"NOT 201: {len(bad)} answers {sorted(set(bad))}")

    asyncio.run(main())


def _sqlite_citizens(url: str, lo: int, hi: int) -> dict[int, str]:
    """`services_http.make_citizens` on SQLite: the same rows (a citizen account, its token's SHA-256), written
    with Core inserts (`create_account` makes staff accounts only; a citizen's account comes from registration)."""
    import hashlib
    import secrets

    from sqlalchemy import insert

    from cradle.auth.models import Account, ApiToken, utcnow

    now, out = utcnow(), {}
    with session_scope(url) as s:
        for i in range(lo, hi):
            actor, _ = application(i)
            prefix, secret = f"b{i:09d}", secrets.token_urlsafe(32)
            out[i] = f"cradle_{prefix}_{secret}"
            account = s.execute(
                insert(Account.__table__).returning(Account.__table__.c.id),
                {
                    "username": actor.id_number,
                    "role": "citizen",
                    "name": actor.name,
                    "id_number": actor.id_number,
                    "password_hash": "!benchmark",
                    "registry_status": "pending",
                    "active": True,
                    "failed_logins": 0,
                    "created_at": now,
                    "created_by": "benchmark",
                },
            ).scalar_one()
            s.execute(
                insert(ApiToken.__table__),
                {
                    "prefix": prefix,
                    "secret_hash": hashlib.sha256(secret.encode()).hexdigest(),
                    "account_id": account,
                    "name": "benchmark",
                    "created_at": now,
                },
            )
    return out


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
    n = int(args[0]) if args else 300
    profile, top = "--profile" in sys.argv, int(opts.get("top", 30))
    os.environ["CRADLE_SECRET_KEY"] = SECRET
    pg = None
    if "--sqlite" in sys.argv:
        url = prepared(f"sqlite:///{tempfile.mkdtemp(prefix='cradle-prof-')}/db.sqlite")
    else:
        from cradle.testing.postgres import start_temp_postgres

        pg = start_temp_postgres()
        url = prepared_database(pg, "bench_prof")
    os.environ["CRADLE_DATABASE_URL"] = url
    try:
        stmts = Statements(get_engine(url))
        in_process(url, 100, 100 + n, stmts, profile, top)
        through_app(url, 10_000, 10_000 + n, stmts, profile, top)
        from cradle import audit

        with session_scope(url) as s:
            check = audit.verify(s)
        print(f"audit log: {check.entries} entries, {'verified' if check.ok else f'BROKEN: {check.problem}'}")
        get_engine(url).dispose()
    finally:
        if pg is not None:
            pg.stop()


if __name__ == "__main__":
    main()
