"""`cradle serve --workers N`: N uvicorn processes, each accepting on its own SO_REUSEPORT socket.

Why not uvicorn's own `--workers`: its processes share one listening socket, and the process that wakes first
accepts every connection waiting. Keep-alive connections opened together (a reverse proxy's pool, a busy
client's) then all stay on one process, so one core does the work while the others idle (measured: 8 clients,
100 % of the server's CPU in one of two workers, 176 submissions/s). With a socket per process the kernel spreads
new connections over the processes by their addresses."""

from __future__ import annotations

import logging
import multiprocessing as mp
import signal
import socket
import time
from typing import Any

from cradle.ops import multiproc

log = logging.getLogger("cradle.serve")

STARTUP_FAILURE = 3  # uvicorn's exit code when the app cannot start


def _listener(host: str, port: int, reuse_port: bool) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(app: str, host: str, port: int, options: dict[str, Any], ready) -> None:
    import threading

    import uvicorn

    sock = _listener(host, port, reuse_port=True)
    sock.listen(2048)
    server = uvicorn.Server(uvicorn.Config(app, factory=True, **options))

    def tell_when_serving() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            ready.set()

    threading.Thread(target=tell_when_serving, daemon=True).start()
    server.run(sockets=[sock])


def serve(app: str, host: str, port: int, workers: int, **options: Any) -> int:
    """Run `workers` processes of the app factory `app` until SIGINT or SIGTERM; a worker that dies after it
    began serving is replaced. Returns the exit code: 0, or STARTUP_FAILURE when a worker exited before serving
    (the app cannot start: replacing it would only repeat the failure)."""
    # The port must be free: without this, a second server of the same user would silently share it.
    with _listener(host, port, reuse_port=False):
        pass
    ctx = mp.get_context("spawn")  # a fresh interpreter per worker, as uvicorn's own workers

    def start() -> tuple[mp.process.BaseProcess, Any]:
        ready = ctx.Event()
        p = ctx.Process(target=_worker, args=(app, host, port, options, ready), daemon=False)
        p.start()
        return p, ready

    stopping: list[int] = []
    previous = {
        s: signal.signal(s, lambda signum, _frame: stopping.append(signum))
        for s in (signal.SIGINT, signal.SIGTERM)
    }
    procs = [start() for _ in range(workers)]
    code = 0
    try:
        while not stopping:
            for i, (p, ready) in enumerate(procs):
                if p.is_alive():
                    continue
                if not ready.is_set():
                    log.error("worker %s exited with %s before serving; stopping", p.pid, p.exitcode)
                    code = STARTUP_FAILURE
                    stopping.append(0)
                    break
                log.warning("worker %s exited with %s; starting another", p.pid, p.exitcode)
                multiproc.worker_gone(p.pid)
                procs[i] = start()
            time.sleep(0.2)
    finally:
        for p, _ in procs:
            if p.is_alive():
                p.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for p, _ in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
                p.join()
        for s, handler in previous.items():
            signal.signal(s, handler)
    return code
