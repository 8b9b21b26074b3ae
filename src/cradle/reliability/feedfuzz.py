"""The feed parsers on arbitrary input: a department file (bytes) read, header-checked and validated the way
`cradle ingest` does, without a database. The property: the file is refused with an error `cradle ingest`
reports (a `cradle.errors` refusal, ValueError, UnicodeDecodeError: one line, exit code 2), or every row either passes or
names the failing field and a known reason."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

import polars as pl

from cradle.errors import DomainError
from cradle.registry.feeds import FEEDS
from cradle.registry.reader import read_batches
from cradle.registry.validation import FIELD, REASON, REASONS, check_header, validate

# What `cradle ingest` turns into a one-line refusal (see cradle.registry.cli).
REFUSALS = (DomainError, ValueError, UnicodeDecodeError)


# Escapes already reported by a strict xfail test in tests/reliability/test_known_bugs.py: counted as such, so a
# fuzzing run goes on to find the next one. Remove an entry when its bug is fixed (the xfail then fails).
KNOWN_ESCAPES: dict[tuple[str, str], str] = {}


def known_escape(exc: BaseException) -> str | None:
    """The xfail test that reports this escape, when it is a known one."""
    for (kind, text), test in KNOWN_ESCAPES.items():
        if type(exc).__name__ == kind and text in str(exc):
            return test
    return None


class PropertyBroken(AssertionError):
    """The parser answered in a way a user should never see."""


def csv_bytes(header: list[str], rows: list[dict], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for r in rows:
        w.writerow(["" if r.get(h) is None else r[h] for h in header])
    return buf.getvalue().encode(encoding, errors="replace")


def check_rows(dept: str, batch: pl.DataFrame) -> int:
    """Validate one text batch; raise PropertyBroken when a row is refused without a named field and known
    reason, or accepted with a required value missing. Returns the rows refused."""
    feed = FEEDS[dept]
    checked = validate(feed, batch)
    if checked.height != batch.height:
        raise PropertyBroken(f"validate returned {checked.height} rows for {batch.height}")
    refused = 0
    for row in checked.iter_rows(named=True):
        if row[REASON] is None:
            missing = [
                c.name
                for c in feed.columns
                if c.required
                and row[c.name] is None
                and not (c.name == "id_number" and row["event"] in feed.id_optional_for)
            ]
            if missing:
                raise PropertyBroken(f"row accepted without {missing}: {row}")
            continue
        refused += 1
        if row[FIELD] not in feed.names or row[REASON] not in REASONS:
            raise PropertyBroken(f"refusal without a named field: {row[FIELD]!r} {row[REASON]!r}")
    return refused


def check_file(dept: str, data: bytes, suffix: str = ".csv") -> str:
    """Run the parsers over `data` as a file of `dept`; returns "refused", "read" or raises PropertyBroken
    (with the exception that escaped as its cause)."""
    fd, name = tempfile.mkstemp(suffix=suffix, prefix="cradle-fuzz-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        try:
            for batch in read_batches(Path(name), batch_rows=1000):
                check_header(FEEDS[dept], batch.columns)
                check_rows(dept, batch)
        except REFUSALS:
            return "refused"
        except PropertyBroken:
            raise
        except Exception as exc:
            if known_escape(exc):
                return "known:" + type(exc).__name__
            raise PropertyBroken(f"{type(exc).__name__} escaped the parser: {str(exc)[:200]}") from exc
        return "read"
    finally:
        os.unlink(name)
