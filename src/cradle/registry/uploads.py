"""A feed file uploaded through the pages: who may upload which department's file, every row inside the
uploader's scope (checked over the whole file before anything is stored), then the same ingest as
`cradle ingest`."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from cradle.auth.actor import Actor
from cradle.errors import N_, Forbidden, Invalid, OutOfScope
from cradle.registry import access
from cradle.registry.feeds import get_feed
from cradle.registry.ingest import IngestSummary, ingest_file
from cradle.registry.reader import MALFORMED, ROW_NO, read_batches


def outside_scope(actor: Actor, path: Path) -> tuple[int, str] | None:
    """The first row (line number, region) of the file lying outside the actor's scope; a row naming no known
    region is left to the ingest's own checks."""
    if actor.scope is None:
        return None
    for batch in read_batches(path, 50_000):
        for row in batch.iter_rows(named=True):
            if row.get(MALFORMED):
                continue
            region = access.row_region(row)
            if region and not actor.can_see(region):
                return row[ROW_NO], region
    return None


def upload(engine: Engine, actor: Actor, dept: str, path: Path) -> IngestSummary:
    get_feed(dept)
    if not access.may_upload(actor, dept):
        raise Forbidden(
            "dept",
            N_("Your account cannot upload files of %(dept)s"),
            code="forbidden_role",
            dept=dept,
        )
    try:
        outside = outside_scope(actor, path)
        if outside:
            raise OutOfScope(
                "file",
                N_("Line %(line)s: %(region)s is outside your jurisdiction; nothing of the file was stored"),
                line=outside[0],
                region=outside[1],
            )
        return ingest_file(dept, path, engine=engine)
    except ValueError as exc:  # a reader's own error on a damaged file (pyarrow's ArrowInvalid, …)
        raise Invalid("file", N_("Ingest failed: %(reason)s"), reason=exc) from None
