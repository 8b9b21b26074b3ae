"""Application submissions over HTTP: `POST /api/v1/services/cases` against `cradle serve --workers 2` on a
throw-away PostgreSQL, from a load generator in its own process, at several concurrency levels.

    .venv/bin/python benchmarks/services_http.py [submissions per level] [levels, e.g. 4,8,16] [--wrk]
        [--workers=N] [--threadpool=N]   (uvicorn workers, 2 by default; worker threads per process: CRADLE_THREADPOOL)
        [--shared-socket]   (uvicorn's own workers, one listening socket for all, instead of `cradle serve`)
        [--unsafe]   (PostgreSQL with fsync, synchronous_commit and full_page_writes OFF, as in the test suite's
                      throw-away servers: fast, but an acknowledged application may be lost in a power cut. By
                      default they are on, as in production: `--durable` is accepted and changes nothing)
        [--commit-delay=MICROSECONDS] [--commit-siblings=N]   (PostgreSQL's group commit; see docs/deploy.md)
        [--default-settings]   (PostgreSQL's own sizes instead of cradle.testing.postgres.PRODUCTION_SETTINGS:
                                shared_buffers, WAL size, as a production server is given)

Before the levels it measures this disk's floor on the same server: durable one-row commits from one connection
(each waits for its own WAL flush: the fsync cost) and from as many connections as the level's clients (what
PostgreSQL's own grouping of flushes gives). Each level prints its rate against the target (500/s with p99 <
100 ms at 8 clients) and against that floor, and two CPU floors of the same run: the HTTP stack's (`GET /healthz`
from as many clients through the same server and middlewares: what this machine serves at all with this client
beside it), and the ceiling the CPU a submission sets (the cores' time over the app's, PostgreSQL's and the load
generator's CPU a submission): a rate above it needs less CPU, whatever the disk.

Each submission is a different mother's second child in 白银区 (her own citizen account and bearer token, her own Idempotency-Key).
After each level every request is sent again with the same key (must answer the first case, marked replayed) and
a sample with a new key (must be refused 409: the beneficiary already has a case). Prints, per level: req/s,
p50/p95/p99, replays accepted (a replay that made or named another case), duplicate (program, beneficiary)
groups counted in the database, the server's CPU per submission (uvicorn workers; PostgreSQL apart) and
/proc/loadavg. The client is a lean asyncio HTTP/1.1 client (keep-alive, pre-built requests); `--wrk` drives
the timed phase with wrk and a Lua script instead (wrk is not needed otherwise).
"""

from __future__ import annotations

import asyncio
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from cradle.testing.postgres import PRODUCTION_SETTINGS  # noqa: E402
from services_submissions import application, prepared_database  # noqa: E402

PATH = "/api/v1/services/cases"
SECRET = "benchmark-secret-key"
DURABLE = {
    "fsync": "on",
    "synchronous_commit": "on",
    "full_page_writes": "on",
}  # each commit waits for its WAL
TARGET_RATE, TARGET_P99_MS = 500, 100
ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_citizens(url: str, lo: int, hi: int) -> dict[int, str]:
    """A citizen account and a bearer API token for each mother lo..hi-1 (rows written in bulk, as
    `auth.tokens.issue` would store them: the token's SHA-256 only); {i: token}."""
    import hashlib
    import secrets

    import psycopg

    from cradle.auth.models import utcnow

    now, rows, tokens = utcnow(), [], {}
    for i in range(lo, hi):
        actor, _ = application(i)
        prefix, secret = f"b{i:09d}", secrets.token_urlsafe(32)
        tokens[i] = f"cradle_{prefix}_{secret}"
        rows.append((actor.id_number, actor.name, prefix, hashlib.sha256(secret.encode()).hexdigest()))
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        for id_number, name, prefix, digest in rows:
            cur.execute(
                "WITH a AS (INSERT INTO auth_account (username, role, name, id_number, password_hash, "
                "registry_status, active, failed_logins, created_at, created_by) VALUES "
                "(%s, 'citizen', %s, %s, '!benchmark', 'pending', true, 0, %s, 'benchmark') RETURNING id) "
                "INSERT INTO auth_token (prefix, secret_hash, account_id, name, created_at) "
                "SELECT %s, %s, a.id, 'benchmark', %s FROM a",
                (id_number, name, id_number, now, prefix, digest, now),
            )
    return tokens


def build_requests(url: str, lo: int, hi: int, port: int, key_prefix: str = "k") -> list[bytes]:
    """Raw HTTP requests for applications lo..hi-1, each by its own citizen account with its own key."""
    tokens = make_citizens(url, lo, hi)
    out = []
    for i in range(lo, hi):
        _, data = application(i)
        body = json.dumps(data, ensure_ascii=False).encode()
        head = (
            f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nAuthorization: Bearer {tokens[i]}\r\n"
            f"Idempotency-Key: {key_prefix}{i}\r\n\r\n"
        ).encode()
        out.append(head + body)
    return out


