"""A throw-away PostgreSQL server for tests and benchmarks: initdb + pg_ctl on a temp directory and free port.

Runs the server as the `postgres` system user when started by root (initdb refuses root).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise RuntimeError(f"{name} not found: install Debian's postgresql package")
    return candidates[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# What a production server holding a 5-million-person registry sets (docs/deploy.md, "The server's settings",
# lists them as ALTER SYSTEM statements; tests/ops/test_pg_roles.py holds the two equal). PostgreSQL's defaults
# are sized for a small shared host: here the registry's unique indexes (encrypted ID numbers, department + record
# number) fit in shared_buffers instead of being re-read from the OS cache on every random insert, checkpoints
# come every 30 minutes or 8 GiB of WAL rather than every 1 GiB, so a bulk load is not interrupted by them, and
# an index probe is priced for SSD storage (a county's persons are found through the person index, not by a scan
# of every 户籍 event).
PRODUCTION_SETTINGS = {
    "shared_buffers": "2GB",
    "work_mem": "64MB",
    "maintenance_work_mem": "512MB",
    "wal_buffers": "64MB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "wal_compression": "lz4",
    "random_page_cost": "1.1",
}


@dataclass
class TempPostgres:
    root: Path
    port: int
    user: str = "cradle"
    settings: dict[str, str] | None = None  # extra `-c name=value` server settings

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        cmd = list(args)
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True)

    def start(self) -> TempPostgres:
        data = self.root / "data"
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self._run(
            _pg_bin("initdb"),
            "-D",
            str(data),
            "-U",
            self.user,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            # byte order, as docs/deploy.md creates the production database: the same order as C.UTF-8's on
            # this glibc, but compared by memcmp with abbreviated keys (an index build on ciphertext 3.6x as fast)
            "--lc-collate=C",
            "--no-sync",
        )
        opts = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        opts += "".join(f" -c {k}={v}" for k, v in (self.settings or {}).items())
        self._run(_pg_bin("pg_ctl"), "-D", str(data), "-o", opts, "-l", str(self.root / "log"), "-w", "start")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not start: " + (self.root / "log").read_text())

    def restart(self) -> None:
        """Stopped and started with the same options: what settings taking effect only at a start need."""
        data = str(self.root / "data")
        self._run(_pg_bin("pg_ctl"), "-D", data, "-l", str(self.root / "log"), "-w", "restart")

    def stop(self) -> None:
        try:
            self._run(_pg_bin("pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str) -> str:
        """A fresh database on this server; returns its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{name}"


def database_from_template(server: TempPostgres, template: str, name: str | None = None) -> str:
    """A new database copied from `template` (CREATE DATABASE … TEMPLATE): a migrated schema in milliseconds.
    `name` (default a new one) replaces the database of that name, if there is one."""
    import uuid

    import psycopg

    name = name or "s_" + uuid.uuid4().hex[:12]
    with psycopg.connect(
        f"host=127.0.0.1 port={server.port} user={server.user} dbname=postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"postgresql+psycopg://{server.user}@127.0.0.1:{server.port}/{name}"


def copy_sqlite(template: Path, folder: Path, name: str = "cradle.db") -> str:
    """A copy of a migrated SQLite database file (with its WAL) as `folder/name`; returns its URL."""
    target = folder / name
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(template) + suffix)
        if src.exists():
            shutil.copy(src, str(target) + suffix)
    return f"sqlite:///{target}"


def start_temp_postgres(settings: dict[str, str] | None = None) -> TempPostgres:
    """A started server; `settings` (e.g. PRODUCTION_SETTINGS) are passed to it as `-c name=value`."""
    root = Path(tempfile.mkdtemp(prefix="cradle-pg-"))
    os.chmod(root, 0o700)
    return TempPostgres(root=root, port=_free_port(), settings=settings).start()


def server_cpu_seconds(data_dir: Path | None) -> float:
    """CPU seconds of the PostgreSQL server in `data_dir` (the benchmarks' figure beside wall time): the
    postmaster with its reaped backends, plus its live children; 0 without a server (SQLite runs)."""
    if data_dir is None:
        return 0.0

    def stat(pid: int) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    pm = int((data_dir / "postmaster.pid").read_text().split()[0])
    total = sum(int(v) for v in stat(pm)[11:15])  # utime stime cutime cstime
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                f = stat(int(d.name))
            except OSError:
                continue
            if int(f[1]) == pm:
                total += int(f[11]) + int(f[12])
    return total / os.sysconf("SC_CLK_TCK")
