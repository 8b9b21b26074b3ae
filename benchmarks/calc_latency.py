"""Latency of one household's calc: in-process, and `POST /api/v1/calc` through `cradle serve` under load.

    .venv/bin/python benchmarks/calc_latency.py [--seconds 10] [--clients 4 16] [--workers 2] [--calls 5000]
        [--shared-socket]   (uvicorn's own `--workers` with `create_app`, the layout this benchmark used before)
        [--jurisdictions 5] (how many of the five jurisdictions the clients go round; 1: all of Zibo's 张店区)
        [--batch-max 1 0]   (a server for each CRADLE_CALC_BATCH_MAX: 1 each request computed alone, 0 the
                             default; each level measures every server in turn, and prints batched / alone)

In-process: p50/p99 of `calc_household` over five households in five jurisdictions (target p50 < 0.5 ms).
With `--floor`, in the same run (in turns of 250 calls with the calc's, so that a change of the load falls on both
alike), what no change to the engine removes: validating the body (`parse_household`) and the packs' formulas as
written, each called once on a context over the household (its shared derivations included), without the engine
around them (in-force conditions, eligible rows, periods, sentences), but, as in the calc, not those whose gates
(`Program.requires`) turn the household away; then the calc against that floor and the floor against the target.
Beside it, the same floor with the household's columns the formulas read (`Population.from_households`, in the
same turns): what the engine as written, one implementation for one household and for millions, pays before any
of its own steps.

With `--instructions N`: the instructions one calc executes, counted by valgrind's callgrind over N calls after
20 warm ones (`benchmarks/callgrind.py`). Unlike time, the count does not move with the machine's speed, so a
change to the code can be compared across runs at different loads.

Over HTTP: the server is `cradle serve --workers N` (a socket per worker, httptools, uvloop, as in production) on
a throw-away SQLite database with the rate limit off. The load generator is a lean asyncio HTTP/1.1 client in its
own process (keep-alive connections, the request bytes built once), which still shares the machine's cores with
the server, so each level measures in turn, in the same run:

- the floor: `GET /healthz` on the same server, through the same middleware stack, with the same clients: what
  this machine serves at all with this client beside the server;
- `POST /api/v1/calc?on=2025-07-01` with one household, on a server computing each request alone
  (CRADLE_CALC_BATCH_MAX=1, as before batching) and on one with the default batches, each client going round
  the five jurisdictions' households (starting at its own), so that the households a worker computes together
  (cradle.policy.batching) are of several provinces: batching's hardest case, since they share only the
  national pack's programs (`--jurisdictions 1`: a county's own requests, all served by the same packs).

The servers' own log goes to a file, shown if a server does not start.

Printed per level: req/s, p50/p99, errors, the client's and the server's CPU milliseconds per request, the calc's
share of the floor's req/s, the mean number of households computed in one engine run (`cradle_calc_batch_size`
on the server's /metrics), and the targets (>= 1,000 req/s with p99 < 50 ms at 16 clients; p99 < 20 ms at 4).
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import datetime as dt
import json
import multiprocessing as mp
import os
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = json.loads((ROOT / "tests" / "policy" / "household_370303.json").read_text(encoding="utf-8"))
COUNTIES = ["370303", "620402", "330602", "441523", "140105"]
TARGET_IN_PROCESS_P50 = 0.5  # ms
TARGETS = {16: (1000, 50), 4: (None, 20)}  # clients: (req/s at least, p99 ms under)


def households() -> list[dict]:
    out = []
    for code in COUNTIES:
        h = copy.deepcopy(EXAMPLE)
        h["jurisdiction"] = code
        for m in h["members"]:
            m["hukou"] = code
        out.append(h)
    return out


def bodies() -> list[bytes]:
    """The five households' bodies, as the API receives them (JSON bytes)."""
    return [json.dumps(h, ensure_ascii=False).encode() for h in households()]


def in_process(n: int) -> np.ndarray:
    """Milliseconds of each of `n` calls, the body given as the API receives it (JSON bytes)."""
    from cradle.policy.calc import calc_household

    sent = bodies()
    on = dt.date(2025, 7, 1)
    for b in sent:
        calc_household(b, on)  # warm: packs loaded, caches filled
    times = np.empty(n)
    for i in range(n):
        b = sent[i % len(sent)]
        t = time.perf_counter()
        calc_household(b, on)
        times[i] = time.perf_counter() - t
    return times * 1000