async def _exchange(reader, writer, raw: bytes) -> tuple[int, dict, bytes]:
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body


async def _drive(port: int, requests: list[bytes], concurrency: int) -> list[tuple[float, int, str, bytes]]:
    """Send `requests` over `concurrency` keep-alive connections; (latency s, status, replayed, body) each."""
    results: list = [None] * len(requests)
    nxt = iter(range(len(requests)))

    async def conn():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for i in nxt:
            t = time.perf_counter()
            status, headers, body = await _exchange(reader, writer, requests[i])
            results[i] = (time.perf_counter() - t, status, headers.get("idempotent-replayed", ""), body)
        writer.close()

    await asyncio.gather(*(conn() for _ in range(concurrency)))
    return results


def _client(port, requests, concurrency, start_at, out):
    time.sleep(max(0.0, start_at - time.time()))
    t0, cpu = time.time(), time.process_time()
    res = asyncio.run(_drive(port, requests, concurrency))
    out.put((t0, time.time(), time.process_time() - cpu, res))


def drive(port: int, requests: list[bytes], concurrency: int) -> tuple[float, list, float]:
    """Runs the client in its own process (so its CPU is not the server's, though it shares the cores):
    (wall seconds, results, the client's CPU seconds)."""
    q = mp.get_context("fork").Queue()
    p = mp.get_context("fork").Process(
        target=_client, args=(port, requests, concurrency, time.time() + 0.3, q)
    )
    p.start()
    while True:
        try:
            t0, t1, cpu, res = q.get(timeout=1)
            break
        except queue.Empty:
            if not p.is_alive():  # a connection the server dropped: say so instead of waiting for ever
                raise RuntimeError(
                    f"the load generator died (exit code {p.exitcode}); see its traceback above"
                ) from None
    p.join()
    return t1 - t0, res, cpu


WRK_LUA = r"""
local lines, i, step = {}, 0, 1
function setup(thread) thread:set("id", nthreads or 0); nthreads = (nthreads or 0) + 1 end
function init(args)
  for line in io.lines(args[1]) do lines[#lines + 1] = line end
  step = tonumber(args[2]); i = id - step
end
function request()
  i = i + step
  if i >= #lines then i = id end  -- out of fresh requests: replays (answered as such; seconds are sized to avoid it)
  local token, key, body = lines[i + 1]:match("([^\t]*)\t([^\t]*)\t(.*)")
  return wrk.format("POST", "PATH", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token,
                                     ["Idempotency-Key"] = key}, body)
end
function done(summary, latency, requests)
  io.write(string.format("WRK %d %f %f %f %f\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3))
end
"""


