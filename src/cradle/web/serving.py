"""`cradle serve --workers N`: N uvicorn processes, given their connections in turn by the process that started them.

Why not uvicorn's own `--workers`: its processes share one listening socket, and the process that wakes first
accepts every connection waiting. Keep-alive connections opened together (a reverse proxy's pool, a busy
client's) then all stay on one process, so one core does the work while the others idle (measured: 8 clients,
100 % of the server's CPU in one of two workers, 176 submissions/s). A socket per process (SO_REUSEPORT, the
layout before this one) spreads them by a hash of their addresses, which is even only on average: 8 connections
fall 4/4 over two workers about one time in four, 5/3 or worse otherwise, and the busier worker then sets the rate
(measured: one worker 66 % of the server's CPU). So the starting process accepts on the one listening socket and hands each
connection to the next worker in turn (the descriptor passed over a Unix socket, SCM_RIGHTS); the worker serves it
as its own. A connection costs the starting process an accept and a send once; its requests never pass through it.

A worker's connections write an answer's head and body in one send (`_OneSend`): uvicorn writes the head as soon as
the app starts its answer and the body when the app sends it, each at once, so a JSON answer cost two system calls
and woke its client twice, once for a head it cannot use without the body."""

from __future__ import annotations

import errno
import logging
import multiprocessing as mp
import select
import signal
import socket
import time
from dataclasses import dataclass
from typing import Any

from cradle.ops import multiproc

log = logging.getLogger("cradle.serve")

STARTUP_FAILURE = 3  # uvicorn's exit code when the app cannot start


def _listener(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))  # a port in use is refused here (no SO_REUSEPORT: never shared by accident)
    except OSError:
        sock.close()
        raise
    return sock


