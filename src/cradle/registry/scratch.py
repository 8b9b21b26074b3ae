"""SQLite bulk staging through ADBC: Arrow columns go into a scratch database file by the driver's C loop,
without a Python object per value (Python's `executemany` was ~40% of a SQLite ingest's CPU).

The ingest connection ATTACHes the scratch files and copies a batch into its temporary stage with one
`INSERT … SELECT` inside the ingest's write transaction, so a batch commits (or is lost) with its transaction.
The files take turns: the preparing thread fills one while the ingest connection reads another, and SQLite locks
whole files, so they never wait on each other. There is one file more than the batches of a transaction: a
connection keeps the pages it read from an attached file until its transaction ends, so a file filled again
within it would be read as it was. The files hold nothing that is not re-derived from the feed file, are written
without a journal or fsync and are deleted when the run ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import polars as pl

TABLE = "stage"
MAX_ATTACHED = 10  # SQLite's default limit on attached databases


def _remove_orphans() -> None:
    """Scratch directories of runs killed with `kill -9` (their process is gone): deleted by the next run."""
    for d in Path(tempfile.gettempdir()).glob("cradle-stage-*-*"):
        pid = d.name.split("-")[2]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except PermissionError:  # another user's live process
            pass


class Scratch:
    def __init__(self, slots: int, schema: str = "cradle_scratch") -> None:
        import adbc_driver_sqlite.dbapi as adbc

        _remove_orphans()
        self.dir = Path(tempfile.mkdtemp(prefix=f"cradle-stage-{os.getpid()}-"))
        self.slots, self.schema = slots, schema  # attached as schema0, schema1, …
        self.paths = [self.dir / f"slot{i}.db" for i in range(slots)]
        self.conns = [adbc.connect(str(p), autocommit=True) for p in self.paths]
        for c in self.conns:
            with c.cursor() as cur:
                cur.execute("PRAGMA journal_mode=OFF")
                cur.execute("PRAGMA synchronous=OFF")
        self._next = 0

    def attach(self, dbapi_conn) -> list[str]:
        """ATTACH every slot to the ingest connection (outside a transaction); returns the schema names."""
        names = [f"{self.schema}{i}" for i in range(self.slots)]
        for name, path in zip(names, self.paths, strict=True):
            dbapi_conn.execute(f"ATTACH DATABASE '{path}' AS {name}")
        return names

    def fill(self, df: pl.DataFrame) -> str:
        """Write `df` into the next slot (replacing its previous batch); returns `schema.table` to read."""
        slot = self._next
        self._next = (slot + 1) % self.slots
        # SQLite has no date type: ISO text, as SQLAlchemy's Date columns store it
        df = df.with_columns(pl.col(n).dt.strftime("%Y-%m-%d") for n, t in df.schema.items() if t == pl.Date)
        with self.conns[slot].cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {TABLE}")
            cur.adbc_ingest(TABLE, df.to_arrow(), mode="create")
        return f"{self.schema}{slot}.{TABLE}"

    def close(self) -> None:
        for c in self.conns:
            with contextlib.suppress(Exception):  # a half-closed driver handle must not hide the run's error
                c.close()
        shutil.rmtree(self.dir, ignore_errors=True)
