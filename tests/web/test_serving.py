"""`cradle serve --workers N`: the starting process hands connections to the workers in turn, so connections opened
together are spread evenly over the workers; the port must be free; SIGTERM stops every worker."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cradle.testing.loops import run_alone
from cradle.testing.postgres import _free_port
from cradle.web.serving import _OneSend

pytestmark = pytest.mark.skipif(not hasattr(socket, "send_fds"), reason="needs SCM_RIGHTS (Unix)")

CRADLE = str(Path(sys.executable).with_name("cradle"))


def _serve(tmp_path: Path, port: int, workers: int = 2) -> subprocess.Popen:
    env = {
        **os.environ,
        "CRADLE_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "CRADLE_API_RATE_PER_MINUTE": "0",
    }
    return subprocess.Popen(
        [CRADLE, "serve", "--port", str(port), "--workers", str(workers), "--no-access-log"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_serving(proc: subprocess.Popen, workers: int = 2) -> None:
    """Until every worker has said its app started (a worker that dies before that stops the server)."""
    seen, started = [], 0
    while started < workers:
        line = proc.stdout.readline()
        assert line, "".join(seen)  # the server ended
        seen.append(line)
        started += "Application startup complete" in line


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(d.name))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return out


def _workers(proc: subprocess.Popen) -> list[int]:
    """The serving processes (multiprocessing's resource tracker is a child too)."""
    out = []
    for pid in _children(proc.pid):
        try:
            if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text():
                out.append(pid)
        except FileNotFoundError:
            continue
    return out


def _connections_held(pid: int, port: int) -> int:
    """Established connections to `port` whose server side process `pid` holds."""
    established = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port:04X}") and fields[3] == "01":
            established.add(fields[9])
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            m = re.fullmatch(r"socket:\[(\d+)\]", os.readlink(fd))
        except OSError:
            continue
        held += bool(m and m.group(1) in established)
    return held


def _stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=40)


def test_connections_opened_together_are_spread_evenly_over_the_workers(tmp_path):
    port = _free_port()
    proc = _serve(tmp_path, port)
    try:
        _wait_serving(proc)
        # 16 connections made at once, as a proxy's pool or a busy client opens them; each worker gets one in turn
        conns = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(16)]
        for c in conns:
            c.sendall(b"GET /api/v1/programs HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        for c in conns:
            assert c.recv(64).startswith(b"HTTP/1.1 200 ")  # and kept open (keep-alive)
        held = sorted(_connections_held(p, port) for p in _workers(proc))
        assert held == [8, 8]  # a hash of their addresses (SO_REUSEPORT) gave 5/11 or worse one time in five
        for c in conns:
            c.close()
    finally:
        code = _stop(proc)
    assert code == 0
    assert not [p for p in _children(proc.pid)]  # no worker left behind


class _Transport:
    def __init__(self):
        self.sent, self.closed = [], False

    def write(self, data):
        self.sent.append([data])

    def writelines(self, chunks):
        self.sent.append(list(chunks))

    def is_closing(self):
        return self.closed

    def close(self):
        self.closed = True

    def get_extra_info(self, name):
        return ("127.0.0.1", 1) if name == "peername" else None


def test_an_answers_head_and_body_go_out_in_one_send_and_a_lone_write_at_the_next_turn():
    async def run():
        loop = asyncio.get_running_loop()
        real = _Transport()
        t = _OneSend(real, loop)
        t.write(b"HTTP/1.1 200 OK\r\n\r\n")
        t.write(b"body")
        assert real.sent == [[b"HTTP/1.1 200 OK\r\n\r\n", b"body"]]  # one send (writev)
        t.write(b"head")
        assert len(real.sent) == 1  # held until the body or the next turn
        await asyncio.sleep(0)
        assert real.sent[-1] == [b"head"]
        t.write(b"")
        t.write(b"last")
        t.close()  # what is held goes out before the connection closes
        assert real.sent[-1] == [b"last"] and real.closed
        assert t.get_extra_info("peername") == ("127.0.0.1", 1)  # the rest is the transport's own

    run_alone(run())


def test_answers_follow_each_other_whole_on_a_kept_connection(tmp_path):
    port = _free_port()
    proc = _serve(tmp_path, port)
    household = (Path(__file__).parents[1] / "policy" / "household_370303.json").read_bytes()
    try:
        _wait_serving(proc)
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(3):
            c.request("POST", "/api/v1/calc?on=2025-07-01", body=household)
            answer = c.getresponse()
            assert answer.status == 200 and json.loads(answer.read())["jurisdiction"] == "370303"
            c.request("GET", "/healthz")
            answer = c.getresponse()
            assert answer.status == 200 and answer.read()
        c.close()
    finally:
        assert _stop(proc) == 0


def test_a_port_in_use_is_refused_naming_it(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _serve(tmp_path, port)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "--port" in out and f"127.0.0.1:{port}" in out and "in use" in out


def test_a_worker_that_dies_is_replaced(tmp_path):
    port = _free_port()
    proc = _serve(tmp_path, port)
    try:
        _wait_serving(proc)
        time.sleep(1)  # the supervisor learns a worker is serving a moment after its start-up message
        workers = _workers(proc)
        assert len(workers) == 2
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.time() + 60
        while time.time() < deadline:
            now = _workers(proc)
            if len(now) == 2 and workers[0] not in now:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the dead worker was not replaced")
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", "/api/v1/programs")
        assert c.getresponse().status == 200
        c.close()
    finally:
        assert _stop(proc) == 0


def test_an_app_that_cannot_start_stops_the_server_instead_of_restarting_it(tmp_path):
    env = {
        **os.environ,
        "CRADLE_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "CRADLE_THREADPOOL": "many",
    }
    proc = subprocess.run(
        [CRADLE, "serve", "--port", str(_free_port()), "--workers", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 3
    assert "before serving" in proc.stderr and "starting another" not in proc.stderr
