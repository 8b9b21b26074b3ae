"""PostgreSQL stopped and started again while `cradle serve` is under load: while it is down every answer is a
clean refusal in the error shape (503, no stack trace), and the service recovers by itself once it is back."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from cradle.db import get_engine, upgrade
from cradle.reliability.fault_server import submissions
from cradle.reliability.procs import Server
from cradle.reliability.shape import answer_problem
from cradle.testing.postgres import _pg_bin, start_temp_postgres


@dataclass
class PostgresFaultResult:
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    unclean: list[str] = field(
        default_factory=list
    )  # answers that broke the property while the database was down
    recovered_after_s: float | None = None
    lost: int = 0
    duplicated: int = 0

    @property
    def server_errors_other_than_503(self) -> int:
        return sum(n for s, n in self.statuses.items() if isinstance(s, int) and s >= 500 and s != 503)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["statuses"] = {str(k): v for k, v in self.statuses.items()}
        return d


def _pg_ctl(pg, *args: str) -> None:
    pg._run(_pg_bin("pg_ctl"), "-D", str(pg.root / "data"), *args)


def restart_under_load(
    workdir: Path, down_seconds: float = 3.0, clients: int = 3, budget_s: float = 60
) -> PostgresFaultResult:
    pg = start_temp_postgres()
    result = PostgresFaultResult()
    server = None
    try:
        url = pg.create_database("fault")
        upgrade(url)
        get_engine(url).dispose()
        server = Server(url, workdir / "serve-pg.log").start()
        subs = submissions(url, 400)
        acked: dict[str, str] = {}
        lock = threading.Lock()
        stop = threading.Event()
        down = threading.Event()

        def load(part):
            with httpx.Client(base_url=server.base, timeout=15) as c:
                for key, headers, body in part:
                    if stop.is_set():
                        return
                    while not stop.is_set():
                        try:
                            r = c.post("/api/v1/services/registrations", json=body, headers=headers)
                        except httpx.HTTPError as exc:
                            with lock:
                                result.statuses[type(exc).__name__] += 1
                            continue
                        with lock:
                            result.requests += 1
                            result.statuses[r.status_code] += 1
                            problem = answer_problem(r.status_code, r.headers.get("content-type", ""), r.text)
                            if problem and not (
                                r.status_code == 503
                                and down.is_set()
                                and answer_problem(422, r.headers.get("content-type", ""), r.text) is None
                            ):
                                result.unclean.append(f"{r.status_code} {problem}"[:300])
                            if r.status_code == 201:
                                acked[key] = r.json()["reg_no"]
                                break
                        if r.status_code < 500:
                            break  # refused for a reason of its own: not retried
                        time.sleep(0.1)

        threads = [threading.Thread(target=load, args=(subs[i::clients],)) for i in range(clients)]
        for t in threads:
            t.start()
        time.sleep(2)
        down.set()
        _pg_ctl(pg, "-m", "fast", "-w", "stop")
        time.sleep(down_seconds)
        opts = (
            f"-p {pg.port} -k {pg.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        _pg_ctl(pg, "-o", opts, "-l", str(pg.root / "log"), "-w", "start")
        back = time.monotonic()
        deadline = back + budget_s
        with httpx.Client(base_url=server.base, timeout=15) as c:
            while time.monotonic() < deadline:
                r = c.get("/api/v1/services/me", headers=subs[0][1])
                if r.status_code == 200:
                    result.recovered_after_s = round(time.monotonic() - back, 2)
                    break
                time.sleep(0.2)
        time.sleep(2)
        down.clear()
        stop.set()
        for t in threads:
            t.join(timeout=60)
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={pg.port} user={pg.user} dbname=fault") as conn:
            rows = conn.execute("SELECT reg_no, mother_id_number FROM svc_birth_registration").fetchall()
        stored = {r[0] for r in rows}
        result.lost = sum(1 for reg in acked.values() if reg not in stored)
        result.duplicated = len(rows) - len({r[1] for r in rows})
    finally:
        if server is not None:
            server.stop()
        pg.stop()
    return result
