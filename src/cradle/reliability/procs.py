"""Child processes for fault tests: `cradle` commands and a `cradle serve` on a free 127.0.0.1 port, each
killed only by its own process id."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cradle_env(url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ, CRADLE_DATABASE_URL=url, PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def cradle(args: list[str], url: str, timeout: float = 300, **popen) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cradle.cli", *args],
        env=cradle_env(url),
        capture_output=True,
        text=True,
        timeout=timeout,
        **popen,
    )


def start_cradle(args: list[str], url: str, log: Path) -> subprocess.Popen:
    fh = open(log, "ab")  # noqa: SIM115 - handed to the child
    return subprocess.Popen(
        [sys.executable, "-m", "cradle.cli", *args],
        env=cradle_env(url),
        stdout=fh,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill9(proc: subprocess.Popen) -> None:
    """SIGKILL to this child alone (its own process id), then reap it."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


class Server:
    """`cradle serve` on 127.0.0.1 with the database at `url`."""

    def __init__(self, url: str, log: Path, port: int | None = None):
        self.url, self.log, self.port = url, log, port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: float = 90) -> Server:
        self.proc = start_cradle(
            ["serve", "--host", "127.0.0.1", "--port", str(self.port)], self.url, self.log
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("cradle serve exited: " + self.log.read_text(errors="replace")[-2000:])
            try:
                if httpx.get(self.base + "/api/v1/regions", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("cradle serve did not answer: " + self.log.read_text(errors="replace")[-2000:])

    def kill9(self) -> None:
        if self.proc is not None:
            kill9(self.proc)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                kill9(self.proc)
