"""Backup and restore of the whole database, encrypted at rest.

SQLite: the online backup API (a consistent copy while the app runs). PostgreSQL: pg_dump's custom format and
pg_restore. The readable header records the kind, the time, the schema revisions and every table's row count;
a restore refuses a non-empty target, and checks the counts afterwards. Refusals are `cradle.errors`: the key or
file (`cradle.backup.crypto`), the database of CRADLE_DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import MetaData, create_engine, func, inspect, select
from sqlalchemy.engine import make_url

from cradle.atomicfile import DiskFull, is_space_error
from cradle.backup.crypto import decrypt, encrypt, load_key, read_header
from cradle.errors import N_, Conflict, Invalid

TARGET = "CRADLE_DATABASE_URL"


def table_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(bind=engine)
        with engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in meta.sorted_tables
            }
    finally:
        engine.dispose()


def _revisions(url: str, counts: dict[str, int]) -> list[str]:
    if "alembic_version" not in counts:
        return []
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version"))
    finally:
        engine.dispose()


def _pg_args(url: str) -> tuple[list[str], dict]:
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = u.password
    args = ["-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres"]
    return args, env | {"PGDATABASE": u.database or "postgres"}


def _sqlite_path(url: str) -> Path:
    return Path(make_url(url).database)


def _tables(url: str) -> list[str]:
    if make_url(url).get_backend_name() == "sqlite" and not _sqlite_path(url).exists():
        return []  # looking must not create the file
    engine = create_engine(url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


def _out_of_space(exc: BaseException) -> bool:
    """A full disk as the OS, SQLite's backup or pg_dump reports it."""
    if is_space_error(exc):
        return True
    text = str(exc) + (
        exc.stderr.decode(errors="replace")
        if isinstance(exc, subprocess.CalledProcessError) and isinstance(exc.stderr, bytes)
        else ""
    )
    return any(m in text for m in ("database or disk is full", "No space left on device", "File too large"))


def backup(url: str, out: Path, key_text: str | None) -> dict:
    """Writes an encrypted backup of the database at `url` to `out` (atomically); returns its header."""
    key = load_key(key_text)
    counts = table_counts(url)
    kind = make_url(url).get_backend_name()
    if kind not in ("sqlite", "postgresql"):
        raise Invalid(TARGET, N_("unsupported database: %(kind)s"), kind=kind)
    header = {
        "format": 1,
        "kind": kind,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "revisions": _revisions(url, counts),
        "tables": counts,
    }
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
            plain = Path(tmp) / "plain"
            if kind == "sqlite":
                src = sqlite3.connect(_sqlite_path(url))
                dst = sqlite3.connect(plain)
                with dst:
                    src.backup(dst)
                src.close()
                dst.close()
            else:
                args, env = _pg_args(url)
                subprocess.run(
                    ["pg_dump", "-Fc", "--no-owner", "-f", str(plain), *args],
                    env=env,
                    check=True,
                    capture_output=True,
                )
            partial = Path(tmp) / "partial"
            with plain.open("rb") as source, partial.open("wb") as sink:
                encrypt(key, json.dumps(header, sort_keys=True).encode(), source, sink)
                sink.flush()
                os.fsync(sink.fileno())
            os.replace(partial, out)  # the backup appears whole or not at all
    except (OSError, sqlite3.Error, subprocess.CalledProcessError) as exc:
        if _out_of_space(exc):  # the temporary directory went with the error: nothing is left at `out`
            raise DiskFull(out, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))) from exc
        raise
    return header


def describe(path: Path) -> dict:
    with Path(path).open("rb") as f:
        _, header = read_header(f)
    return json.loads(header)


def restore(path: Path, url: str, key_text: str | None) -> dict:
    """Restores the backup at `path` into the empty database at `url`; returns the header."""
    key = load_key(key_text)
    header = describe(path)
    kind = make_url(url).get_backend_name()
    if kind != header["kind"]:
        raise Invalid(
            TARGET,
            N_("the backup is of a %(backup)s database; the target is %(target)s"),
            backup=header["kind"],
            target=kind,
        )
    existing = _tables(url)
    if existing:
        raise Conflict(
            TARGET,
            N_("the target database is not empty (%(tables)s tables): restore into an empty one"),
            tables=len(existing),
        )
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain"
        with Path(path).open("rb") as source, plain.open("wb") as sink:
            for chunk in decrypt(key, source):
                sink.write(chunk)
        if kind == "sqlite":
            target = _sqlite_path(url)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(plain, target)
        else:
            args, env = _pg_args(url)
            subprocess.run(
                ["pg_restore", "--no-owner", "--exit-on-error", "-d", env["PGDATABASE"], *args, str(plain)],
                env=env,
                check=True,
                capture_output=True,
            )
    counts = table_counts(url)
    if counts != header["tables"]:
        raise Conflict(TARGET, N_("row counts after the restore differ from the backup's"))
    return header


__all__ = ["backup", "describe", "restore", "table_counts"]
