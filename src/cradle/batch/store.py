"""`cradle batch --db`: the finished partitions' entitlements into `batch_entitlement`, partition by partition
(memory stays bounded), replacing an earlier store of the same region and date in one transaction."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
from sqlalchemy import delete, insert

from cradle.batch.models import BatchEntitlement
from cradle.batch.runner import MANIFEST
from cradle.db import session_scope

CHUNK = 20_000


def store(out: Path | str, region: str, as_of: dt.date, url: str | None = None) -> int:
    out = Path(out)
    done = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["done"]
    table = BatchEntitlement.__table__
    n = 0
    with session_scope(url) as session:
        session.execute(delete(table).where(table.c.region == region, table.c.as_of == as_of))
        for key in sorted(done):
            part = pl.read_parquet(out / "parts" / f"{key}.parquet").with_columns(
                region=pl.lit(region), as_of=pl.lit(as_of)
            )
            for chunk in part.iter_slices(CHUNK):
                session.execute(insert(table), chunk.to_dicts())
                n += chunk.height
    return n