# Run under callgrind (benchmarks/callgrind.py): 20 warm calls, then `argv[1]` counted ones
_COUNTED = """
import datetime as dt, sys
sys.path.insert(0, sys.argv[2])
from benchmarks.calc_latency import bodies
from cradle.policy.calc import calc_household
sent = bodies()
on = dt.date(2025, 7, 1)
for i in range(20):
    calc_household(sent[i % len(sent)], on)
print("READY", flush=True)
sys.stdin.readline()
for i in range(int(sys.argv[1])):
    calc_household(sent[i % len(sent)], on)
print("DONE", flush=True)
sys.stdin.readline()
"""


def instructions(calls: int) -> float:
    """Instructions one calc executes, counted by callgrind over `calls` calls after 20 warm ones."""
    from callgrind import count

    return count([sys.executable, "-c", _COUNTED, str(calls), str(ROOT)]) / calls


def floor_parts(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Milliseconds of each of `n` validations of the body, of building its household's columns, and of the
    formulas alone on them."""
    from cradle.policy import packs as packs_module
    from cradle.policy.household import parse_household
    from cradle.policy.population import Population
    from cradle.policy.program import Ctx

    sent = bodies()
    on = dt.date(2025, 7, 1)
    as_of = np.datetime64(on, "D")
    parse, columns, formulas = np.empty(n), np.empty(n), np.empty(n)
    for i in range(n + len(sent)):  # the first round warms the caches
        b = sent[i % len(sent)]
        t = time.perf_counter()
        household = parse_household(b, on)
        t1 = time.perf_counter()
        pop = Population.from_households([household])
        t2 = time.perf_counter()
        shared: dict = {}
        for pack in packs_module.packs_for(household.jurisdiction):
            ctx = Ctx(
                pop.persons,
                pop.households,
                pop.births,
                as_of,
                pack.parameters,
                pack.id,
                region=pack.region,
                shared=shared,
                layer=packs_module.layer_parameter,
            )
            for prog in pack.programs:
                gates = getattr(prog, "requires", ())  # the calc runs no formula its gates turn away
                if (
                    prog.entity != "facility"
                    and len(ctx.entity(prog.entity))
                    and (not gates or ctx.passes(gates))
                ):
                    ctx.uses = []
                    ctx.program = prog
                    prog.formula(ctx)
        t3 = time.perf_counter()
        if i >= len(sent):
            k = i - len(sent)
            parse[k], columns[k], formulas[k] = t1 - t, t2 - t1, t3 - t2
    return parse * 1000, columns * 1000, formulas * 1000


def _turns(n: int, size: int) -> list[int]:
    """`n` calls as turns of at most `size`."""
    return [min(size, n - start) for start in range(0, n, size)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    port: int, workers: int, db: Path, shared_socket: bool, batch_max: int | None = None
) -> subprocess.Popen:
    # the per-client rate limit is off: every request comes from 127.0.0.1 and the app is what is measured
    env = dict(
        os.environ,
        CRADLE_DATABASE_URL=f"sqlite:///{db}",
        CRADLE_API_RATE_PER_MINUTE="0",
        CRADLE_METRICS_DIR=str(db.parent / "metrics"),
    )
    if batch_max is not None:
        env["CRADLE_CALC_BATCH_MAX"] = str(batch_max)
    common = ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--no-access-log"]
    if shared_socket:
        command = [sys.executable, "-m", "uvicorn", "cradle.web.app:create_app", "--factory", *common]
        command += ["--log-level", "warning"]
    else:
        command = [str(Path(sys.executable).with_name("cradle")), "serve", *common]
    log = db.with_name("server.log")
    with log.open("w") as out:
        proc = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True, stderr=out, stdout=out)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                time.sleep(2)  # every worker up
                return proc
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError("server did not start:\n" + log.read_text()[-3000:])


def request_bytes(method: str, path: str, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


async def _drive(port: int, raws: list[bytes], clients: int, seconds: float) -> tuple[list[float], int]:
    """`clients` keep-alive connections, each sending the next of `raws` (client i starting at the i-th) as
    soon as its answer is in, for `seconds`."""
    lat: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def conn(i: int):
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while True:
            t = time.perf_counter()
            if t >= stop:
                break
            writer.write(raws[i % len(raws)])
            i += 1
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            lat.append(time.perf_counter() - t)
            if head[9:12] != b"200":
                errors += 1
        writer.close()

    await asyncio.gather(*(conn(i) for i in range(clients)))
    return lat, errors


def _client(port, raws, clients, seconds, out):
    try:  # the client's own loop is as fast as the server's
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    t0, cpu = time.perf_counter(), time.process_time()
    lat, errors = asyncio.run(_drive(port, raws, clients, seconds))
    out.put((time.perf_counter() - t0, time.process_time() - cpu, lat, errors))


def drive(
    port: int, raws: list[bytes], clients: int, seconds: float
) -> tuple[float, float, list[float], int]:
    """The load generator in its own process: (wall s, its CPU s, latencies s, non-200 answers)."""
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_client, args=(port, raws, clients, seconds, q))
    p.start()
    while True:
        try:
            result = q.get(timeout=1)
            break
        except queue.Empty:
            if not p.is_alive():
                raise RuntimeError(f"the load generator died (exit code {p.exitcode})") from None
    p.join()
    return result


def cpu_ticks(root: int) -> int:
    """CPU ticks of a process tree (utime, stime and the reaped children's of each process)."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])
            todo.extend(int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def batches(port: int) -> tuple[float, float]:
    """(households, engine runs) of the server's calc batches so far, summed over its workers (/metrics)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as answer:
        text = answer.read().decode()
    found = {"cradle_calc_batch_size_sum": 0.0, "cradle_calc_batch_size_count": 0.0}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name in found:
            found[name] += float(value)
    return found["cradle_calc_batch_size_sum"], found["cradle_calc_batch_size_count"]


def level(port: int, server: int, raws: list[bytes], clients: int, seconds: float) -> dict:
    hz = os.sysconf("SC_CLK_TCK")
    households_before, runs_before = batches(port)
    before = cpu_ticks(server)
    wall, client_cpu, lat, errors = drive(port, raws, clients, seconds)
    server_cpu = (cpu_ticks(server) - before) / hz
    households, runs = batches(port)
    runs -= runs_before
    lat_ms = np.array(lat) * 1000
    n = len(lat)
    return {
        "rps": n / wall,
        "p50": float(np.percentile(lat_ms, 50)),
        "p99": float(np.percentile(lat_ms, 99)),
        "errors": errors,
        "client_ms": client_cpu / n * 1000,
        "server_ms": server_cpu / n * 1000,
        "batch": (households - households_before) / runs if runs else None,
    }


def show(name: str, r: dict) -> str:
    batch = f", {r['batch']:.2f} households an engine run" if r["batch"] else ""
    return (
        f"{name:16} {r['rps']:7.0f} req/s  p50 {r['p50']:6.2f} ms  p99 {r['p99']:6.2f} ms  {r['errors']} errors  "
        f"CPU per request: server {r['server_ms']:.2f} ms, client {r['client_ms']:.2f} ms{batch}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--clients", type=int, nargs="+", default=[4, 16])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--calls", type=int, default=5000)
    ap.add_argument("--shared-socket", action="store_true")
    ap.add_argument(
        "--batch-max",
        type=int,
        nargs="+",
        default=[1, 0],
        help="a server for each CRADLE_CALC_BATCH_MAX (1: each request alone; 0: the default), measured in turn",
    )
    ap.add_argument("--jurisdictions", type=int, default=len(COUNTIES), choices=range(1, len(COUNTIES) + 1))
    ap.add_argument("--no-http", action="store_true", help="the in-process figures only")
    ap.add_argument("--floor", action="store_true", help="also validation and the formulas alone (see above)")
    ap.add_argument("--instructions", type=int, metavar="N", help="also the instructions a calc executes")
    args = ap.parse_args()

    if args.floor:  # in turns of a few hundred calls each, so that a change of the load falls on both alike
        turns = [(in_process(k), *floor_parts(k)) for k in _turns(args.calls, 250)]
        t, parse_ms, columns_ms, formulas_ms = (np.concatenate(part) for part in zip(*turns, strict=True))
    else:
        t = in_process(args.calls)
    p50, p99 = np.percentile(t, 50), np.percentile(t, 99)
    print(
        f"in-process calc ({args.calls} calls, {len(COUNTIES)} jurisdictions): p50 {p50:.3f} ms, p99 {p99:.3f} ms"
        f"   target p50 < {TARGET_IN_PROCESS_P50} ms: ratio {TARGET_IN_PROCESS_P50 / p50:.2f}x"
        f"   (load average {os.getloadavg()[0]:.2f})",
        flush=True,
    )
    if args.floor:
        parse, formulas = np.percentile(parse_ms, 50), np.percentile(formulas_ms, 50)
        print(
            f"floor, same households: validating the body p50 {parse:.3f} ms + the formulas alone p50 "
            f"{formulas:.3f} ms = {parse + formulas:.3f} ms ({(parse + formulas) / p50:.0%} of the calc; "
            f"the rest is the engine, the columns and the sentences: {p50 - parse - formulas:.3f} ms)"
            f"   (load average {os.getloadavg()[0]:.2f})",
            flush=True,
        )
        print(
            f"calc / floor {p50 / (parse + formulas):.2f}x; the floor alone is "
            f"{(parse + formulas) / TARGET_IN_PROCESS_P50:.2f}x the target p50 {TARGET_IN_PROCESS_P50} ms "
            f"(target / floor {TARGET_IN_PROCESS_P50 / (parse + formulas):.2f}): "
            + (
                "the target is out of reach without cheaper formulas"
                if parse + formulas >= TARGET_IN_PROCESS_P50
                else "the floor leaves room for the target"
            ),
            flush=True,
        )
        columns = np.percentile(columns_ms, 50)
        needed = parse + columns + formulas
        print(
            f"with the household's columns the formulas read (p50 {columns:.3f} ms): {needed:.3f} ms, "
            f"{needed / TARGET_IN_PROCESS_P50:.2f}x the target: "
            + (
                "as the engine is written, the parts every answer needs exceed the target before its own steps"
                if needed >= TARGET_IN_PROCESS_P50
                else f"{TARGET_IN_PROCESS_P50 - needed:.3f} ms left for the engine's steps and the answer"
            ),
            flush=True,
        )
    if args.instructions:
        per_call = instructions(args.instructions)
        print(
            f"instructions a calc executes (callgrind, {args.instructions} calls): {per_call / 1e6:.3f} million"
        )
    if args.no_http:
        return

    chosen = households()[: args.jurisdictions]
    calc = [request_bytes("POST", "/api/v1/calc?on=2025-07-01", json.dumps(h).encode()) for h in chosen]
    floor = [request_bytes("GET", "/healthz")]
    layout = "uvicorn --workers, create_app" if args.shared_socket else "cradle serve"
    servers: dict[str, tuple[int, subprocess.Popen]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for most in args.batch_max:
                port = free_port()
                folder = Path(tmp) / str(port)
                folder.mkdir()
                proc = start_server(port, args.workers, folder / "bench.db", args.shared_socket, most or None)
                servers["alone" if most == 1 else f"batches <= {most}" if most else "batched"] = (port, proc)
            for port, _ in servers.values():
                drive(port, calc, max(args.clients), 2)  # warm every worker
                drive(port, floor, max(args.clients), 1)
            for clients in args.clients:
                print(
                    f"\n{clients} clients, {len(chosen)} jurisdictions, {args.seconds:.0f} s each, {layout} "
                    f"--workers {args.workers}, "
                    f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
                port, proc = next(iter(servers.values()))
                f = level(port, proc.pid, floor, clients, args.seconds)
                print(show("GET /healthz", f))
                rate, p99 = TARGETS.get(clients, (None, None))
                measured = {}
                for name, (port, proc) in servers.items():
                    c = measured[name] = level(port, proc.pid, calc, clients, args.seconds)
                    print(show(f"POST /api/v1/calc, {name}", c))
                    print(
                        f"  calc / floor: {c['rps'] / f['rps']:.2f} of the req/s this server and client reach at all"
                    )
                    targets = []
                    if rate:
                        targets.append(f"target >= {rate} req/s: ratio {c['rps'] / rate:.2f}x")
                    if p99:
                        targets.append(f"target p99 < {p99} ms: ratio {p99 / c['p99']:.2f}x")
                    if targets:
                        print("  " + "; ".join(targets))
                if "alone" in measured and len(measured) > 1:
                    a = measured["alone"]
                    for name, c in measured.items():
                        if name != "alone":
                            print(
                                f"{name} / alone: req/s {c['rps'] / a['rps']:.2f}x, p99 {a['p99'] / c['p99']:.2f}x "
                                f"lower, server CPU a request {a['server_ms'] / c['server_ms']:.2f}x lower"
                            )
                print(flush=True)
        finally:
            for _, proc in servers.values():
                os.killpg(proc.pid, signal.SIGTERM)
            for _, proc in servers.values():
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()
