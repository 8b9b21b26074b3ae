"""kill -9 of `cradle serve` in the middle of idempotent submissions (生育登记 with an `Idempotency-Key`), restart,
and replay every submission with its key: no registration twice, none acknowledged lost, the same answer."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from cradle.auth.testing import citizen_bearer
from cradle.db import upgrade
from cradle.idcard import make_id_number
from cradle.reliability.procs import Server

COUNTY = "620402"


def submissions(url: str, n: int) -> list[tuple[str, dict, dict]]:
    """(key, headers, body) of `n` mothers' registrations, each mother once, each signed in with her own bearer
    token (accounts created in the database at `url`)."""
    out = []
    expected = (dt.date.today() + dt.timedelta(days=120)).isoformat()
    for i in range(n):
        idn = make_id_number(COUNTY, dt.date(1990, 1, 1) + dt.timedelta(days=i), 100 + i % 400, "F")
        body = {
            "mother_id_number": idn,
            "mother_name": f"母亲{i}",
            "hukou_region": COUNTY,
            "residence_region": COUNTY,
            "expected_birth": expected,
            "child_order": 1,
        }
        out.append(
            (f"reg-{i}", {**citizen_bearer(url, idn, f"母亲{i}"), "Idempotency-Key": f"reg-{i}"}, body)
        )
    return out


@dataclass
class ServerFaultResult:
    submitted: int
    acknowledged_before_kill: int
    failed_during_kill: int
    replayed_ok: int
    stored: int
    lost: int
    duplicated: int
    changed_answers: int
    server_errors: int

    def as_dict(self) -> dict:
        return asdict(self)


def kill_and_replay(workdir: Path, n: int = 120, kill_after: int = 40, clients: int = 4) -> ServerFaultResult:
    db = workdir / "server.db"
    url = f"sqlite:///{db}"
    upgrade(url)
    subs = submissions(url, n)
    server = Server(url, workdir / "serve.log").start()
    acked: dict[str, dict] = {}
    failed, errors5xx = [0], [0]
    lock = threading.Lock()
    enough = threading.Event()

    def send(part: list) -> None:
        with httpx.Client(base_url=server.base, timeout=10) as c:
            for key, headers, body in part:
                try:
                    r = c.post("/api/v1/services/registrations", json=body, headers=headers)
                except httpx.HTTPError:
                    with lock:
                        failed[0] += 1
                    continue
                with lock:
                    if r.status_code == 201:
                        acked[key] = r.json()
                        if len(acked) >= kill_after:
                            enough.set()
                    elif r.status_code >= 500:
                        errors5xx[0] += 1

    threads = [threading.Thread(target=send, args=(subs[i::clients],)) for i in range(clients)]
    for t in threads:
        t.start()
    enough.wait(timeout=120)
    server.kill9()
    for t in threads:
        t.join(timeout=120)
    before_restart = len(acked)
    server.start()
    replayed, changed = 0, 0
    try:
        with httpx.Client(base_url=server.base, timeout=30) as c:
            for key, headers, body in subs:
                r = c.post("/api/v1/services/registrations", json=body, headers=headers)
                if r.status_code >= 500:
                    errors5xx[0] += 1
                if r.status_code == 201:
                    replayed += 1
                    if key in acked and r.json() != acked[key]:
                        changed += 1
    finally:
        server.stop()
    con = sqlite3.connect(db)
    rows = con.execute("SELECT reg_no, mother_id_number FROM svc_birth_registration").fetchall()
    con.close()
    stored_regs = {r[0] for r in rows}
    mothers = [r[1] for r in rows]
    lost = sum(1 for body in acked.values() if body["reg_no"] not in stored_regs)
    return ServerFaultResult(
        n,
        before_restart,
        failed[0],
        replayed,
        len(rows),
        lost,
        duplicated=len(mothers) - len(set(mothers)),
        changed_answers=changed,
        server_errors=errors5xx[0],
    )