class _OneSend:
    """A connection's transport whose writes made in the same turn of the event loop go out in one send: the
    first is held, the next joins it (uvloop's `writelines` is one `writev`), and what nothing joins goes out at
    the loop's next turn. An answer's head and body are written one after the other without waiting (unless the
    client reads too slowly, and then the head simply goes out a turn later); everything else is the
    transport's own."""

    __slots__ = ("_transport", "_held", "_loop")

    def __init__(self, transport, loop) -> None:
        self._transport = transport
        self._loop = loop
        self._held = None

    def write(self, data) -> None:
        if self._held is None:
            if data:
                self._held = data
                self._loop.call_soon(self._flush)
            return
        held, self._held = self._held, None
        self._transport.writelines((held, data))

    def writelines(self, chunks) -> None:
        for data in chunks:
            self.write(data)

    def _flush(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            if not self._transport.is_closing():
                self._transport.write(held)

    def write_eof(self) -> None:
        self._flush()
        self._transport.write_eof()

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def abort(self) -> None:
        self._held = None
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + (len(self._held) if self._held is not None else 0)

    def __getattr__(self, name: str):
        return getattr(self._transport, name)


def _worker(app: str, options: dict[str, Any], handoff: socket.socket, ready) -> None:
    # deferred: each worker is a fresh interpreter (spawn); uvicorn loads in it, not in the supervisor's import
    import asyncio

    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn serving the connections handed over on `handoff` (it listens on no socket of its own)."""

        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=[])
            if not self.started:
                return
            loop, config = asyncio.get_running_loop(), self.config

            def protocol():  # as uvicorn's own server makes one for each connection it accepts
                made = config.http_protocol_class(
                    config=config, server_state=self.server_state, app_state=self.lifespan.state
                )
                connection_made = made.connection_made
                made.connection_made = lambda transport: connection_made(_OneSend(transport, loop))
                return made

            def take() -> None:
                try:
                    data, fds, _, _ = socket.recv_fds(handoff, 16, 16)
                except BlockingIOError:
                    return
                except OSError:
                    data, fds = b"", []
                if not data:  # the supervisor is gone: finish what is in flight and stop
                    loop.remove_reader(handoff.fileno())
                    self.should_exit = True
                    return
                for fd in fds:
                    conn = socket.socket(fileno=fd)
                    conn.setblocking(False)
                    loop.create_task(loop.connect_accepted_socket(protocol, conn))

            handoff.setblocking(False)
            loop.add_reader(handoff.fileno(), take)
            ready.set()

    Server(uvicorn.Config(app, factory=True, **options)).run()


@dataclass
class _Worker:
    process: mp.process.BaseProcess
    ready: Any  # multiprocessing Event: set once the worker serves
    handoff: socket.socket  # the supervisor's end of the worker's Unix socket pair


def _give(workers: list[_Worker], turn: int, conn: socket.socket) -> int:
    """Hands `conn` to the worker whose turn it is; the next turn. A worker still starting takes its turn too (it
    serves the connection once its app has started: the spread stays even from the first connection on); one that
    cannot take it (gone, or its queue full) is passed over; if none can, the connection is closed."""
    for step in range(len(workers)):
        w = workers[(turn + step) % len(workers)]
        try:
            socket.send_fds(w.handoff, [b"c"], [conn.fileno()])
        except OSError:
            continue
        return (turn + step + 1) % len(workers)
    return turn


def serve(app: str, host: str, port: int, workers: int, **options: Any) -> int:
    """Run `workers` processes of the app factory `app` until SIGINT or SIGTERM; a worker that dies after it
    began serving is replaced. Returns the exit code: 0, or STARTUP_FAILURE when a worker exited before serving
    (the app cannot start: replacing it would only repeat the failure)."""
    listener = _listener(host, port)
    listener.listen(2048)
    listener.setblocking(False)
    ctx = mp.get_context("spawn")  # a fresh interpreter per worker, as uvicorn's own workers

    def start() -> _Worker:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        ready = ctx.Event()
        p = ctx.Process(target=_worker, args=(app, options, theirs, ready), daemon=False)
        p.start()
        theirs.close()
        ours.setblocking(False)
        return _Worker(p, ready, ours)

    stopping: list[int] = []
    previous = {
        s: signal.signal(s, lambda signum, _frame: stopping.append(signum))
        for s in (signal.SIGINT, signal.SIGTERM)
    }
    procs = [start() for _ in range(workers)]
    code, turn, checked = 0, 0, 0.0
    try:
        while not stopping:
            if any(w.ready.is_set() for w in procs):
                try:
                    readable, _, _ = select.select([listener], [], [], 0.2)
                except InterruptedError:  # a signal: the loop's condition decides
                    readable = []
                while readable:
                    try:
                        conn, _ = listener.accept()
                    except (BlockingIOError, InterruptedError):
                        break
                    except OSError as exc:  # e.g. out of descriptors: wait, the backlog keeps them
                        if exc.errno not in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                            raise
                        log.warning("accept: %s", exc.strerror)
                        time.sleep(0.1)
                        break
                    with conn:  # the worker holds its own copy
                        turn = _give(procs, turn, conn)
            else:
                time.sleep(0.05)  # no worker serves yet: connections wait in the backlog
            if time.monotonic() - checked < 0.2:
                continue
            checked = time.monotonic()
            for i, w in enumerate(procs):
                if w.process.is_alive():
                    continue
                if not w.ready.is_set():
                    log.error(
                        "worker %s exited with %s before serving; stopping", w.process.pid, w.process.exitcode
                    )
                    code = STARTUP_FAILURE
                    stopping.append(0)
                    break
                log.warning("worker %s exited with %s; starting another", w.process.pid, w.process.exitcode)
                multiproc.worker_gone(w.process.pid)
                w.handoff.close()
                procs[i] = start()
    finally:
        listener.close()  # new connections are refused while the workers finish theirs
        for w in procs:
            if w.process.is_alive():
                w.process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for w in procs:
            w.process.join(timeout=30)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.handoff.close()
        for s, handler in previous.items():
            signal.signal(s, handler)
    return code
