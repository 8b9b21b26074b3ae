"""Latency of one household's calc: in-process, and through the HTTP API under concurrent load.

    .venv/bin/python benchmarks/calc_latency.py [--seconds 20] [--clients 16] [--workers 2]

Prints p50/p99 in milliseconds and the API's requests per second, with the targets beside them
(in-process p50 < 2 ms; API p99 < 20 ms at >= 500 req/s). The load comes from `wrk` (Debian package) when it
is installed, otherwise from an asyncio client in this process (which then shares the CPU with the server).
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = json.loads((ROOT / "tests" / "policy" / "household_370303.json").read_text(encoding="utf-8"))
COUNTIES = ["370303", "620402", "330602", "441523", "140105"]


def households() -> list[dict]:
    out = []
    for code in COUNTIES:
        h = copy.deepcopy(EXAMPLE)
        h["jurisdiction"] = code
        for m in h["members"]:
            m["hukou"] = code
        out.append(h)
    return out


def in_process(n: int) -> np.ndarray:
    from cradle.policy.calc import calc_household

    hs = households()
    on = dt.date(2025, 7, 1)
    for h in hs:
        calc_household(h, on)  # warm: packs loaded, caches filled
    times = np.empty(n)
    for i in range(n):
        h = hs[i % len(hs)]
        t = time.perf_counter()
        calc_household(h, on)
        times[i] = time.perf_counter() - t
    return times * 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, db: Path) -> subprocess.Popen:
    # the per-client rate limit is off: every request comes from 127.0.0.1 and the app is what is measured
    env = dict(os.environ, CRADLE_DATABASE_URL=f"sqlite:///{db}", CRADLE_API_RATE_PER_MINUTE="0")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "cradle.web.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def wrk_load(port: int, seconds: int, clients: int) -> tuple[float, float, float, int]:
    body = json.dumps(households()[0], ensure_ascii=False)
    lua = (
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = [[{body}]]\n"
        "done = function(summary, latency, requests)\n"
        "  io.write(string.format('P50 %d\\nP99 %d\\nREQ %d\\nERR %d\\n', latency:percentile(50),"
        " latency:percentile(99), summary.requests, summary.errors.status + summary.errors.connect"
        " + summary.errors.timeout))\nend\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "calc.lua"
        script.write_text(lua, encoding="utf-8")
        out = subprocess.run(
            [
                "wrk",
                "-t",
                "1",
                "-c",
                str(clients),
                "-d",
                f"{seconds}s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}/api/v1/calc?on=2025-07-01",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    val = {k: int(v) for k, v in re.findall(r"^(P50|P99|REQ|ERR) (\d+)$", out, re.M)}
    return val["P50"] / 1000, val["P99"] / 1000, val["REQ"] / seconds, val["ERR"]


async def _client_loop(client, url, body, stop, lat, errors):
    while time.monotonic() < stop:
        t = time.perf_counter()
        r = await client.post(url, content=body, headers={"Content-Type": "application/json"})
        lat.append((time.perf_counter() - t) * 1000)
        if r.status_code != 200:
            errors.append(r.status_code)


def python_load(port: int, seconds: int, clients: int) -> tuple[float, float, float, int]:
    import httpx

    async def main():
        lat: list[float] = []
        errors: list[int] = []
        body = json.dumps(households()[0]).encode()
        url = f"http://127.0.0.1:{port}/api/v1/calc?on=2025-07-01"
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=clients)) as client:
            stop = time.monotonic() + seconds
            await asyncio.gather(
                *[_client_loop(client, url, body, stop, lat, errors) for _ in range(clients)]
            )
        return lat, errors

    lat, errors = asyncio.run(main())
    arr = np.array(lat)
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 99)), len(arr) / seconds, len(errors)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--calls", type=int, default=5000)
    args = ap.parse_args()

    t = in_process(args.calls)
    p50, p99 = np.percentile(t, 50), np.percentile(t, 99)
    print(
        f"in-process calc ({args.calls} calls, {len(COUNTIES)} jurisdictions): "
        f"p50 {p50:.3f} ms, p99 {p99:.3f} ms   target p50 < 2 ms: ratio {2 / p50:.2f}x"
    )

    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = start_server(port, args.workers, Path(tmp) / "bench.db")
        try:
            tool = "wrk" if shutil.which("wrk") else "python"
            load = wrk_load if tool == "wrk" else python_load
            load(port, 2, args.clients)  # warm every worker
            a50, a99, rps, errs = load(port, args.seconds, args.clients)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        f"API POST /api/v1/calc ({args.clients} clients, {args.seconds} s, {args.workers} workers, load by {tool}): "
        f"p50 {a50:.2f} ms, p99 {a99:.2f} ms, {rps:.0f} req/s, {errs} errors   "
        f"targets p99 < 20 ms: ratio {20 / a99:.2f}x; >= 500 req/s: ratio {rps / 500:.2f}x"
    )


if __name__ == "__main__":
    main()