def wrk_level(url: str, port: int, lo: int, hi: int, concurrency: int) -> dict:
    """The timed phase with wrk: fresh requests from a file, each wrk thread its own share."""
    tokens = make_citizens(url, lo, hi)
    folder = Path(tempfile.mkdtemp(prefix="cradle-wrk-"))
    lines = []
    for i in range(lo, hi):
        _, data = application(i)
        lines.append(f"{tokens[i]}\tw{i}\t{json.dumps(data, ensure_ascii=False)}")
    (folder / "req.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "submit.lua").write_text(WRK_LUA.replace("PATH", PATH))
    threads = min(concurrency, 2)
    seconds = max(2, (hi - lo) // 450)  # fewer seconds than the fresh requests last at 450/s
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(concurrency),
            "-d",
            f"{seconds}s",
            "-s",
            str(folder / "submit.lua"),
            f"http://127.0.0.1:{port}",
            "--",
            str(folder / "req.txt"),
            str(threads),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    n, dur, p50, p95, p99 = line.split()[1:]
    return {"n": int(n), "rate": int(n) / float(dur), "p50": float(p50), "p95": float(p95), "p99": float(p99)}


def _cpu_ticks(root: int) -> int:
    """CPU ticks of a process tree: each live process's own, and what its exited children left to its parent."""
    total = 0
    for pid in _tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return total


def _children(ppid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int(Path(d, "stat").read_text().rsplit(")", 1)[1].split()[1]) == ppid:
                    out.append(int(d.name))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
    return out


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(_children(p))
    return found


def start_server(
    url: str, port: int, workers: int, threadpool: int | None = None, shared_socket: bool = False
) -> subprocess.Popen:
    """`cradle serve --workers N` (a listening socket per worker), or with `shared_socket` uvicorn's own workers
    (one socket for all of them: the layout before `cradle.web.serving`)."""
    env = {**os.environ, "CRADLE_DATABASE_URL": url, "CRADLE_SECRET_KEY": SECRET}
    if threadpool:
        env["CRADLE_THREADPOOL"] = str(threadpool)
    common = ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--no-access-log"]
    if shared_socket:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "cradle.web.app:serve_app",
            "--factory",
            *common,
            "--http",
            "httptools",
            "--loop",
            "uvloop",
            "--log-level",
            "warning",
        ]
    else:
        command = [str(Path(sys.executable).with_name("cradle")), "serve", *common]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                time.sleep(1.5)  # every worker up
                return proc
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("uvicorn did not start")


def _commits(dsn: str, clients: int, seconds: float) -> float:
    """One-row commits per second from `clients` connections at once, each committing in a loop (psycopg waits
    outside the GIL, so threads are enough): the least a durable write costs on this server and disk."""
    import threading

    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_commit (id bigserial PRIMARY KEY, at timestamptz)")
    counts = [0] * clients
    stop = time.perf_counter() + seconds

    def loop(k: int) -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            while time.perf_counter() < stop:
                conn.execute("INSERT INTO bench_commit (at) VALUES (now())")
                counts[k] += 1

    threads = [threading.Thread(target=loop, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - t0)


def _stack_floor(server_pid: int, port: int, clients: int, n: int) -> tuple[float, float]:
    """`GET /healthz` from `clients` keep-alive connections, `n` requests: (req/s, the server's CPU ms a request)."""
    raw = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    drive(port, [raw] * 200, clients)  # warm: the route's first answers in each worker
    hz, before = os.sysconf("SC_CLK_TCK"), _cpu_ticks(server_pid)
    wall, res, _ = drive(port, [raw] * n, clients)
    if any(r[1] != 200 for r in res):
        raise RuntimeError("GET /healthz did not answer 200")
    return n / wall, (_cpu_ticks(server_pid) - before) / hz / n * 1000


def _pct(lat: list[float], q: float) -> float:
    return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000


def main(
    n: int,
    levels: list[int],
    use_wrk: bool = False,
    workers: int = 2,
    threadpool: int | None = None,
    durable: bool = True,
    shared_socket: bool = False,
    server_settings: dict[str, str] | None = None,
) -> None:

    from sqlalchemy import func, select

    from cradle.db import get_engine, session_scope
    from cradle.services.models import Case
    from cradle.testing.postgres import start_temp_postgres

    os.environ["CRADLE_SECRET_KEY"] = SECRET
    settings = {**(DURABLE if durable else {}), **(server_settings or {})}
    pg = start_temp_postgres(settings or None)
    server = None
    try:
        url = prepared_database(pg, "bench_http")
        port = _free_port()
        server = start_server(url, port, workers, threadpool, shared_socket)
        postmaster = int((pg.root / "data" / "postmaster.pid").read_text().split()[0])
        base = 0
        warm = build_requests(url, 900_000, 900_000 + 40, port)
        drive(port, warm, 8)  # connections, packs, caches
        extra = {k: v for k, v in settings.items() if k not in DURABLE and k not in PRODUCTION_SETTINGS}
        print(
            f"POST {PATH}, "
            f"{'uvicorn --workers' if shared_socket else 'cradle serve --workers'} {workers} (httptools, uvloop)"
            f"{f', {threadpool} threads each' if threadpool else ''}; {os.cpu_count()} cores; PostgreSQL "
            + (
                "durable (fsync, synchronous_commit, full_page_writes on)"
                if durable
                else "UNSAFE (fsync, synchronous_commit off: acknowledged applications can be lost)"
            )
            + ("; production sizes" if set(PRODUCTION_SETTINGS) <= set(settings) else "; default sizes")
            + (f"; {', '.join(f'{k}={v}' for k, v in extra.items())}" if extra else "")
        )
        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        floor = {k: _commits(dsn, k, 3.0) for k in sorted({1, *levels})}
        print(
            "floor, one-row commits on this server and disk: "
            + ", ".join(f"{v:.0f}/s from {k} connection{'s' if k > 1 else ''}" for k, v in floor.items())
            + (f" ({1000 / floor[1]:.2f} ms a durable commit)" if durable else "")
            + f"; loadavg {' '.join(Path('/proc/loadavg').read_text().split()[:3])}"
        )
        for c in levels:
            reqs = [] if use_wrk else build_requests(url, base, base + n, port)
            load = Path("/proc/loadavg").read_text().split()[:3]
            cpu_app, cpu_pg = _cpu_ticks(server.pid), _cpu_ticks(postmaster)
            per_worker = {w: _cpu_ticks(w) for w in _children(server.pid)}
            hz = os.sysconf("SC_CLK_TCK")
            if use_wrk:
                w = wrk_level(url, port, base, base + n, c)
                count, wall = w["n"], w["n"] / w["rate"]
                p50, p95, p99, bad, client_ms = w["p50"], w["p95"], w["p99"], None, None
            else:
                wall, res, client_cpu = drive(port, reqs, c)
                count = len(res)
                client_ms = client_cpu / count * 1000
                lat = sorted(r[0] for r in res)
                p50, p95, p99 = _pct(lat, 0.5), _pct(lat, 0.95), _pct(lat, 0.99)
                bad = sum(r[1] != 201 for r in res)
            app_ms = (_cpu_ticks(server.pid) - cpu_app) / hz / count * 1000
            pg_ms = (_cpu_ticks(postmaster) - cpu_pg) / hz / count * 1000
            split = [_cpu_ticks(w) - before for w, before in per_worker.items()]
            split = "/".join(f"{100 * x / max(1, sum(split)):.0f}%" for x in sorted(split, reverse=True))
            replays_ok: int | str = "not sent with --wrk" if use_wrk else 0
            if not use_wrk:
                first = {i: json.loads(r[3])["case_no"] for i, r in enumerate(res) if r[1] == 201}
                _, again, _ = drive(port, reqs, c)  # same key: the first answer, marked replayed
                replays_ok += sum(
                    r[1] == 201 and (r[2] != "true" or json.loads(r[3])["case_no"] != first.get(i))
                    for i, r in enumerate(again)
                )
                sample = [
                    r.replace(b"Idempotency-Key: k", b"Idempotency-Key: new-k") for r in reqs[: n // 10]
                ]
                _, fresh, _ = drive(port, sample, c)  # a new key for the same beneficiary: refused
                replays_ok += sum(r[1] < 300 for r in fresh)
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
            print(
                f"{c:>3} clients: {count} submissions {count / wall:.0f}/s, p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
                f"p99 {p99:.1f} ms"
                + (f", non-201 {bad}" if bad is not None else "")
                + f"; server CPU {app_ms:.2f} ms/submission (workers {split}; PostgreSQL {pg_ms:.2f} ms"
                + (f"; load generator {client_ms:.2f} ms" if client_ms is not None else "")
                + "); "
                f"replays accepted {replays_ok}; duplicate groups {dups}; cases {cases}; "
                f"loadavg before {' '.join(load)}"
            )
            rate = count / wall
            ceiling = (os.cpu_count() or 1) * 1000 / (app_ms + pg_ms + (client_ms or 0))
            stack = _stack_floor(server.pid, port, c, 3000)
            print(
                f"{c:>3} clients: CPU ceiling {ceiling:.0f}/s ({os.cpu_count()} cores over app {app_ms:.2f} + "
                f"PostgreSQL {pg_ms:.2f}"
                + (f" + load generator {client_ms:.2f}" if client_ms is not None else "")
                + f" ms a submission; this rate is {rate / ceiling:.0%} of it); HTTP stack floor: GET /healthz "
                f"{stack[0]:.0f}/s, server CPU {stack[1]:.2f} ms a request"
                + (
                    f"; the target needs {(os.cpu_count() or 1) * 1000 / TARGET_RATE:.2f} ms of CPU a submission "
                    f"in all, {TARGET_RATE / ceiling:.2f}× this run's ceiling"
                    if c == 8
                    else ""
                )
            )
            print(
                f"{c:>3} clients: {rate / floor[c]:.0%} of the floor ({floor[c]:.0f} one-row commits/s)"
                + (
                    f"; target {TARGET_RATE}/s with p99 < {TARGET_P99_MS} ms: {rate / TARGET_RATE:.2f}× the rate, "
                    f"p99 {'met' if p99 < TARGET_P99_MS else 'NOT met'}"
                    if c == 8
                    else ""
                )
            )
            base += n
        get_engine(url).dispose()
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        pg.stop()


if __name__ == "__main__":
    opts = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(
        int(args[0]) if args else 3000,
        [int(x) for x in (args[1] if len(args) > 1 else "4,8,16").split(",")],
        use_wrk="--wrk" in sys.argv,
        workers=int(opts.get("workers", 2)),
        threadpool=int(opts["threadpool"]) if "threadpool" in opts else None,
        durable="--unsafe" not in sys.argv,
        shared_socket="--shared-socket" in sys.argv,
        server_settings={
            **({} if "--default-settings" in sys.argv else PRODUCTION_SETTINGS),
            **{k.replace("-", "_"): opts[k] for k in ("commit-delay", "commit-siblings") if k in opts},
        },
    )
