"""A feed file uploaded through the pages: who may upload which department's file, every row inside the
uploader's scope (checked over the whole file before anything is stored), then the same ingest as
`cradle ingest` (the pages and the API run it in the background: `upload_jobs`)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from cradle.auth.actor import Actor
from cradle.errors import N_, Forbidden, Invalid, OutOfScope
from cradle.registry import access
from cradle.registry.feeds import get_feed
from cradle.registry.ingest import IngestSummary, ingest_file
from cradle.registry.reader import MALFORMED, ROW_NO, read_batches

REGION_COLUMNS = ("hukou_region", "region")


def outside_scope(actor: Actor, path: Path) -> tuple[int, str] | None:
    """The first row (line number, region) of the file whose region column names a region outside the actor's
    scope. A row naming none is left to the ingest (its ID number's prefix is where the person was born, not
    where they live now)."""
    if actor.scope is None:
        return None
    for batch in read_batches(path, 50_000):
        for row in batch.iter_rows(named=True):
            if row.get(MALFORMED):
                continue
            region = next((row[k] for k in REGION_COLUMNS if access.known(row.get(k))), None)
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
